// TikTok's snake_case wire shapes and their mapping to the domain shapes in types.ts, which are
// the GraphQL shapes: snake_case, Unix seconds, bare decimal strings and exclusive interval ends
// stop here. Mappers are tolerant: missing optional fields become null or [], ids that arrive as
// numbers become strings, "" or absent page tokens mean "last page" (§6.1), and an enum value
// not known yet reads UNKNOWN beside TikTok's own string, told to the caller's reporter (§6).
import {
  type Known,
  knownValueOf,
  type TikTokEnumField,
  UNKNOWN,
  type UnknownValueReporter,
} from './enums.js';
import type {
  AnalyticsListInput,
  AnalyticsOverviewInput,
  AuthorizedShop,
  Category,
  IntervalDates,
  InventorySearchInput,
  InventoryUpdateResult,
  InventoryUpdateSku,
  LineItem,
  LiveSession,
  Money,
  Order,
  OrderSearchFilter,
  OrderSearchInput,
  Page,
  Product,
  ProductImage,
  ProductInventory,
  ProductPerformance,
  ProductPerformanceInterval,
  ProductPerformanceRow,
  ProductSearchFilter,
  ProductSummary,
  RawCall,
  SalesAttribute,
  ShopPerformance,
  ShopPerformanceInterval,
  Sku,
  SkuPerformanceRow,
  TokenGrant,
  VideoListInput,
  VideoPerformance,
  VideoPerformanceInterval,
  VideoPerformanceRow,
  VideoProductRow,
  Warehouse,
  WebhookEventType,
  WebhookSubscription,
  WebhookSubscriptionInput,
} from './types.js';

// --- Raw shapes (what TikTok sends; every field optional because we do not trust it) ---------

/** An id as TikTok may send it: a decimal string, or a number in a few analytics answers. */
export type WireId = string | number;
/** A count: a number, sometimes a numeric string. */
export type WireCount = number | string;

export interface WireEnvelope<T = unknown> {
  code: number;
  message: string;
  request_id?: string;
  data?: T | null;
}

export interface WireMoney {
  amount?: string | number;
  currency?: string;
}

export interface WireSkuPrice {
  currency?: string;
  sale_price?: string | number;
  tax_exclusive_price?: string | number;
}

export interface WireSku {
  id?: WireId;
  seller_sku?: string;
  price?: WireSkuPrice;
  inventory?: Array<{ warehouse_id?: WireId; quantity?: WireCount }>;
  sales_attributes?: Array<{ id?: WireId; name?: string; value_id?: WireId; value_name?: string }>;
  external_sku_id?: string | null;
}

export interface WireProductSummary {
  id?: WireId;
  title?: string;
  status?: string;
  skus?: WireSku[];
  sales_regions?: string[];
  create_time?: WireCount;
  update_time?: WireCount;
}

export interface WireProduct extends WireProductSummary {
  description?: string;
  /** TikTok names the category `local_name`; `name` is accepted too. */
  category_chains?: Array<{
    id?: WireId;
    local_name?: string;
    name?: string;
    parent_id?: WireId;
    is_leaf?: boolean;
  }>;
  brand?: { id?: WireId; name?: string } | null;
  main_images?: Array<{ uri?: string; urls?: string[]; width?: number; height?: number }>;
}

export interface WireProductSearchData {
  total_count?: WireCount;
  next_page_token?: string | null;
  products?: WireProductSummary[];
}

export interface WireInventoryData {
  inventory?: Array<{
    product_id?: WireId;
    skus?: Array<{
      id?: WireId;
      seller_sku?: string;
      total_available_quantity?: WireCount;
      total_committed_quantity?: WireCount;
      warehouse_inventory?: Array<{
        warehouse_id?: WireId;
        available_quantity?: WireCount;
        committed_quantity?: WireCount;
      }>;
    }>;
  }>;
}

export interface WireInventoryUpdateData {
  errors?: Array<{
    code?: WireCount;
    message?: string;
    detail?: {
      sku_id?: WireId;
      extra_errors?: Array<{ warehouse_id?: WireId; code?: WireCount; message?: string }>;
    };
  }>;
}

