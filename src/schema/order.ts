// Orders: search (§6.6) and batched detail (§6.7), line items linked to products and SKUs.
import type {
  OrderLineItem,
  OrderPayment as OrderPaymentShape,
  OrderSearchFilter,
  Order as OrderShape,
  RecipientAddress,
} from '../datasources/tiktok/types.js';
import { builder } from './builder.js';
import {
  addDecimals,
  fromUnixSeconds,
  Money,
  parseId,
  parseIds,
  resolveShopScope,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  SortDirection,
  scoped,
  toUnixSeconds,
} from './common.js';
import { connectionType, fetchConnection, pageArgs, parsePageArgs } from './connection.js';
import { badUserInput } from './errors.js';
import { Product, Sku, skusOf } from './product.js';

export const OrderStatus = builder.enumType('OrderStatus', {
  description: 'Where an order is in its lifecycle (§6.6).',
  values: {
    UNPAID: { description: 'Placed, payment not completed.' },
    ON_HOLD: { description: 'Paid; held briefly so the buyer can cancel.' },
    AWAITING_SHIPMENT: { description: 'Ready for the seller to ship.' },
    PARTIALLY_SHIPPING: { description: 'Some items shipped.' },
    AWAITING_COLLECTION: { description: 'Waiting for the carrier to collect.' },
    IN_TRANSIT: { description: 'With the carrier.' },
    DELIVERED: { description: 'Delivered to the buyer.' },
    COMPLETED: { description: 'Closed after delivery.' },
    CANCELLED: { description: 'Cancelled.' },
  },
});

type OrderStatusValue = (typeof OrderStatus)['$inferType'];

export const ShippingType = builder.enumType('ShippingType', {
  description: 'Who arranges shipping.',
  values: {
    TIKTOK: { description: 'Shipped with TikTok Shipping.' },
    SELLER: { description: 'Shipped by the seller.' },
  },
});

export const Order = builder.objectRef<Scoped<OrderShape>>('Order');
const LineItem = builder.objectRef<Scoped<OrderLineItem>>('LineItem');

const money = (amount: string, currency: string) => ({ amount, currency });

const OrderDiscounts = builder.objectRef<OrderPaymentShape>('OrderDiscounts').implement({
  description: 'Discounts applied to an order, by who funds them.',
  fields: (t) => ({
    seller: t.field({
      type: Money,
      description: 'Funded by the seller.',
      resolve: (p) => money(p.sellerDiscount, p.currency),
    }),
    platform: t.field({
      type: Money,
      description: 'Funded by TikTok.',
      resolve: (p) => money(p.platformDiscount, p.currency),
    }),
    total: t.field({
      type: Money,
      description: 'Seller plus platform discounts (exact decimal sum).',
      resolve: (p) => money(addDecimals(p.sellerDiscount, p.platformDiscount), p.currency),
    }),
  }),
});

const OrderPayment = builder.objectRef<OrderPaymentShape>('OrderPayment').implement({
  description: 'What the buyer pays, in the order currency.',
  fields: (t) => ({
    subTotal: t.field({
      type: Money,
      description: 'Items before shipping, discounts and tax.',
      resolve: (p) => money(p.subTotal, p.currency),
    }),
    shipping: t.field({
      type: Money,
      description: 'Shipping fee.',
      resolve: (p) => money(p.shippingFee, p.currency),
    }),
    discounts: t.field({
      type: OrderDiscounts,
      description: 'Discounts, by who funds them.',
      resolve: (p) => p,
    }),
    tax: t.field({ type: Money, description: 'Tax.', resolve: (p) => money(p.tax, p.currency) }),
    total: t.field({
      type: Money,
      description: "TikTok's total amount the buyer pays.",
      resolve: (p) => money(p.totalAmount, p.currency),
    }),
  }),
});

const Recipient = builder.objectRef<RecipientAddress>('Recipient').implement({
  description: 'Where an order ships to.',
  fields: (t) => ({
    name: t.exposeString('name', { description: "Recipient's name." }),
    fullAddress: t.exposeString('fullAddress', { description: 'The address on one line.' }),
    regionCode: t.exposeString('regionCode', { description: 'Two-letter region code.' }),
    phoneNumber: t.exposeString('phoneNumber', {
      nullable: true,
      description: 'Phone number, when TikTok shares it.',
    }),
  }),
});

