// Subscriptions (issue 13): TikTok's webhook events as they arrive, streamed on the GraphQL
// endpoint over Yoga's SSE transport (`Accept: text/event-stream`, graphql-sse's distinct
// connections mode). Scopes and shops are checked like a query's, once, before the stream starts;
// each event then resolves with fresh loaders (context.beginEvent), so `order`, `product` and
// `inventory` read what the event reports. A stream ends when the client leaves, when the gateway
// drains or closes, and when the caller's JWT expires.
import { Repeater } from 'graphql-yoga';
import type { GatewayContext, ShopScope } from '../context.js';
import { isShopAllowed } from '../datasources/tiktok/shop-resolver.js';
import {
  type InventoryStatusChange as InventoryStatusChangeShape,
  inventoryStatusChangeOf,
  type OrderStatusChange as OrderStatusChangeShape,
  orderStatusChangeOf,
  type ProductChange as ProductChangeShape,
  productChangeOf,
  type SellerAuthorizationChange as SellerAuthorizationChangeShape,
  sellerAuthorizationChangeOf,
} from '../webhooks/change-events.js';
import { EVENT_TYPES } from '../webhooks/event-types.js';
import type { TikTokEvent as TikTokEventShape } from '../webhooks/tiktok-event.js';
import { builder } from './builder.js';
import { resolveShop, type Scoped, scoped } from './common.js';
import { badUserInput } from './errors.js';
import { SkuInventory } from './inventory.js';
import { Order, OrderStatus } from './order.js';
import { Product } from './product.js';

/** setTimeout's longest delay; a credential living longer ends its stream then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Event types one `tiktokEvents` stream may name. */
const MAX_TYPES = 100;

const STREAM_SHOP_ID_DESCRIPTION =
  "Only this shop's events (see `shops`). Optional: without it, every shop the caller may see, " +
  'shops authorised later included (a stream does not use the default shop). A shop outside ' +
  "the caller's is FORBIDDEN before the stream starts.";

builder.subscriptionType({
  description:
    'Changes TikTok reports through its webhooks, as they arrive (docs/live-updates.md). Send ' +
    'the operation with `Accept: text/event-stream`: each event is an SSE `next` message, and ' +
    "the stream ends with `complete` when the gateway shuts down or the caller's JWT expires " +
    '(reconnect then). Scopes and shops are checked as for queries, before the stream starts.',
});

/** Which shops' events a stream carries: the one asked for, else every shop the caller may see. */
async function shopFilterOf(
  ctx: GatewayContext,
  shopId: string | number | null | undefined,
): Promise<(eventShopId: string) => boolean> {
  if (shopId === null || shopId === undefined) {
    return (eventShopId) => isShopAllowed(ctx.allowedShops, eventShopId);
  }
  const shop = await resolveShop(ctx, shopId);
  return (eventShopId) => eventShopId === shop.id;
}

/**
 * The changes `read` finds in the events of the shops `inShop` admits, until the client leaves,
 * the gateway drains or closes, or the caller's credential expires.
 */
function changesOf<T>(
  ctx: GatewayContext,
  inShop: (shopId: string) => boolean,
  read: (event: TikTokEventShape) => T | undefined,
): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    const events = ctx.events.subscribe();
    const expiresAtMs = ctx.caller?.expiresAtMs;
    const expiry =
      expiresAtMs === undefined
        ? undefined
        : setTimeout(stop, Math.min(MAX_TIMER_MS, Math.max(0, expiresAtMs - ctx.now())));
    void stop.then(() => {
      clearTimeout(expiry);
      void events.return?.();
    });
    for await (const event of events) {
      const change = inShop(event.shopId) ? read(event) : undefined;
      if (change !== undefined) await push(change);
    }
    stop();
  });
}

/** The subscription root's resolver: the event starts afresh (no loader of the previous one). */
const startEvent = <T>(change: T, _args: unknown, ctx: GatewayContext): T => {
  ctx.beginEvent();
  return change;
};

