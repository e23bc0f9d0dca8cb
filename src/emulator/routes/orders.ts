// Order Search (§6.6) and Get Order Detail (§6.7).

import { formatCents } from '../data/money.js';
import { ORDER_STATUSES, type OrderRecord, type ShopData } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import { compareIds, fingerprintOf, pageAnswer, paginate, readPageSize } from './pagination.js';
import { shopRoutes } from './shop-route.js';
import {
  bodyBoolean,
  bodyEnum,
  bodyInteger,
  bodyString,
  bodyStringArray,
  CODES,
  invalidParam,
  queryEnum,
  RouteFailure,
  readBody,
  shownId,
} from './validation.js';

/** Most ids one Get Order Detail call takes (§6.7). */
export const MAX_ORDER_DETAIL_IDS = 50;

/** TikTok withholds the address until the order is paid and off hold (§6.6). */
const ADDRESS_WITHHELD: ReadonlySet<string> = new Set(['UNPAID', 'ON_HOLD']);

export function orderToWire(order: OrderRecord, data: ShopData) {
  const originalTotal = order.lineItems.reduce((sum, item) => sum + item.originalPriceCents, 0);
  return {
    id: order.id,
    status: order.status,
    create_time: order.createTime,
    update_time: order.updateTime,
    paid_time: order.paidTime,
    user_id: order.userId,
    shipping_type: order.shippingType,
    warehouse_id: order.warehouseId,
    fulfillment_type: 'FULFILLMENT_BY_SELLER',
    is_on_hold_order: order.status === 'ON_HOLD',
    is_buyer_request_cancel: order.isBuyerRequestCancel,
    buyer_message: order.buyerMessage,
    ...(order.cancelReason ? { cancel_reason: order.cancelReason } : {}),
    payment: {
      currency: order.currency,
      sub_total: formatCents(order.subTotalCents),
      shipping_fee: formatCents(order.shippingFeeCents),
      seller_discount: formatCents(order.sellerDiscountCents),
      platform_discount: formatCents(order.platformDiscountCents),
      tax: formatCents(order.taxCents),
      total_amount: formatCents(order.totalCents),
      original_total_product_price: formatCents(originalTotal),
      original_shipping_fee: formatCents(order.shippingFeeCents),
    },
    ...(ADDRESS_WITHHELD.has(order.status)
      ? {}
      : {
          recipient_address: {
            name: order.recipient.name,
            phone_number: order.recipient.phoneNumber,
            full_address: order.recipient.fullAddress,
            address_detail: order.recipient.addressDetail,
            postal_code: order.recipient.postalCode,
            region_code: order.recipient.regionCode,
          },
        }),
    line_items: order.lineItems.map((item) => ({
      id: item.id,
      product_id: item.productId,
      sku_id: item.skuId,
      product_name: data.productById.get(item.productId)!.title,
      sku_name: data.skuById.get(item.skuId)!.name,
      seller_sku: item.sellerSku,
      original_price: formatCents(item.originalPriceCents),
      sale_price: formatCents(item.salePriceCents),
      currency: order.currency,
      display_status: item.displayStatus,
      ...(item.packageId ? { package_id: item.packageId } : {}),
    })),
    packages: order.packages.map((pkg) => ({ id: pkg.id })),
  };
}

const SORT_FIELDS = ['create_time', 'update_time'] as const;
const SORT_ORDERS = ['DESC', 'ASC'] as const;

export function createOrderRoutes(store: EmulatorStore): RouteDefinition[] {
  const route = shopRoutes(store, SCOPES.orderRead);
  return [
    route(
      'order.search',
      'POST /order/202309/orders/search',
      (request, data) => {
        const pageSize = readPageSize(request, CODES.invalidParams);
        const sortField = queryEnum(request.query, 'sort_field', SORT_FIELDS, 'create_time');
        const sortOrder = queryEnum(request.query, 'sort_order', SORT_ORDERS, 'DESC');
        const body = readBody(request);
        const filter = {
          status: bodyEnum(body, 'order_status', ORDER_STATUSES),
          createTimeGe: bodyInteger(body, 'create_time_ge'),
          createTimeLt: bodyInteger(body, 'create_time_lt'),
          updateTimeGe: bodyInteger(body, 'update_time_ge'),
          updateTimeLt: bodyInteger(body, 'update_time_lt'),
          shippingType: bodyEnum(body, 'shipping_type', ['TIKTOK', 'SELLER'] as const),
          buyerUserId: bodyString(body, 'buyer_user_id'),
          isBuyerRequestCancel: bodyBoolean(body, 'is_buyer_request_cancel'),
          warehouseIds: bodyStringArray(body, 'warehouse_ids'),
        };
        const warehouseSet = filter.warehouseIds?.length ? new Set(filter.warehouseIds) : null;

        const matches = data.orders.filter(
          (order) =>
            (filter.status === undefined || order.status === filter.status) &&
            (filter.createTimeGe === undefined || order.createTime >= filter.createTimeGe) &&
            (filter.createTimeLt === undefined || order.createTime < filter.createTimeLt) &&
            (filter.updateTimeGe === undefined || order.updateTime >= filter.updateTimeGe) &&
            (filter.updateTimeLt === undefined || order.updateTime < filter.updateTimeLt) &&
            (filter.shippingType === undefined || order.shippingType === filter.shippingType) &&
            (filter.buyerUserId === undefined || order.userId === filter.buyerUserId) &&
            (filter.isBuyerRequestCancel === undefined ||
              order.isBuyerRequestCancel === filter.isBuyerRequestCancel) &&
            (!warehouseSet || warehouseSet.has(order.warehouseId)),
        );
        const key = sortField === 'create_time' ? 'createTime' : 'updateTime';
        const direction = sortOrder === 'ASC' ? 1 : -1;
        matches.sort((a, b) => direction * (a[key] - b[key] || compareIds(a, b)));

        const page = paginate(matches, {
          pageSize,
          pageToken: request.query.page_token,
          fingerprint: fingerprintOf('order.search', data.shop.id, sortField, sortOrder, filter),
        });
        return pageAnswer(page, 'orders', (order) => orderToWire(order, data));
      },
      // §6.6: every filter is optional; with none a client sends no body.
      { isBodyOptional: true },
    ),

    route('order.detail', 'GET /order/202309/orders', (request, data) => {
      const ids = [
        ...new Set(
          (request.query.ids ?? '')
            .split(',')
            .map((id) => id.trim())
            .filter((id) => id !== ''),
        ),
      ];
      if (ids.length === 0) throw invalidParam("'ids' is required.");
      if (ids.length > MAX_ORDER_DETAIL_IDS) {
        throw invalidParam(`Too many 'ids': at most ${MAX_ORDER_DETAIL_IDS} per call.`);
      }
      const orders = ids.map((id) => {
        const order = data.orderById.get(id);
        // One unknown or foreign id fails the whole call, as TikTok does (§6.7).
        if (!order) {
          throw new RouteFailure(
            CODES.orderNotOwned,
            `Order ${shownId(id)} does not exist or does not belong to this shop.`,
            404,
          );
        }
        return order;
      });
      return { orders: orders.map((order) => orderToWire(order, data)) };
    }),
  ];
}
