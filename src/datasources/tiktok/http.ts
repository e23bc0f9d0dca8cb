// The HTTP layer: undici keep-alive pools, signing (§4), per-attempt rate limiting, retries and
// the envelope check. Everything above it sees domain data or a TikTokShopError.
import { Pool } from 'undici';
import type { HttpConfig } from '../../config.js';
import { TikTokShopError, TikTokShopRateLimitError, toTikTokShopError } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { rateLimitKey } from './rate-limiter.js';
import { createRetryPolicy, parseRetryAfterMs, type RetryPolicy } from './retry-policy.js';
import { signRequest } from './signer.js';
import type { RawCall, ShopRef } from './types.js';
import { parseJsonPreservingIds } from './wire.js';

/** pino-compatible subset; every field logged is safe (no query string, token or body). */
export interface TikTokShopLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
}

export type HttpMethod = RawCall['method'];

export interface TikTokHttpDeps {
  credentials: { appKey: string; appSecret: string };
  /** API host base URL, e.g. https://open-api.tiktokglobalshop.com (no trailing slash needed). */
  apiBase: string;
  /** Auth host base URL, e.g. https://auth.tiktok-shops.com. */
  authBase: string;
  http: HttpConfig;
  rateLimiter: RateLimiter;
  /** Wall clock, ms since the epoch, for `timestamp` and HTTP-date Retry-After. Default Date.now. */
  now?: () => number;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Waits between retries. Default setTimeout. */
  sleep?: (delayMs: number) => Promise<void>;
  logger?: TikTokShopLogger;
}

/** One API-host call, fully prepared by the client. */
export interface ApiRequest {
  operation: string;
  method: HttpMethod;
  /** API path, e.g. `/product/202309/products/search`. */
  path: string;
  /** Query parameters already turned into strings (see toQueryStrings). */
  query: Record<string, string>;
  /** The JSON body, serialized once; these exact bytes are signed and sent. */
  bodyText: string | undefined;
  /** Present for shop-scoped endpoints; its cipher goes in `shop_cipher`. */
  shop: ShopRef | undefined;
  accessToken: string;
  idempotent: boolean;
}

export interface AuthRequest {
  operation: string;
  /** Auth-host path, e.g. `/api/v2/token/get`. */
  path: string;
  /** Query besides app_key / app_secret. */
  query: Record<string, string>;
  /** Values that must never be echoed (auth code, refresh token). */
  secrets: string[];
  idempotent: boolean;
}

export interface TikTokHttp {
  /** Sends a signed API-host call and returns the envelope's `data`. */
  api(request: ApiRequest): Promise<unknown>;
  /** Sends an unsigned auth-host GET (§2.2 / §2.3) and returns the envelope's `data`. */
  auth(request: AuthRequest): Promise<unknown>;
  /** Origin of the API host (part of the in-flight key). */
  readonly apiOrigin: string;
  close(): Promise<void>;
}

