import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../api.ts';
import { ErrorNotice, Field, statusText } from '../../ui/index.ts';
import { BoardColumn } from './BoardColumn.tsx';
import { APPROVAL_FILTERS, NO_FILTERS, type ApprovalFilter, type BoardFilters } from './board-filters.ts';
import { BOARD_COLUMNS, statusMoves, type Ticket } from './board-rules.ts';
import { useMoveTicket } from './use-move-ticket.ts';

/** The most the API lists at once: the filters' choices of customers and staff. */
const CHOICES = { page: 1, per_page: 100 };

/** The service writer's board: tickets in columns by status, filtered, moved by drag and drop or by "Move to…". */
export default function BoardScreen() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<BoardFilters>(NO_FILTERS);
  const [dragging, setDragging] = useState<Ticket | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const { move, pending, error, reset } = useMoveTicket();
  const customers = useQuery(trpc.customers.list.queryOptions(CHOICES));
  const staff = useQuery(trpc.mechanics.list.queryOptions(CHOICES));
  const set = (change: Partial<BoardFilters>) => setFilters((current) => ({ ...current, ...change }));

  const onMove = (ticket: Ticket, status: Ticket['status']) => {
    reset();
    setMoved(null);
    move(ticket, status, () => setMoved(`Ticket #${ticket.id} moved to ${statusText(status)}.`));
  };

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">Board</h1>
      <form
        role="search"
        aria-label="Filter tickets"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => event.preventDefault()}
      >
        <Field label="Customer">
          {(props) => (
            <select {...props} value={filters.customerId} onChange={(event) => set({ customerId: event.target.value })}>
              <option value="">All customers</option>
              {customers.data?.items.map((customer) => (
                <option key={customer.id} value={customer.id}>
                  {customer.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Technician">
          {(props) => (
            <select {...props} value={filters.technicianId} onChange={(event) => set({ technicianId: event.target.value })}>
              <option value="">Anyone</option>
              {staff.data?.items.map((mechanic) => (
                <option key={mechanic.id} value={mechanic.id}>
                  {mechanic.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Approval">
          {(props) => (
            <select {...props} value={filters.approval} onChange={(event) => set({ approval: event.target.value as ApprovalFilter })}>
              {Object.entries(APPROVAL_FILTERS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Title, vehicle or VIN">
          {(props) => <input {...props} type="search" value={filters.text} onChange={(event) => set({ text: event.target.value })} />}
        </Field>
        <button
          type="button"
          className="rounded border border-slate-600 bg-white px-3 py-1.5 text-sm"
          onClick={() => setFilters(NO_FILTERS)}
        >
          Clear filters
        </button>
      </form>
      {(customers.error ?? staff.error) && <ErrorNotice error={customers.error ?? staff.error} />}
      {error && <ErrorNotice error={error} />}
      <p role="status" className="min-h-5 text-sm text-slate-800">
        {pending ? 'Moving the ticket…' : moved}
      </p>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-4">
        {BOARD_COLUMNS.map((status) => (
          <BoardColumn
            key={status}
            status={status}
            filters={filters}
            dragging={dragging && { ticket: dragging, allowed: statusMoves(dragging).includes(status) }}
            moving={pending}
            onMove={onMove}
            onDragStart={setDragging}
            onDragEnd={() => setDragging(null)}
          />
        ))}
      </div>
    </div>
  );
}
