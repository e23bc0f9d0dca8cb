// Orders: search (§6.6) and batched detail (§6.7), line items linked to products and SKUs.
import type {
  LineItem as LineItemShape,
  OrderDiscounts as OrderDiscountsShape,
  OrderPayment as OrderPaymentShape,
  OrderSearchFilter,
  Order as OrderShape,
  Recipient as RecipientShape,
} from '../datasources/tiktok/types.js';
import { builder } from './builder.js';
import {
  addDecimals,
  checkTimeWindow,
  Money,
  parseId,
  parseIds,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  scoped,
  shopItemById,
} from './common.js';
import { connectionType, nodesOf, pageArgs, parsePageArgs, shopConnection } from './connection.js';
import { exposeAmounts } from './expose.js';
import { prefetchBelow } from './prefetch.js';
import { productField, skuField } from './product.js';
import { sortInput } from './sort-input.js';
import { knownFilterValue, tiktokEnum } from './tiktok-enum.js';

export const OrderStatus = tiktokEnum<'order.status'>('OrderStatus', {
  description: 'Where an order is in its lifecycle (§6.6).',
  rawField: 'statusRaw',
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

export const ShippingType = tiktokEnum<'order.shipping_type'>('ShippingType', {
  description: 'Who arranges shipping.',
  rawField: 'shippingTypeRaw',
  values: {
    TIKTOK: { description: 'Shipped with TikTok Shipping.' },
    SELLER: { description: 'Shipped by the seller.' },
  },
});

export const Order = builder.objectRef<Scoped<OrderShape>>('Order');
const LineItem = builder.objectRef<Scoped<LineItemShape>>('LineItem');

const OrderDiscounts = builder.objectRef<OrderDiscountsShape>('OrderDiscounts').implement({
  description: 'Discounts applied to an order, by who funds them.',
  fields: (t) => ({
    ...exposeAmounts(t, { seller: 'Funded by the seller.', platform: 'Funded by TikTok.' }),
    total: t.field({
      type: Money,
      description: 'Seller plus platform discounts (exact decimal sum).',
      resolve: ({ seller, platform }) => ({
        amount: addDecimals(seller.amount, platform.amount),
        currency: seller.currency,
      }),
    }),
  }),
});

const OrderPayment = builder.objectRef<OrderPaymentShape>('OrderPayment').implement({
  description: 'What the buyer pays, in the order currency.',
  fields: (t) => ({
    ...exposeAmounts(t, {
      subTotal: 'Items before shipping, discounts and tax.',
      shipping: 'Shipping fee.',
      tax: 'Tax.',
      total: "TikTok's total amount the buyer pays.",
    }),
    discounts: t.expose('discounts', {
      type: OrderDiscounts,
      description: 'Discounts, by who funds them.',
    }),
  }),
});

const Recipient = builder.objectRef<RecipientShape>('Recipient').implement({
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
    ...exposeAmounts(t, {
      salePrice: 'Price paid for the unit.',
      originalPrice: 'List price before discounts.',
    }),
    displayStatus: t.exposeString('displayStatus', {
      description: 'Status of this line as TikTok shows it (an OrderStatus value).',
    }),
    packageId: t.exposeID('packageId', {
      nullable: true,
      description: 'Package the unit ships in, once packed.',
    }),
    product: productField(
      t,
      'The product (Get Product, deduplicated per request and cached); null if it can no ' +
        'longer be read.',
    ),
    sku: skuField(t, 'The SKU, from the product detail; null if it no longer exists.'),
  }),
});

