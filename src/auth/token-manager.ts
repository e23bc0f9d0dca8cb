// Access tokens for the datasource: finds the seller for a shop, serves a seller's token from the
// record a request already read, refreshes before expiry and on an expired-token answer, one
// refresh at a time per seller (issue #4), on the auth host directly (issue 9); renewed tokens are
// written first and, when that fails, served from memory and written again (issue 10).
import { type AuthErrorReason, TikTokShopAuthError } from '../datasources/tiktok/errors.js';
import type {
  AuthHostClient,
  SellerCredentials,
  ShopRef,
  ShopSession,
  TokenGrant,
} from '../datasources/tiktok/types.js';
import {
  ReauthorizationRequiredError,
  ShopRequiredError,
  TokenStoreConflictError,
} from './errors.js';
import { createGrantSaves, type GrantSaves } from './grant-saves.js';
import { type AuthLogger, silentLogger } from './logger.js';
import type { SellerProfile, SellerRecord, SellerTokens, TokenStore } from './token-store.js';

export interface TokenManagerOptions {
  store: TokenStore;
  /** Renews tokens on the auth host (§2.3). */
  authHost: Pick<AuthHostClient, 'refreshAccessToken'>;
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
  /** Where a failed save of new tokens is kept and retried. Default: createGrantSaves({ logger }). */
  saves?: GrantSaves;
  /** Told how each refresh asked of TikTok ended (metrics). */
  onRefresh?: (outcome: TokenRefreshOutcome) => void;
}

/**
 * What TikTok answered a refresh: new tokens, a refusal of the refresh token (the seller must
 * re-authorise), or no answer / another failure (tried again on the next call).
 */
export type TokenRefreshOutcome = 'success' | 'rejected' | 'failed';

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

export interface TokenManager {
  /**
   * The seller whose tokens serve `shopId`: the one that authorised it; the env-seeded seller
   * (shops unknown) for any shop no other seller claims; for no shop, TIKTOK_SHOP_SHOP_ID's
   * seller or the only seller. Throws ReauthorizationRequiredError when there is none,
   * ShopRequiredError when a shop-less call cannot pick one. One store read.
   */
  sellerFor(shopId: string | undefined): Promise<SellerRecord>;
  /**
   * The credentials of `seller` as the caller read it: its token is served from that record with
   * no store read, renewed first (through the store, under the refresh lock) when it expires
   * within the margin, and renewed on a 105002 for it. Renewed tokens are kept for the next
   * calls. Throws ReauthorizationRequiredError when no token can be had.
   */
  credentialsFor(seller: SellerRecord): SellerCredentials;
  /** `shop` with its seller's credentials (one store read): for tools and one-off calls. */
  sessionFor(shop: ShopRef): Promise<ShopSession>;
  /** The access token for the seller of `shopId`, renewed first when due (one store read). */
  getAccessToken(shopId: string | undefined): Promise<string>;
  /** Renews the seller's tokens now, whatever their expiry (joins a refresh under way). */
  refresh(openId: string): Promise<SellerRecord>;
  /**
   * Saves of new tokens that failed and are retried (renewals here; code exchanges, which
   * seller-auth runs through the same). Until a renewal is stored, its tokens are served in place
   * of the stored ones it replaces, in this process.
   */
  saves: GrantSaves;
  /** Resolves once the refreshes under way have ended (their tokens stored, or kept in `saves`). */
  settled(): Promise<void>;
}

/** Renewed tokens not stored yet, and every spent refresh token they replace. */
interface UnsavedRenewal {
  tokens: SellerTokens;
  profile: SellerProfile;
  supersedes: Set<string | null>;
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
  const { store, authHost } = options;
  const now = options.now ?? Date.now;
  const refreshMarginMs = options.refreshMarginMs ?? 300_000;
  const logger = options.logger ?? silentLogger;
  const refreshLock = options.refreshLock ?? inProcessRefreshLock;
  const saves = options.saves ?? createGrantSaves({ logger });
  const inFlight = new Map<string, Promise<SellerRecord>>();
  const unsaved = new Map<string, UnsavedRenewal>();

  /** `seller` with its renewed tokens when their save is still being retried. */
  function withUnsaved(seller: SellerRecord): SellerRecord {
    const renewal = unsaved.get(seller.openId);
    if (!renewal?.supersedes.has(seller.tokens.refreshToken)) return seller;
    return { ...seller, ...renewal.profile, tokens: { ...renewal.tokens } };
  }

