import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isDatabaseUnavailable,
  migrateDatabase,
  NewMechanic,
  openShop,
  providerOf,
  sqlitePath,
  type AppServices,
  type Mechanic,
} from '@mechanic-shop/core';
import { ConfigError, type Config } from './config.ts';
import type { Logger } from './logger.ts';

/** SQLite creates its file but not the folder around it. */
export async function ensureDatabaseDirectory(databaseUrl: string): Promise<void> {
  if (providerOf(databaseUrl) !== 'sqlite') return;
  const file = sqlitePath(databaseUrl);
  if (file !== ':memory:') await mkdir(path.dirname(path.resolve(file)), { recursive: true });
}

export async function migrate(config: Pick<Config, 'DATABASE_URL'>, log: Logger): Promise<void> {
  await ensureDatabaseDirectory(config.DATABASE_URL);
  const report = await migrateDatabase({ url: config.DATABASE_URL }, { log: (message) => log.info({ migration: true }, message) });
  if (report.applied.length === 0) log.info({ provider: report.provider }, 'database schema is up to date');
}

/**
 * Creates a mechanic, the shop's owner, from BOOTSTRAP_MECHANIC_* whenever the
 * shop has none: the first account of a new install, or the way back for a shop left without staff
 * (`POST /mechanics` is open to anonymous callers only until the shop's first
 * mechanic, and never again). Does nothing while the shop has a mechanic, or
 * when the variables are not set. Resolves to the mechanic it created.
 */
export async function bootstrapFirstMechanic(services: AppServices, config: Config, log: Logger): Promise<Mechanic | null> {
  if (!config.BOOTSTRAP_MECHANIC_EMAIL || !config.BOOTSTRAP_MECHANIC_PASSWORD) return null;
  const profile = NewMechanic.safeParse({
    name: config.BOOTSTRAP_MECHANIC_NAME,
    email: config.BOOTSTRAP_MECHANIC_EMAIL,
    password: config.BOOTSTRAP_MECHANIC_PASSWORD,
    phone: '000',
    address: 'Not set',
    salary: 0,
  });
  if (!profile.success) {
    const problems = profile.error.issues.map((issue) => `  BOOTSTRAP_MECHANIC_${String(issue.path[0]).toUpperCase()}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const mechanic = await openShop(services, profile.data);
  if (mechanic) log.info({ mechanic_id: mechanic.id }, "created the shop's owner from BOOTSTRAP_MECHANIC_EMAIL: the shop had none");
  return mechanic;
}

/**
 * Holds API requests back with 503s until the database is migrated and ready,
 * so that a server started before its database answers instead of crashing.
 */
export class StartupGate {
  #waitingFor: string | undefined = 'the database';

  /** What start-up still waits for, or `undefined` once the API is ready. */
  get waitingFor(): string | undefined {
    return this.#waitingFor;
  }

  waitFor(what: string): void {
    this.#waitingFor = what;
  }

  open(): void {
    this.#waitingFor = undefined;
  }
}

/**
 * Migrates (when MIGRATE_ON_START) and creates the first mechanic (when
 * configured), retrying with a growing pause while the database is unreachable.
 * Any other failure, such as a failed migration, is final: serving on a wrong
 * schema would be worse than not serving.
 */
export async function prepareDatabase(
  services: AppServices,
  config: Config,
  log: Logger,
  gate: StartupGate,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (config.MIGRATE_ON_START) {
        gate.waitFor('database migrations');
        await migrate(config, log);
      }
      await bootstrapFirstMechanic(services, config, log);
      gate.open();
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      const pause = Math.min(1_000 * attempt, 10_000);
      gate.waitFor('the database to become reachable');
      log.warn(
        { attempt, retry_in_ms: pause, error: (error as Error).message.split('\n').at(-1) },
        'the database is not reachable; answering 503 until it is',
      );
      await sleep(pause, undefined, { signal });
    }
  }
}
