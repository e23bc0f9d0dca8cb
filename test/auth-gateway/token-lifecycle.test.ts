// Token lifecycle through the gateway: one refresh for 200 requests at expiry (ahead of it and on
// TikTok's expired-token answer), a failed refresh as UNAUTHENTICATED asking to re-authorise, the
// forced refresh mutation, the encrypted file store across restarts and against tampering, the
// refusal to start without a key outside sandbox mode, and seeding from the environment.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { TokenStoreCorruptError } from '../../src/auth/errors.js';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { submitAuthorizePage } from '../../src/sandbox.js';
import { loadSettings } from '../../src/settings.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const root = resolve(import.meta.dirname, '../..');
const KEY = 'ab'.repeat(32);
const PRODUCTS = '{ products(first: 1) { totalCount } }';

/**
 * 200 different product searches: the client shares identical calls in flight, so each request
 * asks for something else (another creation-time bound) to make 200 upstream calls.
 */
function distinctSearches(t: TestGateway) {
  return Promise.all(
    Array.from({ length: 200 }, (_, index) =>
      t.executeText(
        'query ($to: DateTime) { products(first: 1, filter: { createdTo: $to }) { totalCount } }',
        {
          to: new Date(Date.UTC(2030, 0, 1) + index * 1000).toISOString(),
        },
      ),
    ),
  );
}

/** A settable clock shared by the emulator, the client and the token manager. */
function createClock() {
  const clock = { nowMs: Date.now(), now: () => clock.nowMs };
  return clock;
}

