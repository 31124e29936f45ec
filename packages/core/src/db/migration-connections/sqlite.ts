import path from 'node:path';
import { sqlitePath } from '../provider.ts';
import { LOCK_WAIT_SECONDS, type MigrationConnection } from './connection.ts';

/*
 * Contract: one better-sqlite3 connection to the file, with foreign keys off
 * (see below) and checked by `runScript` instead. DDL is transactional, so the
 * runner applies each migration in a transaction with its record. Between
 * processes that transaction is the lock (BEGIN IMMEDIATE: a second process
 * waits for the first, then sees its records); within one process `withLock`
 * queues the runs on the same file.
 */

/** The run on each SQLite file in this process, that the next one waits for. */
const runsInProcess = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after the earlier runs on the same SQLite file in this process.
 * Between processes BEGIN IMMEDIATE makes them wait, but better-sqlite3 waits
 * for a lock by blocking the thread: in one process the waiting connection would
 * stop the one holding the lock from ever committing.
 */
function afterEarlierRuns<T>(file: string, work: () => Promise<T>): Promise<T> {
  const run = (runsInProcess.get(file) ?? Promise.resolve()).then(work);
  const settled = run.catch(() => {});
  runsInProcess.set(file, settled);
  void settled.then(() => {
    if (runsInProcess.get(file) === settled) runsInProcess.delete(file);
  });
  return run;
}

export async function openSqliteMigrationConnection(url: string): Promise<MigrationConnection> {
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
    createTable: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
    )`,
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
    withLock: (work) => afterEarlierRuns(path.resolve(file), work),
    close: async () => void db.close(),
  };
}
