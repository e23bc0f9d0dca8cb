// The circuit breaker (issue 10, defect 10): the state machine with an injected clock, then the
// whole path through the gateway against the emulator's faults, counted in its request log.
import { afterEach, describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../../src/datasources/tiktok/circuit-breaker.js';
import {
  localRateLimitError,
  TikTokShopCircuitOpenError,
  TikTokShopNotFoundError,
  TikTokShopUpstreamError,
} from '../../../src/datasources/tiktok/errors.js';
import { type Json, lastDays, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { createLogRecorder } from '../../helpers/scale-out.js';

const COOLDOWN_MS = 1_000;

/** A wall clock that moves only when told, so the times left are exact. */
function createManualClock() {
  let nowMs = Date.now();
  return {
    now: () => nowMs,
    advanceMs(ms: number) {
      nowMs += ms;
    },
  };
}

const upstream = () =>
  new TikTokShopUpstreamError('x: 500', {
    code: 36009003,
    status: 500,
    requestId: null,
    operation: 'x',
    reason: 'server_error',
  });
const notFound = () =>
  new TikTokShopNotFoundError('x: not found', {
    code: 12052032,
    status: 404,
    requestId: null,
    operation: 'x',
  });

/** A breaker on a test clock, and a call helper that counts what actually ran. */
function setup(failureThreshold = 3) {
  const clock = createManualClock();
  const recorder = createLogRecorder('info');
  const breaker = createCircuitBreaker({
    failureThreshold,
    cooldownMs: COOLDOWN_MS,
    now: clock.now,
    logger: recorder.logger,
  });
  let ran = 0;
  const call = (key: string, outcome: () => unknown) =>
    breaker.run(key, 'x', async () => {
      ran += 1;
      const value = outcome();
      if (value instanceof Error) throw value;
      return value;
    });
  const settled = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (error: unknown) => error,
    );
  return { clock, recorder, breaker, call, settled, ran: () => ran };
}

describe('the circuit state machine', () => {
  it('opens after N consecutive failures and then refuses at once with the time left', async () => {
    const { clock, breaker, call, settled, ran, recorder } = setup();
    for (let i = 0; i < 3; i += 1) await settled(call('a', upstream));
    expect(breaker.states()).toEqual([
      { circuit: 'a', state: 'open', consecutiveFailures: 3, retryAfterMs: COOLDOWN_MS },
    ]);
    clock.advanceMs(400);
    const refused = await settled(call('a', () => 'never'));
    expect(refused).toBeInstanceOf(TikTokShopCircuitOpenError);
    expect(refused).toMatchObject({ reason: 'circuit_open', retryable: true, retryAfterMs: 600 });
    expect(ran()).toBe(3);
    expect(recorder.lines.filter((line) => line.circuit === 'a').map((line) => line.msg)).toEqual([
      'TikTok Shop circuit open: calls fail at once until a probe succeeds',
    ]);
  });

  it('counts only consecutive upstream failures: an answer resets, a local refusal is neither', async () => {
    const { breaker, call, settled } = setup();
    await settled(call('a', upstream));
    await settled(call('a', upstream));
    await settled(call('a', notFound)); // TikTok answered: it is up
    await settled(call('a', upstream));
    await settled(call('a', () => localRateLimitError('x: limited', 'x', 10)));
    await settled(call('a', upstream));
    expect(breaker.states()).toEqual([
      { circuit: 'a', state: 'closed', consecutiveFailures: 2, retryAfterMs: 0 },
    ]);
    await settled(call('a', () => 'ok'));
    expect(breaker.states()).toEqual([]);
  });

  it('keeps circuits apart', async () => {
    const { call, settled, ran } = setup(1);
    await settled(call('a', upstream));
    expect(await settled(call('b', () => 'ok'))).toBe('ok');
    expect(await settled(call('a', () => 'ok'))).toBeInstanceOf(TikTokShopCircuitOpenError);
    expect(ran()).toBe(2);
  });

  it('half-open lets exactly one probe through; its failure reopens, its success closes', async () => {
    const { clock, breaker, call, settled, ran, recorder } = setup(1);
    await settled(call('a', upstream));
    clock.advanceMs(COOLDOWN_MS);
    expect(breaker.states()[0]).toMatchObject({ state: 'half_open', retryAfterMs: 0 });

    // The probe is held open while two more calls arrive: both are refused without running.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const probe = settled(
      breaker.run('a', 'x', async () => {
        await held;
        throw upstream();
      }),
    );
    const others = await Promise.all([
      settled(call('a', () => 'ok')),
      settled(call('a', () => 'ok')),
    ]);
    for (const other of others) {
      expect(other).toMatchObject({ reason: 'circuit_open', retryAfterMs: COOLDOWN_MS });
    }
    release();
    expect(await probe).toBeInstanceOf(TikTokShopUpstreamError);
    expect(breaker.states()[0]).toMatchObject({ state: 'open', retryAfterMs: COOLDOWN_MS });

    clock.advanceMs(COOLDOWN_MS);
    expect(await settled(call('a', () => 'ok'))).toBe('ok');
    expect(await settled(call('a', () => 'ok'))).toBe('ok');
    expect(breaker.states()).toEqual([]);
    expect(ran()).toBe(3);
    expect(recorder.lines.map((line) => [line.level, line.msg])).toEqual([
      [40, 'TikTok Shop circuit open: calls fail at once until a probe succeeds'],
      [30, 'TikTok Shop circuit half-open: one probe may go'],
      [40, 'TikTok Shop circuit open again: the probe failed'],
      [30, 'TikTok Shop circuit half-open: one probe may go'],
      [30, 'TikTok Shop circuit closed'],
    ]);
  });

  it('0 failures turns it off', async () => {
    const { breaker, call, settled, ran } = setup(0);
    for (let i = 0; i < 10; i += 1) await settled(call('a', upstream));
    expect(ran()).toBe(10);
    expect(breaker.states()).toEqual([]);
  });
});

