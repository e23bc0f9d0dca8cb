// Scenario 6: the gateway's RSS after each scenario, and (`--soak <s>`) RSS sampled under a steady
// mixed load, reported as a least-squares slope.
import { runLoad } from '../load.js';
import { body, DASHBOARD, lastDays, ORDERS_PAGE } from '../operations.js';
import { round, type ScenarioContext } from './common.js';
import { browsingMix, prime } from './upstream-limit.js';
import { activeProductIds } from './working-set.js';

/**
 * RSS growth below this, MiB per minute of soak, counts as flat. Post-collection RSS floors of the
 * gateway wander by about ±10 MiB between windows, so a 300 s soak cannot tell a slower leak
 * from noise; longer soaks can (`--soak 1800`).
 */
export const FLAT_SLOPE_MIB_PER_MINUTE = 2;

const MIB = 1024 * 1024;

export interface RssPoint {
  scenario: string;
  process: string;
  rssMiB: number;
}

export interface SoakResult {
  seconds: number;
  ratePerSecond: number;
  process: string;
  operations: number;
  failed: number;
  p99Ms: number;
  samples: Array<{ atSeconds: number; rssMiB: number }>;
  startMiB: number;
  endMiB: number;
  /**
   * Theil–Sen slope of the lowest RSS in each window of soak / 15 (at least 10 s when the soak
   * allows), leaving out the first third (warm-up). The per-window minimum follows the floor after
   * garbage collection, not the sawtooth of allocation between collections.
   */
  slopeMiBPerMinute: number;
  windowSeconds: number;
  floors: Array<{ atSeconds: number; rssMiB: number }>;
}

export interface MemoryResult {
  rssAfterScenario: RssPoint[];
  soak: SoakResult | null;
}

/** Theil–Sen slope of y over x: the median of the pairwise slopes, so one odd point cannot tilt it. */
export function medianSlope(points: Array<{ x: number; y: number }>): number {
  const slopes: number[] = [];
  for (const [i, a] of points.entries()) {
    for (const b of points.slice(i + 1)) {
      if (b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const middle = Math.floor(slopes.length / 2);
  return slopes.length % 2 === 1
    ? (slopes[middle] as number)
    : ((slopes[middle - 1] as number) + (slopes[middle] as number)) / 2;
}

/**
 * The lowest sample of each whole window between `fromSeconds` and `toSeconds`, placed at the
 * window's middle. A partial last window is left out: its few samples would not reach a trough.
 */
export function windowFloors(
  samples: Array<{ atSeconds: number; rssMiB: number }>,
  fromSeconds: number,
  toSeconds: number,
  windowSeconds: number,
): Array<{ atSeconds: number; rssMiB: number }> {
  const windows = Math.floor((toSeconds - fromSeconds) / windowSeconds);
  const floors = new Map<number, number>();
  for (const point of samples) {
    if (point.atSeconds < fromSeconds) continue;
    const index = Math.floor((point.atSeconds - fromSeconds) / windowSeconds);
    if (index >= windows) continue;
    floors.set(index, Math.min(floors.get(index) ?? Number.POSITIVE_INFINITY, point.rssMiB));
  }
  return [...floors].map(([index, rssMiB]) => ({
    atSeconds: round(fromSeconds + (index + 0.5) * windowSeconds, 1),
    rssMiB,
  }));
}

export async function runSoak(context: ScenarioContext): Promise<SoakResult> {
  const { stack, settings, log } = context;
  const gateway = await stack.gateway('gateway', 'latency');
  const range = lastDays(30);
  const ids = await activeProductIds(gateway, settings.hotReadProducts);
  const mix = [
    ...browsingMix(ids),
    { name: 'orders page', body: body(ORDERS_PAGE, { first: 50 }), weight: 5, cachedReads: 0 },
    { name: 'dashboard', body: body(DASHBOARD, { range }), weight: 5, cachedReads: 0 },
  ];
  await prime(gateway, mix);
  const seconds = settings.soakSeconds;
  const samples: SoakResult['samples'] = [];
  const startedMs = performance.now();
  const sample = () => {
    const rss = gateway.service.rssBytes();
    if (rss !== null) {
      samples.push({
        atSeconds: round((performance.now() - startedMs) / 1000, 2),
        rssMiB: round(rss / MIB, 2),
      });
    }
  };
  sample();
  // Every second, so each window's lowest sample lands near a post-collection trough.
  const timer = setInterval(sample, 1_000);
  const load = await runLoad({
    url: gateway.graphqlUrl,
    headers: gateway.headers,
    mix,
    connections: 20,
    durationSeconds: seconds,
    ratePerSecond: settings.soakRatePerSecond,
    seed: 3,
  }).finally(() => clearInterval(timer));
  sample();
  const windowSeconds = Math.max(seconds / 15, Math.min(10, seconds / 3));
  const floors = windowFloors(samples, seconds / 3, seconds, windowSeconds);
  const slopeMiBPerMinute = round(
    medianSlope(floors.map((point) => ({ x: point.atSeconds / 60, y: point.rssMiB }))),
    3,
  );
  const result: SoakResult = {
    seconds,
    ratePerSecond: settings.soakRatePerSecond,
    process: 'gateway (unthrottled upstream)',
    operations: load.operations,
    failed: load.failed,
    p99Ms: round(load.latencyMs.p99, 2),
    samples,
    startMiB: samples[0]?.rssMiB ?? Number.NaN,
    endMiB: samples.at(-1)?.rssMiB ?? Number.NaN,
    slopeMiBPerMinute,
    windowSeconds: round(windowSeconds, 1),
    floors,
  };
  log(
    `  soak      ${seconds} s at ${settings.soakRatePerSecond} req/s: RSS ${result.startMiB} → ` +
      `${result.endMiB} MiB; post-GC floors ${floors.map((floor) => floor.rssMiB).join(', ')} MiB;` +
      ` slope ${slopeMiBPerMinute} MiB/min; failed ${load.failed}`,
  );
  return result;
}
