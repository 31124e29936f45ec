import { useMutation } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import type { RouterInputs } from '@mechanic-shop/sdk';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, Money, StatusBadge } from '../../ui/index.ts';
import type { Job } from '../board/board-rules.ts';
import { LINE_TYPE_NAMES, type Line } from './line-draft.ts';
import { LineForm } from './LineForm.tsx';
import { useTicketWritten, useWritesTickets } from './use-ticket-write.ts';
import { panelClass, smallButtonClass } from './styles.ts';

type PayType = RouterInputs['serviceTickets']['addJob']['pay_type'] & string;
const PAY_TYPES = { customer: 'Customer pays', internal: 'Internal', warranty: 'Warranty' } as const satisfies Record<PayType, string>;

/** What a line is, in a few words. */
function lineWhat(line: Line): string {
  const name = line.type === 'part' ? (line.part_name ?? 'Part') : line.description;
  return line.type === 'part' && line.description ? `${name}: ${line.description}` : name;
}

/** How much of it: hours at a rate, a quantity at a unit price. */
function lineHowMuch(line: Line) {
  if (line.type === 'labor' && line.hours !== null)
    return (
      <>
        {line.hours} h × <Money amount={line.rate ?? '0.00'} />
      </>
    );
  if (line.type === 'part' && line.quantity !== null)
    return (
      <>
        {line.quantity} × <Money amount={line.unit_price ?? '0.00'} />
      </>
    );
  return null;
}

