// GET /readyz (issue 12): whether this replica should get traffic, as JSON naming each check.
// /healthz only says the process answers; this says it can serve: not draining, the token store
// reads, Redis answers (when configured), a seller is authorised, and TikTok is not known to be
// down for every shop (the circuit breaker's state). Probes come often, so one answer is reused
// for a moment and concurrent probes share one check; the body holds counts, never tokens, shop
// ids or URLs.
import type { SellerRecord, TokenStore } from './auth/token-store.js';
import { type CircuitSnapshot, circuitKey } from './datasources/tiktok/circuit-breaker.js';
import type { RateClass } from './datasources/tiktok/endpoints.js';
import type { Drain } from './drain.js';
import type { Logger } from './logger.js';
import { authorizationWarnings } from './webhooks/authorization-notices.js';

/** TikTok warns daily from 30 days before an authorisation expires (§8 type 7). */
const EXPIRY_WARNING_MS = 30 * 86_400_000;

export interface ReadinessChecks {
  draining: { ok: boolean };
  /** The token store answered a read of every seller (from Redis, the file, or memory). */
  tokenStore: { ok: boolean; error?: string };
  /** `configured: false` without REDIS_URL (always ok then). */
  redis: { ok: boolean; configured: boolean; error?: string };
  /**
   * Sellers stored, and those with a token still usable or renewable whose seller has not
   * deauthorised the app (SELLER_DEAUTHORIZATION, issue 13).
   */
  sellers: { ok: boolean; stored: number; authorised: number };
  /**
   * TikTok's authorisation webhooks (issue 13), for the operator: sellers that deauthorised the
   * app, those whose authorisation expires within 30 days and the earliest such expiry. A warning,
   * never a failing check (`npm run doctor` names the sellers).
   */
  authorizations: {
    ok: true;
    deauthorized: number;
    expiringSoon: number;
    nextExpiryAt: string | null;
  };
  /** Shops of the stored sellers, and those with an open circuit (calls fail without being sent). */
  upstream: { ok: boolean; shops: number; down: number };
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: ReadinessChecks;
}

export interface ReadinessDeps {
  drain: Pick<Drain, 'isDraining'>;
  store: Pick<TokenStore, 'load'>;
  /** The scale-out connection; undefined without REDIS_URL. */
  redis: { ping(): Promise<unknown>; readonly status: string } | undefined;
  circuitStates(): CircuitSnapshot[];
  /** The app key the circuits are keyed by. */
  appKey: string;
  /** Longest wait for the token store or Redis, ms. Default 1 000. */
  timeoutMs?: number;
  /** How long a check's answer is reused, ms (draining is never cached). Default 1 000. */
  cacheMs?: number;
  /** Clock for token expiry, ms since the epoch. Default Date.now (the cache runs on real time). */
  now?: () => number;
  /** Each change between ready and not ready is logged once, with the failing checks. */
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
  /** The check as the HTTP answer: 200 when ready, else 503; JSON, never cached by proxies. */
  response(): Promise<Response>;
}

/** The circuits of the API host's calls for a shop (the auth host has no shop). */
const SHOP_RATE_CLASSES: RateClass[] = ['standard', 'analytics'];

class CheckTimeoutError extends Error {
  override name = 'CheckTimeoutError';
}

function within<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new CheckTimeoutError(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([work(), timeout]).finally(() => clearTimeout(timer));
}

/** A failure as the body may show it: our timeout's message, else only the error's class name. */
function describeFailure(error: unknown): string {
  if (error instanceof CheckTimeoutError) return error.message;
  return error instanceof Error && error.name !== 'Error' ? error.name : 'failed';
}

/**
 * The seller has not deauthorised the app and has an access token not known to be expired, or a
 * refresh token still valid.
 */
function isAuthorised(seller: SellerRecord, nowMs: number): boolean {
  if (seller.authorization?.deauthorizedAt !== undefined) return false;
  const { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt } = seller.tokens;
  const isAccessUsable =
    accessToken !== '' && (accessTokenExpiresAt === null || accessTokenExpiresAt * 1000 > nowMs);
  const isRefreshUsable =
    refreshToken !== null &&
    (refreshTokenExpiresAt === null || refreshTokenExpiresAt * 1000 > nowMs);
  return isAccessUsable || isRefreshUsable;
}

