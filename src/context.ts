// Per-request context: who is calling, which shops they may use, and one set of loaders per shop.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { SharedCache } from './datasources/tiktok/cache.js';
import { createLoaders, type Loaders } from './datasources/tiktok/loaders.js';
import { type ShopSelection, selectShop } from './datasources/tiktok/shop-resolver.js';
import type { AuthorizedShop, TikTokShopClient } from './datasources/tiktok/types.js';

/** The caller of a request; issue #4 fills it from an API key or JWT. */
export interface Caller {
  id: string;
  scopes: string[];
}

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
  /** null until issue #4 authenticates callers. */
  caller: Caller | null;
  /** The shops the seller has authorised, shared-cached. */
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
}

// TODO(#4): key by seller once access tokens are per caller; today there is one static token.
const AUTHORIZED_SHOPS_KEY = 'seller:static:authorized-shops';

export function createContext(deps: ContextDeps): GatewayContext {
  const { config, client, cache } = deps;
  const scopes = new Map<string, ShopScope>();
  let shops: Promise<AuthorizedShop[]> | undefined;

  const authorizedShops = () => {
    shops ??= cache.getOrLoad(AUTHORIZED_SHOPS_KEY, cache.ttlMs, () => client.getAuthorizedShops());
    return shops;
  };

  return {
    ...deps,
    caller: null,
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