/** A job of the estimate: its decision, its notes, its lines (changed in place), its own figures. */
export function JobCard({ ticketId, job, frozen }: { ticketId: number; job: Job; frozen: boolean }) {
  const trpc = useTRPC();
  const written = useTicketWritten();
  const writes = useWritesTickets() && !frozen;
  const [editing, setEditing] = useState<number | 'new' | 'job' | null>(null);
  const remove = useMutation(trpc.serviceTickets.deleteLine.mutationOptions({ onSuccess: written }));
  const removeJob = useMutation(trpc.serviceTickets.deleteJob.mutationOptions({ onSuccess: written }));
  const headingId = `job-${job.id}`;
  return (
    <section aria-labelledby={headingId} data-testid={`job-${job.id}`} className={panelClass}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="text-lg font-semibold">
          {job.title}
          {job.pay_type !== 'customer' && <span className="ml-2 text-sm font-normal text-slate-700">({PAY_TYPES[job.pay_type]})</span>}
        </h3>
        <span className="text-sm">
          <StatusBadge status={job.authorization} />
          {job.decided_at && <span className="text-slate-700"> {new Date(job.decided_at).toLocaleString()}</span>}
        </span>
      </div>
      {job.authorization === 'declined' && (
        <p className="text-sm text-slate-800">
          {job.decline_reason ? `Reason: ${job.decline_reason}. ` : ''}
          {job.follow_up_on && `Follow up on ${job.follow_up_on}.`} Left out of the ticket&apos;s totals.
        </p>
      )}
      {editing === 'job' ? (
        <JobForm ticketId={ticketId} job={job} onDone={() => setEditing(null)} />
      ) : (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-sm">
          {(['concern', 'cause', 'correction'] as const).map((note) => (
            <Fragment key={note}>
              <dt className="font-semibold capitalize">{note}</dt>
              <dd>{job[note] || '—'}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      {job.lines.length === 0 ? (
        <p className="text-sm text-slate-700">No lines yet.</p>
      ) : (
        <table className="w-full text-sm [&_td]:px-1 [&_th]:px-1">
          <caption className="sr-only">Lines of {job.title}</caption>
          <thead>
            <tr className="text-left">
              <th scope="col">Type</th>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col" className="text-right">
                Amount
              </th>
              <th scope="col" className="text-right">
                Discount
              </th>
              <th scope="col" className="text-right">
                Net
              </th>
              {writes && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {job.lines.map((line) => (
              <Fragment key={line.id}>
                <tr className="border-t border-slate-200 align-top">
                  <td>{LINE_TYPE_NAMES[line.type]}</td>
                  <td>
                    {lineWhat(line)}
                    {!line.taxable && <span className="text-slate-700"> (untaxed)</span>}
                    {line.cost !== null && line.cost !== undefined && (
                      <span className="block text-slate-700">
                        Costs the shop <Money amount={line.cost} />
                      </span>
                    )}
                  </td>
                  <td>{lineHowMuch(line)}</td>
                  <td className="text-right">
                    <Money amount={line.amount} />
                  </td>
                  <td className="text-right">{line.discount_amount === '0.00' ? '' : <Money amount={`-${line.discount_amount}`} />}</td>
                  <td className="text-right">
                    <Money amount={line.net} />
                  </td>
                  {writes && (
                    <td className="flex gap-1 pl-2">
                      <button type="button" className={smallButtonClass} onClick={() => setEditing(line.id)}>
                        Edit<span className="sr-only"> {lineWhat(line)}</span>
                      </button>
                      <button
                        type="button"
                        className={smallButtonClass}
                        disabled={remove.isPending}
                        onClick={() => remove.mutate({ id: ticketId, job_id: job.id, line_id: line.id })}
                      >
                        Remove<span className="sr-only"> {lineWhat(line)}</span>
                      </button>
                    </td>
                  )}
                </tr>
                {editing === line.id && (
                  <tr>
                    <td colSpan={7}>
                      <LineForm ticketId={ticketId} jobId={job.id} line={line} onDone={() => setEditing(null)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {(remove.error ?? removeJob.error) && <ErrorNotice error={remove.error ?? removeJob.error} />}
      {(remove.isPending || removeJob.isPending) && <Busy label="Saving" />}
      {editing === 'new' && <LineForm ticketId={ticketId} jobId={job.id} onDone={() => setEditing(null)} />}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 pt-2 text-sm">
        <p>
          Job subtotal <Money amount={job.totals.subtotal} /> · tax <Money amount={job.totals.tax.total} /> ·{' '}
          <strong>
            total <Money amount={job.totals.total} />
          </strong>
        </p>
        {writes && editing === null && (
          <div className="flex gap-2">
            <button type="button" className={smallButtonClass} onClick={() => setEditing('new')}>
              Add a line<span className="sr-only"> to {job.title}</span>
            </button>
            <button type="button" className={smallButtonClass} onClick={() => setEditing('job')}>
              Edit job<span className="sr-only"> {job.title}</span>
            </button>
            <button
              type="button"
              className={smallButtonClass}
              disabled={removeJob.isPending}
              onClick={() => {
                if (window.confirm(`Delete the job "${job.title}" and its lines?`)) removeJob.mutate({ id: ticketId, job_id: job.id });
              }}
            >
              Delete job<span className="sr-only"> {job.title}</span>
            </button>
          </div>
        )}
      </div>
    </section>
  );
}

interface JobFormProps {
  ticketId: number;
  /** The job to change; a new job when left out. */
  job?: Job;
  onDone: () => void;
}

/** A job's title, the customer's concern, the shop's cause and correction, who pays: a new job or a change to one. */
export function JobForm({ ticketId, job, onDone }: JobFormProps) {
  const trpc = useTRPC();
  const written = useTicketWritten();
  const initial = { title: job?.title ?? '', concern: job?.concern ?? '', cause: job?.cause ?? '', correction: job?.correction ?? '' };
  const [values, setValues] = useState(initial);
  const [payType, setPayType] = useState<PayType>(job?.pay_type ?? 'customer');
  const options = {
    onSuccess: (ticket: Parameters<typeof written>[0]) => {
      written(ticket);
      onDone();
    },
  };
  const add = useMutation(trpc.serviceTickets.addJob.mutationOptions(options));
  const edit = useMutation(trpc.serviceTickets.editJob.mutationOptions(options));
  const error = add.error ?? edit.error;
  const errors = error ? fieldErrors(error) : {};
  const saving = add.isPending || edit.isPending;
  const set = (field: keyof typeof initial) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!job) {
      add.mutate({ id: ticketId, title: values.title.trim(), concern: values.concern.trim(), pay_type: payType });
      return;
    }
    const changed = Object.fromEntries(
      (Object.keys(initial) as (keyof typeof initial)[])
        .filter((field) => values[field].trim() !== initial[field])
        .map((field) => [field, values[field].trim()]),
    );
    if (payType !== job.pay_type) changed.pay_type = payType;
    if (Object.keys(changed).length === 0) onDone();
    else edit.mutate({ id: ticketId, job_id: job.id, ...changed });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={job ? `Change the job ${job.title}` : 'New job'} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Job title" error={errors.title}>
          {(props) => <input {...props} value={values.title} onChange={set('title')} className={`${props.className} w-64`} />}
        </Field>
        <Field label="Who pays" error={errors.pay_type}>
          {(props) => (
            <select {...props} value={payType} onChange={(event) => setPayType(event.target.value as PayType)}>
              {Object.entries(PAY_TYPES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Concern (the customer's words)" error={errors.concern}>
        {(props) => <textarea {...props} rows={2} value={values.concern} onChange={set('concern')} />}
      </Field>
      {job && (
        <>
          <Field label="Cause" error={errors.cause}>
            {(props) => <textarea {...props} rows={2} value={values.cause} onChange={set('cause')} />}
          </Field>
          <Field label="Correction" error={errors.correction}>
            {(props) => <textarea {...props} rows={2} value={values.correction} onChange={set('correction')} />}
          </Field>
        </>
      )}
      {error && Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <div className="flex items-center gap-2">
        <button type="submit" className={smallButtonClass} disabled={saving}>
          {job ? 'Save job' : 'Add job'}
        </button>
        <button type="button" className={smallButtonClass} onClick={onDone}>
          Cancel
        </button>
        {saving && <Busy label="Saving the job" />}
      </div>
    </form>
  );
}
