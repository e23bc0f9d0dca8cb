// Wires the protocol core (checks, tokens, OAuth, faults, log, admin) around a store and routes.
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, createAdminHandler, DEFAULT_SETTLE_TIMEOUT_MS } from './admin-routes.js';
import { createApiHandler } from './api-handler.js';
import { createAuthCodeStore } from './auth-codes.js';
import { createAuthorizationRoutes } from './authorization-routes.js';
import { DEMO_APP } from './demo-app.js';
import { CODES, createRequestId, failure, sendEnvelope } from './envelope.js';
import { createFaultInjector } from './faults.js';
import { arrivalTimeMs, readBody, splitUrl } from './http-io.js';
import { AUTH_HOST_PATHS, createOAuthHandler } from './oauth-routes.js';
import { createRateLimiter, type RateLimits } from './rate-limit.js';
import { answerLogger, createRequestLog } from './request-log.js';
import type { DomainFactory, StoreDirectory } from './route-types.js';
import { createRouter } from './router.js';
import { ALL_SCOPES } from './scopes.js';
import { createTokenStore } from './tokens.js';
import type { EmulatorHandle, EmulatorOptions, EmulatorSeller, IssuedTokens } from './types.js';
import { createWebhookDeliverer } from './webhooks/webhook-deliverer.js';

