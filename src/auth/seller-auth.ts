// The seller side of auth, wired: the token store, the refreshing token manager as the client's
// AccessTokenProvider, the OAuth flow and the code exchange. The gateway, the sandbox and both
// CLIs build the same thing through `openSellerAuth`, so they cannot drift apart.
import { dirname, join } from 'node:path';
import type { Config, HttpConfig } from '../config.js';
import { createTikTokShopClient } from '../datasources/tiktok/client.js';
import type { TikTokShopLogger } from '../datasources/tiktok/http.js';
import {
  createTokenBucketRateLimiter,
  type RateLimiter,
} from '../datasources/tiktok/rate-limiter.js';
import { createStaticTokenProvider } from '../datasources/tiktok/token-provider.js';
import type {
  AccessTokenProvider,
  AuthorizedShop,
  TikTokShopClient,
} from '../datasources/tiktok/types.js';
import type { AuthConfig } from './auth-config.js';
import { type ResolvedEncryptionKey, resolveEncryptionKey } from './encryption-key.js';
import { TokenStoreConflictError } from './errors.js';
import { createFileTokenStore } from './file-token-store.js';
import { type AuthLogger, silentLogger } from './logger.js';
import {
  type AuthorizationResult,
  type AuthorizationUrl,
  createOAuthFlow,
  deriveStateSecret,
  exchangeCode,
  type OAuthFlow,
  type UsedStateStore,
} from './oauth.js';
import {
  createTokenManager,
  type RefreshLock,
  type SeedResult,
  seedFromEnvironment,
  type TokenManager,
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

export interface OpenSellerAuthOptions {
  /** Config with the app credentials and hosts to use (the emulator's in sandbox mode). */
  config: Config;
  authConfig: AuthConfig;
  /** Environment TOKEN_ENCRYPTION_KEY is read from. */
  env: NodeJS.ProcessEnv;
  /** 'sandbox' may generate the encryption key into the data directory; 'tiktok' refuses. */
  mode: Config['mode'];
  /** Token file; default `authConfig.tokenStorePath`. The key file goes beside it in sandbox mode. */
  tokenStorePath?: string;
  /** Replaces the file store (e.g. Redis). */
  store?: TokenStore;
  rateLimiter?: RateLimiter;
  refreshLock?: RefreshLock;
  usedStates?: UsedStateStore;
  /** Seed TIKTOK_SHOP_ACCESS_TOKEN / _REFRESH_TOKEN into an empty store. Default true. */
  seed?: boolean;
  logger?: TikTokShopLogger & AuthLogger;
  now?: () => number;
}

export interface OpenedSellerAuth {
  sellers: SellerAuth;
  client: TikTokShopClient;
  encryptionKey: ResolvedEncryptionKey;
  /** Where the tokens are kept (undefined when a store was passed in). */
  tokenStorePath: string | undefined;
  seeded: SeedResult | undefined;
  /** Get Authorized Shops (§3) with a given token or one seller's token provider. */
  listShops(tokens: string | AccessTokenProvider): Promise<AuthorizedShop[]>;
  close(): Promise<void>;
}

/**
 * Resolves the encryption key (outside sandbox mode TOKEN_ENCRYPTION_KEY is required), opens the
 * store and reads it once, so a wrong key or an altered file stops the start with
 * TokenStoreCorruptError instead of failing later per request; then seeds it from the environment
 * and wires client, token manager and OAuth flow.
 */
export async function openSellerAuth(options: OpenSellerAuthOptions): Promise<OpenedSellerAuth> {
  const { config, authConfig } = options;
  if (!config.credentials) throw new Error('TikTok app credentials are missing');
  const tokenStorePath = options.store
    ? undefined
    : (options.tokenStorePath ?? authConfig.tokenStorePath);
  const encryptionKey = await resolveEncryptionKey({
    mode: options.mode,
    env: options.env,
    dataDir: dirname(tokenStorePath ?? join(process.cwd(), '.data', 'tokens.json')),
  });
  const store =
    options.store ??
    createFileTokenStore({
      path: tokenStorePath as string,
      encryptionKey: encryptionKey.key,
      ...(options.now ? { now: options.now } : {}),
    });
  await store.load();
  const seeded = options.seed === false ? undefined : await seedFromEnvironment(store, config);

  const { client, tokens, listShops } = createSellerClient({
    credentials: config.credentials,
    apiBase: config.apiBase,
    authBase: config.authBase,
    http: config.http,
    rateLimiter: options.rateLimiter ?? createTokenBucketRateLimiter(config.rateLimit),
    store,
    refreshMarginMs: authConfig.tokenRefreshMarginMs,
    ...(config.defaultShopId === undefined ? {} : { defaultShopId: config.defaultShopId }),
    ...(options.refreshLock ? { refreshLock: options.refreshLock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const oauth = createOAuthFlow({
    appKey: config.credentials.appKey,
    ...(authConfig.serviceId === undefined ? {} : { serviceId: authConfig.serviceId }),
    ...(authConfig.authorizeBase === undefined ? {} : { authorizeBase: authConfig.authorizeBase }),
    stateSecret: deriveStateSecret(encryptionKey.key),
    stateTtlMs: authConfig.oauthStateTtlMs,
    ...(options.usedStates ? { usedStates: options.usedStates } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const sellers = createSellerAuth({
    store,
    tokens,
    oauth,
    client,
    listShops,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    sellers,
    client,
    encryptionKey,
    tokenStorePath,
    seeded,
    listShops,
    close: () => client.close(),
  };
}
