import type { SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { wrapConnections } from './adapters/override.ts';
import { cacheStatements } from './adapters/sqlite-statement-cache.ts';
import { isolateTransactions } from './adapters/sqlite-transaction-isolation.ts';
import { countStatements } from './adapters/statement-counter.ts';
import type { PrismaClient } from './generated/sqlite/client.ts';
import { mariadbPoolConfig } from './mysql-settings.ts';
import { providerOf, sqlitePath, type Provider } from './provider.ts';

/**
 * The database client the domain code is written against. The three generated
 * clients (one per provider) share this API; typing everything against the
 * SQLite client keeps the code to the features every provider has.
 */
export type Database = PrismaClient;

/** Prisma's generated types (select and payload helpers) for the `Database` client. */
export type { Prisma } from './generated/sqlite/client.ts';

/** A transaction client, as `$transaction(async (tx) => …)` passes it. */
export type Transaction = Parameters<Parameters<Database['$transaction']>[0]>[0];

export interface DatabaseSettings {
  /** `file:…` (SQLite), `postgresql://…` or `mysql://…` / `mariadb://…`. */
  url: string;
  /** Connections in the pool (PostgreSQL, MySQL). */
  poolSize?: number;
  /** Give up connecting after this long (PostgreSQL, MySQL). */
  connectTimeoutMs?: number;
  /** Cancel a statement that runs longer than this (PostgreSQL); how long to wait for a lock (SQLite). */
  statementTimeoutMs?: number;
  /** Called with every SQL statement sent, for tests that count queries. */
  onStatement?: (sql: string) => void;
}

export interface DatabaseHandle {
  db: Database;
  provider: Provider;
  /** Resolves when the database answers a trivial query. */
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/** The driver adapter connection of each client `openDatabase` opened, once Prisma has connected it. */
const connections = new WeakMap<object, () => SqlQueryable | undefined>();

/**
 * The connection Prisma's client sends its statements through (the same pool,
 * with the wrappers above: SQLite's isolation and statement cache, the
 * statement counter), for a statement that skips the client (db/kysely.ts,
 * `queryJson`). Undefined for a transaction's client, whose statements must go
 * through the transaction, and until the client has connected.
 */
export function connectionOf(db: Database | Transaction): SqlQueryable | undefined {
  return connections.get(db)?.();
}

type DatabaseClass = new (options: { adapter: SqlDriverAdapterFactory; errorFormat: 'minimal' }) => Database;

/** Each provider has its own generated client; only the one in use is loaded. */
const GENERATED_CLIENTS: Record<Provider, () => Promise<DatabaseClass>> = {
  sqlite: async () => (await import('./generated/sqlite/client.ts')).PrismaClient,
  postgresql: async () => (await import('./generated/postgresql/client.ts')).PrismaClient as unknown as DatabaseClass,
  mysql: async () => (await import('./generated/mysql/client.ts')).PrismaClient as unknown as DatabaseClass,
};

type ResolvedSettings = DatabaseSettings & Required<Pick<DatabaseSettings, 'poolSize' | 'connectTimeoutMs' | 'statementTimeoutMs'>>;

const DEFAULTS = { poolSize: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 10_000 };

/** Opens the database named by the URL with its provider's generated client and driver adapter. */
export async function openDatabase(settings: DatabaseSettings): Promise<DatabaseHandle> {
  const provider = providerOf(settings.url);
  const options: ResolvedSettings = { ...DEFAULTS, ...settings };
  let adapter = await createAdapterFactory(provider, options);
  // The statement cache reaches into the driver's own connection, so it goes
  // innermost; the counter outermost, to hear every statement Prisma sends.
  if (provider === 'sqlite') adapter = isolateTransactions(cacheStatements(adapter));
  if (settings.onStatement) adapter = countStatements(adapter, settings.onStatement);
  let connection: SqlQueryable | undefined;
  adapter = wrapConnections(adapter, (connected) => (connection = connected));
  const Client = await GENERATED_CLIENTS[provider]();
  // Production's error format everywhere: outside production Prisma records each call's call site (an Error
  // and its stack, 4% of a write's CPU) to quote it in messages, so tests and `pnpm dev` measured another client.
  const db = new Client({ adapter, errorFormat: 'minimal' });
  connections.set(db, () => connection);
  if (provider === 'sqlite') {
    // Referential actions (ON DELETE CASCADE / RESTRICT) need foreign keys on;
    // WAL lets readers run while a write commits; NORMAL is durable in WAL mode
    // except for the last transactions before a power cut.
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  }
  return {
    db,
    provider,
    ping: async () => void (await db.$queryRawUnsafe('SELECT 1')),
    close: () => db.$disconnect(),
  };
}

async function createAdapterFactory(provider: Provider, options: ResolvedSettings): Promise<SqlDriverAdapterFactory> {
  switch (provider) {
    case 'sqlite': {
      const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
      return new PrismaBetterSqlite3({ url: sqlitePath(options.url), timeout: options.statementTimeoutMs });
    }
    case 'postgresql': {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      return new PrismaPg({
        // TLS and other libpq-style options (sslmode, sslrootcert…) come from the URL.
        connectionString: options.url,
        max: options.poolSize,
        connectionTimeoutMillis: options.connectTimeoutMs,
        statement_timeout: options.statementTimeoutMs,
        idleTimeoutMillis: 30_000,
      });
    }
    case 'mysql': {
      const { PrismaMariaDb } = await import('@prisma/adapter-mariadb');
      return new PrismaMariaDb(mariadbPoolConfig(options));
    }
  }
}
