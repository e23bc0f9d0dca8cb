// Every API-host rejection answers its documented code and HTTP status, in the documented order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { type CallResult, call } from './helpers/api-client.js';
import { signTikTok } from './helpers/sign.js';

const SHOPS_PATH = '/authorization/202309/shops';
const WAREHOUSES_PATH = '/logistics/202309/warehouses';
const SEARCH_PATH = '/product/202309/products/search';
const ORDER_SEARCH_PATH = '/order/202309/orders/search';
const REQUEST_ID = /^\d{14}[0-9A-F]{20}$/;

function expectError(result: CallResult, status: number, code: number): void {
  expect({ status: result.status, code: result.body.code }).toEqual({ status, code });
  expect(result.body.data).toBeNull();
  expect(result.body.request_id).toMatch(REQUEST_ID);
}

describe('API-host checks', () => {
  let emulator: EmulatorHandle;
  let token: string;
  let ownCipher: string;
  let foreignCipher: string;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
    const [first, second] = emulator.sellers;
    token = emulator.issueTokens({ openId: first!.openId }).accessToken;
    ownCipher = first!.shops[0]!.cipher;
    foreignCipher = second!.shops[0]!.cipher;
  });
  afterAll(() => emulator.close());

  it('answers a signed, authorized call with code 0 and a TikTok-shaped request_id', async () => {
    const result = await call(emulator, {
      path: WAREHOUSES_PATH,
      query: { shop_cipher: ownCipher },
      accessToken: token,
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ code: 0, message: 'Success' });
    expect(result.body.request_id).toMatch(REQUEST_ID);
    expect(result.body.request_id).toHaveLength(34);
  });

  it('unknown path → 36009009 / 404', async () => {
    expectError(
      await call(emulator, { path: '/product/202309/nothing', accessToken: token }),
      404,
      36009009,
    );
  });

  it('known path, wrong method → 36009010 / 405', async () => {
    const result = await call(emulator, { method: 'DELETE', path: SHOPS_PATH, accessToken: token });
    expectError(result, 405, 36009010);
    expect(result.headers.get('allow')).toBe('GET');
  });

  it('content-type missing or not JSON, even on GET → 36009004 / 400', async () => {
    expectError(
      await call(emulator, { path: SHOPS_PATH, accessToken: token, contentType: null }),
      400,
      36009004,
    );
    expectError(
      await call(emulator, { path: SHOPS_PATH, accessToken: token, contentType: 'text/plain' }),
      400,
      36009004,
    );
    const withCharset = await call(emulator, {
      path: SHOPS_PATH,
      accessToken: token,
      contentType: 'application/json; charset=utf-8',
    });
    expect(withCharset.body.code).toBe(0);
  });

  it('app_key missing or unknown → 36009004 / 400 with TikTok’s message', async () => {
    const missing = await call(emulator, {
      path: SHOPS_PATH,
      accessToken: token,
      omit: ['app_key'],
    });
    expectError(missing, 400, 36009004);
    expect(missing.body.message).toBe("Invalid credentials. Invalid 'app_key' query parameter.");
    const unknown = await call(emulator, {
      path: SHOPS_PATH,
      query: { app_key: 'nope' },
      accessToken: token,
    });
    expectError(unknown, 400, 36009004);
    expect(unknown.body.message).toBe("Invalid credentials. Invalid 'app_key' query parameter.");
  });

  it('sign missing → 36009004 / 400', async () => {
    const result = await call(emulator, { path: SHOPS_PATH, accessToken: token, sign: null });
    expectError(result, 400, 36009004);
    expect(result.body.message).toContain("'sign'");
  });

  it('timestamp missing, not 10 digits, stale or in the future → 36009004 / 400', async () => {
    const seconds = Math.floor(Date.now() / 1000);
    for (const timestamp of [
      String(seconds - 400),
      String(seconds + 60),
      String(seconds * 1000),
      '12345',
    ]) {
      const result = await call(emulator, { path: SHOPS_PATH, timestamp, accessToken: token });
      expectError(result, 400, 36009004);
      expect(result.body.message).toMatch(/^Invalid timestamp/);
    }
    const missing = await call(emulator, {
      path: SHOPS_PATH,
      accessToken: token,
      omit: ['timestamp'],
    });
    expectError(missing, 400, 36009004);
  });

  it('wrong sign → 106001 / 401, without echoing the sign', async () => {
    const wrong = 'a'.repeat(64);
    const result = await call(emulator, { path: SHOPS_PATH, accessToken: token, sign: wrong });
    expectError(result, 401, 106001);
    expect(JSON.stringify(result.body)).not.toContain(wrong);
  });

  it('access token missing or unknown → 36009004 / 401', async () => {
    expectError(await call(emulator, { path: SHOPS_PATH, accessToken: null }), 401, 36009004);
    const unknown = await call(emulator, { path: SHOPS_PATH, accessToken: 'TTP_not-a-token' });
    expectError(unknown, 401, 36009004);
    expect(JSON.stringify(unknown.body)).not.toContain('TTP_not-a-token');
  });

  it('shop_cipher missing on a shop-scoped route → 106013 / 400', async () => {
    expectError(await call(emulator, { path: WAREHOUSES_PATH, accessToken: token }), 400, 106013);
  });

  it('shop_cipher on a seller-level route → 36009004 / 400 (Unexpected shop_cipher)', async () => {
    for (const path of [SHOPS_PATH, '/seller/202309/shops', '/seller/202309/permissions']) {
      const result = await call(emulator, {
        path,
        query: { shop_cipher: ownCipher },
        accessToken: token,
      });
      expectError(result, 400, 36009004);
      expect(result.body.message).toMatch(/^Unexpected shop_cipher/);
    }
  });

  it('unknown or foreign shop_cipher → 101000 / 403', async () => {
    for (const cipher of ['GCP_unknown', foreignCipher]) {
      const result = await call(emulator, {
        path: WAREHOUSES_PATH,
        query: { shop_cipher: cipher },
        accessToken: token,
      });
      expectError(result, 403, 101000);
    }
  });

  it('scope not granted → 105005 / 403', async () => {
    const narrow = emulator.issueTokens({
      openId: emulator.sellers[0]!.openId,
      scopes: ['seller.authorization.info'],
    }).accessToken;
    const result = await call(emulator, {
      path: WAREHOUSES_PATH,
      query: { shop_cipher: ownCipher },
      accessToken: narrow,
    });
    expectError(result, 403, 105005);
    expect(result.body.message).toContain("'seller.logistics'");
    expect((await call(emulator, { path: SHOPS_PATH, accessToken: narrow })).body.code).toBe(0);
  });

  it('POST body that is not a JSON object → 36009004 / 400', async () => {
    for (const body of ['{"status":', '[1,2]', '"text"', 'null']) {
      const result = await call(emulator, {
        method: 'POST',
        path: SEARCH_PATH,
        query: { shop_cipher: ownCipher, page_size: '10' },
        body,
        accessToken: token,
      });
      expectError(result, 400, 36009004);
    }
  });

  it('POST without a body: accepted by the searches (§4), 36009004 / 400 elsewhere', async () => {
    const post = (path: string, query: Record<string, string>) =>
      call(emulator, {
        method: 'POST',
        path,
        query: { shop_cipher: ownCipher, ...query },
        accessToken: token,
      });
    for (const path of [SEARCH_PATH, '/product/202312/products/search', ORDER_SEARCH_PATH]) {
      const result = await post(path, { page_size: '10' });
      expect({ path, status: result.status, code: result.body.code }).toEqual({
        path,
        status: 200,
        code: 0,
      });
    }
    expectError(await post('/product/202309/inventory/search', {}), 400, 36009004);
  });

  it('GET with a body → 36009004 / 400', async () => {
    // fetch refuses GET bodies, so this one goes out through node:http.
    const { request } = await import('node:http');
    const query = { app_key: emulator.appKey, timestamp: String(Math.floor(Date.now() / 1000)) };
    const body = '{}';
    const sign = signTikTok(emulator.appSecret, SHOPS_PATH, query, body);
    const url = `${emulator.url}${SHOPS_PATH}?${new URLSearchParams({ ...query, sign })}`;
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, {
        method: 'GET',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'x-tts-access-token': token,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 36009004, data: null });
  });

  it('a query key sent twice → 36009004 / 400', async () => {
    const query = { app_key: emulator.appKey, timestamp: String(Math.floor(Date.now() / 1000)) };
    const sign = signTikTok(emulator.appSecret, SHOPS_PATH, query);
    const response = await fetch(
      `${emulator.url}${SHOPS_PATH}?${new URLSearchParams({ ...query, sign })}&app_key=${emulator.appKey}`,
      { headers: { 'content-type': 'application/json', 'x-tts-access-token': token } },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 36009004 });
  });

  it('checks in order: a bad sign is reported before a missing token', async () => {
    const result = await call(emulator, {
      path: SHOPS_PATH,
      accessToken: null,
      sign: 'b'.repeat(64),
    });
    expectError(result, 401, 106001);
  });

  it('checks in order: a missing scope is reported before a bad body', async () => {
    const narrow = emulator.issueTokens({
      openId: emulator.sellers[0]!.openId,
      scopes: [],
    }).accessToken;
    const result = await call(emulator, {
      method: 'POST',
      path: SEARCH_PATH,
      query: { shop_cipher: ownCipher, page_size: '10' },
      body: 'not json',
      accessToken: narrow,
    });
    expectError(result, 403, 105005);
  });
});

