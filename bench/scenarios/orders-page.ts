// Scenario 2: 50 orders with `lineItems { product { title skus { inventory } } }` — p50/p99 and
// upstream calls per operation next to the minimum the batch limits allow (§6).
import { body, ORDERS_PAGE } from '../operations.js';
import type { Target } from '../stack.js';
import { summarize } from '../upstream-counters.js';
import { type LoadFigures, measure, mustQuery, round, type ScenarioContext } from './common.js';
import { orderPageProducts } from './working-set.js';

/** §6.3: product ids per Inventory Search. */
const INVENTORY_SEARCH_MAX_PRODUCT_IDS = 100;
const PAGE_SIZE = 50;

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
   * §6.2) + ⌈distinct products / 100⌉ Inventory Searches (§6.3).
   */
  theoreticalMinimum: {
    total: number;
    orderSearch: number;
    productDetail: number;
    inventorySearch: number;
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
  const [gateway, naive, apolloPeer] = await Promise.all([
    stack.gateway('gateway', 'latency'),
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
  };
  const theoreticalMinimum = {
    total: minimum.orderSearch + minimum.productDetail + minimum.inventorySearch,
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

  const mix = [{ name: 'orders', body: body(ORDERS_PAGE, { first: PAGE_SIZE }) }];
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
