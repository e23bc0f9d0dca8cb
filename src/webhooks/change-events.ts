// The changes the GraphQL subscriptions stream (issue 13), read from a TikTokEvent's §8 `data`
// into camelCase shapes: snake_case stops here. Each reader answers undefined for an event that is
// not its kind of change, or lacks the id it needs to name the object changed.
import { type EnumValue, knownValueOf } from '../datasources/tiktok/enums.js';
import { messageOf, noticeOf } from './authorization-notices.js';
import {
  EVENT_TYPES,
  INVENTORY_STATUS_CHANGE,
  ORDER_STATUS_CHANGE,
  SELLER_DEAUTHORIZATION,
  UPCOMING_AUTHORIZATION_EXPIRATION,
} from './event-types.js';
import type { TikTokEvent } from './tiktok-event.js';

export interface OrderStatusChange {
  shopId: string;
  orderId: string;
  status: EnumValue<'order.status'>;
  /** `order_status` as TikTok sent it. */
  statusRaw: string;
  /** `update_time`, else when TikTok sent the event. */
  updateTime: Date;
}

/** What a product event reports, by §8 type (`type` keeps the number). */
export const PRODUCT_CHANGE_KINDS = {
  CREATED: 16,
  INFORMATION_CHANGED: 15,
  STATUS_CHANGED: 5,
  AUDIT_CHANGED: 37,
  CATEGORY_CHANGED: 18,
} as const;

export type ProductChangeKind = keyof typeof PRODUCT_CHANGE_KINDS | 'UNKNOWN';

export interface ProductChange {
  shopId: string;
  productId: string;
  kind: ProductChangeKind;
  /** The §8 type: what to read when `kind` is UNKNOWN. */
  type: number;
  updateTime: Date;
}

export interface InventoryStatusChange {
  shopId: string;
  productId: string;
  skuId: string;
  status: EnumValue<'inventory.current_inventory_status'>;
  /** `current_inventory_status` as TikTok sent it. */
  statusRaw: string;
  updateTime: Date;
}

export interface SellerAuthorizationChange {
  shopId: string;
  kind: 'DEAUTHORIZED' | 'EXPIRING';
  /** When TikTok sent the event. */
  occurredAt: Date;
  /** `expiration_time` of an EXPIRING change. */
  expiresAt: Date | null;
  /** TikTok's free text. */
  message: string | null;
}

const idIn = (data: Record<string, unknown>, field: string): string | undefined => {
  const value = data[field];
  return (typeof value === 'string' && value !== '') || typeof value === 'number'
    ? String(value)
    : undefined;
};

const textIn = (data: Record<string, unknown>, field: string): string | undefined => {
  const value = data[field];
  return typeof value === 'string' ? value : undefined;
};

const updateTimeOf = (event: TikTokEvent) => new Date((event.updateTime ?? event.timestamp) * 1000);

export function orderStatusChangeOf(event: TikTokEvent): OrderStatusChange | undefined {
  if (event.type !== ORDER_STATUS_CHANGE) return undefined;
  const orderId = idIn(event.data, 'order_id');
  if (orderId === undefined) return undefined;
  const statusRaw = textIn(event.data, 'order_status') ?? '';
  return {
    shopId: event.shopId,
    orderId,
    status: knownValueOf('order.status', statusRaw),
    statusRaw,
    updateTime: updateTimeOf(event),
  };
}

const KIND_OF_TYPE = new Map<number, ProductChangeKind>(
  Object.entries(PRODUCT_CHANGE_KINDS).map(([kind, type]) => [type, kind as ProductChangeKind]),
);

/** A product event (event-types.ts: it makes the product stale), inventory status aside. */
export function productChangeOf(event: TikTokEvent): ProductChange | undefined {
  const isProductEvent = EVENT_TYPES.get(event.type)?.staleness === 'product';
  if (!isProductEvent || event.type === INVENTORY_STATUS_CHANGE) return undefined;
  const productId = idIn(event.data, 'product_id');
  if (productId === undefined) return undefined;
  return {
    shopId: event.shopId,
    productId,
    kind: KIND_OF_TYPE.get(event.type) ?? 'UNKNOWN',
    type: event.type,
    updateTime: updateTimeOf(event),
  };
}

export function inventoryStatusChangeOf(event: TikTokEvent): InventoryStatusChange | undefined {
  if (event.type !== INVENTORY_STATUS_CHANGE) return undefined;
  const productId = idIn(event.data, 'product_id');
  const skuId = idIn(event.data, 'sku_id');
  if (productId === undefined || skuId === undefined) return undefined;
  const statusRaw = textIn(event.data, 'current_inventory_status') ?? '';
  return {
    shopId: event.shopId,
    productId,
    skuId,
    status: knownValueOf('inventory.current_inventory_status', statusRaw),
    statusRaw,
    updateTime: updateTimeOf(event),
  };
}

export function sellerAuthorizationChangeOf(
  event: TikTokEvent,
): SellerAuthorizationChange | undefined {
  const kind =
    event.type === SELLER_DEAUTHORIZATION
      ? 'DEAUTHORIZED'
      : event.type === UPCOMING_AUTHORIZATION_EXPIRATION
        ? 'EXPIRING'
        : undefined;
  if (kind === undefined) return undefined;
  const expiresAt = noticeOf(event)?.expiresAt;
  return {
    shopId: event.shopId,
    kind,
    occurredAt: new Date(event.timestamp * 1000),
    expiresAt: expiresAt === undefined ? null : new Date(expiresAt * 1000),
    message: messageOf(event) ?? null,
  };
}
