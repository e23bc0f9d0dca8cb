import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderDocument, OrdersDocument, ShopsDocument } from '../generated/graphql.js';
import { dataOf, pageThrough, startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('orders and order', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Pages of 100 orders with each line item's product: above the default upstream-call limit.
    t = await startTestGateway({ env: { GRAPHQL_MAX_UPSTREAM_CALLS: '1000' } });
    // Warm the authorised-shops cache so counters below show only the operation's own calls.
    await t.execute(ShopsDocument);
  });
  afterAll(async () => {
    await t.close();
  });

  it('costs 1 order search + 1 Get Product per distinct product + ⌈products/100⌉ inventory searches for 50 orders', async () => {
    t.cache.clear();
    await t.execute(ShopsDocument);
    t.resetCalls();
    const { status, body } = await t.execute(OrdersDocument, { first: 50 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const orders = body.data!.orders!.edges.map((edge) => edge.node);
    expect(orders).toHaveLength(50);
    const lineItems = orders.flatMap((order) => order.lineItems);
    const distinctProducts = new Set(lineItems.map((item) => item.productId));
    expect(lineItems.length).toBeGreaterThan(distinctProducts.size);
    for (const item of lineItems) {
      expect(item.product?.id).toBe(item.productId);
      for (const sku of item.product!.skus) expect(sku.inventory).not.toBeNull();
    }
    expect(t.calls()).toEqual({
      'order.search': 1,
      'product.detail': distinctProducts.size,
      'inventory.search': Math.ceil(distinctProducts.size / 100),
    });

    // Within the TTL the same page needs no Get Product at all.
    t.resetCalls();
    const again = await t.execute(OrdersDocument, { first: 50 });
    expect(again.body.data).toEqual(body.data);
    expect(t.calls()).toEqual({
      'order.search': 1,
      'inventory.search': Math.ceil(distinctProducts.size / 100),
    });
  });

  it('pages through every order to the last page', async () => {
    t.resetCalls();
    const { nodes, pages, totalCount } = await pageThrough(
      async (after) => dataOf(await t.execute(OrdersDocument, { first: 100, after })).orders,
    );
    const ids = nodes.map((node) => node.id);
    expect(ids).toHaveLength(totalCount);
    expect(new Set(ids).size).toBe(totalCount);
    expect(pages).toBe(Math.ceil(totalCount / 100));
    expect(t.calls()['order.search']).toBe(pages);
  });

  it('sorts oldest first on request', async () => {
    const { body } = await t.execute(OrdersDocument, {
      first: 20,
      sort: { field: 'CREATED_AT', direction: 'ASC' },
    });
    const times = body.data!.orders!.edges.map((edge) => Date.parse(edge.node.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('reads one order by id with exact money and the SKU from the product detail', async () => {
    const { body: page } = await t.execute(OrdersDocument, { first: 5 });
    const listed = page.data!.orders!.edges[0]!.node;
    t.resetCalls();
    const { status, body } = await t.execute(OrderDocument, { orderId: listed.id });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const order = body.data!.order!;
    expect(order.id).toBe(listed.id);
    expect(order.payment.total).toEqual(listed.payment.total);
    const { seller, platform, total } = order.payment.discounts;
    expect(Math.round((Number(seller.amount) + Number(platform.amount)) * 100)).toBe(
      Math.round(Number(total.amount) * 100),
    );
    for (const item of order.lineItems) expect(item.sku?.sellerSku).toBe(item.sellerSku);
    expect(t.calls()['order.detail']).toBe(1);
  });

  it('batches order lookups and isolates a foreign id: null for it, data for the others', async () => {
    const { body: page } = await t.execute(OrdersDocument, { first: 2 });
    const [a, b] = page.data!.orders!.edges.map((edge) => edge.node.id);
    const gb = t.shopIn('GB');
    const { body: foreignPage } = await t.execute(OrdersDocument, { first: 1, shopId: gb.id });
    const foreign = foreignPage.data!.orders!.edges[0]!.node.id;

    t.resetCalls();
    const { status, body } = await t.executeText(
      `query ($a: ID!, $b: ID!, $foreign: ID!) {
        a: order(id: $a) { id }
        foreign: order(id: $foreign) { id }
        b: order(id: $b) { id }
      }`,
      { a, b, foreign },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ a: { id: a }, foreign: null, b: { id: b } });
    // One batch call that fails for the foreign id, then one call per id.
    expect(t.calls()['order.detail']).toBe(4);

    t.resetCalls();
    const batched = await t.executeText(
      'query ($a: ID!, $b: ID!) { a: order(id: $a) { id } b: order(id: $b) { id } }',
      { a, b },
    );
    expect(batched.body.data).toEqual({ a: { id: a }, b: { id: b } });
    expect(t.calls()['order.detail']).toBe(1);
  });
});

describe('orders across more than 100 distinct products', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ scale: 1, env: { GRAPHQL_MAX_UPSTREAM_CALLS: '1000' } });
    await t.execute(ShopsDocument);
  });
  afterAll(async () => {
    await t.close();
  });

  it('splits inventory searches at 100 products and still reads each product once', async () => {
    const firstPage = dataOf(await t.execute(OrdersDocument, { first: 100 })).orders!;
    t.cache.clear();
    await t.execute(ShopsDocument);
    t.resetCalls();
    // Two pages in one request share the request's loaders.
    const { status, body } = await t.executeText(
      `query ($after: String) {
        a: orders(first: 100) { edges { node { lineItems { productId product { skus { inventory { totalAvailableQuantity } } } } } } }
        b: orders(first: 100, after: $after) { edges { node { lineItems { productId product { skus { inventory { totalAvailableQuantity } } } } } } }
      }`,
      { after: firstPage.pageInfo.endCursor },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    type Page = { edges: Array<{ node: { lineItems: Array<{ productId: string }> } }> };
    const data = body.data as { a: Page; b: Page };
    const distinct = new Set(
      [...data.a.edges, ...data.b.edges].flatMap((edge) =>
        edge.node.lineItems.map((item) => item.productId),
      ),
    );
    expect(distinct.size).toBeGreaterThan(100);
    expect(t.calls()).toEqual({
      'order.search': 2,
      'product.detail': distinct.size,
      'inventory.search': Math.ceil(distinct.size / 100),
    });
  });
});
