// The upstream cost of each schema field, as the resolvers and loaders spend it (issue 14): which
// endpoint a field calls, how its calls grow with the objects above it, and how many objects it
// yields to the fields below. estimate.ts walks a document with this table; a field not listed
// costs nothing and yields one object per parent (lists of unknown length are counted once: only
// fields that call upstream need a count, and those use the bounds named here).
import {
  INVENTORY_SEARCH_MAX_PRODUCT_IDS,
  INVENTORY_SEARCH_MAX_SKU_IDS,
} from '../../datasources/tiktok/endpoints.js';
import { VIDEO_SCAN_MAX_PAGES } from '../../datasources/tiktok/loaders.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_UPSTREAM_PAGES_PER_PAGE } from '../connection.js';

/** A field's arguments, coerced (variables and defaults applied). */
export type FieldArgs = Record<string, unknown>;

/** How a field's calls grow with its parents. */
export type CallRule =
  /** `count` calls per parent object (Get Product per product, an analytics call per video). */
  | { endpoint: string; per: 'parent'; count?: number | ((args: FieldArgs) => number) }
  /**
   * Ids batched by a DataLoader: one call per `batchSize` ids of the whole request, one id per
   * object of the nearest enclosing `idsOf` type (default: per parent).
   */
  | { endpoint: string; per: 'batch'; batchSize: number; idsOf?: string }
  /** Once per request (per shop) however many parents ask: a cached, shared read. */
  | { endpoint: string; per: 'request'; count?: number };

export interface FieldRule {
  calls?: CallRule[];
  /**
   * Objects the field yields per parent: a number, `first` (a connection: its edges or nodes
   * yield this many), or a function of the arguments. Default 1.
   */
  yields?: number | 'first' | ((args: FieldArgs) => number);
  /** The field's objects already hold the product detail (so detail-only fields cost nothing). */
  providesDetail?: boolean;
  /** Charged only when the parent does not hold the product detail (search results do not). */
  needsDetail?: boolean;
}

/**
 * Line items per order the estimate assumes: the emulator's most (generate-orders.ts), and above
 * what TikTok shops typically see. An order with more makes the estimate low by its excess.
 */
export const LINE_ITEMS_PER_ORDER = 4;
/** Videos linked to one product that `Product.videos` is assumed to yield. */
export const VIDEOS_PER_PRODUCT = 10;

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
const inputOf = (args: FieldArgs): Record<string, unknown> =>
  (args.input as Record<string, unknown> | undefined) ?? {};
/** Distinct product ids among a bulk update's items. */
const bulkProducts = (args: FieldArgs): number => {
  const items = inputOf(args).items;
  if (!Array.isArray(items)) return 0;
  return new Set(items.map((item) => String((item as { productId?: unknown }).productId))).size;
};

/**
 * A connection's `first` as the resolver reads it (connection.ts): null is the default page, and
 * one out of range is refused before any call (undefined here).
 */
const firstOf = (args: FieldArgs): number | undefined => {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  return typeof first === 'number' &&
    Number.isInteger(first) &&
    first >= 0 &&
    first <= MAX_PAGE_SIZE
    ? first
    : undefined;
};

/** The objects a connection's `edges`/`nodes` yield. */
export const pageSizeOf = (args: FieldArgs): number => firstOf(args) ?? 0;

/**
 * A root connection: one page read per call, up to MAX_UPSTREAM_PAGES_PER_PAGE when continuing
 * from a cursor (whose page size may differ from `first`), and `first` nodes below it.
 */
const page = (endpoint: string): FieldRule => ({
  calls: [
    {
      endpoint,
      per: 'parent',
      // `first: 0` still reads a page (for totalCount).
      count: (args) =>
        firstOf(args) === undefined ? 0 : args.after ? MAX_UPSTREAM_PAGES_PER_PAGE : 1,
    },
  ],
  yields: 'first',
});

const productDetail: CallRule = { endpoint: 'product.detail', per: 'parent' };
/** Fields of a search result that need Get Product (description, images, category, brand). */
const detailOnly: FieldRule = { calls: [productDetail], needsDetail: true };
/** A parent's `product` (or `sku`): Get Product per parent, deduplicated and cached. */
const productOfParent: FieldRule = { calls: [productDetail], providesDetail: true };

