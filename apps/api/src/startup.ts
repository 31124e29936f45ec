import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, createCaller, isDatabaseUnavailable, migrateDatabase, providerOf, type AppServices } from '@mechanic-shop/core';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** SQLite creates its file but not the folder around it. */
export async function ensureDatabaseDirectory(databaseUrl: string): Promise<void> {
  if (providerOf(databaseUrl) !== 'sqlite') return;
  const file = databaseUrl.replace(/^file:(\/\/)?/, '').replace(/\?.*$/, '');
  if (file && file !== ':memory:') await mkdir(path.dirname(path.resolve(file)), { recursive: true });
}

export async function migrate(config: Pick<Config, 'DATABASE_URL'>, log: Logger): Promise<void> {
  await ensureDatabaseDirectory(config.DATABASE_URL);
  const report = await migrateDatabase({ url: config.DATABASE_URL }, { log: (message) => log.info({ migration: true }, message) });
  if (report.applied.length === 0) log.info({ provider: report.provider }, 'database schema is up to date');
}

/**
 * Creates the shop's first mechanic from BOOTSTRAP_MECHANIC_* on a new install,
 * through the same registration as `POST /mechanics` (which is open only until
 * the first mechanic exists). Does nothing once the shop has one.
 */
export async function bootstrapFirstMechanic(services: AppServices, config: Config, log: Logger): Promise<void> {
  if (!config.BOOTSTRAP_MECHANIC_EMAIL || !config.BOOTSTRAP_MECHANIC_PASSWORD) return;
  if ((await services.db.shopSetup.count()) > 0) return;
  try {
    const mechanic = await createCaller(services).mechanics.register({
      name: config.BOOTSTRAP_MECHANIC_NAME,
      email: config.BOOTSTRAP_MECHANIC_EMAIL,
      password: config.BOOTSTRAP_MECHANIC_PASSWORD,
      phone: '000',
      address: 'Not set',
      salary: 0,
    });
    log.info({ mechanic_id: mechanic.id }, 'created the first mechanic from BOOTSTRAP_MECHANIC_EMAIL');
  } catch (error) {
    // Another instance starting at the same moment won the race: fine.
    if (error instanceof AppError && error.problem === 'unauthenticated') return;
    throw error;
  }
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
