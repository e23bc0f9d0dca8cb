// Scenario 2: 50 orders with `lineItems { product { title skus { inventory { warehouses } } } }` —
// upstream calls per operation next to the minimum the batch limits allow (§6), the latency of one
// page alone, cold and warm, against 2 round trips × upstream latency (issue 14), and p50/p99
// under load.
import { body, ORDERS_PAGE } from '../operations.js';
import { type Target, UPSTREAM_LATENCY_MS } from '../stack.js';
import { summarize } from '../upstream-counters.js';
import { type LoadFigures, measure, mustQuery, round, type ScenarioContext } from './common.js';
import { type LatencyProbe, probeLatency } from './latency-probe.js';
import { orderPageProducts } from './working-set.js';

/** §6.3: product ids per Inventory Search. */
const INVENTORY_SEARCH_MAX_PRODUCT_IDS = 100;
const PAGE_SIZE = 50;
/**
 * What the page cannot beat: the Order Search, then everything it names (product details, the
 * Inventory Search by the line items' product ids, the warehouse list) at once.
 */
const GOAL_ROUND_TRIPS = 2;

export interface ColdProbe {
  /** Upstream calls of one operation on a cache that has never seen these products. */
  upstreamCalls: number;
  upstreamByEndpoint: Record<string, number>;
  latencyMs: number;
}

export interface OrdersPageResult {
  orders: number;
  lineItems: number;
  distinctProducts: number;
  /**
   * 1 Order Search (full orders, §6.6) + 1 Get Product per distinct product (no batch endpoint,
   * §6.2) + ⌈distinct products / 100⌉ Inventory Searches (§6.3) + 1 Get Warehouses.
   */
  theoreticalMinimum: {
    total: number;
    orderSearch: number;
    productDetail: number;
    inventorySearch: number;
    warehouses: number;
  };
  /**
   * One page at a time. Cold: a gateway with the shared cache off, so every run reads products
   * and warehouses afresh (DataLoader batching on); warm: the gateway after one page cached them.
   * Absent from results written before issue 14.
   */
  latency?: {
    goalRoundTrips: number;
    /** goalRoundTrips × the emulator's nominal latency (25 ms). */
    pathMs: number;
    cold: LatencyProbe;
    warm: LatencyProbe;
    /** Goal ≤ 1.1 each. */
    coldToPath: number;
    warmToPath: number;
  };
  connections: number;
  cold: { gateway: ColdProbe; naive: ColdProbe; apolloPeer: ColdProbe };
  /** Steady state under load (caches warm). */
  gateway: LoadFigures;
  naive: LoadFigures;
  apolloPeer: LoadFigures;
  ratios: {
    /** Goal 1: the gateway's cold calls equal the minimum. */
    gatewayColdCallsToMinimum: number;
    naiveP50ToGateway: number;
    apolloPeerP50ToGateway: number;
  };
}

async function coldProbe(target: Target): Promise<ColdProbe> {
  const admin = target.upstream?.admin;
  if (!admin) throw new Error(`${target.name} has no upstream`);
  // A long quiet spell: the previous load's slow stragglers must not count as this probe's.
  await admin.waitUntilQuiet(1_000, 20_000);
  await admin.reset();
  const { elapsedMs } = await mustQuery(target, ORDERS_PAGE, { first: PAGE_SIZE });
  await admin.waitUntilQuiet(200, 15_000);
  const upstream = summarize(await admin.requests());
  return {
    upstreamCalls: upstream.total,
    upstreamByEndpoint: upstream.byEndpoint,
    latencyMs: round(elapsedMs, 2),
  };
}

