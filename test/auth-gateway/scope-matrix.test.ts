// The scope matrix: every root field, mutation and subscription, with only its scope (data; for a
// subscription, the first event a webhook makes it stream over SSE) and with every scope but its
// own (FORBIDDEN naming it, nothing sent upstream, no stream), plus no credential (401); and the
// nested fields that cross into another domain. The table is written out here, independently of
// the schema code, and must cover every root field the schema has.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SCOPES, type GatewayScope } from '../../src/auth/scopes.js';
import { authorizeAsSeller } from '../../src/sandbox.js';
import { schema } from '../../src/schema/index.js';
import { type Json, lastDays, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { firstReply, until } from '../helpers/sse.js';
import {
  type DeliveryInput,
  deliveryBody,
  serveWebhooks,
  type WebhookTarget,
} from '../webhooks/helpers.js';

const JWT_SECRET = 'scope-matrix-jwt-secret-0123456789abcdef';
const keyOnly = (scope: string) => `only-${scope}-key-0123456789`;
const keyWithout = (scope: string) => `without-${scope}-key-0123456789`;

interface Ids {
  productId: string;
  skuId: string;
  quantity: number;
  warehouseId: string;
  orderId: string;
  videoId: string;
}

interface Case {
  scope: GatewayScope | 'any';
  /** Upstream endpoints that must not be called when the scope is missing. */
  guards?: string[];
  operation: (ids: Ids, t: TestGateway) => Promise<{ query: string; variables?: object }>;
  /** A subscription field: the webhook (to the default shop) that makes its stream send. */
  event?: (ids: Ids) => Omit<DeliveryInput, 'shopId'>;
}

const range = lastDays(30);

const MATRIX: Record<string, Case> = {
  shops: { scope: 'any', operation: async () => ({ query: '{ shops { id } }' }) },
  products: {
    scope: 'product.read',
    guards: ['product.search'],
    operation: async () => ({ query: '{ products(first: 1) { totalCount } }' }),
  },
  product: {
    scope: 'product.read',
    guards: ['product.detail'],
    operation: async ({ productId }) => ({
      query: 'query ($id: ID!) { product(id: $id) { id } }',
      variables: { id: productId },
    }),
  },
  orders: {
    scope: 'order.read',
    guards: ['order.search'],
    operation: async () => ({ query: '{ orders(first: 1) { totalCount } }' }),
  },
  order: {
    scope: 'order.read',
    guards: ['order.detail'],
    operation: async ({ orderId }) => ({
      query: 'query ($id: ID!) { order(id: $id) { id } }',
      variables: { id: orderId },
    }),
  },
  inventory: {
    scope: 'inventory.read',
    guards: ['inventory.search'],
    operation: async ({ productId }) => ({
      query: 'query ($ids: [ID!]) { inventory(productIds: $ids) { productId } }',
      variables: { ids: [productId] },
    }),
  },
  warehouses: {
    scope: 'inventory.read',
    guards: ['logistics.warehouses'],
    operation: async () => ({ query: '{ warehouses { id } }' }),
  },
  shopPerformance: {
    scope: 'analytics.read',
    guards: ['analytics.shop_performance'],
    operation: async () => ({
      query: 'query ($r: DateRangeInput!) { shopPerformance(range: $r) { latestAvailableDate } }',
      variables: { r: range },
    }),
  },
  productPerformances: {
    scope: 'analytics.read',
    guards: ['analytics.product_list'],
    operation: async () => ({
      query:
        'query ($r: DateRangeInput!) { productPerformances(range: $r, first: 1) { totalCount } }',
      variables: { r: range },
    }),
  },
  skuPerformances: {
    scope: 'analytics.read',
    guards: ['analytics.sku_list'],
    operation: async () => ({
      query: 'query ($r: DateRangeInput!) { skuPerformances(range: $r, first: 1) { totalCount } }',
      variables: { r: range },
    }),
  },
  videos: {
    scope: 'content.read',
    guards: ['analytics.video_list'],
    operation: async () => ({
      query: 'query ($r: DateRangeInput!) { videos(range: $r, first: 1) { totalCount } }',
      variables: { r: range },
    }),
  },
  video: {
    scope: 'content.read',
    guards: ['analytics.video_detail'],
    operation: async ({ videoId }) => ({
      query: 'query ($id: ID!, $r: DateRangeInput!) { video(id: $id, range: $r) { id } }',
      variables: { id: videoId, r: range },
    }),
  },
  liveSessions: {
    scope: 'content.read',
    guards: ['analytics.live_list'],
    operation: async () => ({
      query: 'query ($r: DateRangeInput!) { liveSessions(range: $r, first: 1) { totalCount } }',
      variables: { r: range },
    }),
  },
  authorizationUrl: {
    scope: 'oauth.manage',
    operation: async () => ({ query: '{ authorizationUrl { url expiresAt } }' }),
  },
  authorizedSellers: {
    scope: 'oauth.manage',
    operation: async () => ({ query: '{ authorizedSellers { openId } }' }),
  },
  updateInventory: {
    scope: 'inventory.write',
    guards: ['product.detail', 'inventory.update'],
    operation: async ({ productId, skuId, warehouseId, quantity }) => ({
      query:
        'mutation ($input: UpdateInventoryInput!) { updateInventory(input: $input) { updatedCount } }',
      variables: { input: { productId, skus: [{ skuId, warehouseId, quantity }] } },
    }),
  },
  bulkUpdateInventory: {
    scope: 'inventory.write',
    guards: ['product.detail', 'inventory.update'],
    operation: async ({ productId, skuId, warehouseId, quantity }) => ({
      query:
        'mutation ($input: BulkUpdateInventoryInput!) { bulkUpdateInventory(input: $input) { updatedCount } }',
      variables: { input: { items: [{ productId, skuId, warehouseId, quantity }] } },
    }),
  },
  exchangeAuthorizationCode: {
    scope: 'oauth.manage',
    guards: ['token.get'],
    operation: async (_ids, t) => {
      const link = t.sellers.authorizationUrl({ redirectUri: 'http://127.0.0.1/oauth/callback' });
      const { code, state } = await authorizeAsSeller(link.url);
      return {
        query:
          'mutation ($input: ExchangeAuthorizationCodeInput!) { exchangeAuthorizationCode(input: $input) { openId } }',
        variables: { input: { code, state } },
      };
    },
  },
  refreshAccessToken: {
    scope: 'oauth.manage',
    guards: ['token.refresh'],
    operation: async () => ({ query: 'mutation { refreshAccessToken { openId } }' }),
  },
  webhookSubscriptions: {
    scope: 'webhook.manage',
    guards: ['event.webhooks.list'],
    operation: async () => ({ query: '{ webhookSubscriptions { eventType address } }' }),
  },
  updateWebhookSubscriptions: {
    scope: 'webhook.manage',
    guards: ['event.webhooks.update', 'event.webhooks.list'],
    operation: async () => ({
      query:
        'mutation ($input: UpdateWebhookSubscriptionsInput!) { updateWebhookSubscriptions(input: $input) { shopId } }',
      variables: {
        input: { address: 'https://hooks.example.com/tiktok', set: ['ORDER_STATUS_CHANGE'] },
      },
    }),
  },
  orderStatusChanged: {
    scope: 'order.read',
    event: ({ orderId }) => ({ type: 1, data: { order_id: orderId, order_status: 'UNPAID' } }),
    operation: async () => ({ query: 'subscription { orderStatusChanged { orderId status } }' }),
  },
  productChanged: {
    scope: 'product.read',
    event: ({ productId }) => ({ type: 16, data: { product_id: productId } }),
    operation: async () => ({ query: 'subscription { productChanged { productId kind } }' }),
  },
  inventoryStatusChanged: {
    scope: 'inventory.read',
    event: ({ productId, skuId }) => ({
      type: 27,
      data: { product_id: productId, sku_id: skuId, current_inventory_status: 'LOW_STOCK' },
    }),
    operation: async () => ({ query: 'subscription { inventoryStatusChanged { skuId status } }' }),
  },
  sellerAuthorizationChanged: {
    scope: 'oauth.manage',
    event: () => ({ type: 7, data: { expiration_time: 1_900_000_000 } }),
    operation: async () => ({ query: 'subscription { sellerAuthorizationChanged { kind } }' }),
  },
  tiktokEvents: {
    scope: 'events.read',
    event: () => ({ type: 99, data: { anything: true } }),
    operation: async () => ({ query: 'subscription { tiktokEvents { type data } }' }),
  },
};

describe('scope matrix', () => {
  let t: TestGateway;
  let ids: Ids;
  let webhooks: WebhookTarget;
  /** Sends the operation of `field` as a query would be, or over SSE for a subscription. */
  const run = (
    field: string,
    query: string,
    variables: Record<string, unknown> | undefined,
    apiKey: string | null,
  ) => {
    const event = MATRIX[field]?.event;
    if (!event) return t.executeText(query, variables, { apiKey });
    const shopId = t.seller.shops[0]?.id;
    return firstReply({
      url: `http://127.0.0.1:${webhooks.port}`,
      query,
      variables,
      apiKey,
      bus: t.app.liveUpdates.events,
      trigger: () => webhooks.deliver(deliveryBody({ shopId, ...event(ids) })),
    });
  };
  beforeAll(async () => {
    const keys = GATEWAY_SCOPES.flatMap((scope) => [
      `only-${scope}:${keyOnly(scope)}:${scope}`,
      `without-${scope}:${keyWithout(scope)}:${GATEWAY_SCOPES.filter((s) => s !== scope).join('+')}`,
    ]);
    t = await startTestGateway({ apiKeys: keys.join(','), jwtSecret: JWT_SECRET });
    const found = await t.executeText(
      `query ($r: DateRangeInput!) {
        products(first: 20, filter: { status: ACTIVATE }) {
          edges { node { id skus { id inventory { warehouses { warehouseId availableQuantity } } } } }
        }
        orders(first: 1) { edges { node { id } } }
        videos(range: $r, first: 1) { edges { node { id } } }
      }`,
      { r: range },
      { apiKey: keyWithout('oauth.manage') },
    );
    const data = found.body.data as Json;
    const product = data.products.edges[0].node;
    const sku = product.skus[0];
    ids = {
      productId: product.id,
      skuId: sku.id,
      warehouseId: sku.inventory.warehouses[0].warehouseId,
      quantity: sku.inventory.warehouses[0].availableQuantity,
      orderId: data.orders.edges[0].node.id,
      videoId: data.videos.edges[0].node.id,
    };
    webhooks = await serveWebhooks(t.app);
    await until(() => t.app.liveUpdates.events.subscribers === 1);
  });
  afterAll(async () => {
    await webhooks?.close();
    await t.close();
  });

  it('covers every root field, mutation and subscription of the schema', () => {
    const fields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
      ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}),
    ].sort();
    expect(Object.keys(MATRIX).sort()).toEqual(fields);
  });

  describe.each(Object.entries(MATRIX))('%s', (field, { scope, guards, operation }) => {
    it(`resolves with only ${scope === 'any' ? 'any one scope' : scope}`, async () => {
      const { query, variables } = await operation(ids, t);
      const key = keyOnly(scope === 'any' ? 'content.read' : scope);
      const { status, body } = await run(field, query, variables as Record<string, unknown>, key);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect((body.data as Record<string, unknown>)[field]).not.toBeNull();
    });

    it('is FORBIDDEN, naming the scope, without it; nothing goes upstream', async () => {
      const { query, variables } = await operation(ids, t);
      t.resetCalls();
      let reply: Awaited<ReturnType<TestGateway['executeText']>>;
      if (scope === 'any') {
        // API keys always hold a scope; a JWT can hold none the gateway knows.
        const jwt = await new SignJWT({ scope: 'billing.read' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('outsider')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(JWT_SECRET));
        reply = await run(field, query, variables as Record<string, unknown>, jwt);
      } else {
        reply = await run(field, query, variables as Record<string, unknown>, keyWithout(scope));
      }
      expect(reply.status).toBe(200);
      expect((reply.body.data as Record<string, unknown> | null)?.[field] ?? null).toBeNull();
      expect(reply.body.errors).toHaveLength(1);
      expect(reply.body.errors![0]!.path).toEqual([field]);
      expect(reply.body.errors![0]!.extensions).toEqual({
        code: 'FORBIDDEN',
        scope: scope === 'any' ? 'any gateway scope' : scope,
      });
      for (const endpoint of guards ?? []) expect(t.calls()[endpoint] ?? 0).toBe(0);
    });

    it('answers 401 without a credential', async () => {
      const { query, variables } = await operation(ids, t);
      const { status, body } = await run(field, query, variables as Record<string, unknown>, null);
      expect(status).toBe(401);
      expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    });
  });
});

