// Domain shapes the datasource returns and the schema consumes: camelCase, ids and money as strings.
// The snake_case wire shapes live only in wire.ts.

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

export type ProductStatus =
  | 'DRAFT'
  | 'PENDING'
  | 'FAILED'
  | 'ACTIVATE'
  | 'SELLER_DEACTIVATED'
  | 'PLATFORM_DEACTIVATED'
  | 'FREEZE'
  | 'DELETED';

export interface SkuPrice {
  currency: string;
  salePrice: string;
  taxExclusivePrice: string | null;
}

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
  price: SkuPrice;
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

export interface CategoryNode {
  id: string;
  name: string;
  parentId: string | null;
  isLeaf: boolean;
}

/** A product as Search Products returns it (§6.1): no description, images or categories. */
export interface ProductSummary {
  id: string;
  title: string;
  status: ProductStatus | string;
  skus: Sku[];
  salesRegions: string[];
  createTime: number;
  updateTime: number;
}

/** A product as Get Product returns it (§6.2). */
export interface Product extends ProductSummary {
  description: string;
  categoryChains: CategoryNode[];
  brand: { id: string; name: string } | null;
  mainImages: ProductImage[];
}

export interface ProductSearchFilter {
  status?: ProductStatus | 'ALL';
  sellerSkus?: string[];
  skuIds?: string[];
  createTimeGe?: number;
  createTimeLe?: number;
  updateTimeGe?: number;
  updateTimeLe?: number;
}

// --- Inventory ---------------------------------------------------------------------------------

export interface WarehouseStock {
  warehouseId: string;
  availableQuantity: number;
  committedQuantity: number;
}

export interface SkuInventory {
  id: string;
  sellerSku: string;
  totalAvailableQuantity: number;
  totalCommittedQuantity: number;
  warehouseInventory: WarehouseStock[];
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

export interface Warehouse {
  id: string;
  name: string;
  effectStatus: string;
  type: string;
  subType: string | null;
  isDefault: boolean;
  address: {
    region: string | null;
    city: string | null;
    postalCode: string | null;
    fullAddress: string | null;
    regionCode: string | null;
  };
}

// --- Orders ------------------------------------------------------------------------------------

export type OrderStatus =
  | 'UNPAID'
  | 'ON_HOLD'
  | 'AWAITING_SHIPMENT'
  | 'PARTIALLY_SHIPPING'
  | 'AWAITING_COLLECTION'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'COMPLETED'
  | 'CANCELLED';

/** Order `payment` (§6.6): plain decimal strings plus one currency. */
export interface OrderPayment {
  currency: string;
  subTotal: string;
  shippingFee: string;
  sellerDiscount: string;
  platformDiscount: string;
  tax: string;
  totalAmount: string;
}

export interface OrderLineItem {
  id: string;
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  sellerSku: string;
  originalPrice: string;
  salePrice: string;
  currency: string;
  displayStatus: string;
  packageId: string | null;
}

export interface RecipientAddress {
  name: string;
  fullAddress: string;
  regionCode: string;
  phoneNumber: string | null;
}

export interface Order {
  id: string;
  status: OrderStatus | string;
  createTime: number;
  updateTime: number;
  paidTime: number | null;
  buyerUserId: string;
  shippingType: string;
  warehouseId: string | null;
  payment: OrderPayment;
  /** null while TikTok withholds it (UNPAID / ON_HOLD). */
  recipientAddress: RecipientAddress | null;
  lineItems: OrderLineItem[];
  packages: Array<{ id: string }>;
}

export interface OrderSearchFilter {
  orderStatus?: OrderStatus;
  createTimeGe?: number;
  createTimeLt?: number;
  updateTimeGe?: number;
  updateTimeLt?: number;
  shippingType?: 'TIKTOK' | 'SELLER';
  buyerUserId?: string;
  warehouseIds?: string[];
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

export interface ShopPerformanceInterval {
  startDate: string;
  endDate: string;
  gmv: Money;
  orders: number;
  skuOrders: number;
  unitsSold: number;
  buyers: number;
  avgOrderValue: Money;
  productImpressions: number;
  productPageViews: number;
  refunds: Money;
}

export interface ShopPerformance {
  latestAvailableDate: string | null;
  intervals: ShopPerformanceInterval[];
  comparisonIntervals: ShopPerformanceInterval[];
}

export interface ProductPerformanceRow {
  id: string;
  gmv: Money;
  orders: number;
  unitsSold: number;
  /** Decimal string, "0.0528" = 5.28 %. */
  clickThroughRate: string;
}

export interface ProductPerformanceInterval {
  startDate: string;
  endDate: string;
  gmv: Money;
  orders: number;
  unitsSold: number;
  impressions: number;
  pageViews: number;
  clickThroughRate: string;
}

export interface ProductPerformance {
  latestAvailableDate: string | null;
  intervals: ProductPerformanceInterval[];
}

export interface SkuPerformanceRow {
  id: string;
  productId: string;
  gmv: Money;
  skuOrders: number;
  unitsSold: number;
}

export interface VideoPerformanceRow {
  id: string;
  title: string;
  username: string;
  gmv: Money;
  skuOrders: number;
  unitsSold: number;
  views: number;
  clickThroughRate: string;
  products: Array<{ id: string; name: string }>;
  /** "YYYY-MM-DD HH:MM:SS" as TikTok sends it. */
  videoPostTime: string;
}

export interface VideoListInput extends AnalyticsListInput {
  accountType?: 'ALL' | 'LINKED_ACCOUNTS' | 'AFFILIATES';
}

export interface VideoPerformanceInterval {
  startDate: string;
  endDate: string;
  gmv: Money;
  clickThroughRate: string;
  dailyAvgBuyers: number;
  views: number;
}

export interface VideoPerformance {
  latestAvailableDate: string | null;
  intervals: VideoPerformanceInterval[];
  engagement: {
    totalLikes: number;
    totalShares: number;
    totalComments: number;
    totalViews: number;
  };
}

export interface VideoProductRow {
  id: string;
  name: string;
  gmv: Money;
  unitsSold: number;
  dailyAvgBuyers: number;
}

export interface LiveSession {
  id: string;
  title: string;
  username: string;
  /** Unix seconds. */
  startTime: number;
  /** Unix seconds. */
  endTime: number;
  sales: {
    gmv: Money;
    skuOrders: number;
    unitsSold: number;
    customers: number;
  };
  interaction: {
    viewers: number;
    views: number;
    likes: number;
    comments: number;
    shares: number;
  };
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
  /** Absolute quantities (§6.4); safe to retry. Per-SKU problems come back in `errors`. */
  updateInventory(
    shop: ShopSession,
    productId: string,
    skus: InventoryUpdateSku[],
  ): Promise<InventoryUpdateResult>;
  getWarehouses(shop: ShopSession): Promise<Warehouse[]>;

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

  /**
   * Any other endpoint: signs and sends, returns the envelope's `data` as received. A ShopSession
   * makes it shop-scoped (`shop_cipher` sent); SellerCredentials alone make it seller-level
   * (`/authorization/*`, `/seller/*` and the like).
   */
  call<T = unknown>(target: ShopSession | SellerCredentials, request: RawCall): Promise<T>;

  /** Closes the keep-alive pool. */
  close(): Promise<void>;
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
