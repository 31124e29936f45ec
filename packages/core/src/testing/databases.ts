import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openMigrationConnection, type MigrationConnection } from '../db/migrate.ts';
import type { Provider } from '../db/provider.ts';

/**
 * Throwaway databases for tests that need a database of their own: a file in a
 * temporary folder (SQLite) or a uniquely named database on a test server
 * (PostgreSQL, MySQL/MariaDB), so that test files and concurrent runs never meet.
 */

/** The database the suite runs on: `TEST_DATABASE` (set by the vitest project), SQLite by default. */
export function testProvider(): Provider {
  const provider = process.env.TEST_DATABASE ?? 'sqlite';
  if (provider !== 'sqlite' && provider !== 'postgresql' && provider !== 'mysql') {
    throw new Error(`TEST_DATABASE must be sqlite, postgresql or mysql (got "${provider}")`);
  }
  return provider;
}

export type ServerProvider = Exclude<Provider, 'sqlite'>;

/** The server a test creates its databases on: TEST_POSTGRES_URL / TEST_MYSQL_URL, or the local one. */
export function testServerUrl(provider: ServerProvider): string {
  return provider === 'postgresql'
    ? (process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test')
    : (process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
}

const ENV_VARIABLE: Record<ServerProvider, string> = { postgresql: 'TEST_POSTGRES_URL', mysql: 'TEST_MYSQL_URL' };

/**
 * Which test servers answer. For each one that does not, the suite's tests on it
 * are skipped with the reason printed, except in CI, where .ci/run starts the
 * servers and a missing one is a failure.
 */
export async function reachableTestServers(suite: string): Promise<Record<ServerProvider, boolean>> {
  const [postgresql, mysql] = await Promise.all([reachable('postgresql', suite), reachable('mysql', suite)]);
  return { postgresql, mysql };
}

async function reachable(provider: ServerProvider, suite: string): Promise<boolean> {
  try {
    await onServer(provider, 'SELECT 1');
    return true;
  } catch (error) {
    const reason = `could not connect to ${provider} at ${redacted(testServerUrl(provider))} (${(error as Error).message.split('\n')[0]})`;
    if (process.env.CI) throw new Error(`${reason}: CI must run the ${suite} on ${provider}`, { cause: error });
    console.warn(`SKIPPED ${suite} on ${provider}: ${reason}. Start the server or set ${ENV_VARIABLE[provider]} to run them.`);
    return false;
  }
}

export interface ScratchDatabase {
  provider: Provider;
  /** A `DATABASE_URL` for it. */
  url: string;
  /** Runs SQL on it, `?` for parameters (one connection, opened on first use, closed by `drop`). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/** A new, empty database (of the suite's provider unless told); `drop` removes it. */
export async function createScratchDatabase(provider: Provider = testProvider()): Promise<ScratchDatabase> {
  if (provider === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'ms-scratch-'));
    return scratchDatabase(provider, `file:${path.join(dir, 'scratch.db')}`, () => rm(dir, { recursive: true, force: true }));
  }
  const name = `ms_mig_${process.pid}_${randomBytes(6).toString('hex')}`;
  const quoted = provider === 'postgresql' ? `"${name}"` : `\`${name}\``;
  await onServer(provider, `CREATE DATABASE ${quoted}`);
  const url = new URL(testServerUrl(provider));
  url.pathname = `/${name}`;
  // FORCE: a test that failed half-way may have left a connection open.
  const drop = provider === 'postgresql' ? `DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${quoted}`;
  return scratchDatabase(provider, url.toString(), () => onServer(provider, drop));
}

function scratchDatabase(provider: Provider, url: string, remove: () => Promise<unknown>): ScratchDatabase {
  let connection: Promise<MigrationConnection> | undefined;
  return {
    provider,
    url,
    async query<Row>(sql: string, params: unknown[] = []) {
      connection ??= openMigrationConnection(provider, url);
      return (await connection).query<Row>(sql, params);
    },
    async drop() {
      await (await connection)?.close();
      await remove();
    },
  };
}

/** Runs one statement on the test server's own database. */
async function onServer(provider: ServerProvider, sql: string): Promise<void> {
  const connection = await openMigrationConnection(provider, testServerUrl(provider));
  try {
    await connection.query(sql);
  } finally {
    await connection.close();
  }
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
