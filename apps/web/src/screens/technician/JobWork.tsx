import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSession, useTRPC, type RouterOutputs } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, StatusBadge } from '../../ui/index.ts';

type Ticket = RouterOutputs['serviceTickets']['byId'];
type Job = Ticket['jobs'][number];

const button = 'rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 disabled:opacity-60';

/**
 * After a write to the job: its answer is the whole ticket, which goes straight
 * into the ticket's cache entry; a part line moved stock.
 */
function useTicketWritten(): (ticket: Ticket) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (ticket) => {
    queryClient.setQueryData(trpc.serviceTickets.byId.queryKey({ id: ticket.id }), ticket);
    void queryClient.invalidateQueries({ queryKey: trpc.inventory.list.queryKey() });
  };
}

/** One job at the bay: the customer's concern, the cause and correction, the lines so far, and more hours or parts. */
export function JobWork({ ticket, job }: { ticket: Ticket; job: Job }) {
  return (
    <article aria-labelledby={`job-${job.id}`} className="mt-5 border-t border-slate-300 pt-4">
      <h3 id={`job-${job.id}`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
        {job.title} <StatusBadge status={job.authorization} />
      </h3>
      <p className="mt-1">
        <span className="font-medium">Concern: </span>
        {job.concern || 'none written'}
      </p>
      <JobNotes ticketId={ticket.id} job={job} />
      <JobLines job={job} />
      {job.authorization === 'approved' && (
        <p className="mt-3 text-sm text-slate-700">
          Adding hours or parts to this approved job changes its price: it goes back to the customer for approval.
        </p>
      )}
      <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <AddHours ticketId={ticket.id} job={job} />
        <AddPart ticketId={ticket.id} job={job} />
      </div>
    </article>
  );
}

/** Cause and correction: what the technician found and did (the concern is the writer's, from the customer). */
function JobNotes({ ticketId, job }: { ticketId: number; job: Job }) {
  const trpc = useTRPC();
  const [cause, setCause] = useState(job.cause);
  const [correction, setCorrection] = useState(job.correction);
  const save = useMutation(trpc.serviceTickets.editJob.mutationOptions({ onSuccess: useTicketWritten() }));
  const errors = fieldErrors(save.error);
  const changed = cause !== job.cause || correction !== job.correction;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: ticketId, job_id: job.id, cause, correction });
  };
  return (
    <form onSubmit={onSubmit} className="mt-3 flex flex-col gap-3">
      <Field label={`Cause (${job.title})`} error={errors.cause}>
        {(props) => <textarea {...props} rows={2} value={cause} onChange={(event) => setCause(event.target.value)} />}
      </Field>
      <Field label={`Correction (${job.title})`} error={errors.correction}>
        {(props) => <textarea {...props} rows={2} value={correction} onChange={(event) => setCorrection(event.target.value)} />}
      </Field>
      <ErrorNotice error={save.error} />
      {save.isPending && <Busy label="Saving the notes" />}
      {save.isSuccess && !changed && <p role="status">Notes saved.</p>}
      <div>
        <button type="submit" className={button} disabled={save.isPending || !changed}>
          Save notes
        </button>
      </div>
    </form>
  );
}

