// The seller side of auth, wired: the token store, the refreshing token manager as the client's
// AccessTokenProvider, the OAuth flow and the code exchange. The gateway, the sandbox and both
// CLIs build the same thing through `openSellerAuth`, so they cannot drift apart. With REDIS_URL
// (issue #6) the store, the refresh lock and the rate limiter are the shared Redis ones.
import { existsSync } from 'node:fs';
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
import {
  createRedisScaleOut,
  describeRedisUrl,
  importSellers,
  loadRedisConfig,
  type RedisConfig,
  type RedisScaleOut,
  TokenStoreUnavailableError,
} from '../redis/index.js';
import type { AuthConfig } from './auth-config.js';
import { type ResolvedEncryptionKey, resolveEncryptionKey } from './encryption-key.js';
import { TokenStoreConflictError } from './errors.js';
import { createFileTokenStore } from './file-token-store.js';
import { createFileUsedStateStore } from './file-used-state-store.js';
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
        shopsOf: (seller) => deps.listShops(tokens.forSeller(seller.openId)),
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
  /**
   * Token file; default `authConfig.tokenStorePath`. The key file goes beside it in sandbox mode.
   * With Redis, the file whose sellers are copied into a Redis that holds none yet.
   */
  tokenStorePath?: string;
  /**
   * Scale-out through Redis (issue #6, docs/scale-out.md): the token store, the refresh lock and
   * the rate limiter become the shared ones, and `scaleOut` carries the cache invalidation bus.
   * null: this process only. Default: `loadRedisConfig(env)` in 'tiktok' mode; none in 'sandbox'
   * mode, whose emulator (and so whose tokens) belong to this process alone.
   */
  redis?: RedisConfig | null;
  /** Replaces the file store (or the Redis one). */
  store?: TokenStore;
  /** Replaces the in-memory (or the Redis) limiter. */
  rateLimiter?: RateLimiter;
  /** Replaces the Redis refresh lock (default without Redis: this process's single flight). */
  refreshLock?: RefreshLock;
  usedStates?: UsedStateStore;
  /** Seed TIKTOK_SHOP_ACCESS_TOKEN / _REFRESH_TOKEN into an empty store. Default true. */
  seed?: boolean;
  logger?: TikTokShopLogger & AuthLogger & { error(fields: object, message: string): void };
  now?: () => number;
}

export interface OpenedSellerAuth {
  sellers: SellerAuth;
  client: TikTokShopClient;
  encryptionKey: ResolvedEncryptionKey;
  /** Where the tokens are kept (undefined when a store was passed in or Redis keeps them). */
  tokenStorePath: string | undefined;
  /** The Redis pieces when `redis` was set; `invalidation` is for the gateway's cache. */
  scaleOut: RedisScaleOut | undefined;
  /** Sellers copied from the token file into Redis at this start (empty without Redis). */
  imported: string[];
  /** undefined when seeding was off, or postponed because Redis did not answer at start. */
  seeded: SeedResult | undefined;
  /** Get Authorized Shops (§3) with a given token or one seller's token provider. */
  listShops(tokens: string | AccessTokenProvider): Promise<AuthorizedShop[]>;
  /** Closes the client and, with Redis, writes back pending saves if it can and disconnects. */
  close(): Promise<void>;
}

/**
 * Resolves the encryption key (outside sandbox mode TOKEN_ENCRYPTION_KEY is required), opens the
 * store and reads it once, so a wrong key or an altered file stops the start with
 * TokenStoreCorruptError instead of failing later per request; then seeds it from the environment
 * and wires client, token manager and OAuth flow. With Redis, a Redis holding no seller first gets
 * the sellers of the token file (the move from one process to several); if Redis does not answer
 * at start, that and the seeding happen when it does.
 */
