// The OAuth round trip through the gateway over HTTP: authorizationUrl → the emulator's authorize
// page → POST Authorize → the gateway's /oauth/callback → the store holds seller and shops →
// queries use the new token. Forged, expired and replayed states are refused with nothing stored.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { submitAuthorizePage } from '../../src/sandbox.js';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const CALLBACK = 'http://127.0.0.1/oauth/callback';

describe('OAuth through the gateway', () => {
  const open: TestGateway[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });
  const start = async (options: Parameters<typeof startTestGateway>[0] = {}) => {
    const t = await startTestGateway({ withoutSeller: true, ...options });
    open.push(t);
    return t;
  };

  /** What a browser does: the link from the gateway, the emulator's page, back to the gateway. */
  async function authorizeThroughGateway(t: TestGateway, openId?: string) {
    const link = await t.executeText<{ authorizationUrl: { url: string; state: string } }>(
      'query ($r: URL) { authorizationUrl(redirectUri: $r) { url state expiresAt } }',
      { r: CALLBACK },
    );
    const { url } = link.body.data!.authorizationUrl;
    const redirect = await submitAuthorizePage(url, openId ? { openId } : {});
    return { url, redirect };
  }

  const callback = (t: TestGateway, redirect: URL | string) =>
    t.gateway.fetch(redirect.toString(), { headers: { accept: 'text/html' } });

  /** Every token the emulator could have handed out for the sellers in the store. */
  async function storedTokens(t: TestGateway): Promise<string[]> {
    const { sellers } = await t.store.load();
    return sellers.flatMap((seller) => [
      seller.tokens.accessToken,
      seller.tokens.refreshToken ?? '',
    ]);
  }

  it('completes the round trip; queries then run with the new token', async () => {
    const t = await start();
    expect((await t.store.load()).sellers).toEqual([]);

    const { url, redirect } = await authorizeThroughGateway(t);
    const authorize = new URL(url);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('app_key')).toBe(t.emulator.appKey);
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(redirect.origin + redirect.pathname).toBe(CALLBACK);
    expect(redirect.searchParams.get('code')).toBeTruthy();

    const response = await callback(t, redirect);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Seller authorised');
    for (const shop of t.seller.shops) expect(html).toContain(shop.id);

    const { sellers } = await t.store.load();
    expect(sellers).toHaveLength(1);
    expect(sellers[0]).toMatchObject({ openId: t.seller.openId, source: 'oauth' });
    expect(sellers[0]!.shops.map((shop) => [shop.id, shop.cipher])).toEqual(
      t.seller.shops.map((shop) => [shop.id, shop.cipher]),
    );
    for (const token of await storedTokens(t)) expect(html).not.toContain(token);
    expect(t.emulator.counters()).toMatchObject({ 'token.get': 1, 'authorization.shops': 1 });

    const { status, body } = await t.executeText(
      '{ shops { id } products(first: 2) { totalCount } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data as { products: { totalCount: number } }).products.totalCount).toBeGreaterThan(
      0,
    );
  });

  it('links US sellers to services.us.tiktokshop.com (§2.1), with what the authorize page takes', async () => {
    const serviceId = '7100000000000000042';
    const t = await start({
      emulator: { serviceId },
      env: {
        TIKTOK_SHOP_SERVICE_ID: serviceId,
        TIKTOK_SHOP_AUTHORIZE_REGION: 'us',
        TIKTOK_SHOP_AUTHORIZE_BASE: '', // TikTok's own host, not the emulator's
      },
    });
    const link = await t.executeText<{ authorizationUrl: { url: string } }>(
      'query ($r: URL) { authorizationUrl(redirectUri: $r) { url } }',
      { r: CALLBACK },
    );
    const url = new URL(link.body.data!.authorizationUrl.url);
    expect(url.origin + url.pathname).toBe('https://services.us.tiktokshop.com/open/authorize');
    expect(url.searchParams.get('service_id')).toBe(serviceId);
    expect(url.searchParams.get('state')).toMatch(/^[\w-]+\.[\w-]{43}$/);

    // The emulator stands in for the US host: the same path and query complete the round trip.
    const redirect = await submitAuthorizePage(`${t.emulator.url}${url.pathname}${url.search}`);
    expect((await callback(t, redirect)).status).toBe(200);
    expect((await t.store.load()).sellers.map((seller) => seller.openId)).toEqual([
      t.seller.openId,
    ]);
  });

  it('refuses a forged state: 400, no code exchanged, nothing stored', async () => {
    const t = await start();
    const { redirect } = await authorizeThroughGateway(t);
    const state = redirect.searchParams.get('state')!;
    const [payload, signature] = state.split('.');
    const forged = new URL(redirect);
    // Same payload, another signature; and a payload signed by nobody.
    for (const fake of [
      `${payload}.${signature!.slice(0, -2)}AA`,
      `${Buffer.from('{"n":"x","iat":1,"exp":9999999999999}').toString('base64url')}.${signature}`,
      'not-a-state',
    ]) {
      forged.searchParams.set('state', fake);
      const response = await callback(t, forged);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Nothing was stored');
    }
    forged.searchParams.delete('state');
    expect((await callback(t, forged)).status).toBe(400);
    expect((await t.store.load()).sellers).toEqual([]);
    expect(t.emulator.counters()['token.get'] ?? 0).toBe(0);
  });

  it('refuses an expired state, nothing stored', async () => {
    let nowMs = Date.now();
    const t = await start({ oauthNow: () => nowMs });
    const { redirect } = await authorizeThroughGateway(t);
    nowMs += 11 * 60_000; // the state lives 10 minutes
    const response = await callback(t, redirect);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('expired');
    expect((await t.store.load()).sellers).toEqual([]);
    expect(t.emulator.counters()['token.get'] ?? 0).toBe(0);
  });

  it('refuses a replayed state: the second callback changes nothing', async () => {
    const t = await start();
    const { redirect } = await authorizeThroughGateway(t);
    expect((await callback(t, redirect)).status).toBe(200);
    const before = await t.store.load();
    const replay = await callback(t, redirect);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    expect(await t.store.load()).toEqual(before);
    expect(t.emulator.counters()['token.get']).toBe(1);
  });

  it('reports a refusal on the authorize page as declined', async () => {
    const t = await start();
    const link = t.sellers.authorizationUrl({ redirectUri: CALLBACK });
    const back = await submitAuthorizePage(link.url, { decision: 'deny' });
    expect(back.searchParams.get('error')).toBe('auth_denied');
    const response = await callback(t, back);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('declined');
    expect((await t.store.load()).sellers).toEqual([]);
  });

  it('exchangeAuthorizationCode does the same for tools that capture the code', async () => {
    const t = await start();
    const link = t.sellers.authorizationUrl({ redirectUri: CALLBACK });
    const redirect = await submitAuthorizePage(link.url);
    const exchange = `mutation ($input: ExchangeAuthorizationCodeInput!) {
      exchangeAuthorizationCode(input: $input) {
        openId name grantedScopes accessTokenExpiresAt refreshTokenExpiresAt shops { id name }
      }
    }`;
    const forged = await t.executeText(exchange, {
      input: { code: redirect.searchParams.get('code'), state: `${link.state}x` },
    });
    expect(forged.body.errors![0]!.extensions).toMatchObject({
      code: 'OAUTH_STATE_INVALID',
      reason: 'malformed',
    });
    expect((await t.store.load()).sellers).toEqual([]);

    const input = {
      code: redirect.searchParams.get('code'),
      state: redirect.searchParams.get('state'),
    };
    const { body } = await t.executeText(exchange, { input });
    expect(body.errors).toBeUndefined();
    const seller = (body.data as Json).exchangeAuthorizationCode;
    expect(seller).toMatchObject({ openId: t.seller.openId, name: t.seller.name });
    expect(seller.shops.map((shop: { id: string }) => shop.id)).toEqual(
      t.seller.shops.map((shop) => shop.id),
    );
    expect(seller.grantedScopes).toContain('seller.order.info');
    expect(Date.parse(seller.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    const text = JSON.stringify(body);
    for (const token of await storedTokens(t)) expect(text).not.toContain(token);

    const replay = await t.executeText(exchange, { input });
    expect(replay.body.errors![0]!.extensions).toMatchObject({
      code: 'OAUTH_STATE_INVALID',
      reason: 'replayed',
    });
  });

  it("keeps several sellers apart: each shop's calls carry its own seller's token", async () => {
    const t = await start();
    const [first, second] = t.emulator.sellers;
    for (const seller of [first!, second!]) {
      const { redirect } = await authorizeThroughGateway(t, seller.openId);
      expect((await callback(t, redirect)).status).toBe(200);
    }
    expect((await t.store.load()).sellers.map((seller) => seller.openId).sort()).toEqual(
      [first!.openId, second!.openId].sort(),
    );
    const otherShop = second!.shops[0]!;
    t.resetCalls();
    const { body } = await t.executeText(
      'query ($a: ID, $b: ID) { a: products(first: 1, shopId: $a) { totalCount } b: products(first: 1, shopId: $b) { totalCount } shops { id } }',
      { a: first!.shops[0]!.id, b: otherShop.id },
    );
    // The emulator refuses a token for a shop its seller did not authorise (101000).
    expect(body.errors).toBeUndefined();
    expect((body.data as Json).shops).toHaveLength(first!.shops.length + second!.shops.length);
    expect(t.emulator.counters()[`product.search ${otherShop.id}`]).toBe(1);
  });

  it('answers 202, not 500, when the store refuses the tokens of a spent code; stores them later', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'oauth-flow-'));
    try {
      const path = join(directory, 'tokens.json');
      // The lock path taken by a directory: every save fails after 100 ms, reads still work.
      const store = createFileTokenStore({
        path,
        encryptionKey: randomBytes(32),
        staleLockMs: 50,
        lockTimeoutMs: 100,
      });
      await mkdir(`${path}.lock`);
      const t = await start({ store });
      const { redirect } = await authorizeThroughGateway(t);
      const response = await callback(t, redirect);
      expect(response.status).toBe(202);
      expect(await response.text()).toContain('tokens not stored yet');
      expect(t.emulator.counters()['token.get']).toBe(1);
      expect((await t.store.load()).sellers).toEqual([]);
      expect(t.tokens.saves.pending).toEqual([`authorization:${t.seller.openId}`]);

      await rmdir(`${path}.lock`);
      expect(await t.tokens.saves.flush()).toEqual([]);
      const { sellers } = await t.store.load();
      expect(sellers.map((seller) => seller.openId)).toEqual([t.seller.openId]);
      // Its shops are read on first use, with the stored token.
      const { body } = await t.executeText('{ shops { id } }');
      expect((body.data as Json).shops).toHaveLength(t.seller.shops.length);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