describe('nested fields that cross domains check their own scope', () => {
  let t: TestGateway;
  let productId: string;
  beforeAll(async () => {
    const keys = [
      ...GATEWAY_SCOPES.map((scope) => `only-${scope}:${keyOnly(scope)}:${scope}`),
      `pair:pair-key-0123456789abcdef:order.read+product.read+inventory.read+analytics.read+content.read`,
    ];
    t = await startTestGateway({ apiKeys: keys.join(',') });
    const found = await t.executeText(
      '{ products(first: 1) { edges { node { id } } } }',
      {},
      {
        apiKey: 'pair-key-0123456789abcdef',
      },
    );
    productId = (found.body.data as Json).products.edges[0].node.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    [
      'Order.lineItems.product / sku',
      'order.read',
      'product.read',
      '{ orders(first: 1) { edges { node { lineItems { product { id } sku { id } } } } } }',
    ],
    [
      'Sku.inventory',
      'product.read',
      'inventory.read',
      '{ products(first: 1) { edges { node { skus { inventory { totalAvailableQuantity } } } } } }',
    ],
    [
      'Product.performance',
      'product.read',
      'analytics.read',
      `{ products(first: 1) { edges { node { performance(range: { start: "${range.start}", end: "${range.end}" }) { latestAvailableDate } } } } }`,
    ],
    [
      'Product.videos',
      'product.read',
      'content.read',
      `{ products(first: 1) { edges { node { videos(range: { start: "${range.start}", end: "${range.end}" }) { id } } } } }`,
    ],
    [
      'ProductInventory.product',
      'inventory.read',
      'product.read',
      '{ warehouses { id } inventory(productIds: ["PRODUCT_ID"]) { product { id } } }',
    ],
    [
      'ProductPerformance.product and SkuPerformance.sku',
      'analytics.read',
      'product.read',
      `{ productPerformances(range: { start: "${range.start}", end: "${range.end}" }, first: 1) { edges { node { product { id } } } }
         skuPerformances(range: { start: "${range.start}", end: "${range.end}" }, first: 1) { edges { node { sku { id } } } } }`,
    ],
    [
      'VideoProduct.product',
      'content.read',
      'product.read',
      `{ videos(range: { start: "${range.start}", end: "${range.end}" }, first: 1) { edges { node { products(first: 1) { edges { node { product { id } } } } } } } }`,
    ],
  ])('%s: %s alone is FORBIDDEN %s on the nested field', async (_name, outer, inner, query) => {
    const text = query.replace('PRODUCT_ID', productId);
    const only = await t.executeText(text, {}, { apiKey: keyOnly(outer) });
    expect(only.status).toBe(200);
    const errors = only.body.errors ?? [];
    // The outer field resolves; every error is the nested field's missing scope.
    for (const error of errors) {
      expect(error.extensions).toEqual({ code: 'FORBIDDEN', scope: inner });
      expect(error.path!.length).toBeGreaterThan(1);
    }
    expect(errors.length).toBeGreaterThan(0);
    const both = await t.executeText(text, {}, { apiKey: 'pair-key-0123456789abcdef' });
    expect(both.body.errors).toBeUndefined();
  });
});
