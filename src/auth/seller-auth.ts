// The seller side of auth: the upstream clients and the refreshing token manager (which hands each
// request its sellers' credentials; createSellerClient), and the seller operations on top of the
// store, the token manager and the OAuth flow (createSellerAuth). createApp (src/app.ts) wires them.
import type { HttpConfig, TikTokCredentials } from '../config.js';
import { createAuthHostClient } from '../datasources/tiktok/auth-host.js';
import type { CircuitBreaker } from '../datasources/tiktok/circuit-breaker.js';
import { createTikTokShopClient } from '../datasources/tiktok/client.js';
import type { TikTokShopLogger } from '../datasources/tiktok/http.js';
import type { RateLimiter } from '../datasources/tiktok/rate-limiter.js';
import { createStaticCredentials } from '../datasources/tiktok/static-credentials.js';
import type {
  AuthHostClient,
  AuthorizedShop,
  TikTokShopClient,
} from '../datasources/tiktok/types.js';
import type { UpstreamObserver } from '../datasources/tiktok/upstream-observer.js';
import { TokenStoreConflictError } from './errors.js';
import { type AuthLogger, silentLogger } from './logger.js';
import {
  type AuthorizationResult,
  type AuthorizationUrl,
  type ExchangeInput,
  exchangeCode,
  type OAuthFlow,
} from './oauth.js';
import { createSellerSnapshot, type SellerSnapshot } from './seller-snapshot.js';
import {
  createTokenManager,
  type RefreshLock,
  type TokenManager,
  type TokenManagerOptions,
} from './token-manager.js';
import type { SellerRecord, TokenStore } from './token-store.js';

/** A seller as clients may see it: who, which shops, which TikTok scopes, until when. No tokens. */
export interface SellerSummary {
  openId: string;
  name: string;
  source: SellerRecord['source'];
  shops: Array<Omit<AuthorizedShop, 'cipher'>>;
  grantedScopes: string[];
  /** Unix seconds; null when unknown (seeded from TIKTOK_SHOP_ACCESS_TOKEN). */
  accessTokenExpiresAt: number | null;
  /** Unix seconds; null when unknown. */
  refreshTokenExpiresAt: number | null;
}

export function summarizeSeller(seller: SellerRecord): SellerSummary {
  return {
    openId: seller.openId,
    name: seller.name,
    source: seller.source,
    shops: seller.shops.map(({ id, name, region, sellerType, code }) => ({
      id,
      name,
      region,
      sellerType,
      code,
    })),
    grantedScopes: [...seller.grantedScopes],
    accessTokenExpiresAt: seller.tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: seller.tokens.refreshTokenExpiresAt,
  };
}

/** The seller of a code exchange as clients may see it, whether or not its save is still retried. */
export function summarizeAuthorization(result: AuthorizationResult): SellerSummary {
  return {
    openId: result.seller.openId,
    name: result.seller.name,
    source: 'oauth',
    shops: result.shops,
    grantedScopes: [...result.grantedScopes],
    accessTokenExpiresAt: result.accessTokenExpiresAt,
    refreshTokenExpiresAt: result.refreshTokenExpiresAt,
  };
}

/** A stored shop and the seller whose tokens serve it. */
export interface ShopOwner {
  shop: AuthorizedShop;
  seller: SellerRecord;
}

export interface SellerAuth {
  store: TokenStore;
  tokens: TokenManager;
  oauth: OAuthFlow;
  /**
   * Every shop of every stored seller, ciphers included, with the seller that serves it: the
   * most recently written one, should two claim a shop (as findSellerByShop). One store read
   * (issue 9). A seller seeded from the environment has no shops yet: they are read once with
   * its token (Get Authorized Shops, §3) and stored, and the store read again.
   */
  shopOwners(): Promise<ShopOwner[]>;
  /** The shops of `shopOwners()`. */
  authorizedShops(): Promise<AuthorizedShop[]>;
  /** The seller authorisation URL with a fresh signed state (§2.1). */
  authorizationUrl(input: { redirectUri?: string }): AuthorizationUrl;
  /** Verifies `state`, exchanges the code, stores seller, tokens and shops (§2.2, §3). */
  exchange(input: ExchangeInput): Promise<AuthorizationResult>;
  /** Renews the tokens of the seller serving `shopId` (or the default seller) now (§2.3). */
  refresh(shopId: string | undefined): Promise<SellerSummary>;
}

export interface SellerAuthDeps {
  store: TokenStore;
  tokens: TokenManager;
  oauth: OAuthFlow;
  /** Get Authorized Shops (§3), for a stored seller or a token the store does not hold yet. */
  client: Pick<TikTokShopClient, 'getAuthorizedShops'>;
  /** Exchanges authorization codes on the auth host (§2.2). */
  authHost: Pick<AuthHostClient, 'getAccessToken'>;
  /** Where shopOwners() reads the sellers (issue 14). Default: the store on every call. */
  snapshot?: SellerSnapshot;
  logger?: AuthLogger;
}

