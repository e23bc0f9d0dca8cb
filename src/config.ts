// Reads the environment once into a typed Config; every problem is reported together, by name.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { config as loadDotEnvFile } from 'dotenv';
import { z } from 'zod';
import {
  booleanFlag,
  describeIssues,
  httpUrl,
  nonNegativeInt,
  optionalText,
  positiveInt,
  positiveNumber,
} from './env-schema.js';

/** Variables whose values must never be echoed back, not even in a validation message. */
export const SECRET_VARIABLES = [
  'TIKTOK_SHOP_APP_SECRET',
  'TIKTOK_SHOP_ACCESS_TOKEN',
  'TIKTOK_SHOP_REFRESH_TOKEN',
] as const;

const DEFAULT_API_BASE = 'https://open-api.tiktokglobalshop.com';
const DEFAULT_AUTH_BASE = 'https://auth.tiktok-shops.com';

const environmentSchema = z.object({
  TIKTOK_SHOP_APP_KEY: optionalText,
  TIKTOK_SHOP_APP_SECRET: optionalText,
  TIKTOK_SHOP_ACCESS_TOKEN: optionalText,
  TIKTOK_SHOP_REFRESH_TOKEN: optionalText,
  TIKTOK_SHOP_SHOP_ID: optionalText,
  TIKTOK_SHOP_API_BASE: httpUrl(DEFAULT_API_BASE),
  TIKTOK_SHOP_AUTH_BASE: httpUrl(DEFAULT_AUTH_BASE),
  TIKTOK_SHOP_RATE_LIMIT: positiveNumber(10),
  TIKTOK_SHOP_RATE_BURST: positiveInt(5),
  TIKTOK_SHOP_RATE_MAX_QUEUE: positiveInt(1000),
  TIKTOK_SHOP_RATE_MAX_WAIT_MS: positiveInt(10_000),
  TIKTOK_SHOP_CONNECT_TIMEOUT_MS: positiveInt(5_000),
  TIKTOK_SHOP_HEADERS_TIMEOUT_MS: positiveInt(15_000),
  TIKTOK_SHOP_BODY_TIMEOUT_MS: positiveInt(15_000),
  TIKTOK_SHOP_CONNECTIONS: positiveInt(32),
  TIKTOK_SHOP_MAX_ATTEMPTS: positiveInt(4),
  TIKTOK_SHOP_RETRY_BASE_MS: positiveInt(250),
  TIKTOK_SHOP_RETRY_MAX_MS: positiveInt(8_000),
  PORT: nonNegativeInt(4000),
  HOST: z.preprocess(
    (value) => (value === undefined || value === '' ? '127.0.0.1' : value),
    z.string(),
  ),
  CACHE_ENABLED: booleanFlag(true),
  BATCHING_ENABLED: booleanFlag(true),
  CACHE_TTL_MS: positiveInt(60_000),
  CACHE_HISTORICAL_TTL_MS: positiveInt(3_600_000),
  CACHE_MAX_ENTRIES: positiveInt(5_000),
  LOG_LEVEL: z.preprocess(
    (value) => (value === undefined || value === '' ? 'info' : value),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      errorMap: () => ({
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      }),
    }),
  ),
});

export interface TikTokCredentials {
  appKey: string;
  appSecret: string;
}

export interface HttpConfig {
  /** TCP/TLS connect timeout, ms. Default 5 000. */
  connectTimeoutMs: number;
  /** Time to the response headers, ms. Default 15 000. */
  headersTimeoutMs: number;
  /** Longest silence while reading the body, ms. Default 15 000. */
  bodyTimeoutMs: number;
  /** Keep-alive connections per origin. Default 32. */
  connections: number;
  /** Attempts per call including the first. Default 4. */
  maxAttempts: number;
  /** First backoff ceiling, ms; doubles per attempt (full jitter). Default 250. */
  retryBaseMs: number;
  /** Backoff cap, ms; also the longest Retry-After we wait for. Default 8 000. */
  retryMaxMs: number;
}

export interface RateLimitConfig {
  /** Sustained requests per second per (app, shop). Default 10. */
  requestsPerSecond: number;
  /** Requests that may go at once after idling. Default 5. */
  burst: number;
  /** Callers that may wait per shop before new ones are refused. Default 1 000. */
  maxQueue: number;
  /** Longest a caller waits for a slot, ms. Default 10 000. */
  maxWaitMs: number;
}

