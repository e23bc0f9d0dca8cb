// createTikTokShopClient: the API host's endpoints (endpoints.ts) as methods, all executed by one
// call path: the seller's token, in-flight sharing, the circuit breaker, signing (§4) and rate
// limiting per attempt, one renewal on 105002 (§5), and the entry's wire→domain mapping.
import type { TikTokCredentials } from '../../config.js';
import { type CircuitBreaker, circuitKey, NO_CIRCUIT_BREAKER } from './circuit-breaker.js';
import {
  ENDPOINTS,
  type Endpoint,
  productSearchFor,
  type RateClass,
  splitBatches,
  toWireRequest,
  type WireRequest,
} from './endpoints.js';
import { createUnknownValueLog } from './enums.js';
import { localRateLimitError, TikTokShopAuthError, TikTokShopRateLimitError } from './errors.js';
import { createTikTokHttp, type PreparedAttempt, type TikTokHttpOptions } from './http.js';
import { acquireIdleSlot } from './idle-slot.js';
import { createInFlight, inFlightKey } from './in-flight.js';
import { type RateLimiter, rateLimitKey } from './rate-limiter.js';
import { signRequest } from './signer.js';
import type { Order, RawCall, SellerCredentials, ShopSession, TikTokShopClient } from './types.js';

export interface TikTokShopClientDeps extends TikTokHttpOptions {
  credentials: TikTokCredentials;
  /** API host base URL (Config.apiBase). */
  apiBase: string;
  /** Applied before every attempt, keyed `${appKey}:${shopId ?? 'seller'}:${rateClass}` (§7). */
  rateLimiter: RateLimiter;
  /** Guards every call, keyed by circuitKey (app, shop, rate class). Default: none. */
  circuitBreaker?: CircuitBreaker;
}

/** Parameters the client sets itself; a caller's values for them are dropped (§4). */
const RESERVED_QUERY = ['sign', 'access_token', 'x-tts-access-token', 'shop_cipher'];

type ApiEndpoint<Args extends unknown[], Output> = Endpoint<Args, Output, boolean, 'api'>;

/** Orders in the order their ids were first asked for; ids TikTok did not return are left out. */
function inRequestOrder(ids: string[], orders: Order[]): Order[] {
  const byId = new Map(orders.map((order) => [order.id, order]));
  return ids.flatMap((id) => {
    const order = byId.get(id);
    return order ? [order] : [];
  });
}