describe('timestamp window and token expiry on the emulator clock', () => {
  let clockMs = Date.UTC(2025, 0, 15, 12, 0, 0);
  let emulator: EmulatorHandle;
  const seconds = () => Math.floor(clockMs / 1000);

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false, now: () => clockMs });
  });
  afterAll(() => emulator.close());

  it('accepts 5 minutes back and 30 s ahead, and nothing beyond', async () => {
    const token = emulator.issueTokens({ openId: emulator.sellers[0]!.openId }).accessToken;
    const at = async (timestamp: number) =>
      (await call(emulator, { path: SHOPS_PATH, timestamp: String(timestamp), accessToken: token }))
        .body.code;
    expect(await at(seconds() - 300)).toBe(0);
    expect(await at(seconds() + 30)).toBe(0);
    expect(await at(seconds() - 301)).toBe(36009004);
    expect(await at(seconds() + 31)).toBe(36009004);
  });

  it('expired access token → 105002 / 401', async () => {
    const token = emulator.issueTokens({
      openId: emulator.sellers[0]!.openId,
      accessTokenTtlSeconds: 1,
    }).accessToken;
    const before = await call(emulator, {
      path: SHOPS_PATH,
      timestamp: String(seconds()),
      accessToken: token,
    });
    expect(before.body.code).toBe(0);
    clockMs += 2_000;
    const after = await call(emulator, {
      path: SHOPS_PATH,
      timestamp: String(seconds()),
      accessToken: token,
    });
    expectError(after, 401, 105002);
  });
});
