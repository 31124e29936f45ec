import { TRPCError } from '@trpc/server';
import { DEFAULT_CACHE_SETTINGS } from '../cache/response-cache.ts';
import { createCaller } from '../caller.ts';
import { AppError } from '../errors.ts';
import type { DatabaseSettings } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createServices, type AppSettings, type RunningServices } from '../services.ts';
import { createScratchDatabase } from './databases.ts';
import type { Logger } from '../app-services.ts';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const testTokenSettings: AppSettings['tokens'] = {
  secret: TEST_JWT_SECRET,
  issuer: 'mechanic-shop',
  audience: 'mechanic-shop-api',
  ttlSeconds: 3600,
};

export interface TestApp extends RunningServices {
  databaseUrl: string;
  /** A caller with the given token (or none), from a client address (127.0.0.1 by default). */
  as(token?: string, clientIp?: string): ReturnType<typeof createCaller>;
}

/**
 * A fresh, migrated database of its own (SQLite in a temporary folder, or a new
 * database on the PostgreSQL or MySQL test server, as `TEST_DATABASE` says) with
 * the services on top, for one test file. bcrypt runs at cost 4 here: the cost is a setting,
 * and the tests are about behaviour, not hashing time.
 */
export type TestAppSettings = Partial<Omit<AppSettings, 'database'>> & { database?: Partial<DatabaseSettings> };

export async function createTestApp(overrides: TestAppSettings = {}): Promise<TestApp> {
  // Given a database URL (a second instance on the same data), use it as it is.
  const scratch = overrides.database?.url ? undefined : await createScratchDatabase();
  const databaseUrl = overrides.database?.url ?? scratch!.url;
  if (scratch) await migrateDatabase({ url: databaseUrl });
  const running = await createServices({
    tokens: testTokenSettings,
    bcryptCost: 4,
    // Off unless a test is about rate limits: one test file makes more calls from
    // 127.0.0.1 than a client would. The cache is on, so that every test also
    // checks that reads after writes are fresh.
    rateLimits: 'off',
    cache: DEFAULT_CACHE_SETTINGS,
    log: silentLogger,
    ...overrides,
    database: { ...overrides.database, url: databaseUrl },
  });
  return {
    ...running,
    databaseUrl,
    as: (token, clientIp) => createCaller(running.services, { token, clientIp }),
    async close() {
      await running.close();
      await scratch?.drop();
    },
  };
}

/** What a call rejected with: our problem code (or tRPC's code for errors that are not ours) and the message. */
export async function rejectionOf(call: Promise<unknown>): Promise<{ reason: string; code: string; message: string }> {
  const error = await call.then(
    () => {
      throw new Error('expected the call to be rejected, but it succeeded');
    },
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw error;
  const reason = error instanceof AppError ? error.problem : error.code === 'BAD_REQUEST' ? 'validation_failed' : error.code;
  return { reason, code: error.code, message: error.message };
}

/** The problem code a call rejected with (see `rejectionOf`). */
export async function reasonOf(call: Promise<unknown>): Promise<string> {
  return (await rejectionOf(call)).reason;
}

/** Records the SQL a test database sends: give `onStatement` to its settings, then measure calls with `statementsOf`. */
export interface StatementLog {
  onStatement: (sql: string) => void;
  /** The statements `call` sends; calls are measured one at a time. */
  statementsOf: (call: () => Promise<unknown>) => Promise<string[]>;
}

export function statementLog(): StatementLog {
  let recording: string[] | undefined;
  return {
    onStatement: (sql) => void recording?.push(sql),
    async statementsOf(call) {
      const sent: string[] = [];
      recording = sent;
      try {
        await call();
      } finally {
        recording = undefined;
      }
      return sent;
    },
  };
}

export { newCustomer, newMechanic, PASSWORD, uniqueEmail, uniqueVin } from './fixtures.ts';
export { hasPoppler, moneyFigures, pdfPageToPng, pdfText, showsAmount } from './pdf.ts';
export { createScratchDatabase, reachableTestServers, testProvider, testServerUrl, type ScratchDatabase } from './databases.ts';

/** Applies the migrations to a scratch database (for tests that build their own services). */
export const migrateDatabaseForTests = (url: string) => migrateDatabase({ url });
