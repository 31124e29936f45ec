import { LRUCache } from 'lru-cache';
import type { SharedVersions } from './shared-versions.ts';

/**
 * What cached answers depend on, and what writes invalidate: the resources of
 * the API, named by their router keys (router.test.ts checks both lists agree).
 * Routes name them through this type, so an unknown resource does not compile.
 */
export const RESOURCES = [
  'customers',
  'mechanics',
  'serviceTickets',
  'assignments',
  'inventory',
  'vehicles',
  'shop',
  'approvalLinks',
  'approvals',
  'invoices',
  'payments',
  'reports',
  'webhooks',
] as const;
export type Resource = (typeof RESOURCES)[number];

export interface CacheSettings {
  ttlSeconds: number;
  maxEntries: number;
  /** Bound on the summed JSON size of the cached answers. */
  maxBytes: number;
}

/**
 * The cache's share of an API whose heap is capped at 128 MB (`pnpm start`) and
 * whose process should stay under 200 MB: an answer takes a little more heap
 * than its JSON size (a ticket: 3.4 KB of JSON, 4 KB of heap), so about 10 MB,
 * and 4 MB of single tickets. At 5,000 answers and 32 MB, reads of distinct
 * tickets alone took 16 MB and the process 30 MB more. 1,000 answers still hold
 * every distinct read of 33 requests a second for the 30 s an answer lives.
 */
export const DEFAULT_CACHE_SETTINGS: CacheSettings = { ttlSeconds: 30, maxEntries: 1_000, maxBytes: 8 * 1024 * 1024 };

/** The versions of some resources at one moment; an answer computed from them is only as fresh as they are. */
export type Versions = readonly number[];

interface Entry {
  value: unknown;
  resources: readonly Resource[];
  versions: Versions;
}

/**
 * Answers of read procedures, in memory, bounded by count, size and age.
 *
 * Each resource has a version number that every write to it increases. An entry
 * records the versions of the resources it was computed from and is stale as
 * soon as one of them moves: invalidation costs one increment, and a read that
 * raced with a write cannot store its answer as fresh, because it captured the
 * versions before it started.
 *
 * With several instances, the versions are also kept in Redis (`SharedVersions`):
 * a write counts itself there before its answer is sent, and a read brings the
 * local versions up to the shared ones (`refresh`) before it looks here. When
 * Redis cannot answer, reads skip the cache rather than risk an old answer.
 */
export class ResponseCache {
  readonly enabled: boolean;
  readonly #entries: LRUCache<string, Entry>;
  readonly #versions = new Map<Resource, number>(RESOURCES.map((resource) => [resource, 0]));
  readonly #shared: SharedVersions | undefined;
  /** Each resource's shared version when this instance last read it. */
  readonly #seen = new Map<Resource, string>();
  /** Resources written here whose writes Redis has not counted yet (it was unreachable). */
  readonly #uncounted = new Set<Resource>();

  constructor(settings: CacheSettings | 'off', shared?: SharedVersions) {
    this.enabled = settings !== 'off';
    const { ttlSeconds, maxEntries, maxBytes } = settings === 'off' ? { ...DEFAULT_CACHE_SETTINGS, maxEntries: 1 } : settings;
    this.#entries = new LRUCache<string, Entry>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => key.length + JSON.stringify(entry.value).length,
      ttl: ttlSeconds * 1000,
    });
    this.#shared = shared;
  }

  /**
   * Makes answers that predate a write on another instance stale here, by
   * reading the shared versions of these resources. False when they cannot be
   * read: the caller must then neither serve nor store a cached answer.
   */
  async refresh(resources: readonly Resource[]): Promise<boolean> {
    if (!this.#shared) return true;
    try {
      if (this.#uncounted.size > 0) await this.#count([...this.#uncounted]);
      const current = await this.#shared.read(resources);
      resources.forEach((resource, index) => {
        if (this.#seen.get(resource) === current[index]) return;
        this.#seen.set(resource, current[index]!);
        this.#advance([resource]);
      });
      return true;
    } catch {
      // Another instance's writes may go unseen meanwhile: what is here may be old.
      this.clear();
      return false;
    }
  }

  versions(resources: readonly Resource[]): Versions {
    return resources.map((resource) => this.#versions.get(resource)!);
  }

  get(key: string): unknown {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.versions.some((version, index) => version !== this.#versions.get(entry.resources[index]!))) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores an answer computed from the resources at `versions` (taken before computing it). */
  set(key: string, value: unknown, resources: readonly Resource[], versions: Versions): void {
    if (!this.enabled || versions.some((version, index) => version !== this.#versions.get(resources[index]!))) return;
    this.#entries.set(key, { value, resources, versions });
  }

  /**
   * After a write, before its answer is sent: every answer that shows these
   * resources is stale, here at once and on other instances from their next
   * `refresh`. If Redis cannot count the write now, the next `refresh` that
   * reaches it does.
   */
  async invalidate(resources: readonly Resource[]): Promise<void> {
    this.#advance(resources);
    if (!this.#shared) return;
    try {
      await this.#count(resources);
    } catch {
      for (const resource of resources) this.#uncounted.add(resource);
    }
  }

  async #count(resources: readonly Resource[]): Promise<void> {
    await this.#shared!.bump(resources);
    for (const resource of resources) this.#uncounted.delete(resource);
  }

  #advance(resources: readonly Resource[]): void {
    for (const resource of resources) this.#versions.set(resource, this.#versions.get(resource)! + 1);
  }

  /** Forgets everything. */
  clear(): void {
    this.#advance(RESOURCES);
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
