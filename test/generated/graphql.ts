/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Currency analytics amounts are reported in. */
export type AnalyticsCurrency =
  /** The shop's own currency. */
  | 'LOCAL'
  /** US dollars. */
  | 'USD';

/** How analytics intervals are cut. */
export type AnalyticsGranularity =
  /** One interval for the whole range. */
  | 'ALL'
  /** One interval per day. */
  | 'DAY';

/** The absolute stock to set for one SKU (of any product) in one warehouse. */
export type BulkInventoryQuantityInput = {
  /** Product the SKU belongs to. */
  productId: string | number;
  /** Available units after the update, a whole number from 0 to 99999. */
  quantity: number;
  /** TikTok's SKU id. */
  skuId: string | number;
  /** Warehouse to set; may be omitted only when the SKU is stocked in one warehouse. */
  warehouseId?: string | number | null | undefined;
};

/** Stock levels to set across products of one shop. */
export type BulkUpdateInventoryInput = {
  /** SKU quantities (1 to 500 entries). */
  items: Array<BulkInventoryQuantityInput>;
  /** Shop to read (see `shops`). Optional: defaults to TIKTOK_SHOP_SHOP_ID when the caller may use it, else to the caller's only shop; with several shops and no default, omitting it is an error. A shop outside the caller's is FORBIDDEN. */
  shopId?: string | number | null | undefined;
};

/** A range of calendar days in the shop's timezone. Both `start` and `end` are inclusive: { start: "2024-05-01", end: "2024-05-31" } is all of May. Checked before TikTok is called (§6.8): `end` must not be before `start`, and `start` not after the latest available date (today in the shop's timezone, which the gateway assumes from the shop's market, docs/graphql.md); an `end` after that date is moved back to it, and the answer says what was covered (a report's `latestAvailableDate` and interval dates, a list's `range`). Once so clamped, at most 366 days. A range breaking a rule is BAD_USER_INPUT naming it (`extensions.rule`) and the dates. (The gateway sends TikTok `start_date_ge = start` and `end_date_lt = end + 1 day`.) */
export type DateRangeInput = {
  /** Last day, inclusive. Must not be before `start`; a day after the latest available date is read as that date. */
  end: string;
  /** First day, inclusive. */
  start: string;
};

/** Values of `errors[].extensions.code` (and of `InventoryUpdateFailed.code`). Upstream failures also carry `extensions.requestId` (TikTok's request id) and `extensions.tiktokCode`. */
export type ErrorCode =
  /** The HTTP request is not a GraphQL request (HTTP 4xx): an empty or invalid JSON body, no `query`, an unexpected parameter, a method other than GET and POST (405), a mutation over GET (405), an unsupported Content-Type (415). */
  | 'BAD_REQUEST'
  /** An argument or variable is invalid, or the request exceeds a limit (`extensions.limit`: maxDepth, maxTokens, maxAliases, maxDirectives, maxCost; maxBodyBytes with HTTP 413; maxUpstreamCalls, with `extensions.estimate`, `maxUpstreamCalls` and `estimateByEndpoint`); fix the request. Checked before any upstream call. */
  | 'BAD_USER_INPUT'
  /** The caller lacks the gateway scope named in `extensions.scope`, or may not use the shop named in `extensions.shopId` (nothing was sent upstream), or the TikTok app or token lacks the permission for this data. With HTTP 403, a CORS preflight from an origin not in CORS_ORIGINS. */
  | 'FORBIDDEN'
  /** The query is not valid GraphQL syntax; nothing ran. */
  | 'GRAPHQL_PARSE_FAILED'
  /** The query does not validate against the schema; nothing ran. `extensions.reason` INTROSPECTION_DISABLED: it asks for `__schema` or `__type` and INTROSPECTION_ENABLED is off. */
  | 'GRAPHQL_VALIDATION_FAILED'
  /** An unexpected failure; details are logged server-side, never returned. Also a path TikTok does not know (36009009): a gateway bug, the message names the path. */
  | 'INTERNAL_SERVER_ERROR'
  /** TikTok does not know the object, or it belongs to another seller; with HTTP 404, a path other than the GraphQL path. */
  | 'NOT_FOUND'
  /** The seller refused the authorisation on TikTok. */
  | 'OAUTH_DENIED'
  /** The OAuth state is forged, expired, replayed or malformed (`extensions.reason`); nothing was exchanged or stored. Start again from a new authorizationUrl. */
  | 'OAUTH_STATE_INVALID'
  /** The operation to run is unclear: `operationName` names none in the document, or the document has several and none is named. */
  | 'OPERATION_RESOLUTION_FAILURE'
  /** The persisted operation id (`documentId`, or `extensions.persistedQuery.sha256Hash`) is not in the manifest (HTTP 400); nothing ran. With PERSISTED_OPERATIONS=allow, send the query instead. */
  | 'PERSISTED_QUERY_NOT_FOUND'
  /** PERSISTED_OPERATIONS=require and the request sent a document as text (HTTP 400); nothing ran. Send the id of an operation in the manifest. */
  | 'PERSISTED_QUERY_REQUIRED'
  /** TikTok or the gateway is throttling; retry after `extensions.retryAfterMs`. `extensions.reason` SANDBOX_HOURLY_QUOTA: the test shop used its hourly quota (36009037); retrying within the hour only spends more of it. REQUEST_DEADLINE: the shop's rate budget had no slot before the request's deadline (GRAPHQL_REQUEST_DEADLINE_MS); nothing was sent. */
  | 'RATE_LIMITED'
  /** No valid gateway credential (HTTP 401), or TikTok rejected the seller token and it cannot be renewed: `extensions.reason` REAUTHORIZATION_REQUIRED means run `npm run oauth`; SELLER_DEAUTHORIZED: the seller deauthorised the app, nothing was sent, it must authorise again. */
  | 'UNAUTHENTICATED'
  /** TikTok failed or could not be reached; other fields may still have data. `reason` CIRCUIT_OPEN: recent calls for this shop failed, so nothing was sent; retry after `extensions.retryAfterMs`. REQUEST_DEADLINE: the request's deadline (GRAPHQL_REQUEST_DEADLINE_MS) passed before the call could be sent. */
  | 'UPSTREAM_ERROR';

