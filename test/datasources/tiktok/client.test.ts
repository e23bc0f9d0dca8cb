// The client against the real emulator over loopback HTTP: shapes, auth outcomes, token refresh,
// batching and in-flight sharing, all proven from the emulator's request log.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TikTokShopAuthError,
  TikTokShopNotFoundError,
  TikTokShopPermissionError,
  TikTokShopValidationError,
} from '../../../src/datasources/tiktok/errors.js';
import { createStaticCredentials } from '../../../src/datasources/tiktok/static-credentials.js';
import type { SellerCredentials } from '../../../src/datasources/tiktok/types.js';
import { SCOPES } from '../../../src/emulator/scopes.js';
import {
  createShiftableClock,
  exposedText,
  failureOf,
  type Harness,
  liveSkuUpdate,
  recentRange,
  startHarness,
} from './helpers/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const ID = /^\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

describe('every method returns domain shapes', () => {
  it('authorized shops, products, inventory, warehouses', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;

    const shops = await client.getAuthorizedShops(harness.seller);
    expect(shops.map((s) => s.id)).toContain(shop.id);
    expect(shops.find((s) => s.id === shop.id)).toMatchObject({
      cipher: shop.cipher,
      name: expect.any(String),
    });
    // §3: seller-level, so no shop in the log entry.
    expect(emulator.requests().at(-1)).toMatchObject({
      path: '/authorization/202309/shops',
      shopId: null,
      code: 0,
    });

    const page = await client.searchProducts(shop, { pageSize: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.totalCount).toBeGreaterThanOrEqual(5);
    expect(page.nextPageToken).toEqual(expect.any(String));
    const first = page.items[0]!;
    expect(first.id).toMatch(ID);
    expect(first.skus[0]?.id).toMatch(ID);
    expect(first.skus[0]?.price.amount).toMatch(DECIMAL);

    const next = await client.searchProducts(shop, { pageSize: 5, pageToken: page.nextPageToken! });
    expect(next.items.map((p) => p.id)).not.toContain(first.id);

    const product = await client.getProduct(shop, first.id);
    expect(product).toMatchObject({ id: first.id, title: first.title });
    expect(typeof product.description).toBe('string');
    expect(Array.isArray(product.images)).toBe(true);
    expect(product.categoryPath.length).toBeGreaterThan(0);
    expect(product.categoryPath.every((node) => node.name !== '' && node.id !== '')).toBe(true);
    expect(product.skus.map((s) => s.id)).toEqual(first.skus.map((s) => s.id));

    const inventory = await client.searchInventory(shop, { productIds: [first.id] });
    expect(inventory).toHaveLength(1);
    expect(inventory[0]?.productId).toBe(first.id);
    const sku = inventory[0]!.skus[0]!;
    expect(sku.id).toMatch(ID);
    expect(sku.totalAvailableQuantity).toEqual(expect.any(Number));

    const bySku = await client.searchInventory(shop, { skuIds: [sku.id] });
    expect(bySku.flatMap((p) => p.skus.map((s) => s.id))).toContain(sku.id);

    const warehouses = await client.getWarehouses(shop);
    expect(warehouses.length).toBeGreaterThan(0);
    expect(warehouses[0]).toMatchObject({
      id: expect.stringMatching(ID),
      isDefault: expect.any(Boolean),
    });
  });

  it('inventory update sets absolute quantities and reads back', async () => {
    harness = await startHarness();
    const { client, shop } = harness;
    const active = await client.searchProducts(shop, {
      pageSize: 20,
      filter: { status: 'ACTIVATE' },
    });
    const product = active.items.find((p) => p.skus.length > 0)!;
    const [inventory] = await client.searchInventory(shop, { productIds: [product.id] });
    const sku = inventory!.skus[0]!;
    const target = sku.warehouses.map((stock, index) => ({
      warehouseId: stock.warehouseId,
      quantity: 40 + index,
    }));
    const result = await client.updateInventory(shop, product.id, [
      { skuId: sku.id, inventory: target },
    ]);
    expect(result.errors).toEqual([]);
    const [after] = await client.searchInventory(shop, { skuIds: [sku.id] });
    const stock = after!.skus.find((s) => s.id === sku.id)!.warehouses;
    expect(stock.map((s) => s.availableQuantity)).toEqual(target.map((t) => t.quantity));
  });

  it('orders: search, detail in request order, chunks of 50', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;
    const page1 = await client.searchOrders(shop, { pageSize: 100, sortOrder: 'DESC' });
    const page2 = await client.searchOrders(shop, {
      pageSize: 100,
      pageToken: page1.nextPageToken!,
    });
    const ids = [...page1.items, ...page2.items].map((o) => o.id).slice(0, 120);
    expect(ids).toHaveLength(120);
    const order = page1.items[0]!;
    expect(order).toMatchObject({
      id: expect.stringMatching(ID),
      payment: { total: { amount: expect.stringMatching(DECIMAL) } },
    });
    expect(order.lineItems.length).toBeGreaterThan(0);

    emulator.resetRequests();
    const reversed = [...ids].reverse();
    const orders = await client.getOrders(shop, reversed);
    expect(orders.map((o) => o.id)).toEqual(reversed);
    const detailCalls = emulator.requests().filter((r) => r.path === '/order/202309/orders');
    expect(detailCalls).toHaveLength(3); // 50 + 50 + 20 (§6.7)
    expect(detailCalls.every((r) => r.code === 0)).toBe(true);
  });

  it('analytics and content', async () => {
    harness = await startHarness();
    const { client, shop } = harness;
    const range = recentRange(7);

    const performance = await client.getShopPerformance(shop, {
      range,
      granularity: '1D',
      withComparison: true,
      currency: 'USD',
    });
    expect(performance.intervals).toHaveLength(7);
    expect(performance.comparisonIntervals).toHaveLength(7);
    expect(performance.intervals[0]?.gmv).toEqual({
      amount: expect.stringMatching(DECIMAL),
      currency: 'USD',
    });
    expect(performance.latestAvailableDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const products = await client.listProductPerformance(shop, { range, pageSize: 5 });
    expect(products.items.length).toBeGreaterThan(0);
    expect(products.items[0]?.productId).toMatch(ID);
    const productPerformance = await client.getProductPerformance(
      shop,
      products.items[0]!.productId,
      { range },
    );
    expect(productPerformance.intervals.length).toBeGreaterThan(0);

    const skus = await client.listSkuPerformance(shop, { range, pageSize: 5 });
    expect(skus.items[0]).toMatchObject({
      skuId: expect.stringMatching(ID),
      productId: expect.stringMatching(ID),
    });

    const videos = await client.listVideoPerformance(shop, { range: recentRange(28), pageSize: 5 });
    expect(videos.items.length).toBeGreaterThan(0);
    const video = videos.items[0]!;
    expect(video.id).toMatch(ID);
    const videoPerformance = await client.getVideoPerformance(shop, video.id, {
      range: recentRange(28),
    });
    expect(videoPerformance.engagement.views).toEqual(expect.any(Number));
    const videoProducts = await client.listVideoProducts(shop, video.id, {
      range: recentRange(28),
      pageSize: 5,
    });
    expect(Array.isArray(videoProducts.items)).toBe(true);

    const lives = await client.listLiveSessions(shop, { range: recentRange(28), pageSize: 5 });
    expect(Array.isArray(lives.items)).toBe(true);
    for (const live of lives.items) {
      expect(live.startedAt.getTime()).toBeGreaterThan(1_000_000_000_000);
      expect(live.endedAt.getTime()).toBeGreaterThan(live.startedAt.getTime());
      if (live.sales.skuOrders > 0) expect(live.sales.unitsSold).toBeGreaterThan(0);
    }
  });

  it('webhook subscriptions (§6.10): put, list and delete, per shop', async () => {
    harness = await startHarness();
    const { client, shop, secondShop, emulator } = harness;
    const address = 'https://hooks.example.com/webhooks/tiktok';
    await client.putWebhook(shop, { eventType: 'ORDER_STATUS_CHANGE', address });
    await client.putWebhook(shop, { eventType: 'PRODUCT_CREATION', address });
    const listed = await client.listWebhooks(shop);
    expect(listed.map((webhook) => [webhook.eventType, webhook.address]).sort()).toEqual([
      ['ORDER_STATUS_CHANGE', address],
      ['PRODUCT_CREATION', address],
    ]);
    expect(listed[0]!.createdAt.getTime()).toBeGreaterThan(1_000_000_000_000);
    expect(await client.listWebhooks(secondShop)).toEqual([]);
    await client.deleteWebhook(shop, 'PRODUCT_CREATION');
    expect((await client.unshared.listWebhooks(shop)).map((webhook) => webhook.eventType)).toEqual([
      'ORDER_STATUS_CHANGE',
    ]);
    // The writes carry their JSON body, signed (the emulator checks the signature itself).
    const put = emulator.requests().find((entry) => entry.method === 'PUT');
    expect(put?.received?.body).toBe(`{"address":"${address}","event_type":"ORDER_STATUS_CHANGE"}`);
  });

  it('webhook writes are repeated after a lost answer: both set an absolute state', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;
    // Each write's first attempt answers 500 (TikTok may or may not have applied it).
    const failOnce = () =>
      emulator.setFaults({ script: [{ kind: 'error', count: 1 }], pathPrefixes: ['/event/'] });
    failOnce();
    const address = 'https://hooks.example.com/x';
    await client.putWebhook(shop, { eventType: 'PACKAGE_UPDATE', address });
    failOnce();
    await client.deleteWebhook(shop, 'PACKAGE_UPDATE');
    expect(emulator.counters()).toMatchObject({
      'event.webhooks.update': 2,
      'event.webhooks.delete': 2,
    });
    expect(await client.listWebhooks(shop)).toEqual([]);
  });

  it('call(): any endpoint, data as received', async () => {
    harness = await startHarness();
    const { client, shop } = harness;
    const data = await client.call<{ warehouses: unknown[] }>(shop, {
      method: 'GET',
      path: '/logistics/202309/warehouses',
    });
    expect(Array.isArray(data.warehouses)).toBe(true);
  });

  it('token get and refresh on the auth host', async () => {
    harness = await startHarness();
    const { authHost, emulator, issued } = harness;
    const refreshed = await authHost.refreshAccessToken(issued.refreshToken);
    expect(refreshed.accessToken).toEqual(expect.any(String));
    expect(refreshed.openId).toBe(emulator.sellers[0]!.openId);
    expect(refreshed.accessTokenExpiresAt).toBeGreaterThan(Date.now() / 1000);

    const code = await authorizeInBrowser(
      emulator.url,
      emulator.appKey,
      emulator.sellers[0]!.openId,
    );
    const granted = await authHost.getAccessToken(code);
    expect(granted.grantedScopes.length).toBeGreaterThan(0);
    // §2.2: the code is single-use.
    const reused = await failureOf(authHost.getAccessToken(code));
    expect(reused).toBeInstanceOf(TikTokShopAuthError);
    expect(reused).toMatchObject({ code: 36004004, canRefresh: false });
    expect(exposedText(reused)).not.toContain(code);
    expect(exposedText(reused)).not.toContain(emulator.appSecret);
  });
});

