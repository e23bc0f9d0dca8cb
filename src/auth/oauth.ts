// Seller authorisation (§2): the authorize URL with a signed, expiring, single-use `state` for an
// allowed redirect, and the code exchange that stores the seller's tokens (first) and shops.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthHostClient, AuthorizedShop, TokenGrant } from '../datasources/tiktok/types.js';
import { deriveKey } from './encryption-key.js';
import {
  AuthorizationDeniedError,
  OAuthStateError,
  type OAuthStateFailure,
  ReauthorizationRequiredError,
  RedirectUriNotAllowedError,
  TokenStoreConflictError,
} from './errors.js';
import { createGrantSaves, type GrantSaves } from './grant-saves.js';
import { type AuthLogger, describeError, silentLogger } from './logger.js';
import { isAllowedRedirect, isRedirectOf } from './redirect-uris.js';
import {
  ENVIRONMENT_SELLER_ID,
  type SellerInput,
  type SellerRecord,
  type TokenStore,
} from './token-store.js';

/** Legacy authorize host (§2.1), also TikTok's auth host. */
export const DEFAULT_AUTHORIZE_BASE = 'https://auth.tiktok-shops.com';
/** Host of the current `service_id` authorize link, rest of world (§2.1). */
export const DEFAULT_SERVICES_AUTHORIZE_BASE = 'https://services.tiktokshop.com';
/** Host of the `service_id` authorize link for US sellers (§2.1). */
export const US_SERVICES_AUTHORIZE_BASE = 'https://services.us.tiktokshop.com';