export async function openSellerAuth(options: OpenSellerAuthOptions): Promise<OpenedSellerAuth> {
  const { config, authConfig } = options;
  if (!config.credentials) throw new Error('TikTok app credentials are missing');
  const redis =
    options.redis === undefined
      ? options.mode === 'tiktok'
        ? loadRedisConfig(options.env)
        : null
      : options.redis;
  const filePath = options.tokenStorePath ?? authConfig.tokenStorePath;
  const tokenStorePath = options.store || redis ? undefined : filePath;
  const encryptionKey = await resolveEncryptionKey({
    mode: options.mode,
    env: options.env,
    dataDir: dirname(options.store ? join(process.cwd(), '.data', 'tokens.json') : filePath),
  });
  const openFileStore = () =>
    createFileTokenStore({
      path: filePath,
      encryptionKey: encryptionKey.key,
      ...(options.now ? { now: options.now } : {}),
    });
  const scaleOut = redis
    ? await createRedisScaleOut({
        config: redis,
        rateLimit: config.rateLimit,
        encryptionKey: encryptionKey.key,
        ...(options.logger ? { logger: options.logger } : {}),
      })
    : undefined;
  const store = options.store ?? scaleOut?.tokenStore ?? openFileStore();
  const redisTarget = redis ? describeRedisUrl(redis.url) : undefined;

  const prepared = { imported: [] as string[], seeded: undefined as SeedResult | undefined };
  const prepare = async () => {
    const { sellers } = await store.load();
    if (scaleOut && !options.store && sellers.length === 0 && existsSync(filePath)) {
      prepared.imported = await importSellers(openFileStore(), store);
      if (prepared.imported.length > 0) {
        options.logger?.info(
          { sellers: prepared.imported.length, redis: redisTarget },
          'Sellers copied from the token file into Redis',
        );
      }
    }
    if (options.seed !== false) prepared.seeded = await seedFromEnvironment(store, config);
  };
  try {
    await prepare();
  } catch (error) {
    // Redis down at start: the replica runs in the fallbacks and catches up once it answers.
    if (!(scaleOut && error instanceof TokenStoreUnavailableError)) {
      await scaleOut?.close();
      throw error;
    }
    options.logger?.warn(
      {},
      'Redis did not answer at start: the token file is imported and the environment tokens ' +
        'seeded once it does',
    );
    const retryWhenReady = (connection: RedisScaleOut['redis']) => {
      connection.once('ready', () => {
        prepare().catch((retryError: unknown) => {
          if (retryError instanceof TokenStoreUnavailableError) return retryWhenReady(connection);
          options.logger?.error(
            { error: retryError instanceof Error ? retryError.message : String(retryError) },
            'Preparing the Redis token store failed',
          );
        });
      });
    };
    retryWhenReady(scaleOut.redis);
  }

  const { client, tokens, listShops } = createSellerClient({
    credentials: config.credentials,
    apiBase: config.apiBase,
    authBase: config.authBase,
    http: config.http,
    rateLimiter:
      options.rateLimiter ??
      scaleOut?.rateLimiter ??
      createTokenBucketRateLimiter(config.rateLimit),
    store,
    refreshMarginMs: authConfig.tokenRefreshMarginMs,
    ...(config.defaultShopId === undefined ? {} : { defaultShopId: config.defaultShopId }),
    ...((options.refreshLock ?? scaleOut?.refreshLock)
      ? { refreshLock: options.refreshLock ?? scaleOut?.refreshLock }
      : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const oauth = createOAuthFlow({
    appKey: config.credentials.appKey,
    ...(authConfig.serviceId === undefined ? {} : { serviceId: authConfig.serviceId }),
    ...(authConfig.authorizeBase === undefined ? {} : { authorizeBase: authConfig.authorizeBase }),
    stateSecret: deriveStateSecret(encryptionKey.key),
    stateTtlMs: authConfig.oauthStateTtlMs,
    usedStates:
      options.usedStates ??
      scaleOut?.usedStates ??
      // A sandbox's states are its own emulator's, which a restart does not bring back.
      (tokenStorePath && options.mode === 'tiktok'
        ? createFileUsedStateStore({ tokenStorePath })
        : undefined),
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
    scaleOut,
    get imported() {
      return prepared.imported;
    },
    get seeded() {
      return prepared.seeded;
    },
    listShops,
    async close() {
      await client.close();
      if (!scaleOut) return;
      // Tokens saved while Redis was down exist only here: one last try to write them back.
      if (scaleOut.tokenStore.pendingWrites > 0) {
        await scaleOut.tokenStore.sync().catch(() => undefined);
      }
      await scaleOut.close();
    },
  };
}
