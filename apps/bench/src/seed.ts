import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { migrateDatabase } from '@mechanic-shop/core';
import bcrypt from 'bcrypt';
import SQLite from 'better-sqlite3';
import { ARTIFACTS_DIR, SQLITE_MIGRATIONS_DIR } from './paths.ts';
import { Random } from './random.ts';

/** Bump when the generated data changes: the cached seed file is keyed by it. */
const SEED_VERSION = 5;

export const SHOP = { customers: 5_000, mechanics: 300, parts: 500, tickets: 30_000 } as const;

/**
 * Tickets seeded for one scenario each, by id among the SHOP.tickets (in the
 * middle: neither the first nor the last page of tickets shows them):
 * estimates of LARGE_ESTIMATE.jobs jobs of LARGE_ESTIMATE.linesPerJob lines,
 * and completed tickets with their work approved, ready to be invoiced. The
 * other scenarios leave both alone.
 */
const SPECIAL_TICKETS = {
  largeEstimate: { first: 10_001, count: 100 },
  readyToInvoice: { first: 20_001, count: 4_000 },
} as const;
export const LARGE_ESTIMATE = { jobs: 10, linesPerJob: 5 } as const;

export type TicketKind = keyof typeof SPECIAL_TICKETS | 'ordinary';

export function ticketKind(id: number): TicketKind {
  for (const [kind, { first, count }] of Object.entries(SPECIAL_TICKETS)) {
    if (id >= first && id < first + count) return kind as TicketKind;
  }
  return 'ordinary';
}

/** The ids of one kind of ticket, in ascending order. */
export function ticketIds(kind: TicketKind): number[] {
  return Array.from({ length: SHOP.tickets }, (_, index) => index + 1).filter((id) => ticketKind(id) === kind);
}

/** Every seeded account has this password, hashed once at the production cost (logins pay that cost). */
export const SEED_PASSWORD = 'bench password 1234';
export const SEED_BCRYPT_COST = 10;
export const mechanicEmail = (id: number) => `mechanic${id}@bench.example`;

/** Big enough that the write scenario never runs a part out of stock. */
const STOCK_PER_PART = 1_000_000;

export interface SeededDatabase {
  /** The pristine seeded file; runs work on a copy of it. */
  file: string;
  key: string;
  /** Seconds spent seeding, or null when the cached file was used. */
  seedSeconds: number | null;
}

/** The seeded shop, built once per seed key and reused from the cache afterwards. */
export async function seededDatabase(): Promise<SeededDatabase> {
  const key = await seedKey();
  const file = path.join(ARTIFACTS_DIR, 'cache', `shop-${key}.db`);
  if (existsSync(file)) return { file, key, seedSeconds: null };
  await mkdir(path.dirname(file), { recursive: true });
  const started = performance.now();
  // Per process: two benches started together each build their own, and the last rename wins.
  const building = `${file}.${process.pid}.building`;
  await rm(building, { force: true });
  await migrateDatabase({ url: `file:${building}` });
  await fillShop(building);
  // Renamed only when complete: an interrupted seed is never taken for a cached one.
  await rename(building, file);
  return { file, key, seedSeconds: (performance.now() - started) / 1000 };
}

/** A fresh copy of the seeded file for one run: the write scenarios change it. */
export async function copyForRun(seedFile: string, runFile: string): Promise<void> {
  await mkdir(path.dirname(runFile), { recursive: true });
  await removeRunCopy(runFile);
  await copyFile(seedFile, runFile);
}

/** A run's copy of the database, with SQLite's files beside it. */
export async function removeRunCopy(runFile: string): Promise<void> {
  await Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(`${runFile}${suffix}`, { force: true })));
}