/** The absolute stock to set for one SKU in one warehouse. */
export type InventoryQuantityInput = {
  /** Available units after the update, a whole number from 0 to 99999. Not a delta. */
  quantity: number;
  /** TikTok's SKU id. */
  skuId: string | number;
  /** Warehouse to set. May be omitted only when the SKU is stocked in one warehouse. Warehouses of the SKU not listed keep their current available quantity. */
  warehouseId?: string | number | null | undefined;
};

/** Narrows an order search. All conditions must hold. */
export type OrderFilter = {
  /** Only orders of this buyer. */
  buyerUserId?: string | number | null | undefined;
  /** Placed before (exclusive). */
  createdBefore?: string | null | undefined;
  /** Placed at or after (inclusive). */
  createdFrom?: string | null | undefined;
  /** Only this shipping type (not UNKNOWN). */
  shippingType?: ShippingType | null | undefined;
  /** Only this status (not UNKNOWN). */
  status?: OrderStatus | null | undefined;
  /** Updated before (exclusive). */
  updatedBefore?: string | null | undefined;
  /** Updated at or after (inclusive). */
  updatedFrom?: string | null | undefined;
  /** Only orders shipping from these warehouses. */
  warehouseIds?: Array<string | number> | null | undefined;
};

/** Order of an order search (default: newest placed first). */
export type OrderSort = {
  /** Direction. */
  direction?: SortDirection | null | undefined;
  /** Key. */
  field?: OrderSortField | null | undefined;
};

/** What orders are sorted by. */
export type OrderSortField =
  /** Time placed. */
  | 'CREATED_AT'
  /** Time of the last change. */
  | 'UPDATED_AT';

/** Where an order is in its lifecycle (§6.6). New values TikTok adds read UNKNOWN. */
export type OrderStatus =
  /** Waiting for the carrier to collect. */
  | 'AWAITING_COLLECTION'
  /** Ready for the seller to ship. */
  | 'AWAITING_SHIPMENT'
  /** Cancelled. */
  | 'CANCELLED'
  /** Closed after delivery. */
  | 'COMPLETED'
  /** Delivered to the buyer. */
  | 'DELIVERED'
  /** With the carrier. */
  | 'IN_TRANSIT'
  /** Paid; held briefly so the buyer can cancel. */
  | 'ON_HOLD'
  /** Some items shipped. */
  | 'PARTIALLY_SHIPPING'
  /** A value this gateway does not know yet; see `statusRaw`. */
  | 'UNKNOWN'
  /** Placed, payment not completed. */
  | 'UNPAID';

/** Narrows a product search. All conditions must hold. */
export type ProductFilter = {
  /** Created at or after (inclusive). */
  createdFrom?: string | null | undefined;
  /** Created at or before (inclusive). */
  createdTo?: string | null | undefined;
  /** Only products with one of these seller SKUs (≤10). */
  sellerSkus?: Array<string> | null | undefined;
  /** Only products with one of these SKU ids (≤10). */
  skuIds?: Array<string | number> | null | undefined;
  /** Only this status (default: all; not UNKNOWN). */
  status?: ProductStatus | null | undefined;
  /** Updated at or after (inclusive). */
  updatedFrom?: string | null | undefined;
  /** Updated at or before (inclusive). */
  updatedTo?: string | null | undefined;
};

