import type { Provider } from '../db/provider.ts';
import type { Principal, StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { countRows, lockServiceTicket, readSnapshot } from '../db/dialect.ts';
import { inTransaction, retryingConflicts } from '../db/transactions.ts';
import { AppError, type FieldError } from '../errors.ts';
import { MAX_QUANTITY, MAX_TICKET_TOTAL_CENTS } from '../shared/limits.ts';
import { formatCents } from '../shared/money.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
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
import type {
  NewPartLine,
  NewServiceTicket,
  ServiceTicket,
  ServiceTicketEdit,
  ServiceTicketQuery,
  TicketStatus,
  VehicleHistory,
} from './service-ticket.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;

/** Everything a ticket shows, in one query with its mechanics and part lines (no N+1). */
const ticketFields = {
  id: true,
  customerId: true,
  title: true,
  description: true,
  serviceDate: true,
  status: true,
  costCents: true,
  odometerIn: true,
  odometerOut: true,
  vehicle: { select: { id: true, vin: true, plate: true, year: true, make: true, model: true } },
  createdAt: true,
  updatedAt: true,
  assignments: { select: { assignedAt: true, mechanic: { select: { id: true, name: true } } }, orderBy: { mechanicId: 'asc' } },
  parts: {
    select: { inventoryId: true, quantity: true, unitPriceCents: true, item: { select: { partName: true } } },
    orderBy: { inventoryId: 'asc' },
  },
} satisfies Prisma.ServiceTicketSelect;

type TicketRow = Prisma.ServiceTicketGetPayload<{ select: typeof ticketFields }>;

/** What the part lines of a ticket add up to, in cents. */
function partsCentsOf(lines: Array<{ quantity: number; unitPriceCents: number }>): number {
  return lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
}

export function toTicketView(row: TicketRow): ServiceTicket {
  const parts = row.parts.map((line) => ({
    inventory_id: line.inventoryId,
    part_name: line.item.partName,
    quantity: line.quantity,
    unit_price: formatCents(line.unitPriceCents),
    lineCents: line.unitPriceCents * line.quantity,
  }));
  const partsCents = partsCentsOf(row.parts);
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
    // Prisma loads a relation in a statement of its own. A write answers with the
    // ticket read inside its transaction, at READ COMMITTED on PostgreSQL: a
    // mechanic deleted between two of those statements reads as null although
    // the type says otherwise. Its assignment went with it, so it is left out.
    mechanics: row.assignments.flatMap(({ assignedAt, mechanic }: { assignedAt: Date; mechanic: { id: number; name: string } | null }) =>
      mechanic ? [{ id: mechanic.id, name: mechanic.name, assigned_at: assignedAt.toISOString() }] : [],
    ),
    parts: parts.map(({ lineCents, ...line }) => ({ ...line, line_total: formatCents(lineCents) })),
    parts_total: formatCents(partsCents),
    total: formatCents(row.costCents + partsCents),
    odometer_in: row.odometerIn,
    odometer_out: row.odometerOut,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No service ticket with id ${id}`);
}

async function readTicket(db: Deps['db'] | Transaction, id: number): Promise<ServiceTicket> {
  const row = await db.serviceTicket.findUnique({ where: { id }, select: ticketFields });
  if (!row) throw notFound(id);
  return toTicketView(row);
}

/** A page of tickets and its total, read from one snapshot (see `readSnapshot`). */
function listWhere(
  { db, provider }: Deps,
  where: { customerId?: number; status?: TicketStatus },
  page: PaginationInput,
): Promise<Page<ServiceTicket>> {
  return readSnapshot(db, provider, async (tx) => {
    const rows = await tx.serviceTicket.findMany({ where, select: ticketFields, orderBy: { id: 'asc' }, ...pageWindow(page) });
    const total = await countRows(tx, 'service_tickets', { customer_id: where.customerId, status: where.status });
    return toPage(rows.map(toTicketView), total, page);
  });
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
      return readTicket(tx, id);
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

export function listTickets(deps: Deps, { status, customer_id, ...page }: ServiceTicketQuery): Promise<Page<ServiceTicket>> {
  return listWhere(deps, { ...(status ? { status } : {}), ...(customer_id ? { customerId: customer_id } : {}) }, page);
}

export function listCustomerTickets(deps: Deps, customerId: number, page: PaginationInput): Promise<Page<ServiceTicket>> {
  return listWhere(deps, { customerId }, page);
}

/**
 * A ticket for a mechanic or for the customer who owns it. Another customer's
 * ticket is a 404, like a ticket that does not exist: ids reveal nothing.
 */
export async function getTicket({ db, provider }: Deps, caller: Principal, id: number): Promise<ServiceTicket> {
  const ticket = await readSnapshot(db, provider, (tx) => readTicket(tx, id));
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
      select: {
        status: true,
        parts: { select: { quantity: true, unitPriceCents: true } },
        vehicle: { select: ticketVehicleFields },
      },
    });
    if (edit.status && edit.status !== current.status && !NEXT_STATUSES[current.status].includes(edit.status)) {
      throw new AppError('invalid_status_transition', `A ${current.status} ticket cannot become ${edit.status}`);
    }
    if (edit.odometer_out !== undefined && (edit.status ?? current.status) !== 'COMPLETED') {
      throw new AppError('validation_failed', 'odometer_out is read when the work is done: with status COMPLETED', {
        fields: [{ field: 'odometer_out', message: 'Only when the ticket is or becomes COMPLETED' }],
      });
    }
    if (edit.cost !== undefined) assertTotalWithinLimit(edit.cost + partsCentsOf(current.parts));

    if (removeIds.length > 0) {
      await tx.serviceAssignment.deleteMany({ where: { serviceTicketId: edit.id, mechanicId: { in: removeIds } } });
    }
    if (addIds.length > 0) {
      const assigned = new Set(
        (
          await tx.serviceAssignment.findMany({
            where: { serviceTicketId: edit.id, mechanicId: { in: addIds } },
            select: { mechanicId: true },
          })
        ).map((assignment) => assignment.mechanicId),
      );
      const missing = addIds.filter((id) => !assigned.has(id));
      if (missing.length > 0)
        await tx.serviceAssignment.createMany({ data: missing.map((mechanicId) => ({ serviceTicketId: edit.id, mechanicId })) });
    }
    // In, then out: each reading is checked against the one before it.
    for (const reading of [edit.odometer_in, edit.odometer_out]) {
      if (reading !== undefined) await recordReading(tx, provider, caller, current.vehicle.id, { reading, serviceTicketId: edit.id });
    }
    await tx.serviceTicket.update({
      where: { id: edit.id },
      data: {
        ...(edit.status ? { status: edit.status } : {}),
        ...(edit.cost === undefined ? {} : { costCents: edit.cost }),
        ...(edit.odometer_in === undefined ? {} : { odometerIn: edit.odometer_in }),
        ...(edit.odometer_out === undefined ? {} : { odometerOut: edit.odometer_out }),
        updatedAt: new Date(),
      },
      select: { id: true },
    });
    return readTicket(tx, edit.id);
  });
}

/** A ticket's total must stay within MAX_TICKET_TOTAL_CENTS (exact, and a sane amount for one repair). */
function assertTotalWithinLimit(totalCents: number): void {
  if (totalCents > MAX_TICKET_TOTAL_CENTS) {
    throw new AppError(
      'amount_too_large',
      `The ticket's total would be ${formatCents(totalCents)}; at most ${formatCents(MAX_TICKET_TOTAL_CENTS)}`,
    );
  }
}

