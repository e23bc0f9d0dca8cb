// The tenant matrix (issue 10): each caller sees only its shops. Every root field, mutation and
// subscription of the schema is here, classified by whether it takes a `shopId` (read from the
// schema, so a new field cannot be forgotten); a subscription is sent over SSE and answers with
// the first event a webhook for the shop makes it stream, or with its refusal before any stream. A shop-scoped one answers data for the caller's shop, and FORBIDDEN
// naming the shop with 0 upstream calls for a shop of the same seller or of another seller, for
// an API key and for JWTs (shops claim as an array and as a string). The others are checked for
// what a caller limited to some shops gets from them. Then the default-shop rules, the API key
// forms and the JWT rules (shops required, exp required, lifetime bound).
import { type GraphQLField, getNamedType, isInputObjectType } from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SCOPES } from '../../src/auth/scopes.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { authorizeAsSeller } from '../../src/sandbox.js';
import { schema } from '../../src/schema/index.js';
import {
  type Json,
  lastDays,
  startTestGateway,
  TEST_API_KEY,
  type TestGateway,
} from '../helpers/gateway.js';
import { firstReply, listen, until } from '../helpers/sse.js';
import {
  type DeliveryInput,
  deliveryBody,
  serveWebhooks,
  type WebhookTarget,
} from '../webhooks/helpers.js';

const JWT_SECRET = 'tenant-matrix-jwt-secret-0123456789abcdef';
const KEYS = {
  aUs: 'tenant-a-us-key-0123456789abcdef',
  aBoth: 'tenant-a-both-key-0123456789abcdef',
  aGbB: 'tenant-a-gb-and-b-key-0123456789ab',
  b: 'tenant-b-key-0123456789abcdef012',
  aUsOrders: 'tenant-a-us-orders-key-0123456789',
};
const range = lastDays(30);

interface Shops {
  /** sellers[0]'s US shop (the default shop), its GB shop, and sellers[1]'s only shop. */
  aUs: string;
  aGb: string;
  bUs: string;
}

interface Ids {
  productId: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
  orderId: string;
  videoId: string;
}

type Operation = { query: string; variables: Record<string, unknown> };

