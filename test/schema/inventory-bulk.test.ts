// Full-size bulk updates at a real rate limit: 500 SKU quantities over 100 products cost one
// Inventory Search validating the 100 products (inside their write sections), one write per
// product and one read-back per 100 products; over 200 products, one validating search per 100.
// Paced by the client's limiter (the emulator, limiting at the same rate with a little more
// burst, never answers 429). The elapsed time is logged against the floor (writes ÷ rate), not
// asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const RATE = 50;

interface Item {
  productId: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
}

const BULK = `mutation ($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) { updatedCount problemCount }
}`;

describe('bulkUpdateInventory at scale', () => {
  let t: TestGateway;
  /** Per live product, one entry per SKU and warehouse (the quantity it holds, plus one). */
  const byProduct = new Map<string, Item[]>();

  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.5,
      env: { TIKTOK_SHOP_RATE_LIMIT: String(RATE), TIKTOK_SHOP_RATE_BURST: '5' },
      emulator: { rateLimit: { requestsPerSecond: RATE, burst: 20 } },
    });
    let after: string | null = null;
    do {
      const { body }: { body: { data?: unknown } } = await t.executeText(
        `query ($after: String) { products(first: 100, after: $after, filter: { status: ACTIVATE }) {
          pageInfo { hasNextPage endCursor }
          edges { node { id skus { id inventory { warehouses { warehouseId availableQuantity } } } } }
        } }`,
        { after },
      );
      const page: Json = (body.data as Json).products;
      for (const { node } of page.edges) {
        byProduct.set(
          node.id,
          node.skus.flatMap((sku: Json) =>
            sku.inventory.warehouses.map((stock: Json) => ({
              productId: node.id,
              skuId: sku.id,
              warehouseId: stock.warehouseId,
              quantity: (stock.availableQuantity + 1) % 1000,
            })),
          ),
        );
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sends the bulk; asserts no problem and no 429; logs time against the floor; gives calls. */
  async function send(input: Item[]): Promise<Record<string, number>> {
    const products = new Set(input.map((item) => item.productId)).size;
    t.resetCalls();
    const started = performance.now();
    const { body } = await t.executeText(BULK, { input: { items: input } });
    const elapsedMs = performance.now() - started;
    expect(body.errors).toBeUndefined();
    const payload = (body.data as Json).bulkUpdateInventory;
    expect(payload.problemCount).toBe(0);
    expect(t.emulator.requests().filter((entry) => entry.status === 429)).toEqual([]);
    const calls = t.calls();
    const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
    const floorSeconds = products / RATE;
    console.log(
      `bulk: ${input.length} entries (${payload.updatedCount} SKUs) over ${products} products → ` +
        `${total} upstream calls ${JSON.stringify(calls)} in ${(elapsedMs / 1000).toFixed(2)} s; ` +
        `floor ${products} writes ÷ ${RATE}/s = ${floorSeconds.toFixed(2)} s ` +
        `(${(elapsedMs / 1000 / floorSeconds).toFixed(2)}×); the calls sent ÷ ${RATE}/s = ` +
        `${(total / RATE).toFixed(2)} s (less the burst of 5: ${((total - 5) / RATE).toFixed(2)} s)`,
    );
    return calls;
  }

  it('500 quantities over 100 products: 1 validating search, 100 writes, 1 read-back, no 429', async () => {
    // The 100 live products with the most SKU × warehouse entries, then 500 of their entries.
    const top = [...byProduct.values()].sort((a, b) => b.length - a.length).slice(0, 100);
    // One entry of each product first, so all 100 get a write; SKUs cut short get their other
    // warehouses filled in.
    const input = [
      ...top.map((entries) => entries[0]!),
      ...top.flatMap((entries) => entries.slice(1)),
    ].slice(0, 500);
    expect(input).toHaveLength(500);
    expect(new Set(input.map((item) => item.productId)).size).toBe(100);
    expect(await send(input)).toEqual({ 'inventory.search': 2, 'inventory.update': 100 });
  }, 60_000);

  it('over 200 products: one validating search and one read-back per 100 products', async () => {
    const input = [...byProduct.values()].map((entries) => entries[0]!);
    const products = input.length;
    expect(products).toBeGreaterThan(200);
    const searches = 2 * Math.ceil(products / 100);
    expect(await send(input)).toEqual({
      'inventory.search': searches,
      'inventory.update': products,
    });
  }, 60_000);
});
