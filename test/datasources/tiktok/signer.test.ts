// The signer against strings-to-sign written out by hand from protocol notes §4 and §8. The
// expected HMAC is computed here with node:crypto, independently of signer.ts.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signRequest,
  signWebhook,
  stringToSign,
  verifyWebhook,
} from '../../../src/datasources/tiktok/signer.js';

const APP_SECRET = 'test_secret_5f2a';
const APP_KEY = 'abc123';

/** §4 steps 6–7, written independently of the code under test. */
function expectedSign(secret: string, plain: string): string {
  return createHmac('sha256', secret)
    .update(secret + plain + secret)
    .digest('hex');
}

describe('stringToSign / signRequest (§4)', () => {
  it('GET with shop_cipher and page params: path, then key+value in byte order', () => {
    const path = '/analytics/202405/shop_products/performance';
    const query = {
      timestamp: '1700000000',
      shop_cipher: 'ROW_Xt9qAAAA',
      page_token: 'b2Zmc2V0PTAK',
      app_key: APP_KEY,
      page_size: '20',
      end_date_lt: '2024-02-01',
    };
    const plain =
      '/analytics/202405/shop_products/performance' +
      'app_keyabc123' +
      'end_date_lt2024-02-01' +
      'page_size20' +
      'page_tokenb2Zmc2V0PTAK' +
      'shop_cipherROW_Xt9qAAAA' +
      'timestamp1700000000';
    expect(stringToSign({ path, query })).toBe(plain);
    const sign = signRequest({ appSecret: APP_SECRET, path, query });
    expect(sign).toBe(expectedSign(APP_SECRET, plain));
    // Pinned literal, so a change in both the code and the helper above is still caught.
    expect(sign).toBe('feecc176a68a9cce2adfbda635b66bd4a506e4ae1fffd08cc52adf2030e95a41');
    expect(sign).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves out sign, access_token and a stray x-tts-access-token key', () => {
    const path = '/authorization/202309/shops';
    const query = {
      app_key: APP_KEY,
      timestamp: '1700000000',
      sign: 'deadbeef',
      access_token: 'TTP_secret_token',
      'x-tts-access-token': 'TTP_secret_token',
    };
    const plain = '/authorization/202309/shopsapp_keyabc123timestamp1700000000';
    expect(stringToSign({ path, query })).toBe(plain);
    expect(signRequest({ appSecret: APP_SECRET, path, query })).toBe(
      expectedSign(APP_SECRET, plain),
    );
  });

  it('appends a POST body byte-for-byte, without re-serializing or sorting it', () => {
    const path = '/product/202309/products/search';
    const query = {
      app_key: APP_KEY,
      timestamp: '1700000000',
      shop_cipher: 'GCP_c1',
      page_size: '10',
    };
    const body = '{"update_time_ge":1694309208, "status":"ACTIVATE"}';
    const plain =
      '/product/202309/products/searchapp_keyabc123page_size10shop_cipherGCP_c1timestamp1700000000' +
      '{"update_time_ge":1694309208, "status":"ACTIVATE"}';
    expect(stringToSign({ path, query, body })).toBe(plain);
    expect(signRequest({ appSecret: APP_SECRET, path, query, body })).toBe(
      expectedSign(APP_SECRET, plain),
    );
  });

  it('appends a {} body (byte-oriented), but nothing for an empty or missing body', () => {
    const path = '/product/202309/inventory/search';
    const query = { app_key: APP_KEY, timestamp: '1700000000' };
    const bare = '/product/202309/inventory/searchapp_keyabc123timestamp1700000000';
    expect(stringToSign({ path, query, body: '{}' })).toBe(`${bare}{}`);
    expect(stringToSign({ path, query, body: '' })).toBe(bare);
    expect(stringToSign({ path, query })).toBe(bare);
    expect(signRequest({ appSecret: APP_SECRET, path, query, body: '{}' })).toBe(
      expectedSign(APP_SECRET, `${bare}{}`),
    );
    expect(signRequest({ appSecret: APP_SECRET, path, query, body: '{}' })).not.toBe(
      signRequest({ appSecret: APP_SECRET, path, query }),
    );
  });

  it('sorts keys by plain byte order (uppercase < underscore < lowercase, prefixes first)', () => {
    const query = { ab: '1', a_b: '2', B: '3', page: '4', page_size: '5', a: '6' };
    expect(stringToSign({ path: '/p', query })).toBe('/pB3a6a_b2ab1page4page_size5');
  });

  it('signs list values as sent, comma-joined', () => {
    const query = {
      app_key: APP_KEY,
      ids: '576461413038785752,576461413038785753',
      timestamp: '1',
    };
    expect(stringToSign({ path: '/order/202309/orders', query })).toBe(
      '/order/202309/ordersapp_keyabc123ids576461413038785752,576461413038785753timestamp1',
    );
  });
});

describe('webhooks (§8)', () => {
  const rawBody =
    '{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621",' +
    '"timestamp":1644412885,"data":{"order_id":"576486316948490001","order_status":"UNPAID",' +
    '"is_on_hold_order":false,"update_time":1644412885}}';
  // §8: HMAC(app_secret, app_key + raw body); no wrapping, no path.
  const expected = createHmac('sha256', APP_SECRET).update(`abc123${rawBody}`).digest('hex');

  it('signs app key + raw body', () => {
    expect(signWebhook({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody })).toBe(expected);
  });

  it('verifies a genuine signature (either hex case)', () => {
    const input = { appKey: APP_KEY, appSecret: APP_SECRET, rawBody };
    expect(verifyWebhook({ ...input, signature: expected })).toBe(true);
    expect(verifyWebhook({ ...input, signature: expected.toUpperCase() })).toBe(true);
  });

  it('rejects a tampered body, another app key and another secret', () => {
    const tampered = rawBody.replace('UNPAID', 'AWAITING_SHIPMENT');
    expect(
      verifyWebhook({
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        rawBody: tampered,
        signature: expected,
      }),
    ).toBe(false);
    expect(
      verifyWebhook({ appKey: 'other', appSecret: APP_SECRET, rawBody, signature: expected }),
    ).toBe(false);
    expect(
      verifyWebhook({ appKey: APP_KEY, appSecret: 'other_secret', rawBody, signature: expected }),
    ).toBe(false);
  });

  it('returns false, without throwing, for wrong length, non-hex or non-string signatures', () => {
    const input = { appKey: APP_KEY, appSecret: APP_SECRET, rawBody };
    expect(verifyWebhook({ ...input, signature: expected.slice(0, 62) })).toBe(false);
    expect(verifyWebhook({ ...input, signature: `${expected}00` })).toBe(false);
    expect(verifyWebhook({ ...input, signature: 'z'.repeat(64) })).toBe(false);
    expect(verifyWebhook({ ...input, signature: '' })).toBe(false);
    expect(verifyWebhook({ ...input, signature: undefined as unknown as string })).toBe(false);
  });
});
