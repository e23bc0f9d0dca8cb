// updateInventory and bulkUpdateInventory against the emulator: the validation matrix (with
// counters proving nothing was written for rejected input), the fill-in of unlisted warehouses,
// the fresh read-back, cache invalidation, partial success in bulk, and repeating being harmless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopRef } from '../../src/datasources/tiktok/types.js';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Stock {
  warehouseId: string;
  availableQuantity: number;
}
interface ProductRow {
  id: string;
  status: string;
  skus: Array<{ id: string; inventory: { warehouses: Stock[] } }>;
}

const UPDATE = `mutation ($input: UpdateInventoryInput!) {
  updateInventory(input: $input) {
    productId updatedCount problemCount
    results {
      __typename
      ... on InventoryUpdateProblem { productId skuId message }
      ... on InventorySkuUpdated {
        skuId
        quantities { warehouseId quantity isFilledIn }
        inventory { id warehouses { warehouseId availableQuantity } }
      }
      ... on QuantityRejected { quantity warehouseId }
      ... on WarehouseRequired { warehouseIds }
      ... on UnknownWarehouse { warehouseId }
      ... on ProductNotActive { status }
      ... on InventoryUpdateFailed { code reason }
    }
    inventory { productId skus { id warehouses { warehouseId availableQuantity } } }
  }
}`;

const BULK = `mutation ($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) {
    updatedCount problemCount
    results {
      __typename
      ... on InventoryUpdateProblem { productId skuId }
      ... on InventorySkuUpdated { productId skuId quantities { warehouseId quantity isFilledIn } }
      ... on InventoryUpdateFailed { code }
      ... on ProductNotActive { status }
    }
    inventory { productId }
  }
}`;

type Result = Json;

