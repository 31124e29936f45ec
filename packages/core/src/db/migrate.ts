import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseSettings } from './client.ts';
import { MigrationError, type MigrationConnection } from './migration-connections/connection.ts';
import { openMysqlMigrationConnection } from './migration-connections/mysql.ts';
import { openPostgresqlMigrationConnection } from './migration-connections/postgresql.ts';
import { openSqliteMigrationConnection } from './migration-connections/sqlite.ts';
import { providerOf, type Provider } from './provider.ts';

export { MigrationError, type MigrationConnection };

/**
 * Applies the migration files of prisma/migrations/<provider>/ in order.
 *
 * The files are in Prisma's layout and each applied one is recorded in
 * `_prisma_migrations` the way `prisma migrate deploy` records it (checksum =
 * sha256 of the file), so either tool can take over a database. Unlike Prisma's
 * CLI this runner needs no native schema engine: it talks to the database
 * through the same drivers the API uses.
 *
 * - Re-running is a no-op; concurrent runs (several instances starting at once)
 *   wait for each other and apply each migration once (a lock per provider, see
 *   db/migration-connections/; on SQLite the lock is each migration's
 *   transaction, plus a queue per file within one process).
 * - SQLite and PostgreSQL apply each migration in a transaction with its record:
 *   a failing migration leaves nothing behind and is retried on the next run.
 * - MySQL/MariaDB commit every DDL statement on its own, so a failing migration
 *   can be half-applied: it is recorded as failed and every later run refuses to
 *   go on until an operator repairs the database and resolves it
 *   (`pnpm db:migrate --mark-rolled-back <name>` or `--mark-applied <name>`).
 */

export const MIGRATIONS_ROOT = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  provider: Provider;
  applied: string[];
  /** Applied earlier, but the file changed since: worth a warning, never an automatic re-run. */
  edited: string[];
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
}

export async function readMigrationFiles(provider: Provider, root = MIGRATIONS_ROOT): Promise<MigrationFile[]> {
  const dir = path.join(root, provider);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Brings the database up to date with the migration files. */
export async function migrateDatabase(
  settings: Pick<DatabaseSettings, 'url'>,
  options: { root?: string; log?: (message: string) => void } = {},
): Promise<MigrationReport> {
  const provider = providerOf(settings.url);
  const files = await readMigrationFiles(provider, options.root);
  const connection = await openMigrationConnection(provider, settings.url);
  try {
    return await connection.withLock(async () => {
      await connection.query(connection.createTable);
      const rows = await connection.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations',
      );
      const failed = rows.find((row) => row.finished_at == null && row.rolled_back_at == null);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} failed earlier and may be half-applied (${firstLine(failed.logs)}). ` +
            'Repair the database by hand, then run `pnpm db:migrate --mark-rolled-back ' +
            `${failed.migration_name}\` to retry it or \`--mark-applied ${failed.migration_name}\` if it is complete.`,
        );
      }
      const applied = new Map(
        rows.filter((row) => row.finished_at != null && row.rolled_back_at == null).map((row) => [row.migration_name, row]),
      );
      const edited = files.filter((file) => applied.has(file.name) && applied.get(file.name)?.checksum !== file.checksum);
      for (const file of edited) options.log?.(`warning: migration ${file.name} was edited after it was applied`);
      const report: MigrationReport = { provider, applied: [], edited: edited.map((file) => file.name) };
      for (const file of files.filter((candidate) => !applied.has(candidate.name))) {
        if (!(await applyOne(connection, file))) continue;
        report.applied.push(file.name);
        options.log?.(`applied migration ${file.name}`);
      }
      return report;
    });
  } finally {
    await connection.close();
  }
}

/** `prisma migrate resolve` for our runner: settles a failed migration after a manual repair. */
export async function resolveMigration(
  settings: Pick<DatabaseSettings, 'url'>,
  name: string,
  as: 'applied' | 'rolled-back',
  options: { root?: string } = {},
): Promise<void> {
  const provider = providerOf(settings.url);
  const file = (await readMigrationFiles(provider, options.root)).find((candidate) => candidate.name === name);
  if (!file) throw new MigrationError(`No migration named ${name} in prisma/migrations/${provider}`);
  const connection = await openMigrationConnection(provider, settings.url);
  try {
    await connection.withLock(async () => {
      const open = `migration_name = ? AND finished_at IS NULL AND rolled_back_at IS NULL`;
      const [failed] = await connection.query<AppliedRow>(`SELECT migration_name FROM _prisma_migrations WHERE ${open}`, [name]);
      if (!failed) throw new MigrationError(`Migration ${name} is not in a failed state`);
      await connection.query(`UPDATE _prisma_migrations SET rolled_back_at = ${connection.now} WHERE ${open}`, [name]);
      if (as === 'applied') {
        await connection.query(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES (?, ?, ?, ${connection.now}, ${connection.now}, 0)`,
          [randomUUID(), file.checksum, name],
        );
      }
    });
  } finally {
    await connection.close();
  }
}

/** Applies one migration with its record; false when another run applied it meanwhile. */
async function applyOne(connection: MigrationConnection, file: MigrationFile): Promise<boolean> {
  const id = randomUUID();
  const record = `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES (?, ?, ?, ${connection.now}, 0)`;
  const finish = `UPDATE _prisma_migrations SET finished_at = ${connection.now}, applied_steps_count = 1 WHERE id = ?`;
  if (connection.transactionalDdl) {
    try {
      await connection.query('BEGIN');
      // On SQLite this transaction is the lock between processes: another one may
      // have applied the migration since the records were read.
      const [done] = await connection.query(
        'SELECT migration_name FROM _prisma_migrations WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
        [file.name],
      );
      if (done) {
        await connection.query('COMMIT');
        return false;
      }
      await connection.runScript(file.sql);
      await connection.query(record, [id, file.checksum, file.name]);
      await connection.query(finish, [id]);
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {});
      // Kept as an audit trail, marked rolled back: the next run tries again.
      await connection.query(record, [id, file.checksum, file.name]);
      await connection.query(`UPDATE _prisma_migrations SET logs = ?, rolled_back_at = ${connection.now} WHERE id = ?`, [
        messageOf(error),
        id,
      ]);
      throw new MigrationError(`Migration ${file.name} failed and was rolled back; the database is unchanged: ${messageOf(error)}`);
    }
    return true;
  }
  await connection.query(record, [id, file.checksum, file.name]);
  try {
    await connection.runScript(file.sql);
  } catch (error) {
    await connection.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [messageOf(error), id]);
    throw new MigrationError(
      `Migration ${file.name} failed part-way: ${messageOf(error)}. MySQL cannot roll back schema changes; ` +
        `repair the database, then run \`pnpm db:migrate --mark-rolled-back ${file.name}\` to retry it.`,
    );
  }
  await connection.query(finish, [id]);
  return true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string | null): string {
  return (text ?? 'no log').split('\n')[0] ?? '';
}

const OPENERS: Record<Provider, (url: string) => Promise<MigrationConnection>> = {
  sqlite: openSqliteMigrationConnection,
  postgresql: openPostgresqlMigrationConnection,
  mysql: openMysqlMigrationConnection,
};

/** One connection through the provider's driver; tests also use it to inspect the databases they migrate. */
export function openMigrationConnection(provider: Provider, url: string): Promise<MigrationConnection> {
  return OPENERS[provider](url);
}
