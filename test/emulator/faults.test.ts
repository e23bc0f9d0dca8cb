// Injected faults: each kind from the script, filters, seeded rates, validation, and close().
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFaultInjector, validateFaultConfig } from '../../src/emulator/faults.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, FaultKind } from '../../src/emulator/types.js';
import type { Json } from '../helpers/gateway.js';
import { call } from './helpers/api-client.js';
import { signTikTok } from './helpers/sign.js';

const SHOPS_PATH = '/authorization/202309/shops';

describe('fault injector (pure)', () => {
  it('consumes the script in order before any rate', () => {
    const faults = createFaultInjector(1, {
      script: [
        { kind: 'error', count: 1 },
        { kind: 'stall', count: 2 },
      ],
    });
    const kinds = Array.from(
      { length: 4 },
      () => faults.decide({ path: '/x', shopId: null })?.kind,
    );
    expect(kinds).toEqual(['error', 'stall', 'stall', null]);
    expect(faults.get().script).toEqual([]);
  });

  it('repeats the same random sequence for the same seed and config', () => {
    const sequence = (seed: number) => {
      const faults = createFaultInjector(seed, { errorRate: 0.3, dropRate: 0.2 });
      return Array.from({ length: 200 }, () => faults.decide({ path: '/x', shopId: null })?.kind);
    };
    const first = sequence(42);
    expect(sequence(42)).toEqual(first);
    expect(first.filter((kind) => kind === 'error').length).toBeGreaterThan(30);
    expect(first.filter((kind) => kind === 'drop').length).toBeGreaterThan(15);
    expect(first.filter((kind) => kind === null).length).toBeGreaterThan(60);
    expect(sequence(43)).not.toEqual(first);
  });

  it('applies rate 1 always and rate 0 never', () => {
    const always = createFaultInjector(1, { malformedRate: 1 });
    const never = createFaultInjector(1, { malformedRate: 0 });
    for (let i = 0; i < 50; i += 1) {
      expect(always.decide({ path: '/x', shopId: null })?.kind).toBe('malformed');
      expect(never.decide({ path: '/x', shopId: null })?.kind).toBeNull();
    }
  });

  it('keeps latency within base ± jitter', () => {
    const faults = createFaultInjector(7, { latencyMs: 100, latencyJitterMs: 20 });
    for (let i = 0; i < 100; i += 1) {
      const latencyMs = faults.decide({ path: '/x', shopId: null })?.latencyMs ?? -1;
      expect(latencyMs).toBeGreaterThanOrEqual(80);
      expect(latencyMs).toBeLessThanOrEqual(120);
    }
  });

  it('rolls webhook knobs from a stream of their own, repeatably', () => {
    const config = { errorRate: 0.5, webhookDropRate: 0.2, webhookDuplicateRate: 0.3 };
    const webhookKinds = (interleaveRequests: boolean) => {
      const faults = createFaultInjector(9, { ...config, webhookDelayMs: 40 });
      return Array.from({ length: 100 }, () => {
        if (interleaveRequests) faults.decide({ path: '/x', shopId: null });
        const decision = faults.decideWebhook();
        expect(decision.delayMs).toBe(40);
        return decision.kind;
      });
    };
    const kinds = webhookKinds(false);
    // API traffic does not shift the webhook sequence.
    expect(webhookKinds(true)).toEqual(kinds);
    expect(kinds.filter((kind) => kind === 'drop').length).toBeGreaterThan(8);
    expect(kinds.filter((kind) => kind === 'duplicate').length).toBeGreaterThan(15);
    expect(kinds.filter((kind) => kind === null).length).toBeGreaterThan(30);
    expect(kinds).not.toContain('reorder');
    // And the request sequence is the same with or without webhook rolls.
    const requestKinds = (rollWebhooks: boolean) => {
      const faults = createFaultInjector(9, config);
      return Array.from({ length: 50 }, () => {
        if (rollWebhooks) faults.decideWebhook();
        return faults.decide({ path: '/x', shopId: null })?.kind;
      });
    };
    expect(requestKinds(true)).toEqual(requestKinds(false));
  });

  it('filters by path prefix and shop id', () => {
    const faults = createFaultInjector(1, {
      errorRate: 1,
      pathPrefixes: ['/order/'],
      shopIds: ['1'],
    });
    expect(faults.decide({ path: '/order/202309/orders', shopId: '1' })?.kind).toBe('error');
    expect(faults.decide({ path: '/order/202309/orders', shopId: '2' })).toBeNull();
    expect(faults.decide({ path: '/order/202309/orders', shopId: null })).toBeNull();
    expect(faults.decide({ path: '/product/202309/products', shopId: '1' })).toBeNull();
  });

  it('refuses invalid configs instead of ignoring them', () => {
    for (const bad of [
      { errorRate: 1.5 },
      { errorRate: 0.6, dropRate: 0.6 },
      { errorStatus: 404 },
      { retryAfterSeconds: 0 },
      { script: [{ kind: 'explode', count: 1 }] },
      { script: [{ kind: 'error', count: 0 }] },
      { latencyMs: -1 },
      { errorrate: 0.5 },
      { shopIds: [1] },
      { script: [{ kind: 'code', count: 1 }] },
      { codeRate: 0.5 },
      { codeAnswer: { status: 200, code: 36009009 } },
      { codeAnswer: { status: 404, code: 0 } },
      { codeAnswer: { status: 404, code: 36009009, reason: 'x' } },
      { productsWithoutStatus: '1729' },
      { handleFirst: 'yes' },
      { webhookDropRate: 1.5 },
      { webhookDropRate: 0.6, webhookDuplicateRate: 0.3, webhookReorderRate: 0.2 },
      { webhookDelayMs: -5 },
      { webhookReorderWindowMs: '1s' },
      { webhookRetryScale: 0 },
      { webhookRetryScale: 2 },
      { webhookretryscale: 0.5 },
    ]) {
      expect(validateFaultConfig(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(() => createFaultInjector(1, { errorRate: 2 })).toThrow(RangeError);
  });
});

describe('faults over HTTP (script form)', () => {
  let emulator: EmulatorHandle;
  let token: string;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
    token = emulator.issueTokens({ openId: emulator.sellers[0]!.openId }).accessToken;
  });
  beforeEach(() => {
    emulator.setFaults({});
    emulator.resetRequests();
  });
  afterAll(() => emulator.close());

  function signedUrl(path: string): string {
    const query = { app_key: emulator.appKey, timestamp: String(Math.floor(Date.now() / 1000)) };
    const sign = signTikTok(emulator.appSecret, path, query);
    return `${emulator.url}${path}?${new URLSearchParams({ ...query, sign })}`;
  }
  const headers = () => ({ 'content-type': 'application/json', 'x-tts-access-token': token });
  const lastFault = (): FaultKind | null | undefined => emulator.requests().at(-1)?.fault;

  it('error: the configured 5xx with 36009003, then back to normal', async () => {
    emulator.setFaults({ errorStatus: 503, script: [{ kind: 'error', count: 1 }] });
    const failed = await call(emulator, { path: SHOPS_PATH, accessToken: token });
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 36009003, data: null });
    expect(lastFault()).toBe('error');
    const next = await call(emulator, { path: SHOPS_PATH, accessToken: token });
    expect(next.body.code).toBe(0);
    expect(lastFault()).toBeNull();
  });

  it('rate_limit: 429 / 36009002 with the configured Retry-After', async () => {
    emulator.setFaults({ retryAfterSeconds: 3, script: [{ kind: 'rate_limit', count: 2 }] });
    for (let i = 0; i < 2; i += 1) {
      const limited = await call(emulator, { path: SHOPS_PATH, accessToken: token });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe(36009002);
      expect(limited.headers.get('retry-after')).toBe('3');
    }
    expect((await call(emulator, { path: SHOPS_PATH, accessToken: token })).status).toBe(200);
  });

  it('code: the chosen status, code and message, then back to normal', async () => {
    emulator.setFaults({
      codeAnswer: { status: 429, code: 36009037, message: 'Test shop hourly limit reached.' },
      script: [{ kind: 'code', count: 1 }],
    });
    const limited = await call(emulator, { path: SHOPS_PATH, accessToken: token });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      code: 36009037,
      message: 'Test shop hourly limit reached.',
      data: null,
    });
    expect(lastFault()).toBe('code');
    expect((await call(emulator, { path: SHOPS_PATH, accessToken: token })).body.code).toBe(0);

    emulator.setFaults({ codeAnswer: { status: 404, code: 36009009 }, codeRate: 1 });
    const unknownPath = await call(emulator, { path: SHOPS_PATH, accessToken: token });
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toMatchObject({ code: 36009009, message: 'Injected error 36009009.' });
  });

  it('drop: the socket is destroyed with no answer', async () => {
    emulator.setFaults({ script: [{ kind: 'drop', count: 1 }] });
    await expect(fetch(signedUrl(SHOPS_PATH), { headers: headers() })).rejects.toThrow();
    expect(emulator.requests().at(-1)).toMatchObject({ fault: 'drop', code: null, status: 0 });
  });

  it('malformed: 200 with a JSON content-type and a body that does not parse', async () => {
    emulator.setFaults({ script: [{ kind: 'malformed', count: 1 }] });
    const response = await fetch(signedUrl(SHOPS_PATH), { headers: headers() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(emulator.requests().at(-1)).toMatchObject({
      fault: 'malformed',
      code: null,
      status: 200,
    });
  });

  it('stall: headers and part of the body arrive, the rest never does', async () => {
    emulator.setFaults({ script: [{ kind: 'stall', count: 1 }] });
    const abort = new AbortController();
    const response = await fetch(signedUrl(SHOPS_PATH), {
      headers: headers(),
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    const promised = Number(response.headers.get('content-length'));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(first.value!.length).toBeLessThan(promised);
    abort.abort();
    await expect(reader.read()).rejects.toThrow();
    expect(emulator.requests().at(-1)).toMatchObject({ fault: 'stall', code: null, status: 200 });
  });

  it('path prefix filter leaves other routes alone', async () => {
    emulator.setFaults({ pathPrefixes: ['/seller/'], script: [{ kind: 'error', count: 1 }] });
    expect((await call(emulator, { path: SHOPS_PATH, accessToken: token })).status).toBe(200);
    expect(
      (await call(emulator, { path: '/seller/202309/shops', accessToken: token })).status,
    ).toBe(500);
  });

  it('shop filter hits only the listed shop', async () => {
    const [shopA, shopB] = emulator.sellers[0]!.shops;
    emulator.setFaults({ shopIds: [shopB!.id], script: [{ kind: 'error', count: 1 }] });
    const hit = (cipher: string) =>
      call(emulator, {
        path: '/logistics/202309/warehouses',
        query: { shop_cipher: cipher },
        accessToken: token,
      });
    expect((await hit(shopA!.cipher)).status).toBe(200);
    expect((await hit(shopB!.cipher)).status).toBe(500);
  });

  it('faults apply only after the checks: a bad sign is still 106001', async () => {
    emulator.setFaults({ errorRate: 1 });
    const result = await call(emulator, {
      path: SHOPS_PATH,
      accessToken: token,
      sign: 'c'.repeat(64),
    });
    expect(result.body.code).toBe(106001);
  });

  it('latency still answers normally', async () => {
    emulator.setFaults({ latencyMs: 20, latencyJitterMs: 10 });
    const result = await call(emulator, { path: SHOPS_PATH, accessToken: token });
    expect(result.body.code).toBe(0);
  });

  it('options.faults applies from the start', async () => {
    const other = await createEmulator({ faults: { script: [{ kind: 'error', count: 1 }] } });
    try {
      const otherToken = other.issueTokens({ openId: other.sellers[0]!.openId }).accessToken;
      expect((await call(other, { path: SHOPS_PATH, accessToken: otherToken })).status).toBe(500);
    } finally {
      await other.close();
    }
  });

  it('setFaults refuses an invalid config', () => {
    expect(() => emulator.setFaults({ dropRate: -0.1 })).toThrow(RangeError);
  });
});

describe('handleFirst: the write takes effect, only its answer is faulted', () => {
  let emulator: EmulatorHandle;
  let token: string;
  const shop = () => emulator.sellers[0]!.shops[0]!;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
    token = emulator.issueTokens({ openId: emulator.sellers[0]!.openId }).accessToken;
  });
  afterAll(() => emulator.close());

  const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
    const query = {
      app_key: emulator.appKey,
      timestamp: String(Math.floor(Date.now() / 1000)),
      shop_cipher: shop().cipher,
      ...extra,
    };
    const text = JSON.stringify(body);
    const sign = signTikTok(emulator.appSecret, path, query, text);
    const response = await fetch(
      `${emulator.url}${path}?${new URLSearchParams({ ...query, sign })}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tts-access-token': token },
        body: text,
      },
    );
    return (await response.json()) as { code: number; data: Json };
  };
  /** A live product's first SKU when it is stocked in one warehouse. */
  async function singleWarehouseSku() {
    const found = await post(
      '/product/202309/products/search',
      { status: 'ACTIVATE' },
      { page_size: '50' },
    );
    const product = found.data.products.find(
      (candidate: Json) => candidate.skus[0].inventory.length === 1,
    );
    return { productId: product.id as string, skuId: product.skus[0].id as string };
  }
  const availableOf = async (skuId: string): Promise<number> => {
    const { data } = await post('/product/202309/inventory/search', { sku_ids: [skuId] });
    return data.inventory[0].skus[0].warehouse_inventory[0].available_quantity;
  };
  /** Sends the update; the HTTP status, or the error when no answer came. */
  const updateTo = (sku: { productId: string; skuId: string }, quantity: number) =>
    post(`/product/202309/products/${sku.productId}/inventory/update`, {
      skus: [{ id: sku.skuId, inventory: [{ quantity }] }],
    }).catch((error: unknown) => error);

  it('a dropped write changes nothing, unless handleFirst: then it was applied', async () => {
    const sku = await singleWarehouseSku();
    const before = await availableOf(sku.skuId);
    const pathPrefixes = [`/product/202309/products/${sku.productId}/inventory/update`];
    emulator.setFaults({ pathPrefixes, script: [{ kind: 'drop', count: 1 }] });
    expect(await updateTo(sku, before + 1)).toBeInstanceOf(Error);
    expect(await availableOf(sku.skuId)).toBe(before);

    emulator.setFaults({ pathPrefixes, handleFirst: true, script: [{ kind: 'drop', count: 1 }] });
    expect(await updateTo(sku, before + 1)).toBeInstanceOf(Error);
    expect(await availableOf(sku.skuId)).toBe(before + 1);
    const updates = emulator.requests().filter((entry) => entry.endpoint === 'inventory.update');
    expect(updates.map((entry) => [entry.fault, entry.status])).toEqual([
      ['drop', 0],
      ['drop', 0],
    ]);
  });

  it('latency: applied on arrival and answered late, pending until then', async () => {
    const sku = await singleWarehouseSku();
    const before = await availableOf(sku.skuId);
    const pathPrefixes = [`/product/202309/products/${sku.productId}/inventory/update`];
    emulator.setFaults({ pathPrefixes, handleFirst: true, latencyMs: 600_000 });
    expect(emulator.pendingRequests()).toBe(0);
    const late = updateTo(sku, before + 2);
    while ((await availableOf(sku.skuId)) !== before + 2);
    // Still unanswered (closing the emulator ends it).
    expect(emulator.pendingRequests()).toBe(1);
    await emulator.close();
    expect(await late).toBeInstanceOf(Error);
    expect(emulator.pendingRequests()).toBe(0);
  });
});

describe('close()', () => {
  it('ends promptly with a stalled reply and a request waiting on latency', async () => {
    const emulator = await createEmulator({ rateLimit: false });
    const token = emulator.issueTokens({ openId: emulator.sellers[0]!.openId }).accessToken;
    const request = () => {
      const query = { app_key: emulator.appKey, timestamp: String(Math.floor(Date.now() / 1000)) };
      const sign = signTikTok(emulator.appSecret, SHOPS_PATH, query);
      return fetch(`${emulator.url}${SHOPS_PATH}?${new URLSearchParams({ ...query, sign })}`, {
        headers: { 'content-type': 'application/json', 'x-tts-access-token': token },
      });
    };
    emulator.setFaults({ script: [{ kind: 'stall', count: 1 }] });
    const stalled = await request();
    const stalledBody = stalled.text().catch((error: unknown) => error);

    // The script step is consumed when the request reaches the fault stage, before its latency.
    emulator.setFaults({ latencyMs: 600_000, script: [{ kind: 'error', count: 1 }] });
    const waiting = request().catch((error: unknown) => error);
    for (;;) {
      const { faults } = (await (await fetch(`${emulator.url}/__emulator/faults`)).json()) as {
        faults: { script: unknown[] };
      };
      if (faults.script.length === 0) break;
    }

    // If close() waited for either socket, this would hit the test timeout.
    await emulator.close();
    expect(await waiting).toBeInstanceOf(Error);
    expect(await stalledBody).toBeInstanceOf(Error);
  });
});
