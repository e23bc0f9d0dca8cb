// Scenario 1: `product(id)` over a working set that fits the cache — req/s, p50, p99 — against the
// bare Yoga ceiling (a), the naive gateway (b) and the Apollo peer (c).
import { body, HELLO, HOT_READ } from '../operations.js';
import type { Target } from '../stack.js';
import { type LoadFigures, measure, mustQuery, round, type ScenarioContext } from './common.js';
import { activeProductIds, orderPageProducts } from './working-set.js';

export interface HotReadResult {
  workingSetProducts: number;
  connections: number;
  gateway: LoadFigures;
  naive: LoadFigures;
  bareYoga: LoadFigures;
  apolloPeer: LoadFigures;
  ratios: {
    /** Goal ≥ 0.8. */
    gatewayToBareYoga: number;
    /** Goal ≥ 2. */
    gatewayToApolloPeer: number;
    gatewayToNaive: number;
  };
}

export async function runHotRead(context: ScenarioContext): Promise<HotReadResult> {
  const { stack, settings, log } = context;
  const [gateway, naive, bareYoga, apolloPeer] = await Promise.all([
    stack.gateway('gateway', 'latency'),
    stack.gateway('naive', 'latency'),
    stack.bareYoga(),
    stack.apolloPeer(),
  ]);
  // Keep scenario 2's products out of the working set, so its cold count stays cold.
  const orderProducts = new Set((await orderPageProducts(gateway, 50)).productIds);
  const ids = await activeProductIds(gateway, settings.hotReadProducts, orderProducts);
  const mix = ids.map((id) => ({ name: 'product', body: body(HOT_READ, { id }) }));

  const run = async (target: Target, targetMix = mix) => {
    // Fill whatever cache the target has before the warm-up load.
    if (targetMix === mix) for (const id of ids) await mustQuery(target, HOT_READ, { id });
    const { figures } = await measure(target, {
      mix: targetMix,
      connections: settings.hotReadConnections,
      durationSeconds: settings.measureSeconds,
      warmupSeconds: settings.warmupSeconds,
    });
    log(
      `  hot read  ${target.name.padEnd(12)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} req/s` +
        `  p50 ${figures.p50Ms.toFixed(2)} ms  p99 ${figures.p99Ms.toFixed(2)} ms` +
        `  upstream ${figures.upstreamCallsPerOperation}/op  failed ${figures.failed}`,
    );
    return figures;
  };

  const gatewayFigures = await run(gateway);
  context.recordRss('1 hot read', gateway);
  const bareYogaFigures = await run(bareYoga, [{ name: 'hello', body: body(HELLO) }]);
  const apolloFigures = await run(apolloPeer);
  const naiveFigures = await run(naive);
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : Number.NaN);
  return {
    workingSetProducts: ids.length,
    connections: settings.hotReadConnections,
    gateway: gatewayFigures,
    naive: naiveFigures,
    bareYoga: bareYogaFigures,
    apolloPeer: apolloFigures,
    ratios: {
      gatewayToBareYoga: ratio(gatewayFigures.requestsPerSecond, bareYogaFigures.requestsPerSecond),
      gatewayToApolloPeer: ratio(gatewayFigures.requestsPerSecond, apolloFigures.requestsPerSecond),
      gatewayToNaive: ratio(gatewayFigures.requestsPerSecond, naiveFigures.requestsPerSecond),
    },
  };
}