describe('credentials and permissions', () => {
  it('a wrong app secret is a bad signature (106001)', async () => {
    harness = await startHarness();
    const client = harness.makeClient({ appSecret: 'not-the-secret-0000' });
    const error = await failureOf(client.getWarehouses(harness.shop));
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(error).toMatchObject({
      code: 106001,
      reason: 'invalid_signature',
      canRefresh: false,
      retryable: false,
    });
    expect(harness.emulator.requests()).toHaveLength(1);
  });

  it('a wrong app key and an unknown token are auth errors', async () => {
    harness = await startHarness();
    const badKey = await failureOf(
      harness.makeClient({ appKey: 'nope' }).getWarehouses(harness.shop),
    );
    expect(badKey).toMatchObject({
      name: 'TikTokShopAuthError',
      code: 36009004,
      reason: 'invalid_app_key',
    });
    const badToken = await failureOf(
      harness.client.getWarehouses(harness.withSeller(harness.shop, 'TTP_not_a_real_token')),
    );
    expect(badToken).toMatchObject({
      name: 'TikTokShopAuthError',
      reason: 'invalid_token',
      canRefresh: false,
    });
    expect(exposedText(badToken)).not.toContain('TTP_not_a_real_token');
  });

  it('a wrong app secret on the auth host never shows the secret', async () => {
    harness = await startHarness();
    const authHost = harness.makeAuthHost({ appSecret: 'wrong-secret-123456' });
    const error = await failureOf(authHost.refreshAccessToken(harness.issued.refreshToken));
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(exposedText(error)).not.toContain('wrong-secret-123456');
    expect(exposedText(error)).not.toContain(harness.issued.refreshToken);
  });

  it('a scope the token lacks is a permission error (105005)', async () => {
    harness = await startHarness({
      scopes: [SCOPES.authorization, SCOPES.shopInfo, SCOPES.orderRead],
    });
    const error = await failureOf(harness.client.searchProducts(harness.shop, { pageSize: 5 }));
    expect(error).toBeInstanceOf(TikTokShopPermissionError);
    expect(error).toMatchObject({ code: 105005, reason: 'scope_not_granted' });
  });

  it("another seller's shop is a permission error (101000)", async () => {
    harness = await startHarness();
    const error = await failureOf(harness.client.getWarehouses(harness.foreignShop));
    expect(error).toBeInstanceOf(TikTokShopPermissionError);
    expect(error).toMatchObject({ code: 101000, reason: 'shop_not_authorized' });
  });

  it('unknown product and order ids are not-found errors', async () => {
    harness = await startHarness();
    const product = await failureOf(harness.client.getProduct(harness.shop, '1729592969712207008'));
    expect(product).toBeInstanceOf(TikTokShopNotFoundError);
    const orders = await failureOf(harness.client.getOrders(harness.shop, ['576461413038785752']));
    expect(orders).toBeInstanceOf(TikTokShopNotFoundError);
    expect(orders.code).toBe(21008111);
  });

  it('a bad analytics range is a validation error', async () => {
    harness = await startHarness();
    const error = await failureOf(
      harness.client.getShopPerformance(harness.shop, {
        range: { startDateGe: '2024-02-10', endDateLt: '2024-02-01' },
      }),
    );
    expect(error).toBeInstanceOf(TikTokShopValidationError);
  });

  it('no configured token fails before anything is sent', async () => {
    harness = await startHarness();
    const failing = harness.withSeller(harness.shop, {
      accessToken: () => Promise.reject(new Error('x')),
      renewAccessToken: async () => undefined,
    });
    await expect(harness.client.getWarehouses(failing)).rejects.toThrow('x');
    const missing = harness.withSeller(harness.shop, createStaticCredentials(undefined));
    const error = await failureOf(harness.client.getWarehouses(missing));
    expect(error).toMatchObject({ name: 'TikTokShopAuthError', reason: 'missing_credentials' });
    expect(harness.emulator.requests()).toHaveLength(0);
  });
});