Order.implement({
  description: 'An order. Search results carry full orders, so listing costs one call per page.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's order id (a decimal string)." }),
    status: t.expose('status', { type: OrderStatus, description: 'Lifecycle status.' }),
    statusRaw: t.exposeString('statusRaw', {
      description: "TikTok's status exactly as sent: what to read when `status` is UNKNOWN.",
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the order was placed.',
    }),
    paidAt: t.expose('paidAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was paid; null while unpaid.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When the order last changed.',
    }),
    payment: t.expose('payment', { type: OrderPayment, description: 'Amounts the buyer pays.' }),
    buyerUserId: t.exposeID('buyerUserId', { description: "TikTok's id of the buyer." }),
    shippingType: t.expose('shippingType', {
      type: ShippingType,
      description: 'Who arranges shipping.',
    }),
    shippingTypeRaw: t.exposeString('shippingTypeRaw', {
      description: "TikTok's shipping type exactly as sent: what to read when it is UNKNOWN.",
    }),
    warehouseId: t.exposeID('warehouseId', {
      nullable: true,
      description: 'Warehouse the order ships from.',
    }),
    recipient: t.expose('recipient', {
      type: Recipient,
      nullable: true,
      description: 'Shipping address; null while TikTok withholds it (UNPAID, ON_HOLD).',
    }),
    lineItems: t.field({
      type: [LineItem],
      description: 'The units ordered.',
      resolve: (order) => order.lineItems.map((item) => scoped(order.scope, item)),
    }),
    packages: t.expose('packages', { type: [Package], description: 'Shipment packages.' }),
  }),
});

const OrderConnection = connectionType(Order, 'Order', 'orders');

const OrderFilter = builder.inputType('OrderFilter', {
  description: 'Narrows an order search. All conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: OrderStatus, description: 'Only this status (not UNKNOWN).' }),
    createdFrom: t.field({ type: 'DateTime', description: 'Placed at or after (inclusive).' }),
    createdBefore: t.field({ type: 'DateTime', description: 'Placed before (exclusive).' }),
    updatedFrom: t.field({ type: 'DateTime', description: 'Updated at or after (inclusive).' }),
    updatedBefore: t.field({ type: 'DateTime', description: 'Updated before (exclusive).' }),
    shippingType: t.field({
      type: ShippingType,
      description: 'Only this shipping type (not UNKNOWN).',
    }),
    buyerUserId: t.id({ description: 'Only orders of this buyer.' }),
    warehouseIds: t.idList({ description: 'Only orders shipping from these warehouses.' }),
  }),
});

const orderSort = sortInput('OrderSort', {
  description: 'Order of an order search (default: newest placed first).',
  fieldDescription: 'What orders are sorted by.',
  fields: {
    CREATED_AT: { value: 'create_time', description: 'Time placed.' },
    UPDATED_AT: { value: 'update_time', description: 'Time of the last change.' },
  },
  defaultField: 'create_time',
});

function toOrderSearchFilter(
  filter: (typeof OrderFilter)['$inferInput'] | null | undefined,
): OrderSearchFilter {
  if (!filter) return {};
  for (const name of ['created', 'updated'] as const) {
    checkTimeWindow(filter[`${name}From`], filter[`${name}Before`], {
      isEndExclusive: true,
      message: `filter.${name}Before must be after filter.${name}From.`,
    });
  }
  return {
    ...filter,
    status: knownFilterValue(filter.status, 'filter.status'),
    shippingType: knownFilterValue(filter.shippingType, 'filter.shippingType'),
    buyerUserId: filter.buyerUserId ? parseId(filter.buyerUserId, 'filter.buyerUserId') : null,
    warehouseIds: filter.warehouseIds && parseIds(filter.warehouseIds, 'filter.warehouseIds', 100),
  };
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
      sort: orderSort.arg(t.arg, 'Sort order (default: newest first).'),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx, info) => {
      const page = parsePageArgs('orders', args);
      const filter = toOrderSearchFilter(args.filter);
      const connection = await shopConnection(ctx, args.shopId, page, (loaders, position) =>
        loaders.searchOrders({ ...position, filter, ...orderSort.of(args.sort) }),
      );
      prefetchBelow(ctx, info, ['edges', 'node'], nodesOf(connection));
      return connection;
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
    resolve: async (_root, args, ctx, info) => {
      const order = await shopItemById(ctx, args, (scope, id) => scope.loaders.orderById.load(id));
      if (order) prefetchBelow(ctx, info, [], [order]);
      return order;
    },
  }),
}));
