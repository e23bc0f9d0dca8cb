import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductsDocument, ShopsDocument, WarehousesDocument } from '../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('shops and shop selection', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ defaultShop: 'none' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the authorised shops without their ciphers', async () => {
    const { status, body } = await t.execute(ShopsDocument);
    expect(status).toBe(200);
    const expected = t.seller.shops.map((shop) => ({
      id: shop.id,
      name: shop.name,
      region: shop.region,
      code: shop.code,
    }));
    expect(
      body.data!.shops!.map(({ id, name, region, code }) => ({ id, name, region, code })),
    ).toEqual(expected);
    expect(body.data!.shops!.every((shop) => !shop.isDefault)).toBe(true);
    const text = JSON.stringify(body);
    for (const shop of t.seller.shops) expect(text).not.toContain(shop.cipher);
  });

  it('asks for shopId when several shops are authorised and none is the default', async () => {
    expect(t.seller.shops.length).toBeGreaterThan(1);
    const { status, body } = await t.execute(ProductsDocument, { first: 1 });
    expect(status).toBe(200);
    expect(body.data).toEqual({ products: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).toContain('pass shopId');
    for (const shop of t.seller.shops) expect(body.errors![0]!.message).toContain(shop.id);
  });

  it('reads the shop named by shopId, with its own currency and data', async () => {
    const us = t.shopIn('US');
    const gb = t.shopIn('GB');
    t.resetCalls();
    const [fromGb, fromUs] = await Promise.all([
      t.execute(ProductsDocument, { first: 5, shopId: gb.id }),
      t.execute(ProductsDocument, { first: 5, shopId: us.id }),
    ]);
    expect(fromGb.body.errors).toBeUndefined();
    const gbCurrencies = fromGb.body.data!.products!.edges.flatMap((edge) =>
      edge.node.skus.map((sku) => sku.price.currency),
    );
    expect(new Set(gbCurrencies)).toEqual(new Set(['GBP']));
    const gbIds = fromGb.body.data!.products!.edges.map((edge) => edge.node.id);
    const usIds = fromUs.body.data!.products!.edges.map((edge) => edge.node.id);
    expect(gbIds.filter((id) => usIds.includes(id))).toEqual([]);
    expect(t.emulator.counters()[`product.search ${gb.id}`]).toBe(1);
    expect(t.emulator.counters()[`product.search ${us.id}`]).toBe(1);
  });

  it('rejects an unknown or malformed shopId as BAD_USER_INPUT before any shop call', async () => {
    await t.execute(ShopsDocument);
    t.resetCalls();
    const unknown = await t.execute(WarehousesDocument, { shopId: '123' });
    expect(unknown.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const malformed = await t.execute(WarehousesDocument, { shopId: 'GB' });
    expect(malformed.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(t.totalCalls()).toBe(0);
  });

  it('keeps cached data apart per shop', async () => {
    const us = t.shopIn('US');
    const gb = t.shopIn('GB');
    const a = await t.execute(WarehousesDocument, { shopId: us.id });
    const b = await t.execute(WarehousesDocument, { shopId: gb.id });
    const idsA = a.body.data!.warehouses!.map((w) => w.id);
    const idsB = b.body.data!.warehouses!.map((w) => w.id);
    expect(idsA.length).toBeGreaterThan(0);
    expect(idsB.length).toBeGreaterThan(0);
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
  });
});
