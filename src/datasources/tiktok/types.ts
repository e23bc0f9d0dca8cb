// Domain shapes the datasource returns and the schema consumes. They are the GraphQL shapes
// (issue 9): the names the schema exposes, money as Money, times as Dates, so most schema fields
// are one `t.expose…` call. The snake_case wire shapes live only in wire.ts.
import type { EnumValue, Known } from './enums.js';
import type { UpstreamObserver } from './upstream-observer.js';

/** The shop a call is for: TikTok's shop id plus the cipher that goes in `shop_cipher`. */
export interface ShopRef {
  id: string;
  cipher: string;
}

/** Amount as TikTok's exact decimal string, never a float. */
export interface Money {
  amount: string;
  currency: string;
}

/** One page of a TikTok list. `nextPageToken` is null on the last page (empty or absent upstream). */
export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
  totalCount: number;
}

export interface AuthorizedShop {
  id: string;
  name: string;
  region: string;
  /** TikTok's `seller_type` as sent and stored; the schema reads it as a SellerType. */
  sellerType: string;
  cipher: string;
  code: string;
}

export interface TokenGrant {
  accessToken: string;
  /** Absolute Unix seconds (TikTok's `access_token_expire_in`). */
  accessTokenExpiresAt: number;
  refreshToken: string;
  /** Absolute Unix seconds (TikTok's `refresh_token_expire_in`). */
  refreshTokenExpiresAt: number;
  openId: string;
  sellerName: string;
  sellerBaseRegion: string;
  userType: number;
  grantedScopes: string[];
}

// --- Products ---------------------------------------------------------------------------------

/** §6.1; UNKNOWN for a value TikTok added since (enums.ts). */
export type ProductStatus = EnumValue<'product.status'>;

export interface SkuWarehouseStock {
  warehouseId: string;
  quantity: number;
}

export interface SalesAttribute {
  id: string;
  name: string;
  valueId: string;
  valueName: string;
}

export interface Sku {
  id: string;
  sellerSku: string;
  price: Money;
  /** null where TikTok reports no price before tax. */
  taxExclusivePrice: Money | null;
  /**
   * Available units per warehouse as the product read reports them (what stock writes check
   * against, §6.4). The schema's `Sku.inventory` reads Inventory Search instead.
   */
  inventory: SkuWarehouseStock[];
  salesAttributes: SalesAttribute[];
  externalSkuId: string | null;
}

export interface ProductImage {
  uri: string;
  urls: string[];
  width: number | null;
  height: number | null;
}

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
  isLeaf: boolean;
}

export interface Brand {
  id: string;
  name: string;
}

