// Per-request, per-shop DataLoaders plus the cached reads the schema needs. Created lazily by
// context.ts for each shop a request touches; nothing here outlives the request except what
// goes through the shared cache.
import DataLoader from 'dataloader';
import type { Config } from '../../config.js';
import { type SharedCache, shopKey } from './cache.js';
import {
  INVENTORY_SEARCH_MAX_PRODUCT_IDS,
  INVENTORY_SEARCH_MAX_SKU_IDS,
  ORDER_DETAIL_MAX_IDS,
} from './endpoints.js';
import { TikTokShopNotFoundError } from './errors.js';
import type {
  AnalyticsListInput,
  AnalyticsOverviewInput,
  LiveSession,
  Order,
  OrderSearchInput,
  Page,
  Product,
  ProductInventory,
  ProductPerformance,
  ProductPerformanceRow,
  ProductSearchFilter,
  ProductSummary,
  ShopPerformance,
  ShopSession,
  SkuInventory,
  SkuPerformanceRow,
  TikTokShopClient,
  VideoListInput,
  VideoPerformance,
  VideoPerformanceRow,
  VideoProductRow,
  Warehouse,
} from './types.js';

/** Pages of 100 read by `allVideos`, so one product lookup costs at most this many calls. */
export const VIDEO_SCAN_MAX_PAGES = 10;
const VIDEO_SCAN_PAGE_SIZE = 100;

export interface SkuInventoryInProduct {
  productId: string;
  sku: SkuInventory;
}

/** A product's or video's analytics: its id and the range, granularity and currency asked. */
export interface AnalyticsOverviewKey {
  id: string;
  input: AnalyticsOverviewInput;
}

export interface Loaders {
  /** null when the order does not exist or belongs to another seller. */
  orderById: DataLoader<string, Order | null>;
  /** Product detail (§6.2), shared-cached; null when not found. No batch endpoint exists. */
  productById: DataLoader<string, Product | null>;
  /** One Inventory Search per 100 products; null when TikTok returns nothing for the id. */
  inventoryByProductId: DataLoader<string, ProductInventory | null>;
  /** One Inventory Search per 600 SKUs; null when TikTok returns nothing for the id. */
  inventoryBySkuId: DataLoader<string, SkuInventoryInProduct | null>;
  /** Per-product analytics, shared-cached; null when TikTok has no analytics for the product. */
  productPerformance: DataLoader<AnalyticsOverviewKey, ProductPerformance | null, string>;
  /** Per-video analytics, shared-cached; null when the video is unknown. */
  videoPerformance: DataLoader<AnalyticsOverviewKey, VideoPerformance | null, string>;
  /** Stock of these products, in the order asked; ids TikTok returns nothing for are left out. */
  inventoryForProducts(productIds: string[]): Promise<ProductInventory[]>;
  /** Stock of these SKUs, grouped by product in first-seen order, only the SKUs asked for. */
  inventoryForSkus(skuIds: string[]): Promise<ProductInventory[]>;
  searchProducts(input: {
    pageSize: number;
    pageToken?: string;
    filter?: ProductSearchFilter;
  }): Promise<Page<ProductSummary>>;
  /** Search results carry full orders (§6.6), so they prime `orderById`. */
  searchOrders(input: OrderSearchInput): Promise<Page<Order>>;
  warehouses(): Promise<Warehouse[]>;
  shopPerformance(input: AnalyticsOverviewInput): Promise<ShopPerformance>;
  productPerformances(input: AnalyticsListInput): Promise<Page<ProductPerformanceRow>>;
  skuPerformances(input: AnalyticsListInput): Promise<Page<SkuPerformanceRow>>;
  videos(input: VideoListInput): Promise<Page<VideoPerformanceRow>>;
  /**
   * The videos of a range, top GMV first, read page by page up to VIDEO_SCAN_MAX_PAGES pages:
   * TikTok has no product-to-video endpoint, so products find their videos in this list.
   */
  allVideos(input: Pick<VideoListInput, 'range' | 'currency'>): Promise<VideoPerformanceRow[]>;
  videoProducts(videoId: string, input: AnalyticsListInput): Promise<Page<VideoProductRow>>;
  liveSessions(input: AnalyticsListInput): Promise<Page<LiveSession>>;
  /**
   * After a stock write: forgets the product's detail here and in the shared cache, and makes
   * this request's inventory reads return `freshInventory` (when given) instead of older data.
   */
  invalidateProduct(productId: string, freshInventory?: ProductInventory | null): void;
}