export function createTikTokShopClient(deps: TikTokShopClientDeps): TikTokShopClient {
  const { credentials, rateLimiter } = deps;
  const circuitBreaker = deps.circuitBreaker ?? NO_CIRCUIT_BREAKER;
  const now = deps.now ?? Date.now;
  const http = createTikTokHttp(deps.apiBase, deps);
  const inFlight = createInFlight();
  const reportUnknownValue = createUnknownValueLog(deps.logger);

  /** A caller's slot, refused at once when it could only come after the request's deadline. */
  const acquireSlot = async (
    key: string,
    operation: string,
    rateClass: RateClass,
    deadlineAt: number | undefined,
  ): Promise<void> => {
    const leftMs = deadlineAt === undefined ? undefined : deadlineAt - now();
    try {
      await rateLimiter.acquire(key, rateClass, leftMs);
    } catch (error) {
      if (!(error instanceof TikTokShopRateLimitError)) throw error;
      const isPastDeadline =
        leftMs !== undefined && error.retryAfterMs !== null && error.retryAfterMs > leftMs;
      throw isPastDeadline
        ? localRateLimitError(
            `${operation}: ${error.message}, after the request's deadline (${Math.max(0, leftMs)} ms left)`,
            operation,
            error.retryAfterMs,
            'request_deadline',
          )
        : localRateLimitError(`${operation}: ${error.message}`, operation, error.retryAfterMs);
    }
  };

  /** Per attempt: a slot from the limiter, then a fresh timestamp and signature (§4). */
  const signedAttempt =
    (
      entry: { operation: string; rateClass: RateClass },
      wire: WireRequest,
      shop: ShopSession | undefined,
      accessToken: string,
    ) =>
    async (fullPath: string): Promise<PreparedAttempt> => {
      const { operation, rateClass } = entry;
      const key = rateLimitKey(credentials.appKey, shop?.id, rateClass);
      const waitStartedAt = performance.now();
      if (shop?.background) {
        await acquireIdleSlot(rateLimiter, key, rateClass, {
          operation,
          signal: shop.background.signal,
          deadlineAt: shop.deadlineAt,
          now,
        });
      } else {
        await acquireSlot(key, operation, rateClass, shop?.deadlineAt);
      }
      const waitedMs = performance.now() - waitStartedAt;
      const query: Record<string, string> = { ...wire.query };
      for (const key of RESERVED_QUERY) delete query[key];
      query.app_key = credentials.appKey;
      query.timestamp = String(Math.floor(now() / 1000));
      if (shop) query.shop_cipher = shop.cipher;
      const sign = signRequest({
        appSecret: credentials.appSecret,
        path: fullPath,
        query,
        body: wire.bodyText,
      });
      return {
        query: { ...query, sign },
        headers: {
          'content-type': 'application/json', // §1: required even on GET
          'x-tts-access-token': accessToken,
        },
        secrets: [credentials.appSecret, accessToken, sign],
        waitedMs,
        // AIMD (§7): TikTok's 429 lowers the key's rate, a clean answer restores it a little;
        // other failures say nothing about the allocation.
        settled: (error) => {
          if (error === undefined) rateLimiter.report(key, rateClass, false);
          else if (
            error instanceof TikTokShopRateLimitError &&
            error.reason === 'throttled' &&
            !error.isLocal
          ) {
            rateLimiter.report(key, rateClass, true);
          }
        },
      };
    };

  /** The one call path: any API-host entry, for a seller and, when shop-scoped, its shop. */
  async function send<Args extends unknown[], Output>(
    entry: ApiEndpoint<Args, Output>,
    seller: SellerCredentials,
    shop: ShopSession | undefined,
    args: NoInfer<Args>,
    isShared = true,
  ): Promise<Output> {
    const wire = toWireRequest(entry, args);
    const accessToken = await seller.accessToken();
    const sendWith = (token: string) =>
      http.send({
        operation: entry.operation,
        method: entry.method,
        path: wire.path,
        bodyText: wire.bodyText,
        idempotent: entry.isIdempotent,
        deadlineAt: shop?.deadlineAt,
        prepare: signedAttempt(entry, wire, shop, token),
        shopId: shop?.id,
        observer: shop?.observer,
      });
    // Sends once; on 105002 asks the seller for a fresh token and repeats exactly once (§5).
    const sendWithRenewal = async (): Promise<unknown> => {
      try {
        return await sendWith(accessToken);
      } catch (error) {
        const isExpired = error instanceof TikTokShopAuthError && error.reason === 'expired_token';
        if (!isExpired) throw error;
        const fresh = await seller.renewAccessToken(accessToken);
        if (!fresh || fresh === accessToken) throw error;
        return sendWith(fresh);
      }
    };
    // One outcome per call, after its retries and renewal; callers sharing it share one outcome.
    const guarded = () =>
      circuitBreaker.run(
        circuitKey(credentials.appKey, shop?.id, entry.rateClass),
        entry.operation,
        sendWithRenewal,
      );
    // Only calls that are harmless to repeat may be shared: two identical non-idempotent writes
    // are two intentions. A shared answer is one object; each caller maps its own copy.
    // A call joined while another caller's is in flight is that caller's call: this one reports
    // it as a shared answer (its upstream cost), not as a call of its own.
    let isSender = false;
    const sent = () => {
      isSender = true;
      return guarded();
    };
    const isSharable = entry.isIdempotent && isShared && !shop?.background;
    if (!isSharable) return entry.fromWire(await guarded(), reportUnknownValue);
    const key = inFlightKey({
      method: entry.method,
      origin: http.origin,
      path: wire.path,
      query: wire.query,
      body: wire.bodyText,
      shopCipher: shop?.cipher,
      accessToken,
    });
    const shared = inFlight.run(key, sent);
    if (!isSender) shop?.observer?.servedShared?.(`in-flight:${entry.operation}`);
    const data = await shared;
    return entry.fromWire(data, reportUnknownValue);
  }

  /** A client method for a shop-scoped entry: `(shop, ...args)`; unshared when `isShared` is false. */
  const forShop =
    <Args extends unknown[], Output>(entry: Endpoint<Args, Output, true, 'api'>, isShared = true) =>
    (shop: ShopSession, ...args: Args): Promise<Output> =>
      send(entry, shop.seller, shop, args, isShared);

  /** Like forShop, for an entry whose id list is split by its batch limit (§6.3, §6.7). */
  const inBatches =
    <Input, Item>(entry: Endpoint<[Input], Item[], true, 'api'>, isShared = true) =>
    async (shop: ShopSession, input: Input): Promise<Item[]> => {
      const parts = splitBatches(entry, input);
      const pages = await Promise.all(
        parts.map((part) => send(entry, shop.seller, shop, [part], isShared)),
      );
      return pages.flat();
    };

  const searchOrderDetails = inBatches(ENDPOINTS.orderDetail);

  return {
    getAuthorizedShops: (seller) => send(ENDPOINTS.authorizedShops, seller, undefined, []),
    searchProducts: (shop, input) => send(productSearchFor(input), shop.seller, shop, [input]),
    getProduct: forShop(ENDPOINTS.productDetail),
    searchInventory: inBatches(ENDPOINTS.inventorySearch),
    updateInventory: forShop(ENDPOINTS.inventoryUpdate),
    unshared: {
      getProduct: forShop(ENDPOINTS.productDetail, false),
      searchInventory: inBatches(ENDPOINTS.inventorySearch, false),
      listWebhooks: forShop(ENDPOINTS.webhooksList, false),
    },
    getWarehouses: forShop(ENDPOINTS.warehouses),
    searchOrders: forShop(ENDPOINTS.orderSearch),
    async getOrders(shop, orderIds) {
      // Duplicates are asked for once.
      const ids = [...new Set(orderIds)];
      return inRequestOrder(ids, await searchOrderDetails(shop, { ids }));
    },
    getShopPerformance: forShop(ENDPOINTS.shopPerformance),
    listProductPerformance: forShop(ENDPOINTS.productPerformanceList),
    getProductPerformance: forShop(ENDPOINTS.productPerformance),
    listSkuPerformance: forShop(ENDPOINTS.skuPerformanceList),
    listVideoPerformance: forShop(ENDPOINTS.videoPerformanceList),
    getVideoPerformance: forShop(ENDPOINTS.videoPerformance),
    listVideoProducts: forShop(ENDPOINTS.videoProducts),
    listLiveSessions: forShop(ENDPOINTS.liveSessions),
    listWebhooks: forShop(ENDPOINTS.webhooksList),
    putWebhook: forShop(ENDPOINTS.webhookPut),
    deleteWebhook: forShop(ENDPOINTS.webhookDelete),

    call<T = unknown>(target: ShopSession | SellerCredentials, request: RawCall): Promise<T> {
      const [seller, shop] = 'seller' in target ? [target.seller, target] : [target, undefined];
      const entry: ApiEndpoint<[], T> = {
        operation: request.operation ?? `${request.method} ${request.path}`,
        method: request.method,
        host: 'api',
        path: request.path,
        isShopScoped: shop !== undefined,
        isIdempotent: request.idempotent ?? request.method === 'GET',
        // The class the emulator and TikTok's allocation infer from the path (§7).
        rateClass: request.path.includes('/analytics/') ? 'analytics' : 'standard',
        toWire: () => ({ query: request.query, body: request.body }),
        // Shared in-flight answers are one object; each caller gets its own copy to mutate.
        fromWire: (data) => structuredClone(data) as T,
      };
      return send(entry, seller, shop, []);
    },

    close: () => http.close(),
    destroy: () => http.destroy(),
  };
}