describe('the circuit breaker through the gateway', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('opens per (shop, class), answers CIRCUIT_OPEN without upstream calls, probes once, closes', async () => {
    const clock = createManualClock();
    const recorder = createLogRecorder('info');
    t = await startTestGateway({
      emulator: { now: clock.now },
      now: clock.now,
      logger: recorder.logger,
      env: {
        TIKTOK_SHOP_BREAKER_FAILURES: '3',
        TIKTOK_SHOP_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
        TIKTOK_SHOP_MAX_ATTEMPTS: '2',
        TIKTOK_SHOP_RETRY_BASE_MS: '1',
        CACHE_ENABLED: 'false',
      },
    });
    const gateway = t;
    const [shop, otherShop] = gateway.seller.shops;
    const circuit = `${gateway.emulator.appKey}:${shop!.id}:standard`;
    const warehouses = (shopId: string) =>
      gateway.executeText<Json>('query ($s: ID) { warehouses(shopId: $s) { id } }', { s: shopId });
    const products = (shopId: string, first: number) =>
      gateway.executeText<Json>(
        'query ($s: ID, $f: Int) { products(shopId: $s, first: $f) { totalCount } }',
        {
          s: shopId,
          f: first,
        },
      );
    const performance = (shopId: string) =>
      gateway.executeText<Json>(
        'query ($s: ID, $r: DateRangeInput!) { shopPerformance(shopId: $s, range: $r) { latestAvailableDate } }',
        { s: shopId, r: lastDays(7, clock.now()) },
      );
    const errorOf = (reply: { body: Json }) => reply.body.errors?.[0]?.extensions;
    /** Upstream requests for the shop since the last reset, standard class (not analytics). */
    const standardCalls = () =>
      gateway.emulator
        .requests()
        .filter((entry) => entry.shopId === shop!.id && !entry.path.startsWith('/analytics'))
        .length;

    // A business answer (unknown product) is TikTok being up: it never counts.
    for (let i = 0; i < 4; i += 1) {
      await gateway.executeText('query ($s: ID) { product(id: "1", shopId: $s) { id } }', {
        s: shop!.id,
      });
    }
    expect(gateway.calls()['product.detail']).toBe(4);
    expect(gateway.circuitStates()).toEqual([]);

    // The standard class of the first shop fails: 3 failed calls (2 attempts each) open it.
    gateway.emulator.setFaults({
      errorRate: 1,
      shopIds: [shop!.id],
      pathPrefixes: ['/logistics', '/product'],
    });
    gateway.resetCalls();
    for (let i = 0; i < 3; i += 1) {
      expect(errorOf(await warehouses(shop!.id))).toMatchObject({
        code: 'UPSTREAM_ERROR',
        retryable: true,
      });
    }
    expect(standardCalls()).toBe(6);
    expect(gateway.circuitStates()).toEqual([
      { circuit, state: 'open', consecutiveFailures: 3, retryAfterMs: COOLDOWN_MS },
    ]);

    // Open: any standard call for that shop answers at once, with nothing sent.
    clock.advanceMs(250);
    for (const reply of [await warehouses(shop!.id), await products(shop!.id, 1)]) {
      expect(errorOf(reply)).toEqual({
        code: 'UPSTREAM_ERROR',
        reason: 'CIRCUIT_OPEN',
        retryable: true,
        retryAfterMs: COOLDOWN_MS - 250,
        requestId: null,
        tiktokCode: null,
      });
    }
    expect(standardCalls()).toBe(6);
    // Another class of that shop, and the same class of another shop, still go upstream.
    expect((await performance(shop!.id)).body.errors).toBeUndefined();
    expect((await warehouses(otherShop!.id)).body.errors).toBeUndefined();
    expect(gateway.calls()).toMatchObject({
      'analytics.shop_performance': 1,
      'logistics.warehouses': 7,
    });

    // Half-open, still failing: of three different calls exactly one goes (2 attempts), and it
    // opens the circuit again.
    clock.advanceMs(COOLDOWN_MS);
    const probing = await Promise.all([
      warehouses(shop!.id),
      products(shop!.id, 1),
      products(shop!.id, 2),
    ]);
    expect(standardCalls()).toBe(8);
    const reasons = probing.map((reply) => errorOf(reply)?.reason ?? 'probe');
    expect(reasons.sort()).toEqual(['CIRCUIT_OPEN', 'CIRCUIT_OPEN', 'probe']);
    expect(gateway.circuitStates()).toMatchObject([{ circuit, state: 'open' }]);
    expect(errorOf(await warehouses(shop!.id))?.reason).toBe('CIRCUIT_OPEN');
    expect(standardCalls()).toBe(8);

    // Half-open, TikTok back: the probe succeeds and closes the circuit; calls flow again.
    gateway.emulator.setFaults({});
    clock.advanceMs(COOLDOWN_MS);
    expect((await products(shop!.id, 1)).body.errors).toBeUndefined();
    expect(gateway.circuitStates()).toEqual([]);
    const after = await Promise.all([warehouses(shop!.id), products(shop!.id, 2)]);
    for (const reply of after) expect(reply.body.errors).toBeUndefined();
    expect(standardCalls()).toBe(11);

    const transitions = recorder.lines.filter((line) => line.circuit === circuit);
    expect(transitions.map((line) => [line.level, line.msg])).toEqual([
      [40, 'TikTok Shop circuit open: calls fail at once until a probe succeeds'],
      [30, 'TikTok Shop circuit half-open: one probe may go'],
      [40, 'TikTok Shop circuit open again: the probe failed'],
      [30, 'TikTok Shop circuit half-open: one probe may go'],
      [30, 'TikTok Shop circuit closed'],
    ]);
  });
});