describe('inventory mutations', () => {
  let t: TestGateway;
  let shop: ShopRef;
  let products: ProductRow[];
  let multi: { product: ProductRow; sku: ProductRow['skus'][number] };
  let single: { product: ProductRow; sku: ProductRow['skus'][number] };
  let inactive: ProductRow;
  let activeOthers: ProductRow[];

  beforeAll(async () => {
    t = await startTestGateway({ scale: 0.1 });
    const { body } = await t.executeText(
      `{ products(first: 100) { edges { node { id status skus { id inventory { warehouses { warehouseId availableQuantity } } } } } } }`,
    );
    if (!body.data) throw new Error(JSON.stringify(body.errors));
    products = (body.data as Result).products.edges.map((edge: Result) => edge.node);
    const active = products.filter((product) => product.status === 'ACTIVATE');
    const withSku = (count: (n: number) => boolean) =>
      active.flatMap((product) =>
        product.skus
          .filter((sku) => count(sku.inventory.warehouses.length))
          .map((sku) => ({ product, sku })),
      )[0]!;
    multi = withSku((n) => n > 1);
    single = withSku((n) => n === 1);
    inactive = products.find((product) => product.status !== 'ACTIVATE')!;
    activeOthers = active.filter((p) => p.id !== multi.product.id && p.id !== single.product.id);
    const seller = (await t.store.getSeller(t.seller.openId))!;
    shop = seller.shops.find((candidate) => candidate.id === t.config.defaultShopId)!;
    expect(multi && single && inactive).toBeTruthy();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Stock as the emulator has it now (read after the counters were checked). */
  async function stockOf(productId: string): Promise<Map<string, Map<string, number>>> {
    const session = await t.tokens.sessionFor(shop);
    const [product] = await t.client.searchInventory(session, { productIds: [productId] });
    return new Map(
      (product?.skus ?? []).map((sku) => [
        sku.id,
        new Map(sku.warehouses.map((w) => [w.warehouseId, w.availableQuantity])),
      ]),
    );
  }

  const update = async (input: Record<string, unknown>) => {
    const reply = await t.executeText(UPDATE, { input });
    return { ...reply, payload: (reply.body.data as Result | null)?.updateInventory as Result };
  };

  describe('is validated before anything is written', () => {
    const cases: Array<[string, () => Record<string, unknown>, string, 'no calls' | 'read only']> =
      [
        [
          'a negative quantity',
          () => ({
            productId: single.product.id,
            skus: [{ skuId: single.sku.id, quantity: -1 }],
          }),
          'QuantityRejected',
          'no calls',
        ],
        [
          'a quantity above 99 999',
          () => ({
            productId: single.product.id,
            skus: [{ skuId: single.sku.id, quantity: 100_000 }],
          }),
          'QuantityRejected',
          'no calls',
        ],
        [
          'the same SKU and warehouse twice',
          () => ({
            productId: multi.product.id,
            skus: [
              {
                skuId: multi.sku.id,
                warehouseId: multi.sku.inventory.warehouses[0]!.warehouseId,
                quantity: 1,
              },
              {
                skuId: multi.sku.id,
                warehouseId: multi.sku.inventory.warehouses[0]!.warehouseId,
                quantity: 2,
              },
            ],
          }),
          'DuplicateInventoryEntry',
          'no calls',
        ],
        [
          'no warehouse for a SKU stocked in several',
          () => ({ productId: multi.product.id, skus: [{ skuId: multi.sku.id, quantity: 5 }] }),
          'WarehouseRequired',
          'read only',
        ],
        [
          'a SKU of another product',
          () => ({ productId: single.product.id, skus: [{ skuId: multi.sku.id, quantity: 5 }] }),
          'UnknownSku',
          'read only',
        ],
        [
          'a warehouse that does not stock the SKU',
          () => ({
            productId: single.product.id,
            skus: [{ skuId: single.sku.id, warehouseId: '7050000000000000001', quantity: 5 }],
          }),
          'UnknownWarehouse',
          'read only',
        ],
        [
          'a product that is not live',
          () => ({
            productId: inactive.id,
            skus: [
              {
                skuId: inactive.skus[0]!.id,
                quantity: 5,
                warehouseId: inactive.skus[0]!.inventory.warehouses[0]?.warehouseId,
              },
            ],
          }),
          'ProductNotActive',
          'read only',
        ],
        [
          'a product the shop does not have',
          () => ({ productId: '1000000000000000001', skus: [{ skuId: '1', quantity: 5 }] }),
          'UnknownProduct',
          'read only',
        ],
      ];

    it.each(cases)('rejects %s', async (_name, input, typename, cost) => {
      const given = input();
      const before = await stockOf(String(given.productId));
      t.resetCalls();
      const { status, payload, body } = await update(given);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(payload.results.map((result: Result) => result.__typename)).toEqual([typename]);
      expect(payload.results[0].message).toEqual(expect.any(String));
      expect(payload).toMatchObject({ updatedCount: 0, problemCount: 1, inventory: null });
      // Syntactic checks need nothing from TikTok; the others one fresh product read. Never a write.
      expect(t.calls()).toEqual(cost === 'no calls' ? {} : { 'product.detail': 1 });
      expect(await stockOf(String(given.productId))).toEqual(before);
    });

    it('rejects a non-integer quantity through the GraphQL Int type, before any call', async () => {
      t.resetCalls();
      const { body } = await update({
        productId: single.product.id,
        skus: [{ skuId: single.sku.id, quantity: 1.5 }],
      });
      expect(body.data).toBeUndefined();
      expect(body.errors![0]!.message).toContain('Int cannot represent non-integer value: 1.5');
      expect(t.totalCalls()).toBe(0);
    });

    it('rejects malformed ids and empty lists as BAD_USER_INPUT, before any call', async () => {
      t.resetCalls();
      for (const input of [
        { productId: 'abc', skus: [{ skuId: '1', quantity: 1 }] },
        { productId: single.product.id, skus: [{ skuId: '1', warehouseId: 'W1', quantity: 1 }] },
        { productId: single.product.id, skus: [] },
      ]) {
        const { body } = await update(input);
        expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      }
      expect(t.totalCalls()).toBe(0);
    });
  });

  it('sets one warehouse of a multi-warehouse SKU and re-sends the others unchanged', async () => {
    const [first, ...others] = multi.sku.inventory.warehouses;
    const before = await stockOf(multi.product.id);
    const target = (before.get(multi.sku.id)!.get(first!.warehouseId)! + 17) % 99_999;
    t.resetCalls();
    const { payload, body } = await update({
      productId: multi.product.id,
      skus: [{ skuId: multi.sku.id, warehouseId: first!.warehouseId, quantity: target }],
    });
    expect(body.errors).toBeUndefined();
    const [result] = payload.results;
    expect(result.__typename).toBe('InventorySkuUpdated');
    expect(result.quantities).toEqual([
      { warehouseId: first!.warehouseId, quantity: target, isFilledIn: false },
      ...others.map((w) => ({
        warehouseId: w.warehouseId,
        quantity: before.get(multi.sku.id)!.get(w.warehouseId),
        isFilledIn: true,
      })),
    ]);
    // One fresh read, one write, one read-back.
    expect(t.calls()).toEqual({
      'product.detail': 1,
      'inventory.update': 1,
      'inventory.search': 1,
    });
    const after = await stockOf(multi.product.id);
    expect(after.get(multi.sku.id)!.get(first!.warehouseId)).toBe(target);
    for (const w of others) {
      expect(after.get(multi.sku.id)!.get(w.warehouseId)).toBe(
        before.get(multi.sku.id)!.get(w.warehouseId),
      );
    }
    // The payload shows the stock read back, per SKU and for the whole product.
    expect(result.inventory.warehouses).toEqual(
      [...after.get(multi.sku.id)!].map(([warehouseId, availableQuantity]) => ({
        warehouseId,
        availableQuantity,
      })),
    );
    expect(payload.inventory.skus.map((sku: Result) => sku.id).sort()).toEqual(
      [...after.keys()].sort(),
    );
  });

  it('writes a product whose Get Product answer has no status (absent is not inactive, §6.2)', async () => {
    const stock = single.sku.inventory.warehouses[0]!;
    t.emulator.setFaults({ productsWithoutStatus: [single.product.id] });
    try {
      t.resetCalls();
      const { payload, body } = await update({
        productId: single.product.id,
        skus: [
          {
            skuId: single.sku.id,
            warehouseId: stock.warehouseId,
            quantity: stock.availableQuantity,
          },
        ],
      });
      expect(body.errors).toBeUndefined();
      expect(payload.results.map((result: Result) => result.__typename)).toEqual([
        'InventorySkuUpdated',
      ]);
      expect(t.calls()['inventory.update']).toBe(1);
    } finally {
      t.emulator.setFaults({});
    }
  });

  it('writes the good SKUs and reports the bad ones of the same product', async () => {
    const good = single.sku;
    const others = single.product.skus.filter((sku) => sku.id !== good.id);
    t.resetCalls();
    const { payload } = await update({
      productId: single.product.id,
      skus: [
        { skuId: good.id, quantity: 4 },
        { skuId: '1730000000000000001', quantity: 3 },
        ...(others[0] ? [{ skuId: others[0].id, quantity: -2 }] : []),
      ],
    });
    expect(payload.results.map((r: Result) => r.__typename)).toEqual([
      'InventorySkuUpdated',
      'UnknownSku',
      ...(others[0] ? ['QuantityRejected'] : []),
    ]);
    expect(t.calls()['inventory.update']).toBe(1);
    expect([...(await stockOf(single.product.id)).get(good.id)!.values()]).toEqual([4]);
  });

  it('forgets the cached product detail after a write', async () => {
    const read = `query ($id: ID!) { product(id: $id) { id description } }`;
    await t.executeText(read, { id: single.product.id });
    t.resetCalls();
    await t.executeText(read, { id: single.product.id });
    expect(t.calls()['product.detail'] ?? 0).toBe(0); // cached
    await update({ productId: single.product.id, skus: [{ skuId: single.sku.id, quantity: 9 }] });
    t.resetCalls();
    await t.executeText(read, { id: single.product.id });
    expect(t.calls()['product.detail']).toBe(1);
  });

  it('bulk: one Inventory Search for the products and one write each, each SKU reported, only good ones changed; repeating is harmless', async () => {
    const [a, b, c] = activeOthers;
    const skuOf = (product: ProductRow, index = 0) => product.skus[index]!;
    const oneWarehouse = (product: ProductRow, index = 0) =>
      skuOf(product, index).inventory.warehouses[0]!.warehouseId;
    const items = [
      { productId: a!.id, skuId: skuOf(a!).id, warehouseId: oneWarehouse(a!), quantity: 11 },
      { productId: b!.id, skuId: skuOf(b!).id, warehouseId: oneWarehouse(b!), quantity: 12 },
      { productId: b!.id, skuId: '1730000000000000009', quantity: 1 }, // not b's
      { productId: c!.id, skuId: skuOf(c!).id, warehouseId: oneWarehouse(c!), quantity: 100_000 },
      {
        productId: inactive.id,
        skuId: skuOf(inactive).id,
        warehouseId: oneWarehouse(inactive),
        quantity: 1,
      },
      { productId: '1000000000000000001', skuId: '1730000000000000002', quantity: 1 },
      {
        productId: multi.product.id,
        skuId: multi.sku.id,
        warehouseId: oneWarehouse(multi.product, multi.product.skus.indexOf(multi.sku)),
        quantity: 13,
      },
    ];
    const before = new Map(
      await Promise.all(
        [a!, b!, c!, inactive, multi.product].map(
          async (p) => [p.id, await stockOf(p.id)] as const,
        ),
      ),
    );
    t.resetCalls();
    const first = await t.executeText(BULK, { input: { items } });
    expect(first.body.errors).toBeUndefined();
    const payload = (first.body.data as Result).bulkUpdateInventory;
    const expected = [
      'InventorySkuUpdated',
      'InventorySkuUpdated',
      'UnknownSku',
      'QuantityRejected',
      'ProductNotActive',
      'UnknownProduct',
      'InventorySkuUpdated',
    ];
    expect(payload.results.map((r: Result) => r.__typename)).toEqual(expected);
    expect(payload).toMatchObject({ updatedCount: 3, problemCount: 4 });
    // c only had a bad quantity: never read. a, b, multi, inactive and unknown: one Inventory
    // Search, which cannot tell a status; TikTok refused inactive's write, and one Get Product
    // then named its status. One read-back for the three written.
    expect(t.calls()).toEqual({
      'inventory.search': 2,
      'inventory.update': 4,
      'product.detail': 1,
    });
    expect(payload.results[4]).toMatchObject({ productId: inactive.id, status: inactive.status });
    expect(payload.inventory.map((p: Result) => p.productId).sort()).toEqual(
      [a!.id, b!.id, multi.product.id].sort(),
    );

    const afterA = await stockOf(a!.id);
    expect(afterA.get(skuOf(a!).id)!.get(oneWarehouse(a!))).toBe(11);
    expect((await stockOf(b!.id)).get(skuOf(b!).id)!.get(oneWarehouse(b!))).toBe(12);
    expect(await stockOf(c!.id)).toEqual(before.get(c!.id));
    expect(await stockOf(inactive.id)).toEqual(before.get(inactive.id));

    const snapshot = await Promise.all([a!, b!, c!, multi.product].map((p) => stockOf(p.id)));
    const again = await t.executeText(BULK, { input: { items } });
    expect(again.body.errors).toBeUndefined();
    expect(
      (again.body.data as Result).bulkUpdateInventory.results.map((r: Result) => r.__typename),
    ).toEqual(expected);
    expect(await Promise.all([a!, b!, c!, multi.product].map((p) => stockOf(p.id)))).toEqual(
      snapshot,
    );
  });

  it('bulk: an upstream failure for one product is reported there; the others are written', async () => {
    const [a, b] = activeOthers.slice(3);
    const failing = `/product/202309/products/${b!.id}/inventory/update`;
    t.emulator.setFaults({ errorRate: 1, pathPrefixes: [failing] });
    try {
      const { body } = await t.executeText(BULK, {
        input: {
          items: [a!, b!].map((p) => ({
            productId: p.id,
            skuId: p.skus[0]!.id,
            warehouseId: p.skus[0]!.inventory.warehouses[0]!.warehouseId,
            quantity: 21,
          })),
        },
      });
      expect(body.errors).toBeUndefined();
      const results = (body.data as Result).bulkUpdateInventory.results;
      expect(results.map((r: Result) => r.__typename)).toEqual([
        'InventorySkuUpdated',
        'InventoryUpdateFailed',
      ]);
      expect(results[1].code).toBe('UPSTREAM_ERROR');
    } finally {
      t.emulator.setFaults({});
    }
  });

  it('bulk: an Inventory Search TikTok refuses over its ids (12019008) falls back to one Get Product each', async () => {
    const targets = activeOthers.slice(5, 7);
    t.emulator.setFaults({
      pathPrefixes: ['/product/202309/inventory/search'],
      codeRate: 1,
      codeAnswer: { status: 400, code: 12019008 },
    });
    let results: Result[];
    try {
      t.resetCalls();
      const { body } = await t.executeText(
        `mutation ($input: BulkUpdateInventoryInput!) {
          bulkUpdateInventory(input: $input) { results { __typename } }
        }`,
        {
          input: {
            items: targets.map((p) => ({
              productId: p.id,
              skuId: p.skus[0]!.id,
              warehouseId: p.skus[0]!.inventory.warehouses[0]!.warehouseId,
              quantity: 31,
            })),
          },
        },
      );
      expect(body.errors).toBeUndefined();
      results = (body.data as Result).bulkUpdateInventory.results;
    } finally {
      t.emulator.setFaults({});
    }
    expect(results.map((r: Result) => r.__typename)).toEqual([
      'InventorySkuUpdated',
      'InventorySkuUpdated',
    ]);
    // The refused search, a Get Product per product instead, the writes, the refused read-back.
    expect(t.calls()).toEqual({
      'inventory.search': 2,
      'product.detail': 2,
      'inventory.update': 2,
    });
    for (const p of targets) {
      const stock = await stockOf(p.id);
      expect(stock.get(p.skus[0]!.id)!.get(p.skus[0]!.inventory.warehouses[0]!.warehouseId)).toBe(
        31,
      );
    }
  });

  it('bulk: more than 500 entries is BAD_USER_INPUT before any call', async () => {
    t.resetCalls();
    const items = Array.from({ length: 501 }, (_, i) => ({
      productId: single.product.id,
      skuId: String(1730000000000000000n + BigInt(i)),
      quantity: 1,
    }));
    const { body } = await t.executeText(BULK, { input: { items } });
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(t.totalCalls()).toBe(0);
  });
});
