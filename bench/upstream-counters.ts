// What the gateway asked of TikTok, read from the emulator's admin routes (docs/emulator.md):
// request log, counters, reset, tokens, sellers. Upstream figures in the report all come from here.
import type { EmulatorSeller, IssuedTokens, RequestLogEntry } from '../src/emulator/types.js';

export interface UpstreamSummary {
  /** API-host requests (OAuth and token routes excluded). */
  total: number;
  byEndpoint: Record<string, number>;
  /** Answers with HTTP 429 (the emulator's rate limit or an injected one). */
  throttled: number;
  /** Answers with any other non-2xx status. */
  failed: number;
  /** From the first request's arrival to the last one's, s. */
  spanSeconds: number;
}

export interface EmulatorAdmin {
  url: string;
  reset(): Promise<void>;
  requests(sinceMs?: number): Promise<RequestLogEntry[]>;
  sellers(): Promise<EmulatorSeller[]>;
  issueTokens(openId: string): Promise<IssuedTokens>;
  /** Resolves once no request has arrived for `quietMs` (or after `maxWaitMs`). */
  waitUntilQuiet(quietMs?: number, maxWaitMs?: number): Promise<void>;
}

const NON_API_ENDPOINTS = new Set([
  'token.get',
  'token.refresh',
  'oauth.authorize',
  'oauth.authorize.submit',
]);

export function createEmulatorAdmin(url: string): EmulatorAdmin {
  const call = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${url}/__emulator/${path}`, {
      ...init,
      headers: { 'content-type': 'application/json' },
    });
    const body = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(`emulator admin ${path}: ${body.error ?? response.status}`);
    return body;
  };
  const admin: EmulatorAdmin = {
    url,
    async reset() {
      await call('reset', { method: 'POST', body: '{}' });
    },
    async requests(sinceMs) {
      const query = sinceMs === undefined ? '' : `?since=${sinceMs}`;
      return (await call<{ requests: RequestLogEntry[] }>(`requests${query}`)).requests;
    },
    async sellers() {
      return (await call<{ sellers: EmulatorSeller[] }>('sellers')).sellers;
    },
    issueTokens(openId) {
      return call<IssuedTokens>('tokens', { method: 'POST', body: JSON.stringify({ openId }) });
    },
    async waitUntilQuiet(quietMs = 1_000, maxWaitMs = 30_000) {
      const deadline = Date.now() + maxWaitMs;
      while (Date.now() < deadline) {
        const last = (await admin.requests(Date.now() - quietMs)).length;
        if (last === 0) return;
        await new Promise((resolveWait) => setTimeout(resolveWait, 250));
      }
    },
  };
  return admin;
}

export function summarize(entries: RequestLogEntry[]): UpstreamSummary {
  const byEndpoint: Record<string, number> = {};
  let throttled = 0;
  let failed = 0;
  let total = 0;
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    if (NON_API_ENDPOINTS.has(entry.endpoint)) continue;
    total += 1;
    firstAt = Math.min(firstAt, entry.at);
    lastAt = Math.max(lastAt, entry.at);
    byEndpoint[entry.endpoint] = (byEndpoint[entry.endpoint] ?? 0) + 1;
    if (entry.status === 429) throttled += 1;
    else if (entry.status < 200 || entry.status >= 300) failed += 1;
  }
  const spanSeconds = total > 1 ? (lastAt - firstAt) / 1000 : 0;
  return { total, byEndpoint, throttled, failed, spanSeconds };
}

/**
 * Dependent round trips in a log of ONE operation: requests are grouped into waves, a new wave
 * starting when a request arrives later than `gapMs` after the first request of the current one.
 * With upstream latency ≥ 20 ms, requests sent together arrive within a few ms of each other and
 * a request that had to wait for an answer arrives ≥ 20 ms after the one it waited for.
 */
export function roundTrips(entries: RequestLogEntry[], gapMs = 12): number {
  const arrivals = entries
    .filter((entry) => !NON_API_ENDPOINTS.has(entry.endpoint))
    .map((entry) => entry.at)
    .sort((a, b) => a - b);
  let waves = 0;
  let waveStart = Number.NEGATIVE_INFINITY;
  for (const at of arrivals) {
    if (at - waveStart > gapMs) {
      waves += 1;
      waveStart = at;
    }
  }
  return waves;
}