export interface LoadersDeps {
  client: TikTokShopClient;
  /** The shop and its seller, as the request resolved them: every call here goes with it. */
  shop: ShopSession;
  cache: SharedCache;
  config: Pick<Config, 'batchingEnabled'>;
}

const isNotFound = (error: unknown): boolean => error instanceof TikTokShopNotFoundError;

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error('Unexpected non-Error rejection');

/**
 * Runs one batch call for all keys. When it fails with not-found (TikTok fails a whole Get Order
 * Detail call for one foreign id, §6.7), retries each key alone so the others still load:
 * not-found becomes null, anything else an Error in that key's slot.
 */
async function loadWithPerKeyFallback<V>(
  keys: readonly string[],
  loadMany: (keys: readonly string[]) => Promise<Map<string, V>>,
): Promise<Array<V | null | Error>> {
  try {
    const found = await loadMany(keys);
    return keys.map((key) => found.get(key) ?? null);
  } catch (error) {
    // In each key's slot rather than thrown: DataLoader forgets the keys of a thrown batch, so a
    // later load of a key (e.g. a resolver after a prefetch) would call TikTok again.
    if (!isNotFound(error)) return keys.map(() => asError(error));
    if (keys.length === 1) return [null];
    return Promise.all(
      keys.map((key) =>
        loadMany([key]).then(
          (found) => found.get(key) ?? null,
          (single: unknown) => (isNotFound(single) ? null : asError(single)),
        ),
      ),
    );
  }
}

/** Not-found becomes null; other failures stay in the key's slot. */
async function settleEach<K, V>(
  keys: readonly K[],
  load: (key: K) => Promise<V>,
): Promise<Array<V | null | Error>> {
  return Promise.all(
    keys.map((key) =>
      load(key).then(
        (value) => value,
        (error: unknown) => (isNotFound(error) ? null : asError(error)),
      ),
    ),
  );
}