const Package = builder.objectRef<{ id: string }>('Package').implement({
  description: 'A shipment package of an order.',
  fields: (t) => ({ id: t.exposeID('id', { description: "TikTok's package id." }) }),
});

LineItem.implement({
  description: 'One unit of one SKU in an order (TikTok lists each unit as its own line).',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's line item id." }),
    productId: t.exposeID('productId', { description: "TikTok's id of the product." }),
    skuId: t.exposeID('skuId', { description: "TikTok's id of the SKU." }),
    productName: t.exposeString('productName', { description: 'Product title at purchase.' }),
    skuName: t.exposeString('skuName', { description: 'Variant name at purchase, e.g. "Red, M".' }),
    sellerSku: t.exposeString('sellerSku', { description: "The seller's SKU code." }),
    salePrice: t.field({
      type: Money,
      description: 'Price paid for the unit.',
      resolve: (item) => money(item.salePrice, item.currency),
    }),
    originalPrice: t.field({
      type: Money,
      description: 'List price before discounts.',
      resolve: (item) => money(item.originalPrice, item.currency),
    }),
    displayStatus: t.exposeString('displayStatus', {
      description: 'Status of this line as TikTok shows it (an OrderStatus value).',
    }),
    packageId: t.exposeID('packageId', {
      nullable: true,
      description: 'Package the unit ships in, once packed.',
    }),
    product: t.field({
      type: Product,
      authScopes: { 'product.read': true },
      nullable: true,
      description:
        'The product (Get Product, deduplicated per request and cached); null if it can no ' +
        'longer be read.',
      resolve: async (item) => {
        const product = await item.scope.loaders.productById.load(item.productId);
        return product ? scoped(item.scope, product) : null;
      },
    }),
    sku: t.field({
      type: Sku,
      authScopes: { 'product.read': true },
      nullable: true,
      description: 'The SKU, from the product detail; null if it no longer exists.',
      resolve: async (item) => {
        const product = await item.scope.loaders.productById.load(item.productId);
        if (!product) return null;
        return skusOf(scoped(item.scope, product)).find((sku) => sku.id === item.skuId) ?? null;
      },
    }),
  }),
});

Order.implement({
  description: 'An order. Search results carry full orders, so listing costs one call per page.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's order id (a decimal string)." }),
    status: t.field({
      type: OrderStatus,
      description: 'Lifecycle status.',
      resolve: (order) => order.status as OrderStatusValue,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the order was placed.',
      resolve: (order) => fromUnixSeconds(order.createTime),
    }),
    paidAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was paid; null while unpaid.',
      resolve: (order) => (order.paidTime === null ? null : fromUnixSeconds(order.paidTime)),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the order last changed.',
      resolve: (order) => fromUnixSeconds(order.updateTime),
    }),
    payment: t.field({
      type: OrderPayment,
      description: 'Amounts the buyer pays.',
      resolve: (order) => order.payment,
    }),
    buyerUserId: t.exposeID('buyerUserId', { description: "TikTok's id of the buyer." }),
    shippingType: t.field({
      type: ShippingType,
      description: 'Who arranges shipping.',
      resolve: (order) => order.shippingType as 'TIKTOK' | 'SELLER',
    }),
    warehouseId: t.exposeID('warehouseId', {
      nullable: true,
      description: 'Warehouse the order ships from.',
    }),
    recipient: t.field({
      type: Recipient,
      nullable: true,
      description: 'Shipping address; null while TikTok withholds it (UNPAID, ON_HOLD).',
      resolve: (order) => order.recipientAddress,
    }),
    lineItems: t.field({
      type: [LineItem],
      description: 'The units ordered.',
      resolve: (order) => order.lineItems.map((item) => scoped(order.scope, item)),
    }),
    packages: t.field({
      type: [Package],
      description: 'Shipment packages.',
      resolve: (order) => order.packages,
    }),
  }),
});

const OrderConnection = connectionType(Order, 'Order', 'orders');

