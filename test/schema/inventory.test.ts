import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InventoryDocument,
  ProductsDocument,
  ShopsDocument,
  WarehousesDocument,
} from '../generated/graphql.js';
import { dataOf, startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('inventory and warehouses', () => {
  let t: TestGateway;
  let products: Array<{ id: string; skus: Array<{ id: string; sellerSku: string }> }>;
  beforeAll(async () => {
    t = await startTestGateway();
    products = dataOf(await t.execute(ProductsDocument, { first: 12 })).products!.edges.map(
      (edge) => edge.node,
    );
    await t.execute(ShopsDocument);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reads stock per product, SKU and warehouse in one batched call', async () => {
    t.resetCalls();
    const productIds = products.map((product) => product.id);
    const { inventory } = dataOf(await t.execute(InventoryDocument, { productIds }));
    expect(inventory!.map((entry) => entry.productId)).toEqual(productIds);
    for (const entry of inventory!) {
      const listed = products.find((product) => product.id === entry.productId)!;
      expect(entry.skus.map((sku) => sku.id).sort()).toEqual(
        listed.skus.map((sku) => sku.id).sort(),
      );
      for (const sku of entry.skus) {
        expect(sku.warehouses.length).toBeGreaterThan(0);
        const available = sku.warehouses.reduce((sum, w) => sum + w.availableQuantity, 0);
        const committed = sku.warehouses.reduce((sum, w) => sum + w.committedQuantity, 0);
        expect(available).toBe(sku.totalAvailableQuantity);
        expect(committed).toBe(sku.totalCommittedQuantity);
        for (const stock of sku.warehouses)
          expect(stock.warehouse?.name).toEqual(expect.any(String));
      }
    }
    // One inventory search for all products, one (cached) warehouse list for the names.
    expect(t.calls()).toEqual({ 'inventory.search': 1, 'logistics.warehouses': 1 });
  });

  it('reads stock by SKU ids, grouped by product, with only the SKUs asked for', async () => {
    const [first, second] = products;
    const skuIds = [first!.skus[0]!.id, second!.skus[0]!.id];
    t.resetCalls();
    const { inventory } = dataOf(await t.execute(InventoryDocument, { skuIds }));
    expect(inventory!.map((entry) => entry.productId)).toEqual([first!.id, second!.id]);
    expect(inventory!.map((entry) => entry.skus.map((sku) => sku.id))).toEqual([
      [skuIds[0]],
      [skuIds[1]],
    ]);
    expect(t.calls()['inventory.search']).toBe(1);
  });

  it('leaves out products TikTok does not know', async () => {
    const { inventory } = dataOf(
      await t.execute(InventoryDocument, { productIds: [products[0]!.id, '1000000000000000001'] }),
    );
    expect(inventory!.map((entry) => entry.productId)).toEqual([products[0]!.id]);
  });

  it('needs exactly one of productIds and skuIds', async () => {
    t.resetCalls();
    const neither = await t.execute(InventoryDocument, {});
    const both = await t.execute(InventoryDocument, { productIds: ['1'], skuIds: ['2'] });
    for (const reply of [neither, both]) {
      expect(reply.status).toBe(200);
      expect(reply.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    }
    expect(t.totalCalls()).toBe(0);
  });

  it('lists warehouses from one cached call', async () => {
    t.cache.clear();
    await t.execute(ShopsDocument);
    t.resetCalls();
    const first = dataOf(await t.execute(WarehousesDocument, {}));
    const second = dataOf(await t.execute(WarehousesDocument, {}));
    expect(second).toEqual(first);
    expect(first.warehouses!.length).toBeGreaterThan(0);
    expect(first.warehouses!.filter((w) => w.isDefault).length).toBeLessThanOrEqual(1);
    expect(t.calls()).toEqual({ 'logistics.warehouses': 1 });
  });
});
