// Pins the emulator's signature verifier (§4) to strings-to-sign worked out by hand.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import {
  buildStringToSign,
  computeSignature,
  verifySignature,
} from '../../src/emulator/signature.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';
import { signTikTok } from './helpers/sign.js';

const SECRET = 'demo-secret-not-for-production';
const EMPTY = new Uint8Array();

/** HMAC-SHA256(secret, secret + string + secret), lowercase hex: §4 steps 6–7. */
function hmacWrapped(stringToSign: string): string {
  return createHmac('sha256', SECRET)
    .update(SECRET + stringToSign + SECRET)
    .digest('hex');
}

describe('signature (pure, §4)', () => {
  it('signs a GET as path + sorted key/value pairs, without sign and access_token', () => {
    const input = {
      path: '/authorization/202309/shops',
      query: {
        timestamp: '1700000000',
        sign: 'ignored',
        access_token: 'ignored-too',
        app_key: '6a1b2c3d4e5f',
      },
      body: EMPTY,
    };
    const byHand = '/authorization/202309/shopsapp_key6a1b2c3d4e5ftimestamp1700000000';
    expect(buildStringToSign(input).toString('utf8')).toBe(byHand);
    expect(computeSignature(SECRET, input)).toBe(hmacWrapped(byHand));
    // Same value from `openssl dgst -sha256 -hmac`, so the expectation does not rest on our code.
    expect(computeSignature(SECRET, input)).toBe(
      '28f7ee717b064f7394be8d10d42bbc8139a5eea67d1da3124a529b8945240f67',
    );
  });

  it('appends a POST body byte-for-byte, keeping its spacing and key order', () => {
    const body = '{ "status" : "ACTIVATE",  "update_time_ge":1694309208 }';
    const input = {
      path: '/product/202309/products/search',
      query: {
        timestamp: '1700000000',
        shop_cipher: 'GCP_one_gb',
        page_size: '20',
        app_key: '6a1b2c3d4e5f',
      },
      body: Buffer.from(body, 'utf8'),
    };
    const byHand =
      '/product/202309/products/searchapp_key6a1b2c3d4e5fpage_size20shop_cipherGCP_one_gb' +
      'timestamp1700000000{ "status" : "ACTIVATE",  "update_time_ge":1694309208 }';
    expect(buildStringToSign(input).toString('utf8')).toBe(byHand);
    expect(computeSignature(SECRET, input)).toBe(
      'b80aea496d41ae821ebbfee354d43923a861f45a8cb1f989780eac1b676eb5ba',
    );
    const reserialized = { ...input, body: Buffer.from(JSON.stringify(JSON.parse(body)), 'utf8') };
    expect(computeSignature(SECRET, reserialized)).not.toBe(computeSignature(SECRET, input));
  });

  it('sorts keys by bytes: uppercase, then underscore, then lowercase', () => {
    const input = {
      path: '/p',
      query: { ab: '1', a_b: '2', Ab: '3', page_token: '4', page_size: '5' },
      body: EMPTY,
    };
    expect(buildStringToSign(input).toString('utf8')).toBe('/pAb3a_b2ab1page_size5page_token4');
  });

  it('signs decoded values, comma-joined lists and empty values as sent', () => {
    const input = {
      path: '/order/202309/orders',
      query: { ids: '1,2', x: '', y: 'a b' },
      body: EMPTY,
    };
    expect(buildStringToSign(input).toString('utf8')).toBe('/order/202309/ordersids1,2xya b');
  });

  it('rejects a wrong, truncated or uppercase sign', () => {
    const input = { path: '/authorization/202309/shops', query: { app_key: 'k' }, body: EMPTY };
    const good = computeSignature(SECRET, input);
    expect(verifySignature(SECRET, input, good)).toEqual({ ok: true });
    expect(verifySignature(SECRET, input, good.toUpperCase())).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySignature(SECRET, input, good.slice(0, 63))).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySignature('other-secret', input, good)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('agrees with the independent test signer', () => {
    const query = { app_key: 'k', timestamp: '1700000000', shop_cipher: 'c' };
    const body = '{"b":1,"a":[2, 3]}';
    expect(signTikTok(SECRET, '/x/y', query, body)).toBe(
      computeSignature(SECRET, { path: '/x/y', query, body: Buffer.from(body) }),
    );
  });
});

describe('signature over HTTP', () => {
  let emulator: EmulatorHandle;
  let accessToken: string;
  let cipher: string;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
    const seller = emulator.sellers[0]!;
    accessToken = emulator.issueTokens({ openId: seller.openId }).accessToken;
    cipher = seller.shops[0]!.cipher;
  });
  afterAll(() => emulator.close());

  it('accepts a body with unusual spacing when the raw bytes were signed', async () => {
    const result = await call(emulator, {
      method: 'POST',
      path: '/product/202309/products/search',
      query: { shop_cipher: cipher, page_size: '5' },
      body: '{  "status":"ACTIVATE" ,\n "update_time_ge" : 1694309208}',
      accessToken,
    });
    expect(result.body.code).toBe(0);
    expect(result.status).toBe(200);
  });

  it('rejects a sign computed over a re-serialized body with 106001 / 401', async () => {
    const body = '{  "status":"ACTIVATE" ,\n "update_time_ge" : 1694309208}';
    const query = {
      app_key: emulator.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      shop_cipher: cipher,
      page_size: '5',
    };
    const path = '/product/202309/products/search';
    const sign = signTikTok(emulator.appSecret, path, query, JSON.stringify(JSON.parse(body)));
    const result = await call(emulator, {
      method: 'POST',
      path,
      query: { ...query },
      timestamp: query.timestamp,
      body,
      accessToken,
      sign,
    });
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ code: 106001, data: null });
    expect(result.body.message).not.toContain(sign);
  });

  it('ignores access_token in the query when signing', async () => {
    const result = await call(emulator, {
      path: '/authorization/202309/shops',
      query: { access_token: 'not-signed' },
      accessToken,
    });
    expect(result.body.code).toBe(0);
  });

  it('rejects a sign for another path', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const result = await call(emulator, {
      path: '/authorization/202309/shops',
      timestamp,
      sign: signTikTok(emulator.appSecret, '/seller/202309/shops', {
        app_key: emulator.appKey,
        timestamp,
      }),
      accessToken,
    });
    expect(result.status).toBe(401);
    expect(result.body.code).toBe(106001);
  });
});