async function seedKey(): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ SEED_VERSION, SHOP, SEED_BCRYPT_COST }));
  for (const migration of (await readdir(SQLITE_MIGRATIONS_DIR, { withFileTypes: true })).filter((entry) => entry.isDirectory()).sort()) {
    hash.update(await readFile(path.join(SQLITE_MIGRATIONS_DIR, migration.name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

const FIRST_NAMES = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Donald'];
const LAST_NAMES = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra'];
const STREETS = ['Analytical Row', 'Cobol Way', 'Kernel Street', 'Lambda Lane', 'Compiler Court', 'Register Road', 'Stack Avenue'];
const PARTS = ['Brake pad set', 'Oil filter', 'Air filter', 'Spark plug', 'Timing belt', 'Alternator', 'Radiator hose', 'Wiper blade'];
const PART_GRADES = ['Standard', 'Premium', 'Heavy-duty', 'OEM', 'Performance'];
const TITLES = ['Brakes squeal', 'Oil change', 'Engine light on', 'Battery dead', 'Tyre rotation', 'AC blows warm', 'Noisy exhaust'];
const SYMPTOMS = ['when stopping', 'on cold mornings', 'above 80 km/h', 'after a long drive', 'when turning left', 'at idle'];
const VIN_CHARS = [...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'];
const STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;

/** Prisma's SQLite adapter stores DateTime as ISO 8601 text with a `+00:00` offset. */
const sqliteTime = (date: Date) => date.toISOString().replace('Z', '+00:00');

/** Fills a migrated, empty database with the shop, in one transaction of prepared inserts. */
async function fillShop(file: string): Promise<void> {
  const passwordHash = await bcrypt.hash(SEED_PASSWORD, SEED_BCRYPT_COST);
  const random = new Random(0x5eed);
  const db = new SQLite(file);
  // Safe here: an interrupted seed is thrown away, never used.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const start = Date.UTC(2025, 0, 1);
  const minutes = (count: number) => new Date(start + count * 60_000);
  const person = () => `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const phone = () => `+1 555 ${String(random.int(0, 9999)).padStart(4, '0')}`;
  const address = () => `${random.int(1, 999)} ${random.pick(STREETS)}`;

  const insertCustomer = db.prepare(
    'INSERT INTO customers (id, name, email, phone, address, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMechanic = db.prepare(
    'INSERT INTO mechanics (id, name, email, phone, address, salary_cents, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertPart = db.prepare(
    'INSERT INTO inventory (id, part_name, description, price_cents, quantity, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // Each ticket on a vehicle of its own (a made-up VIN, as migrated data may have).
  const insertVehicle = db.prepare('INSERT INTO vehicles (id, customer_id, vin, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const insertTicket = db.prepare(
    `INSERT INTO service_tickets (id, customer_id, title, description, vehicle_id, service_date, status, cost_cents, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAssignment = db.prepare('INSERT INTO service_assignments (service_ticket_id, mechanic_id, assigned_at) VALUES (?, ?, ?)');
  // Each mechanic's count of assignments, which the API keeps with every assignment it writes (top mechanics ranks by it).
  const countAssignments = db.prepare('UPDATE mechanics SET ticket_count = ? WHERE id = ?');
  // Work starts on approved jobs only: a ticket in progress or done had its job approved when it was opened, as
  // migrated data has it.
  const insertJob = db.prepare(
    'INSERT INTO jobs (service_ticket_id, title, position, "authorization", decided_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLabor = db.prepare(
    `INSERT INTO job_lines (job_id, type, description, hours_hundredths, rate_cents, discount_percent_thousandths, created_at, updated_at)
     VALUES (?, 'labor', ?, ?, 12000, ?, ?, ?)`,
  );
  const insertCharge = db.prepare(
    `INSERT INTO job_lines (job_id, type, description, amount_cents, cost_cents, taxable, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO job_lines (job_id, type, inventory_id, quantity, unit_price_cents, created_at, updated_at)
     VALUES (?, 'part', ?, ?, ?, ?, ?)`,
  );

  db.transaction(() => {
    const joined = sqliteTime(minutes(0));
    // The shop is open: registering mechanics needs a mechanic token, as in a real shop.
    db.prepare('INSERT INTO shop_setup (id, completed_at) VALUES (1, ?)').run(joined);
    for (let id = 1; id <= SHOP.customers; id++) {
      insertCustomer.run(id, person(), `customer${id}@bench.example`, phone(), address(), passwordHash, joined, joined);
    }
    for (let id = 1; id <= SHOP.mechanics; id++) {
      const salary = random.int(35_000, 90_000) * 100;
      // Mechanic 1 opened the shop (the bench calls as them); one in ten staff work the desk.
      const role = id === 1 ? 'owner' : id % 10 === 0 ? 'service_writer' : 'technician';
      insertMechanic.run(id, person(), mechanicEmail(id), phone(), address(), salary, role, passwordHash, joined, joined);
    }
    const prices: number[] = [0];
    for (let id = 1; id <= SHOP.parts; id++) {
      prices[id] = random.int(500, 90_000);
      const name = `${random.pick(PART_GRADES)} ${random.pick(PARTS).toLowerCase()} #${id}`;
      insertPart.run(id, name, `Fits most models; bin ${random.int(1, 60)}`, prices[id], STOCK_PER_PART, joined, joined);
    }
    // Some mechanics work far more tickets than others, so "top mechanics" has a real ranking.
    const busyMechanic = () => 1 + Math.floor(SHOP.mechanics * random.next() ** 2);
    const assigned: number[] = [];
    for (let id = 1; id <= SHOP.tickets; id++) {
      const opened = minutes(id * 15);
      const at = sqliteTime(opened);
      const serviceDate = new Date(Date.UTC(opened.getUTCFullYear(), opened.getUTCMonth(), opened.getUTCDate() + random.int(0, 14)));
      const vin = Array.from({ length: 17 }, () => random.pick(VIN_CHARS)).join('');
      const description = `${random.pick(TITLES)} ${random.pick(SYMPTOMS)}; customer waits ${random.int(1, 5)} hours.`;
      const customerId = random.int(1, SHOP.customers);
      insertVehicle.run(id, customerId, vin, at, at);
      const kind = ticketKind(id);
      const status = kind === 'readyToInvoice' ? 'COMPLETED' : kind === 'largeEstimate' ? 'IN_PROGRESS' : random.pick(STATUSES);
      insertTicket.run(
        id,
        customerId,
        random.pick(TITLES),
        description,
        id,
        sqliteTime(serviceDate),
        status,
        random.int(0, 600) * 100,
        at,
        at,
      );
      for (const mechanic of random.distinct(random.int(1, 3), busyMechanic)) {
        insertAssignment.run(id, mechanic, at);
        assigned[mechanic] = (assigned[mechanic] ?? 0) + 1;
      }
      const addJob = (position: number, authorization: 'pending' | 'approved' | 'declined') =>
        Number(
          insertJob.run(id, random.pick(TITLES), position, authorization, authorization === 'pending' ? null : at, at, at).lastInsertRowid,
        );
      const addPartLines = (jobId: number, count: number) => {
        for (const part of random.distinct(count, () => random.int(1, SHOP.parts))) {
          insertLine.run(jobId, part, random.int(1, 4), prices[part], at, at);
        }
      };
      if (kind === 'largeEstimate') {
        // Every kind of line and decision the money engine prices: discounted labor, parts, an untaxed fee, a sublet;
        // approved, pending and declined jobs (a declined one is priced on its own).
        for (let position = 1; position <= LARGE_ESTIMATE.jobs; position++) {
          const jobId = addJob(position, position % 4 === 0 ? 'declined' : position % 4 === 3 ? 'pending' : 'approved');
          insertLabor.run(jobId, 'Diagnose and repair', random.int(1, 8) * 25, position % 2 === 0 ? 10_000 : null, at, at);
          addPartLines(jobId, LARGE_ESTIMATE.linesPerJob - 3);
          insertCharge.run(jobId, 'fee', 'Hazmat disposal', random.int(100, 2_000), null, 0, at, at);
          insertCharge.run(jobId, 'sublet', 'Alignment', random.int(5_000, 20_000), random.int(2_000, 5_000), 1, at, at);
        }
        continue;
      }
      // An ordinary ticket is an estimate of one job: an hour or two of labor and its part lines.
      const started = status === 'IN_PROGRESS' || status === 'COMPLETED';
      const jobId = addJob(1, started ? 'approved' : 'pending');
      insertLabor.run(jobId, 'Diagnose and repair', random.int(1, 8) * 25, null, at, at);
      addPartLines(jobId, random.int(0, 4));
    }
    assigned.forEach((count, mechanic) => countAssignments.run(count, mechanic));
  })();
  // The API opens it in WAL mode; a rollback journal keeps the cached seed a single self-contained file.
  db.pragma('journal_mode = DELETE');
  db.close();
}
