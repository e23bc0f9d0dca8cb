// Who may call: API keys (plain and sha256), JWTs, 401 before anything runs, open health check and
// GraphiQL page; and the query limits (graphql-armor) with their env overrides.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/caller.js';
import { ConfigError } from '../../src/config.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/schema/query-limits.js';
import { loadSettings } from '../../src/settings.js';
import { type Json, startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';

const ORDERS_ONLY_KEY = 'orders-only-key-0123456789abcdef';
const HASHED_KEY = 'hashed-key-abcdef0123456789abcdef';
const JWT_SECRET = 'jwt-secret-for-tests-0123456789abcdef0123';

describe('callers', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      apiKeys:
        `all:${TEST_API_KEY}:*,orders:${ORDERS_ONLY_KEY}:order.read,` +
        `hashed:${hashApiKey(HASHED_KEY)}:product.read+inventory.read`,
      env: {},
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (headers: Record<string, string>, query = '{ shops { id } }') =>
    t.gateway.fetch('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('answers 401 UNAUTHENTICATED without a credential, before any upstream call', async () => {
    t.resetCalls();
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    const body = (await response.json()) as { data?: unknown; errors: unknown[] };
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: expect.stringContaining('Authorization: Bearer'),
        extensions: { code: 'UNAUTHENTICATED' },
      },
    ]);
    expect(t.totalCalls()).toBe(0);
  });

  it.each([
    ['an unknown key', { authorization: 'Bearer not-a-key-that-anyone-holds' }],
    ['a malformed Authorization header', { authorization: `Basic ${TEST_API_KEY}` }],
    [
      'both headers at once',
      { authorization: `Bearer ${TEST_API_KEY}`, 'x-api-key': TEST_API_KEY },
    ],
    ['a JWT while none is accepted', { authorization: 'Bearer aaaa.bbbb.cccc' }],
  ])('answers 401 for %s, never echoing the key', async (_name, headers) => {
    const response = await post(headers);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain('not-a-key-that-anyone-holds');
  });

  it('accepts Authorization: Bearer, x-api-key and sha256-configured keys', async () => {
    const accepted: Array<Record<string, string>> = [
      { authorization: `Bearer ${TEST_API_KEY}` },
      { 'x-api-key': TEST_API_KEY },
      { 'x-api-key': HASHED_KEY },
    ];
    for (const headers of accepted) {
      const response = await post(headers);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { shops: unknown[] } };
      expect(body.data.shops.length).toBeGreaterThan(0);
    }
  });

  it('keeps /healthz and the GraphiQL page open, without leaking any key', async () => {
    expect((await t.gateway.fetch('http://127.0.0.1/healthz')).status).toBe(200);
    const page = await t.gateway.fetch('http://127.0.0.1/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toContain(TEST_API_KEY);
  });

  it('applies the scopes of the key: FORBIDDEN names the missing one', async () => {
    const response = await post(
      { 'x-api-key': ORDERS_ONLY_KEY },
      '{ orders(first: 1) { totalCount } products(first: 1) { totalCount } }',
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: Record<string, unknown>;
      errors: Array<{ path: string[]; message: string; extensions: Record<string, unknown> }>;
    };
    expect(body.data.orders).toEqual({ totalCount: expect.any(Number) });
    expect(body.data.products).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      path: ['products'],
      message: 'Caller orders lacks scope product.read',
      extensions: { code: 'FORBIDDEN', scope: 'product.read' },
    });
  });
});

describe('JWT callers', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ apiKeys: '', jwtSecret: JWT_SECRET });
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes scopes from the `scope` claim of an HS256 token', async () => {
    const sign = (scope: string, expiresIn = '5m') =>
      new SignJWT({ scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('dashboard')
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(new TextEncoder().encode(JWT_SECRET));
    const ask = async (token: string) => {
      const response = await t.gateway.fetch('http://127.0.0.1/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ warehouses { id } orders(first: 1) { totalCount } }' }),
      });
      return { status: response.status, body: (await response.json()) as Json };
    };

    const granted = await ask(await sign('inventory.read some.other.service'));
    expect(granted.status).toBe(200);
    expect(granted.body.data.warehouses.length).toBeGreaterThan(0);
    expect(granted.body.data.orders).toBeNull();
    expect(granted.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN', scope: 'order.read' });
    expect(granted.body.errors[0].message).toContain('dashboard');

    const expired = await ask(await sign('inventory.read', '-1m'));
    expect(expired.status).toBe(401);
    expect(expired.body.errors[0].message).toBe('Bearer token has expired');

    const forged = `${(await sign('inventory.read')).slice(0, -4)}AAAA`;
    expect((await ask(forged)).status).toBe(401);
  });
});

