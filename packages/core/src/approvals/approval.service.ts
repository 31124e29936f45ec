import type { Principal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { lockServiceTicket, readSnapshot } from '../db/dialect.ts';
import type { Provider } from '../db/provider.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError, type FieldError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit } from '../events/outbox.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page } from '../shared/schemas.ts';
import { readSettings } from '../shop/shop.service.ts';
import { requireNotInvoiced, restockJob, takeJobStock } from '../service-tickets/estimate.service.ts';
import { jobsOfTicket, priceJobs, type JobRow } from '../service-tickets/estimate.view.ts';
import { assertTotalWithinLimit, ticketEventData } from '../service-tickets/service-ticket.service.ts';
import type { RequestInfo } from '../trpc/context.ts';
import type { AppServices } from '../app-services.ts';
import {
  type STAFF_APPROVAL_METHODS,
  type Approval,
  type ApprovalMethod,
  type ApprovalQuery,
  type DecisionInput,
  type NewApproval,
} from './approval.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

const approvalFields = {
  id: true,
  serviceTicketId: true,
  estimateVersion: true,
  method: true,
  recordedByKind: true,
  recordedById: true,
  contactName: true,
  contactPhone: true,
  signatureName: true,
  approvedAmountCents: true,
  clientIp: true,
  userAgent: true,
  createdAt: true,
  decisions: {
    select: { jobId: true, jobTitle: true, decision: true, reason: true, amountCents: true },
    orderBy: { id: 'asc' },
  },
} satisfies Prisma.ApprovalSelect;

export type ApprovalRow = Prisma.ApprovalGetPayload<{ select: typeof approvalFields }>;

export function toApprovalView(row: ApprovalRow): Approval {
  return {
    id: row.id,
    service_ticket_id: row.serviceTicketId,
    estimate_version: row.estimateVersion,
    method: row.method,
    recorded_by: { kind: row.recordedByKind, id: row.recordedById },
    contact_name: row.contactName,
    contact_phone: row.contactPhone,
    signature_name: row.signatureName,
    decisions: row.decisions.map((decision) => ({
      job_id: decision.jobId,
      job_title: decision.jobTitle,
      decision: decision.decision,
      reason: decision.reason,
      amount: formatCents(decision.amountCents),
    })),
    approved_amount: formatCents(row.approvedAmountCents),
    client_ip: row.clientIp,
    user_agent: row.userAgent,
    created_at: row.createdAt.toISOString(),
  };
}

/** The sizes of the request's columns: longer values are kept cut to them. */
const CLIENT_IP_MAX_LENGTH = 45;
const USER_AGENT_MAX_LENGTH = 255;

/** An approval to record, whoever records it: a customer in the portal, staff, or an approval link. */
export interface ApprovalInput {
  /** The ticket's estimate_version (as the API shows it) the decisions were made on. */
  estimateVersion: number;
  decisions: DecisionInput[];
  signatureName: string;
  method: ApprovalMethod;
  contactName?: string;
  contactPhone?: string;
  /** A customer may record approvals of their own tickets only (404 otherwise). */
  recordedBy: { kind: 'customer' | 'staff'; id: number };
  clientIp: string;
  userAgent: string;
}

function ticketNotFound(id: number): AppError {
  return new AppError('not_found', `No service ticket with id ${id}`);
}

