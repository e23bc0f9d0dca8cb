// The order lifecycle clock: advancing it moves orders along their statuses, raises
// ORDER_STATUS_CHANGE (type 1) for the shops that subscribed, and moves update_time so Order
// Search with update_time_ge finds the changed orders.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderTransition } from '../../../src/emulator/types.js';
import { subscribe } from '../helpers/event-api.js';
import { type Shop, startWebhookFixture, type WebhookFixture } from '../helpers/webhook-fixture.js';

interface WireOrder {
  id: string;
  status: string;
  update_time: number;
  paid_time: number | null;
  recipient_address?: unknown;
  packages: Array<{ id: string }>;
  line_items: Array<{ display_status: string; package_id?: string }>;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Where an order can go from each status (ON_HOLD only for some paid orders). */
const NEXT: Record<string, string[]> = {
  UNPAID: ['ON_HOLD', 'AWAITING_SHIPMENT'],
  ON_HOLD: ['AWAITING_SHIPMENT'],
  AWAITING_SHIPMENT: ['AWAITING_COLLECTION'],
  PARTIALLY_SHIPPING: ['IN_TRANSIT'],
  AWAITING_COLLECTION: ['IN_TRANSIT'],
  IN_TRANSIT: ['DELIVERED'],
  DELIVERED: ['COMPLETED'],
};

/** A fixture whose first shop (only) subscribed ORDER_STATUS_CHANGE, and order reads on it. */
function orderFixture() {
  const ctx = {} as { fx: WebhookFixture; shop: Shop };
  beforeAll(async () => {
    ctx.fx = await startWebhookFixture();
    ctx.shop = ctx.fx.shops[0]!;
    // Only the first shop subscribes: the others' orders move without a delivery.
    const address = `${ctx.fx.receiver.url}/orders`;
    await subscribe(ctx.fx.emulator, ctx.fx.token, ctx.shop, 'ORDER_STATUS_CHANGE', address);
  });
  beforeEach(() => {
    ctx.fx.receiver.received.length = 0;
  });
  afterAll(() => ctx.fx.close());
  const orders = async (method: 'GET' | 'POST', path: string, input: object) =>
    (await ctx.fx.api<{ orders: WireOrder[] }>(ctx.shop, method, path, input)).orders;
  return Object.assign(ctx, {
    detail: (ids: string[]) =>
      orders('GET', '/order/202309/orders', { query: { ids: ids.join(',') } }),
    search: (body: Record<string, unknown>) =>
      orders('POST', '/order/202309/orders/search', { query: { page_size: '100' }, body }),
  });
}

describe('order lifecycle webhooks (type 1)', () => {
  const ctx = orderFixture();
  const advance = async (ms: number): Promise<OrderTransition[]> => {
    const answer = await ctx.fx.admin('POST', 'clock/advance', { ms });
    expect(answer.status).toBe(200);
    return answer.body.transitions;
  };

  it('advancing moves due orders one step each, delivered to the shop that subscribed', async () => {
    const before = (await ctx.fx.admin('GET', 'clock')).body.clock;
    // Every shop has an UNPAID order (the first generated cover every status); UNPAID lasts 10 min.
    const transitions = await advance(20 * MINUTE_MS);
    expect((await ctx.fx.admin('GET', 'clock')).body.clock.advancedMs).toBe(
      before.advancedMs + 20 * MINUTE_MS,
    );
    expect(new Set(transitions.map((step) => step.shopId)).size).toBe(ctx.fx.shops.length);
    for (const step of transitions) expect(NEXT[step.from]).toContain(step.to);

    expect(await ctx.fx.emulator.settleWebhooks()).toBe(true);
    const ours = transitions.filter((step) => step.shopId === ctx.shop.id);
    expect(ctx.fx.receiver.received.map((webhook) => webhook.payload.tts_notification_id)).toEqual(
      ours.map((step) => step.notificationId),
    );
    for (const [i, webhook] of ctx.fx.receiver.received.entries()) {
      expect(webhook.isSignatureValid).toBe(true);
      expect(webhook.payload).toMatchObject({ type: 1, shop_id: ctx.shop.id });
      expect(webhook.payload.data).toEqual({
        order_id: ours[i]!.orderId,
        order_status: ours[i]!.to,
        // It has been (or is) ON_HOLD (§8); this was each order's first step here.
        is_on_hold_order: ours[i]!.to === 'ON_HOLD' || ours[i]!.from === 'ON_HOLD',
        update_time: ours[i]!.updateTime,
      });
    }

    // Search and detail show the new status and update_time: a reconciler finds them.
    const orders = await ctx.detail(ours.map((step) => step.orderId));
    expect(orders.map((order) => [order.status, order.update_time])).toEqual(
      ours.map((step) => [step.to, step.updateTime]),
    );
    const since = Math.min(...ours.map((step) => step.updateTime));
    const found = await ctx.search({ update_time_ge: since });
    expect(found.map((order) => order.id)).toEqual(
      expect.arrayContaining(ours.map((step) => step.orderId)),
    );
  });

  it('a long advance takes every moving order to COMPLETED, each step from where the last ended', async () => {
    const transitions = await advance(30 * DAY_MS);
    const lastStatus = new Map<string, string>();
    for (const step of transitions) {
      const previous = lastStatus.get(step.orderId);
      if (previous !== undefined) expect(step.from).toBe(previous);
      lastStatus.set(step.orderId, step.to);
    }
    const moving = await ctx.search({});
    expect(moving.filter((order) => NEXT[order.status])).toEqual([]);
    expect(await ctx.fx.emulator.settleWebhooks()).toBe(true);
    expect(ctx.fx.receiver.received).toHaveLength(
      transitions.filter((step) => step.shopId === ctx.shop.id).length,
    );
    console.log(
      `30-day advance: ${transitions.length} transitions over ${ctx.fx.shops.length} shops`,
    );
  });

  it('the timer knob advances the clock by itself until stopped', async () => {
    const start = (await ctx.fx.admin('GET', 'clock')).body.clock.advancedMs as number;
    const set = await ctx.fx.admin('PUT', 'clock', {
      timer: { everyMs: 20, advanceMs: MINUTE_MS },
    });
    expect(set.body.clock.timer).toEqual({ everyMs: 20, advanceMs: MINUTE_MS });
    await expect
      .poll(async () => (await ctx.fx.admin('GET', 'clock')).body.clock.advancedMs, {
        timeout: 5_000,
      })
      .toBeGreaterThan(start);
    expect((await ctx.fx.admin('PUT', 'clock', { timer: null })).body.clock.timer).toBeNull();
    const stopped = (await ctx.fx.admin('GET', 'clock')).body.clock.advancedMs;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await ctx.fx.admin('GET', 'clock')).body.clock.advancedMs).toBe(stopped);
  });

