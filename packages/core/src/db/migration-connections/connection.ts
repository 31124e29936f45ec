/**
 * What the migration runner (db/migrate.ts) needs of a database, one
 * implementation per provider beside this file. The runner's logic is shared;
 * what differs between providers (transactional DDL, the lock between
 * concurrent runs, how a script runs) is behind this interface.
 */
export interface MigrationConnection {
  /** Whether a migration and its record can commit together (false: MySQL commits each DDL statement on its own). */
  readonly transactionalDdl: boolean;
  /** SQL for "now" in this dialect. */
  readonly now: string;
  /** Creates Prisma's `_prisma_migrations` table, in Prisma's own definition, so that its CLI can read our records. */
  readonly createTable: string;
  /** Runs a whole migration file (SQLite: and checks its foreign keys). */
  runScript(sql: string): Promise<void>;
  /** One statement, `?` for parameters; the rows it reads (none for a write). */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Holds the provider's migration lock while `work` runs. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** How long a run waits for another one's lock before giving up. */
export const LOCK_WAIT_SECONDS = 60;
export const CONNECT_TIMEOUT_MS = 10_000;