export interface WireWarehouse {
  id?: WireId;
  name?: string;
  effect_status?: string;
  type?: string;
  sub_type?: string;
  is_default?: boolean;
  address?: {
    region?: string;
    city?: string;
    postal_code?: string;
    full_address?: string;
    region_code?: string;
  };
}

export interface WireOrder {
  id?: WireId;
  status?: string;
  create_time?: WireCount;
  update_time?: WireCount;
  paid_time?: WireCount | null;
  user_id?: WireId;
  shipping_type?: string;
  warehouse_id?: WireId | null;
  payment?: {
    currency?: string;
    sub_total?: string;
    shipping_fee?: string;
    seller_discount?: string;
    platform_discount?: string;
    tax?: string;
    total_amount?: string;
  };
  recipient_address?: {
    name?: string;
    full_address?: string;
    region_code?: string;
    phone_number?: string;
  } | null;
  line_items?: Array<{
    id?: WireId;
    product_id?: WireId;
    sku_id?: WireId;
    product_name?: string;
    sku_name?: string;
    seller_sku?: string;
    original_price?: string;
    sale_price?: string;
    currency?: string;
    display_status?: string;
    package_id?: WireId | null;
  }>;
  packages?: Array<{ id?: WireId }>;
}

export interface WireOrderSearchData {
  total_count?: WireCount;
  next_page_token?: string | null;
  orders?: WireOrder[];
}

export interface WireTokenData {
  access_token?: string;
  access_token_expire_in?: WireCount;
  refresh_token?: string;
  refresh_token_expire_in?: WireCount;
  open_id?: string;
  seller_name?: string;
  seller_base_region?: string;
  user_type?: WireCount;
  granted_scopes?: string[];
}

export interface WireAuthorizedShopsData {
  shops?: Array<{
    id?: WireId;
    name?: string;
    region?: string;
    seller_type?: string;
    cipher?: string;
    code?: string;
  }>;
}

export interface WireWebhooksData {
  webhooks?: Array<{
    event_type?: string;
    address?: string;
    create_time?: WireCount;
    update_time?: WireCount;
  }>;
  total_count?: WireCount;
}

type WireRecord = Record<string, unknown>;

/** Analytics answers share `latest_available_date` and a `performance.intervals[]` shape. */
export interface WireAnalyticsOverviewData {
  latest_available_date?: string;
  performance?: { intervals?: WireRecord[]; comparison_intervals?: WireRecord[] };
  engagement_data?: WireRecord;
}

/** Analytics lists: rows under a per-endpoint key (`products`, `skus`, `videos`, …). */
export type WireAnalyticsListData = WireRecord & {
  next_page_token?: string | null;
  total_count?: WireCount;
  latest_available_date?: string;
};

// --- JSON parsing that keeps 19-digit ids exact -----------------------------------------------

/** An unquoted integer literal too long to be safe after a `:`, `[` or `,` outside strings. */
const UNQUOTED_LONG_INTEGER = /[:[,]\s*-?\d{16,}\s*[,\]}]/;

/**
 * JSON.parse, except that integer literals beyond Number.MAX_SAFE_INTEGER become decimal
 * strings. A few analytics answers type 19-digit ids as JSON numbers (§6.8); plain JSON.parse
 * would round them (Node 20 has no JSON.parse source access). The scan only runs when such a
 * literal may be present, and it skips string contents.
 */
