import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, testProvider, type ScratchDatabase } from '../testing/databases.ts';
import { migrateDatabase, MIGRATIONS_ROOT, readMigrationFiles } from './migrate.ts';

/**
 * The data steps of migrations, on a shop that has data: the database is migrated
 * up to the migration before, filled as the older version would, then migrated
 * to date. Once per database (vitest projects).
 */
const provider = testProvider();

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A scratch database with the migrations before `migration` applied; migrating it again applies `migration` and the later ones. */
async function migratedUpTo(migration: string): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(provider);
  cleanups.push(() => database.drop());
  const root = await mkdtemp(path.join(tmpdir(), 'ms-migrations-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await cp(MIGRATIONS_ROOT, root, { recursive: true });
  for (const later of (await readMigrationFiles(provider)).filter(({ name }) => name >= migration)) {
    await rm(path.join(root, provider, later.name), { recursive: true });
  }
  await migrateDatabase({ url: database.url }, { root });
  return database;
}

/** The names of `migration` and the ones after it: what migrating a database left before it applies. */
async function fromMigration(migration: string): Promise<string[]> {
  return (await readMigrationFiles(provider)).map(({ name }) => name).filter((name) => name >= migration);
}

const STAFF_ROLES = '20261130002100_staff_roles';

async function insertMechanic(database: ScratchDatabase, id: number): Promise<void> {
  await database.query(
    'INSERT INTO mechanics (id, name, email, phone, address, salary_cents, password_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)',
    [id, `Mechanic ${id}`, `m${id}@example.com`, '+1 555 0100', '1 Main Street', 100, 'x'],
  );
}

async function roles(database: ScratchDatabase): Promise<Array<{ id: number; role: string }>> {
  const rows = await database.query<{ id: number | bigint; role: string }>('SELECT id, role FROM mechanics ORDER BY id');
  return rows.map(({ id, role }) => ({ id: Number(id), role }));
}

describe(`the staff roles migration on ${provider}`, () => {
  it("makes the shop's first mechanic (lowest id) its owner and the others service writers; new accounts are technicians", async () => {
    const database = await migratedUpTo(STAFF_ROLES);
    // Not in id order: the owner is the lowest id, not the first row written.
    for (const id of [7, 3, 12]) await insertMechanic(database, id);

    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(STAFF_ROLES));
    expect(await roles(database)).toEqual([
      { id: 3, role: 'owner' },
      { id: 7, role: 'service_writer' },
      { id: 12, role: 'service_writer' },
    ]);
    await insertMechanic(database, 20);
    expect((await roles(database)).at(-1)).toEqual({ id: 20, role: 'technician' });
  });

  it('leaves a shop without staff without staff', async () => {
    const database = await migratedUpTo(STAFF_ROLES);
    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(STAFF_ROLES));
    expect(await roles(database)).toEqual([]);
  });
});

const VEHICLES = '20261130004243_vehicles';

async function insertCustomer(database: ScratchDatabase, id: number): Promise<void> {
  await database.query(
    'INSERT INTO customers (id, name, email, phone, address, password_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)',
    [id, `Customer ${id}`, `c${id}@example.com`, '+1 555 0100', '1 Main Street', 'x'],
  );
}

async function insertTicket(database: ScratchDatabase, id: number, customerId: number, vin: string): Promise<void> {
  await database.query(
    'INSERT INTO service_tickets (id, customer_id, title, description, vin, service_date, updated_at) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)',
    [id, customerId, `Ticket ${id}`, 'Squeaks', vin],
  );
}

describe(`the vehicles migration on ${provider}`, () => {
  it('makes one vehicle per distinct VIN, owned by the customer of its latest ticket, and points every ticket at it', async () => {
    const database = await migratedUpTo(VEHICLES);
    for (const id of [1, 2]) await insertCustomer(database, id);
    // The car changed hands: customer 1's ticket 3, then customer 2's ticket 5. The
    // second VIN has a wrong check digit (…8633… is right): it is kept as it is.
    await insertTicket(database, 3, 1, '1HGCM82633A004352');
    await insertTicket(database, 4, 1, '1HGCM82623A004352');
    await insertTicket(database, 5, 2, '1HGCM82633A004352');

    expect((await migrateDatabase({ url: database.url })).applied).toEqual([VEHICLES]);
    const vehicles = await database.query<{ id: number | bigint; customer_id: number | bigint; vin: string; odometer_unit: string }>(
      'SELECT id, customer_id, vin, odometer_unit FROM vehicles ORDER BY vin',
    );
    expect(vehicles.map((row) => ({ customer_id: Number(row.customer_id), vin: row.vin, odometer_unit: row.odometer_unit }))).toEqual([
      { customer_id: 1, vin: '1HGCM82623A004352', odometer_unit: 'mi' },
      { customer_id: 2, vin: '1HGCM82633A004352', odometer_unit: 'mi' },
    ]);
    const vehicleOf = new Map(vehicles.map((row) => [row.vin, Number(row.id)]));
    const tickets = await database.query<{ id: number | bigint; customer_id: number | bigint; vehicle_id: number | bigint }>(
      'SELECT id, customer_id, vehicle_id FROM service_tickets ORDER BY id',
    );
    expect(tickets.map((row) => [Number(row.id), Number(row.customer_id), Number(row.vehicle_id)])).toEqual([
      [3, 1, vehicleOf.get('1HGCM82633A004352')],
      [4, 1, vehicleOf.get('1HGCM82623A004352')],
      [5, 2, vehicleOf.get('1HGCM82633A004352')],
    ]);
  });

  it('leaves a shop without tickets without vehicles', async () => {
    const database = await migratedUpTo(VEHICLES);
    expect((await migrateDatabase({ url: database.url })).applied).toEqual([VEHICLES]);
    expect(await database.query('SELECT id FROM vehicles')).toEqual([]);
  });
});
