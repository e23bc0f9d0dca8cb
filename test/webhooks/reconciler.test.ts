// The reconciler for missed deliveries (issue 13, item 5) over real HTTP: the gateway against the
// emulator, whose webhooks reach the gateway's receiver on a loopback port unless the drop knob
// loses them. Changes come from the emulator's own state (orders moved along their lifecycle, a
// product edited as in Seller Center); what the reconciler did is read from its runs, the bus and
// the emulator's request log.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import type { OrderTransition, WebhookDelivery } from '../../src/emulator/types.js';
import type { ShopRun } from '../../src/webhooks/reconciler.js';
import type { TikTokEvent } from '../../src/webhooks/tiktok-event.js';
import { type Json, startTestGateway, type TestGatewayOptions } from '../helpers/gateway.js';
import { parseMetrics, sumBy, sumOf } from '../observability/helpers/prometheus.js';
import {
  reconcilerOf,
  reconcilerSearches,
  runsAfter,
  serveWebhooks,
  subscribeReceiver,
} from './helpers.js';

const INTERVAL_MS = 300;
const PRODUCT = 'query ($id: ID!, $shopId: ID) { product(id: $id, shopId: $shopId) { id title } }';
const PRODUCT_IDS =
  'query ($shopId: ID) { products(first: 1, shopId: $shopId) { edges { node { id } } } }';
const ORDERS = 'query ($shopId: ID) { orders(first: 1, shopId: $shopId) { totalCount } }';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway reconciling every 300 ms, its receiver served and subscribed in the emulator. */
async function startReconciling(options: TestGatewayOptions = {}) {
  const t = await startTestGateway({
    ...options,
    env: { RECONCILE_INTERVAL_MS: String(INTERVAL_MS), ...options.env },
    faults: { webhookRetryScale: 0.001, ...options.faults },
  });
  cleanups.push(() => t.close());
  const target = await serveWebhooks(t.app);
  cleanups.push(() => target.close());
  await subscribeReceiver(t.app, target.port);
  const shopIds = t.seller.shops.map((shop) => shop.id);
  const shopId = shopIds[0] ?? '';
  const listed = await t.executeText<Json>(PRODUCT_IDS, { shopId });
  const productId: string = listed.body.data?.products.edges[0]?.node.id;
  return { t, target, shopIds, shopId, productId };
}

/** Orders of the seller's shops moved one step (10 minutes on the lifecycle clock). */
function advanceOrders(t: Awaited<ReturnType<typeof startReconciling>>['t']): OrderTransition[] {
  const shopIds = new Set(t.seller.shops.map((shop) => shop.id));
  const moved = t.emulator.advanceClock(10 * 60_000).filter((step) => shopIds.has(step.shopId));
  expect(moved.length).toBeGreaterThan(0);
  return moved;
}

/** The update_time a delivery's body carries (the edited product's new one). */
const updateTimeOf = (delivery: WebhookDelivery | undefined): number =>
  JSON.parse(delivery?.body ?? '{}').data?.update_time;

const reconciled = (events: TikTokEvent[]) =>
  events.filter((event) => event.source === 'reconciler');
/** `order:<id>@<update_time>` / `product:<id>@<update_time>`: one change. */
const changeOf = (event: TikTokEvent) =>
  event.data.order_id === undefined
    ? `product:${String(event.data.product_id)}@${event.updateTime}`
    : `order:${String(event.data.order_id)}@${event.updateTime}`;

/**
 * The runs of `shopId` that may have seen changes made at `changedAtMs`: the one under way then
 * (if it searched after them) and the next; and every later one.
 */
function runsAround(app: App, shopId: string, changedAtMs: number) {
  const ofShop = reconcilerOf(app)
    .recentRuns()
    .filter((run) => run.shopId === shopId && run.outcome === 'ran');
  const next = ofShop.findIndex((run) => run.startedAtMs > changedAtMs);
  const [underWay, following, ...later] = ofShop.slice(Math.max(0, next - 1));
  return { first: [underWay, following].filter((run) => run !== undefined), later };
}

const totalOf = (runs: ShopRun[], field: 'calls' | 'changes' | 'events') =>
  runs.reduce((sum, run) => sum + run[field], 0);

