// The receiver against the emulator's own signed deliveries (issue 13), subscribed through its
// Event API (§6.10) to the gateway's loopback receiver: a product edited in the emulator shows in
// the next read although its cache entry was fresh (and, for a shop with no subscription, the
// stale entry is still served), and a deauthorisation raised there refuses the shop.
import { afterEach, describe, expect, it } from 'vitest';
import { subscribe } from '../emulator/helpers/event-api.js';
import { type Json, startTestGateway } from '../helpers/gateway.js';
import { serveWebhooks } from './helpers.js';

const PRODUCT = 'query ($id: ID!, $shopId: ID) { product(id: $id, shopId: $shopId) { id title } }';
const ACTIVE_PRODUCTS = `query ($shopId: ID) {
  products(first: 1, shopId: $shopId, filter: { status: ACTIVATE }) { edges { node { id title } } }
}`;

describe('deliveries from the emulator', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('an edit in the emulator and its webhook: the next read shows it; unsubscribed, the cache still serves the old one', async () => {
    const t = await startTestGateway();
    cleanups.push(() => t.close());
    const target = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    const [subscribed, unsubscribed] = t.seller.shops;
    if (!subscribed || !unsubscribed) throw new Error('The first seller has fewer than two shops.');
    const address = `http://127.0.0.1:${target.port}/webhooks/tiktok`;
    await subscribe(t.emulator, t.accessToken, subscribed, 'PRODUCT_INFORMATION_CHANGE', address);

    const firstOf = async (shopId: string) =>
      ((await t.executeText<Json>(ACTIVE_PRODUCTS, { shopId })).body.data as Json).products.edges[0]
        .node as { id: string; title: string };
    const read = async (id: string, shopId: string) =>
      ((await t.executeText<Json>(PRODUCT, { id, shopId })).body.data as Json).product.title;
    const watched = await firstOf(subscribed.id);
    const unwatched = await firstOf(unsubscribed.id);
    // Both now cached (fresh for CACHE_TTL_MS, a minute).
    expect(await read(watched.id, subscribed.id)).toBe(watched.title);
    expect(await read(unwatched.id, unsubscribed.id)).toBe(unwatched.title);

    const events = [
      ...t.emulator.editProduct(watched.id, { title: 'Edited in Seller Center' }),
      ...t.emulator.editProduct(unwatched.id, { title: 'Edited too, nobody told' }),
    ];
    expect(events.map((event) => event.type)).toEqual([15, 15]);
    expect(await t.emulator.settleWebhooks()).toBe(true);
    await target.settled();

    expect(t.emulator.webhookDeliveries().map((delivery) => delivery.outcome)).toEqual([
      'delivered',
    ]);
    expect(target.events).toEqual([
      expect.objectContaining({ type: 15, shopId: subscribed.id, data: expect.any(Object) }),
    ]);
    expect(await read(watched.id, subscribed.id)).toBe('Edited in Seller Center');
    expect(await read(unwatched.id, unsubscribed.id)).toBe(unwatched.title);
  });

  it('a deauthorisation raised in the emulator refuses the shop with no upstream call', async () => {
    const t = await startTestGateway();
    cleanups.push(() => t.close());
    const target = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    const shop = t.seller.shops[0];
    if (!shop) throw new Error('The first seller has no shop.');
    const address = `http://127.0.0.1:${target.port}/webhooks/tiktok`;
    await subscribe(t.emulator, t.accessToken, shop, 'SELLER_DEAUTHORIZATION', address);

    t.emulator.raiseEvent({ type: 6, shopId: shop.id, data: { message: 'deauthorized' } });
    expect(await t.emulator.settleWebhooks()).toBe(true);
    await target.settled();
    t.resetCalls();
    const reply = await t.executeText<Json>('query ($s: ID) { warehouses(shopId: $s) { id } }', {
      s: shop.id,
    });
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'SELLER_DEAUTHORIZED',
    });
    expect(t.totalCalls()).toBe(0);
  });
});
