// Scenario 3: shop performance + top products + recent orders + top videos in one operation — p50
// against the critical path: dependent upstream round trips × upstream latency.

import { directCallP50Ms } from '../direct-upstream.js';
import { body, DASHBOARD, lastDays } from '../operations.js';
import { type Target, UPSTREAM_LATENCY_MS } from '../stack.js';
import { roundTrips, summarize } from '../upstream-counters.js';
import { type LoadFigures, measure, mustQuery, round, type ScenarioContext } from './common.js';

export interface DashboardProbe {
  upstreamCalls: number;
  upstreamByEndpoint: Record<string, number>;
  /** Waves of upstream requests where each wave waited for the one before (see roundTrips). */
  roundTrips: number;
  latencyMs: number;
}

export interface DashboardTargetResult {
  /** The first operation (nothing cached) and the next one (steady state). */
  cold: DashboardProbe;
  warm: DashboardProbe;
  /** warm.roundTrips × upstream latency (25 ms): what the operation cannot beat. */
  criticalPathMs: number;
  /**
   * p50 of the steady state's upstream call (Order Search, 10 orders) sent straight to the
   * emulator by the load generator: the nominal 25 ms plus the emulator's own work and HTTP.
   */
  directUpstreamP50Ms: number | null;
  figures: LoadFigures;
  /** Goal ≤ 1.05. */
  p50ToCriticalPath: number;
  /** p50 ÷ (warm.roundTrips × directUpstreamP50Ms): the gateway's own share of the wait. */
  p50ToMeasuredPath: number | null;
}

export interface DashboardResult {
  range: { start: string; end: string };
  connections: number;
  upstreamLatencyMs: number;
  gateway: DashboardTargetResult;
  naive: DashboardTargetResult;
  ratios: { naiveP50ToGateway: number };
}

async function probe(target: Target, variables: Record<string, unknown>): Promise<DashboardProbe> {
  const admin = target.upstream?.admin;
  if (!admin) throw new Error(`${target.name} has no upstream`);
  // A long quiet spell: the previous load's slow stragglers must not count as this probe's.
  await admin.waitUntilQuiet(1_000, 20_000);
  await admin.reset();
  const { elapsedMs } = await mustQuery(target, DASHBOARD, variables);
  await admin.waitUntilQuiet(200, 15_000);
  const entries = await admin.requests();
  const upstream = summarize(entries);
  return {
    upstreamCalls: upstream.total,
    upstreamByEndpoint: upstream.byEndpoint,
    roundTrips: roundTrips(entries),
    latencyMs: round(elapsedMs, 2),
  };
}

export async function runDashboard(context: ScenarioContext): Promise<DashboardResult> {
  const { stack, settings, log } = context;
  const [gateway, naive] = await Promise.all([
    stack.gateway('gateway', 'latency'),
    stack.gateway('naive', 'latency'),
  ]);
  const range = lastDays(30);
  const variables = { range };
  const mix = [{ name: 'dashboard', body: body(DASHBOARD, variables) }];

  const run = async (target: Target): Promise<DashboardTargetResult> => {
    const cold = await probe(target, variables);
    const warm = await probe(target, variables);
    const criticalPathMs = warm.roundTrips * UPSTREAM_LATENCY_MS;
    const directUpstreamP50Ms =
      target.upstream && warm.roundTrips === 1 && warm.upstreamByEndpoint['order.search'] === 1
        ? round(
            await directCallP50Ms(target.upstream, {
              method: 'POST',
              path: '/order/202309/orders/search',
              query: { page_size: '10' },
              body: '{}',
            }),
            2,
          )
        : null;
    const { figures } = await measure(target, {
      mix,
      connections: settings.dashboardConnections,
      durationSeconds: settings.measureSeconds,
      warmupSeconds: settings.warmupSeconds,
    });
    const p50ToCriticalPath = criticalPathMs > 0 ? round(figures.p50Ms / criticalPathMs, 3) : 0;
    log(
      `  dashboard ${target.name.padEnd(12)} p50 ${figures.p50Ms.toFixed(1)} ms  p99 ` +
        `${figures.p99Ms.toFixed(1)} ms  critical path ${warm.roundTrips} × ${UPSTREAM_LATENCY_MS}` +
        ` ms (cold ${cold.roundTrips} round trips, ${cold.upstreamCalls} calls)` +
        (directUpstreamP50Ms === null ? '' : `  direct upstream p50 ${directUpstreamP50Ms} ms`) +
        '  upstream ' +
        `${figures.upstreamCallsPerOperation}/op  failed ${figures.failed}`,
    );
    const p50ToMeasuredPath =
      directUpstreamP50Ms === null
        ? null
        : round(figures.p50Ms / (warm.roundTrips * directUpstreamP50Ms), 3);
    return {
      cold,
      warm,
      criticalPathMs,
      directUpstreamP50Ms,
      figures,
      p50ToCriticalPath,
      p50ToMeasuredPath,
    };
  };
  const gatewayResult = await run(gateway);
  context.recordRss('3 dashboard', gateway);
  const naiveResult = await run(naive);
  return {
    range,
    connections: settings.dashboardConnections,
    upstreamLatencyMs: UPSTREAM_LATENCY_MS,
    gateway: gatewayResult,
    naive: naiveResult,
    ratios: {
      naiveP50ToGateway:
        gatewayResult.figures.p50Ms > 0
          ? round(naiveResult.figures.p50Ms / gatewayResult.figures.p50Ms, 3)
          : Number.NaN,
    },
  };
}