  it('refuses bad clock input with 400 and changes nothing', async () => {
    const before = (await ctx.fx.admin('GET', 'clock')).body.clock;
    for (const [method, path, body] of [
      ['POST', 'clock/advance', { ms: -1 }],
      ['POST', 'clock/advance', { ms: 'an hour' }],
      ['POST', 'clock/advance', {}],
      ['PUT', 'clock', { timer: { everyMs: 1, advanceMs: 1 } }],
      ['PUT', 'clock', { timer: { everyMs: 100 } }],
      ['PUT', 'clock', {}],
      ['POST', 'orders/1234567890123456789/advance', undefined],
    ] as const) {
      const answer = await ctx.fx.admin(method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
    }
    expect((await ctx.fx.admin('GET', 'clock')).body.clock).toEqual(before);
  });
});

describe('one order, step by step (POST /__emulator/orders/:id/advance)', () => {
  const ctx = orderFixture();

  it('one order, step by step: a new update_time each time, packages and address as it ships', async () => {
    const [unpaid] = await ctx.search({ order_status: 'UNPAID' });
    expect(unpaid).toBeDefined();
    const statuses: string[] = [];
    const updateTimes: number[] = [];
    for (;;) {
      const answer = await ctx.fx.admin('POST', `orders/${unpaid!.id}/advance`);
      if (answer.status !== 200) {
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatch(/COMPLETED: it has no next status/);
        break;
      }
      const step: OrderTransition = answer.body.transition;
      statuses.push(step.to);
      updateTimes.push(step.updateTime);
      const [order] = await ctx.detail([unpaid!.id]);
      expect(order!.status).toBe(step.to);
      if (step.to === 'AWAITING_COLLECTION') {
        expect(order!.packages).toHaveLength(1);
        expect(order!.line_items.every((item) => item.package_id === order!.packages[0]!.id)).toBe(
          true,
        );
      }
      expect(order!.line_items.every((item) => item.display_status === step.to)).toBe(true);
      expect(order!.paid_time).not.toBeNull();
      expect(order!.recipient_address === undefined).toBe(step.to === 'ON_HOLD');
    }
    expect(statuses.filter((status) => status !== 'ON_HOLD')).toEqual([
      'AWAITING_SHIPMENT',
      'AWAITING_COLLECTION',
      'IN_TRANSIT',
      'DELIVERED',
      'COMPLETED',
    ]);
    for (let i = 1; i < updateTimes.length; i += 1) {
      expect(updateTimes[i]).toBeGreaterThan(updateTimes[i - 1]!);
    }
    expect(await ctx.fx.emulator.settleWebhooks()).toBe(true);
    const held = statuses.includes('ON_HOLD');
    expect(
      ctx.fx.receiver.received.map((webhook) => webhook.payload.data.is_on_hold_order),
    ).toEqual(statuses.map(() => held));
  });
});