describe('expired access tokens (105002)', () => {
  async function startExpired() {
    const clock = createShiftableClock();
    harness = await startHarness({ emulator: { now: clock.now } });
    const expiring = harness.emulator.issueTokens({
      openId: harness.emulator.sellers[0]!.openId,
      accessTokenTtlSeconds: 60,
    });
    // Two minutes later: the token is dead, our timestamps are still inside the 5-minute window.
    clock.advanceSeconds(120);
    return { harness, clock, expiring };
  }

  it('surfaces as an auth error a refresh can fix', async () => {
    const { harness, clock, expiring } = await startExpired();
    const client = harness.makeClient({ now: clock.now });
    const error = await failureOf(
      client.getWarehouses(harness.withSeller(harness.shop, expiring.accessToken)),
    );
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(error).toMatchObject({
      code: 105002,
      reason: 'expired_token',
      canRefresh: true,
      status: 401,
    });
    expect(exposedText(error)).not.toContain(expiring.accessToken);
  });

  it("asks the shop's seller once for a fresh token and retries once", async () => {
    const { harness, clock, expiring } = await startExpired();
    const rejected: string[] = [];
    let current = expiring.accessToken;
    const seller: SellerCredentials = {
      accessToken: async () => current,
      renewAccessToken: async (refused) => {
        rejected.push(refused);
        current = harness.emulator.issueTokens({
          openId: harness.emulator.sellers[0]!.openId,
        }).accessToken;
        return current;
      },
    };
    const client = harness.makeClient({ now: clock.now });
    const warehouses = await client.getWarehouses(harness.withSeller(harness.shop, seller));
    expect(warehouses.length).toBeGreaterThan(0);
    expect(rejected).toEqual([expiring.accessToken]);
    expect(harness.emulator.requests().map((r) => r.code)).toEqual([105002, 0]);
  });

  it('gives up when the seller has no fresh token', async () => {
    const { harness, clock, expiring } = await startExpired();
    const client = harness.makeClient({ now: clock.now });
    const seller: SellerCredentials = {
      accessToken: async () => expiring.accessToken,
      renewAccessToken: async () => undefined,
    };
    const error = await failureOf(client.getWarehouses(harness.withSeller(harness.shop, seller)));
    expect(error).toMatchObject({ reason: 'expired_token' });
    expect(harness.emulator.requests()).toHaveLength(1);
  });
});

