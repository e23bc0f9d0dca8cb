// The OAuth flow over HTTP (§2): authorize page, code exchange, refresh rotation and expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../src/emulator/scopes.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';
import { openAuthorizePage, submitAuthorizePage } from './helpers/oauth.js';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const OTHER_REDIRECT = 'http://localhost:9/other';

interface TokenBody {
  code: number;
  message: string;
  request_id: string;
  data: null | {
    access_token: string;
    access_token_expire_in: number;
    refresh_token: string;
    refresh_token_expire_in: number;
    open_id: string;
    seller_name: string;
    seller_base_region: string;
    user_type: number;
    granted_scopes: string[];
  };
}

async function tokenCall(
  emulator: EmulatorHandle,
  kind: 'get' | 'refresh',
  query: Record<string, string>,
): Promise<{ status: number; body: TokenBody }> {
  const response = await fetch(
    `${emulator.url}/api/v2/token/${kind}?${new URLSearchParams(query)}`,
  );
  return { status: response.status, body: (await response.json()) as TokenBody };
}

function exchange(emulator: EmulatorHandle, code: string, overrides: Record<string, string> = {}) {
  return tokenCall(emulator, 'get', {
    app_key: emulator.appKey,
    app_secret: emulator.appSecret,
    auth_code: code,
    grant_type: 'authorized_code',
    ...overrides,
  });
}

function refresh(
  emulator: EmulatorHandle,
  refreshToken: string,
  overrides: Record<string, string> = {},
) {
  return tokenCall(emulator, 'refresh', {
    app_key: emulator.appKey,
    app_secret: emulator.appSecret,
    refresh_token: refreshToken,
    grant_type: 'refresh_token',
    ...overrides,
  });
}

