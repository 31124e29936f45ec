import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { RouterInputs } from '@mechanic-shop/sdk';
import { useTRPC } from '../../api.ts';
import { Busy, ErrorNotice, Field, fieldErrors, problemCodeOf } from '../../ui/index.ts';
import type { Ticket } from '../board/board-rules.ts';
import { decisionsToSend, initialChoices, reasonErrorOf, type Choices, type DecisionKind, type Decisions } from '../approve/decisions.ts';
import { buttonClass } from './styles.ts';

type StaffMethod = Exclude<NonNullable<RouterInputs['approvals']['create']['method']>, 'portal'>;
const METHODS = { in_person: 'In person', phone: 'By phone', text: 'By text message', email: 'By email' } as const satisfies Record<
  StaffMethod,
  string
>;

/**
 * The customer's decisions as they gave them at the counter or on the phone, recorded by the shop on their behalf
 * (`approvals.create` with how they said it), on the estimate version on screen: a changed estimate is the API's 409.
 */
export function RecordApproval({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [choices, setChoices] = useState<Choices>(() => initialChoices(ticket.jobs));
  const [method, setMethod] = useState<StaffMethod>('in_person');
  const [values, setValues] = useState({ signature_name: '', contact_name: '', contact_phone: '' });
  const [sent, setSent] = useState<Decisions>([]);
  const [nothing, setNothing] = useState(false);
  const record = useMutation(
    trpc.approvals.create.mutationOptions({
      onSuccess: () => {
        for (const filter of [
          trpc.serviceTickets.pathFilter(),
          trpc.approvals.list.pathFilter(),
          trpc.audit.ticketHistory.pathFilter(),
          trpc.inventory.list.pathFilter(),
        ])
          void queryClient.invalidateQueries(filter);
        onDone();
      },
      onError: (error) => {
        // The estimate changed since it was shown: fetch the new figures, for the customer to decide on.
        if (problemCodeOf(error) === 'estimate_changed')
          void queryClient.invalidateQueries(trpc.serviceTickets.byId.queryFilter({ id: ticket.id }));
      },
    }),
  );
  const errors = record.error ? fieldErrors(record.error) : {};
  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  const choose = (jobId: number, change: { decision?: DecisionKind | ''; reason?: string }) =>
    setChoices((current) => {
      const next = { decision: 'approve' as DecisionKind, reason: '', ...current[jobId], ...change };
      if (next.decision === '') return { ...current, [jobId]: undefined };
      return { ...current, [jobId]: { decision: next.decision, reason: next.reason } };
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const decisions = decisionsToSend(ticket.jobs, choices);
    setNothing(decisions.length === 0);
    if (decisions.length === 0) return;
    setSent(decisions);
    const contact = method === 'phone' ? { contact_name: values.contact_name.trim(), contact_phone: values.contact_phone.trim() } : {};
    record.mutate({
      id: ticket.id,
      estimate_version: ticket.estimate_version,
      decisions,
      signature_name: values.signature_name.trim(),
      method,
      ...contact,
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Record the customer's decision" className="flex flex-col gap-3 rounded bg-slate-50 p-3">
      <p className="text-sm">On estimate version {ticket.estimate_version}, as the customer sees it now.</p>
      {ticket.jobs.map((job) => {
        const choice = choices[job.id];
        return (
          <div key={job.id} className="flex flex-wrap items-end gap-3">
            <Field label={`Decision on ${job.title}`}>
              {(props) => (
                <select
                  {...props}
                  value={choice?.decision ?? ''}
                  onChange={(event) => choose(job.id, { decision: event.target.value as DecisionKind | '' })}
                >
                  <option value="">Not decided</option>
                  <option value="approve">Approve</option>
                  <option value="decline">Decline</option>
                </select>
              )}
            </Field>
            {choice?.decision === 'decline' && (
              <Field label={`Reason (${job.title}, optional)`} error={reasonErrorOf(job.id, sent, errors)}>
                {(props) => <input {...props} value={choice.reason} onChange={(event) => choose(job.id, { reason: event.target.value })} />}
              </Field>
            )}
          </div>
        );
      })}
      <div className="flex flex-wrap items-end gap-3">
        <Field label="How the customer told you" error={errors.method}>
          {(props) => (
            <select {...props} value={method} onChange={(event) => setMethod(event.target.value as StaffMethod)}>
              {Object.entries(METHODS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="The customer's name, as they gave it" error={errors.signature_name}>
          {(props) => <input {...props} value={values.signature_name} onChange={set('signature_name')} />}
        </Field>
        {method === 'phone' && (
          <>
            <Field label="Who you spoke to" error={errors.contact_name}>
              {(props) => <input {...props} value={values.contact_name} onChange={set('contact_name')} />}
            </Field>
            <Field label="Number called" error={errors.contact_phone}>
              {(props) => <input {...props} type="tel" value={values.contact_phone} onChange={set('contact_phone')} />}
            </Field>
          </>
        )}
      </div>
      {nothing && (
        <p role="alert" className="text-sm text-red-800">
          Choose a decision for at least one job whose decision changes.
        </p>
      )}
      {record.isError && Object.keys(errors).length === 0 && <ErrorNotice error={record.error} />}
      <div className="flex items-center gap-2">
        <button type="submit" className={buttonClass} disabled={record.isPending}>
          Record the decision
        </button>
        <button type="button" className={buttonClass} onClick={onDone}>
          Cancel
        </button>
        {record.isPending && <Busy label="Recording the decision" />}
      </div>
    </form>
  );
}
