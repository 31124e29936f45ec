import type { StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { lockServiceTicket, readSnapshot } from '../db/dialect.ts';
import type { Provider } from '../db/provider.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit } from '../events/outbox.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page } from '../shared/schemas.ts';
import { readSettings, type SettingsRow } from '../shop/shop.service.ts';
import { addJobRow, takeJobStock } from '../service-tickets/estimate.service.ts';
import { lineFields, priceJobs, type PricedJobRow } from '../service-tickets/estimate.view.ts';
import type { ServiceTicket, TicketStatus } from '../service-tickets/service-ticket.schemas.ts';
import { readTicket, recordTicketOpened, ticketEventData } from '../service-tickets/service-ticket.service.ts';
import type { AppServices } from '../app-services.ts';
import type { DeclinedJob, DeclinedWorkQuery, ReviveDeclinedJob } from './declined-work.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/** The follow-up list: jobs the customer declined that were not brought back. */
const STILL_DECLINED = { authorization: 'declined', revivedAt: null } satisfies Prisma.JobWhereInput;

const declinedJobFields = {
  id: true,
  title: true,
  authorization: true,
  decidedAt: true,
  declineReason: true,
  followUpOn: true,
  lines: { select: lineFields, orderBy: { id: 'asc' } },
  ticket: {
    select: {
      id: true,
      customer: { select: { id: true, name: true } },
      vehicle: { select: { id: true, vin: true, plate: true, year: true, make: true, model: true } },
    },
  },
} satisfies Prisma.JobSelect;

type DeclinedJobRow = Prisma.JobGetPayload<{ select: typeof declinedJobFields }>;

/** A declined job's amount: its own total, priced on its own (as the ticket shows a declined job), tax included. */
export function declinedAmountCents(job: PricedJobRow, settings: SettingsRow): number {
  return priceJobs([job], settings, 0).jobs[0]!.totals.total;
}

const calendarDay = (date: Date) => date.toISOString().slice(0, 10);

function toDeclinedJobView(row: DeclinedJobRow, settings: SettingsRow): DeclinedJob {
  return {
    job_id: row.id,
    title: row.title,
    service_ticket_id: row.ticket.id,
    vehicle: row.ticket.vehicle,
    customer: row.ticket.customer,
    amount: formatCents(declinedAmountCents(row, settings)),
    reason: row.declineReason,
    // A decline always records both (approvals/approval.service.ts).
    declined_at: row.decidedAt!.toISOString(),
    follow_up_on: calendarDay(row.followUpOn!),
  };
}

/**
 * The declined jobs not yet revived, the longest-due follow-up first, of one
 * customer or vehicle if asked, and due on or before `due_before`.
 */
export function listDeclinedWork(
  { db, provider }: Deps,
  { due_before, customer_id, vehicle_id, ...page }: DeclinedWorkQuery,
): Promise<Page<DeclinedJob>> {
  const where = {
    ...STILL_DECLINED,
    // Before the next day's midnight: the whole of `due_before`, whatever time of day a follow-up holds.
    ...(due_before ? { followUpOn: { lt: new Date(Date.parse(`${due_before}T00:00:00.000Z`) + 86_400_000) } } : {}),
    ...(customer_id || vehicle_id ? { ticket: { customerId: customer_id, vehicleId: vehicle_id } } : {}),
  } satisfies Prisma.JobWhereInput;
  return readSnapshot(db, provider, async (tx) => {
    const rows = await tx.job.findMany({
      where,
      select: declinedJobFields,
      orderBy: [{ followUpOn: 'asc' }, { id: 'asc' }],
      ...pageWindow(page),
    });
    const total = await tx.job.count({ where });
    const settings = await readSettings(tx);
    return toPage(
      rows.map((row) => toDeclinedJobView(row, settings)),
      total,
      page,
    );
  });
}