/** The market an app's authorize link is for (TIKTOK_SHOP_AUTHORIZE_REGION, §2.1). */
export const AUTHORIZE_REGIONS = ['global', 'us'] as const;
export type AuthorizeRegion = (typeof AUTHORIZE_REGIONS)[number];
const STATE_CONTEXT = 'tiktok-shop-gateway.oauth-state.v1.';
const STATE_SHAPE = /^[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{43}$/;
const MIN_STATE_SECRET_BYTES = 32;

/**
 * The state signing key, derived from TOKEN_ENCRYPTION_KEY so every process of one deployment
 * (the gateway, the OAuth CLI) signs and verifies alike without another secret to manage.
 */
export function deriveStateSecret(encryptionKey: Uint8Array): Buffer {
  return deriveKey(encryptionKey, 'tiktok-shop-gateway oauth-state v1');
}

/** Remembers used state nonces until the state would have expired anyway. */
export interface UsedStateStore {
  /**
   * Records `nonce` as used until `expiresAtMs`. Returns false when it was already recorded.
   * Must be atomic (Redis: `SET key 1 NX PXAT expiresAtMs`).
   */
  markUsed(nonce: string, expiresAtMs: number): Promise<boolean>;
}

/** A UsedStateStore in process memory; entries are forgotten once their state has expired. */
export function createMemoryUsedStateStore(options: { now?: () => number } = {}): UsedStateStore {
  const now = options.now ?? Date.now;
  const used = new Map<string, number>();
  return {
    async markUsed(nonce, expiresAtMs) {
      const nowMs = now();
      for (const [key, expiry] of used) {
        if (expiry <= nowMs) used.delete(key);
      }
      if (used.has(nonce)) return false;
      used.set(nonce, expiresAtMs);
      return true;
    },
  };
}

export interface OAuthStatePayload {
  nonce: string;
  /** ms since the epoch. */
  issuedAt: number;
  /** ms since the epoch. */
  expiresAt: number;
  /** The redirect_uri the URL was made for, when one was given. */
  redirectUri?: string;
}

export type StateVerification =
  | { ok: true; payload: OAuthStatePayload }
  | { ok: false; reason: OAuthStateFailure };

export interface AuthorizationUrl {
  url: string;
  state: string;
  /** When `state` stops being accepted, ms since the epoch. */
  expiresAt: number;
}

export interface OAuthFlowOptions {
  /** TIKTOK_SHOP_APP_KEY: used in the legacy `app_key` form of the URL. */
  appKey: string;
  /** TIKTOK_SHOP_SERVICE_ID: when set, the URL uses the current `service_id` form. */
  serviceId?: string;
  /**
   * Scheme and host of the authorize page (TIKTOK_SHOP_AUTHORIZE_BASE); the path is added.
   * Default with a service id https://services.tiktokshop.com, or
   * https://services.us.tiktokshop.com for the `us` region; https://auth.tiktok-shops.com
   * without. Point it at the emulator to test.
   */
  authorizeBase?: string;
  /** TIKTOK_SHOP_AUTHORIZE_REGION: picks the service_id host when no base is given. Default global. */
  authorizeRegion?: AuthorizeRegion;
  /** HMAC key for `state`, at least 32 bytes: `deriveStateSecret(TOKEN_ENCRYPTION_KEY)`. */
  stateSecret: Uint8Array;
  /** How long a state is accepted, ms. Default 600 000 (10 minutes). */
  stateTtlMs?: number;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /**
   * Where used states are remembered: beside the token file (createFileUsedStateStore) or in
   * Redis, so a restart does not accept them again. Default: in memory (this process only).
   */
  usedStates?: UsedStateStore | undefined;
  /**
   * The redirect URIs a state may be signed for (OAUTH_REDIRECT_URIS, see isAllowedRedirect).
   * Default: none, so only links without `redirectUri` (TikTok's registered one) are made.
   */
  redirectUris?: readonly string[];
}

export interface OAuthFlow {
  /** Throws RedirectUriNotAllowedError (nothing signed) for a redirectUri not allowed. */
  authorizationUrl(input?: { redirectUri?: string }): AuthorizationUrl;
  /** Checks signature and expiry, then marks the state used: a second call says `replayed`. */
  verifyState(state: string): Promise<StateVerification>;
}

function sign(secret: Uint8Array, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(STATE_CONTEXT).update(payloadPart).digest();
}

function parsePayload(payloadPart: string): OAuthStatePayload | undefined {
  try {
    const raw = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (
      typeof raw.n !== 'string' ||
      typeof raw.iat !== 'number' ||
      typeof raw.exp !== 'number' ||
      (raw.ru !== undefined && typeof raw.ru !== 'string')
    ) {
      return undefined;
    }
    return {
      nonce: raw.n,
      issuedAt: raw.iat,
      expiresAt: raw.exp,
      ...(typeof raw.ru === 'string' ? { redirectUri: raw.ru } : {}),
    };
  } catch {
    return undefined;
  }
}

export function createOAuthFlow(options: OAuthFlowOptions): OAuthFlow {
  if (options.stateSecret.length < MIN_STATE_SECRET_BYTES) {
    throw new Error(`The OAuth state secret must be at least ${MIN_STATE_SECRET_BYTES} bytes`);
  }
  const secret = Buffer.from(options.stateSecret);
  const now = options.now ?? Date.now;
  const stateTtlMs = options.stateTtlMs ?? 600_000;
  const usedStates = options.usedStates ?? createMemoryUsedStateStore({ now });
  const servicesBase =
    options.authorizeRegion === 'us' ? US_SERVICES_AUTHORIZE_BASE : DEFAULT_SERVICES_AUTHORIZE_BASE;
  const base = (
    options.authorizeBase ?? (options.serviceId ? servicesBase : DEFAULT_AUTHORIZE_BASE)
  ).replace(/\/+$/, '');

  const redirectUris = options.redirectUris ?? [];

  return {
    authorizationUrl(input = {}) {
      if (input.redirectUri !== undefined && !isAllowedRedirect(redirectUris, input.redirectUri)) {
        throw new RedirectUriNotAllowedError();
      }
      const issuedAt = now();
      const expiresAt = issuedAt + stateTtlMs;
      const payload = {
        n: randomBytes(16).toString('base64url'),
        iat: issuedAt,
        exp: expiresAt,
        ...(input.redirectUri === undefined ? {} : { ru: input.redirectUri }),
      };
      const payloadPart = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const state = `${payloadPart}.${sign(secret, payloadPart).toString('base64url')}`;

      const url = options.serviceId
        ? new URL(`${base}/open/authorize`)
        : new URL(`${base}/oauth/authorize`);
      if (options.serviceId) url.searchParams.set('service_id', options.serviceId);
      else url.searchParams.set('app_key', options.appKey);
      url.searchParams.set('state', state);
      // Not part of TikTok's URL (the redirect is registered in Partner Center); the emulator
      // accepts it to pick one of several registered redirect URIs.
      if (input.redirectUri !== undefined) url.searchParams.set('redirect_uri', input.redirectUri);
      return { url: url.toString(), state, expiresAt };
    },

    async verifyState(state) {
      if (typeof state !== 'string' || !STATE_SHAPE.test(state)) {
        return { ok: false, reason: 'malformed' };
      }
      const [payloadPart = '', signaturePart = ''] = state.split('.');
      const expected = sign(secret, payloadPart);
      const given = Buffer.from(signaturePart, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'bad_signature' };
      }
      const payload = parsePayload(payloadPart);
      if (!payload) return { ok: false, reason: 'malformed' };
      if (now() >= payload.expiresAt) return { ok: false, reason: 'expired' };
      if (!(await usedStates.markUsed(payload.nonce, payload.expiresAt))) {
        return { ok: false, reason: 'replayed' };
      }
      return { ok: true, payload };
    },
  };
}

