import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTRPC } from '../../api.ts';
import { Avatar, Money } from '../../ui/index.ts';
import { approvalState, vehicleLabel, type Ticket, type TicketStatus } from './board-rules.ts';
import { MoveToSelect } from './MoveToSelect.tsx';

/** Names change rarely: a card does not ask for its customer's again for a minute. */
const NAME_STALE_MS = 60_000;

/** A customer's name, looked up once per customer for every card that shows it (tRPC batches the lookups). */
export function useCustomerName(customerId: number): string | undefined {
  const trpc = useTRPC();
  const { data } = useQuery({ ...trpc.customers.byId.queryOptions({ id: customerId }), staleTime: NAME_STALE_MS });
  return data?.name;
}

interface TicketCardProps {
  ticket: Ticket;
  onMove: (ticket: Ticket, status: TicketStatus) => void;
  moving: boolean;
  onDragStart: (ticket: Ticket) => void;
  onDragEnd: () => void;
}

/** One ticket on the board: what it is for, who works on it, what it costs, what the customer decided; dragged or moved. */
export function TicketCard({ ticket, onMove, moving, onDragStart, onDragEnd }: TicketCardProps) {
  const customer = useCustomerName(ticket.customer_id);
  const approval = approvalState(ticket.jobs);
  return (
    <article
      data-testid={`ticket-card-${ticket.id}`}
      aria-labelledby={`ticket-card-title-${ticket.id}`}
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', String(ticket.id));
        event.dataTransfer.effectAllowed = 'move';
        onDragStart(ticket);
      }}
      onDragEnd={onDragEnd}
      className="cursor-grab rounded-md border border-slate-300 bg-white p-3 shadow-sm active:cursor-grabbing"
    >
      <h3 id={`ticket-card-title-${ticket.id}`} className="font-semibold">
        <Link to={`/tickets/${ticket.id}`} className="text-blue-800 underline-offset-2 hover:underline">
          #{ticket.id} {ticket.title}
        </Link>
      </h3>
      <p className="text-sm text-slate-800">{vehicleLabel(ticket.vehicle)}</p>
      <p className="text-sm text-slate-700">{customer ?? `Customer #${ticket.customer_id}`}</p>
      <div className="mt-2 flex items-center justify-between gap-2">
        <ul className="flex -space-x-1" aria-label="Technicians">
          {ticket.mechanics.map((mechanic) => (
            <li key={mechanic.id}>
              <Avatar name={mechanic.name} />
            </li>
          ))}
        </ul>
        <span className="font-semibold">
          <Money amount={ticket.total} />
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-700">{approval.label}</p>
      <MoveToSelect ticket={ticket} onMove={(status) => onMove(ticket, status)} disabled={moving} />
    </article>
  );
}
