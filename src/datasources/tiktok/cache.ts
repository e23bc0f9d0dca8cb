// The cache shared across requests: product details, warehouses, authorised shops and analytics.
// Loaders (loaders.ts) only dedupe within one request; whatever may be reused later lives here.
// With several replicas, createCacheInvalidator carries evictions to the others (issue #6).
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
  /** Forgets everything cached for one shop. */
  invalidateShop(shopId: string): void;
  clear(): void;
}

export interface SharedCacheOptions {
  config: CacheConfig;
  /** Clock in ms since the epoch (default Date.now); decides which analytics ranges are closed. */
  now?: () => number;
  /**
   * Told of every lookup while the cache is on, with the entry's kind (`product`, `warehouses`,
   * `analytics`: the part of the key after the shop id) and whether it was a hit (metrics).
   */
  onLookup?: (kind: string, isHit: boolean) => void;
}

const DAY_MS = 86_400_000;

/** Cache keys for one shop start with its id, so no entry can be served to another shop. */
export function shopKey(shopId: string, ...parts: string[]): string {
  return ['shop', shopId, ...parts].join(':');
}

/** The kind of entry a key holds: `shop:<id>:<kind>:…` (shopKey). */
function kindOfKey(key: string): string {
  const [scope, , kind] = key.split(':', 3);
  return scope === 'shop' && kind ? kind : 'other';
}

export function createSharedCache({
  config,
  now = Date.now,
  onLookup,
}: SharedCacheOptions): SharedCache {
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
      onLookup?.(kindOfKey(key), hit !== undefined);
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
    invalidateShop(shopId: string) {
      const prefix = shopKey(shopId, '');
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}

/** An eviction another replica must repeat (the events of the Redis bus, src/redis). */
export type CacheInvalidationEvent =
  | { kind: 'product'; shopId: string; productId: string }
  | { kind: 'shop'; shopId: string }
  /** The token store changed (issue 14): no cache entry depends on it, so nothing is evicted. */
  | { kind: 'seller' }
  | { kind: 'all' };

/** An eviction, as a bus event names it. */
export type CacheEviction = Exclude<CacheInvalidationEvent, { kind: 'seller' }>;

/** `cache`, calling `onEvicted` after each of its evictions; reads pass straight through. */
export function withEvictionHook(
  cache: SharedCache,
  onEvicted: (eviction: CacheEviction) => void,
): SharedCache {
  return {
    getOrLoad: (key, ttlMs, load) => cache.getOrLoad(key, ttlMs, load),
    analyticsTtlMs: (range) => cache.analyticsTtlMs(range),
    get ttlMs() {
      return cache.ttlMs;
    },
    get size() {
      return cache.size;
    },
    invalidateProduct(shopId, productId) {
      cache.invalidateProduct(shopId, productId);
      onEvicted({ kind: 'product', shopId, productId });
    },
    invalidateShop(shopId) {
      cache.invalidateShop(shopId);
      onEvicted({ kind: 'shop', shopId });
    },
    clear() {
      cache.clear();
      onEvicted({ kind: 'all' });
    },
  };
}

/** What the invalidator needs of a broadcast channel; the Redis InvalidationBus is one. */
export interface CacheInvalidationBus {
  /** Tells the other replicas; never rejects because the channel is down (it keeps the event). */
  publish(event: CacheInvalidationEvent): Promise<boolean>;
  /** Calls `handler` for the events of the other replicas, never for this one's own. */
  subscribe(
    handler: (event: CacheInvalidationEvent, meta: { origin: string }) => void,
  ): Promise<() => void>;
}

/** The slice of a pino logger the invalidator uses. */
export interface CacheInvalidatorLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CacheInvalidatorOptions {
  /** This replica's cache. */
  cache: SharedCache;
  /** The channel to the other replicas (RedisScaleOut.invalidation). None: this process only. */
  bus?: CacheInvalidationBus;
  logger?: CacheInvalidatorLogger;
}

export interface CacheInvalidator {
  /**
   * The cache as requests use it (give it to createGateway): the same entries, but
   * `invalidateProduct` (what a stock write calls) also publishes the eviction to the other
   * replicas. Without a bus it behaves exactly like `cache`.
   */
  readonly cache: SharedCache;
  /**
   * Applies the other replicas' evictions to this replica's cache, without publishing them again.
   * Resolves once subscribed, or at once when the channel is down (it subscribes when it is back).
   */
  listen(): Promise<void>;
  /** Stops applying the other replicas' evictions. */
  close(): void;
}

/**
 * The seam between the per-replica cache and the broadcast channel: evictions made here are
 * published, evictions received are applied locally only, so an event never echoes around.
 */
export function createCacheInvalidator(options: CacheInvalidatorOptions): CacheInvalidator {
  const { cache, bus, logger } = options;
  let unsubscribe: (() => void) | undefined;
  let isClosed = false;

  const publish = (event: CacheInvalidationEvent) => {
    if (!bus) return;
    // The write already succeeded upstream; the broadcast must not fail it. An outage is not an
    // error here (the bus keeps the event), so only a bug reaches the catch.
    bus.publish(event).catch((error: unknown) => {
      logger?.warn(
        { event, error: error instanceof Error ? error.message : String(error) },
        'Cache invalidation was not broadcast',
      );
    });
  };

  const apply = (event: CacheInvalidationEvent, meta: { origin: string }) => {
    if (event.kind === 'seller') return;
    if (event.kind === 'product') cache.invalidateProduct(event.shopId, event.productId);
    else if (event.kind === 'shop') cache.invalidateShop(event.shopId);
    else cache.clear();
    logger?.debug({ event, origin: meta.origin }, 'Cache invalidation applied');
  };

  const broadcasting = withEvictionHook(cache, publish);

  return {
    cache: bus ? broadcasting : cache,
    async listen() {
      if (!bus || unsubscribe || isClosed) return;
      const stop = await bus.subscribe(apply);
      if (isClosed) stop();
      else unsubscribe = stop;
    },
    close() {
      isClosed = true;
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