export function parseJsonPreservingIds(text: string): unknown {
  if (!UNQUOTED_LONG_INTEGER.test(text)) return JSON.parse(text);
  let out = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x22) {
      // Skip a string literal, honouring backslash escapes.
      index++;
      while (index < text.length && text.charCodeAt(index) !== 0x22) {
        index += text.charCodeAt(index) === 0x5c ? 2 : 1;
      }
      index++;
      continue;
    }
    if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      const start = index;
      index++;
      while (index < text.length && /[0-9.eE+-]/.test(text[index] as string)) index++;
      const literal = text.slice(start, index);
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copiedUpTo, start)}"${literal}"`;
        copiedUpTo = index;
      }
      continue;
    }
    index++;
  }
  return JSON.parse(out + text.slice(copiedUpTo));
}

// --- Small tolerant readers -------------------------------------------------------------------

/** An id as a decimal string. Unsafe JSON numbers should not reach here (see parseJsonPreservingIds). */
export function toId(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value.toFixed(0);
  if (typeof value === 'bigint') return value.toString();
  return '';
}

function toIdOrNull(value: unknown): string | null {
  const id = toId(value);
  return id === '' ? null : id;
}

function toNumber(value: unknown, fallback = 0): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  return fallback;
}

function toNumberOrNull(value: unknown): number | null {
  const parsed = toNumber(value, Number.NaN);
  return Number.isNaN(parsed) ? null : parsed;
}

function toText(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

function toTextOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): WireRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as WireRecord)
    : {};
}

/** "" and absent both mean "no more pages" (§6.1: which one TikTok sends is unconfirmed). */
export function toPageToken(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Money in the analytics form `{amount, currency}`; a bare number or string keeps the currency empty. */
export function toMoney(value: unknown): Money {
  if (typeof value === 'string' || typeof value === 'number')
    return { amount: String(value), currency: '' };
  const money = record(value);
  return { amount: toText(money.amount, '0'), currency: toText(money.currency) };
}

/** A bare decimal amount with the currency it is in (products and orders send them apart). */
function toAmount(amount: unknown, currency: string): Money {
  return { amount: toText(amount, '0'), currency };
}

/** TikTok's Unix seconds, as the Date the schema's DateTime takes. */
function fromUnixSeconds(value: unknown): Date {
  return new Date(toNumber(value) * 1000);
}

function fromUnixSecondsOrNull(value: unknown): Date | null {
  return toNumberOrNull(value) === null ? null : fromUnixSeconds(value);
}

function toUnixSeconds(date: Date | null | undefined): number | undefined {
  return date ? Math.floor(date.getTime() / 1000) : undefined;
}

const DAY_MS = 86_400_000;

/**
 * An interval's first and last day, both inclusive like the range asked: TikTok reports the
 * exclusive end ("2024-06-01" → "2024-05-31"). An unreadable end stays as sent, for the Date
 * scalar to refuse.
 */
function toIntervalDates(interval: WireRecord): IntervalDates {
  const exclusiveEnd = toText(interval.end_date);
  const endMs = Date.parse(`${exclusiveEnd}T00:00:00Z`);
  return {
    startDate: toText(interval.start_date),
    endDate: Number.isNaN(endMs)
      ? exclusiveEnd
      : new Date(endMs - DAY_MS).toISOString().slice(0, 10),
  };
}

function toPage<TWire, T>(
  data: { next_page_token?: unknown; total_count?: unknown },
  rows: TWire[] | undefined,
  mapRow: (row: TWire) => T,
): Page<T> {
  const items = list(rows).map(mapRow);
  return {
    items,
    nextPageToken: toPageToken(data.next_page_token),
    // total_count is missing on some lists; the page length is the best honest fallback.
    totalCount: toNumber(data.total_count, items.length),
  };
}

// --- Request builders (camelCase in, snake_case out) -------------------------------------------

/** Drops absent (undefined or null) values so they are neither sent nor signed. */
function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<T>;
}

/**
 * A search body (§6.1, §6.6): the filter's conditions, or undefined when none is set, so an
 * unfiltered search sends and signs no body at all (§4: how `{}` is signed is unconfirmed). An
 * empty list is no condition.
 */
function toSearchBody(conditions: Record<string, unknown>): Record<string, unknown> | undefined {
  const body = Object.fromEntries(
    Object.entries(compact(conditions)).filter(
      ([, value]) => !(Array.isArray(value) && value.length === 0),
    ),
  );
  return Object.keys(body).length > 0 ? body : undefined;
}

/** `sku_ids` exists only from 202312 on (§6.1): a filter with SKU ids needs that version. */
export function hasSkuIdFilter(filter: ProductSearchFilter | undefined): boolean {
  return (filter?.skuIds?.length ?? 0) > 0;
}

export function toProductSearchBody(
  filter: ProductSearchFilter | undefined,
): Record<string, unknown> | undefined {
  return toSearchBody({
    status: filter?.status,
    seller_skus: filter?.sellerSkus,
    sku_ids: filter?.skuIds,
    create_time_ge: toUnixSeconds(filter?.createdFrom),
    create_time_le: toUnixSeconds(filter?.createdTo),
    update_time_ge: toUnixSeconds(filter?.updatedFrom),
    update_time_le: toUnixSeconds(filter?.updatedTo),
  });
}

export function toOrderSearchBody(
  filter: OrderSearchFilter | undefined,
): Record<string, unknown> | undefined {
  return toSearchBody({
    order_status: filter?.status,
    create_time_ge: toUnixSeconds(filter?.createdFrom),
    create_time_lt: toUnixSeconds(filter?.createdBefore),
    update_time_ge: toUnixSeconds(filter?.updatedFrom),
    update_time_lt: toUnixSeconds(filter?.updatedBefore),
    shipping_type: filter?.shippingType,
    buyer_user_id: filter?.buyerUserId,
    warehouse_ids: filter?.warehouseIds,
  });
}

export function toInventorySearchBody(input: InventorySearchInput): Record<string, string[]> {
  return 'skuIds' in input ? { sku_ids: input.skuIds } : { product_ids: input.productIds };
}

export function toInventoryUpdateBody(skus: InventoryUpdateSku[]): Record<string, unknown> {
  return {
    skus: skus.map((sku) => ({
      id: sku.skuId,
      inventory: sku.inventory.map((stock) =>
        compact({ warehouse_id: stock.warehouseId, quantity: stock.quantity }),
      ),
    })),
  };
}

/** Query parameters before they are turned into strings; undefined ones are not sent. */
export type WireQuery = RawCall['query'];

export function toPageQuery(input: { pageSize: number; pageToken?: string }): WireQuery {
  return { page_size: input.pageSize, page_token: input.pageToken || undefined };
}

export function toOrderSearchQuery(input: OrderSearchInput): WireQuery {
  return { ...toPageQuery(input), sort_field: input.sortField, sort_order: input.sortOrder };
}

/** §6.8: one item's or the shop's figures over a range. */
export function toAnalyticsOverviewQuery(input: AnalyticsOverviewInput): WireQuery {
  return {
    start_date_ge: input.range.startDateGe,
    end_date_lt: input.range.endDateLt,
    granularity: input.granularity,
    currency: input.currency,
    with_comparison: input.withComparison,
  };
}

/** §6.8: one page of a ranked analytics list. */
export function toAnalyticsListQuery(input: AnalyticsListInput): WireQuery {
  return {
    start_date_ge: input.range.startDateGe,
    end_date_lt: input.range.endDateLt,
    ...toPageQuery(input),
    sort_field: input.sortField,
    sort_order: input.sortOrder,
    currency: input.currency,
  };
}

export function toVideoListQuery(input: VideoListInput): WireQuery {
  return { ...toAnalyticsListQuery(input), account_type: input.accountType };
}

/** §2.2: exchanging an authorization code. */
export function toTokenGetQuery(authCode: string): WireQuery {
  return { auth_code: authCode, grant_type: 'authorized_code' };
}

/** §2.3: renewing with a refresh token. */
export function toTokenRefreshQuery(refreshToken: string): WireQuery {
  return { refresh_token: refreshToken, grant_type: 'refresh_token' };
}

/** §6.10: subscribing a topic to an address. */
export function toWebhookPutBody(subscription: WebhookSubscriptionInput): Record<string, string> {
  return { address: subscription.address, event_type: subscription.eventType };
}

/** §6.10: unsubscribing a topic. */
export function toWebhookDeleteBody(eventType: Known<WebhookEventType>): Record<string, string> {
  return { event_type: eventType };
}

// --- Response mappers --------------------------------------------------------------------------

/** TikTok's text of an enum field, told to `report` when it is not a known value (absent is not). */
function enumText(field: TikTokEnumField, value: unknown, report: UnknownValueReporter): string {
  const raw = toText(value);
  if (raw !== '' && knownValueOf(field, raw) === UNKNOWN) report(field, raw);
  return raw;
}

export function mapAuthorizedShops(raw: unknown, report: UnknownValueReporter): AuthorizedShop[] {
  const data = record(raw) as WireAuthorizedShopsData;
  return list(data.shops).map((shop) => ({
    id: toId(shop.id),
    name: toText(shop.name),
    region: toText(shop.region),
    // Stored as sent, so a gateway that learns the value later reads it (schema/shop.ts).
    sellerType: enumText('shop.seller_type', shop.seller_type, report),
    cipher: toText(shop.cipher),
    code: toText(shop.code),
  }));
}

export function mapTokenGrant(raw: unknown): TokenGrant {
  const data = record(raw) as WireTokenData;
  return {
    accessToken: toText(data.access_token),
    accessTokenExpiresAt: toNumber(data.access_token_expire_in),
    refreshToken: toText(data.refresh_token),
    refreshTokenExpiresAt: toNumber(data.refresh_token_expire_in),
    openId: toText(data.open_id),
    sellerName: toText(data.seller_name),
    sellerBaseRegion: toText(data.seller_base_region),
    userType: toNumber(data.user_type),
    grantedScopes: list(data.granted_scopes).map((scope) => toText(scope)),
  };
}

function mapSalesAttribute(
  attribute: NonNullable<WireSku['sales_attributes']>[number],
): SalesAttribute {
  return {
    id: toId(attribute.id),
    name: toText(attribute.name),
    valueId: toId(attribute.value_id),
    valueName: toText(attribute.value_name),
  };
}

export function mapSku(sku: WireSku): Sku {
  const currency = toText(sku.price?.currency);
  const taxExclusivePrice = toTextOrNull(sku.price?.tax_exclusive_price);
  return {
    id: toId(sku.id),
    sellerSku: toText(sku.seller_sku),
    price: toAmount(sku.price?.sale_price, currency),
    taxExclusivePrice: taxExclusivePrice === null ? null : { amount: taxExclusivePrice, currency },
    inventory: list(sku.inventory).map((stock) => ({
      warehouseId: toId(stock.warehouse_id),
      quantity: toNumber(stock.quantity),
    })),
    salesAttributes: list(sku.sales_attributes).map(mapSalesAttribute),
    externalSkuId: toTextOrNull(sku.external_sku_id) || null,
  };
}

export function mapProductSummary(
  product: WireProductSummary,
  report: UnknownValueReporter,
): ProductSummary {
  const status = enumText('product.status', product.status, report);
  return {
    id: toId(product.id),
    title: toText(product.title),
    status: knownValueOf('product.status', status),
    // Get Product may leave `status` out (§6.2): not reported is not a value.
    statusRaw: status || null,
    skus: list(product.skus).map(mapSku),
    salesRegions: list(product.sales_regions).map((region) => toText(region)),
    createdAt: fromUnixSeconds(product.create_time),
    updatedAt: fromUnixSeconds(product.update_time),
  };
}

function mapCategory(node: NonNullable<WireProduct['category_chains']>[number]): Category {
  return {
    id: toId(node.id),
    name: toText(node.local_name ?? node.name),
    // TikTok marks a root category with parent_id "0".
    parentId: node.parent_id === '0' || node.parent_id === 0 ? null : toIdOrNull(node.parent_id),
    isLeaf: node.is_leaf === true,
  };
}

function mapImage(image: NonNullable<WireProduct['main_images']>[number]): ProductImage {
  return {
    uri: toText(image.uri),
    urls: list(image.urls).map((url) => toText(url)),
    width: toNumberOrNull(image.width),
    height: toNumberOrNull(image.height),
  };
}

export function mapProduct(raw: unknown, report: UnknownValueReporter): Product {
  const wire = record(raw) as WireProduct;
  return {
    ...mapProductSummary(wire, report),
    description: toText(wire.description),
    categoryPath: list(wire.category_chains).map(mapCategory),
    brand:
      wire.brand && toId(wire.brand.id) !== ''
        ? { id: toId(wire.brand.id), name: toText(wire.brand.name) }
        : null,
    images: list(wire.main_images).map(mapImage),
  };
}

export function mapProductSearch(raw: unknown, report: UnknownValueReporter): Page<ProductSummary> {
  const data = record(raw) as WireProductSearchData;
  return toPage(data, data.products, (product) => mapProductSummary(product, report));
}

export function mapInventory(raw: unknown): ProductInventory[] {
  const data = record(raw) as WireInventoryData;
  return list(data.inventory).map((product) => ({
    productId: toId(product.product_id),
    skus: list(product.skus).map((sku) => ({
      id: toId(sku.id),
      sellerSku: toText(sku.seller_sku),
      totalAvailableQuantity: toNumber(sku.total_available_quantity),
      totalCommittedQuantity: toNumber(sku.total_committed_quantity),
      warehouses: list(sku.warehouse_inventory).map((stock) => ({
        warehouseId: toId(stock.warehouse_id),
        availableQuantity: toNumber(stock.available_quantity),
        committedQuantity: toNumber(stock.committed_quantity),
      })),
    })),
  }));
}

export function mapInventoryUpdate(raw: unknown): InventoryUpdateResult {
  const data = record(raw) as WireInventoryUpdateData;
  return {
    errors: list(data.errors).map((error) => ({
      code: toNumber(error.code),
      message: toText(error.message),
      skuId: toIdOrNull(error.detail?.sku_id),
      warehouseErrors: list(error.detail?.extra_errors).map((extra) => ({
        warehouseId: toId(extra.warehouse_id),
        code: toNumber(extra.code),
        message: toText(extra.message),
      })),
    })),
  };
}

export function mapWarehouses(raw: unknown): Warehouse[] {
  const data = record(raw) as { warehouses?: WireWarehouse[] };
  return list(data.warehouses).map((warehouse) => ({
    id: toId(warehouse.id),
    name: toText(warehouse.name),
    effectStatus: toText(warehouse.effect_status),
    type: toText(warehouse.type),
    subType: toTextOrNull(warehouse.sub_type),
    isDefault: warehouse.is_default === true,
    address: {
      region: toTextOrNull(warehouse.address?.region),
      city: toTextOrNull(warehouse.address?.city),
      postalCode: toTextOrNull(warehouse.address?.postal_code),
      fullAddress: toTextOrNull(warehouse.address?.full_address),
      regionCode: toTextOrNull(warehouse.address?.region_code),
    },
  }));
}

export function mapWebhooks(raw: unknown, report: UnknownValueReporter): WebhookSubscription[] {
  const data = record(raw) as WireWebhooksData;
  return list(data.webhooks).map((webhook) => {
    const eventType = enumText('webhook.event_type', webhook.event_type, report);
    return {
      eventType: knownValueOf('webhook.event_type', eventType),
      eventTypeRaw: eventType,
      address: toText(webhook.address),
      createdAt: fromUnixSeconds(webhook.create_time),
      updatedAt: fromUnixSeconds(webhook.update_time),
    };
  });
}

/** A write whose answer carries nothing to read (`data` is `{}` or absent, §6.10). */
export function mapNothing(): undefined {
  return undefined;
}

function mapLineItem(item: NonNullable<WireOrder['line_items']>[number]): LineItem {
  const currency = toText(item.currency);
  return {
    id: toId(item.id),
    productId: toId(item.product_id),
    skuId: toId(item.sku_id),
    productName: toText(item.product_name),
    skuName: toText(item.sku_name),
    sellerSku: toText(item.seller_sku),
    originalPrice: toAmount(item.original_price, currency),
    salePrice: toAmount(item.sale_price, currency),
    displayStatus: toText(item.display_status),
    packageId: toIdOrNull(item.package_id),
  };
}

export function mapOrder(order: WireOrder, report: UnknownValueReporter): Order {
  const payment = order.payment ?? {};
  const currency = toText(payment.currency);
  const address = order.recipient_address;
  const status = enumText('order.status', order.status, report);
  const shippingType = enumText('order.shipping_type', order.shipping_type, report);
  return {
    id: toId(order.id),
    status: knownValueOf('order.status', status),
    statusRaw: status,
    createdAt: fromUnixSeconds(order.create_time),
    updatedAt: fromUnixSeconds(order.update_time),
    paidAt: fromUnixSecondsOrNull(order.paid_time),
    buyerUserId: toId(order.user_id),
    shippingType: knownValueOf('order.shipping_type', shippingType),
    shippingTypeRaw: shippingType,
    warehouseId: toIdOrNull(order.warehouse_id),
    payment: {
      subTotal: toAmount(payment.sub_total, currency),
      shipping: toAmount(payment.shipping_fee, currency),
      discounts: {
        seller: toAmount(payment.seller_discount, currency),
        platform: toAmount(payment.platform_discount, currency),
      },
      tax: toAmount(payment.tax, currency),
      total: toAmount(payment.total_amount, currency),
    },
    // §6.6: withheld while UNPAID / ON_HOLD.
    recipient: address
      ? {
          name: toText(address.name),
          fullAddress: toText(address.full_address),
          regionCode: toText(address.region_code),
          phoneNumber: toTextOrNull(address.phone_number),
        }
      : null,
    lineItems: list(order.line_items).map(mapLineItem),
    packages: list(order.packages).map((pkg) => ({ id: toId(pkg.id) })),
  };
}

export function mapOrderSearch(raw: unknown, report: UnknownValueReporter): Page<Order> {
  const data = record(raw) as WireOrderSearchData;
  return toPage(data, data.orders, (order) => mapOrder(order, report));
}

export function mapOrders(raw: unknown, report: UnknownValueReporter): Order[] {
  const data = record(raw) as { orders?: WireOrder[] };
  return list(data.orders).map((order) => mapOrder(order, report));
}

// --- Analytics ---------------------------------------------------------------------------------

function latestAvailableDateOf(data: WireAnalyticsOverviewData): string | null {
  return toTextOrNull(data.latest_available_date) || null;
}

function intervalsOf(data: WireAnalyticsOverviewData, key: 'intervals' | 'comparison_intervals') {
  return list(record(data.performance)[key] as WireRecord[] | undefined).map(record);
}

function mapShopInterval(interval: WireRecord): ShopPerformanceInterval {
  return {
    ...toIntervalDates(interval),
    gmv: toMoney(interval.gmv),
    orders: toNumber(interval.orders),
    skuOrders: toNumber(interval.sku_orders),
    unitsSold: toNumber(interval.units_sold),
    buyers: toNumber(interval.buyers),
    averageOrderValue: toMoney(interval.avg_order_value),
    productImpressions: toNumber(interval.product_impressions),
    productPageViews: toNumber(interval.product_page_views),
    refunds: toMoney(interval.refunds),
  };
}

export function mapShopPerformance(raw: unknown): ShopPerformance {
  const data = record(raw) as WireAnalyticsOverviewData;
  return {
    latestAvailableDate: latestAvailableDateOf(data),
    intervals: intervalsOf(data, 'intervals').map(mapShopInterval),
    comparisonIntervals: intervalsOf(data, 'comparison_intervals').map(mapShopInterval),
  };
}

function mapProductInterval(interval: WireRecord): ProductPerformanceInterval {
  return {
    ...toIntervalDates(interval),
    gmv: toMoney(interval.gmv),
    orders: toNumber(interval.orders),
    unitsSold: toNumber(interval.units_sold),
    impressions: toNumber(interval.impressions),
    pageViews: toNumber(interval.page_views),
    clickThroughRate: toText(interval.click_through_rate, '0'),
  };
}

export function mapProductPerformance(raw: unknown): ProductPerformance {
  const data = record(raw) as WireAnalyticsOverviewData;
  return {
    latestAvailableDate: latestAvailableDateOf(data),
    intervals: intervalsOf(data, 'intervals').map(mapProductInterval),
  };
}

/** An analytics list page: the rows under `key` (one per endpoint, §6.8), mapped one by one. */
function toAnalyticsPage<T>(raw: unknown, key: string, mapRow: (row: WireRecord) => T): Page<T> {
  const data = record(raw) as WireAnalyticsListData;
  return toPage(data, list(data[key] as WireRecord[] | undefined).map(record), mapRow);
}

export function mapProductPerformanceList(raw: unknown): Page<ProductPerformanceRow> {
  return toAnalyticsPage(raw, 'products', (row) => ({
    productId: toId(row.id),
    gmv: toMoney(row.gmv),
    orders: toNumber(row.orders),
    unitsSold: toNumber(row.units_sold),
    clickThroughRate: toText(row.click_through_rate, '0'),
  }));
}

export function mapSkuPerformanceList(raw: unknown): Page<SkuPerformanceRow> {
  return toAnalyticsPage(raw, 'skus', (row) => ({
    skuId: toId(row.id),
    productId: toId(row.product_id),
    gmv: toMoney(row.gmv),
    skuOrders: toNumber(row.sku_orders),
    unitsSold: toNumber(row.units_sold),
  }));
}

export function mapVideoPerformanceList(raw: unknown): Page<VideoPerformanceRow> {
  return toAnalyticsPage(raw, 'videos', (row) => ({
    id: toId(row.id),
    title: toText(row.title),
    username: toText(row.username),
    postTime: toText(row.video_post_time),
    totals: {
      gmv: toMoney(row.gmv),
      skuOrders: toNumber(row.sku_orders),
      unitsSold: toNumber(row.units_sold),
      views: toNumber(row.views),
      clickThroughRate: toText(row.click_through_rate, '0'),
    },
    products: list(row.products as WireRecord[] | undefined).map((product) => ({
      id: toId(record(product).id),
      name: toText(record(product).name),
    })),
  }));
}

function mapVideoInterval(interval: WireRecord): VideoPerformanceInterval {
  return {
    ...toIntervalDates(interval),
    gmv: toMoney(interval.gmv),
    clickThroughRate: toText(interval.click_through_rate, '0'),
    dailyAverageBuyers: toNumber(interval.daily_avg_buyers),
    views: toNumber(interval.views),
  };
}

export function mapVideoPerformance(raw: unknown): VideoPerformance {
  const data = record(raw) as WireAnalyticsOverviewData;
  const engagement = record(data.engagement_data);
  return {
    latestAvailableDate: latestAvailableDateOf(data),
    intervals: intervalsOf(data, 'intervals').map(mapVideoInterval),
    engagement: {
      likes: toNumber(engagement.total_likes),
      shares: toNumber(engagement.total_shares),
      comments: toNumber(engagement.total_comments),
      views: toNumber(engagement.total_views),
    },
  };
}

export function mapVideoProducts(raw: unknown): Page<VideoProductRow> {
  return toAnalyticsPage(raw, 'products', (row) => ({
    productId: toId(row.id),
    name: toText(row.name),
    gmv: toMoney(row.gmv),
    unitsSold: toNumber(row.units_sold),
    dailyAverageBuyers: toNumber(row.daily_avg_buyers),
  }));
}

export function mapLiveSessions(raw: unknown): Page<LiveSession> {
  return toAnalyticsPage(raw, 'live_stream_sessions', (row) => {
    const sales = record(row.sales_performance);
    const interaction = record(row.interaction_performance);
    return {
      id: toId(row.id),
      title: toText(row.title),
      username: toText(row.username),
      startedAt: fromUnixSeconds(row.start_time),
      endedAt: fromUnixSeconds(row.end_time),
      sales: {
        gmv: toMoney(sales.gmv),
        skuOrders: toNumber(sales.sku_orders),
        // The LIVE list spells it `unit_sold`; `units_sold` is what the other analytics use.
        unitsSold: toNumber(sales.unit_sold ?? sales.units_sold),
        customers: toNumber(sales.customers),
      },
      interaction: {
        viewers: toNumber(interaction.viewers),
        views: toNumber(interaction.views),
        likes: toNumber(interaction.likes),
        comments: toNumber(interaction.comments),
        shares: toNumber(interaction.shares),
      },
    };
  });
}
