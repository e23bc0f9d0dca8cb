// The upstream and gateway section of the settings, with the section types the datasource, cache
// and limiters take. src/settings.ts reads them, with everything else, from the environment.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TikTokCredentials {
  appKey: string;
  appSecret: string;
}

export interface HttpConfig {
  /** TCP/TLS connect timeout, ms (TIKTOK_SHOP_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** Time to the response headers, ms (TIKTOK_SHOP_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** Longest silence while reading the body, ms (TIKTOK_SHOP_BODY_TIMEOUT_MS). */
  bodyTimeoutMs: number;
  /** Keep-alive connections per origin (TIKTOK_SHOP_CONNECTIONS). */
  connections: number;
  /** Attempts per call including the first (TIKTOK_SHOP_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** First backoff ceiling, ms; doubles per attempt, full jitter (TIKTOK_SHOP_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Backoff cap, ms (TIKTOK_SHOP_RETRY_MAX_MS). */
  retryMaxMs: number;
  /** How 429s are retried: §7's schedule (TIKTOK_SHOP_RATE_LIMIT_RETRIES, _BACKOFF_*, _JITTER_MS). */
  rateLimitBackoff: RateLimitBackoff;
}

export interface CircuitBreakerConfig {
  /**
   * Consecutive failed calls (5xx, network, timeout, malformed, after retries) of one (shop, rate
   * class) that open its circuit; 0 turns the breaker off (TIKTOK_SHOP_BREAKER_FAILURES).
   */
  failureThreshold: number;
  /**
   * How long an open circuit answers at once before one probe may go, ms
   * (TIKTOK_SHOP_BREAKER_COOLDOWN_MS).
   */
  cooldownMs: number;
}

import type { RateBudget } from './datasources/tiktok/rate-limiter.js';
import type { RateLimitBackoff } from './datasources/tiktok/retry-policy.js';

export interface RateLimitConfig {
  /** Sustained requests per second per (app, shop) in the standard class (TIKTOK_SHOP_RATE_LIMIT). */
  requestsPerSecond: number;
  /** Standard-class requests that may go at once after idling (TIKTOK_SHOP_RATE_BURST). */
  burst: number;
  /**
   * The analytics class's budget per (app, shop) (TIKTOK_SHOP_ANALYTICS_RATE_LIMIT, _BURST).
   * Absent: the standard budget.
   */
  analytics?: RateBudget | undefined;
  /** Callers that may wait per shop before new ones are refused (TIKTOK_SHOP_RATE_MAX_QUEUE). */
  maxQueue: number;
  /** Longest a caller waits for a slot, ms (TIKTOK_SHOP_RATE_MAX_WAIT_MS). */
  maxWaitMs: number;
}

export interface CacheConfig {
  /** false turns the shared cache off, the bench's naive baseline (CACHE_ENABLED). */
  enabled: boolean;
  /** Lifetime of shared entries, ms (CACHE_TTL_MS). */
  ttlMs: number;
  /** Lifetime of analytics for ranges that ended before today, ms (CACHE_HISTORICAL_TTL_MS). */
  historicalTtlMs: number;
  /** Entries kept at most (CACHE_MAX_ENTRIES). */
  maxEntries: number;
  /**
   * Whole answers to reads of cached data (issue 14, src/plugins/use-read-cache.ts); off too when
   * `enabled` is false. Absent: off.
   */
  responses?: ResponseCacheConfig;
}

export interface ResponseCacheConfig {
  /** RESPONSE_CACHE_ENABLED. */
  enabled: boolean;
  /** Lifetime of an answer, ms, capped at the cache's ttlMs (RESPONSE_CACHE_TTL_MS). */
  ttlMs: number;
  /** Answers kept at most (RESPONSE_CACHE_MAX_ENTRIES). */
  maxEntries: number;
}

/** How stock writes wait for each other and for TikTok (src/datasources/tiktok/inventory-updates.ts). */
export interface InventoryWriteConfig {
  /**
   * How long after sending TikTok may still apply a write whose answer was lost, ms
   * (INVENTORY_WRITE_SETTLE_MS): the product's writes wait this long after such a failure unless a
   * read-back shows the write first.
   */
  settleMs: number;
  /** Longest wait for another write to the same product, ms (INVENTORY_WRITE_WAIT_MS). */
  waitMs: number;
  /**
   * Lifetime of a product's write lock in Redis, ms (INVENTORY_WRITE_LOCK_TTL_MS): renewed while
   * its holder lives, so it only bounds how long a crashed replica blocks the product.
   */
  lockTtlMs: number;
}