const revivedJobFields = {
  id: true,
  title: true,
  concern: true,
  payType: true,
  authorization: true,
  revivedAt: true,
  revivedIntoTicketId: true,
  lines: { select: lineFields, orderBy: { id: 'asc' } },
  ticket: { select: { vehicle: { select: { id: true, customerId: true } } } },
} satisfies Prisma.JobSelect;

type RevivedJobRow = Prisma.JobGetPayload<{ select: typeof revivedJobFields }>;

const OPEN_STATUSES: readonly TicketStatus[] = ['PENDING', 'IN_PROGRESS'];

function jobNotFound(id: number): AppError {
  return new AppError('not_found', `No job with id ${id}`);
}

function ticketNotFound(id: number): AppError {
  return new AppError('not_found', `No service ticket with id ${id}`);
}

/**
 * Brings a declined job back as new, pending work: a copy of it (title,
 * concern, pay type) with its lines at today's prices goes into the open ticket
 * given, of the same vehicle, or into a new PENDING ticket for the vehicle and
 * its customer. The declined job is marked revived and leaves the follow-up
 * list; the answer is the ticket the copy went into.
 */
export async function reviveDeclinedJob(
  { db, provider }: Deps,
  caller: StaffPrincipal,
  { job_id, service_ticket_id }: ReviveDeclinedJob,
): Promise<ServiceTicket> {
  // The job's ticket is read before the transaction (a job never moves): on MySQL
  // the first plain read of a transaction fixes what its later reads see, and
  // those must come after the locks.
  const source = await db.job.findUnique({ where: { id: job_id }, select: { serviceTicketId: true } });
  if (!source) throw jobNotFound(job_id);
  return inTransaction(db, async (tx) => {
    // Both tickets locked, in id order so that two revivals cannot deadlock: a
    // second revival of the job waits for the first, then finds it revived.
    const locked = [...new Set([source.serviceTicketId, service_ticket_id ?? source.serviceTicketId])].sort((a, b) => a - b);
    for (const id of locked) {
      if (!(await lockServiceTicket(tx, provider, id))) throw id === service_ticket_id ? ticketNotFound(id) : jobNotFound(job_id);
    }
    const job = await tx.job.findUnique({ where: { id: job_id }, select: revivedJobFields });
    if (!job) throw jobNotFound(job_id);
    if (job.authorization !== 'declined') {
      throw new AppError('job_not_declined', `Job ${job_id} is ${job.authorization}; only a declined job is revived`);
    }
    if (job.revivedAt) {
      throw new AppError('already_revived', `Job ${job_id} was revived into service ticket ${job.revivedIntoTicketId} already`);
    }
    const ticketId = service_ticket_id === undefined ? await openTicketFor(tx, job) : await requireOpenTicket(tx, service_ticket_id, job);
    if (service_ticket_id === undefined) await recordTicketOpened(tx, provider, caller, ticketId);
    const copyId = await copyJob(tx, job, ticketId);
    await tx.job.update({ where: { id: job_id }, data: { revivedAt: new Date(), revivedIntoTicketId: ticketId }, select: { id: true } });
    await recordRevival(tx, provider, caller, { jobId: job_id, ticketId: source.serviceTicketId }, { jobId: copyId, ticketId });
    return readTicket(tx, provider, ticketId, caller, { withinLimit: true });
  });
}

/**
 * A revival's audit, in both tickets' histories, and the `estimate.updated` of
 * the ticket the copy went into (a new offer there).
 */
