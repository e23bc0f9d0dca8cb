// The seller side of auth: the token manager as the client's AccessTokenProvider (createSellerClient)
// and the seller operations on top of the store, the token manager and the OAuth flow
// (createSellerAuth). createApp (src/app.ts) wires them.
import type { HttpConfig } from '../config.js';
import { createTikTokShopClient } from '../datasources/tiktok/client.js';
import type { TikTokShopLogger } from '../datasources/tiktok/http.js';
import type { RateLimiter } from '../datasources/tiktok/rate-limiter.js';
import { createStaticTokenProvider } from '../datasources/tiktok/token-provider.js';
import type {
  AccessTokenProvider,
  AuthorizedShop,
  TikTokShopClient,
} from '../datasources/tiktok/types.js';
import { TokenStoreConflictError } from './errors.js';
import { type AuthLogger, silentLogger } from './logger.js';
import {
  type AuthorizationResult,
  type AuthorizationUrl,
  exchangeCode,
  type OAuthFlow,
} from './oauth.js';
import { createTokenManager, type RefreshLock, type TokenManager } from './token-manager.js';
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

export interface SellerAuth {
  store: TokenStore;
  tokens: TokenManager;
  oauth: OAuthFlow;
  /**
   * Every shop of every stored seller, ciphers included. A seller seeded from the environment
   * has no shops yet: they are read once with its token (Get Authorized Shops, §3) and stored.
   */
  authorizedShops(): Promise<AuthorizedShop[]>;
  /** The seller authorisation URL with a fresh signed state (§2.1). */
  authorizationUrl(input: { redirectUri?: string }): AuthorizationUrl;
  /** Verifies `state`, exchanges the code, stores seller, tokens and shops (§2.2, §3). */
  exchange(input: {
    code: string | null | undefined;
    state: string | null | undefined;
    error?: string;
  }): Promise<AuthorizationResult>;
  /** Renews the tokens of the seller serving `shopId` (or the default seller) now (§2.3). */
  refresh(shopId: string | undefined): Promise<SellerSummary>;
}

export interface SellerAuthDeps {
  store: TokenStore;
  tokens: TokenManager;
  oauth: OAuthFlow;
  /** Exchanges authorization codes on the auth host (§2.2). */
  client: Pick<TikTokShopClient, 'getAccessToken'>;
  /**
   * Get Authorized Shops (§3) with one seller's token: a token the store does not hold yet (right
   * after an exchange), or a provider pinned to one stored seller.
   */
  listShops(tokens: string | AccessTokenProvider): Promise<AuthorizedShop[]>;
  logger?: AuthLogger;
}

export function createSellerAuth(deps: SellerAuthDeps): SellerAuth {
  const { store, tokens, oauth } = deps;
  const logger = deps.logger ?? silentLogger;
  let backfill: Promise<void> | undefined;

  /** Reads and stores the shops of sellers that have none (seeded from the environment). */
  async function fillMissingShops(sellers: SellerRecord[]): Promise<void> {
    for (const seller of sellers.filter((candidate) => candidate.shops.length === 0)) {
      const shops = await deps.listShops(tokens.forSeller(seller.openId));
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

  return {
    store,
    tokens,
    oauth,

    async authorizedShops() {
      let { sellers } = await store.load();
      if (sellers.some((seller) => seller.shops.length === 0)) {
        // One backfill at a time: concurrent requests wait for the same Get Authorized Shops.
        backfill ??= fillMissingShops(sellers).finally(() => {
          backfill = undefined;
        });
        await backfill;
        ({ sellers } = await store.load());
      }
      // The most recently written seller wins a shop two sellers claim (as findSellerByShop).
      const byId = new Map<string, AuthorizedShop>();
      for (const seller of [...sellers].sort((a, b) => b.updatedAt - a.updatedAt)) {
        for (const shop of seller.shops) if (!byId.has(shop.id)) byId.set(shop.id, shop);
      }
      return [...byId.values()];
    },

    authorizationUrl(input) {
      return oauth.authorizationUrl(
        input.redirectUri === undefined ? {} : { redirectUri: input.redirectUri },
      );
    },

    exchange(input) {
      return exchangeCode(input, {
        oauth,
        client: deps.client,
        listShops: (accessToken) => deps.listShops(accessToken),
        store,
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
  credentials: { appKey: string; appSecret: string };
  apiBase: string;
  authBase: string;
  http: HttpConfig;
  rateLimiter: RateLimiter;
  store: TokenStore;
  /** Renew tokens expiring within this, ms (TOKEN_REFRESH_MARGIN_MS). Default 300 000. */
  refreshMarginMs?: number;
  /** TIKTOK_SHOP_SHOP_ID: whose seller answers seller-level calls when several are stored. */
  defaultShopId?: string;
  refreshLock?: RefreshLock;
  logger?: TikTokShopLogger & AuthLogger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * The upstream client with the token manager as its token provider, plus `listShops` for a token
 * the store does not hold yet. The manager refreshes through the same client (the auth host needs
 * no access token), hence the late binding.
 */
export function createSellerClient(options: SellerClientOptions): {
  client: TikTokShopClient;
  tokens: TokenManager;
  listShops(tokens: string | AccessTokenProvider): Promise<AuthorizedShop[]>;
} {
  const base = {
    credentials: options.credentials,
    apiBase: options.apiBase,
    authBase: options.authBase,
    http: options.http,
    rateLimiter: options.rateLimiter,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  let client: TikTokShopClient | undefined;
  const tokens = createTokenManager({
    store: options.store,
    client: {
      refreshAccessToken: (refreshToken) => {
        if (!client) throw new Error('The TikTok Shop client is not ready');
        return client.refreshAccessToken(refreshToken);
      },
    },
    ...(options.refreshMarginMs === undefined ? {} : { refreshMarginMs: options.refreshMarginMs }),
    ...(options.defaultShopId === undefined ? {} : { defaultShopId: options.defaultShopId }),
    ...(options.refreshLock ? { refreshLock: options.refreshLock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  client = createTikTokShopClient({ ...base, tokens });
  return {
    client,
    tokens,
    async listShops(sellerTokens) {
      // A short-lived client pinned to one seller, under the same rate limiter.
      const pinned = createTikTokShopClient({
        ...base,
        tokens:
          typeof sellerTokens === 'string' ? createStaticTokenProvider(sellerTokens) : sellerTokens,
      });
      try {
        return await pinned.getAuthorizedShops();
      } finally {
        await pinned.close();
      }
    },
  };
}
