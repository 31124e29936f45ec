import { Navigate, NavLink, Route, Routes } from 'react-router';
import InvoicesSection from './InvoicesSection.tsx';
import TicketDetail from './TicketDetail.tsx';
import TicketsSection from './TicketsSection.tsx';
import VehiclesSection from './VehiclesSection.tsx';

const SECTIONS = [
  { to: '/portal/tickets', label: 'My visits' },
  { to: '/portal/vehicles', label: 'My vehicles' },
  { to: '/portal/invoices', label: 'My invoices' },
];

/** The customer portal (`/app/portal/*`): visits with their estimates to approve, vehicles, invoices. */
export default function PortalScreen() {
  return (
    <div className="mx-auto max-w-5xl p-4">
      <nav aria-label="My account" className="mb-4">
        <ul className="flex gap-4">
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to} className={({ isActive }) => (isActive ? 'font-semibold underline' : 'text-blue-900 underline')}>
                {section.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to="/portal/tickets" replace />} />
        <Route path="tickets" element={<TicketsSection />} />
        <Route path="tickets/:id" element={<TicketDetail />} />
        <Route path="vehicles" element={<VehiclesSection />} />
        <Route path="invoices" element={<InvoicesSection />} />
        <Route path="*" element={<Navigate to="/portal/tickets" replace />} />
      </Routes>
    </div>
  );
}