/** A product as Search Products returns it (§6.1): no description, images or categories. */
export interface ProductSummary {
  id: string;
  title: string;
  /** UNKNOWN for a value the gateway does not know, and when TikTok sent none (§6.2). */
  status: ProductStatus;
  /** TikTok's status as sent; null when it sent none (§6.2). */
  statusRaw: string | null;
  skus: Sku[];
  salesRegions: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A product as Get Product returns it (§6.2). */
export interface Product extends ProductSummary {
  description: string;
  categoryPath: Category[];
  brand: Brand | null;
  images: ProductImage[];
}

/** Search Products conditions (§6.1), named as the schema's ProductFilter. null means no condition. */
export interface ProductSearchFilter {
  status?: Known<ProductStatus> | 'ALL' | null;
  sellerSkus?: string[] | null;
  skuIds?: string[] | null;
  /** Inclusive. */
  createdFrom?: Date | null;
  /** Inclusive. */
  createdTo?: Date | null;
  /** Inclusive. */
  updatedFrom?: Date | null;
  /** Inclusive. */
  updatedTo?: Date | null;
}

// --- Inventory ---------------------------------------------------------------------------------

export interface WarehouseInventory {
  warehouseId: string;
  availableQuantity: number;
  committedQuantity: number;
}

export interface SkuInventory {
  id: string;
  sellerSku: string;
  totalAvailableQuantity: number;
  totalCommittedQuantity: number;
  warehouses: WarehouseInventory[];
}

export interface ProductInventory {
  productId: string;
  skus: SkuInventory[];
}

/** Either product ids (≤100) or SKU ids (≤600); TikTok prefers sku ids when both are sent. */
export type InventorySearchInput = { productIds: string[] } | { skuIds: string[] };

export interface InventoryUpdateSku {
  skuId: string;
  /** Absolute quantities; warehouseId may be omitted only when the SKU has one warehouse. */
  inventory: Array<{ warehouseId?: string; quantity: number }>;
}

/** Per-SKU failure reported inside a `code: 0` answer (§6.4 `data.errors[]`). */
export interface InventoryUpdateError {
  code: number;
  message: string;
  skuId: string | null;
  warehouseErrors: Array<{ warehouseId: string; code: number; message: string }>;
}

export interface InventoryUpdateResult {
  errors: InventoryUpdateError[];
}

export interface WarehouseAddress {
  region: string | null;
  city: string | null;
  postalCode: string | null;
  fullAddress: string | null;
  regionCode: string | null;
}

export interface Warehouse {
  id: string;
  name: string;
  effectStatus: string;
  type: string;
  subType: string | null;
  isDefault: boolean;
  address: WarehouseAddress;
}

// --- Orders ------------------------------------------------------------------------------------

/** §6.6; UNKNOWN for a value TikTok added since (enums.ts). */
export type OrderStatus = EnumValue<'order.status'>;

export type ShippingType = EnumValue<'order.shipping_type'>;

/** Discounts by who funds them; the schema adds their exact sum. */
export interface OrderDiscounts {
  seller: Money;
  platform: Money;
}

/** Order `payment` (§6.6), every amount in the order currency. */
export interface OrderPayment {
  subTotal: Money;
  shipping: Money;
  discounts: OrderDiscounts;
  tax: Money;
  total: Money;
}

export interface LineItem {
  id: string;
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  sellerSku: string;
  originalPrice: Money;
  salePrice: Money;
  displayStatus: string;
  packageId: string | null;
}

export interface Recipient {
  name: string;
  fullAddress: string;
  regionCode: string;
  phoneNumber: string | null;
}

export interface Order {
  id: string;
  status: OrderStatus;
  /** TikTok's status as sent. */
  statusRaw: string;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
  buyerUserId: string;
  shippingType: ShippingType;
  /** TikTok's shipping type as sent. */
  shippingTypeRaw: string;
  warehouseId: string | null;
  payment: OrderPayment;
  /** null while TikTok withholds it (UNPAID / ON_HOLD). */
  recipient: Recipient | null;
  lineItems: LineItem[];
  packages: Array<{ id: string }>;
}

/** Order Search conditions (§6.6), named as the schema's OrderFilter. null means no condition. */
export interface OrderSearchFilter {
  status?: Known<OrderStatus> | null;
  /** Inclusive. */
  createdFrom?: Date | null;
  /** Exclusive. */
  createdBefore?: Date | null;
  /** Inclusive. */
  updatedFrom?: Date | null;
  /** Exclusive. */
  updatedBefore?: Date | null;
  shippingType?: Known<ShippingType> | null;
  buyerUserId?: string | null;
  warehouseIds?: string[] | null;
}

export interface OrderSearchInput {
  pageSize: number;
  pageToken?: string;
  sortField?: 'create_time' | 'update_time';
  sortOrder?: 'ASC' | 'DESC';
  filter?: OrderSearchFilter;
}

// --- Analytics and content (§6.8) --------------------------------------------------------------

/** Shop-timezone dates, `YYYY-MM-DD`; start inclusive, end exclusive (TikTok's `end_date_lt`). */
export interface AnalyticsRange {
  startDateGe: string;
  endDateLt: string;
}

export type AnalyticsCurrency = 'LOCAL' | 'USD';

export interface AnalyticsOverviewInput {
  range: AnalyticsRange;
  granularity?: 'ALL' | '1D';
  currency?: AnalyticsCurrency;
  withComparison?: boolean;
}

export interface AnalyticsListInput {
  range: AnalyticsRange;
  pageSize: number;
  pageToken?: string;
  sortField?: string;
  sortOrder?: 'ASC' | 'DESC';
  currency?: AnalyticsCurrency;
}

/**
 * The days an analytics interval covers, `YYYY-MM-DD` in the shop's timezone, both inclusive:
 * TikTok reports the exclusive end and wire.ts converts it, so it reads like the range asked.
 */
export interface IntervalDates {
  startDate: string;
  endDate: string;
}

export interface ShopPerformanceInterval extends IntervalDates {
  gmv: Money;
  orders: number;
  skuOrders: number;
  unitsSold: number;
  buyers: number;
  averageOrderValue: Money;
  productImpressions: number;
  productPageViews: number;
  refunds: Money;
}

export interface ShopPerformance {
  latestAvailableDate: string | null;
  intervals: ShopPerformanceInterval[];
  comparisonIntervals: ShopPerformanceInterval[];
}

/** One row of the product performance list: the schema's ProductPerformance. */
export interface ProductPerformanceRow {
  productId: string;
  gmv: Money;
  orders: number;
  unitsSold: number;
  /** Decimal string, "0.0528" = 5.28 %. */
  clickThroughRate: string;
}

export interface ProductPerformanceInterval extends IntervalDates {
  gmv: Money;
  orders: number;
  unitsSold: number;
  impressions: number;
  pageViews: number;
  clickThroughRate: string;
}

/** One product over a range: the schema's ProductPerformanceReport. */
export interface ProductPerformance {
  latestAvailableDate: string | null;
  intervals: ProductPerformanceInterval[];
}

/** One row of the SKU performance list: the schema's SkuPerformance. */
export interface SkuPerformanceRow {
  skuId: string;
  productId: string;
  gmv: Money;
  skuOrders: number;
  unitsSold: number;
}

export interface VideoTotals {
  gmv: Money;
  skuOrders: number;
  unitsSold: number;
  views: number;
  clickThroughRate: string;
}

/** One row of the video list: the schema's Video, with its totals over the range. */
export interface VideoPerformanceRow {
  id: string;
  title: string;
  username: string;
  /** "YYYY-MM-DD HH:MM:SS" as TikTok sends it. */
  postTime: string;
  totals: VideoTotals;
  /** The products linked in the video (how a product finds its videos). */
  products: Array<{ id: string; name: string }>;
}

export interface VideoListInput extends AnalyticsListInput {
  accountType?: 'ALL' | 'LINKED_ACCOUNTS' | 'AFFILIATES';
}

export interface VideoPerformanceInterval extends IntervalDates {
  gmv: Money;
  clickThroughRate: string;
  dailyAverageBuyers: number;
  views: number;
}

export interface VideoEngagement {
  likes: number;
  shares: number;
  comments: number;
  views: number;
}

/** One video over a range: the schema's VideoPerformanceReport, plus the engagement totals. */
export interface VideoPerformance {
  latestAvailableDate: string | null;
  intervals: VideoPerformanceInterval[];
  engagement: VideoEngagement;
}

/** One row of a video's product list: the schema's VideoProduct. */
export interface VideoProductRow {
  productId: string;
  name: string;
  gmv: Money;
  unitsSold: number;
  dailyAverageBuyers: number;
}

export interface LiveSales {
  gmv: Money;
  skuOrders: number;
  unitsSold: number;
  customers: number;
}

export interface LiveInteraction {
  viewers: number;
  views: number;
  likes: number;
  comments: number;
  shares: number;
}

export interface LiveSession {
  id: string;
  title: string;
  username: string;
  startedAt: Date;
  endedAt: Date;
  sales: LiveSales;
  interaction: LiveInteraction;
}

// --- Webhook subscriptions (§6.10) ------------------------------------------------------------

/** A §8 topic by its Event API name; UNKNOWN for a name TikTok added since (enums.ts). */
export type WebhookEventType = EnumValue<'webhook.event_type'>;

/** One of a shop's subscriptions: TikTok POSTs the topic's events to `address` (§8). */
export interface WebhookSubscription {
  eventType: WebhookEventType;
  /** TikTok's name exactly as sent: what to read when `eventType` is UNKNOWN. */
  eventTypeRaw: string;
  address: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Subscribes a topic (or moves it to another address): an absolute set, one per topic. */
export interface WebhookSubscriptionInput {
  eventType: Known<WebhookEventType>;
  /** An https URL of at most 255 characters (§6.10). */
  address: string;
}

// --- The client --------------------------------------------------------------------------------

/** One seller's credentials as one request resolved them (issue 9: once per request). */
export interface SellerCredentials {
  /** The seller's access token, renewed first when it is about to expire. */
  accessToken(): Promise<string>;
  /** After a 105002 answer for `refused`: a fresh token, or undefined when none can be had. */
  renewAccessToken(refused: string): Promise<string | undefined>;
}

/** The target of a shop-scoped call: the shop and its seller, resolved once per request. */
export interface ShopSession extends ShopRef {
  seller: SellerCredentials;
  /**
   * When the GraphQL request this session belongs to gives up, ms since the epoch
   * (GRAPHQL_REQUEST_DEADLINE_MS): its calls' rate-limit waits, retries and attempts end by then.
   */
  deadlineAt?: number;
  /**
   * The lowest priority (the reconciler, issue 13): each call takes a rate-limit slot only when
   * the shop's bucket is full and nobody waits for it (idle-slot.ts), is never joined to a
   * caller's identical call in flight (a caller would then wait on it), and stops waiting for a
   * slot when `signal` aborts.
   */
  background?: { signal: AbortSignal };
  /** The request's observer of its upstream attempts (request id, log, span); default the client's. */
  observer?: UpstreamObserver;
}

export interface ProductSearchInput {
  pageSize: number;
  pageToken?: string;
  filter?: ProductSearchFilter;
}

/** A call to any endpoint not covered by a named method (the escape hatch of issue #2 item 6). */
export interface RawCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. `/event/202309/webhooks`. */
  path: string;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Name used in errors and logs; defaults to `METHOD path`. */
  operation?: string;
  /** true when repeating the call is harmless (reads, absolute sets). Default: true for GET. */
  idempotent?: boolean;
}

/**
 * One method per API-host endpoint (endpoints.ts); every method signs, rate-limits, retries and
 * maps errors. Shop-scoped methods take the request's ShopSession, seller-level ones its seller.
 */
export interface TikTokShopClient {
  getAuthorizedShops(seller: SellerCredentials): Promise<AuthorizedShop[]>;

