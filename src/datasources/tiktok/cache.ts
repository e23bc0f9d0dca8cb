// The cache shared across requests: product details, warehouses, authorised shops and analytics.
// Loaders (loaders.ts) only dedupe within one request; whatever may be reused later lives here.
import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../../config.js';
import type { AnalyticsRange } from './types.js';

export interface SharedCache {
  /**
   * Returns the cached value for `key`, or runs `load`, stores its result for `ttlMs` and returns
   * it. Failures are never cached. (Concurrent identical misses need no lock here: the client
   * already shares one upstream call among identical callers in flight.)
   */
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /** Lifetime for analytics over `range`: long once the range is closed, short otherwise. */
  analyticsTtlMs(range: AnalyticsRange): number;
  /** Lifetime for everything else, ms. */
  readonly ttlMs: number;
  /** Entries currently held. */
  readonly size: number;
  /** Forgets what is cached about one product (its detail carries stock), e.g. after a write. */
  invalidateProduct(shopId: string, productId: string): void;
  clear(): void;
}

export interface SharedCacheOptions {
  config: CacheConfig;
  /** Clock in ms since the epoch (default Date.now); decides which analytics ranges are closed. */
  now?: () => number;
}

const DAY_MS = 86_400_000;

/** Cache keys for one shop start with its id, so no entry can be served to another shop. */
export function shopKey(shopId: string, ...parts: string[]): string {
  return ['shop', shopId, ...parts].join(':');
}

export function createSharedCache({ config, now = Date.now }: SharedCacheOptions): SharedCache {
  // Boxed so that any value (including null and empty lists) can be stored.
  const entries = new LRUCache<string, { value: unknown }>({
    max: config.maxEntries,
    ttl: config.ttlMs,
    perf: { now },
    // Read the clock on every check instead of caching it for 1 ms of real time.
    ttlResolution: 0,
  });

  return {
    ttlMs: config.ttlMs,
    get size() {
      return entries.size;
    },
    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      if (!config.enabled) return load();
      const hit = entries.get(key);
      if (hit) return hit.value as T;
      const value = await load();
      entries.set(key, { value }, { ttl: ttlMs });
      return value;
    },
    analyticsTtlMs(range: AnalyticsRange): number {
      // Analytics dates are in the shop's timezone (UTC-12..UTC+14). A range whose exclusive end
      // is at least a day before today in UTC is over everywhere, so its numbers stop changing.
      const todayUtcMs = Math.floor(now() / DAY_MS) * DAY_MS;
      const endMs = Date.parse(`${range.endDateLt}T00:00:00Z`);
      return endMs <= todayUtcMs - DAY_MS ? config.historicalTtlMs : config.ttlMs;
    },
    invalidateProduct(shopId: string, productId: string) {
      entries.delete(shopKey(shopId, 'product', productId));
    },
    clear() {
      entries.clear();
    },
  };
}
