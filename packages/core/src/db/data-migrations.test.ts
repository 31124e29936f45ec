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

    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(VEHICLES));
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
    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(VEHICLES));
    expect(await database.query('SELECT id FROM vehicles')).toEqual([]);
  });
});

const ESTIMATES = '20261130010640_estimates';

async function insertVehicleTicket(database: ScratchDatabase, id: number, customerId: number): Promise<void> {
  await database.query('INSERT INTO vehicles (id, customer_id, vin, updated_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)', [
    id,
    customerId,
    `1HGCM82633A00${String(id).padStart(4, '0')}`,
  ]);
  await database.query(
    'INSERT INTO service_tickets (id, customer_id, vehicle_id, title, description, service_date, cost_cents, updated_at) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?, CURRENT_TIMESTAMP)',
    [id, customerId, id, `Ticket ${id}`, 'Squeaks', 1_000],
  );
}

async function insertItem(database: ScratchDatabase, id: number, priceCents: number, quantity: number): Promise<void> {
  await database.query('INSERT INTO inventory (id, part_name, price_cents, quantity, updated_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)', [
    id,
    `Part ${id}`,
    priceCents,
    quantity,
  ]);
}

async function insertTicketPart(
  database: ScratchDatabase,
  ticketId: number,
  inventoryId: number,
  quantity: number,
  unitPriceCents: number,
) {
  await database.query('INSERT INTO ticket_parts (service_ticket_id, inventory_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)', [
    ticketId,
    inventoryId,
    quantity,
    unitPriceCents,
  ]);
}

describe(`the estimates migration on ${provider}`, () => {
  it('gives every ticket with parts one "General" job holding the same part lines; stock and the other tickets stay as they were', async () => {
    const database = await migratedUpTo(ESTIMATES);
    await insertCustomer(database, 1);
    for (const id of [1, 2, 3]) await insertVehicleTicket(database, id, 1);
    await insertItem(database, 10, 4_990, 7);
    await insertItem(database, 11, 1_250, 3);
    // Unit prices differ from today's item price: the line keeps what it was sold at.
    await insertTicketPart(database, 1, 11, 2, 1_100);
    await insertTicketPart(database, 1, 10, 1, 4_500);
    await insertTicketPart(database, 3, 10, 4, 4_990);

    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(ESTIMATES));
    const jobs = await database.query<{ id: number | bigint; service_ticket_id: number | bigint; title: string; pay_type: string }>(
      'SELECT id, service_ticket_id, title, pay_type FROM jobs ORDER BY service_ticket_id',
    );
    expect(jobs.map((job) => [Number(job.service_ticket_id), job.title, job.pay_type])).toEqual([
      [1, 'General', 'customer'],
      [3, 'General', 'customer'],
    ]);
    const ticketOfJob = new Map(jobs.map((job) => [Number(job.id), Number(job.service_ticket_id)]));
    const lines = await database.query<{
      job_id: number | bigint;
      type: string;
      inventory_id: number | bigint;
      quantity: number | bigint;
      unit_price_cents: number | bigint;
      taxable: unknown;
    }>('SELECT job_id, type, inventory_id, quantity, unit_price_cents, taxable FROM job_lines ORDER BY job_id, inventory_id');
    // By ticket and part: the migration's job ids follow no ticket order on PostgreSQL.
    const byTicketAndPart = (a: readonly unknown[], b: readonly unknown[]) => Number(a[0]) - Number(b[0]) || Number(a[2]) - Number(b[2]);
    expect(
      lines
        .map((line) => [
          ticketOfJob.get(Number(line.job_id)),
          line.type,
          Number(line.inventory_id),
          Number(line.quantity),
          Number(line.unit_price_cents),
          Boolean(Number(line.taxable)),
        ])
        .sort(byTicketAndPart),
    ).toEqual([
      [1, 'part', 10, 1, 4_500, true],
      [1, 'part', 11, 2, 1_100, true],
      [3, 'part', 10, 4, 4_990, true],
    ]);
    const stock = await database.query<{ id: number | bigint; quantity: number | bigint }>(
      'SELECT id, quantity FROM inventory ORDER BY id',
    );
    expect(stock.map((item) => [Number(item.id), Number(item.quantity)])).toEqual([
      [10, 7],
      [11, 3],
    ]);
    const tickets = await database.query<{ id: number | bigint; cost_cents: number | bigint; estimate_version: number | bigint }>(
      'SELECT id, cost_cents, estimate_version FROM service_tickets ORDER BY id',
    );
    expect(tickets.map((ticket) => [Number(ticket.id), Number(ticket.cost_cents), Number(ticket.estimate_version)])).toEqual([
      [1, 1_000, 0],
      [2, 1_000, 0],
      [3, 1_000, 0],
    ]);
  });

  it('leaves a shop without part lines without jobs', async () => {
    const database = await migratedUpTo(ESTIMATES);
    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(ESTIMATES));
    expect(await database.query('SELECT id FROM jobs')).toEqual([]);
  });
});

