// The settings: every variable the gateway reads, its rule and its default, in one schema, read once
// from the environment (and `.env`). The only module in src/ that reads process.env (the
// emulator's own entry point aside). Every problem is reported together, by variable name, and no
// value is ever echoed: it may be a secret.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseDotEnv } from 'dotenv';
import { type ZodError, z } from 'zod';
import type { AuthConfig } from './auth/auth-config.js';
import {
  checkJwtSecret,
  DEFAULT_JWT_MAX_LIFETIME_S,
  type JwtVerificationConfig,
  readApiKeys,
} from './auth/caller.js';
import { parseEncryptionKey } from './auth/encryption-key.js';
import { DEFAULT_TOKEN_STORE_PATH } from './auth/file-token-store.js';
import { AUTHORIZE_REGIONS } from './auth/oauth.js';
import {
  gatewayCallbackUrl,
  isAllowedRedirect,
  parseRedirectUri,
  SETUP_GUIDE_REDIRECT_URI,
} from './auth/redirect-uris.js';
import {
  type ClientAccessConfig,
  type Config,
  ConfigError,
  LOG_LEVELS,
  PERSISTED_OPERATIONS_MODES,
  type UpstreamCostConfig,
} from './config.js';
import { DEFAULT_RATE_LIMIT_BACKOFF } from './datasources/tiktok/retry-policy.js';
import type { ObservabilityConfig } from './observability/observability-config.js';
import type { RedisConfig } from './redis/redis-config.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './schema/query-limits.js';
import type { WebhookConfig } from './webhooks/live-updates.js';

/** Variable name → text, as in process.env. */
export type Environment = Record<string, string | undefined>;

/** Everything the gateway is configured with; createApp (src/app.ts) builds from it. */
export interface Settings extends Config {
  /** Who may call, seller authorisation, the token store. */
  auth: AuthConfig;
  /** graphql-armor limits and the body size (GRAPHQL_MAX_*). */
  queryLimits: QueryLimits;
  /** Scale-out through Redis (issue #6); null without REDIS_URL: one process, nothing shared. */
  redis: RedisConfig | null;
  /**
   * After SIGTERM or SIGINT, how long requests in flight may take to finish before their
   * connections are closed, ms (SHUTDOWN_GRACE_MS; src/shutdown.ts). 0: closed at once.
   */
  shutdownGraceMs: number;
  /** GraphiQL, introspection, CORS and persisted operations (issue 12). */
  clientAccess: ClientAccessConfig;
  /** The webhook receiver (issue 13). */
  webhooks: WebhookConfig;
  /** /metrics and traces (issue 12). */
  observability: ObservabilityConfig;
  /** extensions.upstream and the upstream-call limit (issue 14). */
  upstreamCost: UpstreamCostConfig;
}

// Readers. Blank counts as unset, so a copied .env.example changes nothing. Messages state the rule
// broken, never the value received.

/** Blank or missing → undefined; otherwise the trimmed text. */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The trimmed text; blank or missing → `fallback`. */
const textOr = (fallback: string) => optionalText.transform((value) => value ?? fallback);

const orDefault = (fallback: unknown) => (value: unknown) =>
  value === undefined || value === '' ? fallback : value;
const numberOr = (fallback: number) => (value: unknown) =>
  value === undefined || value === '' ? fallback : Number(value);
const aNumber = () => z.number({ invalid_type_error: 'must be a number' });

/** A whole number > 0. */
const positiveInt = (fallback: number) =>
  z.preprocess(
    numberOr(fallback),
    aNumber().int('must be a whole number').positive('must be greater than 0'),
  );

/** A whole number ≥ 0. */
const nonNegativeInt = (fallback: number) =>
  z.preprocess(
    numberOr(fallback),
    aNumber().int('must be a whole number').min(0, 'must be 0 or more'),
  );

/** A TCP port (0 picks a free one); blank or missing → undefined. */
const optionalPort = z.preprocess(
  (value) => (value === undefined || value === '' ? undefined : Number(value)),
  aNumber()
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(65_535, 'must be at most 65535')
    .optional(),
);

/** A number > 0, fractions allowed. */
const positiveNumber = (fallback: number) =>
  z.preprocess(numberOr(fallback), aNumber().positive('must be greater than 0'));

