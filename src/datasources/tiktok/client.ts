// createTikTokShopClient: one method per upstream endpoint (§6), returning domain shapes.
import type { HttpConfig } from '../../config.js';
import { TikTokShopAuthError } from './errors.js';
import {
  type ApiRequest,
  createTikTokHttp,
  type HttpMethod,
  type TikTokShopLogger,
  toQueryStrings,
} from './http.js';
import { createInFlight, inFlightKey } from './in-flight.js';
import type { RateLimiter } from './rate-limiter.js';
import type {
  AccessTokenProvider,
  AnalyticsListInput,
  AnalyticsOverviewInput,
  RawCall,
  ShopRef,
  TikTokShopClient,
  VideoListInput,
} from './types.js';
import {
  mapAuthorizedShops,
  mapInventory,
  mapInventoryUpdate,
  mapLiveSessions,
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
  toInventorySearchBody,
  toInventoryUpdateBody,
  toOrderSearchBody,
  toProductSearchBody,
} from './wire.js';

export { createStaticTokenProvider } from './token-provider.js';

export interface TikTokShopClientDeps {
  credentials: { appKey: string; appSecret: string };
  /** API host base URL (Config.apiBase). */
  apiBase: string;
  /** Auth host base URL (Config.authBase). */
  authBase: string;
  http: HttpConfig;
  /** Applied before every API-host attempt, keyed `${appKey}:${shopId ?? 'seller'}`. */
  rateLimiter: RateLimiter;
  tokens: AccessTokenProvider;
  /** Wall clock, ms since the epoch (request timestamps). Default Date.now. */
  now?: () => number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Waits between retries. Default setTimeout. */
  sleep?: (delayMs: number) => Promise<void>;
  logger?: TikTokShopLogger;
}

/** §6.3: batch limits of Inventory Search. */
export const INVENTORY_SEARCH_MAX_PRODUCT_IDS = 100;
export const INVENTORY_SEARCH_MAX_SKU_IDS = 600;
/** §6.7: ids per Get Order Detail call. */
export const ORDER_DETAIL_MAX_IDS = 50;

/** Endpoint paths and versions (§3, §6, §2.2–2.3). */
const PATHS = {
  authorizedShops: '/authorization/202309/shops',
  productSearch: '/product/202309/products/search',
  product: (id: string) => `/product/202309/products/${encodeURIComponent(id)}`,
  inventorySearch: '/product/202309/inventory/search',
  inventoryUpdate: (id: string) =>
    `/product/202309/products/${encodeURIComponent(id)}/inventory/update`,
  warehouses: '/logistics/202309/warehouses',
  orderSearch: '/order/202309/orders/search',
  orders: '/order/202309/orders',
  shopPerformance: '/analytics/202405/shop/performance',
  productPerformanceList: '/analytics/202405/shop_products/performance',
  productPerformance: (id: string) =>
    `/analytics/202405/shop_products/${encodeURIComponent(id)}/performance`,
  skuPerformanceList: '/analytics/202406/shop_skus/performance',
  videoPerformanceList: '/analytics/202409/shop_videos/performance',
  videoPerformance: (id: string) =>
    `/analytics/202409/shop_videos/${encodeURIComponent(id)}/performance`,
  videoProducts: (id: string) =>
    `/analytics/202409/shop_videos/${encodeURIComponent(id)}/products/performance`,
  liveSessions: '/analytics/202508/shop_lives/performance',
  tokenGet: '/api/v2/token/get',
  tokenRefresh: '/api/v2/token/refresh',
} as const;

interface CallSpec {
  operation: string;
  method: HttpMethod;
  path: string;
  query?: RawCall['query'];
  body?: unknown;
  shop?: ShopRef;
  idempotent: boolean;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}

function overviewQuery(input: AnalyticsOverviewInput): RawCall['query'] {
  return {
    start_date_ge: input.range.startDateGe,
    end_date_lt: input.range.endDateLt,
    granularity: input.granularity,
    currency: input.currency,
    with_comparison: input.withComparison,
  };
}

function listQuery(input: AnalyticsListInput): RawCall['query'] {
  return {
    start_date_ge: input.range.startDateGe,
    end_date_lt: input.range.endDateLt,
    page_size: input.pageSize,
    page_token: input.pageToken || undefined,
    sort_field: input.sortField,
    sort_order: input.sortOrder,
    currency: input.currency,
  };
}

