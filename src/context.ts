// Per-request context: who is calling, which shops the stored sellers authorised, and one set of
// loaders per shop.
import type { Caller } from './auth/caller.js';
import type { SellerAuth } from './auth/seller-auth.js';
import type { Config } from './config.js';
import type { SharedCache } from './datasources/tiktok/cache.js';
import { createLoaders, type Loaders } from './datasources/tiktok/loaders.js';
import { type ShopSelection, selectShop } from './datasources/tiktok/shop-resolver.js';
import type { AuthorizedShop, TikTokShopClient } from './datasources/tiktok/types.js';
import type { Logger } from './logger.js';

export type { Caller };

/** One shop as a request sees it: the shop and the loaders bound to it. */
export interface ShopScope {
  shop: AuthorizedShop;
  loaders: Loaders;
}

export interface GatewayContext {
  config: Config;
  client: TikTokShopClient;
  cache: SharedCache;
  logger: Logger;
  /** Sellers, their tokens and the OAuth flow. */
  sellers: SellerAuth;
  /** The authenticated caller (API key or JWT); the gateway answers 401 before there is none. */
  caller: Caller | null;
  /** The shops every stored seller authorised, read from the token store once per request. */
  authorizedShops(): Promise<AuthorizedShop[]>;
  /** Chooses a shop (see shop-resolver.ts); `ok: false` carries a message for the client. */
  selectShop(shopId: string | undefined): Promise<ShopSelection>;
  /** Loaders for `shop`, created on first use in this request. */
  scopeFor(shop: AuthorizedShop): ShopScope;
}

export interface ContextDeps {
  config: Config;
  client: TikTokShopClient;
  cache: SharedCache;
  logger: Logger;
  sellers: SellerAuth;
  caller: Caller | null;
}

export function createContext(deps: ContextDeps): GatewayContext {
  const { config, client, cache, sellers } = deps;
  const scopes = new Map<string, ShopScope>();
  let shops: Promise<AuthorizedShop[]> | undefined;

  // Each shop's calls carry the token of the seller that authorised it: the client asks the
  // token manager by shop id.
  const authorizedShops = () => {
    shops ??= sellers.authorizedShops();
    return shops;
  };

  return {
    ...deps,
    authorizedShops,
    async selectShop(shopId) {
      return selectShop(await authorizedShops(), shopId, config.defaultShopId);
    },
    scopeFor(shop) {
      let scope = scopes.get(shop.id);
      if (!scope) {
        scope = {
          shop,
          loaders: createLoaders({ client, shop, cache, config }),
        };
        scopes.set(shop.id, scope);
      }
      return scope;
    },
  };
}
