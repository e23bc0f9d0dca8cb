// autocannon wrapper: drives a weighted mix of GraphQL operations at one server and returns
// throughput, exact latency percentiles (from every response time, not autocannon's 1 ms
// histogram) and how many operations failed, by reason.
import autocannon from 'autocannon';

export interface MixEntry {
  /** Label used in per-operation counts. */
  name: string;
  /** The JSON body to POST (query + variables), already serialized. */
  body: string;
  /** Relative share of requests (default 1). */
  weight?: number;
}

export interface LoadOptions {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  headers?: Record<string, string>;
  mix: MixEntry[];
  /** Open connections (closed loop: each sends its next request when the last one answered). */
  connections: number;
  durationSeconds: number;
  /**
   * Requests per second over all connections. autocannon releases each connection's share at the
   * start of every second, so the load is split over several staggered instances to spread it.
   */
  ratePerSecond?: number;
  /** Seconds before a request counts as timed out (default 20). */
  timeoutSeconds?: number;
  /** Seed of the mix picker, so runs send the same sequence (default 1). */
  seed?: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LoadResult {
  durationSeconds: number;
  /** Responses received. */
  operations: number;
  /** Requests sent, answered or not (autocannon builds each request just before sending it). */
  sent: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Operations without a clean `data` answer: HTTP errors, GraphQL errors, timeouts, resets. */
  failed: number;
  /** Failures by reason: `http 503`, a GraphQL `extensions.code`, `timeout`, `socket error`. */
  failedByReason: Record<string, number>;
  /** Responses per mix entry. */
  byOperation: Record<string, number>;
}

/** Deterministic [0, 1) numbers (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarizeLatency(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Why a response counts as failed, or null when it carries data and no errors. */
export function failureOf(status: number, body: string): string | null {
  if (status < 200 || status >= 300) return `http ${status}`;
  // Cheap test first: parsing every large clean response would load the generator's core.
  if (!body.includes('"errors"')) return body.startsWith('{"data"') ? null : 'no data';
  try {
    const parsed = JSON.parse(body) as {
      errors?: Array<{ extensions?: { code?: unknown } }>;
    };
    const code = parsed.errors?.[0]?.extensions?.code;
    return parsed.errors && parsed.errors.length > 0
      ? typeof code === 'string'
        ? code
        : 'graphql error'
      : null;
  } catch {
    return 'unparseable';
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const random = createRandom(options.seed ?? 1);
  const weights = options.mix.map((entry) => entry.weight ?? 1);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const pick = (): MixEntry => {
    let roll = random() * totalWeight;
    for (const [index, entry] of options.mix.entries()) {
      roll -= weights[index] ?? 1;
      if (roll < 0) return entry;
    }
    return options.mix.at(-1) as MixEntry;
  };

  const samples: number[] = [];
  const failedByReason: Record<string, number> = {};
  const byOperation: Record<string, number> = {};
  let failed = 0;
  let sent = 0;
  const fail = (reason: string) => {
    failed += 1;
    failedByReason[reason] = (failedByReason[reason] ?? 0) + 1;
  };

  // With a rate, instances start `1 s / slices` apart so their per-second releases interleave.
  const slices = options.ratePerSecond
    ? Math.max(1, Math.min(20, options.connections, Math.floor(options.ratePerSecond / 2)))
    : 1;
  const runs = Array.from({ length: slices }, async (_, slice) => {
    if (slice > 0)
      await new Promise((resolveDelay) => setTimeout(resolveDelay, (slice * 1000) / slices));
    const share = (total: number) => Math.floor(total / slices) + (slice < total % slices ? 1 : 0);
    const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
      const instance = autocannon(
        {
          url: options.url,
          connections: share(options.connections),
          duration: options.durationSeconds,
          ...(options.ratePerSecond ? { overallRate: share(options.ratePerSecond) } : {}),
          timeout: options.timeoutSeconds ?? 20,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          requests: [
            {
              method: 'POST',
              setupRequest: (request, context) => {
                sent += 1;
                const entry = pick();
                (context as { entry?: string }).entry = entry.name;
                return { ...request, body: entry.body };
              },
              onResponse: (status, body, context) => {
                const name = (context as { entry?: string }).entry ?? 'unknown';
                byOperation[name] = (byOperation[name] ?? 0) + 1;
                const reason = failureOf(status, body);
                if (reason) fail(reason);
              },
            },
          ],
        },
        (error, done) => (error ? reject(error) : resolveRun(done)),
      );
      instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
        samples.push(responseTimeMs);
      });
    });
    for (let i = 0; i < result.timeouts; i += 1) fail('timeout');
    for (let i = 0; i < result.errors - result.timeouts; i += 1) fail('socket error');
    return result;
  });
  await Promise.all(runs);
  // Each instance delivers its share for `durationSeconds`; staggering only shifts them.
  const { durationSeconds } = options;
  return {
    durationSeconds,
    operations: samples.length,
    sent,
    requestsPerSecond: samples.length / durationSeconds,
    latencyMs: summarizeLatency(samples),
    failed,
    failedByReason,
    byOperation,
  };
}

/** One GraphQL POST outside the load runs (probes, discovery, the bulk mutation). */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  data: TData | null;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  elapsedMs: number;
}> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  let parsed: { data?: TData | null; errors?: Array<{ message: string }> } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = { errors: [{ message: `unparseable reply (HTTP ${response.status})` }] };
  }
  return {
    status: response.status,
    data: parsed.data ?? null,
    errors: parsed.errors ?? [],
    elapsedMs,
  };
}