/** A shop as shown to API clients: no cipher, which is routing data for the datasource only. */
export interface AuthorizedShopSummary {
  id: string;
  name: string;
  region: string;
  sellerType: string;
  code: string;
}

/** What a code exchange reports. Token values are deliberately absent. */
export interface AuthorizationResult {
  seller: { openId: string; name: string; baseRegion: string; userType: number };
  shops: AuthorizedShopSummary[];
  /** TikTok scope keys granted to the app. */
  grantedScopes: string[];
  /** Unix seconds. */
  accessTokenExpiresAt: number;
  /** Unix seconds. */
  refreshTokenExpiresAt: number;
  /**
   * true when the seller seeded from TIKTOK_SHOP_ACCESS_TOKEN was removed: it was this seller, or
   * TikTok refuses its tokens for good (see settleEnvironmentSeller).
   */
  replacedEnvironmentSeller: boolean;
  /**
   * What the store holds now. `tokens` false: saving them failed; they are kept in this process
   * and saved again with backoff until stored (`saves`), and the shops were not listed. `shops`
   * false: listing or saving them failed; the shops stored before stay (a new seller's are read
   * on first use).
   */
  stored: { tokens: boolean; shops: boolean };
}

export interface ExchangeCodeDeps {
  oauth: Pick<OAuthFlow, 'verifyState'>;
  /** Exchanges the code on the auth host (§2.2). */
  authHost: Pick<AuthHostClient, 'getAccessToken'>;
  /**
   * Get Authorized Shops (§3) called with the NEW access token, e.g. with the datasource's
   * `createStaticCredentials(accessToken)`: the store knows nothing of this seller yet.
   */
  listShops(accessToken: string): Promise<AuthorizedShop[]>;
  /**
   * Get Authorized Shops for a stored seller, its tokens renewed when due (seller-auth passes the
   * token manager's), to tell who the seller seeded from the environment is while its shops are
   * not stored yet. Default: `listShops` with its stored access token as it is.
   */
  shopsOf?(seller: SellerRecord): Promise<AuthorizedShop[]>;
  store: TokenStore;
  /**
   * Where a failed save of the new tokens is kept and retried: the token manager's `saves`.
   * Default: createGrantSaves({ logger }).
   */
  saves?: GrantSaves;
  logger?: AuthLogger;
}