/** Order of product analytics (default: highest GMV first). */
export type ProductPerformanceSort = {
  /** Direction. */
  direction?: SortDirection | null | undefined;
  /** Key. */
  field?: ProductPerformanceSortField | null | undefined;
};

/** What product analytics are sorted by. */
export type ProductPerformanceSortField =
  /** Click-through rate. */
  | 'CLICK_THROUGH_RATE'
  /** Gross merchandise value. */
  | 'GMV'
  /** Orders. */
  | 'ORDERS'
  /** Units sold. */
  | 'UNITS_SOLD';

/** Lifecycle status of a product (§6.1). New values TikTok adds read UNKNOWN. */
export type ProductStatus =
  /** Live and sellable. */
  | 'ACTIVATE'
  /** Deleted. */
  | 'DELETED'
  /** Saved as a draft, not submitted. */
  | 'DRAFT'
  /** Rejected by review. */
  | 'FAILED'
  /** Frozen by TikTok. */
  | 'FREEZE'
  /** Submitted and under review. */
  | 'PENDING'
  /** Taken offline by TikTok. */
  | 'PLATFORM_DEACTIVATED'
  /** Taken offline by the seller. */
  | 'SELLER_DEACTIVATED'
  /** A value this gateway does not know yet; see `statusRaw`. */
  | 'UNKNOWN';

/** How the seller operates the shop (§3). New values TikTok adds read UNKNOWN. */
export type SellerType =
  /** A cross-border seller: one shop per market. */
  | 'CROSS_BORDER'
  /** A local seller: one shop in its own market. */
  | 'LOCAL'
  /** A value this gateway does not know yet; see `sellerTypeRaw`. */
  | 'UNKNOWN';

/** Who arranges shipping. New values TikTok adds read UNKNOWN. */
export type ShippingType =
  /** Shipped by the seller. */
  | 'SELLER'
  /** Shipped with TikTok Shipping. */
  | 'TIKTOK'
  /** A value this gateway does not know yet; see `shippingTypeRaw`. */
  | 'UNKNOWN';

/** Order of SKU analytics (default: highest GMV first). */
export type SkuPerformanceSort = {
  /** Direction. */
  direction?: SortDirection | null | undefined;
  /** Key. */
  field?: SkuPerformanceSortField | null | undefined;
};

/** What SKU analytics are sorted by. */
export type SkuPerformanceSortField =
  /** Gross merchandise value. */
  | 'GMV'
  /** Orders containing the SKU. */
  | 'SKU_ORDERS'
  /** Units sold. */
  | 'UNITS_SOLD';

/** Sort order. */
export type SortDirection =
  /** Smallest or oldest first. */
  | 'ASC'
  /** Largest or newest first. */
  | 'DESC';

/** Stock levels to set for SKUs of one product. */
export type UpdateInventoryInput = {
  /** TikTok's product id. */
  productId: string | number;
  /** Shop to read (see `shops`). Optional: defaults to TIKTOK_SHOP_SHOP_ID when the caller may use it, else to the caller's only shop; with several shops and no default, omitting it is an error. A shop outside the caller's is FORBIDDEN. */
  shopId?: string | number | null | undefined;
  /** SKU quantities (1 to 500 entries). */
  skus: Array<InventoryQuantityInput>;
};

/** Whose videos to include. */
export type VideoAccountType =
  /** Videos from affiliate creators. */
  | 'AFFILIATES'
  /** Every video that sold the shop's products. */
  | 'ALL'
  /** Videos from the shop's own linked accounts. */
  | 'LINKED_ACCOUNTS';

/** Order of videos (default: highest GMV first). */
export type VideoSort = {
  /** Direction. */
  direction?: SortDirection | null | undefined;
  /** Key. */
  field?: VideoSortField | null | undefined;
};

/** What videos are sorted by. */
export type VideoSortField =
  /** Click-through rate. */
  | 'CLICK_THROUGH_RATE'
  /** Gross merchandise value. */
  | 'GMV'
  /** SKU orders. */
  | 'SKU_ORDERS'
  /** Units sold. */
  | 'UNITS_SOLD'
  /** Views. */
  | 'VIEWS';

