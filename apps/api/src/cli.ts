import { writeFile } from 'node:fs/promises';
import {
  appRouter,
  createServices,
  DEMO_CUSTOMER,
  DEMO_MECHANIC,
  DEMO_SERVICE_WRITER,
  DEMO_TECHNICIAN,
  MigrationError,
  resolveMigration,
  seedDemoShop,
} from '@mechanic-shop/core';
import { bootstrapFirstMechanic, migrate } from './startup.ts';
import { appSettingsOf, ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';

const USAGE = `usage:
  cli migrate                              apply pending migrations to DATABASE_URL
  cli migrate --mark-rolled-back <name>    after repairing a failed migration by hand: retry it on the next run
  cli migrate --mark-applied <name>        after completing a failed migration by hand: record it as applied
  cli seed [--force]                       fill the database with a small demo shop (refused in production without --force)
  cli create-mechanic                      when the shop has no mechanic (a new shop, or one left without staff): create its
                                           owner from BOOTSTRAP_MECHANIC_EMAIL, BOOTSTRAP_MECHANIC_PASSWORD and BOOTSTRAP_MECHANIC_NAME
  cli openapi [file]                       write the OpenAPI document (default: openapi.json)`;

/** The services for a one-off command: no rate limits, no cache, no Redis (it serves no requests). */
function commandServices(config: Config, log: Logger) {
  return createServices(appSettingsOf({ ...config, RATE_LIMIT: 'off', CACHE: 'off', REDIS_URL: undefined }, log));
}

async function main(args: string[]): Promise<number> {
  const [command, option, name] = args;
  const config = loadConfig({ ...process.env, MIGRATE_ON_START: 'false' });
  const log = createLogger(config.LOG_LEVEL === 'silent' ? 'info' : config.LOG_LEVEL);
  switch (command) {
    case 'migrate':
      if (option === '--mark-rolled-back' || option === '--mark-applied') {
        if (!name) break;
        await resolveMigration({ url: config.DATABASE_URL }, name, option === '--mark-applied' ? 'applied' : 'rolled-back');
        log.info({ migration: name }, `marked ${option === '--mark-applied' ? 'applied' : 'rolled back'}`);
        return 0;
      }
      if (option !== undefined) break;
      await migrate(config, log);
      return 0;
    case 'seed': {
      if (config.production && option !== '--force') {
        console.error('Refusing to seed demo accounts with published passwords into a production database (use --force if you mean it).');
        return 1;
      }
      await migrate(config, log);
      const running = await commandServices(config, log);
      try {
        const created = await seedDemoShop(running.services);
        log.info({ created }, 'demo shop seeded');
        const logins = [
          ['owner', DEMO_MECHANIC],
          ['service writer', DEMO_SERVICE_WRITER],
          ['technician', DEMO_TECHNICIAN],
          ['customer', DEMO_CUSTOMER],
        ] as const;
        console.log(
          `Demo logins:\n${logins.map(([role, { email, password }]) => `  ${role.padEnd(14)}  ${email} / ${password}`).join('\n')}`,
        );
      } finally {
        await running.close();
      }
      return 0;
    }
    case 'create-mechanic': {
      if (option !== undefined) break;
      if (!config.BOOTSTRAP_MECHANIC_EMAIL) {
        console.error('Set BOOTSTRAP_MECHANIC_EMAIL and BOOTSTRAP_MECHANIC_PASSWORD (and BOOTSTRAP_MECHANIC_NAME) to the new account.');
        return 1;
      }
      await migrate(config, log);
      const running = await commandServices(config, log);
      try {
        const mechanic = await bootstrapFirstMechanic(running.services, config, log);
        if (!mechanic) {
          console.error('The shop has a mechanic: nothing was created (mechanics add mechanics with POST /mechanics).');
          return 1;
        }
        console.log(`Created mechanic ${mechanic.id} (${mechanic.email}), the shop's owner: log in with POST /mechanics/login.`);
      } finally {
        await running.close();
      }
      return 0;
    }
    case 'openapi': {
      const file = option ?? 'openapi.json';
      await writeFile(
        file,
        `${JSON.stringify(buildOpenApiDocument(appRouter, { version: process.env.npm_package_version ?? '0.1.0' }), null, 2)}\n`,
      );
      log.info({ file }, 'wrote the OpenAPI document');
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
