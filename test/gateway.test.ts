import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { loadSettings } from '../src/settings.js';
import { OrdersDocument, ShopsDocument } from './generated/graphql.js';
import { dataOf, startTestGateway, type TestGateway } from './helpers/gateway.js';

const root = resolve(import.meta.dirname, '..');

describe('gateway', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()));
  });
  const start = async (options?: Parameters<typeof startTestGateway>[0]) => {
    const t = await startTestGateway(options);
    open.push(t);
    return t;
  };

  it('answers /healthz', async () => {
    const t: TestGateway = await start();
    const response = await t.gateway.fetch('http://127.0.0.1/healthz');
    expect(response.status).toBe(200);
  });

  it('serves GraphiQL at /graphql with every example operation preloaded', async () => {
    const t = await start();
    const response = await t.gateway.fetch('http://127.0.0.1/graphql', {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const name of ['Shops', 'Orders', 'ShopPerformance', 'Video', 'LiveSessions']) {
      expect(html).toContain(`query ${name}`);
    }
    expect(html).toContain('defaultTabs');
  });

  it('without batching and caching (the bench baseline) costs more upstream calls', async () => {
    const batched = await start();
    const naive = await start({ env: { BATCHING_ENABLED: 'false', CACHE_ENABLED: 'false' } });
    for (const t of [batched, naive]) {
      await t.execute(ShopsDocument);
      t.resetCalls();
      dataOf(await t.execute(OrdersDocument, { first: 20 }));
    }
    const a = batched.calls();
    const b = naive.calls();
    expect(b['order.search']).toBe(1);
    // The client still shares identical concurrent calls, so Get Product may cost the same; the
    // difference is what DataLoader batches: at least one inventory search per product.
    expect(b['product.detail']).toBeGreaterThanOrEqual(a['product.detail']!);
    expect(a['inventory.search']).toBe(1);
    expect(b['inventory.search']).toBeGreaterThanOrEqual(a['product.detail']!);
    expect(a['product.detail']).toBeGreaterThan(1);
  });

  it('sandbox: authorises the demo seller through the authorize page, then serves its shops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gateway-sandbox-'));
    open.push({ close: async () => rmSync(dataDir, { recursive: true, force: true }) });
    const settings = loadSettings({
      LOG_LEVEL: 'silent',
      TOKEN_STORE_PATH: join(dataDir, 'tokens.json'),
    });
    expect(settings.mode).toBe('sandbox');
    const app: App = await createApp(settings, {
      redirectUri: 'http://127.0.0.1:4000/oauth/callback',
      sandbox: { scale: 0.05 },
    });
    open.push(app);
    const sandbox = app.sandbox!;
    expect(sandbox.emulator.counters()).toMatchObject({
      'oauth.authorize': 1,
      'oauth.authorize.submit': 1,
      'token.get': 1,
      'authorization.shops': 1,
    });
    expect(sandbox.shops.map((shop) => shop.id)).toEqual(
      sandbox.emulator.sellers[0]!.shops.map((shop) => shop.id),
    );
    // The same exchange path as a real seller: tokens in the encrypted store, key generated beside it.
    expect(app.encryptionKey.source).toBe('generated');
    expect(readdirSync(dataDir).sort()).toEqual(['encryption.key', 'tokens.json']);
    expect((await app.sellers.store.load()).sellers).toHaveLength(1);
    // Without GATEWAY_API_KEYS the sandbox has a development key with every scope.
    const key = app.developmentKey!;
    const response = await app.gateway.fetch('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ query: '{ orders(first: 2) { totalCount edges { node { id } } } }' }),
    });
    const body = (await response.json()) as { data: { orders: { edges: unknown[] } } };
    expect(body.data.orders.edges).toHaveLength(2);
  });

  describe('npm start (src/server.ts)', () => {
    let child: ChildProcess | undefined;
    let workDir: string | undefined;
    afterEach(() => {
      child?.kill('SIGKILL');
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    it('starts in sandbox mode, prints where to click, serves, and exits 0 on SIGTERM', async () => {
      // An empty working directory: no .env, and examples must still be found beside src/.
      workDir = mkdtempSync(join(tmpdir(), 'gateway-start-'));
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'silent' };
      child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/server.ts')], {
        cwd: workDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setInterval(() => {
          const match = /GraphiQL:\s+(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output);
          if (match?.[1]) {
            clearInterval(timer);
            resolveUrl(match[1]);
          }
        }, 50);
        child?.once('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`server exited early (${code}): ${output}`));
        });
      });
      expect(output).toContain('SANDBOX');
      expect(output).toMatch(/Emulator:\s+http:\/\/127\.0\.0\.1:\d+/);
      expect(output).toContain('← default');
      expect(output).toContain('← pass shopId');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const query = JSON.stringify({ query: '{ shops { id isDefault } }' });
      const anonymous = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: query,
      });
      expect(anonymous.status).toBe(401);
      // The development key is printed once and preloaded into GraphiQL.
      const key = /API key:\s+(gwdev_\S+)/.exec(output)?.[1];
      expect(key).toBeDefined();
      const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(key);
      const reply = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: query,
      });
      const body = (await reply.json()) as { data: { shops: Array<{ isDefault: boolean }> } };
      expect(body.data.shops.filter((shop) => shop.isDefault)).toHaveLength(1);

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    }, 60_000);
  });
});