export function createTikTokShopClient(deps: TikTokShopClientDeps): TikTokShopClient {
  const { tokens } = deps;
  const http = createTikTokHttp(deps);
  const inFlight = createInFlight();

  // Sends once; on 105002 asks the provider for a fresh token and repeats exactly once (§5).
  const sendWithRefresh = async (request: ApiRequest): Promise<unknown> => {
    try {
      return await http.api(request);
    } catch (error) {
      const isExpired = error instanceof TikTokShopAuthError && error.reason === 'expired_token';
      if (!isExpired || !tokens.onAccessTokenExpired) throw error;
      const fresh = await tokens.onAccessTokenExpired(request.shop?.id, request.accessToken);
      if (!fresh || fresh === request.accessToken) throw error;
      return http.api({ ...request, accessToken: fresh });
    }
  };

  const execute = async (spec: CallSpec): Promise<unknown> => {
    const accessToken = await tokens.getAccessToken(spec.shop?.id);
    const request: ApiRequest = {
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
      query: toQueryStrings(spec.query),
      // Serialized once: these bytes are signed, sent and used for in-flight sharing.
      bodyText: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      shop: spec.shop,
      accessToken,
      idempotent: spec.idempotent,
    };
    // Only calls that are harmless to repeat may be shared: two identical non-idempotent writes
    // are two intentions.
    if (!spec.idempotent) return sendWithRefresh(request);
    const key = inFlightKey({
      method: request.method,
      origin: http.apiOrigin,
      path: request.path,
      query: request.query,
      body: request.bodyText,
      shopCipher: request.shop?.cipher,
      accessToken,
    });
    return inFlight.run(key, () => sendWithRefresh(request));
  };

  /** A shop-scoped GET: a read, so idempotent (retried and shared while in flight). */
  const readShop = (
    shop: ShopRef,
    operation: string,
    path: string,
    query?: CallSpec['query'],
  ): Promise<unknown> => execute({ operation, method: 'GET', path, query, shop, idempotent: true });

  const client: TikTokShopClient = {
    async getAuthorizedShops() {
      // §3: seller-level, so no shop_cipher.
      const data = await execute({
        operation: 'authorization.shops',
        method: 'GET',
        path: PATHS.authorizedShops,
        idempotent: true,
      });
      return mapAuthorizedShops(data);
    },

    async searchProducts(shop, input) {
      const data = await execute({
        operation: 'product.search',
        method: 'POST',
        path: PATHS.productSearch,
        query: { page_size: input.pageSize, page_token: input.pageToken || undefined },
        body: toProductSearchBody(input.filter),
        shop,
        idempotent: true, // a search is a read, even over POST
      });
      return mapProductSearch(data);
    },

    async getProduct(shop, productId) {
      return mapProduct(await readShop(shop, 'product.detail', PATHS.product(productId)));
    },

    async searchInventory(shop, input) {
      const isSku = 'skuIds' in input;
      const ids = isSku ? input.skuIds : input.productIds;
      if (ids.length === 0) return [];
      const size = isSku ? INVENTORY_SEARCH_MAX_SKU_IDS : INVENTORY_SEARCH_MAX_PRODUCT_IDS;
      const pages = await Promise.all(
        chunk(ids, size).map(async (part) => {
          const data = await execute({
            operation: 'inventory.search',
            method: 'POST',
            path: PATHS.inventorySearch,
            body: toInventorySearchBody(isSku ? { skuIds: part } : { productIds: part }),
            shop,
            idempotent: true,
          });
          return mapInventory(data);
        }),
      );
      return pages.flat();
    },

    async updateInventory(shop, productId, skus) {
      const data = await execute({
        operation: 'inventory.update',
        method: 'POST',
        path: PATHS.inventoryUpdate(productId),
        body: toInventoryUpdateBody(skus),
        shop,
        // Quantities are absolute (§6.4): sending the same update twice leaves the same stock.
        idempotent: true,
      });
      return mapInventoryUpdate(data);
    },

    async getWarehouses(shop) {
      return mapWarehouses(await readShop(shop, 'logistics.warehouses', PATHS.warehouses));
    },

    async searchOrders(shop, input) {
      const data = await execute({
        operation: 'order.search',
        method: 'POST',
        path: PATHS.orderSearch,
        query: {
          page_size: input.pageSize,
          page_token: input.pageToken || undefined,
          sort_field: input.sortField,
          sort_order: input.sortOrder,
        },
        body: toOrderSearchBody(input.filter),
        shop,
        idempotent: true,
      });
      return mapOrderSearch(data);
    },

    async getOrders(shop, orderIds) {
      // Duplicates are asked for once; results come back in the order of first request.
      const unique = [...new Set(orderIds)];
      if (unique.length === 0) return [];
      const pages = await Promise.all(
        chunk(unique, ORDER_DETAIL_MAX_IDS).map(async (part) => {
          const data = await execute({
            operation: 'order.detail',
            method: 'GET',
            path: PATHS.orders,
            query: { ids: part },
            shop,
            idempotent: true,
          });
          return mapOrders(data);
        }),
      );
      const byId = new Map(pages.flat().map((order) => [order.id, order]));
      return unique.flatMap((id) => {
        const order = byId.get(id);
        return order ? [order] : [];
      });
    },

    async getShopPerformance(shop, input) {
      return mapShopPerformance(
        await readShop(
          shop,
          'analytics.shop_performance',
          PATHS.shopPerformance,
          overviewQuery(input),
        ),
      );
    },

    async listProductPerformance(shop, input) {
      return mapProductPerformanceList(
        await readShop(
          shop,
          'analytics.product_performance_list',
          PATHS.productPerformanceList,
          listQuery(input),
        ),
      );
    },

    async getProductPerformance(shop, productId, input) {
      return mapProductPerformance(
        await readShop(
          shop,
          'analytics.product_performance',
          PATHS.productPerformance(productId),
          overviewQuery(input),
        ),
      );
    },

    async listSkuPerformance(shop, input) {
      return mapSkuPerformanceList(
        await readShop(
          shop,
          'analytics.sku_performance_list',
          PATHS.skuPerformanceList,
          listQuery(input),
        ),
      );
    },

    async listVideoPerformance(shop, input: VideoListInput) {
      return mapVideoPerformanceList(
        await readShop(shop, 'analytics.video_performance_list', PATHS.videoPerformanceList, {
          ...listQuery(input),
          account_type: input.accountType,
        }),
      );
    },

    async getVideoPerformance(shop, videoId, input) {
      return mapVideoPerformance(
        await readShop(
          shop,
          'analytics.video_performance',
          PATHS.videoPerformance(videoId),
          overviewQuery(input),
        ),
      );
    },

    async listVideoProducts(shop, videoId, input) {
      return mapVideoProducts(
        await readShop(
          shop,
          'analytics.video_products',
          PATHS.videoProducts(videoId),
          listQuery(input),
        ),
      );
    },

    async listLiveSessions(shop, input) {
      return mapLiveSessions(
        await readShop(shop, 'analytics.live_sessions', PATHS.liveSessions, listQuery(input)),
      );
    },

    async getAccessToken(authCode) {
      const data = await http.auth({
        operation: 'token.get',
        path: PATHS.tokenGet,
        query: { auth_code: authCode, grant_type: 'authorized_code' },
        secrets: [authCode],
        // The code is single-use (§2.2): a repeat after it was consumed can only fail.
        idempotent: false,
      });
      return mapTokenGrant(data);
    },

    async refreshAccessToken(refreshToken) {
      const data = await http.auth({
        operation: 'token.refresh',
        path: PATHS.tokenRefresh,
        query: { refresh_token: refreshToken, grant_type: 'refresh_token' },
        secrets: [refreshToken],
        // The refresh token may rotate (§2.3, unconfirmed): a blind repeat could use a dead one.
        idempotent: false,
      });
      return mapTokenGrant(data);
    },

    async call<T = unknown>(request: RawCall): Promise<T> {
      const data = await execute({
        operation: request.operation ?? `${request.method} ${request.path}`,
        method: request.method,
        path: request.path,
        query: request.query,
        body: request.body,
        shop: request.shop,
        idempotent: request.idempotent ?? request.method === 'GET',
      });
      // Shared in-flight answers are one object; each caller gets its own copy to mutate.
      return structuredClone(data) as T;
    },

    close: () => http.close(),
  };
  return client;
}