/** Which other origins a browser may call the gateway from (CORS_ORIGINS, issue 12). */
export interface CorsAllowlist {
  /** `*` was listed: any origin. */
  anyOrigin: boolean;
  /** Any http(s) origin under a loopback name, on any port (the sandbox default). */
  loopbackOrigins: boolean;
  /** Exact origins (`scheme://host[:port]`). */
  origins: string[];
}

/** off: hashes unknown; allow: manifest hashes and plain documents; require: manifest only. */
export const PERSISTED_OPERATIONS_MODES = ['off', 'allow', 'require'] as const;
export type PersistedOperationsMode = (typeof PERSISTED_OPERATIONS_MODES)[number];

/** The upstream cost of a query, after and before (issue 14). Defaults: src/settings.ts. */
export interface UpstreamCostConfig {
  /** Every answer carries `extensions.upstream`, not only those asked with `x-upstream-cost: 1`. */
  report: boolean;
  /** A document estimated above this many upstream calls is refused (GRAPHQL_MAX_UPSTREAM_CALLS). */
  maxCalls: number;
}

/** What browsers and frontends get (issue 12). Defaults: src/settings.ts. */
export interface ClientAccessConfig {
  /** GraphiQL served at the GraphQL path, from the gateway's own origin (GRAPHIQL_ENABLED). */
  graphiql: boolean;
  /** `__schema` and `__type` answered (INTROSPECTION_ENABLED). */
  introspection: boolean;
  cors: CorsAllowlist;
  /** PERSISTED_OPERATIONS. */
  persistedOperations: PersistedOperationsMode;
  /**
   * The manifest (`{ "sha256:<hex>": "<document>" }`, as codegen's client preset writes it);
   * undefined: operations/persisted-documents.json (PERSISTED_OPERATIONS_MANIFEST).
   */
  persistedOperationsManifest: string | undefined;
}

/** Which TikTok the gateway talks to and how it serves. Defaults: src/settings.ts. */
export interface Config {
  /** 'sandbox' when no TIKTOK_SHOP_APP_KEY is set: the gateway runs on the built-in emulator. */
  mode: 'sandbox' | 'tiktok';
  /** Present in 'tiktok' mode; in sandbox mode the emulator's demo app is used. */
  credentials: TikTokCredentials | undefined;
  /** TIKTOK_SHOP_ACCESS_TOKEN / _REFRESH_TOKEN: seed an empty token store. */
  accessToken: string | undefined;
  refreshToken: string | undefined;
  /** TIKTOK_SHOP_SHOP_ID: the shop of queries without `shopId`. */
  defaultShopId: string | undefined;
  /** TIKTOK_SHOP_API_BASE / TIKTOK_SHOP_AUTH_BASE, without trailing slashes. */
  apiBase: string;
  authBase: string;
  http: HttpConfig;
  rateLimit: RateLimitConfig;
  /** The circuit breaker per (shop, rate class) in front of the API host. */
  breaker: CircuitBreakerConfig;
  cache: CacheConfig;
  inventoryWrites: InventoryWriteConfig;
  /** false sends one upstream call per field read, the bench's naive baseline (BATCHING_ENABLED). */
  batchingEnabled: boolean;
  /**
   * Start the loads a selection set will need as soon as their ids are known, not when the child
   * resolvers run (PREFETCH_ENABLED; src/schema/prefetch.ts). Needs batching.
   */
  prefetchEnabled: boolean;
  /**
   * How long one GraphQL request may spend on TikTok, ms (GRAPHQL_REQUEST_DEADLINE_MS): rate-limit
   * waits, retries and each attempt's timeouts end by then.
   */
  requestDeadlineMs: number;
  /** Where the gateway listens (PORT, HOST). */
  port: number;
  host: string;
  logLevel: LogLevel;
}

/** Every problem of the settings, by variable name; never a value (it may be a secret). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}
