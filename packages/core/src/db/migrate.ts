import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mariadbPoolConfig, sqlitePath, type DatabaseSettings } from './client.ts';
import { providerOf, type Provider } from './provider.ts';

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
 *   `openMigrationConnection`; on SQLite the lock is each migration's
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

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
}

/** What differs between providers; everything else in this file is shared. */
export interface MigrationConnection {
  readonly transactionalDdl: boolean;
  /** SQL for "now" in this dialect. */
  readonly now: string;
  readonly createTable: string;
  /** Runs a whole migration file (SQLite: and checks its foreign keys). */
  runScript(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Holds the provider's migration lock while `work` runs. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
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

/** Splits a migration file into statements for drivers that run one at a time. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

// Prisma's own `_prisma_migrations` definitions, so that its CLI can read our records.
const CREATE_TABLE: Record<Provider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`,
  mysql: `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum VARCHAR(64) NOT NULL,
    finished_at DATETIME(3),
    migration_name VARCHAR(255) NOT NULL,
    logs TEXT,
    rolled_back_at DATETIME(3),
    started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
  ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
};

/** An arbitrary constant that names our lock among other PostgreSQL advisory locks. */
const PG_LOCK_KEY = 724_311_017;
const LOCK_WAIT_SECONDS = 60;
const CONNECT_TIMEOUT_MS = 10_000;

/** The run on each SQLite file in this process, that the next one waits for. */
const sqliteRunsInProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after the earlier runs on the same SQLite file in this process.
 * Between processes BEGIN IMMEDIATE makes them wait, but better-sqlite3 waits
 * for a lock by blocking the thread: in one process the waiting connection would
 * stop the one holding the lock from ever committing.
 */
function afterEarlierSqliteRuns<T>(file: string, work: () => Promise<T>): Promise<T> {
  const run = (sqliteRunsInProcess.get(file) ?? Promise.resolve()).then(work);
  const settled = run.catch(() => {});
  sqliteRunsInProcess.set(file, settled);
  void settled.then(() => {
    if (sqliteRunsInProcess.get(file) === settled) sqliteRunsInProcess.delete(file);
  });
  return run;
}

/** One connection through the provider's driver; tests also use it to inspect the databases they migrate. */
export async function openMigrationConnection(provider: Provider, url: string): Promise<MigrationConnection> {
  switch (provider) {
    case 'sqlite': {
      const { default: SQLite } = await import('better-sqlite3');
      const file = sqlitePath(url);
      const db = new SQLite(file, { timeout: LOCK_WAIT_SECONDS * 1000 });
      db.pragma('journal_mode = WAL');
      // Prisma redefines a SQLite table by copying it and dropping the original
      // between `PRAGMA foreign_keys=OFF` and `=ON`, which do nothing inside a
      // transaction; with foreign keys on, the DROP would cascade into the tables
      // that reference it. So they are off here, and checked before each commit.
      db.pragma('foreign_keys = OFF');
      return {
        transactionalDdl: true,
        now: 'CURRENT_TIMESTAMP',
        createTable: CREATE_TABLE.sqlite,
        async runScript(sql) {
          db.exec(sql);
          const dangling = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>;
          if (dangling.length > 0) {
            const [first] = dangling;
            throw new Error(`${dangling.length} row(s) would reference missing rows (first: a row of ${first?.table} → ${first?.parent})`);
          }
        },
        async query<Row>(sql: string, params: unknown[] = []) {
          // BEGIN IMMEDIATE takes the write lock at once, so a second process waits
          // here instead of failing later; it then sees the first one's records.
          const statement = db.prepare(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
          return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as Row[];
        },
        withLock: (work) => afterEarlierSqliteRuns(path.resolve(file), work),
        close: async () => void db.close(),
      };
    }
    case 'postgresql': {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      await client.connect();
      const query = async <Row>(sql: string, params: unknown[] = []) => {
        let index = 0;
        const text = sql.replace(/\?/g, () => `$${++index}`);
        return (await client.query(text, params)).rows as Row[];
      };
      return {
        transactionalDdl: true,
        now: 'now()',
        createTable: CREATE_TABLE.postgresql,
        runScript: async (sql) => void (await client.query(sql)),
        query,
        async withLock(work) {
          await client.query(`SET lock_timeout = '${LOCK_WAIT_SECONDS}s'`);
          await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
          try {
            return await work();
          } finally {
            await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]);
          }
        },
        close: () => client.end(),
      };
    }
    case 'mysql': {
      const { default: mariadb } = await import('mariadb');
      const {
        connectionLimit: _pool,
        acquireTimeout: _acquire,
        ...config
      } = mariadbPoolConfig({
        url,
        poolSize: 1,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        statementTimeoutMs: 0,
      });
      const connection = await mariadb.createConnection({ ...config, queryTimeout: 0 });
      const query = async <Row>(sql: string, params: unknown[] = []) => {
        const result: unknown = await connection.query(sql, params);
        return (Array.isArray(result) ? result : []) as Row[];
      };
      return {
        transactionalDdl: false,
        now: 'CURRENT_TIMESTAMP(3)',
        createTable: CREATE_TABLE.mysql,
        async runScript(sql) {
          for (const statement of splitStatements(sql)) await connection.query(statement);
        },
        query,
        async withLock(work) {
          // User locks are server-wide: the name carries the database's, hashed
          // to stay within the 64 characters a lock name may have.
          const [current] = await query<{ name: string | null }>('SELECT DATABASE() AS name');
          const lock = `mechanic_shop_migrate:${createHash('sha1')
            .update(current?.name ?? '')
            .digest('hex')}`;
          const [row] = await query<{ locked: number | bigint | null }>('SELECT GET_LOCK(?, ?) AS locked', [lock, LOCK_WAIT_SECONDS]);
          if (Number(row?.locked) !== 1) throw new MigrationError('Timed out waiting for another migration run to finish');
          try {
            return await work();
          } finally {
            await connection.query('SELECT RELEASE_LOCK(?)', [lock]);
          }
        },
        close: () => connection.end(),
      };
    }
  }
}
