// The protocol corrections of issue 11 as a client sees them through GraphQL, counted from the
// emulator's log: unfiltered searches send no body, the SKU-id filter goes to 202312, 36009009 is
// an internal error naming the path (logged at error level), 36009037 a rate limit not retried.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** Every line logged at error level, with its fields. */
const errorLines: Array<{ fields: Record<string, unknown>; message: string }> = [];
const capturingLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (fields, message) => errorLines.push({ fields, message }),
};

describe('protocol corrections through GraphQL', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      logger: capturingLogger,
      // Retries on, so a test can see which answers are repeated and which are not.
      env: {
        TIKTOK_SHOP_MAX_ATTEMPTS: '4',
        TIKTOK_SHOP_RETRY_BASE_MS: '5',
        // §7's schedule, scaled down: 5 retries after 429s.
        TIKTOK_SHOP_RATE_LIMIT_RETRIES: '5',
        TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MS: '5',
        TIKTOK_SHOP_RATE_LIMIT_JITTER_MS: '5',
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.emulator.setFaults({});
    t.cache.clear();
    t.resetCalls();
    errorLines.length = 0;
  });

  const requestsTo = (path: string) => t.emulator.requests().filter((entry) => entry.path === path);
  /** Every warehouses call answers this status and TikTok code. */
  const warehousesAnswer = (status: number, code: number) =>
    t.emulator.setFaults({
      codeAnswer: { status, code },
      codeRate: 1,
      pathPrefixes: ['/logistics/'],
    });

  it('products and orders without a filter send no body', async () => {
    const { body } = await t.executeText(
      '{ products(first: 3) { totalCount } orders(first: 3) { totalCount } }',
    );
    expect(body.errors).toBeUndefined();
    for (const path of ['/product/202309/products/search', '/order/202309/orders/search']) {
      const [entry, ...more] = requestsTo(path);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({ code: 0, received: { body: '' } });
    }
  });

  it('products filtered by SKU id come from /product/202312/products/search', async () => {
    const first = await t.executeText<Json>(
      '{ products(first: 1) { edges { node { id skus { id } } } } }',
    );
    const product = first.body.data!.products.edges[0].node;
    t.resetCalls();
    const { body } = await t.executeText<Json>(
      'query ($skuIds: [ID!]) { products(first: 5, filter: { skuIds: $skuIds }) { edges { node { id } } } }',
      { skuIds: [product.skus[0].id] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.products.edges.map((edge: Json) => edge.node.id)).toEqual([product.id]);
    expect(t.calls()).toEqual({ 'product.search.202312': 1 });
  });

  it('36009009 is INTERNAL_SERVER_ERROR naming the path, logged at error level, never NOT_FOUND', async () => {
    warehousesAnswer(404, 36009009);
    const { status, body } = await t.executeText('{ shops { id } warehouses { id } }');
    expect(status).toBe(200);
    expect((body.data as Json).shops.length).toBeGreaterThan(0);
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors!;
    expect(error!.extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      tiktokCode: 36009009,
    });
    expect(error!.message).toContain('GET /logistics/202309/warehouses');
    expect(requestsTo('/logistics/202309/warehouses')).toHaveLength(1);
    // The datasource's own line (Yoga may add one of its own for the masked error).
    const pathLines = errorLines.filter((line) => 'error' in line.fields);
    expect(pathLines).toEqual([
      {
        message: expect.stringContaining('does not know the path'),
        fields: {
          error: expect.objectContaining({
            code: 36009009,
            method: 'GET',
            path: '/logistics/202309/warehouses',
          }),
          // The line of a request carries its id (issue 12).
          requestId: expect.any(String),
        },
      },
    ]);
  });

  it('36009037 is RATE_LIMITED with reason SANDBOX_HOURLY_QUOTA, sent once; 36009002 is retried', async () => {
    for (const [code, reason, attempts] of [
      [36009037, 'SANDBOX_HOURLY_QUOTA', 1],
      [36009002, 'THROTTLED', 6], // TIKTOK_SHOP_RATE_LIMIT_RETRIES + 1
    ] as const) {
      t.resetCalls();
      warehousesAnswer(429, code);
      const { body } = await t.executeText('{ warehouses { id } }');
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        reason,
        tiktokCode: code,
      });
      expect(requestsTo('/logistics/202309/warehouses')).toHaveLength(attempts);
    }
  });
  it("an invalid request carries TikTok's own message, with anything token-like stripped", async () => {
    const token = 'ROW_Q8h2kX9vLmN4pR7sT1uW3yZ5aB6cD0eF';
    t.emulator.setFaults({
      codeAnswer: {
        status: 400,
        code: 12019109,
        message: `'page_size' must be at most 100 (token ${token})`,
      },
      codeRate: 1,
      pathPrefixes: ['/logistics/'],
    });
    const { body } = await t.executeText('{ warehouses { id } }');
    const [error] = body.errors ?? [];
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      tiktokCode: 12019109,
      tiktokMessage: "'page_size' must be at most 100 (token [redacted])",
    });
    expect(error?.message).toContain('TikTok rejected the request as invalid');
    expect(error?.message).toContain("'page_size' must be at most 100");
    expect(JSON.stringify(body)).not.toContain(token);
  });
});
