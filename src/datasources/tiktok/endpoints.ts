// Every upstream endpoint as one entry of data (§2.2–2.3, §3, §6): method, path with its version,
// host, scope, whether repeating it is harmless, rate class, batch limit, how the arguments
// become query and body, and the wire→domain mapping of wire.ts. The clients execute any entry
// through one call path (client.ts for the API host, auth-host.ts for the auth host).
import type { Known, UnknownValueReporter } from './enums.js';
import type { HttpMethod } from './http.js';
import type {
  InventorySearchInput,
  InventoryUpdateSku,
  OrderSearchInput,
  ProductSearchInput,
  TokenGrant,
  WebhookEventType,
  WebhookSubscriptionInput,
} from './types.js';
import {
  hasSkuIdFilter,
  mapAuthorizedShops,
  mapInventory,
  mapInventoryUpdate,
  mapLiveSessions,
  mapNothing,
  mapOrderSearch,
  mapOrders,
  mapProduct,
  mapProductPerformance,
  mapProductPerformanceList,
  mapProductSearch,
  mapShopPerformance,
  mapSkuPerformanceList,
  mapTokenGrant,
  mapVideoPerformance,
  mapVideoPerformanceList,
  mapVideoProducts,
  mapWarehouses,
  mapWebhooks,
  toAnalyticsListQuery,
  toAnalyticsOverviewQuery,
  toInventorySearchBody,
  toInventoryUpdateBody,
  toOrderSearchBody,
  toOrderSearchQuery,
  toPageQuery,
  toProductSearchBody,
  toTokenGetQuery,
  toTokenRefreshQuery,
  toVideoListQuery,
  toWebhookDeleteBody,
  toWebhookPutBody,
  type WireQuery,
} from './wire.js';

/** §6.3: batch limits of Inventory Search. */
export const INVENTORY_SEARCH_MAX_PRODUCT_IDS = 100;
export const INVENTORY_SEARCH_MAX_SKU_IDS = 600;
/** §6.7: ids per Get Order Detail call. */
export const ORDER_DETAIL_MAX_IDS = 50;

export type Host = 'api' | 'auth';

/**
 * Which budget a call draws on. A label for now: every API-host class shares the one rate
 * limiter (§7); issue 11 gives the classes budgets of their own.
 */
export type RateClass = 'standard' | 'analytics' | 'auth';

/** The keys of `Input` that hold an id list (distributes over unions). */
type ListKey<Input> = Input extends unknown
  ? { [Key in keyof Input]-?: Input[Key] extends string[] ? Key : never }[keyof Input]
  : never;

/** An id list one call takes at most `maxIds` of; longer lists are split into parallel calls. */
export interface BatchLimit<Input> {
  list: ListKey<Input>;
  maxIds: number;
}

/**
 * One endpoint. `Args` are the client method's arguments after its target (the ShopSession or
 * the seller), `Output` the domain shape it returns.
 */
export interface Endpoint<
  Args extends unknown[],
  Output,
  IsShopScoped extends boolean = boolean,
  EndpointHost extends Host = Host,
> {
  /** Name in logs, errors and the emulator's counters, e.g. `product.search`. */
  operation: string;
  method: HttpMethod;
  host: EndpointHost;
  /** Path with its version; a function of the id for the paths that hold one. */
  path: string | ((...args: Args) => string);
  /** Sends `shop_cipher` (§4); false for seller-level (§3) and auth-host calls. */
  isShopScoped: IsShopScoped;
  /**
   * Repeating it is harmless: retried after an uncertain failure (a reset, a timeout, a 5xx) and
   * shared while an identical call is in flight. false: retried only when it certainly was not
   * sent or was refused (connect failure, 429), and never shared.
   */
  isIdempotent: boolean;
  rateClass: RateClass;
  /** The id list of the first argument that is split, per input shape (§6.3, §6.7). */
  batch?: ReadonlyArray<BatchLimit<Args[0]>>;
  /** The arguments as query and JSON body (the body's snake_case comes from wire.ts). */
  toWire?: (...args: Args) => { query?: WireQuery; body?: unknown };
  /** Argument values that must never appear in an error (auth codes, refresh tokens). */
  secretsOf?: (...args: Args) => string[];
  /** The envelope's `data` as a domain shape; enum values not known yet go to `report`. */
  fromWire: (data: unknown, report: UnknownValueReporter) => Output;
}