  searchProducts(shop: ShopSession, input: ProductSearchInput): Promise<Page<ProductSummary>>;
  /** Throws TikTokShopNotFoundError for an unknown or foreign product. */
  getProduct(shop: ShopSession, productId: string): Promise<Product>;

  /** ≤100 product ids or ≤600 SKU ids per call (§6.3); longer lists are split. */
  searchInventory(shop: ShopSession, input: InventorySearchInput): Promise<ProductInventory[]>;
  /**
   * Absolute quantities (§6.4). Sent once (repeated only when it certainly was not sent) and never
   * shared: the stock writes read back rather than repeat. Per-SKU problems come back in `errors`.
   */
  updateInventory(
    shop: ShopSession,
    productId: string,
    skus: InventoryUpdateSku[],
  ): Promise<InventoryUpdateResult>;
  getWarehouses(shop: ShopSession): Promise<Warehouse[]>;
  /**
   * The same reads, never joined to an identical call already in flight, so their answer is newer
   * than the call: what a stock write reads inside its product's write section, and the
   * subscriptions read back after they were changed.
   */
  unshared: Pick<TikTokShopClient, 'getProduct' | 'searchInventory' | 'listWebhooks'>;

  searchOrders(shop: ShopSession, input: OrderSearchInput): Promise<Page<Order>>;
  /** ≤50 ids per call (§6.7); in the order first asked for, duplicates once, missing ones left out. */
  getOrders(shop: ShopSession, orderIds: string[]): Promise<Order[]>;

