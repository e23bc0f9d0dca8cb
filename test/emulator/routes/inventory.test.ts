import { describe, expect, it } from 'vitest';
import type { ProductRecord } from '../../../src/emulator/data.js';
import { createHarness, NOW_MS, type RouteHarness } from './call-route.js';

interface InventoryAnswer {
  inventory: Array<{
    product_id: string;
    skus: Array<{
      id: string;
      seller_sku: string;
      total_available_quantity: number;
      total_committed_quantity: number;
      warehouse_inventory: Array<{
        warehouse_id: string;
        available_quantity: number;
        committed_quantity: number;
      }>;
    }>;
  }>;
}

interface UpdateAnswer {
  errors?: Array<{
    code: number;
    message: string;
    detail: {
      sku_id: string;
      extra_errors: Array<{ warehouse_id: string; code: number; message: string }>;
    };
  }>;
}

function findProduct(h: RouteHarness, test: (product: ProductRecord) => boolean): ProductRecord {
  const product = h.store.shopData(h.shop.id).products.find(test);
  if (!product) throw new Error('No fixture product matches');
  return product;
}

const isActive = (product: ProductRecord) => product.status === 'ACTIVATE';
const multiWarehouseSku = (product: ProductRecord) =>
  isActive(product) && product.skus.length >= 2 && product.skus[0]!.stock.length >= 2;
const twoWarehouseSku = (product: ProductRecord) =>
  isActive(product) && product.skus.length >= 2 && product.skus[0]!.stock.length === 2;
const singleWarehouseSku = (product: ProductRecord) =>
  isActive(product) && product.skus.some((sku) => sku.stock.length === 1);

function stockOf(h: RouteHarness, skuId: string) {
  const answer = h.data<InventoryAnswer>('inventory.search', { body: { sku_ids: [skuId] } });
  return answer.inventory[0]!.skus[0]!.warehouse_inventory;
}

describe('inventory.search', () => {
  const h = createHarness();
  const products = h.store.shopData(h.shop.id).products;

  it('answers every SKU of the asked products with totals and per-warehouse stock', () => {
    const [a, b] = [products[3]!, products[4]!];
    const answer = h.data<InventoryAnswer>('inventory.search', {
      body: { product_ids: [a.id, b.id, a.id] },
    });
    expect(answer.inventory.map((entry) => entry.product_id)).toEqual([a.id, b.id]);
    const sku = a.skus[0]!;
    const wire = answer.inventory[0]!.skus[0]!;
    expect(wire).toEqual({
      id: sku.id,
      seller_sku: sku.sellerSku,
      total_available_quantity: sku.stock.reduce((sum, stock) => sum + stock.available, 0),
      total_committed_quantity: sku.stock.reduce((sum, stock) => sum + stock.committed, 0),
      warehouse_inventory: sku.stock.map((stock) => ({
        warehouse_id: stock.warehouseId,
        available_quantity: stock.available,
        committed_quantity: stock.committed,
      })),
    });
    expect(answer.inventory[1]!.skus).toHaveLength(b.skus.length);
  });

  it('groups asked SKUs by product, and sku_ids wins over product_ids', () => {
    const product = products.find((p) => p.skus.length >= 3)!;
    const answer = h.data<InventoryAnswer>('inventory.search', {
      body: { sku_ids: [product.skus[2]!.id, product.skus[0]!.id], product_ids: [products[0]!.id] },
    });
    expect(answer.inventory).toHaveLength(1);
    expect(answer.inventory[0]!.product_id).toBe(product.id);
    expect(answer.inventory[0]!.skus.map((sku) => sku.id)).toEqual([
      product.skus[2]!.id,
      product.skus[0]!.id,
    ]);
  });

  it('leaves well-formed unknown and foreign ids out of the answer', () => {
    const foreign = h.store.shopData(h.store.shops[1]!.id).products[0]!;
    const answer = h.data<InventoryAnswer>('inventory.search', {
      body: { product_ids: ['1729999999999999999', foreign.id, products[0]!.id] },
    });
    expect(answer.inventory.map((entry) => entry.product_id)).toEqual([products[0]!.id]);
    expect(
      h.data<InventoryAnswer>('inventory.search', { body: { sku_ids: ['1739999999999999999'] } }),
    ).toEqual({ inventory: [] });
  });

  it('enforces the id limits: 100 product ids (12019120), 600 SKU ids (12019015)', () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => String(10 ** 18 + i));
    expect(
      h.data<InventoryAnswer>('inventory.search', { body: { product_ids: ids(100) } }),
    ).toEqual({ inventory: [] });
    expect(h.error('inventory.search', { body: { product_ids: ids(101) } })).toMatchObject({
      code: 12019120,
      httpStatus: 400,
    });
    expect(h.data<InventoryAnswer>('inventory.search', { body: { sku_ids: ids(600) } })).toEqual({
      inventory: [],
    });
    expect(h.error('inventory.search', { body: { sku_ids: ids(601) } }).code).toBe(12019015);
  });

  it('answers 12019008 for a non-numeric id and 36009004 when no ids are sent', () => {
    expect(h.error('inventory.search', { body: { product_ids: ['abc'] } }).code).toBe(12019008);
    expect(h.error('inventory.search', { body: { sku_ids: ['12x'] } }).code).toBe(12019008);
    for (const body of [undefined, {}, { product_ids: [] }, { sku_ids: 'x' }]) {
      expect(h.error('inventory.search', { body })).toMatchObject({
        code: 36009004,
        httpStatus: 400,
      });
    }
  });
});

