// GRAPHIQL_ENABLED and INTROSPECTION_ENABLED (issue 12), over real HTTP on a loopback port: their
// defaults (on, except for a production service: NODE_ENV=production outside sandbox mode), the
// page's files served from the gateway itself with their caching and security headers, and
// introspection refused by code, nothing run, while `__typename` still answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/settings.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';
import { type LoopbackServer, send, serveOnLoopback } from '../helpers/http.js';

const AUTH = { authorization: `Bearer ${TEST_API_KEY}` };
const ASSETS = [
  ['/graphiql/graphiql.js', 'text/javascript'],
  ['/graphiql/graphiql.css', 'text/css'],
  ['/graphiql/start.js', 'text/javascript'],
  ['/graphiql/favicon.ico', 'image/x-icon'],
  ['/graphiql/editor.worker.js', 'text/javascript'],
  ['/graphiql/json.worker.js', 'text/javascript'],
  ['/graphiql/graphql.worker.js', 'text/javascript'],
] as const;

let t: TestGateway;
let server: LoopbackServer;
async function serve(env: Record<string, string>) {
  t = await startTestGateway({ env });
  server = await serveOnLoopback(t.gateway);
}
async function stop() {
  await server.close();
  await t.close();
}

const page = () => send(server.port, { path: '/graphql', headers: { accept: 'text/html' } });
// GraphQL over HTTP's media type: a validation failure is then HTTP 400 (200 for plain JSON).
const query = (text: string) =>
  send(server.port, {
    method: 'POST',
    path: '/graphql',
    headers: {
      ...AUTH,
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
    },
    body: JSON.stringify({ query: text }),
  });

describe('GraphiQL and introspection on (the default outside production)', () => {
  const assetBytes: Record<string, number> = {};
  beforeAll(() => serve({}));
  afterAll(async () => {
    const total = Object.values(assetBytes).reduce((sum, bytes) => sum + bytes, 0);
    console.info(`GraphiQL files: ${total} bytes in all, ${JSON.stringify(assetBytes)}`);
    await stop();
  });

  it('serves a page that loads only files of this gateway', async () => {
    const reply = await page();
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/html');
    expect(reply.text).toContain('<title>TikTok Shop gateway</title>');
    const urls = [...reply.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\//);
    expect(reply.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
    expect(reply.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it.each(ASSETS)('serves %s, revalidated by ETag', async (path, type) => {
    const reply = await send(server.port, { path });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain(type);
    assetBytes[path] = Number(reply.headers['content-length']);
    expect(assetBytes[path]).toBeGreaterThan(100);
    const etag = reply.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await send(server.port, { path, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers introspection', async () => {
    const reply = await query('{ __schema { queryType { name } } __type(name: "Shop") { name } }');
    expect(reply.status).toBe(200);
    expect(reply.json.data).toEqual({
      __schema: { queryType: { name: 'Query' } },
      __type: { name: 'Shop' },
    });
  });
});

describe('a production service (NODE_ENV=production, TikTok credentials)', () => {
  beforeAll(() => serve({ NODE_ENV: 'production' }));
  afterAll(stop);

  it('serves no GraphiQL page and none of its files', async () => {
    const reply = await page();
    expect(reply.text).not.toContain('GraphiQL');
    expect(reply.status).toBe(401);
    for (const [path] of ASSETS) {
      const asset = await send(server.port, { path });
      expect(asset.status).toBe(404);
      expect(asset.json.errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it.each([
    ['__schema', '{ __schema { types { name } } }'],
    ['__type', '{ __type(name: "Shop") { fields { name } } }'],
    ['__schema', 'query Sneaky { shops { id } ... on Query { __schema { queryType { name } } } }'],
  ])('refuses %s by code, running nothing', async (field, text) => {
    t.resetCalls();
    const reply = await query(text);
    expect(reply.status).toBe(400);
    expect(reply.json.data).toBeUndefined();
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'INTROSPECTION_DISABLED',
    });
    expect(reply.json.errors[0].message).toContain(`"${field}" is not available`);
    expect(t.totalCalls()).toBe(0);
  });

  it('still answers __typename', async () => {
    const reply = await query('{ __typename shops { __typename id } }');
    expect(reply.status).toBe(200);
    expect(reply.json.data.__typename).toBe('Query');
    expect(reply.json.data.shops[0].__typename).toBe('Shop');
  });
});

describe('a production service that turns both on', () => {
  beforeAll(() =>
    serve({ NODE_ENV: 'production', GRAPHIQL_ENABLED: 'true', INTROSPECTION_ENABLED: 'yes' }),
  );
  afterAll(stop);

  it('serves the page and introspection', async () => {
    expect((await page()).text).toContain('GraphiQL');
    expect((await query('{ __schema { queryType { name } } }')).status).toBe(200);
  });
});

describe('the defaults', () => {
  const tiktok = { TIKTOK_SHOP_APP_KEY: 'k', TIKTOK_SHOP_APP_SECRET: 's' };
  const switches = (env: Record<string, string>) => {
    const { graphiql, introspection } = loadSettings(env).clientAccess;
    return { graphiql, introspection };
  };

  it.each([
    ['sandbox', {}, true],
    ['sandbox in production', { NODE_ENV: 'production' }, true],
    ['TikTok in development', { ...tiktok, NODE_ENV: 'development' }, true],
    ['TikTok without NODE_ENV', tiktok, true],
    ['TikTok in production', { ...tiktok, NODE_ENV: 'production' }, false],
  ])('%s: %s', (_name, env, on) => {
    expect(switches(env)).toEqual({ graphiql: on, introspection: on });
  });

  it('each can be set either way', () => {
    expect(switches({ GRAPHIQL_ENABLED: 'false', INTROSPECTION_ENABLED: '0' })).toEqual({
      graphiql: false,
      introspection: false,
    });
    expect(() => loadSettings({ GRAPHIQL_ENABLED: 'maybe' })).toThrow(
      /GRAPHIQL_ENABLED: must be true or false/,
    );
  });
});
