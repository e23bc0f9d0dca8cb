// POST /__emulator/events: any event, known type or not, for tests of what a receiver does with
// SELLER_DEAUTHORIZATION, UPCOMING_AUTHORIZATION_EXPIRATION or a type TikTok adds without notice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subscribe } from '../helpers/event-api.js';
import { type Shop, startWebhookFixture, type WebhookFixture } from '../helpers/webhook-fixture.js';

describe('raw events (POST /__emulator/events)', () => {
  let fx: WebhookFixture;
  let shop: Shop;

  beforeAll(async () => {
    fx = await startWebhookFixture();
    shop = fx.shops[0]!;
    const address = `${fx.receiver.url}/tiktok`;
    await subscribe(fx.emulator, fx.token, shop, 'UPCOMING_AUTHORIZATION_EXPIRATION', address);
  });
  beforeEach(() => {
    fx.receiver.received.length = 0;
  });
  afterAll(() => fx.close());

  const raise = (body: unknown) => fx.admin('POST', 'events', body);

  it('delivers a subscribed type with the data given, signed', async () => {
    const data = { message: 'Authorization expires in 5 days.', expiration_time: '1627587506' };
    const answer = await raise({ type: 7, shopId: shop.id, data });
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ type: 7, shopId: shop.id });
    expect(answer.body.event.deliveryIds).toHaveLength(1);
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    const [got] = fx.receiver.received;
    expect(got!.isSignatureValid).toBe(true);
    expect(got!.payload).toMatchObject({
      type: 7,
      shop_id: shop.id,
      tts_notification_id: answer.body.event.notificationId,
      data,
    });
  });

  it('an unsubscribed type goes nowhere; a type without an Event API name goes to the shop', async () => {
    const deauthorized = await raise({ type: 6, shopId: shop.id, data: { message: 'x' } });
    expect(deauthorized.body.event.deliveryIds).toEqual([]);
    const novel = await raise({ type: 999, shopId: shop.id, data: { something: 'new' } });
    expect(novel.body.event.deliveryIds).toHaveLength(1);
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    expect(fx.receiver.received.map((webhook) => webhook.payload.type)).toEqual([999]);
  });

  it('refuses a bad event with 400 and sends nothing', async () => {
    for (const body of [
      { type: 0, shopId: shop.id },
      { type: 1.5, shopId: shop.id },
      { type: '7', shopId: shop.id },
      { type: 7, shopId: 'no-such-shop' },
      { type: 7, shopId: shop.id, data: ['x'] },
      'not json',
    ]) {
      const answer = await raise(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    expect(fx.receiver.received).toEqual([]);
  });
});
