// What the HTTP layer tells about every attempt it sends (issue 12): the observer behind it keeps
// the metrics, the request's log lines and its spans (src/observability), so this datasource
// imports none of prom-client, pino or OpenTelemetry.
import type { TikTokShopError } from './errors.js';
import type { HttpMethod, TikTokShopLogger } from './http.js';

/** One attempt about to be sent (after the rate limiter let it through). */
export interface UpstreamAttempt {
  /** The endpoint's name in endpoints.ts (`product.detail`); a raw call's own operation name. */
  endpoint: string;
  method: HttpMethod;
  /** 1 for the first send of a call, 2 for its first retry, … */
  attempt: number;
  /** The shop of a shop-scoped call; undefined for seller-level and auth-host calls. */
  shopId: string | undefined;
  /** Time this attempt waited for its rate-limiter slot before it was sent, ms. */
  waitedMs: number;
}

/** How one attempt ended. */
export interface UpstreamAttemptOutcome {
  /** HTTP status; null when no answer came (timeout, reset, refused connection). */
  status: number | null;
  /** TikTok's code from the envelope (0 on success); null when the answer had none. */
  code: number | null;
  /** From sending to the answer read (or the failure), ms. */
  durationMs: number;
  /** The failure, when the attempt failed. */
  error?: TikTokShopError;
}

export interface UpstreamObserver {
  /** Where the call's own log lines go (a request's logger carries its request id). */
  readonly logger?: TikTokShopLogger;
  /** Called as an attempt is sent; the function it returns is called once, when it has ended. */
  attemptStarted(attempt: UpstreamAttempt): (outcome: UpstreamAttemptOutcome) => void;
  /**
   * A read answered without a call of this request's own: by the shared cache (`cache:<kind>`),
   * or by an identical call another request had in flight (`in-flight:<endpoint>`).
   */
  servedShared?(source: string): void;
}
