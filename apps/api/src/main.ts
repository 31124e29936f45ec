import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import closeWithGrace from 'close-with-grace';
import { createServices, startDeliveryWorker, startEventPublisher, type BackgroundRunner } from '@mechanic-shop/core';
import { ensureDatabaseDirectory, prepareDatabase, StartupGate } from './startup.ts';
import { appSettingsOf, ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, createRequestLogger, type Logger } from './logger.ts';
import { createApiServer, type ApiServer } from './server.ts';

/** Starts the API: configuration, services, HTTP, migrations, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.LOG_LEVEL);
  for (const warning of config.warnings) log.warn({}, warning);
  // Every request handles its own errors; a promise some dependency left
  // unhandled (drivers, while a database drops) is logged instead of ending the
  // process and every request in flight with it.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection (the API keeps serving)'));

  await ensureDatabaseDirectory(config.DATABASE_URL);
  // Connections to a server database open lazily: this works while it is down.
  const running = await createServices(appSettingsOf(config, log));
  const gate = new StartupGate();
  const requestLog = createRequestLogger(config.LOG_LEVEL);
  const api = await createApiServer({
    services: running.services,
    log,
    requestLog,
    ping: running.ping,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.trustedProxies,
    ipv6Prefix: config.RATE_LIMIT_IPV6_PREFIX,
    gate,
    webAppDir: config.WEB_APP_DIR,
    version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  });
  logListening(log, config, running.services.provider, await listenOrExit(api, config));

  // On SIGTERM or SIGINT: stop taking connections, finish the requests in flight
  // (closing what is left after SHUTDOWN_TIMEOUT_MS), close the database, exit 0.
  // Errors are not among the triggers: the API logs them and keeps serving (above).
  const stopped = new AbortController();
  let deliveryWorker: BackgroundRunner | undefined;
  let eventPublisher: BackgroundRunner | undefined;
  const stop = async () => {
    await api.close(config.SHUTDOWN_TIMEOUT_MS);
    // After the requests (they may queue deliveries), before the database closes (attempts record their outcome).
    await deliveryWorker?.stop();
    await eventPublisher?.stop();
    await running.close();
    requestLog.flush();
  };
  closeWithGrace(
    {
      delay: config.SHUTDOWN_TIMEOUT_MS + FORCED_EXIT_MARGIN_MS,
      skip: ['uncaughtException', 'unhandledRejection', 'beforeExit'],
      logger: { error: (message: unknown) => log.error({ err: message }, 'shutdown failed') },
      // A terminal's Ctrl-C reaches the API twice under `pnpm start`: once for the whole process group,
      // once forwarded by pnpm. The default (exit 1 on a second signal) cut the graceful stop short;
      // the stop is bounded by `delay` anyway.
      onSecondSignal: (signal: string) => log.info({ signal }, 'already stopping'),
    },
    async ({ signal }) => {
      stopped.abort();
      log.info({ signal }, 'shutting down');
      await stop();
      log.info({}, 'stopped');
    },
  );

  try {
    await prepareDatabase(running.services, config, log, gate, stopped.signal);
    // Only once the tables exist; every instance runs one (leases keep them from delivering one delivery twice).
    if (!stopped.signal.aborted) deliveryWorker = startDeliveryWorker(running.services);
    // Once the tables exist: events written before (none, or by another instance) are published on its first run.
    if (!stopped.signal.aborted) eventPublisher = startEventPublisher(running.services, { intervalMs: config.EVENT_PUBLISH_INTERVAL_MS });
    log.info({}, 'ready');
  } catch (error) {
    if (stopped.signal.aborted) return;
    log.fatal({ err: error }, 'start-up failed');
    await api.close(0);
    await running.close();
    process.exit(1);
  }
}

/** How long past SHUTDOWN_TIMEOUT_MS a stop may take (closing the database) before the process exits with 1. */
const FORCED_EXIT_MARGIN_MS = 5_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** A port taken or forbidden is a setting to change, like the ones loadConfig refuses: a message, not a stack trace. */
function listenOrExit(api: ApiServer, config: Config): Promise<AddressInfo> {
  return api.listen(config.PORT, config.HOST).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    const problem = error.code === 'EADDRINUSE' ? 'is already in use (another API, or another program)' : 'may not be used by this user';
    console.error(`Port ${config.PORT} on ${config.HOST} ${problem}. Stop what holds it, or choose another port: PORT=3001 pnpm start`);
    process.exit(1);
  });
}

function logListening(log: Logger, config: Config, database: string, address: AddressInfo): void {
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log.info(
    {
      url,
      docs: `${url}/docs`,
      database,
      mode: config.NODE_ENV,
      rate_limit: config.RATE_LIMIT === 'off' ? 'off' : config.REDIS_URL ? 'redis (in-memory insurance)' : 'memory',
      cache:
        config.CACHE === 'off' ? 'off' : `memory, ttl ${config.CACHE_TTL_SECONDS}s${config.REDIS_URL ? ', invalidated over redis' : ''}`,
      trusted_proxies: config.trustedProxies ? 'set' : 'none',
      bcrypt_cost: config.BCRYPT_COST,
    },
    `Mechanic Shop API listening on ${url}`,
  );
}

await main();
