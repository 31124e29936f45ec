import { Redis } from 'ioredis';
import type { Logger } from './app-services.ts';

/**
 * A Redis connection that never blocks a request: while Redis is unreachable,
 * commands fail at once (the rate limiter then uses its in-memory insurance) and
 * ioredis keeps reconnecting in the background. Outages and recoveries are logged
 * once each, not per command.
 */
export function connectRedis(url: string, log: Logger, role: string): Redis {
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