export function createSellerAuth(deps: SellerAuthDeps): SellerAuth {
  const { store, tokens, oauth, client } = deps;
  const logger = deps.logger ?? silentLogger;
  const snapshot = deps.snapshot ?? createSellerSnapshot({ store, maxAgeMs: 0 });
  // The owners of one snapshot, worked out once for all the requests that read it.
  const ownersOf = new WeakMap<readonly SellerRecord[], ShopOwner[]>();
  let backfill: Promise<void> | undefined;

  /** Reads and stores the shops of sellers that have none (seeded from the environment). */
  async function fillMissingShops(sellers: SellerRecord[]): Promise<void> {
    for (const seller of sellers.filter((candidate) => candidate.shops.length === 0)) {
      const shops = await client.getAuthorizedShops(tokens.credentialsFor(seller));
      // Re-read: listing may have renewed the tokens (a 105002), which bumped the version.
      const current = await store.getSeller(seller.openId);
      if (!current || current.shops.length > 0) continue;
      const { version, updatedAt: _updatedAt, ...input } = current;
      try {
        await store.saveSeller({ ...input, shops }, { expectedVersion: version });
        logger.info(
          { openId: seller.openId, shopIds: shops.map((shop) => shop.id) },
          'Shops stored',
        );
      } catch (error) {
        // Written meanwhile (a refresh, a re-authorisation): the next read tries again.
        if (!(error instanceof TokenStoreConflictError)) throw error;
      }
    }
  }

  async function shopOwners(): Promise<ShopOwner[]> {
    let sellers = await snapshot.sellers();
    if (sellers.some((seller) => seller.shops.length === 0)) {
      // One backfill at a time: concurrent requests wait for the same Get Authorized Shops.
      backfill ??= fillMissingShops([...sellers]).finally(() => {
        backfill = undefined;
      });
      await backfill;
      snapshot.invalidate();
      sellers = await snapshot.sellers();
    }
    let owners = ownersOf.get(sellers);
    if (!owners) {
      // The most recently written seller wins a shop two sellers claim (as findSellerByShop).
      const byId = new Map<string, ShopOwner>();
      for (const seller of [...sellers].sort((a, b) => b.updatedAt - a.updatedAt)) {
        for (const shop of seller.shops) {
          if (!byId.has(shop.id)) byId.set(shop.id, { shop, seller });
        }
      }
      owners = [...byId.values()];
      ownersOf.set(sellers, owners);
    }
    return owners;
  }

  return {
    store,
    tokens,
    oauth,
    shopOwners,

    async authorizedShops() {
      return (await shopOwners()).map((owner) => owner.shop);
    },

    authorizationUrl: (input) => oauth.authorizationUrl(input),

    exchange(input) {
      return exchangeCode(input, {
        oauth,
        authHost: deps.authHost,
        // The new seller is not stored yet: its shops are listed with the token just granted.
        listShops: (accessToken) => client.getAuthorizedShops(createStaticCredentials(accessToken)),
        // A stored seller's shops as its tokens list them now (is the seeded seller this one?).
        shopsOf: (seller) => client.getAuthorizedShops(tokens.credentialsFor(seller)),
        store,
        saves: tokens.saves,
        logger,
      });
    },

    async refresh(shopId) {
      const seller = await tokens.sellerFor(shopId);
      return summarizeSeller(await tokens.refresh(seller.openId));
    },
  };
}

export interface SellerClientOptions {
  credentials: TikTokCredentials;
  apiBase: string;
  authBase: string;
  http: HttpConfig;
  rateLimiter: RateLimiter;
  /** Guards the API host's calls per (shop, rate class). Default: none. */
  circuitBreaker?: CircuitBreaker;
  store: TokenStore;
  /** Renew tokens expiring within this, ms (TOKEN_REFRESH_MARGIN_MS). Default 300 000. */
  refreshMarginMs?: number;
  /** TIKTOK_SHOP_SHOP_ID: whose seller answers seller-level calls when several are stored. */
  defaultShopId?: string;
  refreshLock?: RefreshLock;
  logger?: TikTokShopLogger & AuthLogger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Told of every upstream attempt made outside a request's own observer (metrics, traces). */
  observer?: UpstreamObserver;
  /** Told how each token refresh ended (metrics). */
  onTokenRefresh?: TokenManagerOptions['onRefresh'];
}

export interface SellerClients {
  /** The API host; each call takes the request's ShopSession (or a seller's credentials). */
  client: TikTokShopClient;
  /** Token get and refresh (§2.2–2.3), used by the token manager and the code exchange. */
  authHost: AuthHostClient;
  tokens: TokenManager;
  /**
   * Tries once more to store new tokens whose save failed (logged when that fails too: those
   * sellers must re-authorise), then closes both hosts' keep-alive pools.
   */
  close(): Promise<void>;
}

/**
 * The upstream clients and the token manager. The manager renews on the auth host directly and
 * the API client holds no tokens: each request brings its sellers' credentials (issue 9).
 */
export function createSellerClient(options: SellerClientOptions): SellerClients {
  const { credentials, http, logger, now, observer } = options;
  const client = createTikTokShopClient({
    credentials,
    apiBase: options.apiBase,
    rateLimiter: options.rateLimiter,
    circuitBreaker: options.circuitBreaker,
    http,
    logger,
    now,
    observer,
  });
  const authHost = createAuthHostClient({
    credentials,
    authBase: options.authBase,
    http,
    logger,
    now,
    observer,
  });
  const tokens = createTokenManager({
    store: options.store,
    authHost,
    refreshMarginMs: options.refreshMarginMs,
    defaultShopId: options.defaultShopId,
    refreshLock: options.refreshLock,
    logger,
    now,
    onRefresh: options.onTokenRefresh,
  });
  return {
    client,
    authHost,
    tokens,
    async close() {
      const unsaved = await tokens.saves.flush();
      if (unsaved.length > 0) {
        logger?.warn(
          { unsaved },
          'Closing with new seller tokens that could not be stored: those sellers must re-authorise',
        );
      }
      await Promise.all([client.close(), authHost.close()]);
    },
  };
}
