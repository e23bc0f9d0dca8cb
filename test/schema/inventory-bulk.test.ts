// A full-size bulk update (500 SKU quantities over 100 products) at a real rate limit: one
// Inventory Search validating the 100 products (inside their write sections), one write per
// product, one read-back per 100 products, paced by the client's limiter (the emulator, limiting at
// the same rate with a little more burst, never answers 429). The elapsed time is logged against
// the floor (100 writes ÷ rate), not asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const RATE = 50;

describe('bulkUpdateInventory at scale', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.5,
      env: { TIKTOK_SHOP_RATE_LIMIT: String(RATE), TIKTOK_SHOP_RATE_BURST: '5' },
      emulator: { rateLimit: { requestsPerSecond: RATE, burst: 20 } },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('500 quantities over 100 products: 1 validating search, 100 writes, 1 read-back, no 429', async () => {
    // The 100 live products with the most SKU × warehouse entries, then 500 of their entries.
    const byProduct = new Map<
      string,
      Array<{ productId: string; skuId: string; warehouseId: string; quantity: number }>
    >();
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
    const top = [...byProduct.values()].sort((a, b) => b.length - a.length).slice(0, 100);
    // One entry of each product first, so all 100 get a write; SKUs cut short get their other
    // warehouses filled in.
    const input = [
      ...top.map((entries) => entries[0]!),
      ...top.flatMap((entries) => entries.slice(1)),
    ].slice(0, 500);
    expect(input).toHaveLength(500);
    expect(new Set(input.map((item) => item.productId)).size).toBe(100);

    t.resetCalls();
    const started = performance.now();
    const { body } = await t.executeText(
      `mutation ($input: BulkUpdateInventoryInput!) {
        bulkUpdateInventory(input: $input) { updatedCount problemCount }
      }`,
      { input: { items: input } },
    );
    const elapsedMs = performance.now() - started;
    expect(body.errors).toBeUndefined();
    const payload = (body.data as Json).bulkUpdateInventory;
    expect(payload.problemCount).toBe(0);
    const calls = t.calls();
    expect(calls).toEqual({ 'inventory.search': 2, 'inventory.update': 100 });
    expect(t.emulator.requests().filter((entry) => entry.status === 429)).toEqual([]);
    const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
    const floorSeconds = 100 / RATE;
    console.log(
      `bulk: 500 entries (${payload.updatedCount} SKUs) over 100 products → ${total} upstream calls ` +
        `${JSON.stringify(calls)} in ${(elapsedMs / 1000).toFixed(2)} s; floor 100 writes ÷ ` +
        `${RATE}/s = ${floorSeconds.toFixed(2)} s (${(elapsedMs / 1000 / floorSeconds).toFixed(2)}×); ` +
        `the calls sent ÷ ${RATE}/s = ${(total / RATE).toFixed(2)} s ` +
        `(less the burst of 5: ${((total - 5) / RATE).toFixed(2)} s)`,
    );
  }, 60_000);
});
