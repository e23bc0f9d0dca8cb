// The webhook topics of §8 as data: each type's Event API name, what it makes stale in the shared
// cache, and which object its `update_time` is the version of. A type missing here is still
// accepted and published as it came (issue 13); it only has no name, eviction or ordering.

/** What an event makes stale (freshness.ts evicts it on every replica). */
export type Staleness =
  /** The product's cached detail, which carries its stock too (inventory is not cached apart). */
  | 'product'
  /** The order. Orders are not in the shared cache (each request reads them): nothing to evict. */
  | 'order'
  /** The seller's authorisation (authorization-notices.ts), not the cache. */
  | 'authorization'
  | 'nothing';

export interface EventTypeEntry {
  /** The Event API name (§6.10), e.g. ORDER_STATUS_CHANGE. */
  name: string;
  staleness: Staleness;
  /**
   * The field of `data` naming the object whose state the event reports; with `update_time`, an
   * event about it older than one already applied is stale (update-order.ts). Undefined: the
   * type carries no update_time, or nothing it sets could be overwritten.
   */
  orderedBy?: string;
}

/** Types by number (§8 table). */
export const EVENT_TYPES: ReadonlyMap<number, EventTypeEntry> = new Map([
  [1, { name: 'ORDER_STATUS_CHANGE', staleness: 'order', orderedBy: 'order_id' }],
  // "Reverse-order fields" (§8): none is known to order them by.
  [2, { name: 'REVERSE_ORDER_STATUS_UPDATE', staleness: 'order' }],
  [3, { name: 'RECIPIENT_ADDRESS_UPDATE', staleness: 'order', orderedBy: 'order_id' }],
  [4, { name: 'PACKAGE_UPDATE', staleness: 'order' }],
  [5, { name: 'PRODUCT_STATUS_CHANGE', staleness: 'product', orderedBy: 'product_id' }],
  [6, { name: 'SELLER_DEAUTHORIZATION', staleness: 'authorization' }],
  [7, { name: 'UPCOMING_AUTHORIZATION_EXPIRATION', staleness: 'authorization' }],
  // Carries create_time only: a cancellation's steps cannot be ordered.
  [11, { name: 'CANCELLATION_STATUS_CHANGE', staleness: 'order' }],
  [12, { name: 'RETURN_STATUS_CHANGE', staleness: 'order', orderedBy: 'return_id' }],
  [13, { name: 'NEW_CONVERSATION', staleness: 'nothing' }],
  [14, { name: 'NEW_MESSAGE', staleness: 'nothing' }],
  [15, { name: 'PRODUCT_INFORMATION_CHANGE', staleness: 'product', orderedBy: 'product_id' }],
  [16, { name: 'PRODUCT_CREATION', staleness: 'product', orderedBy: 'product_id' }],
  [18, { name: 'PRODUCT_CATEGORY_CHANGE', staleness: 'product', orderedBy: 'product_id' }],
  // §8 gives no Event API name for 27; this one is the gateway's, for logs.
  [27, { name: 'INVENTORY_STATUS_CHANGE', staleness: 'product', orderedBy: 'sku_id' }],
  [33, { name: 'NEW_MESSAGE_LISTENER', staleness: 'nothing' }],
  [36, { name: 'INVOICE_STATUS_CHANGE', staleness: 'nothing' }],
  [37, { name: 'PRODUCT_AUDIT_STATUS_CHANGE', staleness: 'product', orderedBy: 'product_id' }],
]);

export const ORDER_STATUS_CHANGE = 1;
export const SELLER_DEAUTHORIZATION = 6;
export const UPCOMING_AUTHORIZATION_EXPIRATION = 7;
export const INVENTORY_STATUS_CHANGE = 27;

/**
 * The types the gateway acts on that have an Event API name, so `npm run webhooks` and sandbox
 * mode subscribe them by default (27 is acted on too, but has no name to subscribe by).
 */
export const SUBSCRIBED_TYPES: readonly number[] = [1, 3, 4, 5, 6, 7, 11, 12, 15, 16, 37];