const TRUE_WORDS = ['true', '1', 'yes'];
const flagValue = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    errorMap: () => ({ message: 'must be true or false' }),
  })
  .transform((value) => TRUE_WORDS.includes(value));

/** true/false, 1/0 or yes/no, any case. */
const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (value) =>
      value === undefined || value === '' ? String(fallback) : String(value).toLowerCase(),
    flagValue,
  );

/** A flag whose default depends on other settings (toSettings): blank or missing → undefined. */
const optionalBooleanFlag = z.preprocess(
  (value) => (value === undefined || value === '' ? undefined : String(value).toLowerCase()),
  flagValue.optional(),
);

/** `scheme://host[:port]` as a browser sends it in `Origin`; undefined for anything else. */
function readOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    const isHttp = url.protocol === 'http:' || url.protocol === 'https:';
    // A trailing `/` is tolerated; a path, query, fragment or credentials are not.
    const isBare = url.pathname === '/' && url.search === '' && url.hash === '';
    return isHttp && isBare && url.username === '' && url.password === '' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
/** TikTok retries a delivery for 2 min + 30 min + 3 h + 12 h (§8): ids must outlive that. */
const TIKTOK_RETRY_WINDOW_MS = 55_800_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isHttpUrl(value: string, { httpsUnlessLoopback }: { httpsUnlessLoopback: boolean }) {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && (!httpsUnlessLoopback || LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/** An absolute http(s) URL, without trailing slashes. */
const httpUrl = (fallback: string) =>
  z.preprocess(
    orDefault(fallback),
    z
      .string()
      .url('must be an absolute http(s) URL')
      .refine((value) => /^https?:\/\//.test(value), 'must be an absolute http(s) URL')
      .transform((value) => value.replace(/\/+$/, '')),
  );

const optionalHttpUrl = optionalText
  .refine(
    (value) => value === undefined || isHttpUrl(value, { httpsUnlessLoopback: false }),
    'must be an absolute http(s) URL',
  )
  .transform((value) => value?.replace(/\/+$/, ''));

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const REDIRECT_URI_RULE = 'must be an absolute http(s) URL without credentials or fragment';

const REDIS_NAME = /^[A-Za-z0-9:_.{}-]{1,64}$/;
const REDIS_NAME_RULE = 'must be 1-64 characters of letters, digits and : _ . - { }';
const optionalRedisName = optionalText.refine(
  (value) => value === undefined || REDIS_NAME.test(value),
  REDIS_NAME_RULE,
);

/** Every variable the gateway reads, with its rule and its default. */
const environmentSchema = z.object({
  // The TikTok Shop app and its hosts.
  TIKTOK_SHOP_APP_KEY: optionalText,
  TIKTOK_SHOP_APP_SECRET: optionalText,
  TIKTOK_SHOP_ACCESS_TOKEN: optionalText,
  TIKTOK_SHOP_REFRESH_TOKEN: optionalText,
  TIKTOK_SHOP_SHOP_ID: optionalText,
  TIKTOK_SHOP_API_BASE: httpUrl('https://open-api.tiktokglobalshop.com'),
  TIKTOK_SHOP_AUTH_BASE: httpUrl('https://auth.tiktok-shops.com'),
  // Rate limit per (app, shop), the HTTP client and its circuit breaker.
  TIKTOK_SHOP_RATE_LIMIT: positiveNumber(10),
  TIKTOK_SHOP_RATE_BURST: positiveInt(5),
  TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: positiveNumber(1),
  TIKTOK_SHOP_ANALYTICS_RATE_BURST: positiveInt(1),
  TIKTOK_SHOP_RATE_MAX_QUEUE: positiveInt(1000),
  TIKTOK_SHOP_RATE_MAX_WAIT_MS: positiveInt(10_000),
  TIKTOK_SHOP_CONNECT_TIMEOUT_MS: positiveInt(5_000),
  TIKTOK_SHOP_HEADERS_TIMEOUT_MS: positiveInt(15_000),
  TIKTOK_SHOP_BODY_TIMEOUT_MS: positiveInt(15_000),
  TIKTOK_SHOP_CONNECTIONS: positiveInt(64),
  TIKTOK_SHOP_MAX_ATTEMPTS: positiveInt(4),
  TIKTOK_SHOP_RETRY_BASE_MS: positiveInt(250),
  TIKTOK_SHOP_RETRY_MAX_MS: positiveInt(8_000),
  TIKTOK_SHOP_RATE_LIMIT_RETRIES: nonNegativeInt(DEFAULT_RATE_LIMIT_BACKOFF.maxRetries),
  TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MS: positiveInt(DEFAULT_RATE_LIMIT_BACKOFF.baseMs),
  TIKTOK_SHOP_RATE_LIMIT_JITTER_MS: nonNegativeInt(DEFAULT_RATE_LIMIT_BACKOFF.jitterMs),
  TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MAX_MS: positiveInt(DEFAULT_RATE_LIMIT_BACKOFF.maxMs),
  TIKTOK_SHOP_BREAKER_FAILURES: nonNegativeInt(5),
  TIKTOK_SHOP_BREAKER_COOLDOWN_MS: positiveInt(30_000),
  // The gateway.
  PORT: nonNegativeInt(4000),
  HOST: z.preprocess(orDefault('127.0.0.1'), z.string()),
  LOG_LEVEL: z.preprocess(
    orDefault('info'),
    z.enum(LOG_LEVELS, {
      errorMap: () => ({ message: `must be one of ${LOG_LEVELS.join(', ')}` }),
    }),
  ),
  CACHE_ENABLED: booleanFlag(true),
  CACHE_TTL_MS: positiveInt(60_000),
  CACHE_HISTORICAL_TTL_MS: positiveInt(3_600_000),
  CACHE_MAX_ENTRIES: positiveInt(5_000),
  RESPONSE_CACHE_ENABLED: booleanFlag(true),
  RESPONSE_CACHE_TTL_MS: positiveInt(10_000),
  RESPONSE_CACHE_MAX_ENTRIES: positiveInt(1_000),
  BATCHING_ENABLED: booleanFlag(true),
  PREFETCH_ENABLED: booleanFlag(true),
  SHUTDOWN_GRACE_MS: nonNegativeInt(10_000),
  // Browsers and frontends (issue 12). Defaults (toSettings): GraphiQL and introspection on,
  // except in production outside sandbox mode; CORS for loopback origins in sandbox mode, else none.
  NODE_ENV: optionalText,
  GRAPHIQL_ENABLED: optionalBooleanFlag,
  INTROSPECTION_ENABLED: optionalBooleanFlag,
  CORS_ORIGINS: optionalText.transform((value, context) => {
    if (value === undefined) return undefined;
    const entries = value.split(',').map((entry) => entry.trim());
    const origins = entries.map((entry) => (entry === '*' ? '*' : readOrigin(entry)));
    if (origins.some((origin) => origin === undefined)) {
      context.addIssue({
        code: 'custom',
        message:
          'comma-separated origins such as https://app.example.com (scheme, host and port, ' +
          'no path), or *',
      });
    }
    return origins.filter((origin): origin is string => origin !== undefined);
  }),
  PERSISTED_OPERATIONS: z.preprocess(
    orDefault('off'),
    z.enum(PERSISTED_OPERATIONS_MODES, {
      errorMap: () => ({ message: `must be one of ${PERSISTED_OPERATIONS_MODES.join(', ')}` }),
    }),
  ),
  PERSISTED_OPERATIONS_MANIFEST: optionalText,
  // Stock writes.
  INVENTORY_WRITE_SETTLE_MS: positiveInt(15_000),
  INVENTORY_WRITE_WAIT_MS: positiveInt(30_000),
  INVENTORY_WRITE_LOCK_TTL_MS: positiveInt(15_000),
  // Callers.
  GATEWAY_API_KEYS: optionalText.transform((value, context) => {
    const { entries, problems } = readApiKeys(value);
    for (const problem of problems) {
      context.addIssue({ code: 'custom', message: problem.replace(/^GATEWAY_API_KEYS: /, '') });
    }
    return entries;
  }),
  GATEWAY_JWT_SECRET: optionalText.superRefine((value, context) => {
    const problem = value === undefined ? undefined : checkJwtSecret(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  GATEWAY_JWKS_URL: optionalText.refine(
    (value) => value === undefined || isHttpUrl(value, { httpsUnlessLoopback: true }),
    'must be an https URL (http only on loopback)',
  ),
  GATEWAY_JWT_ISSUER: optionalText,
  GATEWAY_JWT_AUDIENCE: optionalText,
  GATEWAY_JWT_MAX_LIFETIME_S: positiveInt(DEFAULT_JWT_MAX_LIFETIME_S),
  GATEWAY_JWT_REQUIRE_SHOPS: booleanFlag(false),
  // Seller tokens.
  TOKEN_ENCRYPTION_KEY: optionalText.transform((value, context) => {
    if (value === undefined) return undefined;
    try {
      return parseEncryptionKey(value);
    } catch (error) {
      const message = (error as Error).message.replace(/^TOKEN_ENCRYPTION_KEY /, '');
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
  }),
  TOKEN_STORE_PATH: optionalText,
  TOKEN_REFRESH_MARGIN_MS: nonNegativeInt(300_000),
  // Seller authorisation (OAuth).
  TIKTOK_SHOP_SERVICE_ID: optionalText,
  TIKTOK_SHOP_AUTHORIZE_BASE: optionalHttpUrl,
  TIKTOK_SHOP_AUTHORIZE_REGION: z.preprocess(
    orDefault('global'),
    z.enum(AUTHORIZE_REGIONS, {
      errorMap: () => ({ message: `must be one of ${AUTHORIZE_REGIONS.join(', ')}` }),
    }),
  ),
  OAUTH_CALLBACK_PATH: textOr('/oauth/callback').pipe(
    z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with /'),
  ),
  OAUTH_STATE_TTL_MS: positiveInt(600_000),
  OAUTH_REDIRECT_URI: textOr(SETUP_GUIDE_REDIRECT_URI).refine(
    (value) => parseRedirectUri(value) !== undefined,
    REDIRECT_URI_RULE,
  ),
  // Default (toSettings): the gateway's own callback URL and OAUTH_REDIRECT_URI.
  OAUTH_REDIRECT_URIS: optionalText.transform((value, context) => {
    const entries = value?.split(',').map((entry) => entry.trim()) ?? [];
    if (entries.some((entry) => parseRedirectUri(entry) === undefined)) {
      context.addIssue({
        code: 'custom',
        message: `comma-separated list; each ${REDIRECT_URI_RULE}`,
      });
    }
    return entries.length > 0 ? entries : undefined;
  }),
  // Query limits.
  GRAPHQL_REQUEST_DEADLINE_MS: positiveInt(30_000),
  GRAPHQL_MAX_DEPTH: positiveInt(DEFAULT_QUERY_LIMITS.maxDepth),
  GRAPHQL_MAX_TOKENS: positiveInt(DEFAULT_QUERY_LIMITS.maxTokens),
  GRAPHQL_MAX_ALIASES: positiveInt(DEFAULT_QUERY_LIMITS.maxAliases),
  GRAPHQL_MAX_DIRECTIVES: positiveInt(DEFAULT_QUERY_LIMITS.maxDirectives),
  GRAPHQL_MAX_COST: positiveInt(DEFAULT_QUERY_LIMITS.maxCost),
  GRAPHQL_MAX_BODY_BYTES: positiveInt(DEFAULT_QUERY_LIMITS.maxBodyBytes),
  GRAPHQL_MAX_UPSTREAM_CALLS: positiveInt(300),
  GRAPHQL_REPORT_UPSTREAM_COST: booleanFlag(false),
  // Webhooks (issue 13).
  WEBHOOK_PATH: textOr('/webhooks/tiktok').pipe(
    z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with /'),
  ),
  WEBHOOK_DEDUP_TTL_MS: z.preprocess(
    numberOr(86_400_000),
    aNumber()
      .int('must be a whole number')
      .min(TIKTOK_RETRY_WINDOW_MS, `must be at least ${TIKTOK_RETRY_WINDOW_MS} (TikTok's retries)`),
  ),
  RECONCILE_INTERVAL_MS: nonNegativeInt(60_000),
  // Scale-out (Redis).
  REDIS_URL: optionalText.refine(
    (value) => value === undefined || isRedisUrl(value),
    'must be a redis:// or rediss:// URL with a host',
  ),
  REDIS_KEY_PREFIX: textOr('tts:').pipe(z.string().regex(REDIS_NAME, REDIS_NAME_RULE)),
  REDIS_REPLICAS: positiveInt(1),
  REDIS_CONNECT_TIMEOUT_MS: positiveInt(2_000),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(1_000),
  REDIS_REFRESH_LOCK_TTL_MS: positiveInt(15_000),
  REDIS_REFRESH_WAIT_MS: positiveInt(30_000),
  REDIS_INVALIDATION_CHANNEL: optionalRedisName,
  REDIS_INSTANCE_ID: optionalRedisName,
  // Metrics and traces (issue 12).
  METRICS_ENABLED: booleanFlag(true),
  METRICS_TOKEN: optionalText.refine(
    (value) => value === undefined || value.length >= 16,
    'must be at least 16 characters',
  ),
  METRICS_PORT: optionalPort,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl,
  OTEL_SERVICE_NAME: textOr('tiktok-shop-gateway'),
});

type Values = z.infer<typeof environmentSchema>;

/**
 * Rules between variables. They read the raw text, so they report even when one of the
 * variables failed its own rule above.
 */
function relationProblems(env: Environment): string[] {
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if (isSet('TIKTOK_SHOP_APP_KEY') && !isSet('TIKTOK_SHOP_APP_SECRET')) {
    problems.push('TIKTOK_SHOP_APP_SECRET: required when TIKTOK_SHOP_APP_KEY is set');
  }
  if (!isSet('TIKTOK_SHOP_APP_KEY') && isSet('TIKTOK_SHOP_APP_SECRET')) {
    problems.push('TIKTOK_SHOP_APP_KEY: required when TIKTOK_SHOP_APP_SECRET is set');
  }
  // §2.1 knows a US host only for the service_id form of the link.
  if (
    (env.TIKTOK_SHOP_AUTHORIZE_REGION ?? '').trim() === 'us' &&
    !isSet('TIKTOK_SHOP_SERVICE_ID')
  ) {
    problems.push('TIKTOK_SHOP_AUTHORIZE_REGION: us needs TIKTOK_SHOP_SERVICE_ID');
  }
  const redirectUris = (env.OAUTH_REDIRECT_URIS ?? '').split(',').map((entry) => entry.trim());
  const redirectUri = (env.OAUTH_REDIRECT_URI ?? '').trim();
  if (
    isSet('OAUTH_REDIRECT_URIS') &&
    isSet('OAUTH_REDIRECT_URI') &&
    !isAllowedRedirect(redirectUris, redirectUri)
  ) {
    problems.push('OAUTH_REDIRECT_URI: must be one of OAUTH_REDIRECT_URIS');
  }
  // GraphiQL sends the documents typed in it, which a manifest cannot hold.
  if (
    TRUE_WORDS.includes((env.GRAPHIQL_ENABLED ?? '').trim().toLowerCase()) &&
    (env.PERSISTED_OPERATIONS ?? '').trim() === 'require'
  ) {
    problems.push(
      'GRAPHIQL_ENABLED: GraphiQL cannot run with PERSISTED_OPERATIONS=require (it sends ' +
        'documents that are not in the manifest); use allow, or turn GraphiQL off',
    );
  }
  if (!isSet('GATEWAY_JWT_SECRET') && !isSet('GATEWAY_JWKS_URL')) {
    for (const name of [
      'GATEWAY_JWT_ISSUER',
      'GATEWAY_JWT_AUDIENCE',
      'GATEWAY_JWT_MAX_LIFETIME_S',
      'GATEWAY_JWT_REQUIRE_SHOPS',
    ]) {
      if (isSet(name)) problems.push(`${name}: needs GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL`);
    }
  }
  return problems;
}

/** Rules between parsed values (defaults applied). */
function valueProblems(values: Values): string[] {
  const { METRICS_PORT: metricsPort, PORT: port } = values;
  return metricsPort !== undefined && metricsPort !== 0 && metricsPort === port
    ? ['METRICS_PORT: must differ from PORT (unset it to serve /metrics on PORT)']
    : [];
}

function describeIssues(error: ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

/**
 * The process environment over the variables of `.env` (when the file exists): a variable set in
 * the real environment wins, even when blank, as the setup guide promises.
 */
export function readEnvironment(dotEnvPath = resolve(process.cwd(), '.env')): Environment {
  const fromFile = existsSync(dotEnvPath) ? parseDotEnv(readFileSync(dotEnvPath)) : {};
  return { ...fromFile, ...process.env };
}

/**
 * The settings from `env` (default: the process environment over `.env`). Pure for a given map,
 * as the tests use it. Throws one ConfigError naming every problem by variable.
 */
export function loadSettings(env: Environment = readEnvironment()): Settings {
  const parsed = environmentSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? valueProblems(parsed.data) : describeIssues(parsed.error)),
    ...relationProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toSettings(parsed.data);
}

function toSettings(values: Values): Settings {
  const credentials =
    values.TIKTOK_SHOP_APP_KEY && values.TIKTOK_SHOP_APP_SECRET
      ? { appKey: values.TIKTOK_SHOP_APP_KEY, appSecret: values.TIKTOK_SHOP_APP_SECRET }
      : undefined;
  const mode = credentials ? 'tiktok' : 'sandbox';
  return {
    mode,
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
      rateLimitBackoff: {
        baseMs: values.TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MS,
        jitterMs: values.TIKTOK_SHOP_RATE_LIMIT_JITTER_MS,
        maxMs: values.TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MAX_MS,
        maxRetries: values.TIKTOK_SHOP_RATE_LIMIT_RETRIES,
      },
    },
    rateLimit: {
      requestsPerSecond: values.TIKTOK_SHOP_RATE_LIMIT,
      burst: values.TIKTOK_SHOP_RATE_BURST,
      analytics: {
        requestsPerSecond: values.TIKTOK_SHOP_ANALYTICS_RATE_LIMIT,
        burst: values.TIKTOK_SHOP_ANALYTICS_RATE_BURST,
      },
      maxQueue: values.TIKTOK_SHOP_RATE_MAX_QUEUE,
      maxWaitMs: values.TIKTOK_SHOP_RATE_MAX_WAIT_MS,
    },
    breaker: {
      failureThreshold: values.TIKTOK_SHOP_BREAKER_FAILURES,
      cooldownMs: values.TIKTOK_SHOP_BREAKER_COOLDOWN_MS,
    },
    cache: {
      enabled: values.CACHE_ENABLED,
      ttlMs: values.CACHE_TTL_MS,
      historicalTtlMs: values.CACHE_HISTORICAL_TTL_MS,
      maxEntries: values.CACHE_MAX_ENTRIES,
      responses: {
        enabled: values.RESPONSE_CACHE_ENABLED,
        ttlMs: values.RESPONSE_CACHE_TTL_MS,
        maxEntries: values.RESPONSE_CACHE_MAX_ENTRIES,
      },
    },
    inventoryWrites: {
      settleMs: values.INVENTORY_WRITE_SETTLE_MS,
      waitMs: values.INVENTORY_WRITE_WAIT_MS,
      lockTtlMs: values.INVENTORY_WRITE_LOCK_TTL_MS,
    },
    batchingEnabled: values.BATCHING_ENABLED,
    prefetchEnabled: values.PREFETCH_ENABLED,
    requestDeadlineMs: values.GRAPHQL_REQUEST_DEADLINE_MS,
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    auth: {
      tokenEncryptionKey: values.TOKEN_ENCRYPTION_KEY,
      tokenStorePath: resolve(values.TOKEN_STORE_PATH ?? DEFAULT_TOKEN_STORE_PATH),
      hasTokenStorePath: values.TOKEN_STORE_PATH !== undefined,
      apiKeys: values.GATEWAY_API_KEYS,
      jwt: jwtVerification(values),
      serviceId: values.TIKTOK_SHOP_SERVICE_ID,
      authorizeBase: values.TIKTOK_SHOP_AUTHORIZE_BASE,
      authorizeRegion: values.TIKTOK_SHOP_AUTHORIZE_REGION,
      oauthCallbackPath: values.OAUTH_CALLBACK_PATH,
      oauthRedirectUri: values.OAUTH_REDIRECT_URI,
      oauthRedirectUris: values.OAUTH_REDIRECT_URIS ?? [
        gatewayCallbackUrl(values.HOST, values.PORT, values.OAUTH_CALLBACK_PATH),
        values.OAUTH_REDIRECT_URI,
      ],
      oauthStateTtlMs: values.OAUTH_STATE_TTL_MS,
      tokenRefreshMarginMs: values.TOKEN_REFRESH_MARGIN_MS,
    },
    queryLimits: {
      maxDepth: values.GRAPHQL_MAX_DEPTH,
      maxTokens: values.GRAPHQL_MAX_TOKENS,
      maxAliases: values.GRAPHQL_MAX_ALIASES,
      maxDirectives: values.GRAPHQL_MAX_DIRECTIVES,
      maxCost: values.GRAPHQL_MAX_COST,
      maxBodyBytes: values.GRAPHQL_MAX_BODY_BYTES,
    },
    upstreamCost: {
      report: values.GRAPHQL_REPORT_UPSTREAM_COST,
      maxCalls: values.GRAPHQL_MAX_UPSTREAM_CALLS,
    },
    redis: redisConfig(values),
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    clientAccess: clientAccess(values, mode),
    webhooks: {
      path: values.WEBHOOK_PATH,
      dedupTtlMs: values.WEBHOOK_DEDUP_TTL_MS,
      reconcileIntervalMs: values.RECONCILE_INTERVAL_MS,
    },
    observability: {
      metricsEnabled: values.METRICS_ENABLED,
      metricsToken: values.METRICS_TOKEN,
      metricsPort: values.METRICS_PORT,
      otlpEndpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: values.OTEL_SERVICE_NAME,
    },
  };
}

/**
 * The defaults of issue 12: a production service (NODE_ENV=production outside sandbox mode)
 * serves neither GraphiQL nor introspection; GraphiQL is off with PERSISTED_OPERATIONS=require.
 * Without CORS_ORIGINS only the gateway's own origin may call from a browser (it needs no CORS),
 * and in sandbox mode also any loopback origin (a frontend in development).
 */
function clientAccess(values: Values, mode: Settings['mode']): ClientAccessConfig {
  const isProductionService = mode === 'tiktok' && values.NODE_ENV === 'production';
  const listed = values.CORS_ORIGINS;
  return {
    graphiql:
      values.GRAPHIQL_ENABLED ??
      (!isProductionService && values.PERSISTED_OPERATIONS !== 'require'),
    introspection: values.INTROSPECTION_ENABLED ?? !isProductionService,
    cors: {
      anyOrigin: listed?.includes('*') ?? false,
      loopbackOrigins: listed === undefined && mode === 'sandbox',
      origins: listed?.filter((origin) => origin !== '*') ?? [],
    },
    persistedOperations: values.PERSISTED_OPERATIONS,
    persistedOperationsManifest: values.PERSISTED_OPERATIONS_MANIFEST,
  };
}

function jwtVerification(values: Values): JwtVerificationConfig | undefined {
  const secret = values.GATEWAY_JWT_SECRET;
  if (!secret && !values.GATEWAY_JWKS_URL) return undefined;
  const audience = (values.GATEWAY_JWT_AUDIENCE ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return {
    secret: secret === undefined ? undefined : new TextEncoder().encode(secret),
    jwksUrl: values.GATEWAY_JWKS_URL,
    issuer: values.GATEWAY_JWT_ISSUER,
    audience: audience.length > 1 ? audience : audience[0],
    maxLifetimeSeconds: values.GATEWAY_JWT_MAX_LIFETIME_S,
    requireShops: values.GATEWAY_JWT_REQUIRE_SHOPS,
  };
}

function redisConfig(values: Values): RedisConfig | null {
  if (values.REDIS_URL === undefined) return null;
  const keyPrefix = values.REDIS_KEY_PREFIX;
  return {
    url: values.REDIS_URL,
    keyPrefix,
    replicas: values.REDIS_REPLICAS,
    connectTimeoutMs: values.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS,
    refreshLockTtlMs: values.REDIS_REFRESH_LOCK_TTL_MS,
    refreshWaitMs: values.REDIS_REFRESH_WAIT_MS,
    invalidationChannel: values.REDIS_INVALIDATION_CHANNEL ?? `${keyPrefix}invalidate`,
    instanceId:
      values.REDIS_INSTANCE_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  };
}