export interface CacheConfig {
  /** false turns the shared cache off (the bench's naive baseline). */
  enabled: boolean;
  /** Lifetime of shared entries, ms. Default 60 000. */
  ttlMs: number;
  /** Lifetime of analytics for ranges that ended before today, ms. Default 3 600 000. */
  historicalTtlMs: number;
  /** Entries kept at most. Default 5 000. */
  maxEntries: number;
}

export interface Config {
  /** 'sandbox' when no TIKTOK_SHOP_APP_KEY is set: the gateway runs on the built-in emulator. */
  mode: 'sandbox' | 'tiktok';
  /** Present in 'tiktok' mode; in sandbox mode the emulator's demo app is used. */
  credentials: TikTokCredentials | undefined;
  accessToken: string | undefined;
  refreshToken: string | undefined;
  defaultShopId: string | undefined;
  apiBase: string;
  authBase: string;
  http: HttpConfig;
  rateLimit: RateLimitConfig;
  cache: CacheConfig;
  /** false sends one upstream call per field read (the bench's naive baseline). */
  batchingEnabled: boolean;
  port: number;
  host: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * Builds the Config from an environment map. Pure: pass `process.env` (after `loadDotEnv`) or a
 * literal in tests. Throws one ConfigError listing every problem by variable name; messages
 * describe the rule broken, never the value given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    problems.push(...describeIssues(parsed.error));
  }
  const values = parsed.success ? parsed.data : undefined;
  if (values) {
    if (values.TIKTOK_SHOP_APP_KEY && !values.TIKTOK_SHOP_APP_SECRET) {
      problems.push('TIKTOK_SHOP_APP_SECRET: required when TIKTOK_SHOP_APP_KEY is set');
    }
    if (!values.TIKTOK_SHOP_APP_KEY && values.TIKTOK_SHOP_APP_SECRET) {
      problems.push('TIKTOK_SHOP_APP_KEY: required when TIKTOK_SHOP_APP_SECRET is set');
    }
    if (values.TIKTOK_SHOP_RATE_BURST < 1) {
      problems.push('TIKTOK_SHOP_RATE_BURST: must be at least 1');
    }
  }
  if (problems.length > 0 || !values) throw new ConfigError(problems);

  const credentials =
    values.TIKTOK_SHOP_APP_KEY && values.TIKTOK_SHOP_APP_SECRET
      ? { appKey: values.TIKTOK_SHOP_APP_KEY, appSecret: values.TIKTOK_SHOP_APP_SECRET }
      : undefined;

  return {
    mode: credentials ? 'tiktok' : 'sandbox',
    credentials,
    accessToken: values.TIKTOK_SHOP_ACCESS_TOKEN,
    refreshToken: values.TIKTOK_SHOP_REFRESH_TOKEN,
    defaultShopId: values.TIKTOK_SHOP_SHOP_ID,
    apiBase: values.TIKTOK_SHOP_API_BASE,
    authBase: values.TIKTOK_SHOP_AUTH_BASE,
    http: {
      connectTimeoutMs: values.TIKTOK_SHOP_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: values.TIKTOK_SHOP_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: values.TIKTOK_SHOP_BODY_TIMEOUT_MS,
      connections: values.TIKTOK_SHOP_CONNECTIONS,
      maxAttempts: values.TIKTOK_SHOP_MAX_ATTEMPTS,
      retryBaseMs: values.TIKTOK_SHOP_RETRY_BASE_MS,
      retryMaxMs: values.TIKTOK_SHOP_RETRY_MAX_MS,
    },
    rateLimit: {
      requestsPerSecond: values.TIKTOK_SHOP_RATE_LIMIT,
      burst: values.TIKTOK_SHOP_RATE_BURST,
      maxQueue: values.TIKTOK_SHOP_RATE_MAX_QUEUE,
      maxWaitMs: values.TIKTOK_SHOP_RATE_MAX_WAIT_MS,
    },
    cache: {
      enabled: values.CACHE_ENABLED,
      ttlMs: values.CACHE_TTL_MS,
      historicalTtlMs: values.CACHE_HISTORICAL_TTL_MS,
      maxEntries: values.CACHE_MAX_ENTRIES,
    },
    batchingEnabled: values.BATCHING_ENABLED,
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
  };
}

/**
 * Loads `.env` from the working directory into process.env when the file exists. Variables
 * already set in the real environment win, as the setup guide promises.
 */
export function loadDotEnv(path = resolve(process.cwd(), '.env')): boolean {
  if (!existsSync(path)) return false;
  loadDotEnvFile({ path, override: false });
  return true;
}