describe('the reconciler', () => {
  it('finds what dropped webhooks never said, within one interval, publishes it once and evicts', async () => {
    const { t, target, shopIds, shopId, productId } = await startReconciling({
      faults: { webhookDropRate: 1 },
    });
    const readProduct = async () =>
      (await t.executeText<Json>(PRODUCT, { id: productId, shopId })).body.data?.product;
    await readProduct();
    const changedAtMs = Date.now();
    const moved = advanceOrders(t);
    t.emulator.editProduct(productId, { title: 'Renamed in Seller Center' });
    await t.emulator.settleWebhooks();
    const sent = t.emulator.webhookDeliveries(changedAtMs - 1);
    expect(sent.length).toBeGreaterThan(moved.length);
    expect(sent.every((delivery) => delivery.outcome === 'dropped')).toBe(true);

    await runsAfter([t.app], shopIds, changedAtMs, 3);
    await target.settled();
    const expected = [
      ...moved.map((step) => `order:${step.orderId}@${step.updateTime}`),
      `product:${productId}@${updateTimeOf(sent.find((delivery) => delivery.type === 15))}`,
    ].sort();
    const events = reconciled(target.events);
    // Each change once, after three runs that all saw it.
    expect(events.map(changeOf).sort()).toEqual(expected);
    expect(target.events.length).toBe(events.length);
    // Within one interval: the run under way when the changes were made, or else the next one,
    // published them all; the later runs found them again and published nothing.
    for (const id of shopIds) {
      const { first, later } = runsAround(t.app, id, changedAtMs);
      const inShop = moved.filter((step) => step.shopId === id).length + (id === shopId ? 1 : 0);
      expect(totalOf(first, 'events')).toBe(inShop);
      expect(later.map((run) => [run.changes, run.events])).toEqual(later.map(() => [inShop, 0]));
    }
    // What a webhook would have said: the order's new status, the edited product.
    for (const step of moved) {
      const event = events.find((candidate) => candidate.data.order_id === step.orderId);
      expect(event).toMatchObject({
        type: 1,
        shopId: step.shopId,
        data: { order_status: step.to },
        notificationId: `reconciled:1:${step.orderId}:${step.updateTime}`,
      });
    }
    expect(events.find((event) => event.data.product_id === productId)).toMatchObject({
      type: 15,
      shopId,
    });
    // And the product's cached detail was evicted: the next read goes upstream, renamed.
    t.resetCalls();
    expect((await readProduct())?.title).toBe('Renamed in Seller Center');
    expect(t.calls()['product.detail']).toBe(1);

    // /metrics says the same as the reconciler's own counts, once it has stopped.
    const reconciler = reconcilerOf(t.app);
    await reconciler.close();
    const samples = parseMetrics(await (await t.gateway.fetch('http://127.0.0.1/metrics')).text());
    const totals = reconciler.counts();
    expect(sumBy(samples, 'tiktok_reconciler_total', 'kind')).toEqual({
      calls: totals.calls,
      changes: totals.changes,
      events: totals.events,
    });
    expect(totals.events).toBe(events.length);
    expect(sumOf(samples, 'tiktok_reconciler_runs_total', { outcome: 'ran' })).toBe(
      reconciler.recentRuns().filter((run) => run.outcome === 'ran').length,
    );
    expect(sumOf(samples, 'tiktok_rate_limit_idle_slots_total', { outcome: 'granted' })).toBe(
      totals.calls,
    );
  });

  it('with deliveries working, publishes nothing a webhook already reported', async () => {
    const { t, target, shopIds, productId } = await startReconciling();
    const changedAtMs = Date.now();
    const moved = advanceOrders(t);
    t.emulator.editProduct(productId, { title: 'Edited with webhooks on' });
    expect(await t.emulator.settleWebhooks()).toBe(true);
    const sent = t.emulator.webhookDeliveries(changedAtMs - 1);
    expect(sent.every((delivery) => delivery.outcome === 'delivered')).toBe(true);
    await target.settled();

    const runs = await runsAfter([t.app], shopIds, changedAtMs, 3);
    await target.settled();
    const changes = target.events
      .filter((event) => event.type === 1 || event.type === 15)
      .map(changeOf);
    // Every change on the bus exactly once, whether its webhook or the reconciler told it.
    expect(changes.length).toBe(new Set(changes).size);
    for (const step of moved) expect(changes).toContain(`order:${step.orderId}@${step.updateTime}`);
    // The runs found every change and published none of those already delivered.
    const found = runs.reduce((sum, run) => sum + run.changes, 0);
    expect(found).toBeGreaterThanOrEqual(3 * (moved.length + 1));
    console.info(
      `reconciler with deliveries on: ${moved.length + 1} changes, found ${found} times in ` +
        `${runs.length} runs; published by the reconciler ${reconciled(target.events).length} ` +
        '(only a run between a change and its delivery can), by webhooks the rest',
    );
  });

  it('takes only idle slots: a caller that keeps the bucket busy never waits behind it', async () => {
    const { t, target, shopIds } = await startReconciling({
      faults: { webhookDropRate: 1 },
      // A realistic budget: 10 requests/s, bursts of 5, so callers in a loop saturate it; one
      // pass a second, so the load can begin on full buckets between two.
      env: {
        TIKTOK_SHOP_RATE_LIMIT: '10',
        TIKTOK_SHOP_RATE_BURST: '5',
        RECONCILE_INTERVAL_MS: '1000',
      },
    });
    const moved = advanceOrders(t);
    // Half an interval after a pass: its slots are refilled (2 per shop, 200 ms), the next
    // pass is half an interval away.
    await runsAfter([t.app], shopIds, Date.now(), 1);
    await sleep(500);
    const loadStartMs = Date.now();
    const before = t.app.rateLimiter.backgroundCounts();
    let isLoading = true;
    const caller = async (onShop: string) => {
      while (isLoading) {
        const reply = await t.executeText<Json>(ORDERS, { shopId: onShop });
        expect(reply.body.errors).toBeUndefined();
      }
    };
    /** The callers' order searches upstream since the load began (the reconciler's are filtered). */
    const callerSearches = () =>
      t.emulator
        .requests()
        .filter((entry) => entry.at > loadStartMs && entry.endpoint === 'order.search')
        .filter((entry) => !(entry.received?.body ?? '').includes('update_time_ge'));
    // Four callers in a loop on each shop: every shop's bucket stays in use, for 3 s of budget.
    const callers = shopIds.flatMap((onShop) => Array.from({ length: 4 }, () => caller(onShop)));
    await vi.waitFor(() => expect(callerSearches().length).toBeGreaterThanOrEqual(60), {
      timeout: 15_000,
      interval: 50,
    });
    isLoading = false;
    await Promise.all(callers);
    const loadEndMs = Date.now();
    const during = t.app.rateLimiter.backgroundCounts();

    // Nothing of the reconciler went upstream while callers used the bucket, and no caller
    // waited for a slot it had taken.
    expect(reconcilerSearches(t.emulator, loadStartMs).filter((r) => r.at < loadEndMs)).toEqual([]);
    expect(during.granted).toBe(before.granted);
    expect(during.refused).toBeGreaterThan(before.refused);
    expect(during.callersDelayed).toBe(0);
    // Once the callers stopped, the run went on and published what the webhooks lost.
    await runsAfter([t.app], shopIds, loadStartMs, 1);
    await target.settled();
    const published = reconciled(target.events).map((event) => event.data.order_id);
    for (const step of moved) expect(published).toContain(step.orderId);
    console.info(
      `caller load: ${callerSearches().length} caller searches upstream in ` +
        `${loadEndMs - loadStartMs} ms, reconciler ` +
        `refused ${during.refused - before.refused} idle slots, granted ` +
        `${during.granted - before.granted}, callers delayed ${during.callersDelayed}`,
    );
  });

  it('pages through every change: upstream calls per run and shop, idle and after a busy week', async () => {
    const { t, target, shopIds } = await startReconciling({
      scale: 0.2,
      faults: { webhookDropRate: 1 },
    });
    const idle = await runsAfter([t.app], shopIds, Date.now(), 3);
    expect(idle.map((run) => [run.calls, run.changes])).toEqual(idle.map(() => [2, 0]));
    const changedAtMs = Date.now();
    const sellerShops = new Set(shopIds);
    const moved = t.emulator
      .advanceClock(7 * 86_400_000)
      .filter((step) => sellerShops.has(step.shopId));
    await runsAfter([t.app], shopIds, changedAtMs, 2);
    await target.settled();
    const figures: string[] = [];
    for (const id of shopIds) {
      const orders = new Set(
        moved.filter((step) => step.shopId === id).map((step) => step.orderId),
      );
      expect(orders.size).toBeGreaterThan(100);
      const { first } = runsAround(t.app, id, changedAtMs);
      const publishing = first.find((run) => run.events > 0);
      // Every order once (its latest step), on ⌈orders / 100⌉ order pages and one product page.
      expect(publishing?.events).toBe(orders.size);
      expect(totalOf(first, 'events')).toBe(orders.size);
      expect(publishing?.calls).toBe(Math.ceil(orders.size / 100) + 1);
      figures.push(`shop ${id}: ${orders.size} orders changed → ${publishing?.calls} calls`);
    }
    expect(reconciled(target.events).length).toBe(new Set(moved.map((step) => step.orderId)).size);
    console.info(
      `reconciler upstream calls per run per shop: idle ${idle[0]?.calls} (one order search, ` +
        `one product search); after advancing 7 days at scale 0.2: ${figures.join('; ')}`,
    );
  });

  it('RECONCILE_INTERVAL_MS=0: no reconciler and no search', async () => {
    const t = await startTestGateway({
      env: { RECONCILE_INTERVAL_MS: '0' },
      faults: { webhookDropRate: 1 },
    });
    cleanups.push(() => t.close());
    expect(t.app.liveUpdates.reconciler).toBeUndefined();
    t.resetCalls();
    advanceOrders(t);
    await sleep(5 * INTERVAL_MS);
    expect(reconcilerSearches(t.emulator)).toEqual([]);
    expect(t.totalCalls()).toBe(0);
  });

  it('stops on the drain: no run begins after it', async () => {
    const { t, shopIds } = await startReconciling();
    await runsAfter([t.app], shopIds, Date.now(), 1);
    t.app.drain.begin();
    const drainedAtMs = Date.now();
    // A search already sent when the drain began may still be answered meanwhile.
    await sleep(INTERVAL_MS);
    const searches = reconcilerSearches(t.emulator).length;
    await sleep(5 * INTERVAL_MS);
    expect(reconcilerSearches(t.emulator).length).toBe(searches);
    const late = reconcilerOf(t.app)
      .recentRuns()
      .filter((run) => run.startedAtMs > drainedAtMs);
    expect(late).toEqual([]);
  });
});