describe('inventory.update', () => {
  it('sets available quantities, visible to inventory search, product detail and search', () => {
    const h = createHarness();
    const product = findProduct(h, twoWarehouseSku);
    const sku = product.skus[0]!;
    const [w1, w2] = sku.stock.map((stock) => stock.warehouseId);
    const answer = h.data<UpdateAnswer>('inventory.update', {
      params: { product_id: product.id },
      body: {
        skus: [
          {
            id: sku.id,
            inventory: [
              { warehouse_id: w1, quantity: 12 },
              { warehouse_id: w2, quantity: 0 },
            ],
          },
        ],
      },
      nowMs: NOW_MS + 5000,
    });
    expect(answer).toEqual({});
    const stock = stockOf(h, sku.id);
    expect(stock.find((entry) => entry.warehouse_id === w1)!.available_quantity).toBe(12);
    expect(stock.find((entry) => entry.warehouse_id === w2)!.available_quantity).toBe(0);

    const detail = h.data<{ update_time: number; skus: Array<{ id: string; inventory: unknown }> }>(
      'product.detail',
      { params: { product_id: product.id } },
    );
    expect(detail.update_time).toBe(Math.floor((NOW_MS + 5000) / 1000));
    expect(detail.skus[0]!.inventory).toContainEqual({ warehouse_id: w1, quantity: 12 });
    const search = h.data<{ products: Array<{ id: string; skus: Array<{ inventory: unknown }> }> }>(
      'product.search.202312',
      { query: { page_size: '10' }, body: { sku_ids: [sku.id], status: 'ACTIVATE' } },
    );
    expect(search.products[0]!.skus[0]!.inventory).toContainEqual({
      warehouse_id: w1,
      quantity: 12,
    });
  });

  it('lets the warehouse be omitted when the SKU has a single one', () => {
    const h = createHarness();
    const product = findProduct(h, singleWarehouseSku);
    const sku = product.skus.find((candidate) => candidate.stock.length === 1)!;
    expect(
      h.data('inventory.update', {
        params: { product_id: product.id },
        body: { skus: [{ id: sku.id, inventory: [{ quantity: 99_999 }] }] },
      }),
    ).toEqual({});
    expect(stockOf(h, sku.id)[0]!.available_quantity).toBe(99_999);
  });

  it('reports per-SKU problems as code 0 with data.errors and applies the good SKUs', () => {
    const h = createHarness();
    const product = findProduct(h, multiWarehouseSku);
    const [good, bad] = product.skus;
    const goodWarehouse = good!.stock[0]!.warehouseId;
    const before = stockOf(h, bad!.id);
    const answer = h.data<UpdateAnswer>('inventory.update', {
      params: { product_id: product.id },
      body: {
        skus: [
          {
            id: good!.id,
            inventory: good!.stock.map((stock) => ({
              warehouse_id: stock.warehouseId,
              quantity: 321,
            })),
          },
          {
            id: bad!.id,
            inventory: [
              { warehouse_id: bad!.stock[0]!.warehouseId, quantity: 5 },
              { warehouse_id: '7059999999999999999', quantity: 5 },
            ],
          },
        ],
      },
    });
    expect(answer.errors).toEqual([
      {
        code: 12052097,
        message: expect.any(String),
        detail: {
          sku_id: bad!.id,
          extra_errors: [
            { warehouse_id: '7059999999999999999', code: 12052097, message: expect.any(String) },
          ],
        },
      },
    ]);
    const goodStock = stockOf(h, good!.id).find((entry) => entry.warehouse_id === goodWarehouse);
    expect(goodStock!.available_quantity).toBe(321);
    // A SKU with any problem is not touched at all.
    expect(stockOf(h, bad!.id)).toEqual(before);
  });

  it('rejects an update that leaves out one of the warehouses of a multi-warehouse SKU (12019028)', () => {
    const h = createHarness();
    const product = findProduct(h, multiWarehouseSku);
    const sku = product.skus[0]!;
    const before = stockOf(h, sku.id);
    const answer = h.data<UpdateAnswer>('inventory.update', {
      params: { product_id: product.id },
      body: {
        skus: [
          { id: sku.id, inventory: [{ warehouse_id: sku.stock[0]!.warehouseId, quantity: 7 }] },
        ],
      },
    });
    expect(answer.errors).toEqual([
      {
        code: 12019028,
        message: expect.stringContaining(sku.stock[1]!.warehouseId),
        detail: { sku_id: sku.id, extra_errors: [] },
      },
    ]);
    expect(stockOf(h, sku.id)).toEqual(before);
  });

  it.each([
    ['a SKU of another product', 'foreign-sku', 12052556],
    ['a negative quantity', -1, 12019024],
    ['a quantity above 99 999', 100_000, 12052055],
    ['a fractional quantity', 1.5, 12052055],
    ['a quantity that is not a number', '10', 12052055],
    ['no warehouse for a SKU stocked in several', 'no-warehouse', 12019028],
    ['a warehouse that does not stock the SKU', 'other-warehouse', 12052097],
  ] as const)('reports %s as %i', (_label, variant, code) => {
    const h = createHarness();
    const data = h.store.shopData(h.shop.id);
    const product = findProduct(h, multiWarehouseSku);
    const sku = product.skus[0]!;
    let entry: Record<string, unknown>;
    if (variant === 'foreign-sku') {
      const other = data.products.find((p) => p.id !== product.id)!;
      entry = { id: other.skus[0]!.id, inventory: [{ quantity: 1 }] };
    } else if (variant === 'no-warehouse') {
      entry = { id: sku.id, inventory: [{ quantity: 1 }] };
    } else if (variant === 'other-warehouse') {
      const unstocked = data.warehouses.find(
        (warehouse) => !sku.stock.some((stock) => stock.warehouseId === warehouse.id),
      );
      // Every SKU of the 3-warehouse shop may be stocked everywhere; fall back to an unknown id.
      entry = {
        id: sku.id,
        inventory: [{ warehouse_id: unstocked?.id ?? '7050000000000000000', quantity: 1 }],
      };
    } else {
      entry = {
        id: sku.id,
        inventory: [{ warehouse_id: sku.stock[0]!.warehouseId, quantity: variant }],
      };
    }
    const before = stockOf(h, sku.id);
    const answer = h.data<UpdateAnswer>('inventory.update', {
      params: { product_id: product.id },
      body: { skus: [entry] },
    });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.code).toBe(code);
    expect(answer.errors![0]!.detail.sku_id).toBe(entry.id);
    expect(stockOf(h, sku.id)).toEqual(before);
  });

  it('accepts a quantity of 0 (our reading of the 0–99 999 contract)', () => {
    const h = createHarness();
    const product = findProduct(h, multiWarehouseSku);
    const sku = product.skus[1]!;
    const inventory = sku.stock.map((stock) => ({ warehouse_id: stock.warehouseId, quantity: 0 }));
    expect(
      h.data('inventory.update', {
        params: { product_id: product.id },
        body: { skus: [{ id: sku.id, inventory }] },
      }),
    ).toEqual({});
    expect(stockOf(h, sku.id)[0]!.available_quantity).toBe(0);
  });

  it('fails the whole call for a duplicated SKU (12052553), changing nothing', () => {
    const h = createHarness();
    const product = findProduct(h, multiWarehouseSku);
    const [first, second] = product.skus;
    const before = stockOf(h, second!.id);
    const error = h.error('inventory.update', {
      params: { product_id: product.id },
      body: {
        skus: [
          {
            id: second!.id,
            inventory: [{ warehouse_id: second!.stock[0]!.warehouseId, quantity: 7 }],
          },
          {
            id: first!.id,
            inventory: [{ warehouse_id: first!.stock[0]!.warehouseId, quantity: 7 }],
          },
          {
            id: first!.id,
            inventory: [{ warehouse_id: first!.stock[0]!.warehouseId, quantity: 8 }],
          },
        ],
      },
    });
    expect(error).toMatchObject({ code: 12052553, httpStatus: 400 });
    expect(stockOf(h, second!.id)).toEqual(before);
  });

  it('answers 12052032 / 404 for a missing or foreign product', () => {
    const h = createHarness();
    const foreign = h.store.shopData(h.store.shops[1]!.id).products[0]!;
    for (const productId of ['1729999999999999999', foreign.id]) {
      expect(
        h.error('inventory.update', {
          params: { product_id: productId },
          body: { skus: [{ id: foreign.skus[0]!.id, inventory: [{ quantity: 1 }] }] },
        }),
      ).toMatchObject({ code: 12052032, httpStatus: 404 });
    }
  });

  it.each(['DRAFT', 'SELLER_DEACTIVATED', 'FREEZE', 'DELETED'])(
    'refuses a %s product with 12052901',
    (status) => {
      const h = createHarness();
      const product = findProduct(h, (p) => p.status === status);
      const sku = product.skus[0]!;
      const before = stockOf(h, sku.id);
      expect(
        h.error('inventory.update', {
          params: { product_id: product.id },
          body: {
            skus: [
              { id: sku.id, inventory: [{ warehouse_id: sku.stock[0]!.warehouseId, quantity: 3 }] },
            ],
          },
        }).code,
      ).toBe(12052901);
      expect(stockOf(h, sku.id)).toEqual(before);
    },
  );

  it('rejects a malformed body with 36009004 before touching anything', () => {
    const h = createHarness();
    const product = findProduct(h, multiWarehouseSku);
    const sku = product.skus[0]!;
    const before = stockOf(h, sku.id);
    for (const body of [
      undefined,
      { skus: [] },
      { skus: [{ id: sku.id }] },
      { skus: [{ id: sku.id, inventory: [] }] },
      { skus: [{ id: sku.id, inventory: [{ warehouse_id: 5, quantity: 1 }] }] },
      {
        skus: [
          { id: sku.id, inventory: [{ warehouse_id: sku.stock[0]!.warehouseId, quantity: 1 }] },
          { id: product.skus[1]!.id, inventory: ['nope'] },
        ],
      },
    ]) {
      expect(h.error('inventory.update', { params: { product_id: product.id }, body }).code).toBe(
        36009004,
      );
    }
    expect(stockOf(h, sku.id)).toEqual(before);
  });
});
