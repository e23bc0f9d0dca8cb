// The webhook receiver over real HTTP (issue 13, item 1): signed deliveries are answered 200 with
// an empty body and published once; forged, unsigned, oversized and malformed ones are refused
// and change nothing; repeats, unknown shops and older update times are dropped; unknown types
// are published as they came.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { send } from '../helpers/http.js';
import { createLogRecorder } from '../helpers/scale-out.js';
import { deliveryBody, serveWebhooks, signDelivery, type WebhookTarget } from './helpers.js';

const UNKNOWN_SHOP = '7000000000000000001';

describe('POST /webhooks/tiktok', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start() {
    const log = createLogRecorder('info');
    const t: TestGateway = await startTestGateway({ logger: log.logger });
    cleanups.push(() => t.close());
    const target: WebhookTarget = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    const shopId = t.seller.shops[0]?.id ?? '';
    const counts = () => t.app.liveUpdates.receiver.counts();
    return { t, target, shopId, log, counts };
  }

  it('answers a signed delivery 200 with an empty body and publishes it, normalised', async () => {
    const { target, shopId, counts } = await start();
    // The §8 sample payload.
    const data = {
      order_id: '576486316948490001',
      order_status: 'UNPAID',
      is_on_hold_order: false,
      update_time: 1_644_412_885,
    };
    const sent = { type: 1, notificationId: '7327112393057371910', timestamp: 1_644_412_885 };
    const reply = await target.deliver(deliveryBody({ ...sent, shopId, data }));
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    await target.settled();
    expect(target.events).toEqual([{ ...sent, shopId, data, updateTime: 1_644_412_885 }]);
    expect(counts()).toMatchObject({ received: 1, published: 1 });
  });

  it('refuses a forged or missing signature with 401, and nothing is published', async () => {
    const { t, target, shopId, counts, log } = await start();
    const body = deliveryBody({ type: 5, shopId, data: { product_id: '1', update_time: 1 } });
    const otherApp = await target.deliver(body, {
      authorization: signDelivery(t.emulator.appKey, 'not-the-app-secret', body),
    });
    const tampered = await target.deliver(body, {
      authorization: signDelivery(
        t.emulator.appKey,
        t.emulator.appSecret,
        body.replace('"product_id":"1"', '"product_id":"2"'),
      ),
    });
    const garbage = await target.deliver(body, { authorization: 'not-hex' });
    const missing = await target.deliver(body, { authorization: null });
    expect([otherApp, tampered, garbage, missing].map((reply) => reply.status)).toEqual([
      401, 401, 401, 401,
    ]);
    expect(missing.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await target.settled();
    expect(target.events).toEqual([]);
    expect(counts()).toMatchObject({ received: 4, unauthorized: 4, published: 0, duplicate: 0 });
    expect(log.lines.filter((line) => /Webhook refused \(401\)/.test(line.msg ?? ''))).toHaveLength(
      4,
    );
    // The signature is never logged.
    expect(JSON.stringify(log.lines)).not.toContain(
      signDelivery(t.emulator.appKey, 'not-the-app-secret', body),
    );
  });

  it('refuses bodies over 64 KB with 413, by Content-Length unread or counted as read', async () => {
    const { target, shopId, counts } = await start();
    const padding = 'x'.repeat(64 * 1024);
    const body = deliveryBody({ type: 99, shopId, data: { padding } });
    const declared = await target.deliver(body);
    expect(declared.status).toBe(413);
    const chunked = await send(target.port, {
      method: 'POST',
      path: '/webhooks/tiktok',
      headers: { 'content-type': 'application/json' },
      chunks: (function* () {
        for (let index = 0; index < body.length; index += 4096) {
          yield body.slice(index, index + 4096);
        }
      })(),
    });
    expect(chunked.status).toBe(413);
    // Just under the limit is read, verified and accepted.
    const fits = deliveryBody({ type: 99, shopId, data: { padding: padding.slice(0, 60_000) } });
    expect((await target.deliver(fits)).status).toBe(200);
    await target.settled();
    expect(target.events).toHaveLength(1);
    expect(counts()).toMatchObject({ tooLarge: 2, published: 1 });
  });

  it('refuses malformed JSON with a valid signature with 400 and logs it at warn', async () => {
    const { target, shopId, counts, log } = await start();
    const notJson = await target.deliver('{"type": 1, "shop_id": ');
    const noId = await target.deliver(JSON.stringify({ type: 1, shop_id: shopId, timestamp: 1 }));
    expect([notJson.status, noId.status]).toEqual([400, 400]);
    expect(notJson.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(noId.json.errors[0].message).toContain('tts_notification_id');
    await target.settled();
    expect(target.events).toEqual([]);
    expect(counts()).toMatchObject({ malformed: 2, published: 0 });
    const warnings = log.lines.filter(
      (line) => line.level === 40 && /malformed/.test(line.msg ?? ''),
    );
    expect(warnings.map((line) => line.problem)).toEqual([
      'the body is not JSON',
      expect.stringContaining('tts_notification_id'),
    ]);
  });

  it('processes a repeated notification once', async () => {
    const { target, shopId, counts } = await start();
    const body = deliveryBody({ type: 1, shopId, data: { order_id: '5', update_time: 10 } });
    const replies = [await target.deliver(body), await target.deliver(body)];
    // Also when the repeats arrive together.
    replies.push(...(await Promise.all([1, 2, 3].map(() => target.deliver(body)))));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
    await target.settled();
    expect(target.events).toHaveLength(1);
    expect(counts()).toMatchObject({ published: 1, duplicate: 4 });
  });

  it('drops events for a shop no stored seller authorised, and logs them', async () => {
    const { target, counts, log } = await start();
    const reply = await target.deliver(
      deliveryBody({ type: 1, shopId: UNKNOWN_SHOP, data: { order_id: '5', update_time: 10 } }),
    );
    // A creator-side topic names no shop at all.
    await target.deliver(deliveryBody({ type: 17, data: { product_id: '1' } }));
    expect(reply.status).toBe(200);
    await target.settled();
    expect(target.events).toEqual([]);
    expect(counts()).toMatchObject({ 'unknown-shop': 2, published: 0 });
    expect(
      log.lines.filter((line) => /no stored seller/.test(line.msg ?? '')).map((l) => l.shopId),
    ).toEqual([UNKNOWN_SHOP, '']);
  });

  it('accepts a type it does not know, counts it and publishes it raw', async () => {
    const { target, shopId, counts } = await start();
    const data = { anything: { nested: [1, 'two'] }, big_id: '1729000000000000001' };
    const body = deliveryBody({ type: 51, shopId, data }).replace(
      '"big_id":"1729000000000000001"',
      '"big_id":1729000000000000001',
    );
    expect((await target.deliver(body)).status).toBe(200);
    await target.settled();
    // The 19-digit number is kept exact, as its decimal string.
    expect(target.events).toEqual([
      expect.objectContaining({ type: 51, shopId, data: { ...data } }),
    ]);
    expect(counts()).toMatchObject({ unknownType: 1, published: 1 });
  });

  it('never lets an older update_time overwrite a newer one for the same object', async () => {
    const { target, shopId, counts } = await start();
    const status = (orderId: string, orderStatus: string, updateTime: number) =>
      deliveryBody({
        type: 1,
        shopId,
        data: { order_id: orderId, order_status: orderStatus, update_time: updateTime },
      });
    await target.deliver(status('100', 'AWAITING_SHIPMENT', 2_000));
    await target.settled();
    // A late retry of an earlier status, then the next one, then another order's older event.
    await target.deliver(status('100', 'UNPAID', 1_000));
    await target.settled();
    await target.deliver(status('100', 'IN_TRANSIT', 3_000));
    await target.settled();
    await target.deliver(status('200', 'UNPAID', 1_000));
    await target.settled();
    expect(target.events.map((event) => [event.data.order_id, event.data.order_status])).toEqual([
      ['100', 'AWAITING_SHIPMENT'],
      ['100', 'IN_TRANSIT'],
      ['200', 'UNPAID'],
    ]);
    expect(counts()).toMatchObject({ published: 3, stale: 1 });
  });

  it('closing finishes the deliveries already answered, then answers 503 so TikTok retries', async () => {
    const { t, target, shopId } = await start();
    const reply = await target.deliver(
      deliveryBody({ type: 1, shopId, data: { order_id: '1', update_time: 1 } }),
    );
    expect(reply.status).toBe(200);
    await t.app.liveUpdates.close();
    expect(t.app.liveUpdates.receiver.counts()).toMatchObject({ published: 1 });
    const late = await target.deliver(
      deliveryBody({ type: 1, shopId, data: { order_id: '2', update_time: 1 } }),
    );
    expect(late.status).toBe(503);
    expect(late.headers['retry-after']).toBe('5');
    await target.settled();
    expect(target.events.map((event) => event.data.order_id)).toEqual(['1']);
  });

  it('answers only POST on the webhook path, and needs no API key there', async () => {
    const { target } = await start();
    const get = await send(target.port, { path: '/webhooks/tiktok' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    // The GraphQL endpoint still wants a key.
    const graphql = await send(target.port, {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ shops { id } }"}',
    });
    expect(graphql.status).toBe(401);
  });
});