/** Declares an entry, keeping its literal scope and host for the clients' type checks. */
function endpoint<
  // No arguments unless the entry's path or toWire takes some.
  Args extends unknown[] = [],
  Output = unknown,
  IsShopScoped extends boolean = boolean,
  EndpointHost extends Host = Host,
>(
  spec: Endpoint<Args, Output, IsShopScoped, EndpointHost>,
): Endpoint<Args, Output, IsShopScoped, EndpointHost> {
  return spec;
}

/** An id as one path segment. */
const segment = encodeURIComponent;

/** A shop-scoped read over GET. */
const read = { method: 'GET', host: 'api', isShopScoped: true, isIdempotent: true } as const;
/** A shop-scoped analytics read (§6.8). */
const analytics = { ...read, rateClass: 'analytics' } as const;

/** Search Products (§6.1): the same query, body and answer in every version the client uses. */
const productSearch = {
  ...read,
  method: 'POST', // a search is a read, even over POST
  rateClass: 'standard',
  toWire: (input: ProductSearchInput) => ({
    query: toPageQuery(input),
    body: toProductSearchBody(input.filter),
  }),
  fromWire: mapProductSearch,
} as const;

/**
 * A token call on the auth host (§2.2–2.3): an unsigned GET of one credential (a code or a
 * refresh token), answering with a token grant. Never idempotent: each spends what it sends.
 */
function tokenCall(
  operation: string,
  path: string,
  toQuery: (credential: string) => WireQuery,
): Endpoint<[credential: string], TokenGrant, false, 'auth'> {
  return {
    operation,
    method: 'GET',
    host: 'auth',
    path,
    isShopScoped: false,
    isIdempotent: false,
    rateClass: 'auth',
    toWire: (credential) => ({ query: toQuery(credential) }),
    secretsOf: (credential) => [credential],
    fromWire: mapTokenGrant,
  };
}

/** An analytics read at a fixed path (§6.8): its query from the input, its answer mapped. */
function analyticsAt<Input, Output>(spec: {
  operation: string;
  path: string;
  query: (input: Input) => WireQuery;
  fromWire: Endpoint<[input: Input], Output>['fromWire'];
}): Endpoint<[input: Input], Output, true, 'api'> {
  return { ...analytics, ...spec, toWire: (input) => ({ query: spec.query(input) }) };
}

/** An analytics read of one item (§6.8): the id in the path, the query from the input. */
function analyticsOf<Input, Output>(spec: {
  operation: string;
  path: (id: string) => string;
  query: (input: Input) => WireQuery;
  fromWire: Endpoint<[id: string, input: Input], Output>['fromWire'];
}): Endpoint<[id: string, input: Input], Output, true, 'api'> {
  return { ...analytics, ...spec, toWire: (_id, input) => ({ query: spec.query(input) }) };
}

