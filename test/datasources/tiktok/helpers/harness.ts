// Starts a real emulator on a loopback port and real clients pointed at it. Each test owns both.
import type { HttpConfig, RateLimitConfig } from '../../../../src/config.js';
import { createAuthHostClient } from '../../../../src/datasources/tiktok/auth-host.js';
import { createTikTokShopClient } from '../../../../src/datasources/tiktok/client.js';
import type { TikTokShopError } from '../../../../src/datasources/tiktok/errors.js';
import { createTokenBucketRateLimiter } from '../../../../src/datasources/tiktok/rate-limiter.js';
import { createStaticCredentials } from '../../../../src/datasources/tiktok/static-credentials.js';
import type {
  AuthHostClient,
  InventoryUpdateSku,
  SellerCredentials,
  ShopRef,
  ShopSession,
  TikTokShopClient,
} from '../../../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../../../src/emulator/server.js';
import type {
  EmulatorHandle,
  EmulatorOptions,
  IssuedTokens,
} from '../../../../src/emulator/types.js';

/** Short timeouts and backoff so fault tests finish quickly; attempts stay small and countable. */
export const TEST_HTTP: HttpConfig = {
  connectTimeoutMs: 2_000,
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 5_000,
  connections: 8,
  maxAttempts: 3,
  retryBaseMs: 20,
  retryMaxMs: 2_000,
  // §7's shape, scaled down; the tests about the schedule set their own.
  rateLimitBackoff: { baseMs: 20, jitterMs: 10, maxMs: 2_000, maxRetries: 5 },
};

/** Far above anything a test sends, unless the test is about the limiter. */
export const GENEROUS_RATE: RateLimitConfig = {
  requestsPerSecond: 1_000,
  burst: 1_000,
  maxQueue: 10_000,
  maxWaitMs: 60_000,
};

/** A wall clock that tests can move forward; shared by emulator and client so timestamps agree. */
export function createShiftableClock() {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advanceSeconds(seconds: number) {
      offsetMs += seconds * 1_000;
    },
  };
}

export interface ClientOptions {
  http?: Partial<HttpConfig>;
  rateLimit?: Partial<RateLimitConfig>;
  appKey?: string;
  appSecret?: string;
  now?: () => number;
}

export interface Harness {
  emulator: EmulatorHandle;
  issued: IssuedTokens;
  /** sellers[0] with `issued`'s access token. */
  seller: SellerCredentials;
  /** sellers[0]'s first shop, which `issued` is authorized for, with `seller`. */
  shop: ShopSession;
  /** sellers[0]'s second shop. */
  secondShop: ShopSession;
  /** A shop of another seller: `issued` is not authorized for it. */
  foreignShop: ShopSession;
  client: TikTokShopClient;
  authHost: AuthHostClient;
  /** Builds another client against the same emulator (closed by `close`). */
  makeClient(options?: ClientOptions): TikTokShopClient;
  /** Builds another auth-host client against the same emulator (closed by `close`). */
  makeAuthHost(options?: ClientOptions): AuthHostClient;
  /** `shop` with other credentials: a fixed access token, or a seller's credentials. */
  withSeller(shop: ShopRef, seller: string | SellerCredentials): ShopSession;
  close(): Promise<void>;
}

export async function startHarness(
  options: { emulator?: EmulatorOptions; client?: ClientOptions; scopes?: string[] } = {},
): Promise<Harness> {
  const emulator = await createEmulator({ scale: 0.1, rateLimit: false, ...options.emulator });
  const seller = emulator.sellers[0];
  const other = emulator.sellers[1];
  if (!seller || seller.shops.length < 2 || !other?.shops[0]) {
    throw new Error('emulator seed must have two sellers, the first with two shops');
  }
  const issued = emulator.issueTokens({ openId: seller.openId, scopes: options.scopes });
  const sellerCredentials = createStaticCredentials(issued.accessToken);
  const withSeller = (shop: ShopRef, credentials: string | SellerCredentials): ShopSession => ({
    id: shop.id,
    cipher: shop.cipher,
    seller: typeof credentials === 'string' ? createStaticCredentials(credentials) : credentials,
  });
  const clients: Array<{ close(): Promise<void> }> = [];
  const settings = (clientOptions: ClientOptions) => ({
    credentials: {
      appKey: clientOptions.appKey ?? emulator.appKey,
      appSecret: clientOptions.appSecret ?? emulator.appSecret,
    },
    http: { ...TEST_HTTP, ...clientOptions.http },
    now: clientOptions.now,
  });

  const makeClient = (clientOptions: ClientOptions = {}) => {
    const client = createTikTokShopClient({
      ...settings(clientOptions),
      apiBase: emulator.url,
      rateLimiter: createTokenBucketRateLimiter({ ...GENEROUS_RATE, ...clientOptions.rateLimit }),
    });
    clients.push(client);
    return client;
  };
  const makeAuthHost = (clientOptions: ClientOptions = {}) => {
    const authHost = createAuthHostClient({ ...settings(clientOptions), authBase: emulator.url });
    clients.push(authHost);
    return authHost;
  };

  return {
    emulator,
    issued,
    seller: sellerCredentials,
    shop: withSeller(seller.shops[0] as ShopRef, sellerCredentials),
    secondShop: withSeller(seller.shops[1] as ShopRef, sellerCredentials),
    foreignShop: withSeller(other.shops[0], sellerCredentials),
    client: makeClient(options.client),
    authHost: makeAuthHost(options.client),
    makeClient,
    makeAuthHost,
    withSeller,
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await emulator.close();
    },
  };
}

/** Awaits a promise that must reject and returns the error. */
export async function failureOf(promise: Promise<unknown>): Promise<TikTokShopError> {
  try {
    await promise;
  } catch (error) {
    return error as TikTokShopError;
  }
  throw new Error('expected the call to fail');
}

/** Everything an error exposes to a log line or an API response. */
export function exposedText(error: unknown): string {
  const err = error as Error;
  return `${err.message}\n${String(err)}\n${JSON.stringify(err)}`;
}

/** A recent date range for analytics, in the shop's YYYY-MM-DD form. */
export function recentRange(days = 7): { startDateGe: string; endDateLt: string } {
  const end = new Date();
  const start = new Date(end.getTime() - days * 86_400_000);
  return {
    startDateGe: start.toISOString().slice(0, 10),
    endDateLt: end.toISOString().slice(0, 10),
  };
}

/** A live product and an update setting every warehouse of its first SKU to `quantity`. */
export async function liveSkuUpdate(
  { client, shop }: Pick<Harness, 'client' | 'shop'>,
  quantity: number,
): Promise<{ productId: string; skus: InventoryUpdateSku[] }> {
  const active = await client.searchProducts(shop, {
    pageSize: 10,
    filter: { status: 'ACTIVATE' },
  });
  const product = active.items.find((candidate) => candidate.skus.length > 0);
  const sku = product?.skus[0];
  if (!product || !sku) throw new Error('No live product with a SKU');
  const inventory = sku.inventory.map((stock) => ({ warehouseId: stock.warehouseId, quantity }));
  return { productId: product.id, skus: [{ skuId: sku.id, inventory }] };
}
