import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE_SETTINGS, ResponseCache } from './response-cache.ts';

describe('ResponseCache', () => {
  it('serves what was stored until a write invalidates a resource it depends on', () => {
    const cache = new ResponseCache(DEFAULT_CACHE_SETTINGS);
    cache.set('mechanics.top', ['a'], ['mechanics', 'assignments'], cache.versions(['mechanics', 'assignments']));
    cache.set('inventory.list', ['b'], ['inventory'], cache.versions(['inventory']));
    expect(cache.get('mechanics.top')).toEqual(['a']);
    cache.invalidate(['assignments']);
    expect(cache.get('mechanics.top')).toBeUndefined();
    expect(cache.get('inventory.list')).toEqual(['b']);
  });

  it('does not store an answer computed while a write changed what it shows', () => {
    const cache = new ResponseCache(DEFAULT_CACHE_SETTINGS);
    const before = cache.versions(['tickets']);
    cache.invalidate(['tickets']); // a write lands while the read is running
    cache.set('tickets.byId', { status: 'PENDING' }, ['tickets'], before);
    expect(cache.get('tickets.byId')).toBeUndefined();
  });

  it('tells other instances about invalidations, and applies theirs without echoing them', () => {
    const published: string[][] = [];
    const cache = new ResponseCache(DEFAULT_CACHE_SETTINGS, (resources) => published.push([...resources]));
    cache.set('k', 1, ['customers'], cache.versions(['customers']));
    cache.invalidateLocally(['customers']);
    expect(cache.get('k')).toBeUndefined();
    expect(published).toEqual([]);
    cache.invalidate(['inventory']);
    expect(published).toEqual([['inventory']]);
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