/** A webhook topic by its Event API name; the §8 `type` number it delivers is given. New values TikTok adds read UNKNOWN. */
export type WebhookEventType =
  /** Type 11: an order's cancellation moved on. */
  | 'CANCELLATION_STATUS_CHANGE'
  /** Type 36: an invoice's status changed. */
  | 'INVOICE_STATUS_CHANGE'
  /** Type 13: a buyer opened a conversation. */
  | 'NEW_CONVERSATION'
  /** Type 14: a new customer-service message. */
  | 'NEW_MESSAGE'
  /** Type 33: a message for a listening app. */
  | 'NEW_MESSAGE_LISTENER'
  /** Type 1: an order changed status. */
  | 'ORDER_STATUS_CHANGE'
  /** Type 4: an order's packages were combined or split. */
  | 'PACKAGE_UPDATE'
  /** Type 37: a product's audit status changed. */
  | 'PRODUCT_AUDIT_STATUS_CHANGE'
  /** Type 18: a product's category changed. */
  | 'PRODUCT_CATEGORY_CHANGE'
  /** Type 16: a product was created. */
  | 'PRODUCT_CREATION'
  /** Type 15: a product's information changed. */
  | 'PRODUCT_INFORMATION_CHANGE'
  /** Type 5: a product passed first review, changed status or failed audit. */
  | 'PRODUCT_STATUS_CHANGE'
  /** Type 3: an order's shipping address changed. */
  | 'RECIPIENT_ADDRESS_UPDATE'
  /** Type 12: an order's return moved on. */
  | 'RETURN_STATUS_CHANGE'
  /** Type 2: a reverse order changed status. */
  | 'REVERSE_ORDER_STATUS_UPDATE'
  /** Type 2 under its legacy name. */
  | 'REVERSE_STATUS_UPDATE'
  /** Type 6: the seller removed the app's access. */
  | 'SELLER_DEAUTHORIZATION'
  /** A value this gateway does not know yet; see `eventTypeRaw`. */
  | 'UNKNOWN'
  /** Type 7: the seller's authorisation expires soon (sent daily from 30 days). */
  | 'UPCOMING_AUTHORIZATION_EXPIRATION';

export type ShopsQueryVariables = Exact<{ [key: string]: never; }>;


export type ShopsQuery = { shops: Array<{ id: string, name: string, region: string, sellerType: SellerType, code: string, isDefault: boolean }> | null };

export type ProductsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type ProductsQuery = { products: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, title: string, status: ProductStatus, createdAt: string, updatedAt: string, skus: Array<{ id: string, sellerSku: string, price: { amount: string, currency: string } }> } }> } | null };

export type ProductQueryVariables = Exact<{
  productId: string | number;
  range: DateRangeInput;
  shopId?: string | number | null | undefined;
}>;


export type ProductQuery = { product: { id: string, title: string, status: ProductStatus, description: string | null, brand: { name: string } | null, categoryPath: Array<{ id: string, name: string }> | null, images: Array<{ urls: Array<string> }> | null, skus: Array<{ id: string, sellerSku: string, price: { amount: string, currency: string }, salesAttributes: Array<{ name: string, valueName: string }>, inventory: { totalAvailableQuantity: number, totalCommittedQuantity: number, warehouses: Array<{ warehouseId: string, availableQuantity: number, committedQuantity: number }> } | null }>, performance: { latestAvailableDate: string | null, intervals: Array<{ startDate: string, endDate: string, unitsSold: number, gmv: { amount: string, currency: string } }> } | null, videos: Array<{ id: string, title: string | null }> | null } | null };

export type OrdersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: OrderFilter | null | undefined;
  sort?: OrderSort | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type OrdersQuery = { orders: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: OrderStatus, createdAt: string, paidAt: string | null, payment: { total: { amount: string, currency: string }, discounts: { total: { amount: string } } }, lineItems: Array<{ id: string, productId: string, productName: string, skuName: string, salePrice: { amount: string, currency: string }, product: { id: string, title: string, skus: Array<{ id: string, sellerSku: string, inventory: { totalAvailableQuantity: number, totalCommittedQuantity: number } | null }> } | null }> } }> } | null };

export type OrderQueryVariables = Exact<{
  orderId: string | number;
  shopId?: string | number | null | undefined;
}>;


export type OrderQuery = { order: { id: string, status: OrderStatus, createdAt: string, paidAt: string | null, updatedAt: string, buyerUserId: string, shippingType: ShippingType, payment: { subTotal: { amount: string, currency: string }, shipping: { amount: string, currency: string }, discounts: { seller: { amount: string, currency: string }, platform: { amount: string, currency: string }, total: { amount: string, currency: string } }, tax: { amount: string, currency: string }, total: { amount: string, currency: string } }, recipient: { name: string, fullAddress: string, regionCode: string } | null, lineItems: Array<{ id: string, productName: string, skuName: string, sellerSku: string, displayStatus: string, salePrice: { amount: string, currency: string }, originalPrice: { amount: string, currency: string }, sku: { id: string, sellerSku: string } | null }>, packages: Array<{ id: string }> } | null };

