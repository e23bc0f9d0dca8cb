// Scenario 4: 200 GraphQL req/s of a browsing mix for 30 s over an upstream budget of 10 req/s per
// shop (gateway limiter and emulator alike) — upstream 429s, failed operations, p99, cache hit rate.
import type { MixEntry } from '../load.js';
import {
  body,
  HOT_READ,
  lastDays,
  PRODUCT_LIST,
  SHOP_PERFORMANCE,
  TOP_PRODUCTS,
  TOP_VIDEOS,
  WAREHOUSES,
} from '../operations.js';
import { BUDGET_REQUESTS_PER_SECOND, type Target } from '../stack.js';
import {
  inParallel,
  type LoadFigures,
  measure,
  mustQuery,
  round,
  type ScenarioContext,
} from './common.js';
import { activeProductIds } from './working-set.js';

/** Endpoints whose answers the gateway keeps in its shared cache (docs/graphql.md). */
const CACHED_ENDPOINT = /^(product\.detail|analytics\.|logistics\.warehouses|authorization\.shops)/;

export interface BrowseEntry extends MixEntry {
  /**
   * Reads of shared-cache data one operation makes: product details, analytics, warehouses. (The
   * authorised shops come from the token store, not from upstream, so they are not counted.)
   */
  cachedReads: number;
}

export interface BudgetFigures extends LoadFigures {
  /**
   * Requests the load generator could not send in the window: each connection waits for its
   * answer, so a server slower than connections ÷ rate falls behind the offered rate.
   */
  unsent: number;
  /** Upstream calls ÷ the longer of the window and the time they took to drain. */
  upstreamCallsPerSecond: number;
  /** 1 − upstream calls to cached endpoints ÷ cacheable reads (in-flight sharing counts as a hit). */
  cacheHitRate: number;
}

export interface UpstreamLimitResult {
  ratePerSecond: number;
  seconds: number;
  budgetPerSecond: number;
  workingSetProducts: number;
  mix: Array<{ name: string; weight: number }>;
  gateway: BudgetFigures;
  naive: BudgetFigures;
}

/** The browsing mix: product pages of a working set, the product list and analytics views. */
export function browsingMix(productIds: string[]): BrowseEntry[] {
  const range = lastDays(30);
  const perProduct = 50 / productIds.length;
  return [
    ...productIds.map((id) => ({
      name: 'product',
      body: body(HOT_READ, { id }),
      weight: perProduct,
      cachedReads: 1,
    })),
    { name: 'product list', body: body(PRODUCT_LIST), weight: 15, cachedReads: 0 },
    {
      name: 'shop performance',
      body: body(SHOP_PERFORMANCE, { range }),
      weight: 10,
      cachedReads: 1,
    },
    { name: 'top products', body: body(TOP_PRODUCTS, { range }), weight: 10, cachedReads: 11 },
    { name: 'top videos', body: body(TOP_VIDEOS, { range }), weight: 10, cachedReads: 1 },
    { name: 'warehouses', body: body(WAREHOUSES), weight: 5, cachedReads: 1 },
  ];
}

export function mixWeights(mix: BrowseEntry[]): Array<{ name: string; weight: number }> {
  const weights = new Map<string, number>();
  for (const entry of mix) {
    weights.set(entry.name, round((weights.get(entry.name) ?? 0) + (entry.weight ?? 1), 2));
  }
  return [...weights].map(([name, weight]) => ({ name, weight }));
}

/** Sends every distinct operation of the mix once, a few at a time (the limiter paces them). */
export async function prime(target: Target, mix: BrowseEntry[]): Promise<void> {
  await inParallel(mix, 5, async (entry) => {
    const { query, variables } = JSON.parse(entry.body) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    await mustQuery(target, query, variables);
  });
}

export function cacheHitRate(
  mix: BrowseEntry[],
  byOperation: Record<string, number>,
  byEndpoint: Record<string, number>,
): number {
  const readsPerName = new Map(mix.map((entry) => [entry.name, entry.cachedReads]));
  let reads = 0;
  for (const [name, count] of Object.entries(byOperation)) {
    reads += count * (readsPerName.get(name) ?? 0);
  }
  let misses = 0;
  for (const [endpoint, count] of Object.entries(byEndpoint)) {
    if (CACHED_ENDPOINT.test(endpoint)) misses += count;
  }
  return reads > 0 ? round(Math.max(0, 1 - misses / reads), 4) : 0;
}

export async function runUpstreamLimit(context: ScenarioContext): Promise<UpstreamLimitResult> {
  const { stack, settings, log } = context;
  const gateway = await stack.gateway('gateway', 'budget');
  const ids = await activeProductIds(gateway, settings.browseProducts);
  const mix = browsingMix(ids);

  const run = async (target: Target): Promise<BudgetFigures> => {
    if (target.name === 'gateway') await prime(target, mix);
    const { load, upstream, figures } = await measure(target, {
      mix,
      // One connection per request a second keeps the offered rate up while answers take ≤ 1 s.
      connections: settings.budgetRatePerSecond,
      durationSeconds: settings.budgetSeconds,
      warmupSeconds: settings.warmupSeconds,
      ratePerSecond: settings.budgetRatePerSecond,
    });
    const result: BudgetFigures = {
      ...figures,
      unsent: Math.max(0, settings.budgetRatePerSecond * settings.budgetSeconds - figures.sent),
      upstreamCallsPerSecond: round(
        figures.upstreamCalls / Math.max(settings.budgetSeconds, upstream?.spanSeconds ?? 0),
        2,
      ),
      cacheHitRate: cacheHitRate(mix, load.byOperation, figures.upstreamByEndpoint),
    };
    log(
      `  budget    ${target.name.padEnd(12)} ${result.requestsPerSecond.toFixed(0)} req/s  p50 ` +
        `${result.p50Ms.toFixed(1)} ms  p99 ${result.p99Ms.toFixed(1)} ms  failed ${result.failed}` +
        `  upstream ${result.upstreamCallsPerSecond}/s, 429s ${result.upstreamThrottled}` +
        `  cache hit rate ${(result.cacheHitRate * 100).toFixed(1)} %`,
    );
    return result;
  };

  const gatewayFigures = await run(gateway);
  context.recordRss('4 under the upstream limit', gateway);
  const naive = await stack.gateway('naive', 'budget');
  const naiveFigures = await run(naive);
  return {
    ratePerSecond: settings.budgetRatePerSecond,
    seconds: settings.budgetSeconds,
    budgetPerSecond: BUDGET_REQUESTS_PER_SECOND,
    workingSetProducts: ids.length,
    mix: mixWeights(mix),
    gateway: gatewayFigures,
    naive: naiveFigures,
  };
}