/** Fields that take a `shopId` (as an argument or in their input): the operation for `shopId`. */
const SHOP_SCOPED: Record<string, (ids: Ids, shopId: string) => Operation> = {
  products: (_ids, shop) => ({
    query: 'query ($shop: ID) { products(first: 1, shopId: $shop) { totalCount } }',
    variables: { shop },
  }),
  product: ({ productId }, shop) => ({
    query: 'query ($id: ID!, $shop: ID) { product(id: $id, shopId: $shop) { id } }',
    variables: { id: productId, shop },
  }),
  orders: (_ids, shop) => ({
    query: 'query ($shop: ID) { orders(first: 1, shopId: $shop) { totalCount } }',
    variables: { shop },
  }),
  order: ({ orderId }, shop) => ({
    query: 'query ($id: ID!, $shop: ID) { order(id: $id, shopId: $shop) { id } }',
    variables: { id: orderId, shop },
  }),
  inventory: ({ productId }, shop) => ({
    query:
      'query ($ids: [ID!], $shop: ID) { inventory(productIds: $ids, shopId: $shop) { productId } }',
    variables: { ids: [productId], shop },
  }),
  warehouses: (_ids, shop) => ({
    query: 'query ($shop: ID) { warehouses(shopId: $shop) { id } }',
    variables: { shop },
  }),
  shopPerformance: (_ids, shop) => ({
    query:
      'query ($r: DateRangeInput!, $shop: ID) { shopPerformance(range: $r, shopId: $shop) { latestAvailableDate } }',
    variables: { r: range, shop },
  }),
  productPerformances: (_ids, shop) => ({
    query:
      'query ($r: DateRangeInput!, $shop: ID) { productPerformances(range: $r, first: 1, shopId: $shop) { totalCount } }',
    variables: { r: range, shop },
  }),
  skuPerformances: (_ids, shop) => ({
    query:
      'query ($r: DateRangeInput!, $shop: ID) { skuPerformances(range: $r, first: 1, shopId: $shop) { totalCount } }',
    variables: { r: range, shop },
  }),
  videos: (_ids, shop) => ({
    query:
      'query ($r: DateRangeInput!, $shop: ID) { videos(range: $r, first: 1, shopId: $shop) { totalCount } }',
    variables: { r: range, shop },
  }),
  video: ({ videoId }, shop) => ({
    query:
      'query ($id: ID!, $r: DateRangeInput!, $shop: ID) { video(id: $id, range: $r, shopId: $shop) { id } }',
    variables: { id: videoId, r: range, shop },
  }),
  liveSessions: (_ids, shop) => ({
    query:
      'query ($r: DateRangeInput!, $shop: ID) { liveSessions(range: $r, first: 1, shopId: $shop) { totalCount } }',
    variables: { r: range, shop },
  }),
  updateInventory: ({ productId, skuId, warehouseId, quantity }, shopId) => ({
    query:
      'mutation ($input: UpdateInventoryInput!) { updateInventory(input: $input) { updatedCount } }',
    variables: { input: { productId, skus: [{ skuId, warehouseId, quantity }], shopId } },
  }),
  bulkUpdateInventory: ({ productId, skuId, warehouseId, quantity }, shopId) => ({
    query:
      'mutation ($input: BulkUpdateInventoryInput!) { bulkUpdateInventory(input: $input) { updatedCount } }',
    variables: { input: { items: [{ productId, skuId, warehouseId, quantity }], shopId } },
  }),
  refreshAccessToken: (_ids, shop) => ({
    query: 'mutation ($shop: ID) { refreshAccessToken(shopId: $shop) { openId } }',
    variables: { shop },
  }),
  webhookSubscriptions: (_ids, shop) => ({
    query: 'query ($shop: ID) { webhookSubscriptions(shopId: $shop) { eventType } }',
    variables: { shop },
  }),
  updateWebhookSubscriptions: (_ids, shopId) => ({
    query:
      'mutation ($input: UpdateWebhookSubscriptionsInput!) { updateWebhookSubscriptions(input: $input) { shopId } }',
    variables: {
      input: { shopId, address: 'https://hooks.example.com/tiktok', set: ['PACKAGE_UPDATE'] },
    },
  }),
  orderStatusChanged: (_ids, shop) => ({
    query: 'subscription ($shop: ID) { orderStatusChanged(shopId: $shop) { shopId orderId } }',
    variables: { shop },
  }),
  productChanged: (_ids, shop) => ({
    query: 'subscription ($shop: ID) { productChanged(shopId: $shop) { shopId productId } }',
    variables: { shop },
  }),
  inventoryStatusChanged: (_ids, shop) => ({
    query: 'subscription ($shop: ID) { inventoryStatusChanged(shopId: $shop) { shopId skuId } }',
    variables: { shop },
  }),
  tiktokEvents: (_ids, shop) => ({
    query: 'subscription ($shop: ID) { tiktokEvents(shopId: $shop) { shopId type } }',
    variables: { shop },
  }),
};

/** For each subscription field, a webhook that makes its stream send (for the shop given). */
const EVENTS: Record<string, (ids: Ids) => Omit<DeliveryInput, 'shopId'>> = {
  orderStatusChanged: ({ orderId }) => ({
    type: 1,
    data: { order_id: orderId, order_status: 'UNPAID' },
  }),
  productChanged: ({ productId }) => ({ type: 15, data: { product_id: productId } }),
  inventoryStatusChanged: ({ productId, skuId }) => ({
    type: 27,
    data: { product_id: productId, sku_id: skuId, current_inventory_status: 'OUT_OF_STOCK' },
  }),
  sellerAuthorizationChanged: () => ({ type: 7, data: { expiration_time: 1_900_000_000 } }),
  tiktokEvents: () => ({ type: 99 }),
};

interface World {
  t: TestGateway;
  shops: Shops;
  /** sellers[0] and sellers[1]. */
  openIds: { a: string; b: string };
  /** The gateway on a loopback port, for SSE streams and signed webhooks. */
  webhooks: WebhookTarget;
}

/** Opens `query` over SSE as `apiKey` and waits until the stream listens. */
const openStream = (world: World, apiKey: string, operation: Operation) =>
  listen({
    url: `http://127.0.0.1:${world.webhooks.port}`,
    ...operation,
    apiKey,
    bus: world.t.app.liveUpdates.events,
  });

