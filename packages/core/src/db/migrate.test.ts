import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase, MigrationError, MIGRATIONS_ROOT, readMigrationFiles, resolveMigration } from './migrate.ts';
import type { Provider } from './provider.ts';
import { createScratchDatabase, testProvider, type ScratchDatabase } from '../testing/databases.ts';

/** The suite runs once per database (vitest projects): this run's. */
const provider = testProvider();

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function newDatabase(provider: Provider): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(provider);
  cleanups.push(() => database.drop());
  return database;
}

/** A copy of prisma/migrations that a test may add to and edit. */
async function copyOfMigrations(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'ms-migrations-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await cp(MIGRATIONS_ROOT, root, { recursive: true });
  return root;
}

const LATER = '20991231000000_add_workshop_bays';
const CREATE_WORKSHOP_BAYS = 'CREATE TABLE workshop_bays (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(40) NOT NULL);\n';
const FAILING_STATEMENT = 'INSERT INTO no_such_table (id) VALUES (1);\n';

async function writeMigration(root: string, provider: Provider, name: string, sql: string): Promise<string> {
  const file = path.join(root, provider, name, 'migration.sql');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, sql);
  return file;
}

async function tableNames(database: ScratchDatabase): Promise<string[]> {
  const sql = {
    sqlite: "SELECT name AS table_name FROM sqlite_master WHERE type = 'table'",
    postgresql: 'SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema()',
    mysql: 'SELECT table_name AS table_name FROM information_schema.tables WHERE table_schema = DATABASE()',
  }[database.provider];
  return (await database.query<{ table_name: string }>(sql)).map((row) => row.table_name).sort();
}

