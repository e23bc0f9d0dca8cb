// The HTTP layer for one TikTok host: an undici keep-alive pool, retries by the retry policy, and
// the envelope check. The caller prepares each attempt (signing, rate limiting); everything above
// this module sees the envelope's `data` or a TikTokShopError.
import { Pool } from 'undici';
import type { HttpConfig } from '../../config.js';
import {
  deadlinePassedError,
  type SentRequest,
  TikTokShopError,
  TikTokShopInvalidPathError,
  toTikTokShopError,
} from './errors.js';
import { createRetryPolicy, parseRetryAfterMs } from './retry-policy.js';
import type { RawCall } from './types.js';
import type { UpstreamObserver } from './upstream-observer.js';
import { parseJsonPreservingIds } from './wire.js';

/** pino-compatible subset; every field logged is safe (no query string, token or body). */
export interface TikTokShopLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

export type HttpMethod = RawCall['method'];

/** What every TikTok host client takes besides its host and credentials. */
export interface TikTokHttpOptions {
  http: HttpConfig;
  /** Wall clock, ms since the epoch, for `timestamp` and HTTP-date Retry-After. Default Date.now. */
  now?: () => number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Waits between retries. Default setTimeout. */
  sleep?: (delayMs: number) => Promise<void>;
  logger?: TikTokShopLogger;
  /** Told of every attempt sent (metrics, traces), unless the call brings its own observer. */
  observer?: UpstreamObserver;
}

/** One attempt's query, headers and secrets; made afresh per attempt (`timestamp`, `sign`). */
export interface PreparedAttempt {
  /** The query the URL carries, already strings. */
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Values that must never appear in an error (secret, token, sign, auth code). */
  secrets: string[];
  /** Time the attempt waited for its rate-limiter slot, ms (the observer's `waitedMs`). */
  waitedMs?: number;
  /** Told how the attempt ended: `undefined` on success, else the TikTokShopError it threw. */
  settled?(error: TikTokShopError | undefined): void;
}

/** One call to the host, retried as a whole by the retry policy. */
export interface HttpCall {
  operation: string;
  method: HttpMethod;
  /** Path below the base URL, e.g. `/product/202309/products/search`. */
  path: string;
  /** The JSON body, serialized once; these exact bytes are signed and sent. */
  bodyText: string | undefined;
  idempotent: boolean;
  /**
   * When the GraphQL request gives up, ms since the epoch (GRAPHQL_REQUEST_DEADLINE_MS): no
   * attempt starts after it, each attempt's timeouts end at it, and no retry waits past it.
   */
  deadlineAt?: number | undefined;
  /**
   * Runs before every attempt with the full path (the base URL's prefix included, as it is
   * signed). A TikTokShopError it throws ends or retries the call like any other.
   */
  prepare(fullPath: string): Promise<PreparedAttempt>;
  /** The shop of a shop-scoped call, for the observer. */
  shopId?: string;
  /** The observer of this call (a request's: its id, log lines and span); default the host's. */
  observer?: UpstreamObserver;
}

export interface TikTokHttp {
  /** Origin of the host (part of the in-flight key). */
  readonly origin: string;
  /** Sends `call` and returns the envelope's `data` for a 2xx code-0 answer; throws otherwise. */
  send(call: HttpCall): Promise<unknown>;
  close(): Promise<void>;
  /** Aborts the calls in flight and closes the pool (a shutdown whose grace ran out). */
  destroy(): Promise<void>;
}

function encodeQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** @param baseUrl the host, e.g. https://open-api.tiktokglobalshop.com (a path prefix is kept). */
export function createTikTokHttp(baseUrl: string, options: TikTokHttpOptions): TikTokHttp {
  const { http, logger } = options;
  const now = options.now ?? Date.now;
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  // One keep-alive pool for the host, sized and timed from HttpConfig.
  const pool = new Pool(base.origin, {
    connections: http.connections,
    connectTimeout: http.connectTimeoutMs,
    headersTimeout: http.headersTimeoutMs,
    bodyTimeout: http.bodyTimeoutMs,
  });
  const retryPolicy = createRetryPolicy({
    maxAttempts: http.maxAttempts,
    retryBaseMs: http.retryBaseMs,
    retryMaxMs: http.retryMaxMs,
    rateLimitBackoff: http.rateLimitBackoff,
    random: options.random,
    sleep: options.sleep,
    now,
  });

  const request = async (
    call: HttpCall,
    pathWithQuery: string,
    headers: Record<string, string>,
  ): Promise<RawResponse> => {
    // The pool's timeouts, cut short so an attempt ends by the request's deadline.
    const leftMs = call.deadlineAt === undefined ? Infinity : Math.max(1, call.deadlineAt - now());
    const response = await pool.request({
      method: call.method,
      path: pathWithQuery,
      headers,
      body: call.bodyText,
      headersTimeout: Math.min(http.headersTimeoutMs, leftMs),
      bodyTimeout: Math.min(http.bodyTimeoutMs, leftMs),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  };

  /** Returns `data` for a 2xx code-0 envelope; throws the mapped error otherwise. */
  const readEnvelope = (
    operation: string,
    request: SentRequest,
    response: RawResponse,
    secrets: string[],
  ): unknown => {
    let body: unknown;
    try {
      body = parseJsonPreservingIds(response.text);
    } catch {
      body = undefined;
    }
    const record =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
    const isSuccess =
      response.status >= 200 && response.status < 300 && record !== null && record.code === 0;
    if (isSuccess) return record.data ?? null;
    throw toTikTokShopError({
      type: 'response',
      operation,
      request,
      status: response.status,
      body,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], now()),
      secrets,
    });
  };

  const observerOf = (call: HttpCall) => call.observer ?? options.observer;
  /** Where a call's lines go: its observer's logger (a request's carries its id), else the host's. */
  const logOf = (call: HttpCall) => observerOf(call)?.logger ?? logger;

  /** One attempt. Network failures become TikTok errors; TikTok errors pass through. */
  const attempt = async (call: HttpCall, attemptNumber: number): Promise<unknown> => {
    const fullPath = prefix + call.path;
    if (call.deadlineAt !== undefined && now() >= call.deadlineAt) {
      throw deadlinePassedError(call.operation);
    }
    const prepared = await call.prepare(fullPath);
    const log = logOf(call);
    const startedMs = now();
    const startedAt = performance.now();
    const ended = observerOf(call)?.attemptStarted({
      endpoint: call.operation,
      method: call.method,
      attempt: attemptNumber,
      shopId: call.shopId,
      waitedMs: prepared.waitedMs ?? 0,
    });
    try {
      const response = await request(
        call,
        `${fullPath}?${encodeQuery(prepared.query)}`,
        prepared.headers,
      );
      log?.debug(
        {
          operation: call.operation,
          method: call.method,
          path: call.path,
          attempt: attemptNumber,
          status: response.status,
          durationMs: now() - startedMs,
        },
        'TikTok Shop call',
      );
      const data = readEnvelope(
        call.operation,
        { method: call.method, path: fullPath },
        response,
        prepared.secrets,
      );
      ended?.({ status: response.status, code: 0, durationMs: performance.now() - startedAt });
      prepared.settled?.(undefined);
      return data;
    } catch (error) {
      if (error instanceof TikTokShopInvalidPathError) {
        // §5: a path TikTok does not serve is a bug of this gateway; the operator must see it.
        log?.error({ error: error.toJSON() }, 'TikTok Shop does not know the path called');
      }
      const failure =
        error instanceof TikTokShopError
          ? error
          : toTikTokShopError({
              type: 'network',
              operation: call.operation,
              cause: error,
              secrets: prepared.secrets,
            });
      ended?.({
        status: failure.status,
        code: failure.code,
        durationMs: performance.now() - startedAt,
        error: failure,
      });
      prepared.settled?.(failure);
      throw failure;
    }
  };

  let closing: Promise<void> | undefined;
  return {
    origin: base.origin,

    send(call) {
      return retryPolicy.run((attemptNumber) => attempt(call, attemptNumber), {
        idempotent: call.idempotent,
        deadlineAt: call.deadlineAt,
        onRetry: (info) =>
          logOf(call)?.warn(
            {
              operation: call.operation,
              attempt: info.attempt,
              delayMs: info.delayMs,
              rule: info.rule,
              error: info.error.toJSON(),
            },
            'retrying TikTok Shop call',
          ),
      });
    },

    close: () => {
      closing ??= pool.close();
      return closing;
    },

    destroy: () => {
      // A close() after this answers the same promise: closing a destroyed pool would reject.
      closing = pool.destroy();
      return closing;
    },
  };
}