describe('query limits', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });

  const spec = { headers: { accept: 'application/graphql-response+json' } };

  it.each([
    [
      'too deep',
      'maxDepth',
      '{ orders(first: 1) { edges { node { lineItems { product { skus { inventory { warehouses { warehouse { address { city } } } } } } } } } } }',
      /depth limit of 10 exceeded, found 11/,
    ],
    [
      'too many aliases',
      'maxAliases',
      `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: shops { id }`).join(' ')} }`,
      /Aliases limit of 15 exceeded, found 16/,
    ],
    [
      'too large',
      'maxTokens',
      `{ shops { ${'id '.repeat(5_001)} } }`,
      /Token limit of 5000 exceeded/,
    ],
    [
      'too costly',
      'maxCost',
      `{ ${Array.from({ length: 8 }, (_, i) => `p${i}: products(first: 100) { edges { node { id status skus { id inventory { warehouses { warehouseId availableQuantity } } } } } }`).join(' ')} }`,
      /Query Cost limit of 50000 exceeded/,
    ],
  ])(
    'refuses a query that is %s: 400, BAD_USER_INPUT, nothing runs',
    async (_name, limit, query, message) => {
      // The same status whatever the client accepts (issue 11): GraphiQL sends application/json.
      for (const accept of [spec.headers.accept, 'application/json']) {
        t.resetCalls();
        const { status, body } = await t.executeText(query, {}, { headers: { accept } });
        expect(status).toBe(400);
        expect(body.data).toBeUndefined();
        expect(body.errors).toHaveLength(1);
        expect(body.errors![0]!.message).toMatch(message);
        expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit });
        expect(t.totalCalls()).toBe(0);
      }
    },
  );

  it('runs every example operation within the defaults', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const dir = resolve(import.meta.dirname, '../../operations');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.graphql'))) {
      const query = readFileSync(resolve(dir, file), 'utf8');
      // A subscription answers as an event stream, not one JSON body: its limits are checked by
      // the same plugins on subscribe (test/schema/subscriptions.test.ts streams it).
      if (/^\s*subscription\b/m.test(query)) continue;
      const { body } = await t.executeText(
        query,
        {
          range: { start: '2024-01-01', end: '2024-01-02' },
          productIds: ['1'],
          productId: '1',
          orderId: '1',
          videoId: '1',
          id: '1',
        },
        spec,
      );
      const limits = (body.errors ?? []).filter((error) => error.extensions?.limit);
      expect(limits, file).toEqual([]);
    }
  });

  it('answers 413 to a body over GRAPHQL_MAX_BODY_BYTES', async () => {
    const small = await startTestGateway({
      queryLimits: { ...DEFAULT_QUERY_LIMITS, maxBodyBytes: 200 },
    });
    try {
      const { status, body } = await small.executeText('{ shops { id } }', {
        padding: 'x'.repeat(300),
      });
      expect(status).toBe(413);
      expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    } finally {
      await small.close();
    }
  });

  it('reads the limits from the environment and names bad values', () => {
    const loadQueryLimits = (env: Record<string, string>) => loadSettings(env).queryLimits;
    expect(loadQueryLimits({})).toEqual(DEFAULT_QUERY_LIMITS);
    expect(loadQueryLimits({ GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COST: '100' })).toMatchObject({
      maxDepth: 4,
      maxCost: 100,
    });
    expect(() => loadQueryLimits({ GRAPHQL_MAX_DEPTH: 'deep', GRAPHQL_MAX_TOKENS: '0' })).toThrow(
      ConfigError,
    );
    try {
      loadQueryLimits({ GRAPHQL_MAX_DEPTH: 'deep', GRAPHQL_MAX_TOKENS: '0' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'GRAPHQL_MAX_DEPTH: must be a number',
        'GRAPHQL_MAX_TOKENS: must be greater than 0',
      ]);
    }
  });

  it('applies a lowered depth limit', async () => {
    const strict = await startTestGateway({
      queryLimits: { ...DEFAULT_QUERY_LIMITS, maxDepth: 2 },
    });
    try {
      const ok = await strict.executeText('{ shops { id } }', {}, spec);
      expect(ok.status).toBe(200);
      const deep = await strict.executeText('{ warehouses { address { city } } }', {}, spec);
      expect(deep.status).toBe(400);
      expect(deep.body.errors![0]!.message).toContain('limit of 2');
    } finally {
      await strict.close();
    }
  });
});
