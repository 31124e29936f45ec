import type { Principal, StaffPrincipal } from '../auth/tokens.ts';
import type { Prisma, Transaction } from '../db/client.ts';
import { containsLiterally, lockVehicleOdometer } from '../db/dialect.ts';
import type { Provider } from '../db/provider.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { inTransaction } from '../db/transactions.ts';
import { AppError } from '../errors.ts';
import { diffFields, emitEvent, recordAudit } from '../events/outbox.ts';
import { pageWindow, toPage, type Page, type PaginationInput } from '../shared/schemas.ts';
import type { AppServices } from '../app-services.ts';
import { checkVin, decodeVin } from './vin.ts';
import type {
  NewOdometerReading,
  NewVehicle,
  OdometerQuery,
  OdometerReading,
  Vehicle,
  VehicleChanges,
  VehicleQuery,
  VinLookup,
  VinReport,
} from './vehicle.schemas.ts';

type Deps = Pick<AppServices, 'db' | 'provider'>;
type Db = Deps['db'] | Transaction;

export const vehicleFields = {
  id: true,
  customerId: true,
  vin: true,
  plate: true,
  year: true,
  make: true,
  model: true,
  trim: true,
  engine: true,
  color: true,
  odometer: true,
  odometerUnit: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.VehicleSelect;

type VehicleRow = Prisma.VehicleGetPayload<{ select: typeof vehicleFields }>;

export function toVehicleView(row: VehicleRow): Vehicle {
  return {
    id: row.id,
    customer_id: row.customerId,
    vin: row.vin,
    plate: row.plate,
    year: row.year,
    make: row.make,
    model: row.model,
    trim: row.trim,
    engine: row.engine,
    color: row.color,
    odometer: row.odometer,
    odometer_unit: row.odometerUnit,
    // Decoded on each read rather than stored: the WMI table improves with releases.
    decoded: row.vin === null ? null : decodeVin(row.vin),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export const readingFields = {
  id: true,
  vehicleId: true,
  reading: true,
  unit: true,
  correctionReason: true,
  recordedByKind: true,
  recordedById: true,
  recordedAt: true,
  serviceTicketId: true,
} satisfies Prisma.OdometerReadingSelect;

export function toReadingView(row: Prisma.OdometerReadingGetPayload<{ select: typeof readingFields }>): OdometerReading {
  return {
    id: row.id,
    vehicle_id: row.vehicleId,
    reading: row.reading,
    unit: row.unit,
    correction_reason: row.correctionReason,
    recorded_by: { kind: row.recordedByKind, id: row.recordedById },
    recorded_at: row.recordedAt.toISOString(),
    service_ticket_id: row.serviceTicketId,
  };
}

/** The fields an audit entry compares: what a person sets (not the derived `decoded` nor the timestamps). */
const auditedFields = [
  'customer_id',
  'vin',
  'plate',
  'year',
  'make',
  'model',
  'trim',
  'engine',
  'color',
  'odometer',
  'odometer_unit',
] as const satisfies ReadonlyArray<keyof Vehicle>;

/** Newest first: the order of every list of readings. */
export const NEWEST_READINGS_FIRST = [{ recordedAt: 'desc' }, { id: 'desc' }] satisfies Prisma.OdometerReadingOrderByWithRelationInput[];

export function vehicleNotFound(id: number): AppError {
  return new AppError('not_found', `No vehicle with id ${id}`);
}

/** Owners and service writers deal with customers' vehicles; technicians only read them. */
function isDesk(caller: Principal): caller is StaffPrincipal {
  return caller.role === 'mechanic' && caller.staffRole !== 'technician';
}

function refuseTechnician(caller: Principal, action: string): void {
  if (caller.role === 'mechanic' && !isDesk(caller)) {
    throw new AppError('forbidden', `Technicians may not ${action}; that is for owners and service writers`);
  }
}

/** A valid VIN, upper-case, or a 400 `invalid_vin` saying what is wrong with it. */
export function validVin(raw: string, year?: number | null): VinReport {
  const checked = checkVin(raw, year);
  if (!checked.ok) throw new AppError('invalid_vin', checked.detail, { fields: [{ field: 'vin', message: checked.detail }] });
  return { vin: checked.vin, decoded: checked.decoded };
}

export function checkVinReport({ vin, year }: VinLookup): VinReport {
  return validVin(vin, year);
}

/**
 * The 409 for a VIN on another vehicle. Staff learn which one; a customer is
 * told to ask the shop, and learns nothing of the vehicle's owner.
 */
export function vinTaken(caller: Principal, holder: { id: number; customerId: number }): AppError {
  if (caller.role === 'mechanic') return new AppError('vin_taken', `Vehicle ${holder.id} has this VIN already`);
  if (holder.customerId === caller.id) return new AppError('vin_taken', `Your vehicle ${holder.id} has this VIN already`);
  return new AppError('vin_taken', 'This VIN belongs to a vehicle the shop knows already; ask the shop to move it to your account');
}

/** A vehicle as its caller may see it: staff any, a customer their own (another's is a 404, like one that does not exist). */
export async function readableVehicle(db: Db, caller: Principal, id: number): Promise<VehicleRow> {
  const row = await db.vehicle.findUnique({ where: { id }, select: vehicleFields });
  if (!row || (caller.role === 'customer' && row.customerId !== caller.id)) throw vehicleNotFound(id);
  return row;
}

/** The customer a staff write is for must exist and not be erased. */
export async function requireCustomer(db: Db, id: number): Promise<void> {
  if (!(await db.customer.count({ where: { id, erasedAt: null } }))) throw new AppError('not_found', `No customer with id ${id}`);
}

/** The customer a new vehicle or ticket is for: a customer's own, or the one a desk staff member names. */
export function customerOfWrite(caller: Principal, customerId: number | undefined, what: string): number {
  if (caller.role === 'customer') {
    // Refused like an unknown field, as before staff could name a customer: the owner comes from the token.
    if (customerId !== undefined) {
      throw new AppError('validation_failed', `Customers add ${what} for themselves: the token says who`, {
        fields: [{ field: 'customer_id', message: 'For staff only' }],
      });
    }
    return caller.id;
  }
  refuseTechnician(caller, `add ${what} for customers`);
  if (customerId === undefined) {
    throw new AppError('validation_failed', `Staff name the customer the ${what} is for`, {
      fields: [{ field: 'customer_id', message: 'Required for staff' }],
    });
  }
  return customerId;
}

/**
 * Records a reading and makes it the vehicle's latest. Readings never go down:
 * one below the latest is a 409 `odometer_rollback` unless a correction reason
 * says why (kept with it). Runs in the caller's transaction.
 */
export async function recordReading(
  tx: Transaction,
  provider: Provider,
  caller: Principal,
  vehicleId: number,
  reading: { reading: number; unit?: 'mi' | 'km'; correction_reason?: string; serviceTicketId?: number },
): Promise<OdometerReading> {
  const locked = await lockVehicleOdometer(tx, provider, vehicleId);
  if (!locked) throw vehicleNotFound(vehicleId);
  const vehicle = { id: vehicleId, ...locked };
  const unit = reading.unit ?? vehicle.odometerUnit;
  const latest = vehicle.odometer === null ? null : inUnit(vehicle.odometer, vehicle.odometerUnit, unit);
  if (latest !== null && reading.reading < latest && !reading.correction_reason) {
    const asRecorded = unit === vehicle.odometerUnit ? '' : ` (${vehicle.odometer} ${vehicle.odometerUnit})`;
    throw new AppError(
      'odometer_rollback',
      `The latest reading of vehicle ${vehicle.id} is ${latest} ${unit}${asRecorded}; ${reading.reading} ${unit} is lower. ` +
        'Send correction_reason to record it anyway',
    );
  }
  const row = await tx.odometerReading.create({
    data: {
      vehicleId: vehicle.id,
      reading: reading.reading,
      unit,
      correctionReason: reading.correction_reason ?? null,
      recordedByKind: caller.role === 'customer' ? 'customer' : 'staff',
      recordedById: caller.id,
      serviceTicketId: reading.serviceTicketId ?? null,
    },
    select: readingFields,
  });
  await tx.vehicle.update({
    where: { id: vehicle.id },
    // The vehicle keeps its own unit: a reading in the other one is shown converted (rounded down).
    data: { odometer: inUnit(reading.reading, unit, vehicle.odometerUnit), updatedAt: new Date() },
    select: { id: true },
  });
  return toReadingView(row);
}

const KM_PER_MILE = 1.609344;

/** A distance in another unit, rounded down: a reading converted never looks higher than it was. */
function inUnit(distance: number, from: 'mi' | 'km', to: 'mi' | 'km'): number {
  if (from === to) return distance;
  return Math.floor(from === 'mi' ? distance * KM_PER_MILE : distance / KM_PER_MILE);
}

/** Turns a unique violation on the VIN (a concurrent write took it) into the 409 of the rule. */
export async function guardingVin<Result>(db: Deps['db'], caller: Principal, vin: string | null | undefined, write: () => Promise<Result>) {
  try {
    return await write();
  } catch (error) {
    if (vin && isUniqueViolation(error)) {
      const holder = await db.vehicle.findUnique({ where: { vin }, select: { id: true, customerId: true } });
      if (holder) throw vinTaken(caller, holder);
    }
    throw error;
  }
}

/**
 * Adds a vehicle, in one transaction with its first odometer reading and its
 * `vehicle.created` event (also when a ticket creates it from a VIN). The VIN is
 * checked (`checkVin`); the year and make the user gave win over the decoded
 * ones, which fill what was left empty.
 */
export async function createVehicle(
  tx: Transaction,
  provider: Provider,
  caller: Principal,
  customerId: number,
  input: Omit<NewVehicle, 'customer_id' | 'odometer_unit'> & { odometer_unit?: 'mi' | 'km' },
): Promise<VehicleRow> {
  const { vin: rawVin, odometer, odometer_unit: odometerUnit = 'mi', ...details } = input;
  if (rawVin === undefined && details.plate === undefined) {
    throw new AppError('validation_failed', 'A vehicle needs a VIN or a plate', {
      fields: [{ field: 'vin', message: 'Send vin or plate' }],
    });
  }
  const checked = rawVin === undefined ? null : validVin(rawVin, details.year);
  if (checked) {
    const holder = await tx.vehicle.findUnique({ where: { vin: checked.vin }, select: { id: true, customerId: true } });
    if (holder) throw vinTaken(caller, holder);
  }
  const row = await tx.vehicle.create({
    data: {
      customerId,
      ...details,
      vin: checked?.vin ?? null,
      year: details.year ?? checked?.decoded.model_year ?? null,
      make: details.make ?? checked?.decoded.manufacturer ?? null,
      odometerUnit,
    },
    select: vehicleFields,
  });
  if (odometer !== undefined) await recordReading(tx, provider, caller, row.id, { reading: odometer, unit: odometerUnit });
  const created = odometer === undefined ? row : await tx.vehicle.findUniqueOrThrow({ where: { id: row.id }, select: vehicleFields });
  const view = toVehicleView(created);
  const subject = { type: 'vehicle', id: created.id };
  await emitEvent(tx, { type: 'vehicle.created', actor: caller, subject, data: view });
  await recordAudit(tx, { actor: caller, subject, action: 'vehicle.created', changes: diffFields(null, view, auditedFields) });
  return created;
}

export async function addVehicle({ db, provider }: Deps, caller: Principal, { customer_id, ...input }: NewVehicle): Promise<Vehicle> {
  const customerId = customerOfWrite(caller, customer_id, 'vehicles');
  const row = await guardingVin(db, caller, input.vin, () =>
    inTransaction(db, async (tx) => {
      await requireCustomer(tx, customerId);
      return createVehicle(tx, provider, caller, customerId, input);
    }),
  );
  return toVehicleView(row);
}

export async function listVehicles({ db, provider }: Deps, { customer_id, vin, plate, q, ...page }: VehicleQuery): Promise<Page<Vehicle>> {
  const where: Prisma.VehicleWhereInput = {
    ...(customer_id === undefined ? {} : { customerId: customer_id }),
    ...(vin === undefined ? {} : { vin }),
    ...(plate === undefined ? {} : { plate }),
  };
  if (q !== undefined) {
    // Literal text in any case, in SQL: Prisma's `contains` reads % and _ as wildcards (see containsLiterally).
    const columns = (['make', 'model', 'vin', 'plate'] as const).map((column) => containsLiterally(provider, column, q));
    const matches = await db.$queryRaw<
      Array<{ id: number | bigint }>
    >`SELECT id FROM vehicles WHERE ${columns[0]} OR ${columns[1]} OR ${columns[2]} OR ${columns[3]}`;
    where.id = { in: matches.map((row) => Number(row.id)) };
  }
  return pageOfVehicles(db, where, page);
}

async function pageOfVehicles(db: Deps['db'], where: Prisma.VehicleWhereInput, page: PaginationInput): Promise<Page<Vehicle>> {
  const [rows, total] = await Promise.all([
    db.vehicle.findMany({ where, select: vehicleFields, orderBy: { id: 'asc' }, ...pageWindow(page) }),
    db.vehicle.count({ where }),
  ]);
  return toPage(rows.map(toVehicleView), total, page);
}

export function listCustomerVehicles({ db }: Deps, customerId: number, page: PaginationInput): Promise<Page<Vehicle>> {
  return pageOfVehicles(db, { customerId }, page);
}

export async function getVehicle({ db }: Deps, caller: Principal, id: number): Promise<Vehicle> {
  return toVehicleView(await readableVehicle(db, caller, id));
}

/**
 * Changes a vehicle: its owning customer or desk staff. Only staff move it to
 * another customer (`customer_id`). A changed VIN is checked like a new one.
 */
export async function updateVehicle(
  { db }: Deps,
  caller: Principal,
  { id, customer_id, vin, ...changes }: VehicleChanges,
): Promise<Vehicle> {
  refuseTechnician(caller, 'change vehicles');
  if (caller.role === 'customer' && customer_id !== undefined) {
    throw new AppError('forbidden', 'Only the shop moves a vehicle to another customer');
  }
  const row = await guardingVin(db, caller, vin, () =>
    inTransaction(db, async (tx) => {
      const current = await readableVehicle(tx, caller, id);
      if (customer_id !== undefined && customer_id !== current.customerId) await requireCustomer(tx, customer_id);
      const year = changes.year === undefined ? current.year : changes.year;
      // A short (pre-1981) VIN stays valid only with a year before 1981: a new year is checked against it too.
      const recheck = vin === undefined && changes.year !== undefined && current.vin !== null && current.vin.length < 17;
      const checked = vin !== undefined ? validVin(vin, year) : recheck ? validVin(current.vin!, year) : null;
      if (checked && checked.vin !== current.vin) {
        const holder = await tx.vehicle.findUnique({ where: { vin: checked.vin }, select: { id: true, customerId: true } });
        if (holder) throw vinTaken(caller, holder);
      }
      const updated = await tx.vehicle.update({
        where: { id },
        data: {
          ...changes,
          ...(checked ? { vin: checked.vin } : {}),
          ...(customer_id === undefined ? {} : { customerId: customer_id }),
        },
        select: vehicleFields,
      });
      await recordAudit(tx, {
        actor: caller,
        subject: { type: 'vehicle', id },
        action: 'vehicle.updated',
        changes: diffFields(toVehicleView(current), toVehicleView(updated), auditedFields),
      });
      return updated;
    }),
  );
  return toVehicleView(row);
}

/** Deletes a vehicle with its readings: desk staff or its customer; never one with tickets (409). */
export async function deleteVehicle({ db }: Deps, caller: Principal, id: number): Promise<void> {
  refuseTechnician(caller, 'delete vehicles');
  await inTransaction(db, async (tx) => {
    const current = await readableVehicle(tx, caller, id);
    const tickets = await tx.serviceTicket.count({ where: { vehicleId: id } });
    if (tickets > 0) {
      throw new AppError('vehicle_has_tickets', `Vehicle ${id} is on ${tickets} service ticket(s); it stays as their record`);
    }
    await tx.vehicle.delete({ where: { id }, select: { id: true } });
    await recordAudit(tx, {
      actor: caller,
      subject: { type: 'vehicle', id },
      action: 'vehicle.deleted',
      changes: diffFields(toVehicleView(current), null, auditedFields),
    });
  });
}

export async function addReading(
  { db, provider }: Deps,
  caller: StaffPrincipal,
  { id, ...reading }: NewOdometerReading,
): Promise<OdometerReading> {
  return inTransaction(db, async (tx) => {
    await readableVehicle(tx, caller, id);
    return recordReading(tx, provider, caller, id, reading);
  });
}

export async function listReadings({ db }: Deps, caller: Principal, { id, ...page }: OdometerQuery): Promise<Page<OdometerReading>> {
  await readableVehicle(db, caller, id);
  const [rows, total] = await Promise.all([
    db.odometerReading.findMany({ where: { vehicleId: id }, select: readingFields, orderBy: NEWEST_READINGS_FIRST, ...pageWindow(page) }),
    db.odometerReading.count({ where: { vehicleId: id } }),
  ]);
  return toPage(rows.map(toReadingView), total, page);
}
