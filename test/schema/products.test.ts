import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductDocument, ProductsDocument } from '../generated/graphql.js';
import {
  dataOf,
  lastDays,
  pageThrough,
  startTestGateway,
  type TestGateway,
} from '../helpers/gateway.js';

describe('products and product', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });

  it('pages through every product to the last page, one search call per page', async () => {
    t.resetCalls();
    const { nodes, pages, totalCount } = await pageThrough(
      async (after) => dataOf(await t.execute(ProductsDocument, { first: 7, after })).products,
    );
    const ids = nodes.map((node) => node.id);
    expect(totalCount).toBeGreaterThan(7);
    expect(ids).toHaveLength(totalCount);
    expect(new Set(ids).size).toBe(totalCount);
    expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
    expect(pages).toBe(Math.ceil(totalCount / 7));
    expect(t.calls()['product.search']).toBe(pages);
    // Search results carry title, status and SKUs: no detail call was needed.
    expect(t.calls()['product.detail']).toBeUndefined();
  });

  it('returns search fields in the documented shapes', async () => {
    const { body } = await t.execute(ProductsDocument, { first: 3 });
    const product = body.data!.products!.edges[0]!.node;
    expect(product.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(product.skus.length).toBeGreaterThan(0);
    for (const sku of product.skus) {
      expect(sku.price.amount).toMatch(/^\d+(\.\d+)?$/);
      expect(sku.price.currency).toMatch(/^[A-Z]{3}$/);
    }
  });

  it('filters by status', async () => {
    const { body } = await t.execute(ProductsDocument, { first: 50, filter: { status: 'DRAFT' } });
    const statuses = body.data!.products!.edges.map((edge) => edge.node.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['DRAFT']));
  });

  it('reads one product with detail, stock and analytics; the detail is cached', async () => {
    const { body: list } = await t.execute(ProductsDocument, {
      first: 1,
      filter: { status: 'ACTIVATE' },
    });
    const productId = list.data!.products!.edges[0]!.node.id;
    t.resetCalls();
    const { status, body } = await t.execute(ProductDocument, { productId, range: lastDays(30) });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const product = body.data!.product!;
    expect(product.id).toBe(productId);
    expect(typeof product.description).toBe('string');
    expect(product.images?.length).toBeGreaterThan(0);
    expect(product.categoryPath?.length).toBeGreaterThan(0);
    for (const sku of product.skus) {
      expect(sku.inventory).not.toBeNull();
      const perWarehouse = sku.inventory!.warehouses.reduce(
        (sum, w) => sum + w.availableQuantity,
        0,
      );
      expect(perWarehouse).toBe(sku.inventory!.totalAvailableQuantity);
    }
    expect(product.performance?.intervals.length).toBe(1);
    expect(t.calls()['product.detail']).toBe(1);
    expect(t.calls()['inventory.search']).toBe(1);

    t.resetCalls();
    await t.execute(ProductDocument, { productId, range: lastDays(30) });
    expect(t.calls()['product.detail']).toBeUndefined();
  });

  it('answers null for an unknown product', async () => {
    const { status, body } = await t.execute(ProductDocument, {
      productId: '1000000000000000001',
      range: lastDays(7),
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ product: null });
  });
});
