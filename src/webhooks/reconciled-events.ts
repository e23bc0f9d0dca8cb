// What the reconciler publishes for a change no webhook reported (issue 13): the webhook TikTok would
// have sent, in the same TikTokEvent shape, built from what a search answer says. A search tells
// the object's current state and update_time, not what changed: an order gives
// ORDER_STATUS_CHANGE (1) with its current status; a product PRODUCT_CREATION (16) when created
// since the cursor, else PRODUCT_INFORMATION_CHANGE (15) without `changed_fields`.
import type { Order, ProductSummary } from '../datasources/tiktok/types.js';
import type { TikTokEvent } from './tiktok-event.js';

export const ORDER_STATUS_CHANGE = 1;
export const PRODUCT_INFORMATION_CHANGE = 15;
export const PRODUCT_CREATION = 16;

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

function reconciledEvent(input: {
  type: number;
  shopId: string;
  id: string;
  updateTime: number;
  nowSeconds: number;
  data: Record<string, unknown>;
}): TikTokEvent {
  const { type, shopId, id, updateTime } = input;
  return {
    type,
    shopId,
    // The same change found twice has the same id; another change of the object another one.
    notificationId: `reconciled:${type}:${id}:${updateTime}`,
    timestamp: input.nowSeconds,
    data: { ...input.data, update_time: updateTime },
    updateTime,
    source: 'reconciler',
  };
}

export function orderEvent(shopId: string, order: Order, nowSeconds: number): TikTokEvent {
  return reconciledEvent({
    type: ORDER_STATUS_CHANGE,
    shopId,
    id: order.id,
    updateTime: unixSeconds(order.updatedAt),
    nowSeconds,
    data: { order_id: order.id, order_status: order.statusRaw },
  });
}

/** `sinceSeconds`: the cursor the search started from (a product created at or after it is new). */
export function productEvent(
  shopId: string,
  product: ProductSummary,
  sinceSeconds: number,
  nowSeconds: number,
): TikTokEvent {
  const isNew = unixSeconds(product.createdAt) >= sinceSeconds;
  return reconciledEvent({
    type: isNew ? PRODUCT_CREATION : PRODUCT_INFORMATION_CHANGE,
    shopId,
    id: product.id,
    updateTime: unixSeconds(product.updatedAt),
    nowSeconds,
    data: { product_id: product.id },
  });
}