/** Delivers the webhook of `field`'s kind for each shop, in order. */
async function deliverFor(world: World, field: string, ids: Ids, shopIds: string[]) {
  const event = EVENTS[field];
  if (!event) throw new Error(`No event for ${field}`);
  for (const shopId of shopIds) {
    expect((await world.webhooks.deliver(deliveryBody({ shopId, ...event(ids) }))).status).toBe(
      200,
    );
  }
}

const asKey = (t: TestGateway, apiKey: string, query: string, variables = {}) =>
  t.executeText(query, variables, { apiKey });

/** Fields without a `shopId`: what a caller limited to some shops gets from each. */
const NOT_SHOP_SCOPED: Record<string, (world: World) => Promise<void>> = {
  // Only the caller's shops.
  shops: async ({ t, shops }) => {
    const listed = async (apiKey: string) =>
      ((await asKey(t, apiKey, '{ shops { id } }')).body.data as Json).shops.map(
        (shop: Json) => shop.id,
      );
    expect(await listed(KEYS.aUs)).toEqual([shops.aUs]);
    expect((await listed(KEYS.aGbB)).sort()).toEqual([shops.aGb, shops.bUs].sort());
    expect((await listed(TEST_API_KEY)).sort()).toEqual(Object.values(shops).sort());
  },
  // Only the sellers owning one of the caller's shops, with only those shops.
  authorizedSellers: async ({ t, shops, openIds }) => {
    const listed = async (apiKey: string) =>
      ((await asKey(t, apiKey, '{ authorizedSellers { openId shops { id } } }')).body.data as Json)
        .authorizedSellers as Json[];
    expect(await listed(KEYS.aUs)).toEqual([{ openId: openIds.a, shops: [{ id: shops.aUs }] }]);
    expect(await listed(KEYS.b)).toEqual([{ openId: openIds.b, shops: [{ id: shops.bUs }] }]);
    const all = await listed(TEST_API_KEY);
    expect(all.flatMap((seller) => seller.shops.map((shop: Json) => shop.id)).sort()).toEqual(
      Object.values(shops).sort(),
    );
  },
  // Not shop-scoped: a link names no shop.
  authorizationUrl: async ({ t }) => {
    const { body } = await asKey(t, KEYS.aUs, '{ authorizationUrl { url } }');
    expect(body.errors).toBeUndefined();
    expect((body.data as Json).authorizationUrl.url).toContain('state=');
  },
  // Only the events of the caller's shops.
  sellerAuthorizationChanged: async (world) => {
    const { shops } = world;
    const stream = await openStream(world, KEYS.aUs, {
      query: 'subscription { sellerAuthorizationChanged { shopId kind expiresAt } }',
      variables: {},
    });
    await deliverFor(world, 'sellerAuthorizationChanged', {} as Ids, [
      shops.aGb,
      shops.bUs,
      shops.aUs,
    ]);
    expect((await stream.nextPayload()).data.sellerAuthorizationChanged).toEqual({
      shopId: shops.aUs,
      kind: 'EXPIRING',
      expiresAt: new Date(1_900_000_000_000).toISOString(),
    });
    await stream.leave();
  },
  // Not shop-scoped (the code is the seller's consent); the answer shows only the caller's shops.
  exchangeAuthorizationCode: async ({ t, shops, openIds }) => {
    const exchange = async (openId: string) => {
      const link = t.sellers.authorizationUrl({ redirectUri: 'http://127.0.0.1/oauth/callback' });
      const { body } = await asKey(
        t,
        KEYS.aUs,
        'mutation ($input: ExchangeAuthorizationCodeInput!) { exchangeAuthorizationCode(input: $input) { openId shops { id } } }',
        { input: await authorizeAsSeller(link.url, { openId }) },
      );
      expect(body.errors).toBeUndefined();
      return (body.data as Json).exchangeAuthorizationCode;
    };
    expect(await exchange(openIds.a)).toEqual({ openId: openIds.a, shops: [{ id: shops.aUs }] });
    expect(await exchange(openIds.b)).toEqual({ openId: openIds.b, shops: [] });
  },
};