const OrderFilter = builder.inputType('OrderFilter', {
  description: 'Narrows an order search. All conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: OrderStatus, description: 'Only this status.' }),
    createdFrom: t.field({ type: 'DateTime', description: 'Placed at or after (inclusive).' }),
    createdBefore: t.field({ type: 'DateTime', description: 'Placed before (exclusive).' }),
    updatedFrom: t.field({ type: 'DateTime', description: 'Updated at or after (inclusive).' }),
    updatedBefore: t.field({ type: 'DateTime', description: 'Updated before (exclusive).' }),
    shippingType: t.field({ type: ShippingType, description: 'Only this shipping type.' }),
    buyerUserId: t.id({ description: 'Only orders of this buyer.' }),
    warehouseIds: t.idList({ description: 'Only orders shipping from these warehouses.' }),
  }),
});

const OrderSortField = builder.enumType('OrderSortField', {
  description: 'What orders are sorted by.',
  values: {
    CREATED_AT: { value: 'create_time', description: 'Time placed.' },
    UPDATED_AT: { value: 'update_time', description: 'Time of the last change.' },
  },
});

const OrderSort = builder.inputType('OrderSort', {
  description: 'Order of an order search (default: newest placed first).',
  fields: (t) => ({
    field: t.field({ type: OrderSortField, defaultValue: 'create_time', description: 'Key.' }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC', description: 'Direction.' }),
  }),
});

function toOrderSearchFilter(filter: (typeof OrderFilter)['$inferInput'] | null | undefined) {
  const result: OrderSearchFilter = {};
  if (!filter) return result;
  const checkRange = (
    from: Date | null | undefined,
    before: Date | null | undefined,
    name: string,
  ) => {
    if (from && before && before.getTime() <= from.getTime()) {
      throw badUserInput(`filter.${name}Before must be after filter.${name}From.`, 'filter');
    }
  };
  checkRange(filter.createdFrom, filter.createdBefore, 'created');
  checkRange(filter.updatedFrom, filter.updatedBefore, 'updated');
  if (filter.status) result.orderStatus = filter.status;
  if (filter.createdFrom) result.createTimeGe = toUnixSeconds(filter.createdFrom);
  if (filter.createdBefore) result.createTimeLt = toUnixSeconds(filter.createdBefore);
  if (filter.updatedFrom) result.updateTimeGe = toUnixSeconds(filter.updatedFrom);
  if (filter.updatedBefore) result.updateTimeLt = toUnixSeconds(filter.updatedBefore);
  if (filter.shippingType) result.shippingType = filter.shippingType;
  if (filter.buyerUserId) result.buyerUserId = parseId(filter.buyerUserId, 'filter.buyerUserId');
  if (filter.warehouseIds) {
    result.warehouseIds = parseIds(filter.warehouseIds, 'filter.warehouseIds', 100);
  }
  return result;
}

builder.queryFields((t) => ({
  orders: t.field({
    type: OrderConnection,
    authScopes: { 'order.read': true },
    nullable: true,
    description: 'Orders of the shop (Order Search). One upstream call per page.',
    args: {
      ...pageArgs(t.arg),
      filter: t.arg({ type: OrderFilter, description: 'Conditions the orders must meet.' }),
      sort: t.arg({ type: OrderSort, description: 'Sort order (default: newest first).' }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const page = parsePageArgs('orders', args);
      const filter = toOrderSearchFilter(args.filter);
      const sortField = args.sort?.field ?? 'create_time';
      const sortOrder = args.sort?.direction ?? 'DESC';
      const scope = await resolveShopScope(ctx, args.shopId);
      return fetchConnection(
        page,
        (position) => scope.loaders.searchOrders({ ...position, filter, sortField, sortOrder }),
        (order) => scoped(scope, order),
      );
    },
  }),
  order: t.field({
    type: Order,
    authScopes: { 'order.read': true },
    nullable: true,
    description: 'One order by id (batched: up to 50 per call); null when not found.',
    args: {
      id: t.arg.id({ required: true, description: "TikTok's order id." }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const scope = await resolveShopScope(ctx, args.shopId);
      const order = await scope.loaders.orderById.load(id);
      return order ? scoped(scope, order) : null;
    },
  }),
}));
