import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Resource } from './response-cache.ts';

/**
 * The version of each resource, shared by every instance: a write counts itself
 * here before its answer is sent, and a read compares before it serves a cached
 * answer, so no instance serves an answer older than a write another instance
 * has already confirmed to its client.
 */
export interface SharedVersions {
  /** Counts a write to the resources; resolves once the count is stored, rejects when it cannot be. */
  bump(resources: readonly Resource[]): Promise<void>;
  /** The resources' current versions, as opaque strings to compare; rejects when they cannot be read. */
  read(resources: readonly Resource[]): Promise<string[]>;
}

/**
 * Shared versions in one Redis hash: a counter per resource, and an `epoch`
 * set by the first write after the hash was lost (a Redis restart or flush),
 * so that counters starting again from zero never repeat a version an
 * instance has already seen.
 */
export function redisVersions(redis: Redis, key: string): SharedVersions {
  return {
    async bump(resources) {
      const transaction = redis.multi().hsetnx(key, 'epoch', randomUUID());
      for (const resource of resources) transaction.hincrby(key, resource, 1);
      for (const [error] of (await transaction.exec()) ?? []) if (error) throw error;
    },
    async read(resources) {
      const [epoch, ...counts] = await redis.hmget(key, 'epoch', ...resources);
      return counts.map((count) => `${epoch ?? 'none'}:${count ?? 0}`);
    },
  };
}