/** Whether the field takes a `shopId`, as an argument or inside an input argument. */
function takesShopId(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => {
    const type = getNamedType(arg.type);
    return arg.name === 'shopId' || (isInputObjectType(type) && 'shopId' in type.getFields());
  });
}

const rootFields = () => [
  ...Object.values(schema.getQueryType()?.getFields() ?? {}),
  ...Object.values(schema.getMutationType()?.getFields() ?? {}),
  ...Object.values(schema.getSubscriptionType()?.getFields() ?? {}),
];

/** sellers[1] authorised too, through the real exchange: three shops of two sellers. */
async function authoriseSecondSeller(t: TestGateway, emulator: EmulatorHandle): Promise<string> {
  const second = emulator.sellers[1];
  if (!second) throw new Error('The emulator has no second seller.');
  const link = t.sellers.authorizationUrl({ redirectUri: 'http://127.0.0.1/oauth/callback' });
  await t.sellers.exchange(await authorizeAsSeller(link.url, { openId: second.openId }));
  return second.openId;
}

function shopsOf(emulator: EmulatorHandle): Shops {
  const [a, b] = emulator.sellers;
  const id = (shop: { id: string } | undefined) => {
    if (!shop) throw new Error('The emulator lacks a shop this test needs.');
    return shop.id;
  };
  return {
    aUs: id(a?.shops.find((shop) => shop.region === 'US')),
    aGb: id(a?.shops.find((shop) => shop.region === 'GB')),
    bUs: id(b?.shops[0]),
  };
}

function tenantKeys(shops: Shops): string {
  return [
    `all:${TEST_API_KEY}:*`,
    `a-us:${KEYS.aUs}:*:${shops.aUs}`,
    `a-both:${KEYS.aBoth}:*:${shops.aUs}+${shops.aGb}`,
    `a-gb-b:${KEYS.aGbB}:*:${shops.aGb} + ${shops.bUs}`,
    `b:${KEYS.b}:*:${shops.bUs}`,
    `a-us-orders:${KEYS.aUsOrders}:order.read:${shops.aUs}`,
  ].join(',');
}

/** Callers limited to sellers[0]'s US shop, by the name FORBIDDEN gives them. */
const CALLERS = [
  { kind: 'API key', name: 'a-us' },
  { kind: 'JWT, shops as an array', name: 'jwt-array' },
  { kind: 'JWT, shops as a string', name: 'jwt-string' },
];

