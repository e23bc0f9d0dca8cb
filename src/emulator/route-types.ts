// The contract between the emulator's protocol core (server.ts: checks, faults, log) and the
// domain routes (routes/*.ts over the seeded store in data.ts).
import type { AdminRoute } from './admin-routes.js';
import type { DomainHandle, FaultConfig, RaisedEvent } from './types.js';
import type { WebhookEvent } from './webhooks/webhook-deliverer.js';

/** A shop in the emulator's store. */
export interface StoreShop {
  id: string;
  name: string;
  region: string;
  sellerType: 'LOCAL' | 'CROSS_BORDER';
  cipher: string;
  code: string;
  currency: string;
  /** open_id of the seller that owns it. */
  sellerOpenId: string;
}

export interface StoreSeller {
  openId: string;
  name: string;
  baseRegion: string;
  shopIds: string[];
}

/** What the core needs from the store; routes see the full store type from data.ts. */
export interface StoreDirectory {
  sellers: StoreSeller[];
  shops: StoreShop[];
}

export interface RouteRequest {
  /** Path parameters, e.g. `{ product_id: '1729…' }` for `/product/202309/products/:product_id`. */
  params: Record<string, string>;
  /** Decoded query parameters as received (app_key, sign, timestamp, shop_cipher included). */
  query: Record<string, string>;
  /** The parsed JSON body, or undefined when none was sent. */
  body: unknown;
  /** The shop resolved from shop_cipher (shop-scoped routes only; the core has checked it). */
  shop: StoreShop | null;
  /** The seller the access token belongs to. */
  seller: StoreSeller;
  /** Emulator clock, ms since the epoch. */
  now: number;
  /** The active faults, for the knobs that change an answer's shape (`productsWithoutStatus`). */
  faults: FaultConfig;
}

/** A route answers with data (code 0) or a TikTok error; the core wraps it in the envelope. */
export type RouteResult =
  | { data: unknown }
  | { error: { code: number; message: string; httpStatus: number } };

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `:name` segments, e.g. `/order/202309/orders`. */
  pattern: string;
  /** Name in the request log and counters, e.g. `order.search`. */
  endpoint: string;
  /** true: shop_cipher required; false: it must be absent (§1). */
  isShopScoped: boolean;
  /** Scope the token must have been granted (see scopes.ts). */
  scope: string;
  /**
   * POST/PUT only: the body may be left out. True for the searches, whose filters are all
   * optional: with no filter a client sends no body (§4, §6.1, §6.6). Default false.
   */
  isBodyOptional?: boolean;
  handle(request: RouteRequest): RouteResult;
}

/** Posts an event to each address (§8), after the current turn; answers at once. */
export type DeliverWebhook = (event: WebhookEvent, addresses: readonly string[]) => RaisedEvent;

/** What the core gives the domain. */
export interface CoreServices {
  deliverWebhook: DeliverWebhook;
}

/** What the domain adds to the core: its API routes, its admin routes and handle methods. */
export interface DomainParts {
  routes: RouteDefinition[];
  adminRoutes: AdminRoute[];
  handle: DomainHandle;
  /** Stops the domain's timers (the lifecycle clock's). */
  close(): void;
}

export type DomainFactory = (core: CoreServices) => DomainParts;