describe('token lifecycle', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (options: Parameters<typeof startTestGateway>[0]) => {
    const t = await startTestGateway(options);
    cleanups.push(() => t.close());
    return t;
  };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('200 concurrent requests when the token is due cause exactly one refresh', async () => {
    const clock = createClock();
    const t = await start({ emulator: { now: clock.now }, accessTokenTtlSeconds: 3_600 });
    const before = (await t.store.getSeller(t.seller.openId))!.tokens.accessToken;
    clock.nowMs += 3_600_000 - 60_000; // inside the 5-minute refresh margin
    t.resetCalls();
    const replies = await distinctSearches(t);
    expect(replies.filter((reply) => reply.body.errors)).toEqual([]);
    expect(t.calls()['token.refresh']).toBe(1);
    expect(t.calls()['product.search']).toBe(200);
    const after = (await t.store.getSeller(t.seller.openId))!.tokens.accessToken;
    expect(after).not.toBe(before);
    console.log('single flight (due): 200 requests → token.refresh', t.calls()['token.refresh']);
  });

  it('200 concurrent requests answered "token expired" (105002) cause exactly one refresh', async () => {
    const clock = createClock();
    const t = await start({ emulator: { now: clock.now }, accessTokenTtlSeconds: 3_600 });
    // The store does not know the expiry (as when seeded from TIKTOK_SHOP_ACCESS_TOKEN), so only
    // TikTok's answer says the token is dead.
    const seller = (await t.store.getSeller(t.seller.openId))!;
    await t.store.saveTokens(
      seller.openId,
      { ...seller.tokens, accessTokenExpiresAt: null },
      { expectedVersion: seller.version },
    );
    clock.nowMs += 2 * 3_600_000;
    t.resetCalls();
    const replies = await distinctSearches(t);
    expect(replies.filter((reply) => reply.body.errors)).toEqual([]);
    expect(t.calls()['token.refresh']).toBe(1);
    const rejected = t.emulator.requests().filter((entry) => entry.code === 105002).length;
    expect(rejected).toBeGreaterThan(0);
    expect(t.calls()['product.search']).toBe(200 + rejected);
    console.log(
      `single flight (105002): 200 requests, ${rejected} answered expired → token.refresh`,
      t.calls()['token.refresh'],
    );
  });

  it('a refused refresh is UNAUTHENTICATED telling the operator to re-authorise', async () => {
    const clock = createClock();
    const t = await start({ emulator: { now: clock.now }, accessTokenTtlSeconds: 3_600 });
    const seller = (await t.store.getSeller(t.seller.openId))!;
    await t.store.saveTokens(
      seller.openId,
      { ...seller.tokens, refreshToken: 'TTP_refresh-token-nobody-issued' },
      { expectedVersion: seller.version },
    );
    clock.nowMs += 2 * 3_600_000;
    const { status, body } = await t.executeText(PRODUCTS);
    expect(status).toBe(200);
    expect((body.data as Record<string, unknown>).products).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'REAUTHORIZATION_REQUIRED',
      detail: 'refresh_rejected',
    });
    expect(body.errors![0]!.message).toContain('npm run oauth');
    expect(JSON.stringify(body)).not.toContain('TTP_refresh-token-nobody-issued');
  });

  it('refreshAccessToken renews now and answers expiry times, never tokens', async () => {
    const t = await start({});
    const before = (await t.store.getSeller(t.seller.openId))!;
    t.resetCalls();
    const { body } = await t.executeText(
      'mutation ($shop: ID) { refreshAccessToken(shopId: $shop) { openId accessTokenExpiresAt shops { id } } }',
      { shop: t.seller.shops[1]!.id },
    );
    expect(body.errors).toBeUndefined();
    expect(t.calls()['token.refresh']).toBe(1);
    const after = (await t.store.getSeller(t.seller.openId))!;
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken);
    const text = JSON.stringify(body);
    for (const token of [before.tokens, after.tokens].flatMap((tokens) => [
      tokens.accessToken,
      tokens.refreshToken ?? '',
    ])) {
      expect(text).not.toContain(token);
    }
  });

  it('the encrypted store survives a restart (same file and key), without re-authorising', async () => {
    const dir = tempDir();
    const path = join(dir, 'tokens.json');
    const emulator: EmulatorHandle = await createEmulator({ scale: 0.05, rateLimit: false });
    cleanups.push(() => emulator.close());
    const openStore = () => createFileTokenStore({ path, encryptionKey: Buffer.from(KEY, 'hex') });

    const first = await start({
      sharedEmulator: emulator,
      withoutSeller: true,
      store: openStore(),
    });
    const link = first.sellers.authorizationUrl({ redirectUri: 'http://127.0.0.1/oauth/callback' });
    const redirect = await submitAuthorizePage(link.url);
    expect((await first.gateway.fetch(redirect.toString())).status).toBe(200);
    await first.close();
    const onDisk = readFileSync(path, 'utf8');
    for (const shop of emulator.sellers[0]!.shops) {
      expect(onDisk).not.toContain(shop.id);
      expect(onDisk).not.toContain(shop.cipher);
    }

    emulator.resetRequests();
    const second = await start({
      sharedEmulator: emulator,
      withoutSeller: true,
      store: openStore(),
    });
    const { body } = await second.executeText(`{ shops { id } ${PRODUCTS.slice(1, -1)} }`);
    expect(body.errors).toBeUndefined();
    expect(emulator.counters()['token.get'] ?? 0).toBe(0);
  });

  it('detects a tampered token file when starting, naming the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'tokens.json');
    const emulator = await createEmulator({ scale: 0.05, rateLimit: false });
    cleanups.push(() => emulator.close());
    const env = {
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_ACCESS_TOKEN: emulator.issueTokens({ openId: emulator.sellers[0]!.openId })
        .accessToken,
      TOKEN_ENCRYPTION_KEY: KEY,
      LOG_LEVEL: 'silent',
      TOKEN_STORE_PATH: path,
    };
    const open = () => createApp(loadSettings(env));
    const opened = await open();
    expect(opened.seeded).toEqual({ seeded: true, openId: 'environment' });
    await opened.close();

    const envelope = JSON.parse(readFileSync(path, 'utf8')) as { data: string };
    const bytes = Buffer.from(envelope.data, 'base64');
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    writeFileSync(path, JSON.stringify({ ...envelope, data: bytes.toString('base64') }));
    const failure = await open().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenStoreCorruptError);
    expect((failure as Error).message).toContain(path);
    expect((failure as TokenStoreCorruptError).reason).toBe('altered');

    const wrongKey = await createApp(
      loadSettings({ ...env, TOKEN_ENCRYPTION_KEY: 'cd'.repeat(32) }),
    ).catch((error: unknown) => error);
    expect((wrongKey as TokenStoreCorruptError).reason).toBe('wrong_key');
  });

  it('seeds TIKTOK_SHOP_ACCESS_TOKEN / _REFRESH_TOKEN on first start, then reads shops once', async () => {
    const dir = tempDir();
    const emulator = await createEmulator({ scale: 0.05, rateLimit: false });
    cleanups.push(() => emulator.close());
    const issued = emulator.issueTokens({ openId: emulator.sellers[0]!.openId });
    const env = {
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_ACCESS_TOKEN: issued.accessToken,
      TIKTOK_SHOP_REFRESH_TOKEN: issued.refreshToken,
      TOKEN_ENCRYPTION_KEY: KEY,
      LOG_LEVEL: 'silent',
      TOKEN_STORE_PATH: join(dir, 'tokens.json'),
    };
    const opened = await createApp(loadSettings(env));
    cleanups.push(() => opened.close());
    const shops = await opened.sellers.authorizedShops();
    expect(shops.map((shop) => shop.id)).toEqual(emulator.sellers[0]!.shops.map((shop) => shop.id));
    await opened.sellers.authorizedShops();
    expect(emulator.counters()['authorization.shops']).toBe(1);
    const [seller] = (await opened.sellers.store.load()).sellers;
    expect(seller).toMatchObject({ openId: 'environment', source: 'environment' });
    expect(seller!.shops).toHaveLength(emulator.sellers[0]!.shops.length);
  });

  it('refuses to start outside sandbox mode without TOKEN_ENCRYPTION_KEY, saying what to do', async () => {
    const dir = tempDir();
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/server.ts')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        LOG_LEVEL: 'silent',
        TIKTOK_SHOP_APP_KEY: 'app-key',
        TIKTOK_SHOP_APP_SECRET: 'app-secret',
        GATEWAY_API_KEYS: 'ops:an-api-key-long-enough-0123:*',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('TOKEN_ENCRYPTION_KEY is not set');
    expect(stderr).toContain('openssl rand -hex 32');
  }, 30_000);
});