export type InventoryQueryVariables = Exact<{
  productIds?: Array<string | number> | string | number | null | undefined;
  skuIds?: Array<string | number> | string | number | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type InventoryQuery = { inventory: Array<{ productId: string, skus: Array<{ id: string, sellerSku: string, totalAvailableQuantity: number, totalCommittedQuantity: number, warehouses: Array<{ warehouseId: string, availableQuantity: number, committedQuantity: number, warehouse: { name: string } | null }> }> }> | null };

export type WarehousesQueryVariables = Exact<{
  shopId?: string | number | null | undefined;
}>;


export type WarehousesQuery = { warehouses: Array<{ id: string, name: string, effectStatus: string, type: string, subType: string | null, isDefault: boolean, address: { city: string | null, regionCode: string | null } }> | null };

export type ShopPerformanceQueryVariables = Exact<{
  range: DateRangeInput;
  granularity?: AnalyticsGranularity | null | undefined;
  withComparison?: boolean | null | undefined;
  currency?: AnalyticsCurrency | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type ShopPerformanceQuery = { shopPerformance: { latestAvailableDate: string | null, intervals: Array<{ startDate: string, endDate: string, orders: number, skuOrders: number, unitsSold: number, buyers: number, gmv: { amount: string, currency: string }, averageOrderValue: { amount: string, currency: string }, refunds: { amount: string, currency: string } }>, comparisonIntervals: Array<{ startDate: string, endDate: string, gmv: { amount: string, currency: string } }> } | null };

export type ProductPerformancesQueryVariables = Exact<{
  range: DateRangeInput;
  first?: number | null | undefined;
  after?: string | null | undefined;
  sortBy?: ProductPerformanceSort | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type ProductPerformancesQuery = { productPerformances: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { productId: string, orders: number, unitsSold: number, clickThroughRate: string, gmv: { amount: string, currency: string }, product: { title: string } | null } }> } | null };

export type SkuPerformancesQueryVariables = Exact<{
  range: DateRangeInput;
  first?: number | null | undefined;
  after?: string | null | undefined;
  sortBy?: SkuPerformanceSort | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type SkuPerformancesQuery = { skuPerformances: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { skuId: string, productId: string, skuOrders: number, unitsSold: number, gmv: { amount: string, currency: string } } }> } | null };

export type VideosQueryVariables = Exact<{
  range: DateRangeInput;
  first?: number | null | undefined;
  after?: string | null | undefined;
  sortBy?: VideoSort | null | undefined;
  accountType?: VideoAccountType | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type VideosQuery = { videos: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, title: string | null, username: string | null, postTime: string | null, totals: { views: number, unitsSold: number, clickThroughRate: string, gmv: { amount: string, currency: string } } | null } }> } | null };

export type VideoQueryVariables = Exact<{
  videoId: string | number;
  range: DateRangeInput;
  shopId?: string | number | null | undefined;
}>;


export type VideoQuery = { video: { id: string, engagement: { likes: number, shares: number, comments: number, views: number } | null, performance: { latestAvailableDate: string | null, intervals: Array<{ startDate: string, endDate: string, views: number, gmv: { amount: string, currency: string } }> } | null, products: { totalCount: number, edges: Array<{ node: { productId: string, name: string, unitsSold: number, gmv: { amount: string, currency: string }, product: { id: string, title: string, status: ProductStatus } | null } }> } | null } | null };

export type LiveSessionsQueryVariables = Exact<{
  range: DateRangeInput;
  first?: number | null | undefined;
  after?: string | null | undefined;
  shopId?: string | number | null | undefined;
}>;


export type LiveSessionsQuery = { liveSessions: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, title: string, username: string, startedAt: string, endedAt: string, sales: { unitsSold: number, customers: number, gmv: { amount: string, currency: string } }, interaction: { viewers: number, likes: number } } }> } | null };

export type UpdateInventoryMutationVariables = Exact<{
  update: UpdateInventoryInput;
}>;


export type UpdateInventoryMutation = { updateInventory: { productId: string, updatedCount: number, problemCount: number, results: Array<
      | { __typename: 'DuplicateInventoryEntry', skuId: string, message: string }
      | { __typename: 'InventorySkuUpdated', skuId: string, quantities: Array<{ warehouseId: string, quantity: number, isFilledIn: boolean }>, inventory: { totalAvailableQuantity: number } | null }
      | { __typename: 'InventoryUpdateFailed', skuId: string, message: string }
      | { __typename: 'InventoryUpdateUnconfirmed', skuId: string, message: string }
      | { __typename: 'ProductNotActive', skuId: string, message: string }
      | { __typename: 'QuantityRejected', skuId: string, message: string }
      | { __typename: 'UnknownProduct', skuId: string, message: string }
      | { __typename: 'UnknownSku', skuId: string, message: string }
      | { __typename: 'UnknownWarehouse', skuId: string, message: string }
      | { __typename: 'WarehouseRequired', skuId: string, message: string }
    >, inventory: { skus: Array<{ id: string, warehouses: Array<{ warehouseId: string, availableQuantity: number }> }> } | null } };

