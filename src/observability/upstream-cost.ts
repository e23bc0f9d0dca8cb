// What one request spent upstream (issue 14): the calls its own sessions sent, the reads served
// from the shared cache or from another request's call in flight, and the time its attempts waited
// for the rate limiter. The request's ShopSessions report to the observer this wraps, so concurrent
// requests never see each other's calls.
import type { UpstreamAttempt, UpstreamObserver } from '../datasources/tiktok/upstream-observer.js';

/** `extensions.upstream` of an answer. */
export interface UpstreamCostReport {
  /** HTTP calls sent to TikTok for this request; each retry is a call of its own. */
  calls: number;
  /** Reads answered by the shared cache, or by an identical call another request had in flight. */
  cacheHits: number;
  /** Time the request's attempts waited for a rate-limiter slot, ms (summed over attempts). */
  waitedMs: number;
  /** `calls` by endpoint name (endpoints.ts). */
  byEndpoint: Record<string, number>;
  /** The planner's upper bound for the document (src/schema/upstream-estimate), when it ran. */
  estimate?: number;
}

export interface UpstreamCostCounter {
  /** An observer that counts, then tells `base` (the request's trace: metrics, spans, log). */
  observe(base: UpstreamObserver | undefined): UpstreamObserver;
  report(): UpstreamCostReport;
}

export function createUpstreamCostCounter(): UpstreamCostCounter {
  let calls = 0;
  let cacheHits = 0;
  let waitedMs = 0;
  const byEndpoint: Record<string, number> = {};
  return {
    observe(base) {
      return {
        logger: base?.logger,
        attemptStarted(attempt: UpstreamAttempt) {
          calls += 1;
          waitedMs += attempt.waitedMs;
          byEndpoint[attempt.endpoint] = (byEndpoint[attempt.endpoint] ?? 0) + 1;
          return base?.attemptStarted(attempt) ?? (() => {});
        },
        servedShared(source) {
          cacheHits += 1;
          base?.servedShared?.(source);
        },
      };
    },
    report: () => ({
      calls,
      cacheHits,
      // Whole ms: sub-ms waits are noise of the clock, not of the limiter.
      waitedMs: Math.round(waitedMs),
      byEndpoint: { ...byEndpoint },
    }),
  };
}