/**
 * Puts parts from stock on a ticket. Adding a part that is already on the ticket
 * adds to its quantity at the unit price of the first addition, up to
 * MAX_QUANTITY on one line. Stock is taken with one conditional update, so
 * concurrent additions can never oversell it.
 */
export async function addPartLine(
  { db, provider }: Deps,
  caller: StaffPrincipal,
  { id, inventory_id, quantity }: NewPartLine,
): Promise<ServiceTicket> {
  return inTransaction(db, async (tx) => {
    if (!(await lockServiceTicket(tx, provider, id))) throw notFound(id);
    await requireAssignedTechnician(tx, caller, id);
    const item = await tx.inventoryItem.findUnique({ where: { id: inventory_id }, select: { priceCents: true } });
    if (!item) throw new AppError('not_found', `No inventory item with id ${inventory_id}`);
    const ticket = await tx.serviceTicket.findUniqueOrThrow({
      where: { id },
      select: { costCents: true, parts: { select: { inventoryId: true, quantity: true, unitPriceCents: true } } },
    });
    const line = ticket.parts.find((part) => part.inventoryId === inventory_id);
    if (line && line.quantity + quantity > MAX_QUANTITY) {
      throw new AppError(
        'quantity_too_large',
        `Service ticket ${id} has ${line.quantity} of inventory item ${inventory_id}; a line holds at most ${MAX_QUANTITY}`,
      );
    }
    assertTotalWithinLimit(ticket.costCents + partsCentsOf(ticket.parts) + (line?.unitPriceCents ?? item.priceCents) * quantity);
    const taken = await tx.inventoryItem.updateMany({
      where: { id: inventory_id, quantity: { gte: quantity } },
      data: { quantity: { decrement: quantity } },
    });
    if (taken.count === 0) {
      const { quantity: inStock } = await tx.inventoryItem.findUniqueOrThrow({ where: { id: inventory_id }, select: { quantity: true } });
      throw new AppError('insufficient_stock', `Only ${inStock} of inventory item ${inventory_id} in stock; ${quantity} requested`);
    }
    const key = { serviceTicketId_inventoryId: { serviceTicketId: id, inventoryId: inventory_id } };
    if (line) {
      await tx.ticketPart.update({ where: key, data: { quantity: { increment: quantity } } });
    } else {
      await tx.ticketPart.create({ data: { serviceTicketId: id, inventoryId: inventory_id, quantity, unitPriceCents: item.priceCents } });
    }
    await tx.serviceTicket.update({ where: { id }, data: { updatedAt: new Date() }, select: { id: true } });
    return readTicket(tx, id);
  });
}

