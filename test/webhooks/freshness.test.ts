// What webhooks change (issue 13, item 2), seen by a client over real HTTP and counted in the
// emulator: a product event evicts that product's cached detail (the next read goes upstream
// although the entry was fresh), an order event evicts nothing (orders are not cached), and a
// deauthorisation makes the seller's shops answer UNAUTHENTICATED with no upstream call until it
// authorises again; an upcoming expiration is logged and kept for doctor and /readyz.
import { afterEach, describe, expect, it } from 'vitest';
import { submitAuthorizePage } from '../../src/sandbox.js';
import { type Json, startTestGateway } from '../helpers/gateway.js';
import { createLogRecorder } from '../helpers/scale-out.js';
import { deliveryBody, serveWebhooks } from './helpers.js';

const PRODUCT = 'query ($id: ID!, $shopId: ID) { product(id: $id, shopId: $shopId) { id title } }';
const PRODUCT_IDS =
  'query ($shopId: ID) { products(first: 2, shopId: $shopId) { edges { node { id } } } }';

describe('webhooks keep the gateway fresh', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start() {
    const log = createLogRecorder('info');
    const t = await startTestGateway({ logger: log.logger });
    cleanups.push(() => t.close());
    const target = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    const shopId = t.seller.shops[0]?.id ?? '';
    const listed = await t.executeText<Json>(PRODUCT_IDS, { shopId });
    const productIds: string[] = listed.body.data?.products.edges.map((edge: Json) => edge.node.id);
    const readProduct = async (id: string, onShop = shopId): Promise<Json> =>
      (await t.executeText<Json>(PRODUCT, { id, shopId: onShop })).body;
    /** Delivers one event and waits until it has been processed. */
    const deliver = async (input: Parameters<typeof deliveryBody>[0]) => {
      expect((await target.deliver(deliveryBody(input))).status).toBe(200);
      await target.settled();
    };
    return { t, log, shopId, productIds, readProduct, deliver };
  }

  it('a product event evicts that product only: its next read goes upstream', async () => {
    const { t, shopId, productIds, readProduct, deliver } = await start();
    const [first = '', second = ''] = productIds;
    t.resetCalls();
    for (const id of [first, second, first, second]) await readProduct(id);
    expect(t.calls()['product.detail']).toBe(2);

    await deliver({
      type: 15,
      shopId,
      data: { product_id: first, changed_fields: ['title'], update_time: 1_700_000_000 },
    });
    const again = await readProduct(first);
    await readProduct(second);
    expect(again.data.product.id).toBe(first);
    expect(t.calls()['product.detail']).toBe(3);
  });

  it('status, creation, category, audit and inventory-status events evict; order events do not', async () => {
    const { t, shopId, productIds, readProduct, deliver } = await start();
    const [productId = ''] = productIds;
    await readProduct(productId);
    const detailCalls = () => t.calls()['product.detail'] ?? 0;
    const evictions: Record<number, number> = {};
    for (const type of [5, 16, 18, 37, 27, 1, 3, 11, 12]) {
      const before = detailCalls();
      await deliver({
        type,
        shopId,
        data: {
          product_id: productId,
          sku_id: '1',
          order_id: '576486316948490001',
          return_id: '9',
          update_time: 1_700_000_000 + type,
        },
      });
      await readProduct(productId);
      evictions[type] = detailCalls() - before;
    }
    expect(evictions).toEqual({ 1: 0, 3: 0, 5: 1, 11: 0, 12: 0, 16: 1, 18: 1, 27: 1, 37: 1 });
  });

  it('deauthorisation: the seller’s shops answer UNAUTHENTICATED SELLER_DEAUTHORIZED, no call, until it authorises again', async () => {
    const { t, log, shopId, productIds, readProduct, deliver } = await start();
    const [productId = ''] = productIds;
    const otherShop = t.seller.shops[1]?.id ?? '';
    expect((await readProduct(productId)).errors).toBeUndefined();

    await deliver({ type: 6, shopId, data: { message: 'Seller deauthorized the app' } });
    t.resetCalls();
    for (const onShop of [shopId, otherShop]) {
      const refused = await readProduct(productId, onShop);
      expect(refused.data.product).toBeNull();
      expect(refused.errors[0].extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'SELLER_DEAUTHORIZED',
        shopId: onShop,
      });
      expect(refused.errors[0].message).toContain('npm run oauth');
    }
    expect(t.totalCalls()).toBe(0);
    expect(log.lines.some((line) => line.level === 40 && line.shopId === shopId)).toBe(true);
    expect(await t.app.authorizationWarnings()).toEqual([
      {
        openId: t.seller.openId,
        sellerName: t.seller.name,
        shopIds: t.seller.shops.map((shop) => shop.id),
        deauthorizedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);

    // A new authorisation (the OAuth round trip) clears it.
    const link = await t.executeText<Json>(
      'query ($r: URL) { authorizationUrl(redirectUri: $r) { url } }',
      { r: 'http://127.0.0.1/oauth/callback' },
    );
    const redirect = await submitAuthorizePage(link.body.data?.authorizationUrl.url, {
      openId: t.seller.openId,
    });
    expect((await t.gateway.fetch(redirect.toString())).status).toBe(200);
    expect((await readProduct(productId)).errors).toBeUndefined();
    expect(await t.app.authorizationWarnings()).toEqual([]);
  });

  it('ignores a deauthorisation sent before the seller was last stored', async () => {
    const { t, shopId, productIds, readProduct, deliver } = await start();
    const stored = await t.store.findSellerByShop(shopId);
    await deliver({
      type: 6,
      shopId,
      timestamp: Math.floor((stored?.updatedAt ?? 0) / 1000) - 60,
      data: { message: 'Seller deauthorized the app' },
    });
    expect((await readProduct(productIds[0] ?? '')).errors).toBeUndefined();
    expect(await t.app.authorizationWarnings()).toEqual([]);
  });

  it('an upcoming expiration is logged at warn with its time and kept for doctor and /readyz', async () => {
    const { t, log, shopId, productIds, readProduct, deliver } = await start();
    const expiresAt = Math.floor(Date.now() / 1000) + 10 * 86_400;
    await deliver({
      type: 7,
      shopId,
      data: { message: 'Authorization expires in 10 days', expiration_time: expiresAt },
    });
    const iso = new Date(expiresAt * 1000).toISOString();
    expect(
      log.lines.filter((line) => line.level === 40 && /expires soon/.test(line.msg ?? '')),
    ).toEqual([expect.objectContaining({ shopId, openId: t.seller.openId, expiresAt: iso })]);
    expect(await t.app.authorizationWarnings()).toEqual([
      expect.objectContaining({ openId: t.seller.openId, expiresAt: iso }),
    ]);
    // Only a warning: the shop still answers.
    expect((await readProduct(productIds[0] ?? '')).errors).toBeUndefined();
  });
});