/** What `load` finds in the event's shop, read for this event; null once the shop is gone. */
async function inEventShop<T extends object>(
  ctx: GatewayContext,
  shopId: string,
  load: (scope: ShopScope) => Promise<T | null>,
): Promise<Scoped<T> | null> {
  const shop = (await ctx.visibleShops()).find((candidate) => candidate.id === shopId);
  if (!shop) return null;
  const scope = await ctx.scopeFor(shop);
  const item = await load(scope);
  return item ? scoped(scope, item) : null;
}

/** A list argument that, when given, names at least one value. */
function nonEmpty<T>(values: readonly T[] | null | undefined, argumentName: string) {
  if (values?.length === 0) {
    throw badUserInput(`${argumentName}: name at least one, or leave it out.`, argumentName);
  }
  return values ? new Set(values) : undefined;
}

const dateOfSeconds = (seconds: number) => new Date(seconds * 1000);

const OrderStatusChange = builder.objectRef<OrderStatusChangeShape>('OrderStatusChange').implement({
  description: 'An order moved to another status (§8 type 1, ORDER_STATUS_CHANGE).',
  fields: (t) => ({
    shopId: t.exposeID('shopId', { description: 'The shop of the order.' }),
    orderId: t.exposeID('orderId', { description: "TikTok's order id." }),
    status: t.expose('status', { type: OrderStatus, description: 'The status it moved to.' }),
    statusRaw: t.exposeString('statusRaw', {
      description: "TikTok's status exactly as sent: what to read when `status` is UNKNOWN.",
    }),
    updateTime: t.expose('updateTime', {
      type: 'DateTime',
      description: "The order's update time TikTok reported (else when it sent the event).",
    }),
    order: t.field({
      type: Order,
      nullable: true,
      description: 'The order as it is now, read for this event (batched); null if not found.',
      resolve: (change, _args, ctx) =>
        inEventShop(ctx, change.shopId, (scope) => scope.loaders.orderById.load(change.orderId)),
    }),
  }),
});

const ProductChangeKind = builder.enumType('ProductChangeKind', {
  description: 'What a product event reports; `type` gives the §8 type.',
  values: {
    CREATED: { description: 'Type 16, PRODUCT_CREATION: the product was created.' },
    INFORMATION_CHANGED: {
      description: "Type 15, PRODUCT_INFORMATION_CHANGE: the product's information changed.",
    },
    STATUS_CHANGED: {
      description: 'Type 5, PRODUCT_STATUS_CHANGE: passed review, changed status or failed audit.',
    },
    AUDIT_CHANGED: { description: 'Type 37, PRODUCT_AUDIT_STATUS_CHANGE: the audit moved on.' },
    CATEGORY_CHANGED: { description: 'Type 18, PRODUCT_CATEGORY_CHANGE: its category changed.' },
    UNKNOWN: { description: 'A product event this gateway does not name yet; see `type`.' },
  },
});

const ProductChange = builder.objectRef<ProductChangeShape>('ProductChange').implement({
  description: 'A product changed (§8 types 5, 15, 16, 18, 37).',
  fields: (t) => ({
    shopId: t.exposeID('shopId', { description: 'The shop of the product.' }),
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    kind: t.expose('kind', { type: ProductChangeKind, description: 'What changed.' }),
    type: t.exposeInt('type', { description: 'The §8 event type.' }),
    updateTime: t.expose('updateTime', {
      type: 'DateTime',
      description: "The product's update time TikTok reported (else when it sent the event).",
    }),
    product: t.field({
      type: Product,
      nullable: true,
      description:
        'The product as it is now: its cached detail was evicted by the event, so this reads ' +
        'TikTok once per replica; null if it can no longer be read.',
      resolve: (change, _args, ctx) =>
        inEventShop(ctx, change.shopId, (scope) =>
          scope.loaders.productById.load(change.productId),
        ),
    }),
  }),
});

