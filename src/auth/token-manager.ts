// Access tokens for the datasource: finds the seller for a shop, refreshes before expiry and on
// an expired-token answer, one refresh at a time per seller (issue #4).
import { type AuthErrorReason, TikTokShopAuthError } from '../datasources/tiktok/errors.js';
import type {
  AccessTokenProvider,
  TikTokShopClient,
  TokenGrant,
} from '../datasources/tiktok/types.js';
import {
  ReauthorizationRequiredError,
  ShopRequiredError,
  TokenStoreConflictError,
} from './errors.js';
import { type AuthLogger, silentLogger } from './logger.js';
import type { SellerRecord, SellerTokens, TokenStore } from './token-store.js';

export interface TokenManagerOptions {
  store: TokenStore;
  /** Renews tokens on the auth host (§2.3). */
  client: Pick<TikTokShopClient, 'refreshAccessToken'>;
  /** Refresh when the access token expires within this, ms. Default 300 000 (5 minutes). */
  refreshMarginMs?: number;
  /** Shop whose seller answers calls made without a shop when several are stored (TIKTOK_SHOP_SHOP_ID). */
  defaultShopId?: string;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  logger?: AuthLogger;
  /**
   * Serialises refreshes of one seller across processes sharing the store (issue #6). Default:
   * none beyond this process's single flight, which is enough when one process owns the store.
   */
  refreshLock?: RefreshLock;
}

/**
 * Mutual exclusion for token refreshes of one seller. `withLock` runs `work` once the caller
 * holds the seller's lock and releases it after; it rejects (without running `work`) when the
 * lock cannot be had, and the token manager then keeps serving a still-valid token.
 */
export interface RefreshLock {
  withLock<T>(openId: string, work: () => Promise<T>): Promise<T>;
}

/** The default: in one process the single flight already serialises refreshes of a seller. */
export const inProcessRefreshLock: RefreshLock = {
  withLock: (_openId, work) => work(),
};

export interface TokenManager extends AccessTokenProvider {
  /**
   * The access token for the seller of `shopId` (undefined: seller-level calls), renewed first
   * when it expires within the margin. Throws ReauthorizationRequiredError when no token can be
   * had, ShopRequiredError when a shop-less call cannot pick a seller.
   */
  getAccessToken(shopId: string | undefined): Promise<string>;
  /**
   * TikTok answered 105002 for `rejectedToken`: returns the stored token when it is already newer,
   * else refreshes (joining a refresh under way). Throws ReauthorizationRequiredError when the
   * refresh is refused.
   */
  onAccessTokenExpired(shopId: string | undefined, rejectedToken: string): Promise<string>;
  /**
   * The seller whose tokens serve `shopId`: the one that authorised it; the env-seeded seller
   * (shops unknown) for any shop no other seller claims; for no shop, TIKTOK_SHOP_SHOP_ID's
   * seller or the only seller.
   */
  sellerFor(shopId: string | undefined): Promise<SellerRecord>;
  /** Renews the seller's tokens now, whatever their expiry (joins a refresh under way). */
  refresh(openId: string): Promise<SellerRecord>;
  /** A provider pinned to one seller, whatever shop a call names. */
  forSeller(openId: string): AccessTokenProvider;
}

/** Token-host answers that mean "this refresh token is dead", not "try again later" (§2.5). */
const DEAD_GRANT_REASONS = new Set<AuthErrorReason>([
  'invalid_grant',
  'refresh_token_expired',
  'invalid_auth_code',
  'invalid_token',
  'expired_token',
]);

function isRefreshRejection(error: unknown): boolean {
  return error instanceof TikTokShopAuthError && DEAD_GRANT_REASONS.has(error.reason);
}

