import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Busy, ErrorNotice, Field, fieldErrors, StatusBadge } from '../../ui/index.ts';
import {
  decisionsToSend,
  initialChoices,
  reasonErrorOf,
  type Choice,
  type Choices,
  type Decisions,
  type EstimateJob,
  type EstimateTotals,
} from './decisions.ts';
import { JobLines, TotalsTable } from './Estimate.tsx';

export interface DecisionFormProps {
  jobs: readonly EstimateJob[];
  totals: EstimateTotals;
  /** Records the decisions; its rejection is shown (field errors next to their fields). */
  onSubmit: (decisions: Decisions, signatureName: string) => Promise<unknown>;
  /** An error the form does not raise itself, shown above the button (e.g. the estimate changed). */
  notice?: ReactNode;
}

/**
 * The estimate as the customer decides on it: each job with its lines and figures, approve or decline (with a reason),
 * the customer's name as a signature, one button. Used by the approval link page and the customer portal.
 */
export function DecisionForm({ jobs, totals, onSubmit, notice }: DecisionFormProps) {
  const [choices, setChoices] = useState<Choices>(() => initialChoices(jobs));
  const [signature, setSignature] = useState('');
  const [sent, setSent] = useState<Decisions>([]);
  const [error, setError] = useState<unknown>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const formId = useId();
  const errors = error ? fieldErrors(error) : {};

  const choose = (jobId: number, change: Partial<Choice>) =>
    setChoices((current) => ({ ...current, [jobId]: { decision: 'approve', reason: '', ...current[jobId], ...change } }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const decisions = decisionsToSend(jobs, choices);
    setError(null);
    if (decisions.length === 0) {
      setFormError('Choose approve or decline for at least one job whose decision you want to record or change.');
      return;
    }
    setFormError(null);
    setSent(decisions);
    setSubmitting(true);
    try {
      await onSubmit(decisions, signature);
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-describedby={formError ? `${formId}-error` : undefined} noValidate>
      <ol className="space-y-6">
        {jobs.map((job) => {
          const choice = choices[job.id];
          const reasonError = reasonErrorOf(job.id, sent, errors);
          return (
            <li key={job.id} className="rounded border border-slate-300 p-3 sm:p-4">
              {/* min-w-0: a fieldset is as wide as its content by default, which would push a wide table out of the card. */}
              <fieldset className="min-w-0">
                <legend className="text-lg font-semibold">{job.title}</legend>
                <p className="mt-1">
                  <StatusBadge status={job.authorization} />
                </p>
                {job.concern && <p className="mt-2 text-slate-800">Your concern: {job.concern}</p>}
                <div className="mt-3">
                  <JobLines job={job} />
                </div>
                <div className="mt-3">
                  <TotalsTable totals={job.totals} caption={`${job.title}: figures`} />
                </div>
                <div className="mt-3 flex gap-6" role="radiogroup" aria-label={`Your decision on ${job.title}`}>
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name={`${formId}-job-${job.id}`}
                      checked={choice?.decision === 'approve'}
                      onChange={() => choose(job.id, { decision: 'approve' })}
                    />
                    Approve
                  </label>
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name={`${formId}-job-${job.id}`}
                      checked={choice?.decision === 'decline'}
                      onChange={() => choose(job.id, { decision: 'decline' })}
                    />
                    Decline
                  </label>
                </div>
                {choice?.decision === 'decline' && (
                  <Field label="Why are you declining? (optional)" error={reasonError}>
                    {(props) => (
                      <input
                        {...props}
                        type="text"
                        maxLength={500}
                        value={choice.reason}
                        onChange={(event) => choose(job.id, { reason: event.target.value })}
                      />
                    )}
                  </Field>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="mt-6">
        <TotalsTable totals={totals} caption="Estimate total (declined jobs left out)" taxByCategory />
      </div>
      <div className="mt-6 max-w-sm">
        <Field label="Your full name, as your signature" error={errors.signature_name}>
          {(props) => (
            <input
              {...props}
              type="text"
              autoComplete="name"
              required
              value={signature}
              onChange={(event) => setSignature(event.target.value)}
            />
          )}
        </Field>
      </div>
      {formError && (
        <p id={`${formId}-error`} role="alert" className="mt-4 text-red-800">
          {formError}
        </p>
      )}
      {notice}
      {error !== null && Object.keys(errors).length === 0 && <ErrorNotice error={error} />}
      <button
        type="submit"
        disabled={submitting}
        className="mt-4 rounded bg-blue-800 px-4 py-2 font-semibold text-white disabled:opacity-60"
      >
        Send my decisions
      </button>
      {submitting && <Busy label="Recording your decisions" />}
    </form>
  );
}
