// Per-request context: who is calling, which shops the stored sellers authorised and which of them
// the caller may use, and for each shop the request touches one session (the shop and its seller's
// credentials) and its loaders. A subscription stream keeps its context for its whole life, so each
// of its events starts afresh (beginEvent).
import type { Caller } from './auth/caller.js';
import {
  ReauthorizationRequiredError,
  SellerDeauthorizedError,
  ShopForbiddenError,
} from './auth/errors.js';
import type { SellerAuth, ShopOwner } from './auth/seller-auth.js';
import type { SellerRecord } from './auth/token-store.js';
import type { Config } from './config.js';
import { type ShopCalendar, shopCalendar } from './datasources/tiktok/analytics-calendar.js';
import type { SharedCache } from './datasources/tiktok/cache.js';
import { createLoaders, type Loaders } from './datasources/tiktok/loaders.js';
import {
  type AllowedShops,
  isShopAllowed,
  type ShopSelection,
  selectShop,
} from './datasources/tiktok/shop-resolver.js';
import type {
  AuthorizedShop,
  SellerCredentials,
  ShopSession,
  TikTokShopClient,
} from './datasources/tiktok/types.js';
import type { UpstreamObserver } from './datasources/tiktok/upstream-observer.js';
import type { WriteLock } from './datasources/tiktok/write-lock.js';
import type { Logger } from './logger.js';
import type { TikTokEventFeed } from './webhooks/event-bus.js';

export type { Caller };

/** One shop as a request sees it: its session and the loaders bound to it. */
export interface ShopScope {
  /** The shop and its seller's credentials; every upstream call for the shop goes with it. */
  shop: ShopSession;
  loaders: Loaders;
  /** The shop's day as this request sees it, for analytics ranges (issue 11). */
  calendar: ShopCalendar;
}

/** What the gateway hands every request (see GatewayContext). */
export interface ContextDeps {
  config: Config;
  client: TikTokShopClient;
  cache: SharedCache;
  logger: Logger;
  /** Sellers, their tokens and the OAuth flow. */
  sellers: SellerAuth;
  /** The authenticated caller (API key or JWT); the gateway answers 401 before there is none. */
  caller: Caller | null;
  /** Clock, ms since the epoch: which day it is for each shop. */
  now: () => number;
  /** Each product's stock-write section (in-process, or shared through Redis). */
  writeLock: WriteLock;
  /** This request's observer of upstream attempts (its id, log, span; issue 12). Default: the client's. */
  upstream?: UpstreamObserver;
  /** TikTok's events, for subscriptions (issue 13); its streams end when the gateway drains. */
  events: TikTokEventFeed;
}

export interface GatewayContext extends ContextDeps {
  /** The caller's shops (issue 10); none without a caller. */
  allowedShops: AllowedShops;
  /**
   * The shops stored sellers authorised that the caller may use, read from the token store once
   * per request.
   */
  visibleShops(): Promise<AuthorizedShop[]>;
  /**
   * Chooses a shop among the caller's (see shop-resolver.ts): a shop outside them is `forbidden`
   * before the store is read; other failures carry a message for the client.
   */
  selectShop(shopId: string | undefined): Promise<ShopSelection>;
  /**
   * The session and loaders of `shop` (an authorised shop), created on first use; a shop outside
   * the caller's is ShopForbiddenError, so no upstream call can be made for it; so is a shop whose
   * seller deauthorised the app (SellerDeauthorizedError, issue 13).
   */
  scopeFor(shop: AuthorizedShop): Promise<ShopScope>;
  /** The shops this request has used so far (for its access-log line). */
  shopIds(): string[];
  /**
   * For a subscription's next event: forgets the shops, sessions and loaders read so far, so the
   * event's fields read fresh data within a deadline of their own. Called between events only,
   * when nothing of the previous one is still resolving.
   */
  beginEvent(): void;
}

/**
 * The owners of one sellers snapshot by shop id, and their shops: worked out once for all the
 * requests that read the same snapshot (issue 14), not once per request.
 */
const ownerIndexes = new WeakMap<
  readonly ShopOwner[],
  { byShop: Map<string, ShopOwner>; shops: AuthorizedShop[] }
>();

function indexOf(owners: readonly ShopOwner[]) {
  let index = ownerIndexes.get(owners);
  if (!index) {
    index = {
      byShop: new Map(owners.map((owner) => [owner.shop.id, owner])),
      shops: owners.map((owner) => owner.shop),
    };
    ownerIndexes.set(owners, index);
  }
  return index;
}

export function createContext(deps: ContextDeps): GatewayContext {
  const { config, client, cache, sellers, now } = deps;
  const scopes = new Map<string, ShopScope>();
  const credentials = new Map<string, SellerCredentials>();
  let owners: Promise<ReturnType<typeof indexOf>> | undefined;
  // Every upstream call of this request (or subscription event) ends by then
  // (GRAPHQL_REQUEST_DEADLINE_MS).
  let deadlineAt = now() + config.requestDeadlineMs;

  // Issue 9: the shops and their sellers come from one store read per request, and every
  // upstream call of the request reuses its seller's credentials (no store read per call).
  const ownerIndex = () => {
    owners ??= sellers.shopOwners().then(indexOf);
    return owners;
  };
  const authorizedShops = async () => (await ownerIndex()).shops;
  const allowedShops = deps.caller?.shops ?? new Set<string>();
  /** One set of credentials per seller, shared by its shops: a renewal serves them all. */
  const credentialsOf = (seller: SellerRecord) => {
    let found = credentials.get(seller.openId);
    if (!found) {
      found = sellers.tokens.credentialsFor(seller);
      credentials.set(seller.openId, found);
    }
    return found;
  };

  return {
    ...deps,
    allowedShops,
    visibleShops: async () =>
      (await authorizedShops()).filter((shop) => isShopAllowed(allowedShops, shop.id)),
    selectShop: (shopId) =>
      selectShop({
        shops: authorizedShops,
        requestedShopId: shopId,
        defaultShopId: config.defaultShopId,
        allowed: allowedShops,
      }),
    async scopeFor(shop) {
      if (!isShopAllowed(allowedShops, shop.id)) {
        throw new ShopForbiddenError(shop.id, deps.caller?.name);
      }
      const owner = (await ownerIndex()).byShop.get(shop.id);
      if (!owner) {
        throw new ReauthorizationRequiredError(
          'unknown_shop',
          `No authorised seller owns shop ${shop.id}`,
          { shopId: shop.id },
        );
      }
      const deauthorizedAt = owner.seller.authorization?.deauthorizedAt;
      if (deauthorizedAt !== undefined) throw new SellerDeauthorizedError(shop.id, deauthorizedAt);
      let scope = scopes.get(shop.id);
      if (!scope) {
        const session: ShopSession = {
          id: shop.id,
          cipher: shop.cipher,
          seller: credentialsOf(owner.seller),
          deadlineAt,
          observer: deps.upstream,
        };
        const openedAt = now();
        let calendar: ShopCalendar | undefined;
        scope = {
          shop: session,
          loaders: createLoaders({ client, shop: session, cache, config }),
          // Only analytics ranges need the shop's day (an Intl time-zone format): on first use.
          get calendar() {
            calendar ??= shopCalendar(shop.region, openedAt);
            return calendar;
          },
        };
        scopes.set(shop.id, scope);
      }
      return scope;
    },
    shopIds: () => [...scopes.keys()],
    beginEvent() {
      scopes.clear();
      credentials.clear();
      owners = undefined;
      deadlineAt = now() + config.requestDeadlineMs;
    },
  };
}
