// Two gateway replicas on the shared Redis (issue 13): a notification delivered to A and retried to
// B is processed once, an older event reaching B after a newer one reached A is dropped, a
// product event received by A evicts the product on B too, and reaches a subscriber on B (over
// SSE) whose `product` is read fresh.
import { describe, expect, it } from 'vitest';
import type { Json } from '../helpers/gateway.js';
import {
  createLogRecorder,
  REPLICA_API_KEY,
  type Replica,
  startReplica,
} from '../helpers/scale-out.js';
import { listen, until } from '../helpers/sse.js';
import { redisTestFile, SHARED_REDIS_URL } from '../redis/helpers/redis.js';
import { deliveryBody, serveWebhooks, startSellerFile, type WebhookTarget } from './helpers.js';

const PRODUCT = 'query ($id: ID!) { product(id: $id) { id } }';
const PRODUCT_IDS = '{ products(first: 1) { edges { node { id } } } }';

const { cleanups, keyPrefix: nextKeyPrefix } = redisTestFile('webhooks-replicas');

/** Replicas a and b on one emulator and Redis, each serving webhooks on its own port. */
async function startPair() {
  const { emulator, tokenStorePath, shopId } = await startSellerFile(cleanups);
  const keyPrefix = nextKeyPrefix();
  const recorder = createLogRecorder('debug');
  const start = async (name: 'a' | 'b'): Promise<{ replica: Replica; target: WebhookTarget }> => {
    const replica = await startReplica({
      emulator,
      name,
      redisUrl: SHARED_REDIS_URL,
      keyPrefix,
      tokenStorePath,
      defaultShopId: shopId,
      ...(name === 'b' ? { logger: recorder.logger } : {}),
    });
    cleanups.push(() => replica.close());
    const target = await serveWebhooks(replica.stack);
    cleanups.push(() => target.close());
    return { replica, target };
  };
  const a = await start('a');
  const b = await start('b');
  return { emulator, shopId, a, b, recorder };
}

describe('webhooks across replicas (Redis)', () => {
  it('a notification delivered to A and again to B is processed once', async () => {
    const { shopId, a, b } = await startPair();
    const body = deliveryBody({ type: 1, shopId, data: { order_id: '7', update_time: 100 } });
    expect((await a.target.deliver(body)).status).toBe(200);
    await a.target.settled();
    expect((await b.target.deliver(body)).status).toBe(200);
    await b.target.settled();
    // And a new one sent to both at once.
    const racing = deliveryBody({ type: 1, shopId, data: { order_id: '8', update_time: 100 } });
    await Promise.all([a.target.deliver(racing), b.target.deliver(racing)]);
    await Promise.all([a.target.settled(), b.target.settled()]);

    const counts = [a, b].map(({ replica }) => replica.stack.liveUpdates.receiver.counts());
    expect(counts.map((count) => count.published).reduce((x, y) => x + y)).toBe(2);
    expect(counts.map((count) => count.duplicate).reduce((x, y) => x + y)).toBe(2);
    expect(counts[1]?.duplicate).toBeGreaterThanOrEqual(1);
    // Published once each, and seen once on every replica (the bus runs through Redis).
    for (const { target } of [a, b]) {
      await until(() => target.events.length >= 2);
      expect(target.events.map((event) => event.data.order_id).sort()).toEqual(['7', '8']);
    }
  });

  it('an older event reaching B after a newer one reached A is dropped', async () => {
    const { shopId, a, b } = await startPair();
    const status = (updateTime: number) =>
      deliveryBody({ type: 1, shopId, data: { order_id: '9', update_time: updateTime } });
    await a.target.deliver(status(2_000));
    await a.target.settled();
    await b.target.deliver(status(1_000));
    await b.target.settled();
    // Only the newer one was published: every replica's subscribers see it (through Redis), and
    // nothing from B before the marker B publishes next.
    await b.target.deliver(
      deliveryBody({ type: 1, shopId, data: { order_id: 'marker', update_time: 1 } }),
    );
    for (const { target } of [a, b]) {
      await until(() => target.events.some((event) => event.data.order_id === 'marker'));
      expect(target.events.map((event) => event.updateTime)).toEqual([2_000, 1]);
    }
    expect(b.replica.stack.liveUpdates.receiver.counts()).toMatchObject({ stale: 1 });
  });

  it('a product event received by A evicts the product on B: B reads it upstream again', async () => {
    const { emulator, shopId, a, b, recorder } = await startPair();
    const listed = await b.replica.query<Json>(PRODUCT_IDS);
    const productId: string = listed.body.data?.products.edges[0].node.id;
    await b.replica.query(PRODUCT, { id: productId });
    emulator.resetRequests();
    await b.replica.query(PRODUCT, { id: productId });
    expect(emulator.counters()['product.detail'] ?? 0).toBe(0);

    const applied = recorder.waitFor((line) => line.msg === 'Cache invalidation applied');
    await a.target.deliver(
      deliveryBody({ type: 15, shopId, data: { product_id: productId, update_time: 1 } }),
    );
    await applied;
    await b.replica.query(PRODUCT, { id: productId });
    expect(emulator.counters()['product.detail']).toBe(1);
  });

  it('a webhook delivered to A reaches a subscriber on B, whose product reads fresh', async () => {
    const { emulator, shopId, a, b } = await startPair();
    const listed = await b.replica.query<Json>(PRODUCT_IDS);
    const productId: string = listed.body.data?.products.edges[0].node.id;
    await b.replica.query(PRODUCT, { id: productId }); // cached on B
    const bus = b.replica.stack.liveUpdates.events;
    await until(() => bus.subscribers === 1); // serveWebhooks' collector
    const stream = await listen({
      url: `http://127.0.0.1:${b.target.port}`,
      query: 'subscription { productChanged { shopId productId kind product { id title } } }',
      apiKey: REPLICA_API_KEY,
      bus,
    });
    cleanups.push(() => stream.close());

    emulator.editProduct(productId, { title: 'Edited while B was caching it' });
    const body = deliveryBody({
      type: 15,
      shopId,
      data: { product_id: productId, changed_fields: ['title'], update_time: 1 },
    });
    expect((await a.target.deliver(body)).status).toBe(200);
    const change = (await stream.nextPayload()).data.productChanged;
    expect(change).toEqual({
      shopId,
      productId,
      kind: 'INFORMATION_CHANGED',
      product: { id: productId, title: 'Edited while B was caching it' },
    });
    // B received nothing itself: the event came from A through Redis.
    expect(b.replica.stack.liveUpdates.receiver.counts()).toMatchObject({ received: 0 });
  });
});