export const ENDPOINTS = {
  authorizedShops: endpoint({
    ...read,
    operation: 'authorization.shops',
    path: '/authorization/202309/shops',
    isShopScoped: false, // §3: seller-level, so no shop_cipher
    rateClass: 'standard',
    fromWire: mapAuthorizedShops,
  }),

  productSearch: endpoint({
    ...productSearch,
    operation: 'product.search',
    path: '/product/202309/products/search',
  }),
  // §6.1: `sku_ids` exists only from 202312 on, with the same answer; see productSearchFor.
  productSearchBySkuIds: endpoint({
    ...productSearch,
    operation: 'product.search.202312',
    path: '/product/202312/products/search',
  }),
  productDetail: endpoint({
    ...read,
    operation: 'product.detail',
    path: (productId: string) => `/product/202309/products/${segment(productId)}`,
    rateClass: 'standard',
    fromWire: mapProduct,
  }),

  inventorySearch: endpoint({
    ...read,
    operation: 'inventory.search',
    method: 'POST',
    path: '/product/202309/inventory/search',
    rateClass: 'standard',
    batch: [
      { list: 'skuIds', maxIds: INVENTORY_SEARCH_MAX_SKU_IDS },
      { list: 'productIds', maxIds: INVENTORY_SEARCH_MAX_PRODUCT_IDS },
    ],
    toWire: (input: InventorySearchInput) => ({ body: toInventorySearchBody(input) }),
    fromWire: mapInventory,
  }),
  inventoryUpdate: endpoint({
    ...read,
    operation: 'inventory.update',
    method: 'POST',
    // Both arguments typed here too, so the entry's argument list is inferred whole.
    path: (productId: string, _skus: InventoryUpdateSku[]) =>
      `/product/202309/products/${segment(productId)}/inventory/update`,
    // Quantities are absolute (§6.4), yet a repeat that lands late reverts any later write, and
    // a shared call would answer for a write made from another request's read: the stock writes
    // (inventory-updates.ts) read back instead of repeating blindly.
    isIdempotent: false,
    rateClass: 'standard',
    toWire: (_productId: string, skus: InventoryUpdateSku[]) => ({
      body: toInventoryUpdateBody(skus),
    }),
    fromWire: mapInventoryUpdate,
  }),
  warehouses: endpoint({
    ...read,
    operation: 'logistics.warehouses',
    path: '/logistics/202309/warehouses',
    rateClass: 'standard',
    fromWire: mapWarehouses,
  }),

  orderSearch: endpoint({
    ...read,
    operation: 'order.search',
    method: 'POST',
    path: '/order/202309/orders/search',
    rateClass: 'standard',
    toWire: (input: OrderSearchInput) => ({
      query: toOrderSearchQuery(input),
      body: toOrderSearchBody(input.filter),
    }),
    fromWire: mapOrderSearch,
  }),
  orderDetail: endpoint({
    ...read,
    operation: 'order.detail',
    path: '/order/202309/orders',
    rateClass: 'standard',
    batch: [{ list: 'ids', maxIds: ORDER_DETAIL_MAX_IDS }],
    toWire: (input: { ids: string[] }) => ({ query: { ids: input.ids } }),
    fromWire: mapOrders,
  }),

  shopPerformance: analyticsAt({
    operation: 'analytics.shop_performance',
    path: '/analytics/202405/shop/performance',
    query: toAnalyticsOverviewQuery,
    fromWire: mapShopPerformance,
  }),
  productPerformanceList: analyticsAt({
    operation: 'analytics.product_performance_list',
    path: '/analytics/202405/shop_products/performance',
    query: toAnalyticsListQuery,
    fromWire: mapProductPerformanceList,
  }),
  productPerformance: analyticsOf({
    operation: 'analytics.product_performance',
    path: (productId) => `/analytics/202405/shop_products/${segment(productId)}/performance`,
    query: toAnalyticsOverviewQuery,
    fromWire: mapProductPerformance,
  }),
  skuPerformanceList: analyticsAt({
    operation: 'analytics.sku_performance_list',
    path: '/analytics/202406/shop_skus/performance',
    query: toAnalyticsListQuery,
    fromWire: mapSkuPerformanceList,
  }),
  videoPerformanceList: analyticsAt({
    operation: 'analytics.video_performance_list',
    path: '/analytics/202409/shop_videos/performance',
    query: toVideoListQuery,
    fromWire: mapVideoPerformanceList,
  }),
  videoPerformance: analyticsOf({
    operation: 'analytics.video_performance',
    path: (videoId) => `/analytics/202409/shop_videos/${segment(videoId)}/performance`,
    query: toAnalyticsOverviewQuery,
    fromWire: mapVideoPerformance,
  }),
  videoProducts: analyticsOf({
    operation: 'analytics.video_products',
    path: (videoId) => `/analytics/202409/shop_videos/${segment(videoId)}/products/performance`,
    query: toAnalyticsListQuery,
    fromWire: mapVideoProducts,
  }),
  liveSessions: analyticsAt({
    operation: 'analytics.live_sessions',
    path: '/analytics/202508/shop_lives/performance',
    query: toAnalyticsListQuery,
    fromWire: mapLiveSessions,
  }),

  // §6.10: one subscription per topic and shop. Both writes set an absolute state (this address
  // for this topic; no subscription for it), so a repeat after a lost answer leaves what one call
  // would have left, and two identical writes in flight are one intention. (A late attempt could
  // undo another change to the same topic made meanwhile; the callers read the list back
  // afterwards, webhook-subscriptions.ts, so what TikTok holds is what they report.)
  webhooksList: endpoint({
    ...read,
    operation: 'event.webhooks.list',
    path: '/event/202309/webhooks',
    rateClass: 'standard',
    fromWire: mapWebhooks,
  }),
  webhookPut: endpoint({
    ...read,
    operation: 'event.webhooks.update',
    method: 'PUT',
    path: '/event/202309/webhooks',
    isIdempotent: true, // absolute (above)
    rateClass: 'standard',
    toWire: (subscription: WebhookSubscriptionInput) => ({ body: toWebhookPutBody(subscription) }),
    fromWire: mapNothing,
  }),
  webhookDelete: endpoint({
    ...read,
    operation: 'event.webhooks.delete',
    method: 'DELETE',
    path: '/event/202309/webhooks',
    isIdempotent: true, // absolute (above)
    rateClass: 'standard',
    toWire: (eventType: Known<WebhookEventType>) => ({ body: toWebhookDeleteBody(eventType) }),
    fromWire: mapNothing,
  }),

  // The code is single-use (§2.2): a repeat after it was consumed can only fail.
  tokenGet: tokenCall('token.get', '/api/v2/token/get', toTokenGetQuery),
  // The refresh token may rotate (§2.3, unconfirmed): a blind repeat could use a dead one.
  tokenRefresh: tokenCall('token.refresh', '/api/v2/token/refresh', toTokenRefreshQuery),
};