export function createLoaders({ client, shop, cache, config }: LoadersDeps): Loaders {
  // With batching off every field read goes upstream on its own: the bench's naive baseline.
  const batching = (maxBatchSize: number) =>
    config.batchingEnabled ? { maxBatchSize } : { batch: false, cache: false };
  /** The shared cache, telling the request's observer of a hit (its upstream cost, issue 14). */
  const cached = async <T>(
    kind: string,
    key: string,
    ttlMs: number,
    load: () => Promise<T>,
  ): Promise<T> => {
    let isLoaded = false;
    const value = await cache.getOrLoad(key, ttlMs, () => {
      isLoaded = true;
      return load();
    });
    if (!isLoaded) shop.observer?.servedShared?.(`cache:${kind}`);
    return value;
  };
  const analytics = <T>(
    name: string,
    input: { range: AnalyticsOverviewInput['range'] },
    load: () => Promise<T>,
  ) =>
    cached(
      'analytics',
      shopKey(shop.id, 'analytics', name, JSON.stringify(input)),
      cache.analyticsTtlMs(input.range),
      load,
    );

  const orderById = new DataLoader<string, Order | null>(
    (ids) =>
      loadWithPerKeyFallback(ids, async (batch) => {
        const orders = await client.getOrders(shop, [...batch]);
        return new Map(orders.map((order) => [order.id, order]));
      }),
    batching(ORDER_DETAIL_MAX_IDS),
  );

  const productById = new DataLoader<string, Product | null>(
    // No batch endpoint: distinct ids go out in parallel and the client's rate limiter paces them.
    (ids) =>
      settleEach(ids, (id) =>
        cached('product', shopKey(shop.id, 'product', id), cache.ttlMs, () =>
          client.getProduct(shop, id),
        ),
      ),
    batching(Number.POSITIVE_INFINITY),
  );

  const inventoryByProductId = new DataLoader<string, ProductInventory | null>(
    (ids) =>
      loadWithPerKeyFallback(ids, async (batch) => {
        const products = await client.searchInventory(shop, { productIds: [...batch] });
        return new Map(products.map((product) => [product.productId, product]));
      }),
    batching(INVENTORY_SEARCH_MAX_PRODUCT_IDS),
  );

  const inventoryBySkuId = new DataLoader<string, SkuInventoryInProduct | null>(
    (ids) =>
      loadWithPerKeyFallback(ids, async (batch) => {
        const products = await client.searchInventory(shop, { skuIds: [...batch] });
        return new Map(
          products.flatMap((product) =>
            product.skus.map((sku) => [sku.id, { productId: product.productId, sku }] as const),
          ),
        );
      }),
    batching(INVENTORY_SEARCH_MAX_SKU_IDS),
  );

  // One shared-cached analytics call per id and input; `kind` keeps products and videos apart.
  const overviewLoader = <V>(
    kind: string,
    load: (id: string, input: AnalyticsOverviewInput) => Promise<V>,
  ) =>
    new DataLoader<AnalyticsOverviewKey, V | null, string>(
      (keys) =>
        settleEach(keys, ({ id, input }) =>
          analytics(`${kind}:${id}`, input, () => load(id, input)),
        ),
      {
        ...batching(Number.POSITIVE_INFINITY),
        cacheKeyFn: ({ id, input }) => `${id}|${JSON.stringify(input)}`,
      },
    );

  // Once per request even with the shared cache off: several fields (and the prefetch) ask.
  let warehouses: Promise<Warehouse[]> | undefined;

  const productPerformance = overviewLoader('product', (productId, input) =>
    client.getProductPerformance(shop, productId, input),
  );
  const videoPerformance = overviewLoader('video', (videoId, input) =>
    client.getVideoPerformance(shop, videoId, input),
  );

  return {
    orderById,
    productById,
    inventoryByProductId,
    inventoryBySkuId,
    productPerformance,
    videoPerformance,
    async inventoryForProducts(productIds) {
      const found = await inventoryByProductId.loadMany(productIds);
      return found.filter((entry): entry is ProductInventory => {
        if (entry instanceof Error) throw entry;
        return entry !== null;
      });
    },
    async inventoryForSkus(skuIds) {
      const byProduct = new Map<string, ProductInventory>();
      for (const entry of await inventoryBySkuId.loadMany(skuIds)) {
        if (entry instanceof Error) throw entry;
        if (!entry) continue;
        const product = byProduct.get(entry.productId) ?? { productId: entry.productId, skus: [] };
        product.skus.push(entry.sku);
        byProduct.set(entry.productId, product);
      }
      return [...byProduct.values()];
    },
    searchProducts: (input) => client.searchProducts(shop, input),
    async searchOrders(input) {
      const page = await client.searchOrders(shop, input);
      for (const order of page.items) orderById.prime(order.id, order);
      return page;
    },
    warehouses() {
      warehouses ??= cached('warehouses', shopKey(shop.id, 'warehouses'), cache.ttlMs, () =>
        client.getWarehouses(shop),
      );
      return warehouses;
    },
    shopPerformance: (input) =>
      analytics('shop', input, () => client.getShopPerformance(shop, input)),
    productPerformances: (input) =>
      analytics('products', input, () => client.listProductPerformance(shop, input)),
    skuPerformances: (input) =>
      analytics('skus', input, () => client.listSkuPerformance(shop, input)),
    videos: (input) => analytics('videos', input, () => client.listVideoPerformance(shop, input)),
    allVideos: (input) =>
      analytics('videos-all', input, async () => {
        const rows: VideoPerformanceRow[] = [];
        let pageToken: string | undefined;
        for (let pages = 0; pages < VIDEO_SCAN_MAX_PAGES; pages += 1) {
          const page = await client.listVideoPerformance(shop, {
            ...input,
            pageSize: VIDEO_SCAN_PAGE_SIZE,
            ...(pageToken ? { pageToken } : {}),
            sortField: 'gmv',
            sortOrder: 'DESC',
          });
          rows.push(...page.items);
          if (page.nextPageToken === null) break;
          pageToken = page.nextPageToken;
        }
        return rows;
      }),
    videoProducts: (videoId, input) =>
      analytics(`video-products:${videoId}`, input, () =>
        client.listVideoProducts(shop, videoId, input),
      ),
    liveSessions: (input) => analytics('lives', input, () => client.listLiveSessions(shop, input)),
    invalidateProduct(productId, freshInventory) {
      cache.invalidateProduct(shop.id, productId);
      productById.clear(productId);
      inventoryByProductId.clear(productId);
      if (freshInventory !== undefined) inventoryByProductId.prime(productId, freshInventory);
      // SKU-keyed reads cannot be matched to the product without a lookup: start them afresh.
      inventoryBySkuId.clearAll();
    },
  };
}
