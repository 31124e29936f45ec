import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_SETTINGS, ResponseCache, type Resource } from './response-cache.ts';
import type { SharedVersions } from './shared-versions.ts';

/** Redis's hash of versions, in memory, with a switch to make it unreachable. */
function inMemoryVersions(): SharedVersions & { down: boolean } {
  const counts = new Map<Resource, number>();
  const reachable = async <T>(value: () => T): Promise<T> => {
    if (shared.down) throw new Error('Redis is unreachable');
    return value();
  };
  const shared = {
    down: false,
    bump: (resources: readonly Resource[]) => reachable(() => void resources.forEach((r) => counts.set(r, (counts.get(r) ?? 0) + 1))),
    read: (resources: readonly Resource[]) => reachable(() => resources.map((r) => String(counts.get(r) ?? 0))),
  };
  return shared;
}

describe('ResponseCache', () => {
  it('serves what was stored until a write invalidates a resource it depends on', async () => {
    const cache = new ResponseCache(DEFAULT_CACHE_SETTINGS);
    cache.set('mechanics.top', ['a'], ['mechanics', 'assignments'], cache.versions(['mechanics', 'assignments']));
    cache.set('inventory.list', ['b'], ['inventory'], cache.versions(['inventory']));
    expect(cache.get('mechanics.top')).toEqual(['a']);
    await cache.invalidate(['assignments']);
    expect(cache.get('mechanics.top')).toBeUndefined();
    expect(cache.get('inventory.list')).toEqual(['b']);
  });

  it('does not store an answer computed while a write changed what it shows', async () => {
    const cache = new ResponseCache(DEFAULT_CACHE_SETTINGS);
    const before = cache.versions(['serviceTickets']);
    await cache.invalidate(['serviceTickets']); // a write lands while the read is running
    cache.set('serviceTickets.byId', { status: 'PENDING' }, ['serviceTickets'], before);
    expect(cache.get('serviceTickets.byId')).toBeUndefined();
  });

  it("makes another instance's answers stale from its next refresh, once the write was counted", async () => {
    const shared = inMemoryVersions();
    const a = new ResponseCache(DEFAULT_CACHE_SETTINGS, shared);
    const b = new ResponseCache(DEFAULT_CACHE_SETTINGS, shared);
    expect(await b.refresh(['customers'])).toBe(true);
    b.set('k', 1, ['customers'], b.versions(['customers']));
    await a.invalidate(['customers']);
    expect(await b.refresh(['inventory'])).toBe(true);
    expect(b.get('k')).toBe(1);
    expect(await b.refresh(['customers'])).toBe(true);
    expect(b.get('k')).toBeUndefined();
  });

  it('while the shared versions cannot be read, refuses to serve from the cache, and counts the writes it could not share later', async () => {
    const shared = inMemoryVersions();
    const a = new ResponseCache(DEFAULT_CACHE_SETTINGS, shared);
    const b = new ResponseCache(DEFAULT_CACHE_SETTINGS, shared);
    await b.refresh(['inventory']);
    b.set('k', 1, ['inventory'], b.versions(['inventory']));
    shared.down = true;
    await a.invalidate(['inventory']); // not counted: Redis is away
    expect(await b.refresh(['inventory'])).toBe(false);
    expect(b.get('k')).toBeUndefined();
    b.set('k', 2, ['inventory'], b.versions(['inventory']));
    shared.down = false;
    expect(await a.refresh(['customers'])).toBe(true); // a counts its write now
    expect(await b.refresh(['inventory'])).toBe(true);
    expect(b.get('k')).toBeUndefined();
  });

  it('is bounded in entries and bytes', () => {
    const cache = new ResponseCache({ ttlSeconds: 60, maxEntries: 2, maxBytes: 1_000 });
    for (const key of ['a', 'b', 'c']) cache.set(key, key, ['inventory'], cache.versions(['inventory']));
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    cache.set('big', 'x'.repeat(2_000), ['inventory'], cache.versions(['inventory']));
    expect(cache.get('big')).toBeUndefined();
  });

  it('forgets answers after their time to live', async () => {
    const cache = new ResponseCache({ ...DEFAULT_CACHE_SETTINGS, ttlSeconds: 0.05 });
    cache.set('k', 1, ['inventory'], cache.versions(['inventory']));
    await sleep(120);
    expect(cache.get('k')).toBeUndefined();
  });

  it('stores nothing when off', () => {
    const cache = new ResponseCache('off');
    cache.set('k', 1, ['inventory'], cache.versions(['inventory']));
    expect(cache.get('k')).toBeUndefined();
  });
});