/** Per `Type.field`. Fields of types ending in `Connection`: `edges` and `nodes` yield `first`. */
export const FIELD_RULES: Record<string, FieldRule> = {
  // Roots.
  'Query.product': { calls: [productDetail], providesDetail: true },
  'Query.products': page('product.search'),
  'Query.order': { calls: [{ endpoint: 'order.detail', per: 'parent' }] },
  'Query.orders': page('order.search'),
  'Query.inventory': {
    calls: [
      {
        endpoint: 'inventory.search',
        per: 'parent',
        count: (args) =>
          Math.ceil(lengthOf(args.productIds) / INVENTORY_SEARCH_MAX_PRODUCT_IDS) +
          Math.ceil(lengthOf(args.skuIds) / INVENTORY_SEARCH_MAX_SKU_IDS),
      },
    ],
    // At most one product per id asked for (SKU ids: one per SKU at worst).
    yields: (args) => lengthOf(args.productIds) + lengthOf(args.skuIds),
  },
  'Query.warehouses': { calls: [{ endpoint: 'logistics.warehouses', per: 'request' }] },
  'Query.shopPerformance': { calls: [{ endpoint: 'analytics.shop_performance', per: 'parent' }] },
  'Query.productPerformances': page('analytics.product_performance_list'),
  'Query.skuPerformances': page('analytics.sku_performance_list'),
  'Query.videos': page('analytics.video_performance_list'),
  'Query.video': { calls: [] },
  'Query.liveSessions': page('analytics.live_sessions'),
  'Query.webhookSubscriptions': { calls: [{ endpoint: 'event.webhooks.list', per: 'parent' }] },

  // Orders.
  'Order.lineItems': { yields: LINE_ITEMS_PER_ORDER },
  'LineItem.product': productOfParent,
  'LineItem.sku': productOfParent,

  // Products and stock: one Inventory Search per 100 products, whichever SKUs ask.
  'Product.description': detailOnly,
  'Product.images': detailOnly,
  'Product.categoryPath': detailOnly,
  'Product.brand': detailOnly,
  'Sku.inventory': {
    calls: [
      {
        endpoint: 'inventory.search',
        per: 'batch',
        batchSize: INVENTORY_SEARCH_MAX_PRODUCT_IDS,
        idsOf: 'Product',
      },
    ],
  },
  'ProductInventory.product': productOfParent,
  'WarehouseInventory.warehouse': {
    calls: [{ endpoint: 'logistics.warehouses', per: 'request' }],
  },
  'Product.performance': {
    calls: [{ endpoint: 'analytics.product_performance', per: 'parent' }],
  },
  // One scan of the shop's video list per range serves every product (shared cache).
  'Product.videos': {
    calls: [
      { endpoint: 'analytics.video_performance_list', per: 'request', count: VIDEO_SCAN_MAX_PAGES },
    ],
    yields: VIDEOS_PER_PRODUCT,
  },

  // Analytics rows and videos.
  'ProductPerformance.product': productOfParent,
  'SkuPerformance.product': productOfParent,
  'SkuPerformance.sku': productOfParent,
  'VideoProduct.product': productOfParent,
  // `engagement` and `performance` share one call per video when granularity is ALL; counted
  // once each, an upper bound.
  'Video.engagement': { calls: [{ endpoint: 'analytics.video_performance', per: 'parent' }] },
  'Video.performance': { calls: [{ endpoint: 'analytics.video_performance', per: 'parent' }] },
  'Video.products': page('analytics.video_products'),

  // Stock writes (inventory-updates.ts): a fresh stock read per 100 products, a write per
  // product, and a read-back per 100 products.
  'Mutation.updateInventory': {
    calls: [
      { endpoint: 'inventory.search', per: 'parent', count: 2 },
      { endpoint: 'inventory.update', per: 'parent' },
    ],
  },
  'Mutation.bulkUpdateInventory': {
    calls: [
      {
        endpoint: 'inventory.search',
        per: 'parent',
        count: (args) => 2 * Math.ceil(bulkProducts(args) / INVENTORY_SEARCH_MAX_PRODUCT_IDS),
      },
      { endpoint: 'inventory.update', per: 'parent', count: bulkProducts },
    ],
    yields: bulkProducts,
  },
  'Mutation.updateWebhookSubscriptions': {
    calls: [
      {
        endpoint: 'event.webhooks.update',
        per: 'parent',
        count: (args) => lengthOf(inputOf(args).set),
      },
      {
        endpoint: 'event.webhooks.delete',
        per: 'parent',
        count: (args) => lengthOf(inputOf(args).delete),
      },
      { endpoint: 'event.webhooks.list', per: 'parent', count: 2 },
    ],
  },
  // The auth host's token call, then the seller's authorised shops.
  'Mutation.exchangeAuthorizationCode': {
    calls: [
      { endpoint: 'token.get', per: 'parent' },
      { endpoint: 'authorization.shops', per: 'parent' },
    ],
  },
  'Mutation.refreshAccessToken': {
    calls: [
      { endpoint: 'token.refresh', per: 'parent' },
      { endpoint: 'authorization.shops', per: 'parent' },
    ],
  },
};