/** The job's lines so far, as the bay needs them: what, how many or how long (prices are the desk's). */
function JobLines({ job }: { job: Job }) {
  if (job.lines.length === 0) return <p className="mt-3 text-slate-700">No hours or parts on this job yet.</p>;
  return (
    <table className="mt-3 w-full text-left text-sm">
      <caption className="text-left font-medium">Work and parts on {job.title}</caption>
      <thead>
        <tr className="border-b border-slate-300">
          <th scope="col" className="py-1">
            Line
          </th>
          <th scope="col" className="py-1 text-right">
            Hours or quantity
          </th>
        </tr>
      </thead>
      <tbody>
        {job.lines.map((line) => (
          <tr key={line.id} className="border-b border-slate-200">
            <td className="py-1">{line.type === 'part' ? (line.part_name ?? line.description) : line.description}</td>
            <td className="py-1 text-right tabular-nums">
              {line.type === 'labor' ? `${line.hours} h` : line.type === 'part' ? `× ${line.quantity}` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Hours worked on the job: a labor line in this technician's name, at the shop's rate (the API prices it). */
function AddHours({ ticketId, job }: { ticketId: number; job: Job }) {
  const trpc = useTRPC();
  const { session } = useSession();
  const [description, setDescription] = useState('');
  const [hours, setHours] = useState('');
  const written = useTicketWritten();
  const add = useMutation(
    trpc.serviceTickets.addLine.mutationOptions({
      onSuccess: (ticket) => {
        written(ticket);
        setDescription('');
        setHours('');
      },
    }),
  );
  const errors = fieldErrors(add.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ id: ticketId, job_id: job.id, type: 'labor', description, hours, technician_id: session!.id });
  };
  return (
    <form onSubmit={onSubmit} aria-label={`Add hours to ${job.title}`} className="flex flex-col gap-3 rounded border border-slate-300 p-3">
      <h4 className="font-semibold">Add hours</h4>
      <Field label="Work done" error={errors.description}>
        {(props) => <input {...props} type="text" value={description} onChange={(event) => setDescription(event.target.value)} />}
      </Field>
      <Field label="Hours" hint="For example 1.5" error={errors.hours}>
        {(props) => <input {...props} type="text" inputMode="decimal" value={hours} onChange={(event) => setHours(event.target.value)} />}
      </Field>
      <ErrorNotice error={add.error} />
      {add.isPending && <Busy label="Adding the hours" />}
      {add.isSuccess && <p role="status">Hours added.</p>}
      <div>
        <button type="submit" className={button} disabled={add.isPending}>
          Add hours
        </button>
      </div>
    </form>
  );
}

/** A part from stock: search the inventory (stock shown), choose one, say how many. */
function AddPart({ ticketId, job }: { ticketId: number; job: Job }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [partId, setPartId] = useState<number | null>(null);
  const [quantity, setQuantity] = useState('1');
  const q = search.trim();
  const parts = useQuery({ ...trpc.inventory.list.queryOptions({ q, per_page: 6 }), enabled: q.length > 0 });
  const written = useTicketWritten();
  const add = useMutation(
    trpc.serviceTickets.addLine.mutationOptions({
      onSuccess: (ticket) => {
        written(ticket);
        setPartId(null);
        setQuantity('1');
      },
    }),
  );
  const errors = fieldErrors(add.error);
  const chosen = parts.data?.items.find((part) => part.id === partId);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (partId !== null) add.mutate({ id: ticketId, job_id: job.id, type: 'part', inventory_id: partId, quantity: Number(quantity) });
  };
  return (
    <form onSubmit={onSubmit} aria-label={`Add a part to ${job.title}`} className="flex flex-col gap-3 rounded border border-slate-300 p-3">
      <h4 className="font-semibold">Add a part</h4>
      <Field label="Search parts" hint="Part name" error={errors.inventory_id}>
        {(props) => <input {...props} type="search" value={search} onChange={(event) => setSearch(event.target.value)} />}
      </Field>
      <ErrorNotice error={parts.error} />
      {parts.isFetching && <Busy label="Searching the inventory" />}
      {parts.data && (
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Parts found</legend>
          {parts.data.items.length === 0 && <p className="text-sm">No part matches “{q}”.</p>}
          <ul className="flex flex-col gap-1">
            {parts.data.items.map((part) => (
              <li key={part.id}>
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={`part-${job.id}`}
                    checked={partId === part.id}
                    disabled={part.quantity === 0}
                    onChange={() => setPartId(part.id)}
                  />
                  {part.part_name}
                  <span className={part.quantity === 0 ? 'text-red-800' : 'text-slate-700'}>
                    ({part.quantity === 0 ? 'out of stock' : `${part.quantity} in stock`})
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <Field label="Quantity" hint={chosen && `${chosen.quantity} in stock`} error={errors.quantity}>
        {(props) => <input {...props} type="number" min={1} value={quantity} onChange={(event) => setQuantity(event.target.value)} />}
      </Field>
      <ErrorNotice error={add.error} />
      {add.isPending && <Busy label="Adding the part" />}
      {add.isSuccess && <p role="status">Part added.</p>}
      <div>
        <button type="submit" className={button} disabled={add.isPending || partId === null}>
          Add part
        </button>
      </div>
    </form>
  );
}