describe('OAuth with registered redirect URIs', () => {
  let clockMs = Date.UTC(2025, 2, 1, 9, 0, 0);
  const nowSeconds = () => Math.floor(clockMs / 1000);
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await createEmulator({
      rateLimit: false,
      redirectUris: [REDIRECT, OTHER_REDIRECT],
      now: () => clockMs,
    });
  });
  afterAll(() => emulator.close());

  async function authorize(query: Record<string, string>, openId?: string): Promise<URL> {
    const page = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?${new URLSearchParams(query)}`,
    );
    expect(page.status).toBe(200);
    const answer = await submitAuthorizePage(emulator.url, page, {
      open_id: openId ?? page.sellerOpenIds[0]!,
      decision: 'authorize',
    });
    expect(answer.status).toBe(302);
    return new URL(answer.location!);
  }

  it('serves a page naming the app, listing sellers, with Authorize and Deny', async () => {
    const page = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}&state=s1`,
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain(emulator.appKey);
    expect(page.html).toContain('>Authorize</button>');
    expect(page.html).toContain('>Deny</button>');
    expect(page.sellerOpenIds).toEqual(emulator.sellers.map((seller) => seller.openId));
    for (const seller of emulator.sellers) expect(page.html).toContain(seller.name);
    expect(page.hidden).toMatchObject({
      app_key: emulator.appKey,
      state: 's1',
      redirect_uri: REDIRECT,
    });
    expect(page.html).not.toContain(emulator.appSecret);
  });

  it('Authorize redirects with code and state; the code buys tokens once', async () => {
    const seller = emulator.sellers[0]!;
    const location = await authorize(
      { app_key: emulator.appKey, state: 'csrf-123' },
      seller.openId,
    );
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('csrf-123');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const first = await exchange(emulator, code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ code: 0, message: 'success' });
    const data = first.body.data!;
    expect(data.access_token).toMatch(/^TTP_/);
    expect(data.refresh_token).toMatch(/^TTP_/);
    // §2.4: absolute Unix seconds, default access lifetime 7 days.
    expect(data.access_token_expire_in).toBe(nowSeconds() + 7 * 24 * 3600);
    expect(data.refresh_token_expire_in).toBeGreaterThan(data.access_token_expire_in);
    expect(data).toMatchObject({
      open_id: seller.openId,
      seller_name: seller.name,
      user_type: 0,
      granted_scopes: ALL_SCOPES,
    });
    expect(typeof data.seller_base_region).toBe('string');

    const shops = await call(emulator, {
      path: '/authorization/202309/shops',
      timestamp: String(nowSeconds()),
      accessToken: data.access_token,
    });
    expect(shops.body.code).toBe(0);
    expect(
      (shops.body.data as { shops: Array<{ id: string }> }).shops.map((shop) => shop.id),
    ).toEqual(seller.shops.map((shop) => shop.id));

    const again = await exchange(emulator, code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 36004004, data: null });
  });

  it('the service_id form works the same way', async () => {
    const page = await openAuthorizePage(
      `${emulator.url}/open/authorize?service_id=${emulator.serviceId}&state=svc`,
    );
    expect(page.status).toBe(200);
    const answer = await submitAuthorizePage(emulator.url, page, {
      open_id: page.sellerOpenIds[1]!,
      decision: 'authorize',
    });
    const location = new URL(answer.location!);
    expect(location.searchParams.get('state')).toBe('svc');
    const tokens = await exchange(emulator, location.searchParams.get('code')!);
    expect(tokens.body.data?.open_id).toBe(emulator.sellers[1]!.openId);
    const unknown = await openAuthorizePage(
      `${emulator.url}/open/authorize?service_id=999&state=x`,
    );
    expect(unknown.status).toBe(400);
  });

  it('Deny redirects with code=null, error=auth_denied and the state', async () => {
    const page = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}&state=no-thanks`,
    );
    const answer = await submitAuthorizePage(emulator.url, page, { decision: 'deny' });
    expect(answer.status).toBe(302);
    const location = new URL(answer.location!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      code: 'null',
      error: 'auth_denied',
      state: 'no-thanks',
    });
  });

  it('omits state when the authorize URL carried none (App Store installs)', async () => {
    const location = await authorize({ app_key: emulator.appKey });
    expect(location.searchParams.has('state')).toBe(false);
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('redirect_uri must be one of the registered ones', async () => {
    const location = await authorize({ app_key: emulator.appKey, redirect_uri: OTHER_REDIRECT });
    expect(`${location.origin}${location.pathname}`).toBe(OTHER_REDIRECT);
    const bad = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/evil')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('redirect_uri');
  });

  it('a posted form with a tampered redirect_uri is refused', async () => {
    const page = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}`,
    );
    const answer = await submitAuthorizePage(emulator.url, page, {
      open_id: page.sellerOpenIds[0]!,
      decision: 'authorize',
      redirect_uri: 'http://127.0.0.1:9/evil',
    });
    expect(answer).toEqual({ status: 400, location: null });
  });

  it('an unknown app_key gets an error page', async () => {
    const page = await openAuthorizePage(`${emulator.url}/oauth/authorize?app_key=nope`);
    expect(page.status).toBe(400);
  });

  it('scope narrows the grant; unknown scopes are refused', async () => {
    const location = await authorize({
      app_key: emulator.appKey,
      scope: 'seller.authorization.info',
    });
    const tokens = await exchange(emulator, location.searchParams.get('code')!);
    expect(tokens.body.data?.granted_scopes).toEqual(['seller.authorization.info']);
    const shop = emulator.sellers[0]!.shops[0]!;
    const denied = await call(emulator, {
      path: '/logistics/202309/warehouses',
      query: { shop_cipher: shop.cipher },
      timestamp: String(nowSeconds()),
      accessToken: tokens.body.data!.access_token,
    });
    expect(denied.body.code).toBe(105005);
    const bad = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}&scope=seller.everything`,
    );
    expect(bad.status).toBe(400);
  });

  it('token/get refuses a wrong grant_type, app key or secret with 36009004', async () => {
    const code = (await authorize({ app_key: emulator.appKey })).searchParams.get('code')!;
    const refusals: Array<Record<string, string>> = [
      { grant_type: 'authorization_code' },
      { app_key: 'nope' },
      { app_secret: 'wrong-secret' },
    ];
    for (const overrides of refusals) {
      const result = await exchange(emulator, code, overrides);
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ code: 36009004, data: null });
      expect(result.body.message).not.toContain('wrong-secret');
      expect(result.body.message).not.toContain(emulator.appSecret);
    }
    // The refused attempts did not burn the code.
    expect((await exchange(emulator, code)).body.code).toBe(0);
    expect((await exchange(emulator, 'made-up-code')).body.code).toBe(36004004);
  });

  it('an auth code expires after 30 minutes', async () => {
    const code = (await authorize({ app_key: emulator.appKey })).searchParams.get('code')!;
    clockMs += 30 * 60 * 1000 + 1000;
    const late = await exchange(emulator, code);
    expect(late.status).toBe(400);
    expect(late.body.code).toBe(36004004);
  });

  it('refresh rotates both tokens; the old refresh token dies, the old access token lives on', async () => {
    const code = (await authorize({ app_key: emulator.appKey })).searchParams.get('code')!;
    const first = (await exchange(emulator, code)).body.data!;
    clockMs += 60_000;
    const rotated = await refresh(emulator, first.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.code).toBe(0);
    const second = rotated.body.data!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token_expire_in).toBe(nowSeconds() + 7 * 24 * 3600);
    expect(second.granted_scopes).toEqual(first.granted_scopes);

    const reused = await refresh(emulator, first.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 36004005, data: null });

    for (const accessToken of [first.access_token, second.access_token]) {
      const shops = await call(emulator, {
        path: '/authorization/202309/shops',
        timestamp: String(nowSeconds()),
        accessToken,
      });
      expect(shops.body.code).toBe(0);
    }
    expect(
      (await refresh(emulator, second.refresh_token, { grant_type: 'authorized_code' })).body.code,
    ).toBe(36009004);
    expect((await refresh(emulator, 'TTP_unknown')).body.code).toBe(36004005);
  });

  it('logs token.get and token.refresh', () => {
    const endpoints = new Set(emulator.requests().map((entry) => entry.endpoint));
    expect(endpoints).toContain('token.get');
    expect(endpoints).toContain('token.refresh');
    expect(emulator.counters()['token.get']).toBeGreaterThanOrEqual(5);
  });
});

describe('OAuth token expiry on the emulator clock', () => {
  let clockMs = Date.UTC(2025, 5, 1, 0, 0, 0);
  const nowSeconds = () => Math.floor(clockMs / 1000);
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await createEmulator({
      rateLimit: false,
      redirectUris: [REDIRECT],
      accessTokenTtlSeconds: 1,
      refreshTokenTtlSeconds: 10,
      now: () => clockMs,
    });
  });
  afterAll(() => emulator.close());

  async function tokens() {
    const page = await openAuthorizePage(
      `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}`,
    );
    const answer = await submitAuthorizePage(emulator.url, page, {
      open_id: page.sellerOpenIds[0]!,
      decision: 'authorize',
    });
    return (await exchange(emulator, new URL(answer.location!).searchParams.get('code')!)).body
      .data!;
  }

  it('an expired access token answers 105002 / 401, and a refresh brings it back', async () => {
    const issued = await tokens();
    expect(issued.access_token_expire_in).toBe(nowSeconds() + 1);
    const shopsCall = (accessToken: string) =>
      call(emulator, {
        path: '/authorization/202309/shops',
        timestamp: String(nowSeconds()),
        accessToken,
      });
    expect((await shopsCall(issued.access_token)).body.code).toBe(0);
    clockMs += 2_000;
    const expired = await shopsCall(issued.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ code: 105002, data: null });
    const refreshed = (await refresh(emulator, issued.refresh_token)).body.data!;
    expect((await shopsCall(refreshed.access_token)).body.code).toBe(0);
  });

  it('an expired refresh token answers 36004001', async () => {
    const issued = await tokens();
    clockMs += 11_000;
    const result = await refresh(emulator, issued.refresh_token);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: 36004001, data: null });
  });
});

describe('OAuth with no registered redirect URI', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
  });
  afterAll(() => emulator.close());

  it('needs an explicit loopback http redirect_uri', async () => {
    const base = `${emulator.url}/oauth/authorize?app_key=${emulator.appKey}&state=z`;
    expect((await openAuthorizePage(base)).status).toBe(400);
    for (const uri of [
      'https://example.com/cb',
      'http://10.0.0.1/cb',
      'http://127.0.0.1:9/cb#frag',
    ]) {
      expect(
        (await openAuthorizePage(`${base}&redirect_uri=${encodeURIComponent(uri)}`)).status,
      ).toBe(400);
    }
    const loopback = 'http://localhost:3000/oauth/callback';
    const page = await openAuthorizePage(`${base}&redirect_uri=${encodeURIComponent(loopback)}`);
    expect(page.status).toBe(200);
    const answer = await submitAuthorizePage(emulator.url, page, {
      open_id: page.sellerOpenIds[0]!,
      decision: 'authorize',
    });
    expect(answer.location).toMatch(
      /^http:\/\/localhost:3000\/oauth\/callback\?code=[^&]+&state=z$/,
    );
  });
});
