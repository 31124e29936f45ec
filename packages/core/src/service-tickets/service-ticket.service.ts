import type { Provider } from '../db/provider.ts';
import type { Principal, StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { lockServiceTicket, readSnapshot } from '../db/dialect.ts';
import { isForeignKeyViolation } from '../db/errors.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError, type FieldError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit } from '../events/outbox.ts';
import { countAssignments, countTicketsDeleted } from '../mechanics/ticket-count.ts';
import { MAX_TICKET_TOTAL_CENTS } from '../shared/limits.ts';
import { formatCents } from '../shared/money.ts';
import { toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import {
  createVehicle,
  customerOfWrite,
  guardingVin,
  NEWEST_READINGS_FIRST,
  readableVehicle,
  readingFields,
  recordReading,
  requireCustomer,
  toReadingView,
  toVehicleView,
  vehicleNotFound,
  vinTaken,
} from '../vehicles/vehicle.service.ts';
import { normalizeVin } from '../vehicles/vin.ts';
import { readSettings, type SettingsRow } from '../shop/shop.service.ts';
import { requireNotInvoiced } from './estimate.service.ts';
import { jobsOfTicket, lineAmountCents, priceJobs, toJobViews, toTotalsView } from './estimate.view.ts';
import { readTicketDocument, type TicketRead, type TicketRow } from './ticket-document.ts';
import { readTicketPage, type TicketFilter } from './ticket-page.ts';
import type {
  NewServiceTicket,
  ServiceTicket,
  ServiceTicketEdit,
  ServiceTicketQuery,
  TicketStatus,
  VehicleHistory,
} from './service-ticket.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/**
 * A ticket as `viewer` sees it, priced with the shop's settings. `parts` lists
 * every part line of its jobs (the seed's view of a ticket), and
 * `estimate_version` adds the settings' pricing version to the ticket's own, so
 * that it grows with a change to either.
 */
export function toTicketView(row: TicketRow, settings: SettingsRow, viewer: Principal): ServiceTicket {
  const priced = priceJobs(row.jobs, settings, row.costCents);
  // A declined job's part lines are not used: they hold no stock.
  const parts = row.jobs.flatMap((job) =>
    job.lines.flatMap((line) =>
      line.type === 'part' && job.authorization !== 'declined'
        ? [
            {
              inventory_id: line.inventoryId!,
              part_name: line.item!.partName,
              quantity: line.quantity!,
              unit_price: formatCents(line.unitPriceCents!),
              line_total: formatCents(lineAmountCents(line)),
            },
          ]
        : [],
    ),
  );
  return {
    id: row.id,
    customer_id: row.customerId,
    title: row.title,
    description: row.description,
    vin: row.vehicle.vin,
    vehicle: row.vehicle,
    service_date: row.serviceDate.toISOString().slice(0, 10),
    status: row.status,
    cost: formatCents(row.costCents),
    // Read in one statement, an assignment and its mechanic come from one snapshot: the mechanic is there.
    mechanics: row.assignments.map(({ assignedAt, mechanic }) => ({
      id: mechanic.id,
      name: mechanic.name,
      assigned_at: assignedAt.toISOString(),
    })),
    jobs: toJobViews(row.jobs, priced, viewer),
    totals: toTotalsView(priced.totals),
    estimate_version: row.estimateVersion + settings.pricingVersion,
    parts,
    parts_total: formatCents(priced.totals.parts),
    total: formatCents(priced.totals.total),
    odometer_in: row.odometerIn,
    odometer_out: row.odometerOut,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No service ticket with id ${id}`);
}

/**
 * A ticket as its events carry it, read in the change's transaction: as its
 * customer sees it. Integrations are told what the customer is offered; the
 * shop's part and labor costs stay with staff in the API.
 */
export async function ticketEventData(tx: Transaction, provider: Provider, id: number): Promise<ServiceTicket> {
  const document = await readTicketDocument(tx, provider, id);
  if (!document) throw notFound(id);
  return ticketEventView(document);
}

/** A ticket document as its events carry it (`ticketEventData`), for a write that read it already. */
export function ticketEventView({ row, settings }: TicketRead): ServiceTicket {
  return toTicketView(row, settings, { role: 'customer', id: row.customerId });
}

/** A write's answer from its ticket's document, read after the write: its total must stay within MAX_TICKET_TOTAL_CENTS, or the write's transaction fails. */
export function writeAnswer({ row, settings }: TicketRead, viewer: Principal): ServiceTicket {
  assertTotalWithinLimit(priceJobs(row.jobs, settings, row.costCents).totals.total);
  return toTicketView(row, settings, viewer);
}

/** A new ticket's event and audit entry (the customer sees it), in the transaction that opened it. */
export async function recordTicketOpened(tx: Transaction, provider: Provider, caller: Principal, id: number): Promise<void> {
  const opened = await ticketEventData(tx, provider, id);
  const subject = { type: 'service_ticket', id };
  await emitEvent(tx, { type: 'ticket.created', actor: caller, subject, data: opened });
  const changes = diffFields(null, opened, ['title', 'description', 'vin', 'service_date', 'status', 'odometer_in']);
  await recordAudit(tx, { actor: caller, subject, action: 'ticket.created', changes, serviceTicketId: id, customerVisible: true });
}

/** A ticket's fields that staff edit directly, as its audit entries compare them. */
const AUDITED_TICKET_FIELDS = ['status', 'cost', 'odometer_in', 'odometer_out', 'mechanic_ids'] as const;

function auditedTicketFields(ticket: ServiceTicket) {
  return {
    status: ticket.status,
    cost: ticket.cost,
    odometer_in: ticket.odometer_in,
    odometer_out: ticket.odometer_out,
    mechanic_ids: ticket.mechanics.map(({ id }) => id),
  };
}

/**
 * A ticket as `viewer` sees it, read in one statement (ticket-document.ts).
 * With `withinLimit`, a write's answer: its total must stay within
 * MAX_TICKET_TOTAL_CENTS, or the write's transaction fails.
 */
export async function readTicket(
  db: Deps['db'] | Transaction,
  provider: Provider,
  id: number,
  viewer: Principal,
  { withinLimit = false } = {},
): Promise<ServiceTicket> {
  const document = await readTicketDocument(db, provider, id);
  if (!document) throw notFound(id);
  return withinLimit ? writeAnswer(document, viewer) : toTicketView(document.row, document.settings, viewer);
}

/** A page of tickets and its total, read in one statement (ticket-page.ts). */
async function listWhere(
  { db, provider }: Deps,
  viewer: Principal,
  filter: TicketFilter,
  page: PaginationInput,
): Promise<Page<ServiceTicket>> {
  const { rows, total, settings } = await readTicketPage(db, provider, filter, page);
  return toPage(
    rows.map((row) => toTicketView(row, settings, viewer)),
    total,
    page,
  );
}

/**
 * Opens a ticket on a vehicle: a customer's own, or, for desk staff, one of the
 * customer's they name. With `vin` instead of `vehicle_id`, the customer's
 * vehicle with that VIN is used, or added (the VIN rules apply to new vehicles
 * only); another customer's VIN is a 409. `odometer_in` is recorded as a reading.
 */
export async function openTicket({ db, provider }: Deps, caller: Principal, input: NewServiceTicket): Promise<ServiceTicket> {
  const customerId = customerOfWrite(caller, input.customer_id, 'service tickets');
  return guardingVin(db, caller, input.vin === undefined ? undefined : normalizeVin(input.vin), () =>
    inTransaction(db, async (tx) => {
      if (caller.role === 'mechanic') await requireCustomer(tx, customerId);
      const vehicle = await vehicleOfNewTicket(tx, provider, caller, customerId, input);
      const { id } = await tx.serviceTicket.create({
        data: {
          customerId,
          vehicleId: vehicle.id,
          title: input.title,
          description: input.description,
          serviceDate: new Date(`${input.service_date}T00:00:00.000Z`),
          odometerIn: input.odometer_in ?? null,
        },
        select: { id: true },
      });
      if (input.odometer_in !== undefined)
        await recordReading(tx, provider, caller, vehicle.id, { reading: input.odometer_in, serviceTicketId: id });
      await recordTicketOpened(tx, provider, caller, id);
      return readTicket(tx, provider, id, caller);
    }),
  );
}

const ticketVehicleFields = { id: true, customerId: true, odometer: true, odometerUnit: true } satisfies Prisma.VehicleSelect;

async function vehicleOfNewTicket(
  tx: Transaction,
  provider: Provider,
  caller: Principal,
  customerId: number,
  { vehicle_id, vin }: NewServiceTicket,
): Promise<Prisma.VehicleGetPayload<{ select: typeof ticketVehicleFields }>> {
  if (vehicle_id !== undefined) {
    const vehicle = await tx.vehicle.findUnique({ where: { id: vehicle_id }, select: ticketVehicleFields });
    // A customer learns nothing of other customers' vehicles: theirs is a 404 too.
    if (!vehicle || (caller.role === 'customer' && vehicle.customerId !== caller.id)) throw vehicleNotFound(vehicle_id);
    if (vehicle.customerId !== customerId) {
      throw new AppError('vehicle_owner_mismatch', `Vehicle ${vehicle_id} belongs to customer ${vehicle.customerId}, not ${customerId}`);
    }
    return vehicle;
  }
  const known = await tx.vehicle.findUnique({ where: { vin: normalizeVin(vin!) }, select: ticketVehicleFields });
  if (known && known.customerId !== customerId) throw vinTaken(caller, known);
  return known ?? createVehicle(tx, provider, caller, customerId, { vin: vin! });
}

export function listTickets(
  deps: Deps,
  caller: StaffPrincipal,
  { status, customer_id, ...page }: ServiceTicketQuery,
): Promise<Page<ServiceTicket>> {
  return listWhere(deps, caller, { ...(status ? { status } : {}), ...(customer_id ? { customerId: customer_id } : {}) }, page);
}

export function listCustomerTickets(deps: Deps, customerId: number, page: PaginationInput): Promise<Page<ServiceTicket>> {
  return listWhere(deps, { role: 'customer', id: customerId }, { customerId }, page);
}

/**
 * A ticket for a mechanic or for the customer who owns it. Another customer's
 * ticket is a 404, like a ticket that does not exist: ids reveal nothing.
 */
export async function getTicket({ db, provider }: Deps, caller: Principal, id: number): Promise<ServiceTicket> {
  // One statement reads from one snapshot: no transaction needed (see readSnapshot).
  const ticket = await readTicket(db, provider, id, caller);
  if (caller.role === 'customer' && ticket.customer_id !== caller.id) throw notFound(id);
  return ticket;
}

/**
 * Technicians work only on the tickets assigned to them; the other staff on
 * every ticket. The one check of that rule, for every route that applies it
 * (their meta says so in `ownership`): called in the write's transaction after
 * the ticket's lock, which assigning and unassigning take too, so that an
 * unassignment cannot slip in between the check and the write.
 */
export async function requireAssignedTechnician(tx: Transaction, caller: StaffPrincipal, ticketId: number): Promise<void> {
  if (caller.staffRole !== 'technician') return;
  if (await tx.serviceAssignment.count({ where: { serviceTicketId: ticketId, mechanicId: caller.id } })) return;
  throw new AppError('forbidden', `Technicians work on the tickets assigned to them; this account is not assigned to this ticket`);
}

/** What a route that applies `requireAssignedTechnician` says in its meta's `ownership`. */
export const ASSIGNED_TECHNICIANS_ONLY = 'technicians: only tickets assigned to them';

/** Where a ticket may go from each status; staying put is always allowed. */
const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  PENDING: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['PENDING', 'COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: ['PENDING'],
};

/**
 * Work starts on what the customer authorized: a ticket with jobs needs an
 * approved one (409 no_approved_work). A ticket without jobs keeps the rules it
 * had before approvals existed. Called under the ticket's lock, which every
 * change to its jobs takes.
 */
async function requireApprovedWork(tx: Transaction, ticketId: number): Promise<void> {
  const decisions = await tx.job.findMany({
    where: { serviceTicketId: ticketId },
    select: { authorization: true },
    distinct: ['authorization'],
  });
  if (decisions.length > 0 && !decisions.some(({ authorization }) => authorization === 'approved')) {
    throw new AppError('no_approved_work', `Service ticket ${ticketId} has no approved job: record the customer's approval first`);
  }
}

/**
 * Adds and removes mechanics and changes the status or cost, all or nothing:
 * an unknown mechanic id or a forbidden status change leaves the ticket as it was.
 * A technician changes the status only, of a ticket assigned to them: who works
 * on a ticket and what it costs are for the shop's other staff.
 */
export async function editTicket({ db, provider }: Deps, caller: StaffPrincipal, edit: ServiceTicketEdit): Promise<ServiceTicket> {
  const odometer = edit.odometer_in !== undefined || edit.odometer_out !== undefined;
  if (caller.staffRole === 'technician' && (edit.add_ids?.length || edit.remove_ids?.length || edit.cost !== undefined || odometer)) {
    throw new AppError(
      'forbidden',
      "Technicians change a ticket's status only; its mechanics, cost and odometer readings are for owners and service writers",
    );
  }
  const addIds = [...new Set(edit.add_ids ?? [])];
  const removeIds = [...new Set(edit.remove_ids ?? [])];
  const both = (edit.remove_ids ?? []).flatMap((id, index) =>
    addIds.includes(id) ? [{ field: `remove_ids.${index}`, message: `Mechanic ${id} is also in add_ids` }] : [],
  );
  if (both.length > 0) throw new AppError('validation_failed', 'A mechanic cannot be both added and removed', { fields: both });
  return inTransaction(db, async (tx) => {
    if (!(await lockServiceTicket(tx, provider, edit.id))) throw notFound(edit.id);
    await requireAssignedTechnician(tx, caller, edit.id);

    const wanted = [...addIds, ...removeIds];
    const known = new Set(
      (await tx.mechanic.findMany({ where: { id: { in: wanted } }, select: { id: true } })).map((mechanic) => mechanic.id),
    );
    const unknown: FieldError[] = [
      ...(edit.add_ids ?? []).flatMap((id, index) =>
        known.has(id) ? [] : [{ field: `add_ids.${index}`, message: `No mechanic with id ${id}` }],
      ),
      ...(edit.remove_ids ?? []).flatMap((id, index) =>
        known.has(id) ? [] : [{ field: `remove_ids.${index}`, message: `No mechanic with id ${id}` }],
      ),
    ];
    if (unknown.length > 0) {
      const ids = [...new Set(wanted.filter((id) => !known.has(id)))];
      throw new AppError('not_found', `No mechanic with id ${ids.join(', ')}; the ticket is unchanged`, { fields: unknown });
    }

    const current = await tx.serviceTicket.findUniqueOrThrow({
      where: { id: edit.id },
      select: { status: true, costCents: true, vehicle: { select: ticketVehicleFields } },
    });
    const before = await ticketEventData(tx, provider, edit.id);
    if (edit.status && edit.status !== current.status && !NEXT_STATUSES[current.status].includes(edit.status)) {
      throw new AppError('invalid_status_transition', `A ${current.status} ticket cannot become ${edit.status}`);
    }
    if (edit.status === 'IN_PROGRESS' && current.status !== 'IN_PROGRESS') await requireApprovedWork(tx, edit.id);
    if (edit.odometer_out !== undefined && (edit.status ?? current.status) !== 'COMPLETED') {
      throw new AppError('validation_failed', 'odometer_out is read when the work is done: with status COMPLETED', {
        fields: [{ field: 'odometer_out', message: 'Only when the ticket is or becomes COMPLETED' }],
      });
    }
    // The flat cost is on the invoice: frozen with the jobs and lines while the ticket is invoiced.
    if (edit.cost !== undefined && edit.cost !== current.costCents) await requireNotInvoiced(tx, edit.id);

    if (wanted.length > 0) {
      // Under the ticket's lock: the assignments read here are the ones the writes below change.
      const assigned = new Set(
        (
          await tx.serviceAssignment.findMany({
            where: { serviceTicketId: edit.id, mechanicId: { in: wanted } },
            select: { mechanicId: true },
          })
        ).map((assignment) => assignment.mechanicId),
      );
      const removed = removeIds.filter((id) => assigned.has(id));
      const missing = addIds.filter((id) => !assigned.has(id));
      if (removed.length > 0) {
        await tx.serviceAssignment.deleteMany({ where: { serviceTicketId: edit.id, mechanicId: { in: removed } } });
        await countAssignments(tx, removed, 'removed');
      }
      if (missing.length > 0) {
        await tx.serviceAssignment.createMany({ data: missing.map((mechanicId) => ({ serviceTicketId: edit.id, mechanicId })) });
        await countAssignments(tx, missing, 'added');
      }
    }
    // In, then out: each reading is checked against the one before it.
    for (const reading of [edit.odometer_in, edit.odometer_out]) {
      if (reading !== undefined) await recordReading(tx, provider, caller, current.vehicle.id, { reading, serviceTicketId: edit.id });
    }
    await tx.serviceTicket.update({
      where: { id: edit.id },
      data: {
        ...(edit.status ? { status: edit.status } : {}),
        // The flat cost is part of the estimate's total: changing it changes the estimate.
        ...(edit.cost === undefined || edit.cost === current.costCents ? {} : { costCents: edit.cost, estimateVersion: { increment: 1 } }),
        ...(edit.odometer_in === undefined ? {} : { odometerIn: edit.odometer_in }),
        ...(edit.odometer_out === undefined ? {} : { odometerOut: edit.odometer_out }),
        updatedAt: new Date(),
      },
      select: { id: true },
    });
    await recordTicketEdit(tx, caller, before, await ticketEventData(tx, provider, edit.id));
    return readTicket(tx, provider, edit.id, caller, { withinLimit: edit.cost !== undefined });
  });
}

/**
 * A ticket edit's events and audit: a status change is its own entry, which
 * the customer sees; the rest (cost, odometer, mechanics) is staff's. A new
 * flat cost changes the estimate.
 */
async function recordTicketEdit(tx: Transaction, caller: StaffPrincipal, before: ServiceTicket, after: ServiceTicket): Promise<void> {
  const subject = { type: 'service_ticket', id: after.id };
  const { status, ...changes } = diffFields(auditedTicketFields(before), auditedTicketFields(after), AUDITED_TICKET_FIELDS);
  if (status) {
    await emitEvent(tx, { type: 'ticket.status_changed', actor: caller, subject, data: after });
    const entry = { action: 'ticket.status_changed', changes: { status }, customerVisible: true };
    await recordAudit(tx, { actor: caller, subject, serviceTicketId: after.id, ...entry });
  }
  if (changes.cost) await emitEvent(tx, { type: 'estimate.updated', actor: caller, subject, data: after });
  if (Object.keys(changes).length > 0) {
    await recordAudit(tx, { actor: caller, subject, action: 'ticket.updated', changes, serviceTicketId: after.id });
  }
}

/** A ticket's total must stay within MAX_TICKET_TOTAL_CENTS (exact, and a sane amount for one repair). */
export function assertTotalWithinLimit(totalCents: number): void {
  if (totalCents > MAX_TICKET_TOTAL_CENTS) {
    throw new AppError(
      'amount_too_large',
      `The ticket's total would be ${formatCents(totalCents)}; at most ${formatCents(MAX_TICKET_TOTAL_CENTS)}`,
    );
  }
}

/**
 * Deletes a ticket with its assignments and part lines. Parts are not put back in
 * stock: they were used. Under the ticket's lock, so that no assignment is made
 * between counting its mechanics' assignments down and the delete.
 */
export async function deleteTicket({ db, provider }: Deps, id: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    if (!(await lockServiceTicket(tx, provider, id))) throw notFound(id);
    await countTicketsDeleted(tx, [id]);
    await tx.serviceTicket.delete({ where: { id }, select: { id: true } });
  }).catch(async (error: unknown) => {
    // Invoices are never deleted, and their foreign key keeps the ticket they were issued for.
    if (isForeignKeyViolation(error) && (await db.invoice.count({ where: { serviceTicketId: id } }))) {
      throw new AppError('ticket_has_invoices', `Service ticket ${id} has invoices; it stays as their record`);
    }
    throw error;
  });
}

/**
 * A vehicle with its tickets, the work declined on them and its odometer
 * readings, newest first: staff, or the vehicle's customer.
 */
export async function vehicleHistory({ db, provider }: Deps, caller: Principal, id: number): Promise<VehicleHistory> {
  return readSnapshot(db, provider, async (tx) => {
    const vehicle = await readableVehicle(tx, caller, id);
    const tickets = await tx.serviceTicket.findMany({
      where: { vehicleId: id },
      select: {
        id: true,
        status: true,
        serviceDate: true,
        title: true,
        costCents: true,
        jobs: jobsOfTicket,
      },
      orderBy: [{ serviceDate: 'desc' }, { id: 'desc' }],
    });
    const settings = await readSettings(tx);
    const readings = await tx.odometerReading.findMany({ where: { vehicleId: id }, select: readingFields, orderBy: NEWEST_READINGS_FIRST });
    const priced = tickets.map((ticket) => priceJobs(ticket.jobs, settings, ticket.costCents));
    // A declined job's amount is its own total, priced on its own, as its ticket shows it.
    const declined = tickets.flatMap((ticket, index) =>
      ticket.jobs.flatMap((job, jobIndex) =>
        job.authorization === 'declined' ? [{ job, ticketId: ticket.id, totalCents: priced[index]!.jobs[jobIndex]!.totals.total }] : [],
      ),
    );
    declined.sort((a, b) => b.job.decidedAt!.getTime() - a.job.decidedAt!.getTime() || b.job.id - a.job.id);
    return {
      vehicle: toVehicleView(vehicle),
      tickets: tickets.map((ticket, index) => ({
        id: ticket.id,
        status: ticket.status,
        service_date: ticket.serviceDate.toISOString().slice(0, 10),
        title: ticket.title,
        total: formatCents(priced[index]!.totals.total),
      })),
      declined_work: declined.map(({ job, ticketId, totalCents }) => ({
        job_id: job.id,
        service_ticket_id: ticketId,
        title: job.title,
        amount: formatCents(totalCents),
        reason: job.declineReason,
        // A decline records both (approvals/approval.service.ts).
        declined_at: job.decidedAt!.toISOString(),
        follow_up_on: job.followUpOn!.toISOString().slice(0, 10),
        revived_at: job.revivedAt?.toISOString() ?? null,
      })),
      odometer: readings.map(toReadingView),
    };
  });
}