const signJwt = (claims: Record<string, unknown>, subject: string, lifetime = '10m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(new TextEncoder().encode(JWT_SECRET));

describe('tenant matrix', () => {
  let emulator: EmulatorHandle;
  let world: World;
  let ids: Ids;
  /** The credential of each of CALLERS, by name. */
  const credentials = new Map<string, string>();

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, scale: 0.05, rateLimit: false });
    const shops = shopsOf(emulator);
    const t = await startTestGateway({
      sharedEmulator: emulator,
      apiKeys: tenantKeys(shops),
      jwtSecret: JWT_SECRET,
      env: { TIKTOK_SHOP_SHOP_ID: shops.aUs },
    });
    const b = await authoriseSecondSeller(t, emulator);
    const webhooks = await serveWebhooks(t.app);
    await until(() => t.app.liveUpdates.events.subscribers === 1);
    world = { t, shops, openIds: { a: t.seller.openId, b }, webhooks };
    credentials.set('a-us', KEYS.aUs);
    const scope = GATEWAY_SCOPES.join(' ');
    credentials.set('jwt-array', await signJwt({ scope, shops: [shops.aUs] }, 'jwt-array'));
    credentials.set('jwt-string', await signJwt({ scope, shops: ` ${shops.aUs} ` }, 'jwt-string'));
    const found = await t.executeText(
      `query ($r: DateRangeInput!, $shop: ID) {
        products(first: 20, filter: { status: ACTIVATE }, shopId: $shop) {
          edges { node { id skus { id inventory { warehouses { warehouseId availableQuantity } } } } }
        }
        orders(first: 1, shopId: $shop) { edges { node { id } } }
        videos(range: $r, first: 1, shopId: $shop) { edges { node { id } } }
      }`,
      { r: range, shop: shops.aUs },
    );
    const data = found.body.data as Json;
    const product = data.products.edges[0].node;
    const warehouse = product.skus[0].inventory.warehouses[0];
    ids = {
      productId: product.id,
      skuId: product.skus[0].id,
      warehouseId: warehouse.warehouseId,
      quantity: warehouse.availableQuantity,
      orderId: data.orders.edges[0].node.id,
      videoId: data.videos.edges[0].node.id,
    };
  });
  afterAll(async () => {
    await world?.webhooks.close();
    await world?.t.close();
    await emulator?.close();
  });

  /** Sends `operation` as a query would be, or over SSE (triggered for aUs) for a subscription. */
  const run = (field: string, operation: Operation, apiKey: string | undefined) => {
    const { t, webhooks, shops } = world;
    const event = EVENTS[field];
    if (!event) return t.executeText(operation.query, operation.variables, { apiKey });
    return firstReply({
      url: `http://127.0.0.1:${webhooks.port}`,
      ...operation,
      apiKey: apiKey ?? TEST_API_KEY,
      bus: t.app.liveUpdates.events,
      trigger: () => webhooks.deliver(deliveryBody({ shopId: shops.aUs, ...event(ids) })),
    });
  };

  it('covers every root field, mutation and subscription, split by whether it takes a shopId', () => {
    const fields = rootFields();
    expect(Object.keys(SHOP_SCOPED).sort()).toEqual(
      fields
        .filter((field) => takesShopId(field))
        .map((field) => field.name)
        .sort(),
    );
    expect(Object.keys(NOT_SHOP_SCOPED).sort()).toEqual(
      fields
        .filter((field) => !takesShopId(field))
        .map((field) => field.name)
        .sort(),
    );
  });

  describe.each(Object.entries(SHOP_SCOPED))('%s', (field, operation) => {
    it.each(CALLERS)(
      '$kind: data for its shop; FORBIDDEN naming the shop, 0 upstream calls, for the others',
      async (caller) => {
        const { t, shops } = world;
        const credential = credentials.get(caller.name);
        const allowed = operation(ids, shops.aUs);
        const { status, body } = await run(field, allowed, credential);
        expect(status).toBe(200);
        expect(body.errors).toBeUndefined();
        expect((body.data as Json)[field]).not.toBeNull();

        // sellers[0]'s other shop (same seller, same tokens) and sellers[1]'s shop.
        for (const shopId of [shops.aGb, shops.bUs]) {
          const forbidden = operation(ids, shopId);
          t.resetCalls();
          const reply = await run(field, forbidden, credential);
          expect(reply.status).toBe(200);
          expect((reply.body.data as Json | null)?.[field] ?? null).toBeNull();
          expect(reply.body.errors).toEqual([
            expect.objectContaining({
              message: `Caller ${caller.name} may not access shop ${shopId}`,
              path: [field],
              extensions: { code: 'FORBIDDEN', shopId },
            }),
          ]);
          expect(t.totalCalls()).toBe(0);
        }
      },
    );
  });

  describe.each(Object.keys(SHOP_SCOPED).filter((field) => EVENTS[field]))(
    '%s without a shopId',
    (field) => {
      it("streams every shop the caller may see, and no other's", async () => {
        const { shops } = world;
        const operation = SHOP_SCOPED[field]?.(ids, shops.aUs);
        if (!operation) throw new Error(`No operation for ${field}`);
        // shopId null: the argument left out.
        const stream = await openStream(world, KEYS.aBoth, { ...operation, variables: {} });
        await deliverFor(world, field, ids, [shops.bUs, shops.aGb, shops.bUs, shops.aUs]);
        const first = await stream.nextPayload();
        const second = await stream.nextPayload();
        expect([first.data[field].shopId, second.data[field].shopId]).toEqual([
          shops.aGb,
          shops.aUs,
        ]);
        await stream.leave();
      });
    },
  );

  describe.each(Object.entries(NOT_SHOP_SCOPED))('%s', (_field, check) => {
    it('gives a caller limited to some shops only what concerns them', async () => {
      await check(world);
    });
  });

  it('checks scopes first, as before: a missing scope is FORBIDDEN naming the scope', async () => {
    const { t, shops } = world;
    t.resetCalls();
    const { body } = await asKey(
      t,
      KEYS.aUsOrders,
      'query ($shop: ID) { products(first: 1, shopId: $shop) { totalCount } }',
      { shop: shops.aGb },
    );
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', scope: 'product.read' });
    expect(t.totalCalls()).toBe(0);
  });

  it('keeps nested fields on the shop of their parent', async () => {
    const { t, shops } = world;
    t.resetCalls();
    const { body } = await asKey(
      t,
      KEYS.aUs,
      '{ orders(first: 3) { edges { node { lineItems { product { id } sku { inventory { totalAvailableQuantity } } } } } } }',
    );
    expect(body.errors).toBeUndefined();
    const counters = emulator.counters();
    const shopsCalled = Object.keys(counters)
      .filter((key) => key.includes(' '))
      .map((key) => key.split(' ')[1]);
    expect(new Set(shopsCalled)).toEqual(new Set([shops.aUs]));
  });
});

