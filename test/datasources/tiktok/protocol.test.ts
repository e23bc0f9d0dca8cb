// The protocol corrections of issue 11 (§0), proven from what the emulator received: the bytes
// the client signed and sent, the version each filter goes to, and what 36009009 / 36009037 mean.
import { afterEach, describe, expect, it } from 'vitest';
import {
  TikTokShopInvalidPathError,
  TikTokShopRateLimitError,
} from '../../../src/datasources/tiktok/errors.js';
import type { RequestLogEntry } from '../../../src/emulator/types.js';
import { signTikTok } from '../../emulator/helpers/sign.js';
import { failureOf, type Harness, startHarness } from './helpers/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The one request the emulator logged for `path`. */
function onlyRequestTo(path: string): RequestLogEntry {
  const matching = harness!.emulator.requests().filter((entry) => entry.path === path);
  expect(matching).toHaveLength(1);
  return matching[0]!;
}

/** The signature §4 gives for what the emulator received, with `body` as the signed body. */
function signatureOf(entry: RequestLogEntry, body: string): string {
  return signTikTok(harness!.emulator.appSecret, entry.path, entry.received!.query, body);
}

describe('unfiltered searches send and sign no body (§4, §6.1, §6.6)', () => {
  it.each([
    ['products', '/product/202309/products/search'],
    ['orders', '/order/202309/orders/search'],
  ] as const)('%s: no body bytes, and a signature over path and query only', async (kind, path) => {
    harness = await startHarness();
    const { client, shop } = harness;
    // No filter, and a filter whose every condition is empty: neither is a filter.
    const unfiltered = [{ pageSize: 5 }, { pageSize: 5, filter: { status: null } }];
    for (const input of unfiltered) {
      harness.emulator.resetRequests();
      const page =
        kind === 'products'
          ? await client.searchProducts(shop, input)
          : await client.searchOrders(shop, input);
      expect(page.items).toHaveLength(5);
      const entry = onlyRequestTo(path);
      expect(entry.code).toBe(0);
      expect(entry.received!.body).toBe('');
      expect(entry.received!.query.sign).toBe(signatureOf(entry, ''));
      expect(entry.received!.query.sign).not.toBe(signatureOf(entry, '{}'));
    }
  });

  it('a filtered search sends the filter, signed byte for byte', async () => {
    harness = await startHarness();
    await harness.client.searchProducts(harness.shop, {
      pageSize: 5,
      filter: { status: 'ACTIVATE' },
    });
    const entry = onlyRequestTo('/product/202309/products/search');
    expect(entry.received!.body).toBe('{"status":"ACTIVATE"}');
    expect(entry.received!.query.sign).toBe(signatureOf(entry, '{"status":"ACTIVATE"}'));
  });
});

describe('the SKU-id product filter goes to 202312 (§6.1)', () => {
  it('filters by SKU id on /product/202312/products/search, and on 202309 sends no sku_ids', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;
    const [wanted, other] = (await client.searchProducts(shop, { pageSize: 2 })).items;
    const skuId = wanted!.skus[0]!.id;

    emulator.resetRequests();
    const bySku = await client.searchProducts(shop, { pageSize: 10, filter: { skuIds: [skuId] } });
    expect(bySku.items.map((product) => product.id)).toEqual([wanted!.id]);
    const entry = onlyRequestTo('/product/202312/products/search');
    expect(entry).toMatchObject({ endpoint: 'product.search.202312', code: 0 });
    expect(JSON.parse(entry.received!.body)).toEqual({ sku_ids: [skuId] });

    emulator.resetRequests();
    const bySellerSku = await client.searchProducts(shop, {
      pageSize: 10,
      filter: { sellerSkus: [other!.skus[0]!.sellerSku], skuIds: [] },
    });
    expect(bySellerSku.items.map((product) => product.id)).toEqual([other!.id]);
    expect(onlyRequestTo('/product/202309/products/search').received!.body).not.toContain(
      'sku_ids',
    );
  });
});

describe('what 36009009 and 36009037 mean (§5)', () => {
  it('36009009 is an invalid path naming it, not "not found", and is not retried', async () => {
    harness = await startHarness({
      emulator: {
        faults: {
          codeAnswer: { status: 404, code: 36009009 },
          script: [{ kind: 'code', count: 3 }],
        },
      },
    });
    const { client, shop } = harness;
    const error = await failureOf(client.getWarehouses(shop));
    expect(error).toBeInstanceOf(TikTokShopInvalidPathError);
    expect(error).toMatchObject({
      code: 36009009,
      method: 'GET',
      path: '/logistics/202309/warehouses',
      retryable: false,
    });
    expect(error.message).toContain('GET /logistics/202309/warehouses');
    expect(harness.emulator.requests()).toHaveLength(1);
  });

  it('36009037 is a rate limit with its reason, never retried; 36009002 is retried', async () => {
    const sandboxQuota = { status: 429, code: 36009037, message: 'Test shop hourly limit.' };
    harness = await startHarness({
      emulator: { faults: { codeAnswer: sandboxQuota, script: [{ kind: 'code', count: 3 }] } },
    });
    const { client, shop, emulator } = harness;
    const error = await failureOf(client.getWarehouses(shop));
    expect(error).toBeInstanceOf(TikTokShopRateLimitError);
    expect(error).toMatchObject({
      code: 36009037,
      reason: 'sandbox_hourly_quota',
      retryable: false,
    });
    expect(emulator.requests()).toHaveLength(1);

    // The control: the ordinary throttle code is retried on §7's schedule, five times (its own
    // budget: TEST_HTTP allows 3 attempts for other failures).
    emulator.resetRequests();
    emulator.setFaults({
      codeAnswer: { status: 429, code: 36009002 },
      script: [{ kind: 'code', count: 6 }],
    });
    const throttled = await failureOf(client.getWarehouses(shop));
    expect(throttled).toMatchObject({ code: 36009002, reason: 'throttled', retryable: true });
    expect(emulator.requests()).toHaveLength(6);
  });
});