export type BulkUpdateInventoryMutationVariables = Exact<{
  bulk: BulkUpdateInventoryInput;
}>;


export type BulkUpdateInventoryMutation = { bulkUpdateInventory: { updatedCount: number, problemCount: number, results: Array<
      | { __typename: 'DuplicateInventoryEntry', productId: string, skuId: string, message: string }
      | { __typename: 'InventorySkuUpdated', productId: string, skuId: string }
      | { __typename: 'InventoryUpdateFailed', productId: string, skuId: string, message: string, code: ErrorCode }
      | { __typename: 'InventoryUpdateUnconfirmed', productId: string, skuId: string, message: string }
      | { __typename: 'ProductNotActive', productId: string, skuId: string, message: string }
      | { __typename: 'QuantityRejected', productId: string, skuId: string, message: string }
      | { __typename: 'UnknownProduct', productId: string, skuId: string, message: string }
      | { __typename: 'UnknownSku', productId: string, skuId: string, message: string }
      | { __typename: 'UnknownWarehouse', productId: string, skuId: string, message: string }
      | { __typename: 'WarehouseRequired', productId: string, skuId: string, message: string }
    > } };

export type AuthorizationUrlQueryVariables = Exact<{
  redirectUri?: string | null | undefined;
}>;


export type AuthorizationUrlQuery = { authorizationUrl: { url: string, expiresAt: string }, authorizedSellers: Array<{ openId: string, name: string, grantedScopes: Array<string>, accessTokenExpiresAt: string | null, refreshTokenExpiresAt: string | null, shops: Array<{ id: string, name: string }> }> };

export type RefreshAccessTokenMutationVariables = Exact<{
  shopId?: string | number | null | undefined;
}>;


export type RefreshAccessTokenMutation = { refreshAccessToken: { openId: string, accessTokenExpiresAt: string | null, refreshTokenExpiresAt: string | null } | null };

export type WebhookSubscriptionsQueryVariables = Exact<{
  shopId?: string | number | null | undefined;
}>;


export type WebhookSubscriptionsQuery = { webhookSubscriptions: Array<{ eventType: WebhookEventType, eventTypeRaw: string, address: string, createdAt: string, updatedAt: string }> | null };

export type OrderStatusChangedSubscriptionVariables = Exact<{
  shopId?: string | number | null | undefined;
  statuses?: Array<OrderStatus> | OrderStatus | null | undefined;
}>;


export type OrderStatusChangedSubscription = { orderStatusChanged: { shopId: string, orderId: string, status: OrderStatus, statusRaw: string, updateTime: string, order: { id: string, status: OrderStatus, updatedAt: string, lineItems: Array<{ productName: string, skuName: string }> } | null } };