  /**
   * Stores a renewal, compare-and-set from `fromVersion`. The refresh token it came from is spent,
   * so it is kept unless someone stored tokens it does not replace (a re-authorisation), which
   * are newer still; those are answered then. null: the seller is no longer stored.
   */
  async function storeRenewal(
    openId: string,
    renewal: UnsavedRenewal,
    fromVersion: number,
  ): Promise<SellerRecord | null> {
    let expectedVersion = fromVersion;
    for (;;) {
      try {
        const saved = await store.saveTokens(openId, renewal.tokens, {
          expectedVersion,
          profile: renewal.profile,
        });
        const held = unsaved.get(openId);
        if (held && (held === renewal || renewal.supersedes.has(held.tokens.refreshToken))) {
          unsaved.delete(openId);
        }
        return saved;
      } catch (error) {
        if (!(error instanceof TokenStoreConflictError)) throw error;
        const latest = await store.getSeller(openId);
        if (!latest || !renewal.supersedes.has(latest.tokens.refreshToken)) {
          if (unsaved.get(openId) === renewal) unsaved.delete(openId);
          return latest;
        }
        expectedVersion = latest.version;
      }
    }
  }

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
      grant = await authHost.refreshAccessToken(tokens.refreshToken);
    } catch (error) {
      const isRejected = isRefreshRejection(error);
      options.onRefresh?.(isRejected ? 'rejected' : 'failed');
      if (!isRejected) throw error;
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

    options.onRefresh?.('success');
    // The old refresh token is spent now: the new pair is written before anything else, and
    // when that fails it is served from memory and written again until stored (issue 10).
    const renewal: UnsavedRenewal = {
      tokens: tokensFrom(grant),
      profile: {
        name: grant.sellerName,
        baseRegion: grant.sellerBaseRegion,
        userType: grant.userType,
        grantedScopes: grant.grantedScopes,
      },
      supersedes: new Set([...(unsaved.get(openId)?.supersedes ?? []), tokens.refreshToken]),
    };
    const outcome = await saves.save(`refresh:${openId}`, () =>
      storeRenewal(openId, renewal, current.version),
    );
    if (!outcome.isSaved) {
      unsaved.set(openId, renewal);
      return withUnsaved(current);
    }
    if (!outcome.value) {
      throw new ReauthorizationRequiredError('no_seller', `Seller ${openId} is no longer stored`, {
        openId,
      });
    }
    logger.info(
      { openId, accessTokenExpiresAt: grant.accessTokenExpiresAt },
      'Access token renewed',
    );
    return outcome.value;
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
        const stored = await store.getSeller(openId);
        const current = stored && withUnsaved(stored);
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

  /** `seller`, or its renewed record when its access token expires within the margin. */
  async function currentRecord(seller: SellerRecord): Promise<SellerRecord> {
    if (!isDueForRefresh(seller)) return seller;
    // Renew only tokens nobody replaced since we looked, even if the new ones are due too.
    const isStale = (current: SellerRecord) =>
      current.tokens.accessToken === seller.tokens.accessToken && isDueForRefresh(current);
    try {
      return await refreshOnce(seller.openId, isStale);
    } catch (error) {
      // Refreshing ahead of expiry: a transient failure can wait while the token still works.
      if (!(error instanceof ReauthorizationRequiredError) && isStillValid(seller)) {
        logger.warn({ openId: seller.openId }, 'Early token refresh failed; using current token');
        return seller;
      }
      throw error;
    }
  }

  /** A record whose access token is not `rejectedToken`: the stored one, or a renewed one. */
  async function replaceRejected(
    seller: SellerRecord,
    rejectedToken: string,
  ): Promise<SellerRecord> {
    if (seller.tokens.accessToken !== rejectedToken) return seller;
    const isRejected = (current: SellerRecord) => current.tokens.accessToken === rejectedToken;
    const renewed = await refreshOnce(seller.openId, isRejected);
    // A flight started for another reason may have ended without renewing; then run our own.
    return renewed.tokens.accessToken === rejectedToken
      ? refreshOnce(seller.openId, isRejected)
      : renewed;
  }

  function credentialsFor(seller: SellerRecord): SellerCredentials {
    let latest = withUnsaved(seller);
    // Concurrent calls may settle out of order: keep the newest record seen.
    const keep = (record: SellerRecord) => {
      if (record.version >= latest.version) latest = record;
      return record.tokens.accessToken;
    };
    return {
      accessToken: async () => keep(await currentRecord(latest)),
      renewAccessToken: async (refused) => keep(await replaceRejected(latest, refused)),
    };
  }

  return {
    sellerFor,
    credentialsFor,
    async sessionFor(shop) {
      return { id: shop.id, cipher: shop.cipher, seller: credentialsFor(await sellerFor(shop.id)) };
    },
    async getAccessToken(shopId) {
      return (await currentRecord(withUnsaved(await sellerFor(shopId)))).tokens.accessToken;
    },
    refresh(openId) {
      return refreshOnce(openId, () => true);
    },
    saves,
    async settled() {
      await Promise.allSettled(inFlight.values());
    },
  };
}

// Seeding is a store transition now (issue 9); re-exported for the callers that import it here.
export { type SeedResult, seedFromEnvironment } from './token-store.js';
