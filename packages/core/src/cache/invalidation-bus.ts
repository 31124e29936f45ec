import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../trpc/context.ts';
import { RESOURCES, type Resource, type ResponseCache } from './response-cache.ts';

/**
 * Carries cache invalidations between API instances over Redis pub/sub: a write
 * on one instance makes the others drop their answers about the same resources
 * within the time it takes Redis to deliver a message (milliseconds).
 *
 * Pub/sub does not keep messages for a disconnected subscriber. When the
 * subscription comes back after an outage, the instance forgets its whole cache:
 * it may have missed invalidations. Without Redis at all, other instances'
 * answers are stale for at most the cache TTL.
 */
export interface InvalidationBus {
  publish(resources: readonly Resource[]): void;
  close(): Promise<void>;
}

export function connectInvalidationBus(options: {
  publisher: Redis;
  subscriber: Redis;
  channel: string;
  cache: () => ResponseCache;
  log: Logger;
}): InvalidationBus {
  const { publisher, subscriber, channel, log } = options;
  const instance = randomUUID();
  let subscribedOnce = false;

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const { origin, resources } = JSON.parse(message) as { origin: string; resources: Resource[] };
      if (origin === instance) return;
      options.cache().invalidateLocally(resources.filter((resource) => (RESOURCES as readonly string[]).includes(resource)));
    } catch {
      log.warn({ channel }, 'ignored a malformed cache invalidation message');
    }
  });
  subscriber.on('ready', () => {
    if (subscribedOnce) options.cache().clear();
    subscribedOnce = true;
  });
  subscriber
    .subscribe(channel)
    .catch((error: Error) => log.warn({ channel, error: error.message }, 'could not subscribe to cache invalidations'));

  return {
    publish(resources) {
      publisher.publish(channel, JSON.stringify({ origin: instance, resources })).catch((error: Error) => {
        log.warn(
          { channel, error: error.message },
          'could not publish a cache invalidation; other instances keep their answers until the TTL',
        );
      });
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