export const ShopsDocument = {"__meta__":{"hash":"sha256:f955c127fe63989c5d263396eb9088862ae38f0af976df82227ebd32b34f07da"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Shops"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shops"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"sellerType"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}}]}}]}}]} as unknown as DocumentNode<ShopsQuery, ShopsQueryVariables>;
export const ProductsDocument = {"__meta__":{"hash":"sha256:836dbae6625ed0d3597e860f0075c7cb69062dcc78568fdbe2dfe0d1dbcf7f6a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Products"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProductFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ProductsQuery, ProductsQueryVariables>;
export const ProductDocument = {"__meta__":{"hash":"sha256:3f5e915360ecd860e348b6cf3f73d6a6debf7edded7e37199db547a6d4fa1177"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Product"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"productId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"product"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"productId"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"brand"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"categoryPath"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"urls"}}]}},{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"salesAttributes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"valueName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inventory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalAvailableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"totalCommittedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"warehouses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"warehouseId"}},{"kind":"Field","name":{"kind":"Name","value":"availableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"committedQuantity"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"performance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latestAvailableDate"}},{"kind":"Field","name":{"kind":"Name","value":"intervals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"videos"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}}]} as unknown as DocumentNode<ProductQuery, ProductQueryVariables>;
export const OrdersDocument = {"__meta__":{"hash":"sha256:8972416e73c40e3adc088809e47e930f139cd35a73216b836914fd2b7b242480"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Orders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sort"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sort"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sort"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"paidAt"}},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"discounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"lineItems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"skuName"}},{"kind":"Field","name":{"kind":"Name","value":"salePrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"inventory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalAvailableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"totalCommittedQuantity"}}]}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrdersQuery, OrdersQueryVariables>;
export const OrderDocument = {"__meta__":{"hash":"sha256:d7e1f452ac96a00aee64665b792eb0fede623bba44639e8e8c70db5f95fb4ef3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Order"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"order"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderId"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"paidAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"buyerUserId"}},{"kind":"Field","name":{"kind":"Name","value":"shippingType"}},{"kind":"Field","name":{"kind":"Name","value":"payment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subTotal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"shipping"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"discounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seller"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"platform"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"tax"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"recipient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fullAddress"}},{"kind":"Field","name":{"kind":"Name","value":"regionCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lineItems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"skuName"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"displayStatus"}},{"kind":"Field","name":{"kind":"Name","value":"salePrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sku"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"packages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<OrderQuery, OrderQueryVariables>;
export const InventoryDocument = {"__meta__":{"hash":"sha256:2d712bf83ffe564199160898f00d1115cc4fbeb3f9dd0cea15437a771627eb39"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Inventory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"productIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"skuIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inventory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"productIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"productIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"skuIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"skuIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"totalAvailableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"totalCommittedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"warehouses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"warehouseId"}},{"kind":"Field","name":{"kind":"Name","value":"availableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"committedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"warehouse"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<InventoryQuery, InventoryQueryVariables>;
export const WarehousesDocument = {"__meta__":{"hash":"sha256:4522aa64de0a1df25615f61598646fa6f1faee6d6b47fcd0dd6f33101ff64860"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Warehouses"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"warehouses"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"effectStatus"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"subType"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"city"}},{"kind":"Field","name":{"kind":"Name","value":"regionCode"}}]}}]}}]}}]} as unknown as DocumentNode<WarehousesQuery, WarehousesQueryVariables>;
export const ShopPerformanceDocument = {"__meta__":{"hash":"sha256:ab01de015eaf89c37df6247be2a57c8fb22e8a6651acf9445fb3d53617fd8a7f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ShopPerformance"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"granularity"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AnalyticsGranularity"}},"defaultValue":{"kind":"EnumValue","value":"ALL"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"withComparison"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}},"defaultValue":{"kind":"BooleanValue","value":false}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"currency"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AnalyticsCurrency"}},"defaultValue":{"kind":"EnumValue","value":"LOCAL"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shopPerformance"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}},{"kind":"Argument","name":{"kind":"Name","value":"granularity"},"value":{"kind":"Variable","name":{"kind":"Name","value":"granularity"}}},{"kind":"Argument","name":{"kind":"Name","value":"withComparison"},"value":{"kind":"Variable","name":{"kind":"Name","value":"withComparison"}}},{"kind":"Argument","name":{"kind":"Name","value":"currency"},"value":{"kind":"Variable","name":{"kind":"Name","value":"currency"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latestAvailableDate"}},{"kind":"Field","name":{"kind":"Name","value":"intervals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"skuOrders"}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}},{"kind":"Field","name":{"kind":"Name","value":"buyers"}},{"kind":"Field","name":{"kind":"Name","value":"averageOrderValue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"refunds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"comparisonIntervals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ShopPerformanceQuery, ShopPerformanceQueryVariables>;
export const ProductPerformancesDocument = {"__meta__":{"hash":"sha256:96d54734b02ee080b0b648f7d62d05ef00bd9be3adc9c2e1d988f4c65cbf1d89"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProductPerformances"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProductPerformanceSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productPerformances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"orders"}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}},{"kind":"Field","name":{"kind":"Name","value":"clickThroughRate"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ProductPerformancesQuery, ProductPerformancesQueryVariables>;
export const SkuPerformancesDocument = {"__meta__":{"hash":"sha256:c6f2ba868fd55589d8762d7ea5b2f15459fa74b0dd085d454b277a0d263494d3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SkuPerformances"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SkuPerformanceSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skuPerformances"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skuId"}},{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"skuOrders"}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SkuPerformancesQuery, SkuPerformancesQueryVariables>;
export const VideosDocument = {"__meta__":{"hash":"sha256:a9cd914dc2790381d55ca86c135d140f8e785a0a24aa53679b3761f1f85f36d4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Videos"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"VideoSort"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountType"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"VideoAccountType"}},"defaultValue":{"kind":"EnumValue","value":"ALL"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"videos"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"accountType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountType"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"postTime"}},{"kind":"Field","name":{"kind":"Name","value":"totals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"views"}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}},{"kind":"Field","name":{"kind":"Name","value":"clickThroughRate"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<VideosQuery, VideosQueryVariables>;
export const VideoDocument = {"__meta__":{"hash":"sha256:a1894ecd59b6977362c169d23fbb3d41b4967129c5df7c909fa24bea4f920991"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Video"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"video"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"videoId"}}},{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"engagement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"likes"}},{"kind":"Field","name":{"kind":"Name","value":"shares"}},{"kind":"Field","name":{"kind":"Name","value":"comments"}},{"kind":"Field","name":{"kind":"Name","value":"views"}}]}},{"kind":"Field","name":{"kind":"Name","value":"performance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"latestAvailableDate"}},{"kind":"Field","name":{"kind":"Name","value":"intervals"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"views"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<VideoQuery, VideoQueryVariables>;
export const LiveSessionsDocument = {"__meta__":{"hash":"sha256:22c8dae638c30dccde717cde21675fd6e30599ddebcdd184d4e698708e029041"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LiveSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"range"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateRangeInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"liveSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"range"},"value":{"kind":"Variable","name":{"kind":"Name","value":"range"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"sales"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gmv"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unitsSold"}},{"kind":"Field","name":{"kind":"Name","value":"customers"}}]}},{"kind":"Field","name":{"kind":"Name","value":"interaction"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewers"}},{"kind":"Field","name":{"kind":"Name","value":"likes"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<LiveSessionsQuery, LiveSessionsQueryVariables>;
export const UpdateInventoryDocument = {"__meta__":{"hash":"sha256:fce96b7d8f7a1b08e6ce32bd97203019df0f2c0a6dd6a9858788b5fd48bbb994"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateInventory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"update"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateInventoryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateInventory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"update"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"updatedCount"}},{"kind":"Field","name":{"kind":"Name","value":"problemCount"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InventorySkuUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skuId"}},{"kind":"Field","name":{"kind":"Name","value":"quantities"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"warehouseId"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"isFilledIn"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inventory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalAvailableQuantity"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InventoryUpdateProblem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skuId"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"inventory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"skus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"warehouses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"warehouseId"}},{"kind":"Field","name":{"kind":"Name","value":"availableQuantity"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<UpdateInventoryMutation, UpdateInventoryMutationVariables>;
export const BulkUpdateInventoryDocument = {"__meta__":{"hash":"sha256:2da45fd8c73c654da15b068bf50c7b17e9c58bd3f36a15e64c54eeb2e7dd2fdc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"BulkUpdateInventory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bulk"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BulkUpdateInventoryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bulkUpdateInventory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bulk"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updatedCount"}},{"kind":"Field","name":{"kind":"Name","value":"problemCount"}},{"kind":"Field","name":{"kind":"Name","value":"results"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InventorySkuUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"skuId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InventoryUpdateProblem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productId"}},{"kind":"Field","name":{"kind":"Name","value":"skuId"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InventoryUpdateFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]} as unknown as DocumentNode<BulkUpdateInventoryMutation, BulkUpdateInventoryMutationVariables>;
export const AuthorizationUrlDocument = {"__meta__":{"hash":"sha256:53646d640dce9bb686091831fcfc8683e8eddc547d20163614a5470eb5ba1daa"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuthorizationUrl"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"redirectUri"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"URL"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authorizationUrl"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"redirectUri"},"value":{"kind":"Variable","name":{"kind":"Name","value":"redirectUri"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"authorizedSellers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"grantedScopes"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"shops"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<AuthorizationUrlQuery, AuthorizationUrlQueryVariables>;
export const RefreshAccessTokenDocument = {"__meta__":{"hash":"sha256:e8239664ba680d5d44756d0f459896dda94d37a6d5411c2657544a9f8e213883"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshAccessToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshAccessToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openId"}},{"kind":"Field","name":{"kind":"Name","value":"accessTokenExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"refreshTokenExpiresAt"}}]}}]}}]} as unknown as DocumentNode<RefreshAccessTokenMutation, RefreshAccessTokenMutationVariables>;
export const WebhookSubscriptionsDocument = {"__meta__":{"hash":"sha256:2e686b3251ded59d289d663070941a2e7c5a819e3f518fc293a1670687c2ba49"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebhookSubscriptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"webhookSubscriptions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"eventTypeRaw"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<WebhookSubscriptionsQuery, WebhookSubscriptionsQueryVariables>;
export const OrderStatusChangedDocument = {"__meta__":{"hash":"sha256:70ad0a96e6acdfaa6e20f49b823b2b223f5e6133fb99c09dd3a9ba2bc0661036"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OrderStatusChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderStatus"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orderStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"shopId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"shopId"}}},{"kind":"Argument","name":{"kind":"Name","value":"statuses"},"value":{"kind":"Variable","name":{"kind":"Name","value":"statuses"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"shopId"}},{"kind":"Field","name":{"kind":"Name","value":"orderId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"statusRaw"}},{"kind":"Field","name":{"kind":"Name","value":"updateTime"}},{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lineItems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"productName"}},{"kind":"Field","name":{"kind":"Name","value":"skuName"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrderStatusChangedSubscription, OrderStatusChangedSubscriptionVariables>;