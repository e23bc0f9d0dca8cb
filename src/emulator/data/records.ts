// In-memory records of the emulator's store. camelCase and integer cents here; the routes turn
// them into TikTok's snake_case wire shapes.

import type { StoreShop } from '../route-types.js';
import type { ShopAnalytics } from './analytics.js';

export const PRODUCT_STATUSES = [
  'ACTIVATE',
  'DRAFT',
  'PENDING',
  'FAILED',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** §6.6, in the order a healthy order moves through them (CANCELLED last). */
export const ORDER_STATUSES = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Where an order came from; drives the LIVE / VIDEO / PRODUCT_CARD analytics breakdowns. */
export const SALES_SOURCES = ['LIVE', 'VIDEO', 'PRODUCT_CARD'] as const;
export type SalesSource = (typeof SALES_SOURCES)[number];

export interface WarehouseRecord {
  id: string;
  name: string;
  effectStatus: 'ENABLED' | 'DISABLED' | 'RESTRICTED';
  type: 'SALES_WAREHOUSE' | 'RETURN_WAREHOUSE';
  subType: string;
  isDefault: boolean;
  address: {
    region: string;
    state: string;
    city: string;
    postalCode: string;
    fullAddress: string;
    regionCode: string;
    contactPerson: string;
    phoneNumber: string;
  };
}

export interface SkuStock {
  warehouseId: string;
  /** Sellable units; what Update Inventory sets. */
  available: number;
  /** Units reserved by unshipped orders. */
  committed: number;
}

export interface SalesAttributeRecord {
  id: string;
  name: string;
  valueId: string;
  valueName: string;
}

export interface SkuRecord {
  id: string;
  productId: string;
  sellerSku: string;
  /** "Red, M": what order line items show as `sku_name`. */
  name: string;
  currency: string;
  priceCents: number;
  taxExclusivePriceCents: number;
  salesAttributes: SalesAttributeRecord[];
  /** Mutable: Update Inventory writes here. */
  stock: SkuStock[];
  externalSkuId: string | null;
}

export interface CategoryNodeRecord {
  id: string;
  parentId: string;
  localName: string;
  isLeaf: boolean;
}

export interface ImageRecord {
  uri: string;
  urls: string[];
  width: number;
  height: number;
}

export interface ProductRecord {
  id: string;
  /** Position in generation order; seeds the per-day traffic numbers. */
  ordinal: number;
  title: string;
  description: string;
  status: ProductStatus;
  categoryChain: CategoryNodeRecord[];
  brand: { id: string; name: string } | null;
  images: ImageRecord[];
  packageWeightGrams: number;
  packageDimensionsCm: { length: number; width: number; height: number };
  attributes: Array<{ id: string; name: string; values: Array<{ id: string; name: string }> }>;
  auditFailedReasons: Array<{ position: string; reasons: string[]; suggestions: string[] }>;
  skus: SkuRecord[];
  salesRegions: string[];
  /** Unix seconds. */
  createTime: number;
  /** Unix seconds; bumped by inventory writes. */
  updateTime: number;
  /** Relative popularity (1 = most popular); scales impressions and how often it is ordered. */
  popularity: number;
}

/** One unit of one SKU. Its product and SKU names are read from the catalog, which never renames. */
export interface LineItemRecord {
  id: string;
  productId: string;
  skuId: string;
  sellerSku: string;
  originalPriceCents: number;
  salePriceCents: number;
  displayStatus: OrderStatus;
  packageId: string | null;
}

export interface RecipientRecord {
  name: string;
  phoneNumber: string;
  fullAddress: string;
  addressDetail: string;
  postalCode: string;
  regionCode: string;
}

export interface OrderRecord {
  id: string;
  status: OrderStatus;
  /** Unix seconds. */
  createTime: number;
  updateTime: number;
  paidTime: number | null;
  userId: string;
  shippingType: 'TIKTOK' | 'SELLER';
  warehouseId: string;
  currency: string;
  subTotalCents: number;
  shippingFeeCents: number;
  sellerDiscountCents: number;
  platformDiscountCents: number;
  taxCents: number;
  /** subTotal + shippingFee − sellerDiscount − platformDiscount + tax. */
  totalCents: number;
  /** Always generated; the wire withholds it while UNPAID / ON_HOLD. */
  recipient: RecipientRecord;
  lineItems: LineItemRecord[];
  packages: Array<{ id: string }>;
  isBuyerRequestCancel: boolean;
  cancelReason: string | null;
  buyerMessage: string;
  source: SalesSource;
  /** Video or LIVE id the order is attributed to (null for PRODUCT_CARD). */
  contentId: string | null;
}

export interface VideoRecord {
  id: string;
  title: string;
  username: string;
  accountType: 'LINKED_ACCOUNTS' | 'AFFILIATES';
  /** Unix seconds. */
  postTime: number;
  productIds: string[];
  /** Views on the day of posting; later days decay from it. */
  firstDayViews: number;
  /** Product clicks per view. */
  clickRate: number;
  likeRate: number;
  shareRate: number;
  commentRate: number;
}

export interface LiveRecord {
  id: string;
  title: string;
  username: string;
  accountType: 'OFFICIAL_ACCOUNTS' | 'MARKETING_ACCOUNTS' | 'AFFILIATE_ACCOUNTS';
  /** Unix seconds. */
  startTime: number;
  endTime: number;
  productIds: string[];
  viewers: number;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  newFollowers: number;
  peakConcurrentUsers: number;
  productImpressions: number;
  productClicks: number;
}

export interface WebhookRecord {
  eventType: string;
  address: string;
  createTime: number;
  updateTime: number;
}

/** Everything generated for one shop, plus its mutable state. */
export interface ShopData {
  shop: StoreShop;
  warehouses: WarehouseRecord[];
  products: ProductRecord[];
  productById: Map<string, ProductRecord>;
  skuById: Map<string, SkuRecord>;
  /** Sorted by create_time ascending (ids grow with it). Generated on first access. */
  readonly orders: OrderRecord[];
  readonly orderById: Map<string, OrderRecord>;
  videos: VideoRecord[];
  videoById: Map<string, VideoRecord>;
  lives: LiveRecord[];
  liveById: Map<string, LiveRecord>;
  /** Event API subscriptions (§6.10), keyed by event type. */
  webhooks: Map<string, WebhookRecord>;
  /** Daily buckets and indexes over the orders, built on first use. */
  analytics(): ShopAnalytics;
}
