import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Pagination, statusText } from '../../ui/index.ts';
import type { Ticket, TicketStatus } from './board-rules.ts';
import { matchesFilters, type BoardFilters } from './board-filters.ts';
import { TicketCard } from './TicketCard.tsx';

/** Cards per column page. */
export const COLUMN_PAGE_SIZE = 20;

interface BoardColumnProps {
  status: TicketStatus;
  filters: BoardFilters;
  /** The ticket being dragged, if any, and whether it may be dropped here. */
  dragging: { ticket: Ticket; allowed: boolean } | null;
  moving: boolean;
  onMove: (ticket: Ticket, status: TicketStatus) => void;
  onDragStart: (ticket: Ticket) => void;
  onDragEnd: () => void;
}

/** One status of the board: its tickets a page at a time (the customer filter asked of the API), and a drop target. */
export function BoardColumn({ status, filters, dragging, moving, onMove, onDragStart, onDragEnd }: BoardColumnProps) {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const customerId = filters.customerId === '' ? undefined : Number(filters.customerId);
  const query = useQuery({
    ...trpc.serviceTickets.list.queryOptions({ status, page, per_page: COLUMN_PAGE_SIZE, customer_id: customerId }),
    placeholderData: keepPreviousData,
  });
  const cards = query.data?.items.filter((ticket) => matchesFilters(ticket, filters)) ?? [];
  const headingId = `board-column-${status}`;
  const highlight = dragging && dragging.ticket.status !== status ? (dragging.allowed ? 'ring-2 ring-blue-700' : 'opacity-60') : '';
  return (
    <section
      aria-labelledby={headingId}
      data-testid={`board-column-${status}`}
      onDragOver={(event) => {
        // Every column takes a drop: a move the rules refuse is sent anyway, and the API's answer says why.
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
      }}
      onDrop={(event) => {
        event.preventDefault();
        if (dragging && dragging.ticket.status !== status) onMove(dragging.ticket, status);
        onDragEnd();
      }}
      className={`flex min-h-64 flex-col gap-2 rounded-lg bg-slate-100 p-2 ${highlight}`}
    >
      <h2 id={headingId} className="flex items-baseline justify-between px-1 font-semibold">
        {statusText(status)}
        {query.data && <span className="text-sm font-normal text-slate-700">{query.data.total}</span>}
      </h2>
      {query.isPending && <Busy label={`Loading the ${statusText(status).toLowerCase()} tickets`} />}
      {query.error && <ErrorNotice error={query.error} />}
      {query.data && cards.length === 0 && <p className="px-1 text-sm text-slate-700">No tickets.</p>}
      <ul className="flex flex-col gap-2">
        {cards.map((ticket) => (
          <li key={ticket.id}>
            <TicketCard ticket={ticket} onMove={onMove} moving={moving} onDragStart={onDragStart} onDragEnd={onDragEnd} />
          </li>
        ))}
      </ul>
      {query.data && (
        <Pagination page={query.data.page} per_page={query.data.per_page} total={query.data.total} onPage={setPage} label="tickets" />
      )}
    </section>
  );
}
