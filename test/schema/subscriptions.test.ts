// Subscriptions over SSE (issue 13, item 3), end to end over real HTTP: the emulator's signed
// deliveries (its Event API subscribed to the gateway's receiver on a loopback port) reach SSE
// subscribers on /graphql: an order it advances (delivery→subscriber delay logged over 50
// events, with `order` read afresh for each), a product edit (`product` shows it although its
// cache entry was fresh), a stock drop, an unknown type; the filters; and every way a stream
// ends: the client leaving, the drain, the app closing, the caller's JWT expiring.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { Known } from '../../src/datasources/tiktok/enums.js';
import type { WebhookEventType } from '../../src/datasources/tiktok/types.js';
import {
  type Json,
  startTestGateway,
  TEST_API_KEY,
  type TestGateway,
  type TestGatewayOptions,
} from '../helpers/gateway.js';
import { listen, nowMs, type SseStream, subscribe, until } from '../helpers/sse.js';
import { deliveryBody, serveWebhooks } from '../webhooks/helpers.js';

const JWT_SECRET = 'subscriptions-test-jwt-secret-0123456789';

const ORDER_STATUS =
  'subscription ($shopId: ID, $statuses: [OrderStatus!]) { orderStatusChanged(shopId: $shopId, statuses: $statuses) { shopId orderId status statusRaw updateTime order { id status } } }';

/** p-th percentile (nearest rank) of `values`, ms rounded to 0.1. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, rank)] ?? 0) * 10) / 10;
}

/** Orders of the default shop that can still move (neither COMPLETED nor CANCELLED). */
async function movableOrders(t: TestGateway, first: number): Promise<string[]> {
  const listed = await t.executeText<Json>(
    'query ($first: Int) { orders(first: $first) { edges { node { id status } } } }',
    { first },
  );
  const edges: Json[] = listed.body.data?.orders.edges ?? [];
  return edges
    .filter((edge) => !['COMPLETED', 'CANCELLED'].includes(edge.node.status))
    .map((edge) => edge.node.id);
}

