// What an event makes stale is evicted on every replica (issue 13), through the cache the
// invalidator hands out (createCacheInvalidator): its evictions are broadcast on the Redis bus.
import type { SharedCache } from '../datasources/tiktok/cache.js';
import { EVENT_TYPES } from './event-types.js';
import type { TikTokEvent } from './tiktok-event.js';

/**
 * Evicts what `event` makes stale; answers the evicted entry for the log, or undefined.
 * - product, audit, status, creation, category and inventory-status events: the product's
 *   detail, which holds its stock too (inventory searches are not cached across requests);
 * - order, address, package, cancellation and return events: nothing. Orders are not in the
 *   shared cache (each request reads them through its own DataLoader), so the next read is
 *   fresh already.
 */
export function evictStale(cache: Pick<SharedCache, 'invalidateProduct'>, event: TikTokEvent) {
  if (EVENT_TYPES.get(event.type)?.staleness !== 'product') return undefined;
  const productId = event.data.product_id;
  if (typeof productId !== 'string' && typeof productId !== 'number') return undefined;
  cache.invalidateProduct(event.shopId, String(productId));
  return `product ${productId}`;
}