/** The Search Products entry for `input`: 202312 when it filters on SKU ids (§6.1), else 202309. */
export function productSearchFor(input: ProductSearchInput) {
  return hasSkuIdFilter(input.filter) ? ENDPOINTS.productSearchBySkuIds : ENDPOINTS.productSearch;
}

/** An entry's arguments as the wire carries them. */
export interface WireRequest {
  path: string;
  /** Query values as strings (see toQueryStrings). */
  query: Record<string, string>;
  /** The JSON body, serialized once: these bytes are signed, sent and used for in-flight sharing. */
  bodyText: string | undefined;
}

/** Query values for the wire: lists comma-joined (§4 step 3), booleans and numbers as text. */
export function toQueryStrings(query: WireQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

export function toWireRequest<Args extends unknown[]>(
  entry: Endpoint<Args, unknown>,
  args: Args,
): WireRequest {
  const { query, body } = entry.toWire?.(...args) ?? {};
  return {
    path: typeof entry.path === 'string' ? entry.path : entry.path(...args),
    query: toQueryStrings(query),
    bodyText: body === undefined ? undefined : JSON.stringify(body),
  };
}

/**
 * The argument lists one call per part of the entry's batched id list; the arguments unchanged
 * when the entry has no batch limit for them. An empty list needs no call at all.
 */
export function splitBatches<Input>(entry: Endpoint<[Input], unknown>, input: Input): Input[] {
  const record = input as Record<string, unknown>;
  const limit = entry.batch?.find((candidate) => Array.isArray(record[candidate.list as string]));
  if (!limit) return [input];
  const ids = record[limit.list as string] as string[];
  const parts: Input[] = [];
  for (let start = 0; start < ids.length; start += limit.maxIds) {
    parts.push({ ...input, [limit.list]: ids.slice(start, start + limit.maxIds) });
  }
  return parts;
}