/** The day a declined job is followed up: the decline day (UTC) plus the shop's delay, as a date at midnight UTC. */
function followUpDay(declinedAt: Date, days: number): Date {
  const day = new Date(Date.UTC(declinedAt.getUTCFullYear(), declinedAt.getUTCMonth(), declinedAt.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + days);
  return day;
}

/**
 * The ticket an approval is recorded on, locked (again, if the caller did:
 * that is harmless), once it is known to take it, checked in this order: the
 * ticket exists (and is the customer's, for a customer), has no live invoice,
 * is not cancelled, and is at `estimateVersion` (409 estimate_changed with
 * `current_estimate_version` otherwise: an approval never covers a price the
 * customer did not see); every job named is on it (404 naming them); no
 * declined job brought back into another ticket is approved (409
 * already_revived: its copy there is the offer now).
 */
async function ticketTaking(tx: Transaction, provider: Provider, ticketId: number, input: ApprovalInput) {
  if (!(await lockServiceTicket(tx, provider, ticketId))) throw ticketNotFound(ticketId);
  const ticket = await tx.serviceTicket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { customerId: true, status: true, estimateVersion: true, costCents: true, jobs: jobsOfTicket },
  });
  if (input.recordedBy.kind === 'customer' && ticket.customerId !== input.recordedBy.id) throw ticketNotFound(ticketId);
  await requireNotInvoiced(tx, ticketId);
  if (ticket.status === 'CANCELLED') throw new AppError('ticket_cancelled', `Service ticket ${ticketId} is cancelled`);
  const settings = await readSettings(tx);
  const version = ticket.estimateVersion + settings.pricingVersion;
  if (input.estimateVersion !== version) {
    throw new AppError(
      'estimate_changed',
      `The estimate is at version ${version}, not ${input.estimateVersion}: review it and decide on the current one`,
      { details: { current_estimate_version: version } },
    );
  }
  const jobs = new Map(ticket.jobs.map((job) => [job.id, job]));
  const unknown = input.decisions.flatMap(({ job_id }, index): FieldError[] =>
    jobs.has(job_id) ? [] : [{ field: `decisions.${index}.job_id`, message: `No job ${job_id} on service ticket ${ticketId}` }],
  );
  if (unknown.length > 0) {
    const ids = input.decisions.filter(({ job_id }) => !jobs.has(job_id)).map(({ job_id }) => job_id);
    throw new AppError('not_found', `No job ${ids.join(', ')} on service ticket ${ticketId}; nothing was recorded`, { fields: unknown });
  }
  for (const { job_id, decision } of input.decisions) {
    const job = jobs.get(job_id)!;
    if (decision === 'approve' && job.authorization === 'declined' && job.revivedAt !== null) {
      throw new AppError('already_revived', `Job ${job_id} was declined and brought back into another ticket: approve it there`);
    }
  }
  return { ticket, jobs, settings, version };
}

/**
 * One decision reaches its job, changing any earlier one. An approved job holds
 * its parts (a declined one approved again takes them from stock, 409
 * insufficient_stock when short); a declined one puts them back, with its
 * reason and its follow-up day.
 */
async function applyDecision(
  tx: Transaction,
  { job_id, decision, reason }: DecisionInput,
  before: JobRow['authorization'],
  decided: { decidedAt: Date; approvalId: number; followUpOn: Date },
): Promise<void> {
  const { followUpOn, ...decidedBy } = decided;
  if (decision === 'approve') {
    if (before === 'declined') await takeJobStock(tx, job_id);
    await tx.job.update({
      where: { id: job_id },
      data: { authorization: 'approved', ...decidedBy, declineReason: null, followUpOn: null },
      select: { id: true },
    });
    return;
  }
  if (before !== 'declined') await restockJob(tx, job_id);
  await tx.job.update({
    where: { id: job_id },
    data: { authorization: 'declined', ...decidedBy, declineReason: reason ?? null, followUpOn },
    select: { id: true },
  });
}

/**
 * Records an approval of ticket `ticketId`, in the caller's transaction: the
 * one way decisions reach jobs (the portal, staff, approval links), once the
 * ticket takes it (`ticketTaking`). The estimate_version stays: a decision
 * prices nothing. Amounts: an approved job's is its total with its shares of
 * shop supplies and tax among all the jobs approved after this record, which
 * sum to `approved_amount` (what the customer has authorized in all); a
 * declined job's is its own total, as the ticket shows it.
 */
