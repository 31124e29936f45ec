import type { StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { lockServiceTicket } from '../db/dialect.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { alertIfStockTakenLow } from '../inventory/inventory.service.ts';
import { diffFields, emitEvent, recordAudit, type FieldChanges } from '../events/outbox.ts';
import { MAX_QUANTITY } from '../shared/limits.ts';
import { readSettings } from '../shop/shop.service.ts';
import type { AppServices } from '../app-services.ts';
import {
  lineFieldErrors,
  PRICING_FIELDS,
  type JobAuthorization,
  type JobEdit,
  type LineEdit,
  type NewJob,
  type NewLine,
} from './estimate.schemas.ts';
import type { NewPartLine, ServiceTicket } from './service-ticket.schemas.ts';
import { requireAssignedTechnician, ticketEventView, writeAnswer } from './service-ticket.service.ts';
import { readTicketDocument, type TicketRead, type TicketRow } from './ticket-document.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/** The job a seed-style part line goes to when the ticket has none. */
export const GENERAL_JOB_TITLE = 'General';

/**
 * Every change to a ticket's estimate: the ticket is locked (so writes to one
 * ticket run one at a time, and its stock moves with them), a technician must be
 * assigned to it, the change runs, the ticket's estimate_version goes up, and
 * the answer is the ticket, whose total must stay within its limit. `change`
 * gets the ticket as it was read under the lock (its jobs and lines): the
 * changes find their job and lines there rather than asking the database again.
 * The ticket is read once before and once after the change: the event, the
 * audit entry and the answer are all views of the one read after it.
 */
function changingEstimate(
  { db, provider }: Deps,
  caller: StaffPrincipal,
  ticketId: number,
  change: (tx: Transaction, ticket: TicketRow) => Promise<void>,
  { offerChanged = true } = {},
): Promise<ServiceTicket> {
  return inTransaction(db, async (tx) => {
    if (!(await lockServiceTicket(tx, provider, ticketId))) throw ticketNotFound(ticketId);
    await requireAssignedTechnician(tx, caller, ticketId);
    await requireNotInvoiced(tx, ticketId);
    const before = await readLockedTicket(tx, provider, ticketId);
    await change(tx, before.row);
    // updateMany: the ticket is there (locked), and nothing is read back (an update would answer with the row).
    await tx.serviceTicket.updateMany({
      where: { id: ticketId },
      // A technician's notes (cause, correction) change nothing the customer is offered: an approval of the
      // version before them still stands.
      data: { ...(offerChanged ? { estimateVersion: { increment: 1 } } : {}), updatedAt: new Date() },
    });
    const after = await readLockedTicket(tx, provider, ticketId);
    const answer = writeAnswer(after, caller);
    const subject = { type: 'service_ticket', id: ticketId };
    const eventData = ticketEventView(after);
    // Notes are no new offer: the shop's history records them, integrations hear of offers.
    if (offerChanged) await emitEvent(tx, { type: 'estimate.updated', actor: caller, subject, data: eventData });
    const changes = estimateChanges(ticketEventView(before), eventData);
    await recordAudit(tx, { actor: caller, subject, action: 'estimate.updated', changes, serviceTicketId: ticketId });
    return answer;
  });
}

function ticketNotFound(id: number): AppError {
  return new AppError('not_found', `No service ticket with id ${id}`);
}

/** The ticket and the settings that price it, read in the transaction that locked it (so it is there). */
async function readLockedTicket(tx: Transaction, provider: Deps['provider'], ticketId: number): Promise<TicketRead> {
  const document = await readTicketDocument(tx, provider, ticketId);
  if (!document) throw ticketNotFound(ticketId);
  return document;
}

/**
 * What an estimate change changed: each job's fields that differ, as
 * `jobs.<job id>.<field>` (a job added or deleted has a null side), and the
 * ticket's total and estimate_version.
 */
function estimateChanges(before: ServiceTicket, after: ServiceTicket): FieldChanges {
  const jobsBefore = new Map(before.jobs.map((job) => [job.id, job]));
  const jobsAfter = new Map(after.jobs.map((job) => [job.id, job]));
  const changes: FieldChanges = {};
  for (const id of new Set([...jobsBefore.keys(), ...jobsAfter.keys()])) {
    const jobBefore = jobsBefore.get(id) ?? null;
    const jobAfter = jobsAfter.get(id) ?? null;
    if (jobBefore === null || jobAfter === null) changes[`jobs.${id}`] = { before: jobBefore, after: jobAfter };
    else for (const [field, change] of Object.entries(diffFields(jobBefore, jobAfter))) changes[`jobs.${id}.${field}`] = change;
  }
  return { ...changes, ...diffFields(before, after, ['total', 'estimate_version']) };
}

/** An invoiced ticket's jobs and lines are frozen until its invoice is voided. Call it under the ticket's lock. */
export async function requireNotInvoiced(tx: Transaction, ticketId: number): Promise<void> {
  if (await tx.invoice.count({ where: { liveTicketId: ticketId } })) {
    throw new AppError('ticket_invoiced', `Service ticket ${ticketId} is invoiced; void its invoice to change its estimate`);
  }
}

/**
 * Takes units from stock with one conditional update, so that concurrent takers can never oversell it.
 * Resolves to the item as the take left it (its price for a new line).
 */
export async function takeStock(tx: Transaction, inventoryId: number, quantity: number): Promise<{ priceCents: number }> {
  const taken = await tx.inventoryItem.updateMany({
    where: { id: inventoryId, quantity: { gte: quantity } },
    data: { quantity: { decrement: quantity } },
  });
  if (taken.count === 0) {
    const item = await tx.inventoryItem.findUnique({ where: { id: inventoryId }, select: { quantity: true } });
    if (!item) throw inventoryItemNotFound(inventoryId);
    throw new AppError('insufficient_stock', `Only ${item.quantity} of inventory item ${inventoryId} in stock; ${quantity} requested`);
  }
  return alertIfStockTakenLow(tx, inventoryId, quantity);
}

function inventoryItemNotFound(id: number): AppError {
  return new AppError('not_found', `No inventory item with id ${id}`);
}

/** Puts units back in stock, which holds at most MAX_QUANTITY (checked in the same conditional update). */
async function restock(tx: Transaction, inventoryId: number, quantity: number): Promise<void> {
  const restocked = await tx.inventoryItem.updateMany({
    where: { id: inventoryId, quantity: { lte: MAX_QUANTITY - quantity } },
    data: { quantity: { increment: quantity } },
  });
  if (restocked.count === 0) {
    throw new AppError(
      'quantity_too_large',
      `Putting ${quantity} back would take inventory item ${inventoryId} past ${MAX_QUANTITY} in stock`,
    );
  }
}

/** A job of the ticket (404 otherwise), with the customer's decision on it. */
function jobOnTicket(ticket: TicketRow, jobId: number): TicketRow['jobs'][number] {
  const job = ticket.jobs.find(({ id }) => id === jobId);
  if (!job) throw new AppError('not_found', `No job ${jobId} on service ticket ${ticket.id}`);
  return job;
}

/**
 * Whether a job's part lines hold their parts out of stock: a declined job's
 * gave them back when it was declined, so changing or deleting its lines moves
 * no stock (nothing is put back or taken twice).
 */
function holdsStock(authorization: JobAuthorization): boolean {
  return authorization !== 'declined';
}

async function partLinesOf(tx: Transaction, jobId: number): Promise<Array<{ inventoryId: number; quantity: number }>> {
  const lines = await tx.line.findMany({
    where: { jobId, type: 'part' },
    select: { inventoryId: true, quantity: true },
    orderBy: { id: 'asc' },
  });
  return lines.map((line) => ({ inventoryId: line.inventoryId!, quantity: line.quantity! }));
}

/** A job's part lines take their parts from stock (409 insufficient_stock when short): a declined job approved or offered again. */
export async function takeJobStock(tx: Transaction, jobId: number): Promise<void> {
  for (const part of await partLinesOf(tx, jobId)) await takeStock(tx, part.inventoryId, part.quantity);
}

/** A job's part lines put their parts back in stock; the lines stay on the job: a job declined. */
export async function restockJob(tx: Transaction, jobId: number): Promise<void> {
  for (const part of await partLinesOf(tx, jobId)) await restock(tx, part.inventoryId, part.quantity);
}

/** A job no longer decided: the fields of its decision cleared. */
const UNDECIDED = {
  authorization: 'pending',
  decidedAt: null,
  approvalId: null,
  declineReason: null,
  followUpOn: null,
} as const satisfies Prisma.JobUncheckedUpdateInput;

/**
 * A job's lines changed (after the change, in its transaction): its price is
 * no longer the one the customer decided on, so an approved or declined job is
 * a new offer, pending until the customer decides again. A declined job's part
 * lines, which held no stock, take it again (409 insufficient_stock when short).
 * A change of its title, concern, cause, correction or pay type is none: it
 * prices nothing.
 */
async function reofferJob(tx: Transaction, jobId: number, authorization: JobAuthorization): Promise<void> {
  if (authorization === 'pending') return;
  if (authorization === 'declined') await takeJobStock(tx, jobId);
  // updateMany: the job is there (its ticket is locked), and nothing is read back.
  await tx.job.updateMany({ where: { id: jobId }, data: UNDECIDED });
}

/** A new job (pending) after the ticket's others. */
export async function addJobRow(tx: Transaction, ticketId: number, job: { title: string; concern?: string; payType?: NewJob['pay_type'] }) {
  const last = await tx.job.findFirst({ where: { serviceTicketId: ticketId }, orderBy: { position: 'desc' }, select: { position: true } });
  return tx.job.create({
    data: { serviceTicketId: ticketId, title: job.title, concern: job.concern, payType: job.payType, position: (last?.position ?? 0) + 1 },
    select: { id: true, authorization: true },
  });
}

function forbidTechnician(caller: StaffPrincipal, given: string[], what: string): void {
  if (caller.staffRole === 'technician' && given.length > 0) {
    throw new AppError('forbidden', `Technicians may not set ${given.join(', ')}: ${what}`);
  }
}

export function addJob(deps: Deps, caller: StaffPrincipal, { id, title, concern, pay_type }: NewJob): Promise<ServiceTicket> {
  return changingEstimate(deps, caller, id, async (tx) => {
    await addJobRow(tx, id, { title, concern, payType: pay_type });
  });
}

/** Technicians (assigned to the ticket) record what they found and did: cause and correction only. */
export function editJob(deps: Deps, caller: StaffPrincipal, { id, job_id, ...edit }: JobEdit): Promise<ServiceTicket> {
  const given = (['title', 'concern', 'pay_type'] as const).filter((field) => edit[field] !== undefined);
  forbidTechnician(caller, given, 'they record the cause and correction of a job; owners and service writers the rest');
  return changingEstimate(
    deps,
    caller,
    id,
    async (tx, ticket) => {
      jobOnTicket(ticket, job_id);
      await tx.job.update({
        where: { id: job_id },
        data: { title: edit.title, concern: edit.concern, cause: edit.cause, correction: edit.correction, payType: edit.pay_type },
        select: { id: true },
      });
    },
    // The title, concern and pay type are what the customer approves; cause and correction are the shop's notes.
    { offerChanged: given.length > 0 },
  );
}

/** Deletes a job with its lines; its part lines go back to stock (a declined job's are there already). */
export function deleteJob(deps: Deps, caller: StaffPrincipal, { id, job_id }: { id: number; job_id: number }): Promise<ServiceTicket> {
  return changingEstimate(deps, caller, id, async (tx, ticket) => {
    const job = jobOnTicket(ticket, job_id);
    if (holdsStock(job.authorization)) await restockJob(tx, job_id);
    await tx.job.delete({ where: { id: job_id }, select: { id: true } });
  });
}

async function requireTechnician(tx: Transaction, technicianId: number | undefined): Promise<void> {
  if (technicianId !== undefined && !(await tx.mechanic.count({ where: { id: technicianId } }))) {
    throw new AppError('not_found', `No mechanic with id ${technicianId}`);
  }
}

function discountColumns(discount: LineEdit['discount']) {
  if (discount === undefined) return {};
  return {
    discountPercentThousandths: discount && 'percent' in discount ? discount.percent : null,
    discountCents: discount && 'amount' in discount ? discount.amount : null,
  };
}

/**
 * Adds a line to a job. A labor line without a rate gets the shop's labor rate,
 * a part line without a unit price the item's price, both fixed on the line from
 * then on; a part line takes its quantity from stock. Technicians (assigned to
 * the ticket) add labor and part lines at those prices only. The job becomes
 * pending (`reofferJob`).
 */
export function addLine(deps: Deps, caller: StaffPrincipal, { id, job_id, ...line }: NewLine): Promise<ServiceTicket> {
  if (caller.staffRole === 'technician' && (line.type === 'fee' || line.type === 'sublet')) {
    throw new AppError('forbidden', 'Technicians add labor and part lines; fees and sublet work are for owners and service writers');
  }
  forbidTechnician(
    caller,
    PRICING_FIELDS.filter((field) => line[field] !== undefined),
    'prices and discounts are for owners and service writers',
  );
  return changingEstimate(deps, caller, id, async (tx, ticket) => {
    const { authorization } = jobOnTicket(ticket, job_id);
    const common = { description: line.description, taxable: line.taxable, ...discountColumns(line.discount) };
    switch (line.type) {
      case 'labor': {
        await requireTechnician(tx, line.technician_id);
        const rateCents = line.rate ?? (await readSettings(tx)).laborRateCents;
        await tx.line.create({
          data: { ...common, jobId: job_id, type: 'labor', hoursHundredths: line.hours, rateCents, technicianId: line.technician_id },
          select: { id: true },
        });
        break;
      }
      case 'part': {
        const part = { inventoryId: line.inventory_id!, quantity: line.quantity!, unitPriceCents: line.unit_price };
        await createPartLine(tx, job_id, part, holdsStock(authorization), common);
        break;
      }
      default:
        await tx.line.create({
          data: { ...common, jobId: job_id, type: line.type, amountCents: line.amount, costCents: line.cost },
          select: { id: true },
        });
    }
    await reofferJob(tx, job_id, authorization);
  });
}

/** A part line, at the item's price unless one is given; it takes its quantity from stock when `takesStock`. */
async function createPartLine(
  tx: Transaction,
  jobId: number,
  { inventoryId, quantity, unitPriceCents }: { inventoryId: number; quantity: number; unitPriceCents?: number },
  takesStock: boolean,
  common: Pick<Prisma.LineUncheckedCreateInput, 'description' | 'taxable' | 'discountPercentThousandths' | 'discountCents'> = {},
): Promise<void> {
  const item = await pricedItem(tx, inventoryId, quantity, takesStock);
  await tx.line.create({
    data: { ...common, type: 'part', jobId, inventoryId, quantity, unitPriceCents: unitPriceCents ?? item.priceCents },
    select: { id: true },
  });
}

/**
 * An item's price, for a line of `quantity` of it: taken from stock when `takesStock` (409 insufficient_stock
 * when short), else only found (404 either way when there is no such item).
 */
async function pricedItem(tx: Transaction, inventoryId: number, quantity: number, takesStock: boolean): Promise<{ priceCents: number }> {
  if (takesStock) return takeStock(tx, inventoryId, quantity);
  const item = await tx.inventoryItem.findUnique({ where: { id: inventoryId }, select: { priceCents: true } });
  if (!item) throw inventoryItemNotFound(inventoryId);
  return item;
}

/** A line of a job of the ticket (404 otherwise), with its job's decision. */
function lineOnTicket(ticket: TicketRow, jobId: number, lineId: number) {
  const job = ticket.jobs.find(({ id }) => id === jobId);
  const line = job?.lines.find(({ id }) => id === lineId);
  if (!job || !line) throw new AppError('not_found', `No line ${lineId} in job ${jobId} of service ticket ${ticket.id}`);
  return { ...line, authorization: job.authorization };
}

/**
 * Changes a line's fields (those of its type). A part line's quantity moves stock by the difference;
 * another part puts the old one back in stock and takes the new one, at its price unless `unit_price` is given.
 * The job becomes pending (`reofferJob`).
 */
export function editLine(deps: Deps, caller: StaffPrincipal, { id, job_id, line_id, ...edit }: LineEdit): Promise<ServiceTicket> {
  return changingEstimate(deps, caller, id, async (tx, ticket) => {
    const line = lineOnTicket(ticket, job_id, line_id);
    const errors = lineFieldErrors(line.type, edit, false);
    if (errors.length > 0) throw new AppError('validation_failed', `Fields a ${line.type} line does not have`, { fields: errors });
    await requireTechnician(tx, edit.technician_id);
    const movesStock = holdsStock(line.authorization);
    let swappedPrice: number | undefined;
    if (edit.inventory_id !== undefined && edit.inventory_id !== line.inventoryId) {
      // Another part: the old one goes back to stock, the new one is taken, at its price unless one is given.
      const item = await tx.inventoryItem.findUnique({ where: { id: edit.inventory_id }, select: { priceCents: true } });
      if (!item) throw inventoryItemNotFound(edit.inventory_id);
      if (movesStock) {
        await restock(tx, line.inventoryId!, line.quantity!);
        await takeStock(tx, edit.inventory_id, edit.quantity ?? line.quantity!);
      }
      swappedPrice = item.priceCents;
    } else if (edit.quantity !== undefined && line.type === 'part' && movesStock) {
      const difference = edit.quantity - line.quantity!;
      if (difference > 0) await takeStock(tx, line.inventoryId!, difference);
      if (difference < 0) await restock(tx, line.inventoryId!, -difference);
    }
    await tx.line.update({
      where: { id: line_id },
      data: {
        inventoryId: edit.inventory_id,
        description: edit.description,
        hoursHundredths: edit.hours,
        rateCents: edit.rate,
        technicianId: edit.technician_id,
        quantity: edit.quantity,
        unitPriceCents: edit.unit_price ?? swappedPrice,
        amountCents: edit.amount,
        costCents: edit.cost,
        taxable: edit.taxable,
        ...discountColumns(edit.discount),
      },
      select: { id: true },
    });
    await reofferJob(tx, job_id, line.authorization);
  });
}

/** Deletes a line; a part line's quantity goes back to stock. The job becomes pending (`reofferJob`). */
export function deleteLine(
  deps: Deps,
  caller: StaffPrincipal,
  { id, job_id, line_id }: { id: number; job_id: number; line_id: number },
): Promise<ServiceTicket> {
  return changingEstimate(deps, caller, id, async (tx, ticket) => {
    const line = lineOnTicket(ticket, job_id, line_id);
    await tx.line.delete({ where: { id: line_id }, select: { id: true } });
    if (line.type === 'part' && holdsStock(line.authorization)) await restock(tx, line.inventoryId!, line.quantity!);
    await reofferJob(tx, job_id, line.authorization);
  });
}

/** The ticket's part lines of an inventory item, each with its job, lowest line id first. */
function linesOfItem(ticket: TicketRow, inventoryId: number) {
  return ticket.jobs
    .flatMap((job) => job.lines.filter((line) => line.type === 'part' && line.inventoryId === inventoryId).map((line) => ({ line, job })))
    .sort((a, b) => a.line.id - b.line.id);
}

/**
 * The seed's route: puts parts from stock on a ticket, leaving declined jobs
 * alone. A part already on the ticket adds to the quantity of its first line
 * (at that line's unit price, up to MAX_QUANTITY); another goes to the ticket's
 * first job, a new "General" one when there is none. The job becomes pending
 * (`reofferJob`).
 */
export function addPartLine(deps: Deps, caller: StaffPrincipal, { id, inventory_id, quantity }: NewPartLine): Promise<ServiceTicket> {
  return changingEstimate(deps, caller, id, async (tx, ticket) => {
    const existing = linesOfItem(ticket, inventory_id).find(({ job }) => holdsStock(job.authorization));
    if (!existing) {
      // The ticket's jobs are in the order it shows them: the first offered one takes the part.
      const job =
        ticket.jobs.find(({ authorization }) => holdsStock(authorization)) ?? (await addJobRow(tx, id, { title: GENERAL_JOB_TITLE }));
      await createPartLine(tx, job.id, { inventoryId: inventory_id, quantity }, true);
      await reofferJob(tx, job.id, job.authorization);
      return;
    }
    const { line, job } = existing;
    if (line.quantity! + quantity > MAX_QUANTITY) {
      throw new AppError(
        'quantity_too_large',
        `Service ticket ${id} has ${line.quantity} of inventory item ${inventory_id}; a line holds at most ${MAX_QUANTITY}`,
      );
    }
    await takeStock(tx, inventory_id, quantity);
    await tx.line.updateMany({ where: { id: line.id }, data: { quantity: { increment: quantity } } });
    await reofferJob(tx, job.id, job.authorization);
  });
}

/**
 * The seed's route: takes a part off a ticket (every line of it), back into
 * stock (but a declined job's, which is there already). Their jobs become
 * pending (`reofferJob`).
 */
export async function removePartLine(deps: Deps, caller: StaffPrincipal, id: number, inventoryId: number): Promise<void> {
  await changingEstimate(deps, caller, id, async (tx, ticket) => {
    const lines = linesOfItem(ticket, inventoryId);
    if (lines.length === 0) throw new AppError('not_found', `Inventory item ${inventoryId} is not on service ticket ${id}`);
    await tx.line.deleteMany({ where: { id: { in: lines.map(({ line }) => line.id) } } });
    const held = lines.filter(({ job }) => holdsStock(job.authorization)).reduce((sum, { line }) => sum + line.quantity!, 0);
    if (held > 0) await restock(tx, inventoryId, held);
    const jobs = new Map(lines.map(({ job }) => [job.id, job.authorization]));
    for (const [jobId, authorization] of jobs) await reofferJob(tx, jobId, authorization);
  });
}