interface MigrationRecord {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

async function migrationRecords(database: ScratchDatabase): Promise<MigrationRecord[]> {
  const rows = await database.query<{ migration_name: string; checksum: string; finished_at: unknown; rolled_back_at: unknown }>(
    // Failed attempts before the finished one: SQLite's timestamps have whole seconds.
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name, finished_at IS NOT NULL',
  );
  return rows.map((row) => ({
    name: row.migration_name,
    checksum: row.checksum,
    finished: row.finished_at != null,
    rolledBack: row.rolled_back_at != null,
  }));
}

/** A new database migrated up to date, then a run with LATER, whose second statement fails: what that run rejected with. */
async function afterAFailingMigration() {
  const database = await newDatabase(provider);
  const root = await copyOfMigrations();
  await migrateDatabase({ url: database.url }, { root });
  const file = await writeMigration(root, provider, LATER, CREATE_WORKSHOP_BAYS + FAILING_STATEMENT);
  const failure = await rejectionOf(migrateDatabase({ url: database.url }, { root }));
  return { database, root, file, failure };
}

/** LATER's records: the failed attempt, rolled back, then the run that finished it (its file's `checksum`). */
async function expectFailedThenFinished(database: ScratchDatabase, checksum: unknown): Promise<void> {
  expect((await migrationRecords(database)).filter((record) => record.name === LATER)).toEqual([
    { name: LATER, checksum: expect.any(String), finished: false, rolledBack: true },
    { name: LATER, checksum, finished: true, rolledBack: false },
  ]);
}

async function sha256Of(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** What a call rejected with; fails the test when it succeeded. */
async function rejectionOf(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => expect.fail('expected the call to be rejected, but it succeeded'),
    (error: unknown) => error as Error,
  );
}

describe(`migrateDatabase on ${provider}`, () => {
  it('applies every migration to a new database, records it as Prisma does, and a second run is a no-op', async () => {
    const database = await newDatabase(provider);
    const names = (await readMigrationFiles(provider)).map((file) => file.name);

    expect(await migrateDatabase({ url: database.url })).toEqual({ provider, applied: names, edited: [] });
    expect(await migrateDatabase({ url: database.url })).toEqual({ provider, applied: [], edited: [] });

    const expected = await Promise.all(
      names.map(async (name) => ({
        name,
        checksum: await sha256Of(path.join(MIGRATIONS_ROOT, provider, name, 'migration.sql')),
        finished: true,
        rolledBack: false,
      })),
    );
    expect(await migrationRecords(database)).toEqual(expected);
    expect(await tableNames(database)).toEqual(
      expect.arrayContaining([
        'customers',
        'mechanics',
        'shop_setup',
        'service_tickets',
        'service_assignments',
        'inventory',
        'shop_settings',
        'jobs',
        'job_lines',
      ]),
    );
  });

  it('applies only the migration added since the last run', async () => {
    const database = await newDatabase(provider);
    const root = await copyOfMigrations();
    await migrateDatabase({ url: database.url }, { root });
    await writeMigration(root, provider, LATER, CREATE_WORKSHOP_BAYS);

    expect(await migrateDatabase({ url: database.url }, { root })).toEqual({ provider, applied: [LATER], edited: [] });
    expect(await tableNames(database)).toContain('workshop_bays');
  });

  it('reports an applied migration whose file was edited, and does not run it again', async () => {
    const database = await newDatabase(provider);
    const root = await copyOfMigrations();
    const [first] = await readMigrationFiles(provider, root);
    await migrateDatabase({ url: database.url }, { root });
    const recorded = await migrationRecords(database);
    await appendFile(path.join(root, provider, first!.name, 'migration.sql'), '\n-- a comment added after the fact\n');
    const log: string[] = [];

    expect(await migrateDatabase({ url: database.url }, { root, log: (message) => log.push(message) })).toEqual({
      provider,
      applied: [],
      edited: [first!.name],
    });
    expect(log).toEqual([`warning: migration ${first!.name} was edited after it was applied`]);
    expect(await migrationRecords(database)).toEqual(recorded);
  });

  if (provider === 'mysql') {
    it('stops at a migration that failed part-way until it is resolved, then applies the fixed file', async () => {
      const { database, root, file, failure } = await afterAFailingMigration();
      expect(failure).toBeInstanceOf(MigrationError);
      expect(failure.message).toMatch(new RegExp(`^Migration ${LATER} failed part-way: .*no_such_table`));
      // MySQL commits DDL statement by statement: the first one stays.
      expect(await tableNames(database)).toContain('workshop_bays');

      const refusal = await rejectionOf(migrateDatabase({ url: database.url }, { root }));
      expect(refusal).toBeInstanceOf(MigrationError);
      expect(refusal.message).toContain(`Migration ${LATER} failed earlier and may be half-applied`);
      expect(refusal.message).toContain(`--mark-rolled-back ${LATER}`);

      await database.query('DROP TABLE workshop_bays');
      await writeFile(file, CREATE_WORKSHOP_BAYS);
      await resolveMigration({ url: database.url }, LATER, 'rolled-back', { root });

      expect(await migrateDatabase({ url: database.url }, { root })).toEqual({ provider, applied: [LATER], edited: [] });
      await expectFailedThenFinished(database, await sha256Of(file));
    });

    it('goes on past a failed migration completed by hand and resolved as applied', async () => {
      const { database, root } = await afterAFailingMigration();
      await resolveMigration({ url: database.url }, LATER, 'applied', { root });

      expect(await migrateDatabase({ url: database.url }, { root })).toEqual({ provider, applied: [], edited: [] });
      await expectFailedThenFinished(database, expect.any(String));
    });
  } else {
    it('rolls a failing migration back completely, and applies it on the next run once fixed', async () => {
      const { database, root, file, failure } = await afterAFailingMigration();
      expect(failure).toBeInstanceOf(MigrationError);
      expect(failure.message).toMatch(
        new RegExp(`^Migration ${LATER} failed and was rolled back; the database is unchanged: .*no_such_table`),
      );
      expect(await tableNames(database)).not.toContain('workshop_bays');

      await writeFile(file, CREATE_WORKSHOP_BAYS);
      expect(await migrateDatabase({ url: database.url }, { root })).toEqual({ provider, applied: [LATER], edited: [] });
      expect(await tableNames(database)).toContain('workshop_bays');
      await expectFailedThenFinished(database, await sha256Of(file));
    });
  }

  it('lets two concurrent runs on a new database apply each migration exactly once', async () => {
    const database = await newDatabase(provider);
    const root = await copyOfMigrations();
    await writeMigration(root, provider, LATER, CREATE_WORKSHOP_BAYS);
    const names = (await readMigrationFiles(provider, root)).map((file) => file.name);

    const reports = await Promise.all([migrateDatabase({ url: database.url }, { root }), migrateDatabase({ url: database.url }, { root })]);

    expect(reports.flatMap((report) => report.applied).sort()).toEqual(names);
    expect((await migrationRecords(database)).map((record) => [record.name, record.finished])).toEqual(names.map((name) => [name, true]));
  });
});

describe.skipIf(provider !== 'mysql')('migrateDatabase on MySQL/MariaDB', () => {
  // What a migration run holds while it works, named here the server's way.
  const takeMigrationLock = async (holder: ScratchDatabase) => {
    const [row] = await holder.query<{ locked: unknown }>(
      "SELECT GET_LOCK(CONCAT('mechanic_shop_migrate:', SHA1(DATABASE())), 0) AS locked",
    );
    expect(Number(row?.locked)).toBe(1);
  };

  it('waits for a run on the same database, but not for one on another database of the server', async () => {
    const database = await newDatabase('mysql');
    const elsewhere = await newDatabase('mysql');
    const root = await copyOfMigrations();

    await takeMigrationLock(elsewhere);
    expect((await migrateDatabase({ url: database.url }, { root })).applied.length).toBeGreaterThan(0);

    const other = await newDatabase('mysql');
    await takeMigrationLock(other);
    const run = migrateDatabase({ url: other.url }, { root });
    await sleep(500);
    expect(await tableNames(other)).not.toContain('customers');
    await other.query("SELECT RELEASE_LOCK(CONCAT('mechanic_shop_migrate:', SHA1(DATABASE())))");
    expect((await run).applied.length).toBeGreaterThan(0);
    expect(await tableNames(other)).toContain('customers');
  });
});

describe.skipIf(provider !== 'sqlite')('migrateDatabase on sqlite, redefining a table as Prisma does', () => {
  // What Prisma's schema engine (`migrations:new`) writes to make customers.phone optional.
  const REDEFINE_CUSTOMERS = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_customers" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "phone" TEXT,
    "address" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_customers" ("address", "created_at", "email", "id", "name", "password_hash", "phone", "updated_at") SELECT "address", "created_at", "email", "id", "name", "password_hash", "phone", "updated_at" FROM "customers";
DROP TABLE "customers";
ALTER TABLE "new_customers" RENAME TO "customers";
CREATE UNIQUE INDEX "customers_email_key" ON "customers"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

  async function databaseWithATicket(): Promise<{ database: ScratchDatabase; root: string }> {
    const database = await newDatabase('sqlite');
    const root = await copyOfMigrations();
    await migrateDatabase({ url: database.url }, { root });
    await database.query(
      `INSERT INTO customers (id, name, email, phone, address, password_hash, updated_at) VALUES (1, 'Ada', 'ada@example.com', '1', 'Row', 'x', CURRENT_TIMESTAMP)`,
    );
    await database.query(`INSERT INTO vehicles (id, customer_id, vin, updated_at) VALUES (1, 1, 'VIN', CURRENT_TIMESTAMP)`);
    await database.query(
      `INSERT INTO service_tickets (customer_id, vehicle_id, title, description, service_date, updated_at) VALUES (1, 1, 'Brakes', 'Squeal', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
    );
    return { database, root };
  }

  it('keeps the rows of the tables that reference the redefined one', async () => {
    const { database, root } = await databaseWithATicket();
    await writeMigration(root, 'sqlite', LATER, REDEFINE_CUSTOMERS);

    expect((await migrateDatabase({ url: database.url }, { root })).applied).toEqual([LATER]);
    expect(await database.query('SELECT customer_id FROM service_tickets')).toEqual([{ customer_id: 1 }]);
  });

  it('rolls back a migration that leaves rows referencing missing ones', async () => {
    const { database, root } = await databaseWithATicket();
    await writeMigration(root, 'sqlite', LATER, REDEFINE_CUSTOMERS.replace(/INSERT INTO "new_customers".*\n/, ''));

    const failure = await rejectionOf(migrateDatabase({ url: database.url }, { root }));
    expect(failure.message).toMatch(new RegExp(`^Migration ${LATER} failed and was rolled back; .*(vehicles|service_tickets) → customers`));
    expect(await database.query('SELECT id FROM customers')).toEqual([{ id: 1 }]);
  });
});
