// The response cache for reads (issue 14, src/plugins/use-read-cache.ts), over real HTTP against
// the emulator. To tell an answer served whole from one rebuilt from the shared cache, the shared
// cache holds a single entry (CACHE_MAX_ENTRIES=1): reading B pushes A's product detail out, so
// reading A again costs a Get Product unless the whole answer was kept.
import { afterEach, describe, expect, it } from 'vitest';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { deliveryBody, serveWebhooks } from '../webhooks/helpers.js';

const PRODUCT = `query ($id: ID!) {
  product(id: $id) { id title status skus { id sellerSku price { amount currency } } }
}`;
const STOCK = `query ($id: ID!) {
  product(id: $id) { id skus { id inventory { warehouses { warehouseId availableQuantity } } } }
}`;
const IDS = '{ products(first: 2) { edges { node { id } } } }';
const OTHER_KEY = 'other-key-with-product-read-0123456789';
const SHOP_KEY = 'shop-key-with-every-scope-0123456789';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(env: Record<string, string> = {}, apiKeys?: () => string) {
  const t: TestGateway = await startTestGateway({
    env: { CACHE_MAX_ENTRIES: '1', ...env },
    ...(apiKeys ? { apiKeys: apiKeys() } : {}),
  });
  cleanups.push(() => t.close());
  const listed = await t.executeText<Json>(IDS);
  expect(listed.body.errors).toBeUndefined();
  const [a = '', b = ''] = (listed.body.data?.products.edges ?? []).map(
    (edge: Json) => edge.node.id,
  );
  const read = async (id: string, apiKey?: string) => {
    const reply = await t.executeText<Json>(PRODUCT, { id }, apiKey ? { apiKey } : {});
    expect(reply.body.errors).toBeUndefined();
    return reply.body.data?.product as Json;
  };
  const details = () => t.calls()['product.detail'] ?? 0;
  return { t, a, b, read, details };
}

describe('the response cache', () => {
  it('answers a repeated read of cached data whole, with no upstream call', async () => {
    const { t, a, b, read, details } = await start();
    t.resetCalls();
    const first = await read(a);
    await read(b); // A's detail leaves the one-entry shared cache
    expect(details()).toBe(2);
    expect(await read(a)).toEqual(first);
    expect(t.totalCalls()).toBe(2);
  });

  it('(control) without it the same reads go upstream again', async () => {
    const { t, a, b, read, details } = await start({ RESPONSE_CACHE_ENABLED: 'false' });
    t.resetCalls();
    await read(a);
    await read(b);
    await read(a);
    expect(details()).toBe(3);
  });

  it('is off with CACHE_ENABLED=false (the naive baseline)', async () => {
    const { t, a, read, details } = await start({ CACHE_ENABLED: 'false' });
    t.resetCalls();
    await read(a);
    await read(a);
    expect(details()).toBe(2);
  });

  it('never caches stock (read fresh upstream every time)', async () => {
    const { t, a } = await start();
    t.resetCalls();
    for (let index = 0; index < 2; index += 1) {
      expect((await t.executeText<Json>(STOCK, { id: a })).body.errors).toBeUndefined();
    }
    expect(t.calls()['inventory.search']).toBe(2);
  });

  it('is not shared between callers, whose scopes or shops may differ', async () => {
    const { t, a, b, read, details } = await start({}, () =>
      [
        'test:test-key-with-every-scope-0123456789:*',
        `other:${OTHER_KEY}:product.read`,
        `shop:${SHOP_KEY}:*`,
      ].join(','),
    );
    t.resetCalls();
    await read(a);
    await read(b);
    expect(details()).toBe(2);
    // Another key, other scopes: its own entry, so its own Get Product (A left the shared cache).
    await read(a, OTHER_KEY);
    expect(details()).toBe(3);
    await read(b, SHOP_KEY);
    expect(details()).toBe(4);
    // Each caller's own entries still answer it.
    await read(a, OTHER_KEY);
    await read(b, SHOP_KEY);
    await read(a);
    expect(details()).toBe(4);
  });

  it('drops a product’s answers when its stock is written, so the next read is rebuilt', async () => {
    const { t, a, read, details } = await start();
    const stock = await t.executeText<Json>(STOCK, { id: a });
    const sku = stock.body.data?.product.skus[0];
    const warehouse = sku.inventory.warehouses[0];
    await read(a);
    t.resetCalls();
    await read(a);
    expect(details()).toBe(0);
    const update = await t.executeText<Json>(
      `mutation ($input: UpdateInventoryInput!) {
        updateInventory(input: $input) { updatedCount problemCount }
      }`,
      {
        input: {
          productId: a,
          skus: [
            {
              skuId: sku.id,
              warehouseId: warehouse.warehouseId,
              quantity: warehouse.availableQuantity + 3,
            },
          ],
        },
      },
    );
    expect(update.body.data).toEqual({ updateInventory: { updatedCount: 1, problemCount: 0 } });
    t.resetCalls();
    await read(a);
    expect(details()).toBe(1);
    const fresh = await t.executeText<Json>(STOCK, { id: a });
    expect(fresh.body.data?.product.skus[0].inventory.warehouses[0].availableQuantity).toBe(
      warehouse.availableQuantity + 3,
    );
  });

  it('drops a product’s answers on a product webhook', async () => {
    const { t, a, read, details } = await start();
    const target = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    await read(a);
    t.resetCalls();
    await read(a);
    expect(details()).toBe(0);
    const delivered = await target.deliver(
      deliveryBody({
        type: 15,
        shopId: t.seller.shops[0]?.id ?? '',
        data: { product_id: a, changed_fields: ['title'], update_time: 1_700_000_000 },
      }),
    );
    expect(delivered.status).toBe(200);
    await target.settled();
    await read(a);
    expect(details()).toBe(1);
  });

  it('keeps an answer no longer than RESPONSE_CACHE_TTL_MS', async () => {
    const { t, a, b, read, details } = await start({ RESPONSE_CACHE_TTL_MS: '200' });
    t.resetCalls();
    await read(a);
    await read(b);
    expect(details()).toBe(2);
    // Well past the TTL (a lower bound on the wait, not a speed assertion).
    await new Promise((resolve) => setTimeout(resolve, 600));
    await read(a);
    expect(details()).toBe(3);
  });
});