const InventoryStatus = builder.enumType('InventoryStatus', {
  description:
    "A SKU's stock band as TikTok reports it (§8 type 27). New values TikTok adds read UNKNOWN.",
  values: {
    SUFFICIENT: { value: 'SUFFICIENT_STOCK', description: 'Above the low-stock threshold.' },
    LOW: { value: 'LOW_STOCK', description: "At or below the seller's low-stock threshold." },
    OUT_OF_STOCK: { value: 'OUT_OF_STOCK', description: 'None available.' },
    UNKNOWN: { value: 'UNKNOWN', description: 'A value this gateway does not know yet.' },
  },
});

const InventoryStatusChange = builder
  .objectRef<InventoryStatusChangeShape>('InventoryStatusChange')
  .implement({
    description:
      "A SKU's stock dropped into a lower band (§8 type 27; TikTok sends it on drops only).",
    fields: (t) => ({
      shopId: t.exposeID('shopId', { description: 'The shop of the SKU.' }),
      productId: t.exposeID('productId', { description: "TikTok's product id." }),
      skuId: t.exposeID('skuId', { description: "TikTok's SKU id." }),
      status: t.expose('status', { type: InventoryStatus, description: 'The band it is in.' }),
      statusRaw: t.exposeString('statusRaw', {
        description: "TikTok's `current_inventory_status` as sent: read it when UNKNOWN.",
      }),
      updateTime: t.expose('updateTime', {
        type: 'DateTime',
        description: 'The update time TikTok reported (else when it sent the event).',
      }),
      inventory: t.field({
        type: SkuInventory,
        nullable: true,
        description: "The SKU's stock now, per warehouse (Inventory Search, read for this event).",
        resolve: async (change, _args, ctx) => {
          const found = await inEventShop(ctx, change.shopId, (scope) =>
            scope.loaders.inventoryBySkuId.load(change.skuId),
          );
          return found && scoped(found.scope, found.sku);
        },
      }),
    }),
  });

const SellerAuthorizationChangeKind = builder.enumType('SellerAuthorizationChangeKind', {
  description: "What became of a seller's authorisation of the app.",
  values: {
    DEAUTHORIZED: {
      description:
        'Type 6, SELLER_DEAUTHORIZATION: the seller removed the access; its shops answer ' +
        'UNAUTHENTICATED (reason SELLER_DEAUTHORIZED) until it authorises again.',
    },
    EXPIRING: {
      description:
        'Type 7, UPCOMING_AUTHORIZATION_EXPIRATION: the authorisation expires at `expiresAt` ' +
        '(TikTok sends it daily from 30 days before).',
    },
  },
});

const SellerAuthorizationChange = builder
  .objectRef<SellerAuthorizationChangeShape>('SellerAuthorizationChange')
  .implement({
    description: "A seller's authorisation changed, as TikTok reports it for one of its shops.",
    fields: (t) => ({
      shopId: t.exposeID('shopId', { description: 'The shop TikTok reported it for.' }),
      kind: t.expose('kind', { type: SellerAuthorizationChangeKind, description: 'What changed.' }),
      occurredAt: t.expose('occurredAt', {
        type: 'DateTime',
        description: 'When TikTok sent the event.',
      }),
      expiresAt: t.expose('expiresAt', {
        type: 'DateTime',
        nullable: true,
        description: 'For EXPIRING: when the authorisation ends; else null.',
      }),
      message: t.exposeString('message', {
        nullable: true,
        description: "TikTok's free text, when it sent one.",
      }),
    }),
  });

