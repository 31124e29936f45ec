import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from '@prisma/driver-adapter-utils';
import { withOverrides } from './override.ts';
import type { PrismaClient } from './generated/sqlite/client.ts';
import { providerOf, type Provider } from './provider.ts';
import { cacheStatements } from './sqlite-statement-cache.ts';

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

type DatabaseClass = new (options: { adapter: SqlDriverAdapterFactory }) => Database;

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
  if (provider === 'sqlite') adapter = isolateTransactions(cacheStatements(adapter));
  if (settings.onStatement) adapter = countStatements(adapter, settings.onStatement);
  const Client = await GENERATED_CLIENTS[provider]();
  const db = new Client({ adapter });
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

/** The file path of a `file:` URL, as better-sqlite3 wants it. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:(\/\/)?/, '').replace(/\?.*$/, '');
  return path === '' ? ':memory:' : path;
}

/** The mariadb driver's pool settings from a `mysql://` or `mariadb://` URL. */
export function mariadbPoolConfig(options: ResolvedSettings) {
  const url = new URL(options.url);
  const tls = mysqlTlsOf(options.url);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    connectionLimit: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    acquireTimeout: options.connectTimeoutMs,
    // No `queryTimeout`: the mariadb driver (3.4, 3.5) sets it with a statement
    // whose failure nobody awaits (an unhandled rejection when a connection drops
    // while opening), and refuses MySQL servers with it. Statement time limits for
    // MySQL/MariaDB belong in the server's configuration (README).
    ...(tls === 'off' ? {} : { ssl: { rejectUnauthorized: tls === 'verify' } }),
  };
}

/** What a MySQL/MariaDB URL asks of TLS: none, encrypted with the server certificate verified, or encrypted only. */
export type MysqlTls = 'off' | 'verify' | 'insecure';

/**
 * The TLS parameters a MySQL/MariaDB URL may carry, with the spellings of the
 * tools operators copy URLs from (Prisma, MySQL's `--ssl-mode`, libpq). Every
 * spelling that asks for TLS verifies the certificate, except the two that say
 * otherwise by name; the driver itself reads none of them.
 */
const MYSQL_TLS_PARAMETERS: Record<string, Record<string, MysqlTls>> = {
  ssl: { true: 'verify', required: 'verify', insecure: 'insecure', false: 'off' },
  sslmode: {
    require: 'verify',
    required: 'verify',
    verify_ca: 'verify',
    'verify-ca': 'verify',
    verify_identity: 'verify',
    'verify-full': 'verify',
    disable: 'off',
    disabled: 'off',
  },
  sslaccept: { strict: 'verify', accept_invalid_certs: 'insecure' },
};

/**
 * The TLS a MySQL/MariaDB URL asks for. A value or `ssl…` parameter not listed
 * above, or parameters that disagree, throw: unrecognised, `?ssl=required` once
 * meant a plaintext connection without a word.
 */
export function mysqlTlsOf(databaseUrl: string): MysqlTls {
  const asked = new Set<MysqlTls>();
  for (const [name, value] of new URL(databaseUrl).searchParams) {
    const key = name.toLowerCase();
    if (!key.startsWith('ssl')) continue;
    const known = Object.hasOwn(MYSQL_TLS_PARAMETERS, key) ? MYSQL_TLS_PARAMETERS[key]! : undefined;
    if (!known) {
      throw new Error(`the TLS parameter "${name}" is not supported: use ${Object.keys(MYSQL_TLS_PARAMETERS).join(', ')}`);
    }
    const tls = Object.hasOwn(known, value.toLowerCase()) ? known[value.toLowerCase()] : undefined;
    if (!tls) throw new Error(`"${name}=${value}" is not a TLS setting we know: use ${name}=${Object.keys(known).join(' | ')}`);
    asked.add(tls);
  }
  if (asked.size > 1) throw new Error(`its TLS parameters disagree (${[...asked].join(' and ')})`);
  return [...asked][0] ?? 'off';
}

/** A lock that hands itself to one holder at a time, in the order asked. */
function createLock(): () => Promise<() => void> {
  let tail = Promise.resolve();
  return async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return release;
  };
}

/**
 * SQLite gives the API one connection, and a transaction is a state of that
 * connection: a statement of another request sent while a transaction is open
 * would run inside it, read its uncommitted changes and be rolled back with it.
 * Here statements outside transactions wait while one is open, so each request
 * sees only committed data (the adapter already runs transactions one at a time).
 */
function isolateTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  const acquire = createLock();
  const alone =
    <Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      const release = await acquire();
      try {
        return await run(...args);
      } finally {
        release();
      }
    };
  const isolate = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    withOverrides(adapter, {
      queryRaw: alone((query) => adapter.queryRaw(query)),
      executeRaw: alone((query) => adapter.executeRaw(query)),
      executeScript: alone((script) => adapter.executeScript(script)),
      async startTransaction(isolation) {
        const release = await acquire();
        try {
          const transaction = await adapter.startTransaction(isolation);
          const ending = (end: () => Promise<void>) => async (): Promise<void> => {
            try {
              await end();
            } finally {
              release();
            }
          };
          return withOverrides(transaction, { commit: ending(() => transaction.commit()), rollback: ending(() => transaction.rollback()) });
        } catch (error) {
          release();
          throw error;
        }
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => isolate(await factory.connect()),
  };
}

/** Wraps an adapter factory so that every statement is reported before it runs. */
function countStatements(factory: SqlDriverAdapterFactory, onStatement: (sql: string) => void): SqlDriverAdapterFactory {
  const watchQueries = <T extends SqlQueryable>(queryable: T): T =>
    withOverrides<SqlQueryable>(queryable, {
      queryRaw: (query) => (onStatement(query.sql), queryable.queryRaw(query)),
      executeRaw: (query) => (onStatement(query.sql), queryable.executeRaw(query)),
    }) as T;
  const watchAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    withOverrides(watchQueries(adapter), {
      startTransaction: async (isolation) => watchQueries(await adapter.startTransaction(isolation)),
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => watchAdapter(await factory.connect()),
  };
}