/**
 * Removes the seller seeded from the environment when the seller just authorised is the same one:
 * its open_id is not known, so its shops tell (the stored ones, else the ones its tokens list
 * now), and any shop in common means the same seller. Another seller's grant keeps it (issue
 * 10). It is removed too when TikTok refuses its tokens for good (ReauthorizationRequiredError):
 * it serves nothing then, and its missing shops would be looked for on every request. When its
 * shops cannot be read for another reason, or it is written meanwhile, it is kept.
 */
async function settleEnvironmentSeller(
  authorised: { openId: string; shops: AuthorizedShop[] },
  deps: ExchangeCodeDeps,
  logger: AuthLogger,
): Promise<boolean> {
  if (authorised.openId === ENVIRONMENT_SELLER_ID) return false;
  let seeded = await deps.store.getSeller(ENVIRONMENT_SELLER_ID);
  if (!seeded) return false;
  let shops = seeded.shops;
  let isDead = false;
  if (shops.length === 0) {
    const shopsOf = deps.shopsOf ?? ((seller) => deps.listShops(seller.tokens.accessToken));
    try {
      shops = await shopsOf(seeded);
    } catch (error) {
      if (!(error instanceof ReauthorizationRequiredError)) {
        logger.warn(
          { openId: authorised.openId },
          'Kept the seller seeded from the environment: its shops could not be read to compare',
        );
        return false;
      }
      isDead = true;
    }
    // Reading the shops may have renewed its tokens (a new version).
    seeded = await deps.store.getSeller(ENVIRONMENT_SELLER_ID);
    if (!seeded) return false;
  }
  const authorisedShops = new Set(authorised.shops.map((shop) => shop.id));
  if (!isDead && !shops.some((shop) => authorisedShops.has(shop.id))) return false;
  try {
    return await deps.store.deleteSeller(ENVIRONMENT_SELLER_ID, {
      expectedVersion: seeded.version,
    });
  } catch (error) {
    // Written meanwhile (a refresh, its shops stored): the next exchange decides again.
    if (error instanceof TokenStoreConflictError) return false;
    throw error;
  }
}

/** What the redirect brought back (§2.1), and where it arrived. */
export interface ExchangeInput {
  code: string | null | undefined;
  state: string | null | undefined;
  error?: string | undefined;
  /**
   * The URL the redirect arrived at, when a callback route received it: a state signed for
   * another redirect URI is refused there (`redirect_mismatch`), its code not exchanged.
   */
  callbackUrl?: string | undefined;
}

/** `redirect_mismatch` when the state names a redirect that is not the callback's own URL. */
function redirectFailure(
  payload: OAuthStatePayload,
  callbackUrl: string | undefined,
): OAuthStateFailure | undefined {
  if (callbackUrl === undefined || payload.redirectUri === undefined) return undefined;
  return isRedirectOf(payload.redirectUri, callbackUrl) ? undefined : 'redirect_mismatch';
}

/** The seller of a fresh grant, without shops yet. */
function sellerOf(grant: TokenGrant): SellerInput {
  return {
    openId: grant.openId,
    source: 'oauth',
    name: grant.sellerName,
    baseRegion: grant.sellerBaseRegion,
    userType: grant.userType,
    grantedScopes: [...grant.grantedScopes],
    tokens: {
      accessToken: grant.accessToken,
      accessTokenExpiresAt: grant.accessTokenExpiresAt,
      refreshToken: grant.refreshToken,
      refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
    },
    shops: [],
  };
}

/**
 * The first write of an exchange: the fresh grant replaces whatever was stored for the seller,
 * keeping the shops stored for it before (a re-authorisation) until fillShops replaces them.
 */
async function storeSeller(store: TokenStore, seller: SellerInput): Promise<SellerRecord> {
  const previous = await store.getSeller(seller.openId);
  return store.saveSeller({ ...seller, shops: previous?.shops ?? [] });
}

/**
 * Lists the shops with the new token and stores them on the seller as it is stored now (it may
 * have been renewed meanwhile). Answers the shops listed and whether they were stored.
 */
