// The gateway as server.ts runs it: the seller side (openSellerAuth: token store, token manager,
// rate limiter; on Redis when REDIS_URL is set), the shared cache with its cross-replica
// invalidations, and createGateway. The scale-out tests build their replicas through this too.
import type { Logger } from 'pino';
import type { AuthConfig } from './auth/auth-config.js';
import type { CallerResolver } from './auth/caller.js';
import { type OpenedSellerAuth, openSellerAuth, type SellerAuth } from './auth/seller-auth.js';
import type { Config } from './config.js';
import {
  createCacheInvalidator,
  createSharedCache,
  type SharedCache,
} from './datasources/tiktok/cache.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import { createGateway, type Gateway, type GatewayDeps } from './gateway.js';
import type { RedisConfig, RedisScaleOut } from './redis/index.js';

export interface GatewayStackOptions
  extends Pick<
    GatewayDeps,
    'oauthCallbackPath' | 'queryLimits' | 'graphiqlHeaders' | 'exampleVariables'
  > {
  config: Config;
  authConfig: AuthConfig;
  /** Environment TOKEN_ENCRYPTION_KEY is read from. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Who may call the gateway (createCallerResolver). */
  callers: CallerResolver;
  /**
   * Scale-out through Redis (loadRedisConfig); null: this process only. Used when the stack opens
   * the seller side itself.
   */
  redis: RedisConfig | null;
  /**
   * The seller side when it is already open (the sandbox's); its owner closes it. Default:
   * `openSellerAuth` in `config.mode` with `redis`, closed by `close()`.
   */
  sellerAuth?: Pick<OpenedSellerAuth, 'client' | 'sellers' | 'scaleOut'>;
  /** Token file (or the file imported into an empty Redis). Default authConfig.tokenStorePath. */
  tokenStorePath?: string;
  /** Clock of the client, the token manager and the cache, ms since the epoch. Default Date.now. */
  now?: () => number;
}

export interface GatewayStack {
  gateway: Gateway;
  client: TikTokShopClient;
  sellers: SellerAuth;
  /** The seller side as this stack opened it; undefined when `sellerAuth` was passed in. */
  opened: OpenedSellerAuth | undefined;
  /** The Redis pieces, when scaled out. */
  scaleOut: RedisScaleOut | undefined;
  /** This replica's cache; the other replicas' evictions land here. */
  cache: SharedCache;
  /** Disposes the gateway, stops listening for evictions, closes what this stack opened. */
  close(): Promise<void>;
}

export async function createGatewayStack(options: GatewayStackOptions): Promise<GatewayStack> {
  const { config, logger } = options;
  const opened = options.sellerAuth
    ? undefined
    : await openSellerAuth({
        config,
        authConfig: options.authConfig,
        env: options.env,
        mode: config.mode,
        redis: options.redis,
        ...(options.tokenStorePath === undefined ? {} : { tokenStorePath: options.tokenStorePath }),
        logger,
        ...(options.now ? { now: options.now } : {}),
      });
  const side = options.sellerAuth ?? (opened as OpenedSellerAuth);
  const cache = createSharedCache({
    config: config.cache,
    ...(options.now ? { now: options.now } : {}),
  });
  // A stock write on this replica evicts here and on every other replica (issue #6).
  const invalidator = createCacheInvalidator({
    cache,
    ...(side.scaleOut ? { bus: side.scaleOut.invalidation } : {}),
    logger,
  });
  try {
    await invalidator.listen();
  } catch (error) {
    await opened?.close();
    throw error;
  }
  const gateway = createGateway({
    config,
    client: side.client,
    logger,
    sellers: side.sellers,
    callers: options.callers,
    cache: invalidator.cache,
    ...(options.oauthCallbackPath === undefined
      ? {}
      : { oauthCallbackPath: options.oauthCallbackPath }),
    ...(options.queryLimits ? { queryLimits: options.queryLimits } : {}),
    ...(options.graphiqlHeaders ? { graphiqlHeaders: options.graphiqlHeaders } : {}),
    ...(options.exampleVariables ? { exampleVariables: options.exampleVariables } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    gateway,
    client: side.client,
    sellers: side.sellers,
    opened,
    scaleOut: side.scaleOut,
    cache,
    close() {
      closing ??= (async () => {
        await gateway.dispose();
        invalidator.close();
        await opened?.close();
      })();
      return closing;
    },
  };
}
