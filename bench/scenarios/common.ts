// What every scenario shares: the run's settings, a warm-up-then-measure step that also counts
// upstream calls, and the figures it returns.
import { type LoadResult, type MixEntry, postGraphQL, runLoad } from '../load.js';
import type { Stack, Target } from '../stack.js';
import { summarize, type UpstreamSummary } from '../upstream-counters.js';

export interface BenchSettings {
  isSmoke: boolean;
  /** Load before each measurement, discarded, s. */
  warmupSeconds: number;
  /** Measurement window of scenarios 1–3, s. */
  measureSeconds: number;
  /** Scenario 4: window, s (the issue: 30) and GraphQL rate, req/s (the issue: 200). */
  budgetSeconds: number;
  budgetRatePerSecond: number;
  hotReadConnections: number;
  ordersConnections: number;
  dashboardConnections: number;
  /** Scenario 2: operations sent one at a time for the cold and warm latency of one page. */
  latencySamples: number;
  /** Products read by scenario 1 (small, fits the cache) and browsed in scenario 4. */
  hotReadProducts: number;
  browseProducts: number;
  /** Scenario 5: products updated, each with every one of its five SKUs. */
  bulkProducts: number;
  /** Soak length, s (0: no soak) and rate, req/s. */
  soakSeconds: number;
  soakRatePerSecond: number;
}

export interface ScenarioContext {
  stack: Stack;
  settings: BenchSettings;
  log(line: string): void;
  /** Notes the RSS of the process that served a scenario, for scenario 6. */
  recordRss(scenario: string, target: Target): void;
}

/** One target under one load: throughput, latency, failures and the upstream calls it caused. */
export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Operations answered in the window. */
  operations: number;
  /** Operations sent in the window (includes those still unanswered when it closed). */
  sent: number;
  failed: number;
  failedByReason: Record<string, number>;
  /** Upstream calls caused by the operations sent (counted until upstream went quiet). */
  upstreamCalls: number;
  upstreamCallsPerOperation: number;
  upstreamThrottled: number;
  upstreamByEndpoint: Record<string, number>;
}

export function figuresOf(load: LoadResult, upstream: UpstreamSummary | null): LoadFigures {
  const calls = upstream?.total ?? 0;
  return {
    requestsPerSecond: round(load.requestsPerSecond, 1),
    p50Ms: round(load.latencyMs.p50, 2),
    p90Ms: round(load.latencyMs.p90, 2),
    p99Ms: round(load.latencyMs.p99, 2),
    meanMs: round(load.latencyMs.mean, 2),
    operations: load.operations,
    sent: load.sent,
    failed: load.failed,
    failedByReason: load.failedByReason,
    upstreamCalls: calls,
    upstreamCallsPerOperation: load.sent > 0 ? round(calls / load.sent, 3) : 0,
    upstreamThrottled: upstream?.throttled ?? 0,
    upstreamByEndpoint: upstream?.byEndpoint ?? {},
  };
}

export interface MeasureOptions {
  mix: MixEntry[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  ratePerSecond?: number;
}

/**
 * Warms the target up with the same load, waits until upstream is quiet, clears the emulator's
 * log, measures, and reads back what the measured window sent upstream.
 */
export async function measure(
  target: Target,
  options: MeasureOptions,
): Promise<{ load: LoadResult; upstream: UpstreamSummary | null; figures: LoadFigures }> {
  const base = {
    url: target.graphqlUrl,
    headers: target.headers,
    mix: options.mix,
    connections: options.connections,
    ratePerSecond: options.ratePerSecond,
  };
  if (options.warmupSeconds > 0) {
    await runLoad({ ...base, durationSeconds: options.warmupSeconds, seed: 7 });
  }
  const admin = target.upstream?.admin;
  if (admin) {
    await admin.waitUntilQuiet(1_000, 20_000);
    await admin.reset();
  }
  const load = await runLoad({ ...base, durationSeconds: options.durationSeconds, seed: 1 });
  let upstream: UpstreamSummary | null = null;
  if (admin) {
    // Calls still in flight when the load stopped belong to this window too.
    await admin.waitUntilQuiet(300, 15_000);
    upstream = summarize(await admin.requests());
  }
  return { load, upstream, figures: figuresOf(load, upstream) };
}

/** Sends one operation and fails loudly when it does not answer cleanly. */
export async function mustQuery<TData>(
  target: Target,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data: TData; elapsedMs: number }> {
  const reply = await postGraphQL<TData>(target.graphqlUrl, { query, variables }, target.headers);
  if (reply.status !== 200 || reply.errors.length > 0 || !reply.data) {
    const detail = reply.errors
      .map((error) => `${error.message} (${String(error.extensions?.code ?? '')})`)
      .join('; ');
    throw new Error(`${target.name}: HTTP ${reply.status} ${detail}`);
  }
  return { data: reply.data, elapsedMs: reply.elapsedMs };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  });
  await Promise.all(workers);
}

export function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