  getShopPerformance(shop: ShopSession, input: AnalyticsOverviewInput): Promise<ShopPerformance>;
  listProductPerformance(
    shop: ShopSession,
    input: AnalyticsListInput,
  ): Promise<Page<ProductPerformanceRow>>;
  getProductPerformance(
    shop: ShopSession,
    productId: string,
    input: AnalyticsOverviewInput,
  ): Promise<ProductPerformance>;
  listSkuPerformance(
    shop: ShopSession,
    input: AnalyticsListInput,
  ): Promise<Page<SkuPerformanceRow>>;

  listVideoPerformance(
    shop: ShopSession,
    input: VideoListInput,
  ): Promise<Page<VideoPerformanceRow>>;
  getVideoPerformance(
    shop: ShopSession,
    videoId: string,
    input: AnalyticsOverviewInput,
  ): Promise<VideoPerformance>;
  listVideoProducts(
    shop: ShopSession,
    videoId: string,
    input: AnalyticsListInput,
  ): Promise<Page<VideoProductRow>>;
  listLiveSessions(shop: ShopSession, input: AnalyticsListInput): Promise<Page<LiveSession>>;

  /** The shop's webhook subscriptions, one per topic (§6.10). */
  listWebhooks(shop: ShopSession): Promise<WebhookSubscription[]>;
  /** Subscribes `eventType` to `address`, replacing its address if subscribed (§6.10). */
  putWebhook(shop: ShopSession, subscription: WebhookSubscriptionInput): Promise<void>;
  /** Removes the subscription of `eventType` (§6.10). */
  deleteWebhook(shop: ShopSession, eventType: Known<WebhookEventType>): Promise<void>;

  /**
   * Any other endpoint: signs and sends, returns the envelope's `data` as received. A ShopSession
   * makes it shop-scoped (`shop_cipher` sent); SellerCredentials alone make it seller-level
   * (`/authorization/*`, `/seller/*` and the like).
   */
  call<T = unknown>(target: ShopSession | SellerCredentials, request: RawCall): Promise<T>;

  /** Closes the keep-alive pool. */
  close(): Promise<void>;
  /** Aborts the calls in flight and closes the pool (a shutdown whose grace ran out). */
  destroy(): Promise<void>;
}

/** The auth host (§2.2–2.3): token get and refresh. No signature, no rate limit, no token. */
export interface AuthHostClient {
  /** Exchanges an authorization code (§2.2). */
  getAccessToken(authCode: string): Promise<TokenGrant>;
  /** Renews the tokens with a refresh token (§2.3). */
  refreshAccessToken(refreshToken: string): Promise<TokenGrant>;
  /** Closes the keep-alive pool. */
  close(): Promise<void>;
}