async function recordRevival(
  tx: Transaction,
  provider: Provider,
  caller: StaffPrincipal,
  declined: { jobId: number; ticketId: number },
  copy: { jobId: number; ticketId: number },
): Promise<void> {
  const changes = diffFields({ revived_into_ticket_id: null }, { revived_into_ticket_id: copy.ticketId });
  const subject = { type: 'job', id: declined.jobId };
  await recordAudit(tx, { actor: caller, subject, action: 'job.revived', changes, serviceTicketId: declined.ticketId });
  const ticket = await ticketEventData(tx, provider, copy.ticketId);
  const added = ticket.jobs.find(({ id }) => id === copy.jobId)!;
  const target = { type: 'service_ticket', id: copy.ticketId };
  await emitEvent(tx, { type: 'estimate.updated', actor: caller, subject: target, data: ticket });
  await recordAudit(tx, {
    actor: caller,
    subject: target,
    action: 'estimate.updated',
    changes: { [`jobs.${copy.jobId}`]: { before: null, after: added }, revived_from_job_id: { before: null, after: declined.jobId } },
    serviceTicketId: copy.ticketId,
  });
}

/** The ticket a revived job may go into: open for work (so not invoiced: only a COMPLETED ticket is), and on the job's vehicle. */
async function requireOpenTicket(tx: Transaction, ticketId: number, job: RevivedJobRow): Promise<number> {
  const ticket = await tx.serviceTicket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true, vehicleId: true } });
  if (ticket.vehicleId !== job.ticket.vehicle.id) {
    throw new AppError(
      'vehicle_mismatch',
      `Service ticket ${ticketId} is for another vehicle than job ${job.id} (${job.ticket.vehicle.id})`,
    );
  }
  if (!OPEN_STATUSES.includes(ticket.status)) {
    throw new AppError(
      'ticket_not_open',
      `Service ticket ${ticketId} is ${ticket.status}; a revived job goes on a PENDING or IN_PROGRESS one`,
    );
  }
  return ticketId;
}

/** A new PENDING ticket for the job's vehicle and the vehicle's customer, titled after the job, booked today. */
async function openTicketFor(tx: Transaction, job: RevivedJobRow): Promise<number> {
  const { id } = await tx.serviceTicket.create({
    data: {
      customerId: job.ticket.vehicle.customerId,
      vehicleId: job.ticket.vehicle.id,
      title: job.title,
      description: job.concern,
      serviceDate: new Date(`${calendarDay(new Date())}T00:00:00.000Z`),
    },
    select: { id: true },
  });
  return id;
}

/**
 * Copies a job into a ticket as a new pending job, its lines at today's prices:
 * labor at the shop's labor rate (without the technician of the old offer),
 * parts at the item's price and taken from stock (409 when short), fees and
 * sublet work as they were; discounts are kept. The ticket's estimate changes.
 */
async function copyJob(tx: Transaction, job: RevivedJobRow, ticketId: number): Promise<number> {
  const { laborRateCents } = await readSettings(tx);
  const partIds = job.lines.flatMap((line) => (line.type === 'part' ? [line.inventoryId!] : []));
  const prices = new Map(
    (await tx.inventoryItem.findMany({ where: { id: { in: partIds } }, select: { id: true, priceCents: true } })).map((item) => [
      item.id,
      item.priceCents,
    ]),
  );
  const { id: jobId } = await addJobRow(tx, ticketId, { title: job.title, concern: job.concern, payType: job.payType });
  await tx.line.createMany({
    data: job.lines.map((line) => ({
      jobId,
      type: line.type,
      description: line.description,
      hoursHundredths: line.hoursHundredths,
      rateCents: line.type === 'labor' ? laborRateCents : null,
      inventoryId: line.inventoryId,
      quantity: line.quantity,
      unitPriceCents: line.type === 'part' ? prices.get(line.inventoryId!)! : null,
      amountCents: line.amountCents,
      costCents: line.costCents,
      taxable: line.taxable,
      discountPercentThousandths: line.discountPercentThousandths,
      discountCents: line.discountCents,
    })),
  });
  await takeJobStock(tx, jobId);
  await tx.serviceTicket.update({
    where: { id: ticketId },
    data: { estimateVersion: { increment: 1 }, updatedAt: new Date() },
    select: { id: true },
  });
  return jobId;
}
