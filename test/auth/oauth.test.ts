// The whole seller authorisation against the emulator: its authorize page over HTTP, the
// redirect, the code exchange and the stored result.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthorizationDeniedError, OAuthStateError } from '../../src/auth/errors.js';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import {
  createOAuthFlow,
  type ExchangeCodeDeps,
  exchangeCode,
  type OAuthFlow,
} from '../../src/auth/oauth.js';
import { createTokenManager, seedFromEnvironment } from '../../src/auth/token-manager.js';
import { ENVIRONMENT_SELLER_ID, type TokenStore } from '../../src/auth/token-store.js';
import type { AuthHostClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { authHostFor, clientFor, parseAuthorizeForm, shopLister } from './support.js';

const REDIRECT_URI = 'http://127.0.0.1:4000/oauth/callback';

let handle: EmulatorHandle;
let authHost: AuthHostClient;
let directory: string;
let store: TokenStore;
let flow: OAuthFlow;

beforeEach(async () => {
  handle = await createEmulator({ redirectUris: [REDIRECT_URI] });
  // The code exchange needs no seller token.
  authHost = authHostFor(handle);
  directory = await mkdtemp(join(tmpdir(), 'oauth-'));
  store = createFileTokenStore({
    path: join(directory, 'tokens.json'),
    encryptionKey: randomBytes(32),
  });
  flow = createOAuthFlow({
    appKey: handle.appKey,
    authorizeBase: handle.url,
    stateSecret: randomBytes(32),
    redirectUris: [REDIRECT_URI],
  });
});

afterEach(async () => {
  await authHost?.close();
  await handle?.close();
  await rm(directory, { recursive: true, force: true });
});

/**
 * Opens the authorize URL, submits the form with `decision` (as seller `openId`, default the
 * first), returns the redirect's query.
 */
async function authorizeInBrowser(url: string, decision: 'authorize' | 'deny', openId?: string) {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const { action, fields } = parseAuthorizeForm(await page.text());
  fields.set('decision', decision);
  if (openId !== undefined) fields.set('open_id', openId);
  const submitted = await fetch(new URL(action, handle.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  expect(submitted.status).toBe(302);
  const location = new URL(submitted.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

function deps() {
  return { oauth: flow, authHost, listShops: shopLister(handle), store };
}

describe('OAuth round trip against the emulator', () => {
  it('authorises a seller and stores its tokens, shops and scopes', async () => {
    const { url, state } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize');
    expect(callback.get('state')).toBe(state);
    const code = callback.get('code');
    expect(code).toBeTruthy();

    const result = await exchangeCode({ code, state: callback.get('state') }, deps());

    const expected = handle.sellers[0];
    expect(expected?.shops.length).toBeGreaterThanOrEqual(2);
    const stored = await store.getSeller(expected?.openId ?? '');
    expect(stored).not.toBeNull();
    expect(stored?.source).toBe('oauth');
    expect(stored?.name).toBe(expected?.name);
    expect(stored?.grantedScopes.length).toBeGreaterThan(0);
    expect(stored?.tokens.accessToken).toMatch(/^TTP_/);
    expect(stored?.tokens.refreshToken).toMatch(/^TTP_/);
    expect(stored?.shops.map(({ id, cipher }) => ({ id, cipher }))).toEqual(
      expected?.shops.map(({ id, cipher }) => ({ id, cipher })),
    );
    for (const shop of expected?.shops ?? []) {
      expect((await store.findSellerByShop(shop.id))?.openId).toBe(expected?.openId);
    }

    expect(result.seller.openId).toBe(expected?.openId);
    expect(result.shops.map((shop) => shop.id)).toEqual(expected?.shops.map((shop) => shop.id));
    expect(result.grantedScopes).toEqual(stored?.grantedScopes);
    expect(result.accessTokenExpiresAt).toBe(stored?.tokens.accessTokenExpiresAt);
    expect(result.refreshTokenExpiresAt).toBe(stored?.tokens.refreshTokenExpiresAt);
    const shown = JSON.stringify(result);
    expect(shown).not.toContain(stored?.tokens.accessToken);
    expect(shown).not.toContain(stored?.tokens.refreshToken ?? 'unreachable');
    expect(shown).not.toContain('cipher');
    expect(shown).not.toContain(code);

    expect(handle.counters()['token.get']).toBe(1);
  });

  it('works with the service_id form of the URL', async () => {
    const serviceFlow = createOAuthFlow({
      appKey: handle.appKey,
      serviceId: handle.serviceId,
      authorizeBase: handle.url,
      stateSecret: randomBytes(32),
      redirectUris: [REDIRECT_URI],
    });
    const { url } = serviceFlow.authorizationUrl({ redirectUri: REDIRECT_URI });
    expect(new URL(url).pathname).toBe('/open/authorize');
    const callback = await authorizeInBrowser(url, 'authorize');
    const result = await exchangeCode(
      { code: callback.get('code'), state: callback.get('state') },
      { ...deps(), oauth: serviceFlow },
    );
    expect(result.seller.openId).toBe(handle.sellers[0]?.openId);
  });

  it('refuses a replayed callback without a second exchange', async () => {
    const { url } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize');
    const input = { code: callback.get('code'), state: callback.get('state') };
    await exchangeCode(input, deps());
    const before = await store.load();

    const error = await exchangeCode(input, deps()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthStateError);
    expect((error as OAuthStateError).reason).toBe('replayed');
    expect(handle.counters()['token.get']).toBe(1);
    expect(await store.load()).toEqual(before);
  });

  it('stores nothing and spends no code when the state is forged', async () => {
    const { url, state } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize');
    const code = callback.get('code');
    const attacker = createOAuthFlow({ appKey: handle.appKey, stateSecret: randomBytes(32) });

    for (const forged of [attacker.authorizationUrl().state, `${state.slice(0, -2)}AA`, '']) {
      const error = await exchangeCode({ code, state: forged }, deps()).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(OAuthStateError);
      expect((error as Error).message).not.toContain(forged || 'unreachable');
    }
    expect(await store.load()).toEqual({ sellers: [] });
    expect(handle.counters()['token.get'] ?? 0).toBe(0);

    // The genuine state still completes with the unspent code.
    const result = await exchangeCode({ code, state }, deps());
    expect(result.seller.openId).toBe(handle.sellers[0]?.openId);
  });

  it('stores nothing when the state has expired', async () => {
    const clock = { nowMs: Date.now() };
    const timedFlow = createOAuthFlow({
      appKey: handle.appKey,
      authorizeBase: handle.url,
      stateSecret: randomBytes(32),
      stateTtlMs: 60_000,
      now: () => clock.nowMs,
      redirectUris: [REDIRECT_URI],
    });
    const { url } = timedFlow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize');
    clock.nowMs += 60_000;
    const error = await exchangeCode(
      { code: callback.get('code'), state: callback.get('state') },
      { ...deps(), oauth: timedFlow },
    ).catch((caught: unknown) => caught);
    expect((error as OAuthStateError).reason).toBe('expired');
    expect(await store.load()).toEqual({ sellers: [] });
    expect(handle.counters()['token.get'] ?? 0).toBe(0);
  });

  it('reports a refusal by the seller and stores nothing', async () => {
    const { url } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'deny');
    expect(callback.get('code')).toBe('null');
    const error = await exchangeCode(
      {
        code: callback.get('code'),
        state: callback.get('state'),
        error: callback.get('error') ?? undefined,
      },
      deps(),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthorizationDeniedError);
    expect((error as AuthorizationDeniedError).extensions).toEqual({
      code: 'OAUTH_DENIED',
      reason: 'auth_denied',
    });
    expect(await store.load()).toEqual({ sellers: [] });
  });

  it('keeps the tokens of a spent code when listing the shops fails, and says so', async () => {
    const { url } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize');
    handle.setFaults({ script: [{ kind: 'error', count: 1 }], pathPrefixes: ['/authorization'] });
    const result = await exchangeCode(
      { code: callback.get('code'), state: callback.get('state') },
      deps(),
    );
    expect(result.stored).toEqual({ tokens: true, shops: false });
    expect(result.shops).toEqual([]);
    const stored = await store.getSeller(handle.sellers[0]?.openId ?? '');
    expect(stored?.tokens.accessToken).toMatch(/^TTP_/);
    expect(stored?.shops).toEqual([]);
  });

  it('replaces the seller seeded from the environment', async () => {
    const issued = handle.issueTokens({ openId: handle.sellers[0]?.openId ?? '' });
    const seeded = await seedFromEnvironment(store, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
    });
    expect(seeded).toEqual({ seeded: true, openId: 'environment' });

    const { url } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize');
    const result = await exchangeCode(
      { code: callback.get('code'), state: callback.get('state') },
      deps(),
    );
    expect(result.replacedEnvironmentSeller).toBe(true);
    expect((await store.load()).sellers.map((seller) => seller.openId)).toEqual([
      handle.sellers[0]?.openId,
    ]);
  });

  /** Seeds the environment seller with tokens of emulator seller `index`, its shops unstored. */
  async function seedEnvironment(index: number, options: { storeShops?: boolean } = {}) {
    const emulatorSeller = handle.sellers[index];
    const issued = handle.issueTokens({ openId: emulatorSeller?.openId ?? '' });
    await seedFromEnvironment(store, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
    });
    if (options.storeShops) {
      const seeded = await store.getSeller(ENVIRONMENT_SELLER_ID);
      const { version, updatedAt: _updatedAt, ...input } = seeded!;
      await store.saveSeller(
        { ...input, shops: await shopLister(handle)(issued.accessToken) },
        { expectedVersion: version },
      );
    }
    return store.getSeller(ENVIRONMENT_SELLER_ID);
  }

  async function authorise(index: number, extra: Partial<ExchangeCodeDeps> = {}) {
    const { url } = flow.authorizationUrl({ redirectUri: REDIRECT_URI });
    const callback = await authorizeInBrowser(url, 'authorize', handle.sellers[index]?.openId);
    return exchangeCode(
      { code: callback.get('code'), state: callback.get('state') },
      { ...deps(), ...extra },
    );
  }

  const storedIds = async () => (await store.load()).sellers.map((seller) => seller.openId).sort();

  for (const storeShops of [false, true]) {
    const known = storeShops ? 'stored' : 'not stored yet';
    it(`keeps the seller seeded from the environment when another seller authorises (its shops ${known})`, async () => {
      const seeded = await seedEnvironment(0, { storeShops });
      const result = await authorise(1);
      expect(result.seller.openId).toBe(handle.sellers[1]?.openId);
      expect(result.replacedEnvironmentSeller).toBe(false);
      expect(await storedIds()).toEqual(
        [ENVIRONMENT_SELLER_ID, handle.sellers[1]?.openId ?? ''].sort(),
      );
      expect((await store.getSeller(ENVIRONMENT_SELLER_ID))?.tokens).toEqual(seeded?.tokens);
    });
  }

  it('replaces the seeded seller whose stored shops are the authorising seller’s', async () => {
    await seedEnvironment(0, { storeShops: true });
    const result = await authorise(0);
    expect(result.replacedEnvironmentSeller).toBe(true);
    expect(await storedIds()).toEqual([handle.sellers[0]?.openId]);
    for (const shop of handle.sellers[0]?.shops ?? []) {
      expect((await store.findSellerByShop(shop.id))?.source).toBe('oauth');
    }
  });

  it('removes a seeded seller whose tokens TikTok refuses for good, keeps it while unsure', async () => {
    // Only a refresh token, one TikTok does not know.
    await seedFromEnvironment(store, { refreshToken: 'TTP_unknown_to_tiktok' });
    // Without the token manager its tokens are not even tried: nothing tells who it is.
    expect((await authorise(1)).replacedEnvironmentSeller).toBe(false);
    expect(await storedIds()).toContain(ENVIRONMENT_SELLER_ID);

    // Through the token manager: it cannot be renewed, so it serves nothing any more.
    const tokens = createTokenManager({ store, authHost });
    const result = await authorise(1, {
      shopsOf: async (seller) => {
        const client = clientFor(handle);
        try {
          return await client.getAuthorizedShops(tokens.credentialsFor(seller));
        } finally {
          await client.close();
        }
      },
    });
    expect(result.replacedEnvironmentSeller).toBe(true);
    expect(await storedIds()).toEqual([handle.sellers[1]?.openId]);
  });
});
