// The request log and counters: what other tests and bench use to count upstream calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestLog } from '../../src/emulator/request-log.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, RequestLogEntry } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';

function entry(at: number, endpoint = 'x.y', shopId: string | null = null): RequestLogEntry {
  return { at, method: 'GET', path: '/x', endpoint, shopId, status: 200, code: 0, fault: null };
}

describe('createRequestLog', () => {
  it('keeps arrival order even when answers finish out of order', () => {
    const log = createRequestLog();
    log.record(entry(10));
    log.record(entry(30));
    log.record(entry(20));
    expect(log.entries().map((e) => e.at)).toEqual([10, 20, 30]);
    expect(log.entries(10).map((e) => e.at)).toEqual([20, 30]);
  });

  it('drops the oldest entries past the cap but keeps counting', () => {
    const log = createRequestLog(5);
    for (let i = 1; i <= 12; i += 1) log.record(entry(i, 'a.b', 's1'));
    expect(log.entries().map((e) => e.at)).toEqual([8, 9, 10, 11, 12]);
    expect(log.counters()).toEqual({ 'a.b': 12, 'a.b s1': 12 });
  });

  it('returns copies, so callers cannot edit the log', () => {
    const log = createRequestLog();
    log.record(entry(1));
    const [first] = log.entries();
    first!.status = 999;
    expect(log.entries()[0]!.status).toBe(200);
  });
});

describe('request log over HTTP', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
  });
  afterAll(() => emulator.close());

  it('records every API request with endpoint, shop, status, code and fault', async () => {
    const seller = emulator.sellers[0]!;
    const [shopA, shopB] = seller.shops;
    const token = emulator.issueTokens({ openId: seller.openId }).accessToken;
    const warehouses = (cipher: string) =>
      call(emulator, {
        path: '/logistics/202309/warehouses',
        query: { shop_cipher: cipher },
        accessToken: token,
      });
    const startedAt = Date.now();
    await warehouses(shopA!.cipher);
    await warehouses(shopA!.cipher);
    await warehouses(shopB!.cipher);
    await call(emulator, { path: '/nowhere', accessToken: token });
    await call(emulator, {
      path: '/authorization/202309/shops',
      accessToken: token,
      sign: 'f'.repeat(64),
    });

    const log = emulator.requests();
    expect(
      log.map(({ endpoint, shopId, status, code, fault }) => ({
        endpoint,
        shopId,
        status,
        code,
        fault,
      })),
    ).toEqual([
      { endpoint: 'logistics.warehouses', shopId: shopA!.id, status: 200, code: 0, fault: null },
      { endpoint: 'logistics.warehouses', shopId: shopA!.id, status: 200, code: 0, fault: null },
      { endpoint: 'logistics.warehouses', shopId: shopB!.id, status: 200, code: 0, fault: null },
      { endpoint: 'unknown', shopId: null, status: 404, code: 36009009, fault: null },
      { endpoint: 'authorization.shops', shopId: null, status: 401, code: 106001, fault: null },
    ]);
    expect(log[0]).toMatchObject({ method: 'GET', path: '/logistics/202309/warehouses' });
    for (let i = 1; i < log.length; i += 1)
      expect(log[i]!.at).toBeGreaterThanOrEqual(log[i - 1]!.at);
    // `at` is wall-clock ms since the epoch, not a monotonic offset.
    expect(log[0]!.at).toBeGreaterThanOrEqual(startedAt - 1000);

    expect(emulator.counters()).toEqual({
      'logistics.warehouses': 3,
      [`logistics.warehouses ${shopA!.id}`]: 2,
      [`logistics.warehouses ${shopB!.id}`]: 1,
      unknown: 1,
      'authorization.shops': 1,
    });
    emulator.resetRequests();
    expect(emulator.requests()).toEqual([]);
    expect(emulator.counters()).toEqual({});
  });

  it('keeps what an API-host request carried: the query as received and the raw body', async () => {
    const seller = emulator.sellers[0]!;
    const shop = seller.shops[0]!;
    const token = emulator.issueTokens({ openId: seller.openId }).accessToken;
    emulator.resetRequests();
    const body = '{"status":"ACTIVATE",  "seller_skus":[]}';
    const search = (text?: string) =>
      call(emulator, {
        method: 'POST',
        path: '/product/202309/products/search',
        query: { shop_cipher: shop.cipher, page_size: '5' },
        body: text,
        accessToken: token,
      });
    expect((await search(body)).body.code).toBe(0);
    expect((await search()).body.code).toBe(0);

    const [withBody, withoutBody] = emulator.requests();
    expect(withBody!.received).toEqual({
      query: {
        app_key: emulator.appKey,
        timestamp: expect.stringMatching(/^\d{10}$/),
        shop_cipher: shop.cipher,
        page_size: '5',
        sign: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      body,
    });
    expect(withoutBody!.received!.body).toBe('');
  });
});