async function fillShops(
  grant: TokenGrant,
  deps: ExchangeCodeDeps,
  logger: AuthLogger,
): Promise<{ shops: AuthorizedShop[]; isStored: boolean }> {
  const { openId } = grant;
  let shops: AuthorizedShop[];
  try {
    shops = await deps.listShops(grant.accessToken);
  } catch (error) {
    logger.warn(
      { openId, error: describeError(error) },
      'Seller authorised; listing its shops failed',
    );
    return { shops: [], isStored: false };
  }
  try {
    for (;;) {
      const current = await deps.store.getSeller(openId);
      if (!current) return { shops, isStored: false };
      const { version, updatedAt: _updatedAt, ...seller } = current;
      try {
        await deps.store.saveSeller({ ...seller, shops }, { expectedVersion: version });
        return { shops, isStored: true };
      } catch (error) {
        if (!(error instanceof TokenStoreConflictError)) throw error;
      }
    }
  } catch (error) {
    logger.warn(
      { openId, error: describeError(error) },
      'Seller authorised; saving its shops failed',
    );
    return { shops, isStored: false };
  }
}

/**
 * Completes an authorisation: verifies `state` first (a bad one throws OAuthStateError and
 * nothing is stored), exchanges the code, and stores the seller with its tokens at once: the code
 * is spent, so nothing comes before that write (issue 10), and a failed write is kept and retried
 * (`stored.tokens` false), never dropped. Then it lists the seller's shops with the new token and
 * stores them, and settles the seller seeded from the environment (settleEnvironmentSeller). Once
 * the code is spent it throws nothing: what could not be stored is said in `stored`.
 */
export async function exchangeCode(
  input: ExchangeInput,
  deps: ExchangeCodeDeps,
): Promise<AuthorizationResult> {
  const logger = deps.logger ?? silentLogger;
  const verification = await deps.oauth.verifyState(input.state ?? '');
  const failure = verification.ok
    ? redirectFailure(verification.payload, input.callbackUrl)
    : verification.reason;
  if (failure) {
    logger.warn({ reason: failure }, 'OAuth state refused');
    throw new OAuthStateError(failure);
  }
  // TikTok redirects a refusal with `code=null&error=auth_denied` (§2.1).
  if (input.error || !input.code || input.code === 'null') {
    throw new AuthorizationDeniedError(input.error || 'no authorization code');
  }

  const grant = await deps.authHost.getAccessToken(input.code);
  const seller = sellerOf(grant);
  const saves = deps.saves ?? createGrantSaves({ logger });
  const saved = await saves.save(`authorization:${grant.openId}`, () =>
    storeSeller(deps.store, seller),
  );
  let shops: AuthorizedShop[] = [];
  let areShopsStored = false;
  let replacedEnvironmentSeller = false;
  if (saved.isSaved) {
    ({ shops, isStored: areShopsStored } = await fillShops(grant, deps, logger));
    try {
      replacedEnvironmentSeller = await settleEnvironmentSeller(
        { openId: grant.openId, shops },
        deps,
        logger,
      );
    } catch (error) {
      // The next exchange decides again; this one's seller is stored.
      logger.warn(
        { openId: grant.openId, error: describeError(error) },
        'Could not settle the seller seeded from the environment',
      );
    }
  }
  logger.info(
    {
      openId: grant.openId,
      shopIds: shops.map((shop) => shop.id),
      replacedEnvironmentSeller,
      isStored: saved.isSaved,
    },
    'Seller authorised',
  );

  return {
    seller: {
      openId: grant.openId,
      name: grant.sellerName,
      baseRegion: grant.sellerBaseRegion,
      userType: grant.userType,
    },
    shops: shops.map(({ id, name, region, sellerType, code }) => ({
      id,
      name,
      region,
      sellerType,
      code,
    })),
    grantedScopes: [...grant.grantedScopes],
    accessTokenExpiresAt: grant.accessTokenExpiresAt,
    refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
    replacedEnvironmentSeller,
    stored: { tokens: saved.isSaved, shops: areShopsStored },
  };
}