describe('default shop and API key forms', () => {
  let emulator: EmulatorHandle;
  let shops: Shops;
  const gateways: TestGateway[] = [];
  const start = async (defaultShopId: string | undefined) => {
    const t = await startTestGateway({
      sharedEmulator: emulator,
      apiKeys: tenantKeys(shops),
      ...(defaultShopId === undefined
        ? { defaultShop: 'none' as const }
        : { env: { TIKTOK_SHOP_SHOP_ID: defaultShopId } }),
    });
    gateways.push(t);
    await authoriseSecondSeller(t, emulator);
    return t;
  };
  /** The shop `orders` without a shopId went to, from the emulator's log; or the error. */
  const ordersShop = async (t: TestGateway, apiKey: string) => {
    t.resetCalls();
    const { body } = await asKey(t, apiKey, '{ orders(first: 1) { totalCount } }');
    if (body.errors) return { error: body.errors[0] };
    const called = Object.keys(emulator.counters()).filter((key) =>
      key.startsWith('order.search '),
    );
    return { shopId: called.map((key) => key.split(' ')[1]).join(',') };
  };

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, scale: 0.05, rateLimit: false });
    shops = shopsOf(emulator);
  });
  afterAll(async () => {
    for (const t of gateways) await t.close();
    await emulator?.close();
  });

  it('uses the default shop when the caller may see it, else its only shop, else asks', async () => {
    const t = await start(shops.aUs);
    expect(await ordersShop(t, KEYS.aUs)).toEqual({ shopId: shops.aUs });
    expect(await ordersShop(t, KEYS.aBoth)).toEqual({ shopId: shops.aUs });
    // The default is not this caller's: its only shop.
    expect(await ordersShop(t, KEYS.b)).toEqual({ shopId: shops.bUs });
    // The default is not this caller's and it has two: it must say which, and nothing is sent.
    const several = await ordersShop(t, KEYS.aGbB);
    expect(several.error?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'shopId' });
    expect(several.error?.message).toMatch(/pass shopId, one of: /);
    expect(several.error?.message).toContain(shops.aGb);
    expect(several.error?.message).toContain(shops.bUs);
    expect(several.error?.message).not.toContain(shops.aUs);
    expect(t.totalCalls()).toBe(0);
    // isDefault says the same, per caller.
    const flagged = await asKey(t, KEYS.b, '{ shops { id isDefault } }');
    expect((flagged.body.data as Json).shops).toEqual([{ id: shops.bUs, isDefault: true }]);
    // So does refreshAccessToken without a shopId: the seller of the caller's only shop.
    const refresh = 'mutation { refreshAccessToken { openId shops { id } } }';
    const refreshed = await asKey(t, KEYS.b, refresh);
    expect((refreshed.body.data as Json).refreshAccessToken).toEqual({
      openId: emulator.sellers[1]?.openId,
      shops: [{ id: shops.bUs }],
    });
    t.resetCalls();
    const unchosen = await asKey(t, KEYS.aGbB, refresh);
    expect(unchosen.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(t.totalCalls()).toBe(0);
  });

  it('without a default, a caller with one shop gets it and one with several is asked', async () => {
    const t = await start(undefined);
    expect(await ordersShop(t, KEYS.b)).toEqual({ shopId: shops.bUs });
    expect((await ordersShop(t, KEYS.aBoth)).error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ordersShop(t, TEST_API_KEY)).error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(t.totalCalls()).toBe(0);
  });

  it('reads +-joined shops, * and old three-part entries (every shop)', async () => {
    const t = await start(shops.aUs);
    const listed = async (apiKey: string) =>
      ((await asKey(t, apiKey, '{ shops { id } }')).body.data as Json).shops
        .map((shop: Json) => shop.id)
        .sort();
    expect(await listed(KEYS.aBoth)).toEqual([shops.aUs, shops.aGb].sort());
    // `all` is a three-part entry: every shop, as before issue 10.
    expect(await listed(TEST_API_KEY)).toEqual(Object.values(shops).sort());
    const star = await startTestGateway({
      sharedEmulator: emulator,
      apiKeys: `star:${KEYS.aUs}:*:*`,
    });
    gateways.push(star);
    await authoriseSecondSeller(star, emulator);
    expect(((await asKey(star, KEYS.aUs, '{ shops { id } }')).body.data as Json).shops.length).toBe(
      3,
    );
  });

  it('refuses a malformed shops part at start, naming the entry and not the key', async () => {
    const failure = await startTestGateway({
      sharedEmulator: emulator,
      apiKeys: `broken:${KEYS.aUs}:*:${shops.aUs}+US`,
    }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toContain('GATEWAY_API_KEYS: entry 1 (broken): shops must be shop ids');
    expect(failure).not.toContain(KEYS.aUs);
  });
});