const APPROVALS = '20261130020238_approvals_invoices';

describe(`the approvals and invoices migration on ${provider}`, () => {
  it('approves the jobs of tickets started or done (decided when the ticket last changed); the others stay pending', async () => {
    const database = await migratedUpTo(APPROVALS);
    await insertCustomer(database, 1);
    const statuses = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
    for (const [index, status] of statuses.entries()) {
      const id = index + 1;
      await insertVehicleTicket(database, id, 1);
      // The statuses are this test's own literals (an enum column on PostgreSQL takes a literal, not a text parameter).
      await database.query(`UPDATE service_tickets SET status = '${status}' WHERE id = ?`, [id]);
      for (const position of [1, 2]) {
        await database.query('INSERT INTO jobs (service_ticket_id, title, position, updated_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)', [
          id,
          `Job ${position}`,
          position,
        ]);
      }
    }

    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(APPROVALS));
    // "authorization" is a reserved word: quoted as each database quotes names.
    const authorization = provider === 'mysql' ? '`authorization`' : '"authorization"';
    const jobs = await database.query<{ ticket: number | bigint; decision: string; decided_at: unknown; updated_at: unknown }>(
      `SELECT j.service_ticket_id AS ticket, j.${authorization} AS decision, j.decided_at, t.updated_at
       FROM jobs j JOIN service_tickets t ON t.id = j.service_ticket_id ORDER BY j.service_ticket_id, j.position`,
    );
    expect(jobs.map((job) => [Number(job.ticket), job.decision, job.decided_at === null])).toEqual([
      [1, 'pending', true],
      [1, 'pending', true],
      [2, 'approved', false],
      [2, 'approved', false],
      [3, 'approved', false],
      [3, 'approved', false],
      [4, 'pending', true],
      [4, 'pending', true],
    ]);
    for (const job of jobs.filter((row) => row.decision === 'approved')) expect(String(job.decided_at)).toBe(String(job.updated_at));
  });

  it('starts the invoice numbers at 1: the sequence row holds 0', async () => {
    const database = await migratedUpTo(APPROVALS);
    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(APPROVALS));
    const rows = await database.query<{ id: number | bigint; last_number: number | bigint }>(
      'SELECT id, last_number FROM invoice_sequence',
    );
    expect(rows.map((row) => [Number(row.id), Number(row.last_number)])).toEqual([[1, 0]]);
    expect(await database.query('SELECT id FROM jobs')).toEqual([]);
  });
});

const TOP_MECHANICS_COUNTER = '20261130051438_top_mechanics_counter';

describe(`the top mechanics counter migration on ${provider}`, () => {
  it("counts each mechanic's assignments; a mechanic without any counts 0, as do the ones added later", async () => {
    const database = await migratedUpTo(TOP_MECHANICS_COUNTER);
    await insertCustomer(database, 1);
    for (const id of [1, 2, 3]) await insertVehicleTicket(database, id, 1);
    for (const id of [4, 5, 6]) await insertMechanic(database, id);
    for (const [ticket, mechanic] of [
      [1, 4],
      [2, 4],
      [3, 4],
      [2, 6],
    ]) {
      await database.query('INSERT INTO service_assignments (service_ticket_id, mechanic_id) VALUES (?, ?)', [ticket, mechanic]);
    }

    expect((await migrateDatabase({ url: database.url })).applied).toEqual(await fromMigration(TOP_MECHANICS_COUNTER));
    await insertMechanic(database, 7);
    const counts = await database.query<{ id: number | bigint; ticket_count: number | bigint }>(
      'SELECT id, ticket_count FROM mechanics ORDER BY id',
    );
    expect(counts.map((row) => [Number(row.id), Number(row.ticket_count)])).toEqual([
      [4, 3],
      [5, 0],
      [6, 1],
      [7, 0],
    ]);
  });
});