export async function recordApproval(tx: Transaction, provider: Provider, ticketId: number, input: ApprovalInput): Promise<Approval> {
  const { ticket, jobs, settings, version } = await ticketTaking(tx, provider, ticketId, input);
  const decided = new Map(input.decisions.map((decision) => [decision.job_id, decision.decision]));
  const after: JobRow[] = ticket.jobs.map((job) => {
    const decision = decided.get(job.id);
    return decision ? { ...job, authorization: decision === 'approve' ? 'approved' : 'declined' } : job;
  });
  // Approving declined work again adds it to the ticket's total, which stays within its limit.
  assertTotalWithinLimit(priceJobs(after, settings, ticket.costCents).totals.total);
  const approved = after.filter((job) => job.authorization === 'approved');
  const pricedApproved = priceJobs(approved, settings, 0);
  const amountOf = (jobId: number): number => {
    const index = approved.findIndex(({ id }) => id === jobId);
    return index >= 0 ? pricedApproved.jobs[index]!.totals.total : priceJobs([jobs.get(jobId)!], settings, 0).jobs[0]!.totals.total;
  };

  const now = new Date();
  const approval = await tx.approval.create({
    data: {
      serviceTicketId: ticketId,
      estimateVersion: version,
      method: input.method,
      recordedByKind: input.recordedBy.kind,
      recordedById: input.recordedBy.id,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
      signatureName: input.signatureName,
      approvedAmountCents: pricedApproved.totals.total,
      clientIp: input.clientIp.slice(0, CLIENT_IP_MAX_LENGTH),
      userAgent: input.userAgent.slice(0, USER_AGENT_MAX_LENGTH),
      createdAt: now,
      decisions: {
        create: input.decisions.map(({ job_id, decision, reason }) => ({
          jobId: job_id,
          jobTitle: jobs.get(job_id)!.title,
          decision,
          reason: reason ?? null,
          amountCents: amountOf(job_id),
        })),
      },
    },
    select: approvalFields,
  });
  const followUpOn = followUpDay(now, settings.declinedFollowUpDays);
  for (const decision of input.decisions) {
    await applyDecision(tx, decision, jobs.get(decision.job_id)!.authorization, { decidedAt: now, approvalId: approval.id, followUpOn });
  }
  const view = toApprovalView(approval);
  await recordApprovalEvents(tx, provider, input.recordedBy, view, jobs);
  return view;
}

/** The approval's fields its audit entry shows; contact_*, client_ip and user_agent are hidden from the customer. */
const AUDITED_APPROVAL_FIELDS = [
  'estimate_version',
  'method',
  'signature_name',
  'approved_amount',
  'contact_name',
  'contact_phone',
  'client_ip',
  'user_agent',
] as const;

/**
 * An approval's events and audit, which the ticket's customer sees: the
 * approval recorded, then one `job.approved` or `job.declined` per decision,
 * with the job as the ticket shows it after the decision.
 */
async function recordApprovalEvents(
  tx: Transaction,
  provider: Provider,
  actor: ApprovalInput['recordedBy'],
  approval: Approval,
  jobsBefore: Map<number, JobRow>,
): Promise<void> {
  const ticketId = approval.service_ticket_id;
  const audit = { actor, serviceTicketId: ticketId, customerVisible: true };
  const changes = diffFields(null, approval, AUDITED_APPROVAL_FIELDS);
  await recordAudit(tx, { ...audit, subject: { type: 'approval', id: approval.id }, action: 'approval.recorded', changes });
  const ticket = await ticketEventData(tx, provider, ticketId);
  for (const { job_id, decision } of approval.decisions) {
    const job = ticket.jobs.find(({ id }) => id === job_id)!;
    const type = decision === 'approve' ? 'job.approved' : 'job.declined';
    const subject = { type: 'job', id: job_id };
    await emitEvent(tx, { type, actor, subject, data: job });
    const { authorization, declineReason, followUpOn } = jobsBefore.get(job_id)!;
    const before = { authorization, decline_reason: declineReason, follow_up_on: followUpOn?.toISOString().slice(0, 10) ?? null };
    const jobChanges = diffFields(before, job, ['authorization', 'decline_reason', 'follow_up_on']);
    await recordAudit(tx, { ...audit, subject, action: type, changes: jobChanges });
  }
}