describe('JWT rules through the gateway', () => {
  let emulator: EmulatorHandle;
  let shops: Shops;
  let strict: TestGateway;
  let lenient: TestGateway;
  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, scale: 0.05, rateLimit: false });
    shops = shopsOf(emulator);
    strict = await startTestGateway({
      sharedEmulator: emulator,
      apiKeys: '',
      jwtSecret: JWT_SECRET,
      env: { GATEWAY_JWT_REQUIRE_SHOPS: 'true', GATEWAY_JWT_MAX_LIFETIME_S: '3600' },
    });
    lenient = await startTestGateway({
      sharedEmulator: emulator,
      apiKeys: '',
      jwtSecret: JWT_SECRET,
    });
  });
  afterAll(async () => {
    await strict?.close();
    await lenient?.close();
    await emulator?.close();
  });

  const status = async (t: TestGateway, token: string) => {
    t.resetCalls();
    const { status, body } = await t.executeText('{ shops { id } }', {}, { apiKey: token });
    return {
      status,
      code: body.errors?.[0]?.extensions?.code,
      message: body.errors?.[0]?.message,
      calls: t.totalCalls(),
    };
  };

  it('without a shops claim: every shop by default, 401 when GATEWAY_JWT_REQUIRE_SHOPS=true', async () => {
    const unclaimed = await signJwt({ scope: 'order.read' }, 'reporting');
    const { body } = await lenient.executeText('{ shops { id } }', {}, { apiKey: unclaimed });
    expect((body.data as Json).shops).toHaveLength(2);
    expect(await status(strict, unclaimed)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('no "shops" claim'),
      calls: 0,
    });
    const claimed = await signJwt({ scope: 'order.read', shops: [shops.aGb] }, 'reporting');
    const reply = await strict.executeText('{ shops { id } }', {}, { apiKey: claimed });
    expect((reply.body.data as Json).shops).toEqual([{ id: shops.aGb }]);
  });

  it('refuses a token without exp, and one living longer than the bound, with 401', async () => {
    const noExp = await new SignJWT({ scope: 'order.read', shops: [shops.aUs] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .sign(new TextEncoder().encode(JWT_SECRET));
    for (const t of [lenient, strict]) {
      expect(await status(t, noExp)).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
        message: 'Bearer token has no "exp" claim: only tokens that expire are accepted',
        calls: 0,
      });
    }
    // The default bound is a day; the strict gateway's is an hour.
    const twoDays = await signJwt({ shops: [shops.aUs] }, 'reporting', '2d');
    expect((await status(lenient, twoDays)).status).toBe(401);
    const twoHours = await signJwt({ scope: 'order.read', shops: [shops.aUs] }, 'reporting', '2h');
    expect((await status(lenient, twoHours)).status).toBe(200);
    expect(await status(strict, twoHours)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      message: "Bearer token lifetime exceeds the gateway's limit of 3600 s",
      calls: 0,
    });
  });
});