/** The authorisation warnings as counts: /readyz answers anyone, so no seller or shop is named. */
function authorizationCounts(
  sellers: SellerRecord[],
  nowMs: number,
): ReadinessChecks['authorizations'] {
  const warnings = authorizationWarnings(sellers);
  const expiries = warnings
    .filter((warning) => warning.deauthorizedAt === undefined && warning.expiresAt !== undefined)
    .map((warning) => Date.parse(warning.expiresAt as string))
    .filter((expiresAtMs) => expiresAtMs - nowMs <= EXPIRY_WARNING_MS)
    .sort((a, b) => a - b);
  return {
    ok: true,
    deauthorized: warnings.filter((warning) => warning.deauthorizedAt !== undefined).length,
    expiringSoon: expiries.length,
    nextExpiryAt: expiries[0] === undefined ? null : new Date(expiries[0]).toISOString(),
  };
}

export function createReadiness(deps: ReadinessDeps): Readiness {
  const timeoutMs = deps.timeoutMs ?? 1_000;
  const cacheMs = deps.cacheMs ?? 1_000;
  const now = deps.now ?? Date.now;
  let cached: { checks: Omit<ReadinessChecks, 'draining'>; atMs: number } | undefined;
  let running: Promise<Omit<ReadinessChecks, 'draining'>> | undefined;
  let wasReady: boolean | undefined;

  async function storeChecks(): Promise<
    Pick<ReadinessChecks, 'tokenStore' | 'sellers' | 'upstream' | 'authorizations'>
  > {
    let sellers: SellerRecord[];
    try {
      ({ sellers } = await within(() => deps.store.load(), timeoutMs));
    } catch (error) {
      return {
        tokenStore: { ok: false, error: describeFailure(error) },
        sellers: { ok: false, stored: 0, authorised: 0 },
        upstream: { ok: false, shops: 0, down: 0 },
        authorizations: { ok: true, deauthorized: 0, expiringSoon: 0, nextExpiryAt: null },
      };
    }
    const nowMs = now();
    const authorised = sellers.filter((seller) => isAuthorised(seller, nowMs)).length;
    const shopIds = new Set(sellers.flatMap((seller) => seller.shops.map((shop) => shop.id)));
    const open = new Set(
      deps
        .circuitStates()
        .filter((circuit) => circuit.state === 'open')
        .map((circuit) => circuit.circuit),
    );
    const down = [...shopIds].filter((shopId) =>
      SHOP_RATE_CLASSES.some((rateClass) => open.has(circuitKey(deps.appKey, shopId, rateClass))),
    ).length;
    return {
      tokenStore: { ok: true },
      sellers: { ok: authorised > 0, stored: sellers.length, authorised },
      // No shop known yet (a seller seeded from the environment): nothing says TikTok is down.
      upstream: { ok: shopIds.size === 0 || down < shopIds.size, shops: shopIds.size, down },
      authorizations: authorizationCounts(sellers, nowMs),
    };
  }

  async function redisCheck(): Promise<ReadinessChecks['redis']> {
    const { redis } = deps;
    if (!redis) return { ok: true, configured: false };
    try {
      await within(() => redis.ping(), timeoutMs);
      return { ok: true, configured: true };
    } catch (error) {
      // ioredis refuses at once while disconnected: its state says more than the error.
      const reason =
        redis.status === 'ready' ? describeFailure(error) : `connection ${redis.status}`;
      return { ok: false, configured: true, error: reason };
    }
  }

  async function runChecks(): Promise<Omit<ReadinessChecks, 'draining'>> {
    const [stored, redis] = await Promise.all([storeChecks(), redisCheck()]);
    return {
      tokenStore: stored.tokenStore,
      redis,
      sellers: stored.sellers,
      upstream: stored.upstream,
      authorizations: stored.authorizations,
    };
  }

  /** The cached answer while fresh, else one check shared by every probe asking meanwhile. */
  async function latestChecks(): Promise<Omit<ReadinessChecks, 'draining'>> {
    if (cached && performance.now() - cached.atMs < cacheMs) return cached.checks;
    running ??= runChecks()
      .then((checks) => {
        cached = { checks, atMs: performance.now() };
        return checks;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  async function check(): Promise<ReadinessReport> {
    const checks: ReadinessChecks = {
      draining: { ok: !deps.drain.isDraining },
      ...(await latestChecks()),
    };
    const failing = Object.entries(checks)
      .filter(([, result]) => !result.ok)
      .map(([name]) => name);
    const isReady = failing.length === 0;
    if (isReady !== wasReady) {
      if (isReady) deps.logger?.info({}, 'Ready: every readiness check passes');
      else deps.logger?.warn({ failing, checks }, 'Not ready: /readyz answers 503');
      wasReady = isReady;
    }
    return { status: isReady ? 'ready' : 'not ready', checks };
  }

  return {
    check,
    async response() {
      const report = await check();
      return new Response(JSON.stringify(report), {
        status: report.status === 'ready' ? 200 : 503,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      });
    },
  };
}
