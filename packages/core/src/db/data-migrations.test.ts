import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createScratchDatabase, testProvider, type ScratchDatabase } from '../testing/databases.ts';
import { migrateDatabase, MIGRATIONS_ROOT } from './migrate.ts';

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

/** A scratch database with the migrations before `migration` applied. */
async function migratedUpTo(migration: string): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(provider);
  cleanups.push(() => database.drop());
  const root = await mkdtemp(path.join(tmpdir(), 'ms-migrations-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await cp(MIGRATIONS_ROOT, root, { recursive: true });
  await rm(path.join(root, provider, migration), { recursive: true });
  await migrateDatabase({ url: database.url }, { root });
  return database;
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

    expect((await migrateDatabase({ url: database.url })).applied).toEqual([STAFF_ROLES]);
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
    expect((await migrateDatabase({ url: database.url })).applied).toEqual([STAFF_ROLES]);
    expect(await roles(database)).toEqual([]);
  });
});