export async function runOrdersPage(context: ScenarioContext): Promise<OrdersPageResult> {
  const { stack, settings, log } = context;
  const [gateway, uncached, naive, apolloPeer] = await Promise.all([
    stack.gateway('gateway', 'latency'),
    stack.gatewayVariant('uncached', 'latency', { CACHE_ENABLED: 'false' }),
    stack.gateway('naive', 'latency'),
    stack.apolloPeer(),
  ]);
  // Order Search only (no product fields), which also loads the authorised shops first.
  const page = await orderPageProducts(gateway, PAGE_SIZE);
  const distinct = page.productIds.length;
  const minimum = {
    orderSearch: 1,
    productDetail: distinct,
    inventorySearch: Math.ceil(distinct / INVENTORY_SEARCH_MAX_PRODUCT_IDS),
    warehouses: 1,
  };
  const theoreticalMinimum = {
    total:
      minimum.orderSearch + minimum.productDetail + minimum.inventorySearch + minimum.warehouses,
    ...minimum,
  };
  const cold = {
    gateway: await coldProbe(gateway),
    naive: await coldProbe(naive),
    apolloPeer: await coldProbe(apolloPeer),
  };
  log(
    `  orders    ${page.orders} orders, ${page.lineItems} line items, ${distinct} products:` +
      ` minimum ${theoreticalMinimum.total} calls; cold gateway ${cold.gateway.upstreamCalls},` +
      ` naive ${cold.naive.upstreamCalls}, Apollo peer ${cold.apolloPeer.upstreamCalls}`,
  );

  const variables = { first: PAGE_SIZE };
  const pathMs = GOAL_ROUND_TRIPS * UPSTREAM_LATENCY_MS;
  const coldLatency = await probeLatency(uncached, ORDERS_PAGE, variables, settings.latencySamples);
  // The cold probe above warmed `gateway` (the first page cached products and warehouses).
  const warmLatency = await probeLatency(gateway, ORDERS_PAGE, variables, settings.latencySamples);
  const latency = {
    goalRoundTrips: GOAL_ROUND_TRIPS,
    pathMs,
    cold: coldLatency,
    warm: warmLatency,
    coldToPath: round(coldLatency.p50Ms / pathMs, 3),
    warmToPath: round(warmLatency.p50Ms / pathMs, 3),
  };
  for (const [name, probe] of [
    ['cold', coldLatency],
    ['warm', warmLatency],
  ] as const) {
    log(
      `  orders    one page ${name}: p50 ${probe.p50Ms} ms over ${probe.samples} runs, ` +
        `${probe.roundTrips} round trips, ${probe.upstreamCalls} calls; ÷ ${GOAL_ROUND_TRIPS} × ` +
        `${UPSTREAM_LATENCY_MS} ms = ${(probe.p50Ms / pathMs).toFixed(2)}× (goal ≤ 1.10×)`,
    );
  }

  const mix = [{ name: 'orders', body: body(ORDERS_PAGE, variables) }];
  const run = async (target: Target) => {
    const { figures } = await measure(target, {
      mix,
      connections: settings.ordersConnections,
      durationSeconds: settings.measureSeconds,
      warmupSeconds: settings.warmupSeconds,
    });
    log(
      `  orders    ${target.name.padEnd(12)} p50 ${figures.p50Ms.toFixed(1)} ms  p99 ` +
        `${figures.p99Ms.toFixed(1)} ms  ${figures.requestsPerSecond.toFixed(1)} req/s  upstream ` +
        `${figures.upstreamCallsPerOperation}/op  failed ${figures.failed}`,
    );
    return figures;
  };
  const gatewayFigures = await run(gateway);
  context.recordRss('2 orders page', gateway);
  const apolloFigures = await run(apolloPeer);
  const naiveFigures = await run(naive);
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : Number.NaN);
  return {
    orders: page.orders,
    lineItems: page.lineItems,
    distinctProducts: distinct,
    theoreticalMinimum,
    latency,
    connections: settings.ordersConnections,
    cold,
    gateway: gatewayFigures,
    naive: naiveFigures,
    apolloPeer: apolloFigures,
    ratios: {
      gatewayColdCallsToMinimum: ratio(cold.gateway.upstreamCalls, theoreticalMinimum.total),
      naiveP50ToGateway: ratio(naiveFigures.p50Ms, gatewayFigures.p50Ms),
      apolloPeerP50ToGateway: ratio(apolloFigures.p50Ms, gatewayFigures.p50Ms),
    },
  };
}