describe('batching and in-flight sharing', () => {
  it('identical concurrent reads share one upstream request, POST bodies included', async () => {
    harness = await startHarness({ emulator: { faults: { latencyMs: 50 } } });
    const { client, shop, emulator } = harness;
    const page = await client.searchProducts(shop, { pageSize: 3 });
    const productId = page.items[0]!.id;
    emulator.resetRequests();

    const details = await Promise.all(
      Array.from({ length: 10 }, () => client.getProduct(shop, productId)),
    );
    const searches = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.searchProducts(shop, { pageSize: 3, filter: { status: 'ACTIVATE' } }),
      ),
    );
    expect(new Set(details.map((d) => d.id))).toEqual(new Set([productId]));
    expect(details[0]).not.toBe(details[1]); // each caller gets its own object
    expect(searches).toHaveLength(10);
    const counters = emulator.counters();
    const endpoints = new Map(emulator.requests().map((r) => [r.path, r.endpoint]));
    expect(counters[endpoints.get(`/product/202309/products/${productId}`)!]).toBe(1);
    expect(counters[endpoints.get('/product/202309/products/search')!]).toBe(1);
  });

  it('different bodies, or calls that are not concurrent, are not shared', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;
    emulator.resetRequests();
    await Promise.all([
      client.searchProducts(shop, { pageSize: 3, filter: { status: 'ACTIVATE' } }),
      client.searchProducts(shop, { pageSize: 3, filter: { status: 'DRAFT' } }),
    ]);
    await client.searchProducts(shop, { pageSize: 3, filter: { status: 'ACTIVATE' } });
    expect(
      emulator.requests().filter((r) => r.path === '/product/202309/products/search'),
    ).toHaveLength(3);
  });

  it('unshared reads and stock updates never join a call in flight', async () => {
    harness = await startHarness({ emulator: { faults: { latencyMs: 50 } } });
    const { client, shop, emulator } = harness;
    const { productId, skus } = await liveSkuUpdate(harness, 3);
    emulator.resetRequests();
    await Promise.all([
      client.getProduct(shop, productId),
      client.unshared.getProduct(shop, productId),
      client.unshared.getProduct(shop, productId),
      client.searchInventory(shop, { productIds: [productId] }),
      client.unshared.searchInventory(shop, { productIds: [productId] }),
      client.updateInventory(shop, productId, skus),
      client.updateInventory(shop, productId, skus),
    ]);
    expect(emulator.counters()).toMatchObject({
      'product.detail': 3,
      'inventory.search': 2,
      'inventory.update': 2,
    });
  });

  it('non-idempotent raw calls are never shared', async () => {
    harness = await startHarness({ emulator: { faults: { latencyMs: 50 } } });
    const { client, shop, emulator } = harness;
    emulator.resetRequests();
    const body = { status: 'ACTIVATE' };
    await Promise.all([
      client.call(shop, {
        method: 'POST',
        path: '/product/202309/products/search',
        query: { page_size: 1 },
        body,
        idempotent: false,
      }),
      client.call(shop, {
        method: 'POST',
        path: '/product/202309/products/search',
        query: { page_size: 1 },
        body,
        idempotent: false,
      }),
    ]);
    expect(emulator.requests()).toHaveLength(2);
  });
});

/** The browser step of §2.1, done with a plain form POST to the emulator's authorize page. */
async function authorizeInBrowser(base: string, appKey: string, openId: string): Promise<string> {
  const form = new URLSearchParams({
    app_key: appKey,
    redirect_uri: 'http://127.0.0.1:9/callback',
    decision: 'authorize',
    open_id: openId,
  });
  const response = await request(`${base}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  await response.body.text();
  const location = String(response.headers.location ?? '');
  const code = new URL(location).searchParams.get('code');
  if (!code || code === 'null')
    throw new Error(`authorize did not redirect with a code (${response.statusCode})`);
  return code;
}
