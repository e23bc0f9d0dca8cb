import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticCredentials } from '../../src/datasources/tiktok/static-credentials.js';
import { SCOPES } from '../../src/emulator/scopes.js';
import { encodeCursor } from '../../src/schema/connection.js';
import {
  OrdersDocument,
  ProductDocument,
  ShopPerformanceDocument,
  ShopsDocument,
  WarehousesDocument,
} from '../generated/graphql.js';
import { lastDays, startTestGateway, type TestGateway } from '../helpers/gateway.js';

describe('errors a client sees', () => {
  describe('with a healthy token', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway();
      await t.execute(ShopsDocument);
    });
    afterAll(async () => {
      await t.close();
    });

    it('fails only the field whose upstream call failed (UPSTREAM_ERROR with requestId)', async () => {
      t.emulator.setFaults({ errorRate: 1, pathPrefixes: ['/analytics'] });
      try {
        const { status, body } = await t.executeText(
          `query ($range: DateRangeInput!) {
            shops { id }
            warehouses { id }
            shopPerformance(range: $range) { intervals { gmv { amount } } }
          }`,
          { range: lastDays(7) },
        );
        expect(status).toBe(200);
        const data = body.data as Record<string, unknown>;
        expect((data.shops as unknown[]).length).toBeGreaterThan(1);
        expect((data.warehouses as unknown[]).length).toBeGreaterThan(0);
        expect(data.shopPerformance).toBeNull();
        expect(body.errors).toHaveLength(1);
        const [error] = body.errors!;
        expect(error!.path).toEqual(['shopPerformance']);
        expect(error!.extensions).toMatchObject({
          code: 'UPSTREAM_ERROR',
          requestId: expect.stringMatching(/^[0-9A-F]{20,}$/),
        });
        expect(error!.message).toContain('analytics');
      } finally {
        t.emulator.setFaults({});
      }
    });

    it('reports throttling as RATE_LIMITED with retryAfterMs', async () => {
      t.cache.clear();
      await t.execute(ShopsDocument);
      t.emulator.setFaults({
        rateLimitRate: 1,
        retryAfterSeconds: 3,
        pathPrefixes: ['/logistics'],
      });
      try {
        const { status, body } = await t.execute(WarehousesDocument, {});
        expect(status).toBe(200);
        expect(body.data).toEqual({ warehouses: null });
        expect(body.errors![0]!.extensions).toMatchObject({
          code: 'RATE_LIMITED',
          retryAfterMs: 3000,
        });
      } finally {
        t.emulator.setFaults({});
      }
    });

    it.each([
      ['first above 100', OrdersDocument, { first: 101 }],
      ['negative first', OrdersDocument, { first: -1 }],
      ['a malformed cursor', OrdersDocument, { after: 'definitely-not-a-cursor' }],
      [
        "another list's cursor",
        OrdersDocument,
        { after: encodeCursor('products', { pageToken: null, offset: 2, pageSize: 10 }) },
      ],
      ['a non-numeric order id filter', OrdersDocument, { filter: { buyerUserId: 'bob' } }],
      ['a non-numeric product id', ProductDocument, { productId: 'abc', range: lastDays(7) }],
      [
        'an inverted date range',
        ShopPerformanceDocument,
        { range: { start: '2024-03-02', end: '2024-03-01' } },
      ],
    ] as const)(
      'rejects %s as BAD_USER_INPUT before any upstream call',
      async (_name, document, variables) => {
        t.resetCalls();
        // biome-ignore lint/suspicious/noExplicitAny: one table drives several typed documents.
        const { status, body } = await t.execute(document as any, variables);
        expect(status).toBe(200);
        expect(body.errors).toHaveLength(1);
        expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
        expect(t.totalCalls()).toBe(0);
      },
    );
  });

  it('reports a rejected token as UNAUTHENTICATED without echoing it', async () => {
    const bogus = 'TTP_bogus-token-that-must-not-leak';
    const t = await startTestGateway({ tokens: () => createStaticCredentials(bogus) });
    try {
      const { status, body } = await t.executeText('{ products(first: 1) { totalCount } }');
      expect(status).toBe(200);
      expect(body.data).toEqual({ products: null });
      expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      const text = JSON.stringify(body);
      expect(text).not.toContain(bogus);
      expect(text).not.toContain(t.emulator.appSecret);
    } finally {
      await t.close();
    }
  });

  it('reports a missing scope as FORBIDDEN while other fields resolve', async () => {
    const t = await startTestGateway({
      tokens: (emulator, seller) =>
        createStaticCredentials(
          emulator.issueTokens({
            openId: seller.openId,
            scopes: Object.values(SCOPES).filter((scope) => scope !== SCOPES.analytics),
          }).accessToken,
        ),
    });
    try {
      const { body } = await t.executeText(
        'query ($range: DateRangeInput!) { shops { id } shopPerformance(range: $range) { latestAvailableDate } }',
        { range: lastDays(3) },
      );
      expect((body.data as { shops: unknown[] }).shops.length).toBeGreaterThan(0);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    } finally {
      await t.close();
    }
  });

  it('masks unexpected failures: no details, INTERNAL_SERVER_ERROR', async () => {
    const detail = 'token store unreachable at redis://:hunter2@10.0.0.5';
    const t = await startTestGateway({
      tokens: () => ({
        accessToken: async () => {
          throw new Error(detail);
        },
        renewAccessToken: async () => undefined,
      }),
    });
    try {
      const { status, body } = await t.executeText('{ products(first: 1) { totalCount } }');
      expect(status).toBe(200);
      expect(body.data).toEqual({ products: null });
      expect(body.errors![0]!.message).toBe('Unexpected error.');
      expect(body.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(body)).not.toContain('hunter2');
    } finally {
      await t.close();
    }
  });
});