describe('subscriptions over SSE', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * A gateway on a loopback port whose shops' topics (`topics`) the emulator delivers to its
   * receiver; `open` starts a stream and waits until it listens on the bus.
   */
  async function start(
    options: TestGatewayOptions & { topics?: Array<Known<WebhookEventType>> } = {},
  ) {
    const t: TestGateway = await startTestGateway(options);
    cleanups.push(() => t.close());
    const target = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    const bus = t.app.liveUpdates.events;
    // serveWebhooks' own collector.
    await until(() => bus.subscribers === 1);
    const url = `http://127.0.0.1:${target.port}`;
    const address = `${url}${t.app.liveUpdates.path}`;
    for (const shop of await t.sellers.authorizedShops()) {
      const session = await t.tokens.sessionFor(shop);
      for (const eventType of options.topics ?? ['ORDER_STATUS_CHANGE']) {
        await t.client.putWebhook(session, { eventType, address });
      }
    }
    const open = async (
      query: string,
      variables: Record<string, unknown> = {},
      apiKey: string = TEST_API_KEY,
    ) => {
      const stream = await listen({ url, query, variables, apiKey, bus });
      cleanups.push(() => stream.close());
      return stream;
    };
    const [us = '', gb = ''] = ['US', 'GB'].map((region) => t.shopIn(region).id);
    return { t, target, bus, url, open, shops: { us, gb } };
  }

  it('an order the emulator advances reaches the subscriber, its order read for each event', async () => {
    const { t, open, shops } = await start({ scale: 0.2 });
    const candidates = await movableOrders(t, 100);
    expect(candidates.length).toBeGreaterThan(10);
    const stream = await open(ORDER_STATUS);

    const delaysMs: number[] = [];
    const statusesOf = new Map<string, string[]>();
    // The first order twice in a row, then round the others, until 50 moves.
    const queue = [candidates[0] ?? '', ...candidates];
    while (delaysMs.length < 50) {
      const orderId = queue.shift();
      if (orderId === undefined) throw new Error('No order left to advance');
      let transition: ReturnType<typeof t.emulator.advanceOrder>;
      try {
        transition = t.emulator.advanceOrder(orderId);
      } catch {
        continue; // final: done with that order
      }
      queue.push(orderId);
      const payload = await stream.nextPayload();
      expect(payload.errors).toBeUndefined();
      const change = payload.data.orderStatusChanged;
      expect(change).toMatchObject({
        shopId: shops.us,
        orderId,
        status: transition.to,
        statusRaw: transition.to,
        updateTime: new Date(transition.updateTime * 1000).toISOString(),
        order: { id: orderId, status: transition.to },
      });
      statusesOf.set(orderId, [...(statusesOf.get(orderId) ?? []), change.order.status]);
      const delivery = t.emulator
        .webhookDeliveries()
        .find((entry) => entry.notificationId === transition.notificationId);
      const startedAtMs = delivery?.attempts[0]?.startedAtMs;
      if (startedAtMs === undefined) throw new Error('The delivery made no attempt');
      delaysMs.push(nowMs() - startedAtMs);
    }
    // The same stream read one order twice running: a loader kept from the first event would
    // have answered its old status the second time.
    const twice = statusesOf.get(candidates[0] ?? '') ?? [];
    expect(new Set(twice).size).toBe(twice.length);
    expect(twice.length).toBeGreaterThanOrEqual(2);
    console.info(
      `delivery→subscriber delay over ${delaysMs.length} events: p50 ${percentile(delaysMs, 50)} ms, p99 ${percentile(delaysMs, 99)} ms`,
    );
  });

  it('keeps to the statuses and the shop asked for; UNKNOWN stands for statuses not known', async () => {
    const { t, target, open, shops } = await start();
    const onlySome = await open(ORDER_STATUS, { statuses: ['AWAITING_SHIPMENT', 'UNKNOWN'] });
    const gbOnly = await open(ORDER_STATUS, { shopId: shops.gb });
    const everything = await open(ORDER_STATUS);
    let updateTime = 1_700_000_000;
    const move = async (shopId: string, status: string) => {
      updateTime += 1;
      const data = {
        order_id: '576486316948490001',
        order_status: status,
        update_time: updateTime,
      };
      expect((await target.deliver(deliveryBody({ type: 1, shopId, data }))).status).toBe(200);
    };
    await move(shops.us, 'UNPAID');
    await move(shops.us, 'A_STATUS_FROM_THE_FUTURE');
    await move(shops.gb, 'AWAITING_SHIPMENT');
    const read = async (stream: SseStream, count: number) => {
      const seen: Array<[string, string, string]> = [];
      for (let index = 0; index < count; index += 1) {
        const { shopId, status, statusRaw } = (await stream.nextPayload()).data.orderStatusChanged;
        seen.push([shopId, status, statusRaw]);
      }
      return seen;
    };
    expect(await read(onlySome, 2)).toEqual([
      [shops.us, 'UNKNOWN', 'A_STATUS_FROM_THE_FUTURE'],
      [shops.gb, 'AWAITING_SHIPMENT', 'AWAITING_SHIPMENT'],
    ]);
    expect(await read(gbOnly, 1)).toEqual([[shops.gb, 'AWAITING_SHIPMENT', 'AWAITING_SHIPMENT']]);
    expect((await read(everything, 3)).map(([, , raw]) => raw)).toEqual([
      'UNPAID',
      'A_STATUS_FROM_THE_FUTURE',
      'AWAITING_SHIPMENT',
    ]);

    // An empty list filters nothing in or out: it is refused before any stream starts.
    t.resetCalls();
    const empty = await subscribe({
      url: `http://127.0.0.1:${target.port}`,
      query: ORDER_STATUS,
      variables: { statuses: [] },
      apiKey: TEST_API_KEY,
    });
    const [refusal, complete] = await empty.rest();
    expect(refusal?.payload?.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'statuses',
    });
    expect(complete?.event).toBe('complete');
    expect(t.totalCalls()).toBe(0);
  });

  it('a product edited in the emulator reaches productChanged, whose product shows the edit', async () => {
    const { t, open, shops } = await start({
      topics: ['PRODUCT_INFORMATION_CHANGE', 'PRODUCT_STATUS_CHANGE'],
    });
    const listed = await t.executeText<Json>(
      '{ products(first: 1, filter: { status: ACTIVATE }) { edges { node { id title } } } }',
    );
    const productId: string = listed.body.data?.products.edges[0].node.id;
    const PRODUCT = 'query ($id: ID!) { product(id: $id) { title } }';
    await t.executeText(PRODUCT, { id: productId });
    t.resetCalls();
    await t.executeText(PRODUCT, { id: productId });
    expect(t.calls()['product.detail'] ?? 0).toBe(0); // cached, and fresh for CACHE_TTL_MS

    const stream = await open(
      'subscription { productChanged { shopId productId kind type updateTime product { id title status } } }',
    );
    t.emulator.editProduct(productId, { title: 'Live from the emulator' });
    const edited = (await stream.nextPayload()).data.productChanged;
    expect(edited).toMatchObject({
      shopId: shops.us,
      productId,
      kind: 'INFORMATION_CHANGED',
      type: 15,
      product: { id: productId, title: 'Live from the emulator', status: 'ACTIVATE' },
    });
    t.emulator.editProduct(productId, { status: 'SELLER_DEACTIVATED' });
    const deactivated = (await stream.nextPayload()).data.productChanged;
    expect(deactivated).toMatchObject({
      kind: 'STATUS_CHANGED',
      type: 5,
      product: { status: 'SELLER_DEACTIVATED' },
    });
    // And the query sees it too: the event evicted the entry.
    expect((await t.executeText<Json>(PRODUCT, { id: productId })).body.data?.product.title).toBe(
      'Live from the emulator',
    );
  });

  it('a stock drop reaches inventoryStatusChanged with the stock as it is now', async () => {
    const { t, open, shops } = await start();
    const listed = await t.executeText<Json>(
      `{ products(first: 50, filter: { status: ACTIVATE }) { edges { node { id skus { id
          inventory { totalAvailableQuantity warehouses { warehouseId availableQuantity } } } } } } }`,
    );
    const products: Json[] = listed.body.data?.products.edges.map((edge: Json) => edge.node);
    const found = products
      .flatMap((product) => product.skus.map((sku: Json) => ({ productId: product.id, sku })))
      .find(
        ({ sku }) =>
          sku.inventory.warehouses.length === 1 && sku.inventory.totalAvailableQuantity > 10,
      );
    if (!found) throw new Error('No SKU with one warehouse and sufficient stock');
    const stream = await open(
      'subscription { inventoryStatusChanged { shopId productId skuId status statusRaw inventory { id totalAvailableQuantity } } }',
    );
    const update = await t.executeText<Json>(
      'mutation ($input: UpdateInventoryInput!) { updateInventory(input: $input) { updatedCount } }',
      {
        input: {
          productId: found.productId,
          skus: [
            {
              skuId: found.sku.id,
              warehouseId: found.sku.inventory.warehouses[0].warehouseId,
              quantity: 3,
            },
          ],
        },
      },
    );
    expect(update.body.errors).toBeUndefined();
    expect((await stream.nextPayload()).data.inventoryStatusChanged).toEqual({
      shopId: shops.us,
      productId: found.productId,
      skuId: found.sku.id,
      status: 'LOW',
      statusRaw: 'LOW_STOCK',
      inventory: { id: found.sku.id, totalAvailableQuantity: 3 },
    });
  });

  it('tiktokEvents carries every type as TikTok sent it, unknown ones included', async () => {
    const { t, open, shops } = await start();
    const TIKTOK_EVENTS =
      'subscription ($types: [Int!]) { tiktokEvents(types: $types) { type name shopId notificationId timestamp updateTime data } }';
    const unknownOnly = await open(TIKTOK_EVENTS, { types: [99] });
    const all = await open(TIKTOK_EVENTS);
    // A type the emulator's raw route raises goes to every address the shop subscribed.
    const raised = t.emulator.raiseEvent({
      type: 99,
      shopId: shops.gb,
      data: { anything: ['goes', 1], nested: { id: '7000000000000000123' } },
    });
    const [orderId = ''] = await movableOrders(t, 20);
    t.emulator.advanceOrder(orderId);
    const unknown = (await unknownOnly.nextPayload()).data.tiktokEvents;
    expect(unknown).toEqual({
      type: 99,
      name: null,
      shopId: shops.gb,
      notificationId: raised.notificationId,
      timestamp: expect.any(String),
      updateTime: null,
      data: { anything: ['goes', 1], nested: { id: '7000000000000000123' } },
    });
    const both = [(await all.nextPayload()).data, (await all.nextPayload()).data];
    expect(both.map((data) => [data.tiktokEvents.type, data.tiktokEvents.name])).toEqual([
      [99, null],
      [1, 'ORDER_STATUS_CHANGE'],
    ]);
    expect(both[1].tiktokEvents.data).toMatchObject({ order_id: orderId });
  });

  it('a stream ends when the client leaves, and every stream with `complete` when the gateway drains', async () => {
    const { t, bus, open, url } = await start();
    const left = await open(ORDER_STATUS);
    await left.leave(); // no longer counted on the bus

    const streams = [
      await open(ORDER_STATUS),
      await open('subscription { productChanged { productId } }'),
    ];
    t.app.drain.begin();
    for (const stream of streams)
      expect(await stream.rest()).toEqual([expect.objectContaining({ event: 'complete' })]);
    await until(() => bus.subscribers === 1);
    // Once draining, a new stream completes at once.
    const late = await subscribe({ url, query: ORDER_STATUS, apiKey: TEST_API_KEY });
    expect((await late.rest()).map((message) => message.event)).toEqual(['complete']);
  });

  it('many streams at once raise no listener-leak warning, and all complete on close', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const { t, open } = await start();
      const streams = [];
      for (let opened = 0; opened < 15; opened += 1) streams.push(await open(ORDER_STATUS));
      const rests = streams.map((stream) => stream.rest());
      await t.app.close();
      for (const rest of rests)
        expect((await rest).map((message) => message.event)).toEqual(['complete']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceeded'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('every stream completes when the app closes', async () => {
    const { t, open } = await start();
    const stream = await open(ORDER_STATUS);
    const rest = stream.rest();
    await t.app.close();
    expect((await rest).map((message) => message.event)).toEqual(['complete']);
  });

  it('a stream opened with a JWT completes when the token expires: the client reconnects with a new one', async () => {
    const { open } = await start({ jwtSecret: JWT_SECRET });
    const expiresIn = 2;
    const token = await new SignJWT({ scope: 'order.read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('dashboard')
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const stream = await open(ORDER_STATUS, {}, token);
    const openedAtMs = Date.now();
    expect((await stream.rest()).map((message) => message.event)).toEqual(['complete']);
    console.info(
      `JWT stream completed ${Date.now() - openedAtMs} ms after it opened (exp in ≤ ${expiresIn} s)`,
    );
  });
});