/**
 * How `caller` records an approval: a customer in the portal (sending no method
 * or contact fields), owners and service writers on the customer's behalf
 * (with a method; a phone call with the person and number called).
 * Technicians do not deal with customers' authorizations (403).
 */
function recorderOf(
  caller: Principal,
  { method, contact_name, contact_phone }: Pick<NewApproval, 'method' | 'contact_name' | 'contact_phone'>,
): Pick<ApprovalInput, 'method' | 'recordedBy'> {
  if (caller.role === 'customer') {
    const sent = Object.entries({ method: method === 'portal' ? undefined : method, contact_name, contact_phone }).filter(
      ([, value]) => value !== undefined,
    );
    if (sent.length > 0) {
      throw new AppError('validation_failed', 'A customer approves in the portal: method portal or none, no contact fields', {
        fields: sent.map(([field]) => ({ field, message: 'Staff only: for an approval recorded on the customer’s behalf' })),
      });
    }
    return { method: 'portal', recordedBy: { kind: 'customer', id: caller.id } };
  }
  if (caller.staffRole === 'technician') {
    throw new AppError('forbidden', "Technicians do not record customers' approvals; owners and service writers do");
  }
  const missing = [
    ...(method === undefined || method === 'portal'
      ? [{ field: 'method', message: 'Required of staff: in_person, phone, text or email (portal is the customer’s own)' }]
      : []),
    ...(method === 'phone' && contact_name === undefined
      ? [{ field: 'contact_name', message: 'Required with phone: the person spoken to' }]
      : []),
    ...(method === 'phone' && contact_phone === undefined
      ? [{ field: 'contact_phone', message: 'Required with phone: the number called' }]
      : []),
  ];
  if (missing.length > 0)
    throw new AppError('validation_failed', 'An approval recorded by staff says how it was given', { fields: missing });
  return { method: method as (typeof STAFF_APPROVAL_METHODS)[number], recordedBy: { kind: 'staff', id: caller.id } };
}

export function createApproval(
  { db, provider }: Deps,
  caller: Principal,
  request: Pick<RequestInfo, 'clientIp' | 'userAgent'>,
  { id, estimate_version, decisions, signature_name, method, contact_name, contact_phone }: NewApproval,
): Promise<Approval> {
  const recorder = recorderOf(caller, { method, contact_name, contact_phone });
  return inTransaction(db, (tx) =>
    recordApproval(tx, provider, id, {
      ...recorder,
      estimateVersion: estimate_version,
      decisions,
      signatureName: signature_name,
      contactName: contact_name,
      contactPhone: contact_phone,
      clientIp: request.clientIp,
      userAgent: request.userAgent,
    }),
  );
}

/** A ticket's approvals, newest first: staff, or the ticket's customer (another customer's ticket is a 404). */
export function listApprovals({ db, provider }: Deps, caller: Principal, { id, ...page }: ApprovalQuery): Promise<Page<Approval>> {
  return readSnapshot(db, provider, async (tx) => {
    const ticket = await tx.serviceTicket.findUnique({ where: { id }, select: { customerId: true } });
    if (!ticket || (caller.role === 'customer' && ticket.customerId !== caller.id)) throw ticketNotFound(id);
    const rows = await tx.approval.findMany({
      where: { serviceTicketId: id },
      select: approvalFields,
      orderBy: { id: 'desc' },
      ...pageWindow(page),
    });
    const total = await tx.approval.count({ where: { serviceTicketId: id } });
    return toPage(rows.map(toApprovalView), total, page);
  });
}