const TikTokEvent = builder.objectRef<TikTokEventShape>('TikTokEvent').implement({
  description:
    'A webhook event as TikTok sent it (§8), for every type, the ones without a field of their ' +
    'own (messages, invoices, types added later) included.',
  fields: (t) => ({
    type: t.exposeInt('type', { description: 'The §8 event type.' }),
    name: t.string({
      nullable: true,
      description: 'Its Event API name (e.g. ORDER_STATUS_CHANGE); null for a type not known here.',
      resolve: (event) => EVENT_TYPES.get(event.type)?.name ?? null,
    }),
    shopId: t.exposeID('shopId', { description: 'The shop it is about.' }),
    notificationId: t.exposeID('notificationId', {
      description: '`tts_notification_id`: the same for every retry of one notification.',
    }),
    timestamp: t.field({
      type: 'DateTime',
      description: 'When TikTok sent it.',
      resolve: (event) => dateOfSeconds(event.timestamp),
    }),
    updateTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: '`data.update_time`, when the type carries one.',
      resolve: (event) => (event.updateTime === undefined ? null : dateOfSeconds(event.updateTime)),
    }),
    data: t.field({
      type: 'JSON',
      description:
        "The type's fields exactly as TikTok sent them (snake_case; ids beyond 2^53 as strings).",
      resolve: (event) => event.data,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  orderStatusChanged: t.field({
    type: OrderStatusChange,
    authScopes: { 'order.read': true },
    description: 'Each order that moves to another status (§8 type 1).',
    args: {
      shopId: t.arg.id({ description: STREAM_SHOP_ID_DESCRIPTION }),
      statuses: t.arg({
        type: [OrderStatus],
        description:
          'Only moves to these statuses (UNKNOWN: to a status this gateway does not know). ' +
          'Default: every status.',
      }),
    },
    subscribe: async (_root, args, ctx) => {
      const statuses = nonEmpty(args.statuses, 'statuses');
      const inShop = await shopFilterOf(ctx, args.shopId);
      return changesOf(ctx, inShop, (event) => {
        const change = orderStatusChangeOf(event);
        return change && (!statuses || statuses.has(change.status)) ? change : undefined;
      });
    },
    resolve: startEvent,
  }),
  productChanged: t.field({
    type: ProductChange,
    authScopes: { 'product.read': true },
    description: 'Each product created, edited, moved to another status, audited or recategorised.',
    args: { shopId: t.arg.id({ description: STREAM_SHOP_ID_DESCRIPTION }) },
    subscribe: async (_root, args, ctx) =>
      changesOf(ctx, await shopFilterOf(ctx, args.shopId), productChangeOf),
    resolve: startEvent,
  }),
  inventoryStatusChanged: t.field({
    type: InventoryStatusChange,
    authScopes: { 'inventory.read': true },
    description: 'Each SKU whose stock drops to LOW or OUT_OF_STOCK (§8 type 27).',
    args: { shopId: t.arg.id({ description: STREAM_SHOP_ID_DESCRIPTION }) },
    subscribe: async (_root, args, ctx) =>
      changesOf(ctx, await shopFilterOf(ctx, args.shopId), inventoryStatusChangeOf),
    resolve: startEvent,
  }),
  sellerAuthorizationChanged: t.field({
    type: SellerAuthorizationChange,
    authScopes: { 'oauth.manage': true },
    description:
      'Each deauthorisation or upcoming expiry of a seller (§8 types 6 and 7), for the shops ' +
      'the caller may see.',
    subscribe: async (_root, _args, ctx) =>
      changesOf(ctx, await shopFilterOf(ctx, undefined), sellerAuthorizationChangeOf),
    resolve: startEvent,
  }),
  tiktokEvents: t.field({
    type: TikTokEvent,
    authScopes: { 'events.read': true },
    description:
      'Every webhook event as TikTok sent it, of any type (unknown ones included), after ' +
      'verification, deduplication and the update-order check.',
    args: {
      shopId: t.arg.id({ description: STREAM_SHOP_ID_DESCRIPTION }),
      types: t.arg.intList({
        description: `Only these §8 types (at most ${MAX_TYPES}). Default: every type.`,
      }),
    },
    subscribe: async (_root, args, ctx) => {
      const types = nonEmpty(args.types, 'types');
      if (types && (types.size > MAX_TYPES || [...types].some((type) => type < 0))) {
        throw badUserInput(
          `types: at most ${MAX_TYPES} event types, each a number from 0.`,
          'types',
        );
      }
      return changesOf(ctx, await shopFilterOf(ctx, args.shopId), (event) =>
        !types || types.has(event.type) ? event : undefined,
      );
    },
    resolve: startEvent,
  }),
}));
