import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession, useTRPC, type RouterOutputs } from '../../api.ts';
import { Busy, ErrorNotice, Pagination, StatusBadge } from '../../ui/index.ts';
import { JobWork } from './JobWork.tsx';

type Ticket = RouterOutputs['serviceTickets']['byId'];

const PER_PAGE = 8;

/** What a technician sees of a vehicle on a card: year, make and model, else the plate or the VIN. */
export function vehicleText(vehicle: Ticket['vehicle']): string {
  const name = [vehicle.year, vehicle.make, vehicle.model].filter(Boolean).join(' ');
  return name || vehicle.plate || vehicle.vin || `Vehicle ${vehicle.id}`;
}

/**
 * The bay's tablet (about 800 px wide): the tickets assigned to the signed-in
 * technician, newest assignment first, and for the one chosen each job's
 * concern, the cause and correction to write down, and the hours and parts
 * it took. The API lets a technician do just that on their own tickets.
 */
export default function TechnicianScreen() {
  const trpc = useTRPC();
  const { session } = useSession();
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<number | null>(null);
  const assignments = useQuery(trpc.assignments.list.queryOptions({ mechanic_id: session!.id, page, per_page: PER_PAGE }));
  // One request for the page's tickets: calls made together travel in one batch.
  const tickets = useQueries({
    queries: (assignments.data?.items ?? []).map((assignment) =>
      trpc.serviceTickets.byId.queryOptions({ id: assignment.service_ticket_id }),
    ),
  });
  const open = chosen ?? assignments.data?.items[0]?.service_ticket_id ?? null;

  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-semibold">My tickets</h1>
      <ErrorNotice error={assignments.error} />
      {assignments.isPending && <Busy label="Loading your tickets" />}
      {assignments.data?.total === 0 && <p className="mt-3">No ticket is assigned to you yet.</p>}
      {assignments.data && assignments.data.total > 0 && (
        <section aria-labelledby="assigned" className="mt-4">
          <h2 id="assigned" className="sr-only">
            Assigned to me
          </h2>
          <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            {assignments.data.items.map((assignment, index) => {
              const ticket = tickets[index]?.data;
              const current = assignment.service_ticket_id === open;
              return (
                <li key={assignment.service_ticket_id}>
                  <button
                    type="button"
                    aria-pressed={current}
                    onClick={() => setChosen(assignment.service_ticket_id)}
                    className={`flex w-full flex-col items-start gap-1 rounded border p-3 text-left ${current ? 'border-blue-800 bg-blue-50' : 'border-slate-300 bg-white'}`}
                  >
                    <span className="font-semibold">
                      #{assignment.service_ticket_id} {ticket?.title ?? ''}
                    </span>
                    {ticket && (
                      <span className="flex items-center gap-2 text-sm text-slate-700">
                        {vehicleText(ticket.vehicle)} <StatusBadge status={ticket.status} />
                      </span>
                    )}
                  </button>
                </li>
              );
            })}
          </ul>
          <Pagination page={page} per_page={PER_PAGE} total={assignments.data.total} onPage={setPage} label="tickets" />
        </section>
      )}
      {open !== null && <TicketWork id={open} />}
    </div>
  );
}

function TicketWork({ id }: { id: number }) {
  const trpc = useTRPC();
  const ticket = useQuery(trpc.serviceTickets.byId.queryOptions({ id }));
  if (ticket.isPending) return <Busy label={`Loading ticket #${id}`} />;
  if (ticket.error) return <ErrorNotice error={ticket.error} />;
  const { data } = ticket;
  // Declined jobs are not to be done: the customer said no.
  const jobs = data.jobs.filter((job) => job.authorization !== 'declined');
  return (
    <section aria-labelledby="ticket-title" className="mt-6 rounded border border-slate-300 bg-white p-4">
      <h2 id="ticket-title" className="text-xl font-semibold">
        #{data.id} {data.title}
      </h2>
      <p className="mt-1 flex flex-wrap items-center gap-2 text-slate-700">
        {vehicleText(data.vehicle)}
        {data.vehicle.plate && <span>· plate {data.vehicle.plate}</span>}
        <StatusBadge status={data.status} />
      </p>
      {data.description && <p className="mt-2">{data.description}</p>}
      {jobs.length === 0 && <p className="mt-3">No job to work on yet: the service writer adds them.</p>}
      {jobs.map((job) => (
        <JobWork key={job.id} ticket={data} job={job} />
      ))}
    </section>
  );
}