function tokensFrom(grant: TokenGrant): SellerTokens {
  return {
    accessToken: grant.accessToken,
    accessTokenExpiresAt: grant.accessTokenExpiresAt,
    refreshToken: grant.refreshToken,
    refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
  };
}

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { store, client } = options;
  const now = options.now ?? Date.now;
  const refreshMarginMs = options.refreshMarginMs ?? 300_000;
  const logger = options.logger ?? silentLogger;
  const refreshLock = options.refreshLock ?? inProcessRefreshLock;
  const inFlight = new Map<string, Promise<SellerRecord>>();

  /** Expiry unknown (seeded from the environment) counts as valid until TikTok says otherwise. */
  function isDueForRefresh(seller: SellerRecord): boolean {
    const expiresAt = seller.tokens.accessTokenExpiresAt;
    return expiresAt !== null && expiresAt * 1000 - refreshMarginMs <= now();
  }

  function isStillValid(seller: SellerRecord): boolean {
    const expiresAt = seller.tokens.accessTokenExpiresAt;
    return expiresAt === null || expiresAt * 1000 > now();
  }

  async function sellerFor(shopId: string | undefined): Promise<SellerRecord> {
    if (shopId !== undefined) {
      const owner = await store.findSellerByShop(shopId);
      if (owner) return owner;
      const { sellers } = await store.load();
      const seeded = sellers.find(
        (seller) => seller.source === 'environment' && seller.shops.length === 0,
      );
      if (seeded) return seeded;
      throw new ReauthorizationRequiredError(
        sellers.length === 0 ? 'no_seller' : 'unknown_shop',
        `No authorised seller owns shop ${shopId}`,
        { shopId },
      );
    }
    if (options.defaultShopId !== undefined) {
      const owner = await store.findSellerByShop(options.defaultShopId);
      if (owner) return owner;
    }
    const { sellers } = await store.load();
    if (sellers.length === 1 && sellers[0]) return sellers[0];
    if (sellers.length === 0) {
      throw new ReauthorizationRequiredError('no_seller', 'No seller has authorised the app');
    }
    throw new ShopRequiredError();
  }

  async function renew(current: SellerRecord): Promise<SellerRecord> {
    const { openId, tokens } = current;
    if (tokens.refreshToken === null) {
      throw new ReauthorizationRequiredError(
        'no_refresh_token',
        `The access token of seller ${openId} cannot be renewed: no refresh token is stored`,
        { openId },
      );
    }
    if (tokens.refreshTokenExpiresAt !== null && tokens.refreshTokenExpiresAt * 1000 <= now()) {
      throw new ReauthorizationRequiredError(
        'refresh_token_expired',
        `The refresh token of seller ${openId} has expired`,
        { openId },
      );
    }

    let grant: TokenGrant;
    try {
      grant = await client.refreshAccessToken(tokens.refreshToken);
    } catch (error) {
      if (!isRefreshRejection(error)) throw error;
      // Another process sharing the store may have rotated the token a moment ago.
      const latest = await store.getSeller(openId);
      if (latest && latest.version !== current.version && isStillValid(latest)) return latest;
      logger.warn({ openId }, 'Token refresh refused; the seller must re-authorise');
      throw new ReauthorizationRequiredError(
        'refresh_rejected',
        `TikTok refused to renew the tokens of seller ${openId}`,
        { cause: error, openId },
      );
    }

    const profile = {
      name: grant.sellerName,
      baseRegion: grant.sellerBaseRegion,
      userType: grant.userType,
      grantedScopes: grant.grantedScopes,
    };
    let expectedVersion = current.version;
    // The old refresh token is spent now, so the new pair must be kept unless someone stored
    // other tokens meanwhile (a re-authorisation), which are newer still.
    for (;;) {
      try {
        const saved = await store.saveTokens(openId, tokensFrom(grant), {
          expectedVersion,
          profile,
        });
        logger.info(
          { openId, accessTokenExpiresAt: grant.accessTokenExpiresAt },
          'Access token renewed',
        );
        return saved;
      } catch (error) {
        if (!(error instanceof TokenStoreConflictError)) throw error;
        const latest = await store.getSeller(openId);
        if (!latest) throw error;
        if (latest.tokens.refreshToken !== tokens.refreshToken) return latest;
        expectedVersion = latest.version;
      }
    }
  }

  /**
   * Single flight per seller: concurrent callers share one refresh, and the refresh lock keeps
   * other processes out while it runs. The flight re-reads the record first, so a caller that
   * saw old tokens just before a flight ended does not spend the rotated refresh token again.
   */
  function refreshOnce(
    openId: string,
    isStale: (current: SellerRecord) => boolean,
  ): Promise<SellerRecord> {
    const running = inFlight.get(openId);
    if (running) return running;
    // Re-read under the lock: another process may have renewed while this one waited for it.
    const flight = refreshLock
      .withLock(openId, async () => {
        const current = await store.getSeller(openId);
        if (!current) {
          throw new ReauthorizationRequiredError(
            'no_seller',
            `Seller ${openId} is no longer stored`,
            { openId },
          );
        }
        return isStale(current) ? renew(current) : current;
      })
      .finally(() => inFlight.delete(openId));
    inFlight.set(openId, flight);
    return flight;
  }

  async function accessTokenOf(seller: SellerRecord): Promise<string> {
    if (!isDueForRefresh(seller)) return seller.tokens.accessToken;
    // Renew only tokens nobody replaced since we looked, even if the new ones are due too.
    const isStale = (current: SellerRecord) =>
      current.tokens.accessToken === seller.tokens.accessToken && isDueForRefresh(current);
    try {
      const renewed = await refreshOnce(seller.openId, isStale);
      return renewed.tokens.accessToken;
    } catch (error) {
      // Refreshing ahead of expiry: a transient failure can wait while the token still works.
      if (!(error instanceof ReauthorizationRequiredError) && isStillValid(seller)) {
        logger.warn({ openId: seller.openId }, 'Early token refresh failed; using current token');
        return seller.tokens.accessToken;
      }
      throw error;
    }
  }

  async function replaceRejected(seller: SellerRecord, rejectedToken: string): Promise<string> {
    if (seller.tokens.accessToken !== rejectedToken) return seller.tokens.accessToken;
    const isRejected = (current: SellerRecord) => current.tokens.accessToken === rejectedToken;
    let renewed = await refreshOnce(seller.openId, isRejected);
    // A flight started for another reason may have ended without renewing; then run our own.
    if (renewed.tokens.accessToken === rejectedToken) {
      renewed = await refreshOnce(seller.openId, isRejected);
    }
    return renewed.tokens.accessToken;
  }

  return {
    async getAccessToken(shopId) {
      return accessTokenOf(await sellerFor(shopId));
    },
    async onAccessTokenExpired(shopId, rejectedToken) {
      return replaceRejected(await sellerFor(shopId), rejectedToken);
    },
    sellerFor,
    refresh(openId) {
      return refreshOnce(openId, () => true);
    },
    forSeller(openId) {
      const pinned = async () => {
        const seller = await store.getSeller(openId);
        if (!seller) {
          throw new ReauthorizationRequiredError('no_seller', `Seller ${openId} is not stored`, {
            openId,
          });
        }
        return seller;
      };
      return {
        getAccessToken: async () => accessTokenOf(await pinned()),
        onAccessTokenExpired: async (_shopId, rejectedToken) =>
          replaceRejected(await pinned(), rejectedToken),
      };
    },
  };
}

// Seeding is a store transition now (issue 9); re-exported for the callers that import it here.
export { type SeedResult, seedFromEnvironment } from './token-store.js';
