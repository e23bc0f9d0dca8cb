// CORS_ORIGINS (issue 12), over real HTTP on a loopback port: only listed origins get CORS headers
// (on preflights and actual requests); a preflight from another origin is 403 FORBIDDEN and runs
// nothing; without the variable only the gateway's own origin may call from a browser, and in
// sandbox mode also loopback origins; a GraphiQL page is never shared cross-origin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError } from '../../src/config.js';
import { loadSettings } from '../../src/settings.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';
import { send, serveOnLoopback } from '../helpers/http.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const EVIL = 'https://evil.example';
/** Costs one upstream call (order.search, not cached), so execution shows in the emulator log. */
const QUERY = '{ orders(first: 1) { totalCount } }';

interface Served {
  port: number;
  close(): Promise<void>;
}

const preflight = (port: number, origin: string) =>
  send(port, {
    method: 'OPTIONS',
    path: '/graphql',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

const post = (port: number, origin: string) =>
  send(port, {
    method: 'POST',
    path: '/graphql',
    headers: {
      origin,
      'content-type': 'application/json',
      authorization: `Bearer ${TEST_API_KEY}`,
    },
    body: JSON.stringify({ query: QUERY }),
  });

async function serveTestGateway(env: Record<string, string>): Promise<Served & { t: TestGateway }> {
  const t = await startTestGateway({ env: { CACHE_ENABLED: 'false', ...env } });
  const server = await serveOnLoopback(t.gateway);
  return {
    t,
    port: server.port,
    close: async () => {
      await server.close();
      await t.close();
    },
  };
}

describe('CORS_ORIGINS lists two origins', () => {
  let served: Served & { t: TestGateway };
  beforeAll(async () => {
    served = await serveTestGateway({ CORS_ORIGINS: `${APP}, ${ADMIN}/` });
  });
  afterAll(() => served.close());

  it.each([APP, ADMIN])('answers a preflight from %s', async (origin) => {
    const reply = await preflight(served.port, origin);
    expect(reply.status).toBe(204);
    expect(reply.headers).toMatchObject({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    expect(reply.headers.vary).toContain('Origin');
    // Credentials are headers, never cookies.
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets a listed origin read an answer', async () => {
    served.t.resetCalls();
    const reply = await post(served.port, APP);
    expect(reply.status).toBe(200);
    expect(reply.json.data.orders.totalCount).toBeGreaterThan(0);
    expect(reply.headers['access-control-allow-origin']).toBe(APP);
    expect(reply.headers.vary).toContain('Origin');
    expect(served.t.calls()['order.search']).toBe(1);
  });

  it.each([EVIL, 'http://app.example.com', 'https://app.example.com:8443', 'null'])(
    'refuses a preflight from %s, runs nothing',
    async (origin) => {
      served.t.resetCalls();
      const reply = await preflight(served.port, origin);
      expect(reply.status).toBe(403);
      expect(reply.json.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(reply.json.errors[0].message).toContain('CORS_ORIGINS');
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(served.t.totalCalls()).toBe(0);
    },
  );

  it('answers an actual request from another origin without CORS headers', async () => {
    const reply = await post(served.port, EVIL);
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(reply.headers.vary).toContain('Origin');
  });

  it('never shares the GraphiQL page cross-origin', async () => {
    const reply = await send(served.port, {
      path: '/graphql',
      headers: { origin: APP, accept: 'text/html' },
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('GraphiQL');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('without CORS_ORIGINS, outside sandbox mode', () => {
  let served: Served & { t: TestGateway };
  beforeAll(async () => {
    served = await serveTestGateway({});
  });
  afterAll(() => served.close());

  it.each([APP, 'http://localhost:3000', 'http://127.0.0.1:4000'])(
    'refuses a preflight from %s',
    async (origin) => {
      const reply = await preflight(served.port, origin);
      expect(reply.status).toBe(403);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    },
  );

  it('gives an actual request no CORS headers', async () => {
    const reply = await post(served.port, APP);
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves its own origin, which sends no preflight and needs no header', async () => {
    const reply = await post(served.port, `http://127.0.0.1:${served.port}`);
    expect(reply.status).toBe(200);
    expect(reply.json.data.orders.totalCount).toBeGreaterThan(0);
  });

  it('answers an OPTIONS request without Origin (not a preflight) with 204', async () => {
    const reply = await send(served.port, { method: 'OPTIONS', path: '/graphql' });
    expect(reply.status).toBe(204);
  });
});

describe('CORS_ORIGINS=*', () => {
  let served: Served & { t: TestGateway };
  beforeAll(async () => {
    served = await serveTestGateway({ CORS_ORIGINS: '*' });
  });
  afterAll(() => served.close());

  it('answers any origin with that origin', async () => {
    const reply = await preflight(served.port, EVIL);
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(EVIL);
    expect((await post(served.port, EVIL)).headers['access-control-allow-origin']).toBe(EVIL);
  });
});

describe('sandbox mode without CORS_ORIGINS', () => {
  let dir: string;
  let served: Served;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cors-sandbox-'));
    const app = await createApp(
      loadSettings({ LOG_LEVEL: 'silent', TOKEN_STORE_PATH: join(dir, 'tokens.json') }),
      { sandbox: { scale: 0.05, authorizeDemoSeller: false } },
    );
    const server = await serveOnLoopback(app.gateway);
    served = {
      port: server.port,
      close: async () => {
        await server.close();
        await app.close();
      },
    };
  });
  afterAll(async () => {
    await served.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:5173', 'http://[::1]:8080'])(
    'lets a frontend in development at %s call',
    async (origin) => {
      const reply = await preflight(served.port, origin);
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBe(origin);
    },
  );

  it.each([APP, 'http://localhost.evil.example:3000'])('refuses %s', async (origin) => {
    const reply = await preflight(served.port, origin);
    expect(reply.status).toBe(403);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS_ORIGINS values', () => {
  const corsOf = (value: string | undefined) =>
    loadSettings({ CORS_ORIGINS: value, TIKTOK_SHOP_APP_KEY: 'k', TIKTOK_SHOP_APP_SECRET: 's' })
      .clientAccess.cors;

  it('reads origins as a browser sends them', () => {
    expect(corsOf(' https://App.example.com:443/ ,http://localhost:3000')).toEqual({
      anyOrigin: false,
      loopbackOrigins: false,
      origins: [APP, 'http://localhost:3000'],
    });
    expect(corsOf('*').anyOrigin).toBe(true);
    expect(corsOf(undefined)).toEqual({ anyOrigin: false, loopbackOrigins: false, origins: [] });
  });

  it.each([
    'https://app.example.com/path',
    'app.example.com',
    'ftp://app.example.com',
    'https://user:pw@app.example.com',
    'https://app.example.com?x=1',
    'https://app.example.com,',
  ])('refuses %j by name', (value) => {
    expect(() => corsOf(value)).toThrow(ConfigError);
    expect(() => corsOf(value)).toThrow(/CORS_ORIGINS: comma-separated origins/);
  });
});