const DAY_SECONDS = 24 * 60 * 60;
/** §2.4: access tokens live 7 days by default. */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 7 * DAY_SECONDS;
/** Our default; TikTok does not state the refresh-token lifetime (§2.4). */
export const DEFAULT_REFRESH_TOKEN_TTL_SECONDS = 365 * DAY_SECONDS;
/** §7: TikTok publishes no number; 10 req/s per shop with a burst of 10 is our default. */
export const DEFAULT_RATE_LIMIT = { requestsPerSecond: 10, burst: 10 } as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts an emulator over the given store and domain (its routes, admin routes and handle
 * methods, built with the core's webhook deliverer). `createEmulator` (server.ts) calls this with
 * the seeded store; the split keeps the protocol core free of the data generator.
 */
export async function startEmulator(
  directory: StoreDirectory,
  createDomain: DomainFactory,
  options: EmulatorOptions = {},
): Promise<EmulatorHandle> {
  const settings = resolveSettings(options);
  const { now } = settings;
  const log = createRequestLog();
  const tokens = createTokenStore({
    now,
    accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: settings.refreshTokenTtlSeconds,
  });
  const faults = createFaultInjector(settings.seed, options.faults ?? {});
  const rateLimiter = createRateLimiter({ limits: settings.rateLimits });
  const webhooks = createWebhookDeliverer({
    appKey: settings.appKey,
    appSecret: settings.appSecret,
    now,
    faults,
    seed: settings.seed,
  });
  const domain = createDomain({ deliverWebhook: webhooks.deliver });
  const shutdown = new AbortController();
  // Every request waiting out its injected latency listens to it (56 at once on an orders page).
  setMaxListeners(0, shutdown.signal);
  const sellersByOpenId = new Map(directory.sellers.map((seller) => [seller.openId, seller]));
  const shopsByCipher = new Map(directory.shops.map((shop) => [shop.cipher, shop]));
  const sellers = toPublicSellers(directory);
  /** Requests being handled, injected latency included (admin routes excluded). */
  let pending = 0;

  const issueTokens = (input: {
    openId: string;
    scopes?: string[];
    accessTokenTtlSeconds?: number;
  }): IssuedTokens => {
    if (typeof input.openId !== 'string' || !sellersByOpenId.has(input.openId)) {
      throw new RangeError('issueTokens: openId is not one of the emulator sellers');
    }
    const scopes = input.scopes ?? ALL_SCOPES;
    if (
      !Array.isArray(scopes) ||
      scopes.some((scope) => !(ALL_SCOPES as string[]).includes(scope))
    ) {
      throw new RangeError(`issueTokens: scopes must be a list of: ${ALL_SCOPES.join(', ')}`);
    }
    const ttl = input.accessTokenTtlSeconds;
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1)) {
      throw new RangeError('issueTokens: accessTokenTtlSeconds must be an integer >= 1');
    }
    return tokens.issue({
      openId: input.openId,
      scopes: [...new Set(scopes)],
      accessTokenTtlSeconds: ttl,
    });
  };

  const handleApi = createApiHandler({
    router: createRouter([...createAuthorizationRoutes(directory), ...domain.routes]),
    appKey: settings.appKey,
    appSecret: settings.appSecret,
    tokens,
    sellersByOpenId,
    shopsByCipher,
    now,
    rateLimiter,
    faults,
    log,
    shutdown: shutdown.signal,
  });
  const handleAuthHost = createOAuthHandler({
    appKey: settings.appKey,
    appSecret: settings.appSecret,
    serviceId: settings.serviceId,
    redirectUris: settings.redirectUris,
    allScopes: ALL_SCOPES,
    directory,
    tokens,
    authCodes: createAuthCodeStore(now),
    log,
    now,
  });
  const handleAdmin = createAdminHandler({
    log,
    faults,
    setFaults: (config) => faults.set(config),
    rateLimiter,
    issueTokens,
    sellers,
    webhooks,
    domainRoutes: domain.adminRoutes,
  });

  async function dispatch(req: IncomingMessage, res: ServerResponse, atMs: number): Promise<void> {
    const read = await readBody(req);
    if (!read.ok) {
      if (read.reason === 'too_large') answerTooLarge(req, res, atMs);
      return;
    }
    const arrived = { req, res, atMs, body: read.body };
    const { path } = splitUrl(req.url);
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(arrived);
    pending += 1;
    try {
      if (AUTH_HOST_PATHS.has(path)) handleAuthHost(arrived);
      else await handleApi(arrived);
    } finally {
      pending -= 1;
    }
  }

  function answerTooLarge(req: IncomingMessage, res: ServerResponse, atMs: number): void {
    const problem = failure(413, CODES.bodyTooLarge, 'Request body is too large.');
    const answered = sendEnvelope(res, createRequestId(now()), problem);
    if (splitUrl(req.url).path.startsWith(ADMIN_PREFIX)) return;
    answerLogger(log, { req, atMs })({
      endpoint: 'unknown',
      shopId: null,
      ...answered,
      fault: null,
    });
  }

  const server = createServer((req, res) => {
    const atMs = arrivalTimeMs();
    dispatch(req, res, atMs).catch((error: unknown) => {
      process.stderr.write(
        `emulator: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!res.headersSent) {
        const problem = failure(500, CODES.internalError, 'Internal error. Please retry later.');
        sendEnvelope(res, createRequestId(now()), problem);
      } else {
        res.destroy();
      }
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: settings.port, host: settings.host }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    domain.close();
    await webhooks.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | null = null;
  return {
    ...domain.handle,
    url: `http://${hostForUrl}:${address.port}`,
    appKey: settings.appKey,
    appSecret: settings.appSecret,
    serviceId: settings.serviceId,
    sellers,
    requests: () => log.entries(),
    counters: () => log.counters(),
    resetRequests: () => log.reset(),
    pendingRequests: () => pending,
    setFaults: (config) => faults.set(config),
    setRateLimits: (limits) => rateLimiter.setLimits(limits),
    issueTokens,
    webhookDeliveries: (sinceMs) => webhooks.deliveries(sinceMs),
    settleWebhooks: (timeoutMs = DEFAULT_SETTLE_TIMEOUT_MS) => webhooks.settle(timeoutMs),
    close() {
      closing ??= (async () => {
        // Nothing may raise events once closing starts; pending deliveries are cancelled.
        domain.close();
        await webhooks.close();
        await new Promise<void>((resolve) => {
          shutdown.abort();
          server.close(() => resolve());
          // Stalled replies and idle keep-alive sockets would otherwise hold close() open.
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

interface Settings {
  port: number;
  host: string;
  seed: number;
  appKey: string;
  appSecret: string;
  serviceId: string;
  redirectUris: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  rateLimits: RateLimits;
  now: () => number;
}

/** Applies defaults and refuses options that would make the emulator lie or listen publicly. */
function resolveSettings(options: EmulatorOptions): Settings {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError('emulator: port must be an integer from 0 to 65535');
  }
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new RangeError('emulator: host must be a loopback address (127.0.0.1, ::1 or localhost)');
  }
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError('emulator: seed must be an integer');
  const appKey = options.appKey ?? DEMO_APP.appKey;
  const appSecret = options.appSecret ?? DEMO_APP.appSecret;
  const serviceId = options.serviceId ?? DEMO_APP.serviceId;
  if (!appKey || !appSecret || !serviceId) {
    throw new RangeError('emulator: appKey, appSecret and serviceId must not be empty');
  }
  const redirectUris = options.redirectUris ?? [];
  for (const uri of redirectUris) {
    if (!isAbsoluteHttpUrl(uri)) {
      throw new RangeError(
        'emulator: redirectUris must be absolute http(s) URLs without a fragment',
      );
    }
  }
  const accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  const refreshTokenTtlSeconds =
    options.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TOKEN_TTL_SECONDS;
  for (const [name, ttl] of [
    ['accessTokenTtlSeconds', accessTokenTtlSeconds],
    ['refreshTokenTtlSeconds', refreshTokenTtlSeconds],
  ] as const) {
    if (!Number.isInteger(ttl) || ttl < 1) {
      throw new RangeError(`emulator: ${name} must be an integer >= 1`);
    }
  }
  const standardLimit = options.rateLimit ?? { ...DEFAULT_RATE_LIMIT };
  return {
    port,
    host,
    seed,
    appKey,
    appSecret,
    serviceId,
    redirectUris: [...redirectUris],
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    rateLimits: {
      standard: standardLimit,
      analytics: options.analyticsRateLimit ?? standardLimit,
    },
    now: options.now ?? Date.now,
  };
}

function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}

function toPublicSellers(directory: StoreDirectory): EmulatorSeller[] {
  return directory.sellers.map((seller) => ({
    openId: seller.openId,
    name: seller.name,
    shops: directory.shops
      .filter((shop) => seller.shopIds.includes(shop.id))
      .map((shop) => ({
        id: shop.id,
        name: shop.name,
        region: shop.region,
        cipher: shop.cipher,
        code: shop.code,
      })),
  }));
}
