import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from './app-services.ts';

/**
 * A Redis connection that never blocks a request: while Redis is unreachable,
 * commands fail at once (the rate limiter then uses its in-memory insurance) and
 * ioredis keeps reconnecting in the background. Outages and recoveries are logged
 * once each, not per command. ioredis is loaded here, when a shop uses Redis:
 * loading it cost every start about 60 ms.
 */
export async function connectRedis(url: string, log: Logger, role: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Writes wait for their cache versions to be counted: a Redis that stops answering must not hold them.
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
  });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (!reachable) return;
    reachable = false;
    log.warn(
      { redis: role, error: error.message },
      'Redis is unreachable: rate limits fall back to this instance alone and reads skip the response cache until it returns',
    );
  });
  redis.on('ready', () => {
    if (reachable) return;
    reachable = true;
    log.info({ redis: role }, 'Redis is reachable again');
  });
  return redis;
}

/**
 * Waits for a new connection's first contact with Redis, at most `timeoutMs`.
 * Without it, the first requests of a starting instance found the connection not
 * yet ready and spent their rate-limit budget in the in-memory insurance limiter
 * instead of the shared one. A Redis that is down delays start-up by the timeout
 * only; the instance then serves on its own until Redis answers.
 */
export async function firstContact(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  const timer = new AbortController();
  await Promise.race([once(redis, 'ready', { signal: timer.signal }), sleep(timeoutMs, undefined, { signal: timer.signal })]).catch(
    () => {},
  );
  timer.abort();
}