/**
 * Takes a part line off a ticket and puts its quantity back in stock, which
 * holds at most MAX_QUANTITY units (checked in the same conditional update).
 */
export async function removePartLine({ db, provider }: Deps, caller: StaffPrincipal, id: number, inventoryId: number): Promise<void> {
  await inTransaction(db, async (tx) => {
    if (!(await lockServiceTicket(tx, provider, id))) throw notFound(id);
    await requireAssignedTechnician(tx, caller, id);
    const key = { serviceTicketId_inventoryId: { serviceTicketId: id, inventoryId } };
    const line = await tx.ticketPart.findUnique({ where: key, select: { quantity: true } });
    if (!line) throw new AppError('not_found', `Inventory item ${inventoryId} is not on service ticket ${id}`);
    await tx.ticketPart.delete({ where: key, select: { quantity: true } });
    const restocked = await tx.inventoryItem.updateMany({
      where: { id: inventoryId, quantity: { lte: MAX_QUANTITY - line.quantity } },
      data: { quantity: { increment: line.quantity } },
    });
    if (restocked.count === 0) {
      throw new AppError(
        'quantity_too_large',
        `Putting ${line.quantity} back would take inventory item ${inventoryId} past ${MAX_QUANTITY} in stock`,
      );
    }
    await tx.serviceTicket.update({ where: { id }, data: { updatedAt: new Date() }, select: { id: true } });
  });
}

/** Deletes a ticket with its assignments and part lines. Parts are not put back in stock: they were used. */
export async function deleteTicket({ db }: Deps, id: number): Promise<void> {
  // One statement, but its cascades can deadlock with a write to the ticket's lines on MySQL.
  const { count } = await retryingConflicts(() => db.serviceTicket.deleteMany({ where: { id } }));
  if (count === 0) throw notFound(id);
}

/** A vehicle with its tickets and odometer readings, newest first: staff, or the vehicle's customer. */
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
        parts: { select: { quantity: true, unitPriceCents: true } },
      },
      orderBy: [{ serviceDate: 'desc' }, { id: 'desc' }],
    });
    const readings = await tx.odometerReading.findMany({ where: { vehicleId: id }, select: readingFields, orderBy: NEWEST_READINGS_FIRST });
    return {
      vehicle: toVehicleView(vehicle),
      tickets: tickets.map((ticket) => ({
        id: ticket.id,
        status: ticket.status,
        service_date: ticket.serviceDate.toISOString().slice(0, 10),
        title: ticket.title,
        total: formatCents(ticket.costCents + partsCentsOf(ticket.parts)),
      })),
      odometer: readings.map(toReadingView),
    };
  });
}
