import type { RouterInputs, RouterOutputs } from '@mechanic-shop/sdk';

/** A job as the customer decides on it: what an approval link shows, which a ticket's own jobs also carry. */
export type EstimateJob = RouterOutputs['approvalLinks']['view']['jobs'][number];
export type EstimateTotals = RouterOutputs['approvalLinks']['view']['totals'];
export type EstimateLine = EstimateJob['lines'][number];
export type Decisions = RouterInputs['approvalLinks']['approve']['decisions'];
export type DecisionKind = Decisions[number]['decision'];

/** What the customer has chosen on the page for one job (the reason counts for a decline only). */
export interface Choice {
  decision: DecisionKind;
  reason: string;
}

/** The page's choices by job id; a job without one is left as it is. */
export type Choices = Partial<Record<number, Choice>>;

/** The choices a page starts from: each job's recorded decision, so that a customer sees what they said and may change it. */
export function initialChoices(jobs: readonly EstimateJob[]): Choices {
  const choices: Choices = {};
  for (const job of jobs) {
    if (job.authorization === 'approved') choices[job.id] = { decision: 'approve', reason: '' };
    if (job.authorization === 'declined') choices[job.id] = { decision: 'decline', reason: job.decline_reason ?? '' };
  }
  return choices;
}

const RECORDED: Record<EstimateJob['authorization'], DecisionKind | undefined> = {
  pending: undefined,
  approved: 'approve',
  declined: 'decline',
};

/**
 * The decisions to send: only the jobs whose choice differs from what is recorded (a decline whose reason changed
 * counts), in the order of the jobs, so that nothing already decided is recorded twice. The API's field errors name
 * a decision by its index in this list (`decisions.1.reason`).
 */
export function decisionsToSend(jobs: readonly EstimateJob[], choices: Choices): Decisions {
  return jobs.flatMap((job) => {
    const choice = choices[job.id];
    if (!choice) return [];
    const reason = choice.reason.trim();
    const unchanged =
      RECORDED[job.authorization] === choice.decision && (choice.decision === 'approve' || reason === (job.decline_reason ?? ''));
    if (unchanged) return [];
    return [{ job_id: job.id, decision: choice.decision, ...(choice.decision === 'decline' && reason ? { reason } : {}) }];
  });
}

/** The API's error for a job's reason, found by the index of its decision in what was sent. */
export function reasonErrorOf(jobId: number, sent: Decisions, errors: Record<string, string>): string | undefined {
  const index = sent.findIndex((decision) => decision.job_id === jobId);
  return index < 0 ? undefined : errors[`decisions.${index}.reason`];
}

/** What a line is, in words: the part's name, or the line's description. */
export function lineLabel(line: EstimateLine): string {
  switch (line.type) {
    case 'labor':
      return line.description || 'Labor';
    case 'part':
      return line.part_name ?? line.description;
    case 'fee':
    case 'sublet':
      return line.description;
  }
}

/** An amount of the API ("12.34") in cents: the figures are added up exactly, never as floats. */
const cents = (amount: string) => Math.round(Number(amount) * 100);

/**
 * A ticket's flat charge: the part of its subtotal that no category holds (the engine's rule: subtotal = line nets +
 * shop supplies + the flat cost). Derived here because an approval link shows the totals, not the cost; 0 for a job.
 */
export function flatCharge(totals: EstimateTotals): string {
  const categories = [totals.labor, totals.parts, totals.fees, totals.sublet, totals.shop_supplies].reduce(
    (sum, amount) => sum + cents(amount),
    0,
  );
  return ((cents(totals.subtotal) - categories) / 100).toFixed(2);
}
