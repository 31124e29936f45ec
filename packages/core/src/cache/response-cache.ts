import { LRUCache } from 'lru-cache';

/** What cached answers depend on, and what writes invalidate: the resources of the API. */
export const RESOURCES = ['customers', 'mechanics', 'tickets', 'assignments', 'inventory'] as const;
export type Resource = (typeof RESOURCES)[number];

export interface CacheSettings {
  ttlSeconds: number;
  maxEntries: number;
  /** Bound on the summed JSON size of the cached answers. */
  maxBytes: number;
}

export const DEFAULT_CACHE_SETTINGS: CacheSettings = { ttlSeconds: 30, maxEntries: 5_000, maxBytes: 32 * 1024 * 1024 };

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
 */
export class ResponseCache {
  readonly enabled: boolean;
  readonly #entries: LRUCache<string, Entry>;
  readonly #versions = new Map<Resource, number>(RESOURCES.map((resource) => [resource, 0]));
  readonly #onInvalidate: (resources: readonly Resource[]) => void;

  constructor(settings: CacheSettings | 'off', onInvalidate: (resources: readonly Resource[]) => void = () => {}) {
    this.enabled = settings !== 'off';
    const { ttlSeconds, maxEntries, maxBytes } = settings === 'off' ? { ...DEFAULT_CACHE_SETTINGS, maxEntries: 1 } : settings;
    this.#entries = new LRUCache<string, Entry>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => key.length + JSON.stringify(entry.value).length,
      ttl: ttlSeconds * 1000,
    });
    this.#onInvalidate = onInvalidate;
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

  /** After a write: every answer that shows these resources is stale, here and (through the bus) on other instances. */
  invalidate(resources: readonly Resource[]): void {
    this.invalidateLocally(resources);
    this.#onInvalidate(resources);
  }

  /** An invalidation from another instance. */
  invalidateLocally(resources: readonly Resource[]): void {
    for (const resource of resources) this.#versions.set(resource, this.#versions.get(resource)! + 1);
  }

  /** Forgets everything, e.g. after missing invalidations while Redis was unreachable. */
  clear(): void {
    this.invalidateLocally(RESOURCES);
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
