// One operation at a time, nothing else running: its latency and the upstream round trips each
// run took, read from the emulator's log. Latency under concurrent load also holds queueing; this
// is the figure to set against round trips × upstream latency (issue 14's critical path).
import { summarizeLatency } from '../load.js';
import type { Target } from '../stack.js';
import { roundTrips, summarize } from '../upstream-counters.js';
import { mustQuery, round } from './common.js';

export interface LatencyProbe {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  /** Median over the samples of each run's dependent upstream waves (see roundTrips). */
  roundTrips: number;
  /** Median upstream calls of one run. */
  upstreamCalls: number;
  /** The last run's calls by endpoint (runs of one probe make the same calls). */
  upstreamByEndpoint: Record<string, number>;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** Sends `query` `samples` times in a row, each after the emulator log is cleared. */
export async function probeLatency(
  target: Target,
  query: string,
  variables: Record<string, unknown>,
  samples: number,
): Promise<LatencyProbe> {
  const admin = target.upstream?.admin;
  if (!admin) throw new Error(`${target.name} has no upstream`);
  await admin.waitUntilQuiet(1_000, 20_000);
  const elapsed: number[] = [];
  const waves: number[] = [];
  const calls: number[] = [];
  let byEndpoint: Record<string, number> = {};
  for (let run = 0; run < samples; run += 1) {
    await admin.reset();
    const { elapsedMs } = await mustQuery(target, query, variables);
    await admin.waitUntilQuiet(150, 10_000);
    const entries = await admin.requests();
    const upstream = summarize(entries);
    elapsed.push(elapsedMs);
    waves.push(roundTrips(entries));
    calls.push(upstream.total);
    byEndpoint = upstream.byEndpoint;
  }
  const latency = summarizeLatency(elapsed);
  return {
    samples,
    p50Ms: round(latency.p50, 2),
    p90Ms: round(latency.p90, 2),
    roundTrips: median(waves),
    upstreamCalls: median(calls),
    upstreamByEndpoint: byEndpoint,
  };
}