/** Query values for the wire: lists comma-joined (§4 step 3), booleans and numbers as text. */
export function toQueryStrings(query: RawCall['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

function encodeQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

interface Base {
  origin: string;
  /** Path prefix of the base URL ('' for a bare host). */
  prefix: string;
}

function parseBase(base: string): Base {
  const url = new URL(base);
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function createTikTokHttp(deps: TikTokHttpDeps): TikTokHttp {
  const { credentials, http, rateLimiter, logger } = deps;
  const now = deps.now ?? Date.now;
  const api = parseBase(deps.apiBase);
  const authHost = parseBase(deps.authBase);
  const pools = new Map<string, Pool>();
  const retryPolicy: RetryPolicy = createRetryPolicy({
    maxAttempts: http.maxAttempts,
    retryBaseMs: http.retryBaseMs,
    retryMaxMs: http.retryMaxMs,
    random: deps.random,
    sleep: deps.sleep,
  });

  // One keep-alive pool per origin (API host and auth host), sized and timed from HttpConfig.
  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: http.connections,
        connectTimeout: http.connectTimeoutMs,
        headersTimeout: http.headersTimeoutMs,
        bodyTimeout: http.bodyTimeoutMs,
      });
      pools.set(origin, pool);
    }
    return pool;
  };

  const send = async (
    origin: string,
    method: HttpMethod,
    pathWithQuery: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<RawResponse> => {
    const response = await poolFor(origin).request({ method, path: pathWithQuery, headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  };

  /** Returns `data` for a 2xx code-0 envelope; throws the mapped error otherwise. */
  const readEnvelope = (operation: string, response: RawResponse, secrets: string[]): unknown => {
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
      status: response.status,
      body,
      retryAfterMs: parseRetryAfterMs(response.headers['retry-after'], now()),
      secrets,
    });
  };

  /** Network failures become TikTok errors; TikTok errors pass through. */
  const attemptSafely = async <T>(
    operation: string,
    secrets: string[],
    attempt: () => Promise<T>,
  ) => {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof TikTokShopError) throw error;
      throw toTikTokShopError({ type: 'network', operation, cause: error, secrets });
    }
  };

  const onRetry =
    (operation: string) =>
    (info: { attempt: number; delayMs: number; rule: string; error: TikTokShopError }) =>
      logger?.warn(
        {
          operation,
          attempt: info.attempt,
          delayMs: info.delayMs,
          rule: info.rule,
          error: info.error.toJSON(),
        },
        'retrying TikTok Shop call',
      );

  return {
    apiOrigin: api.origin,

    api(request) {
      const path = api.prefix + request.path;
      const limiterKey = rateLimitKey(credentials.appKey, request.shop?.id);
      const headers = {
        'content-type': 'application/json', // §1: required even on GET
        'x-tts-access-token': request.accessToken,
      };
      return retryPolicy.run(
        async (attempt) => {
          try {
            await rateLimiter.acquire(limiterKey);
          } catch (error) {
            if (error instanceof TikTokShopRateLimitError) {
              throw new TikTokShopRateLimitError(`${request.operation}: ${error.message}`, {
                code: null,
                status: null,
                requestId: null,
                operation: request.operation,
                retryable: true,
                retryAfterMs: error.retryAfterMs,
                isLocal: true,
              });
            }
            throw error;
          }
          // Reserved parameters win over anything the caller put in the query.
          const query: Record<string, string> = { ...request.query };
          delete query.sign;
          delete query.access_token;
          delete query['x-tts-access-token'];
          delete query.shop_cipher;
          query.app_key = credentials.appKey;
          query.timestamp = String(Math.floor(now() / 1000));
          if (request.shop) query.shop_cipher = request.shop.cipher;
          const sign = signRequest({
            appSecret: credentials.appSecret,
            path,
            query,
            body: request.bodyText,
          });
          const secrets = [credentials.appSecret, request.accessToken, sign];
          const startedMs = now();
          return attemptSafely(request.operation, secrets, async () => {
            const response = await send(
              api.origin,
              request.method,
              `${path}?${encodeQuery({ ...query, sign })}`,
              headers,
              request.bodyText,
            );
            logger?.debug(
              {
                operation: request.operation,
                method: request.method,
                path: request.path,
                attempt,
                status: response.status,
                durationMs: now() - startedMs,
              },
              'TikTok Shop call',
            );
            return readEnvelope(request.operation, response, secrets);
          });
        },
        { idempotent: request.idempotent, onRetry: onRetry(request.operation) },
      );
    },

    auth(request) {
      // §2.2 / §2.3: unsigned GET, credentials in the query. The URL holds the app secret, so it
      // is never logged and never part of an error; only the operation and path are.
      const query = {
        ...request.query,
        app_key: credentials.appKey,
        app_secret: credentials.appSecret,
      };
      const path = authHost.prefix + request.path;
      const secrets = [credentials.appSecret, ...request.secrets];
      return retryPolicy.run(
        (attempt) =>
          attemptSafely(request.operation, secrets, async () => {
            const response = await send(
              authHost.origin,
              'GET',
              `${path}?${encodeQuery(query)}`,
              {},
              undefined,
            );
            logger?.debug(
              {
                operation: request.operation,
                method: 'GET',
                path: request.path,
                attempt,
                status: response.status,
              },
              'TikTok Shop auth call',
            );
            return readEnvelope(request.operation, response, secrets);
          }),
        { idempotent: request.idempotent, onRetry: onRetry(request.operation) },
      );
    },

    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((pool) => pool.close()));
    },
  };
}
