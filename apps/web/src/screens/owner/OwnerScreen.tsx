import { lazy, Suspense } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { Busy } from '../../ui/index.ts';

// One chunk per page: chart.js comes with the sales report only.
const SECTIONS = [
  { path: 'sales', label: 'Sales report', Section: lazy(() => import('./SalesSection.tsx')) },
  { path: 'follow-ups', label: 'Declined work', Section: lazy(() => import('./FollowUpsSection.tsx')) },
  { path: 'inventory', label: 'Low stock', Section: lazy(() => import('./InventorySection.tsx')) },
  { path: 'staff', label: 'Staff and roles', Section: lazy(() => import('./StaffSection.tsx')) },
  { path: 'settings', label: 'Shop settings', Section: lazy(() => import('./SettingsSection.tsx')) },
  { path: 'webhooks', label: 'Webhooks', Section: lazy(() => import('./WebhooksSection.tsx')) },
];

/** The owner's pages (`/app/owner/*`): sales, declined work, low stock, staff, settings, webhooks. */
export default function OwnerScreen() {
  return (
    <div className="mx-auto max-w-6xl p-4">
      <nav aria-label="Owner" className="mb-4">
        <ul className="flex flex-wrap gap-4">
          {SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink
                to={`/owner/${section.path}`}
                className={({ isActive }) => (isActive ? 'font-semibold underline' : 'text-blue-900 underline')}
              >
                {section.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense fallback={<Busy label="Loading the page" />}>
        <Routes>
          {SECTIONS.map(({ path, Section }) => (
            <Route key={path} path={path} element={<Section />} />
          ))}
          <Route path="*" element={<Navigate to="/owner/sales" replace />} />
        </Routes>
      </Suspense>
    </div>
  );
}
