// The token bucket with a fake clock and timer written here: deterministic, no real waiting.
import { describe, expect, it } from 'vitest';
import { TikTokShopRateLimitError } from '../../../src/datasources/tiktok/errors.js';
import {
  createTokenBucketRateLimiter,
  rateLimitKey,
} from '../../../src/datasources/tiktok/rate-limiter.js';

/** A manual clock: timers run only when the test advances time. */
function createFakeClock() {
  let nowMs = 0;
  let timers: Array<{ atMs: number; callback: () => void }> = [];
  return {
    now: () => nowMs,
    setTimer: (callback: () => void, delayMs: number) => {
      timers.push({ atMs: nowMs + delayMs, callback });
    },
    pendingTimers: () => timers.length,
    /** Moves time forward, firing due timers in order, and lets promise callbacks run. */
    async advance(ms: number) {
      const targetMs = nowMs + ms;
      for (;;) {
        const due = timers
          .filter((timer) => timer.atMs <= targetMs)
          .sort((a, b) => a.atMs - b.atMs)[0];
        if (!due) break;
        timers = timers.filter((timer) => timer !== due);
        nowMs = due.atMs;
        due.callback();
        await flush();
      }
      nowMs = targetMs;
      await flush();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function setup(
  overrides: Partial<{
    requestsPerSecond: number;
    burst: number;
    maxQueue: number;
    maxWaitMs: number;
  }> = {},
) {
  const clock = createFakeClock();
  const limiter = createTokenBucketRateLimiter({
    requestsPerSecond: 10,
    burst: 5,
    maxQueue: 1_000,
    maxWaitMs: 60_000,
    now: clock.now,
    setTimer: clock.setTimer,
    ...overrides,
  });
  const granted: Array<{ id: number; atMs: number }> = [];
  const take = (key: string, id: number) =>
    limiter.acquire(key).then(() => {
      granted.push({ id, atMs: clock.now() });
    });
  return { clock, limiter, granted, take };
}

describe('token bucket rate limiter', () => {
  it('lets a burst through at once, then one request per 1/rate seconds', async () => {
    const { clock, granted, take } = setup();
    for (let id = 0; id < 8; id++) void take('app:shop', id);
    await flush();
    expect(granted.map((grant) => grant.atMs)).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(1_000);
    expect(granted.map((grant) => grant.atMs)).toEqual([0, 0, 0, 0, 0, 100, 200, 300]);
  });

  it('serves waiters in FIFO order', async () => {
    const { clock, granted, take } = setup({ burst: 1 });
    for (let id = 0; id < 6; id++) void take('k', id);
    await clock.advance(1_000);
    expect(granted.map((grant) => grant.id)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('never grants more than rate·t + burst in any window', async () => {
    const { clock, granted, take } = setup({ requestsPerSecond: 10, burst: 5 });
    for (let id = 0; id < 200; id++) void take('k', id);
    await clock.advance(30_000);
    expect(granted).toHaveLength(200);
    const times = granted.map((grant) => grant.atMs);
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(15);
    }
    // Sustained pace: the 200th grant cannot come before (200 − burst) / rate seconds.
    expect(times.at(-1)).toBe(19_500);
  });

  it('gives the analytics class its own budget: 1 req/s with burst 1 never sends two in a second', async () => {
    const clock = createFakeClock();
    const limiter = createTokenBucketRateLimiter({
      requestsPerSecond: 10,
      burst: 5,
      analytics: { requestsPerSecond: 1, burst: 1 },
      maxQueue: 1_000,
      maxWaitMs: 60_000,
      now: clock.now,
      setTimer: clock.setTimer,
    });
    const analyticsAtMs: number[] = [];
    const standardAtMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      void limiter
        .acquire(rateLimitKey('app', 'shop', 'analytics'), 'analytics')
        .then(() => void analyticsAtMs.push(clock.now()));
      void limiter
        .acquire(rateLimitKey('app', 'shop', 'standard'), 'standard')
        .then(() => void standardAtMs.push(clock.now()));
    }
    await flush();
    await clock.advance(5_000);
    expect(analyticsAtMs).toEqual([0, 1_000, 2_000, 3_000]);
    // The standard class of the same shop is not held back by the analytics queue.
    expect(standardAtMs).toEqual([0, 0, 0, 0]);
  });

  it("paces a key at its lowered rate after TikTok's 429 (AIMD)", async () => {
    const { clock, limiter, granted, take } = setup({ requestsPerSecond: 10, burst: 1 });
    await take('k', 0);
    limiter.report('k', 'standard', true);
    for (let id = 1; id <= 3; id++) void take('k', id);
    await clock.advance(1_000);
    // 5/s after the halving: one token every 200 ms instead of 100.
    expect(granted.map((grant) => grant.atMs)).toEqual([0, 200, 400, 600]);
  });

  it('isolates keys: one busy shop does not slow another', async () => {
    const { granted, take } = setup({ burst: 2 });
    for (let id = 0; id < 5; id++) void take(rateLimitKey('app', 'shop-a', 'standard'), id);
    void take(rateLimitKey('app', 'shop-b', 'standard'), 99);
    await flush();
    expect(granted.map((grant) => grant.id)).toEqual([0, 1, 99]);
  });

  it('keys by app, shop and class, seller-level calls share one key', () => {
    expect(rateLimitKey('app1', '7000714532876273420', 'standard')).toBe(
      'app1:7000714532876273420:standard',
    );
    expect(rateLimitKey('app1', undefined, 'analytics')).toBe('app1:seller:analytics');
  });

  it('refills to at most burst after idling', async () => {
    const { clock, granted, take } = setup({ burst: 3 });
    for (let id = 0; id < 3; id++) void take('k', id);
    await flush();
    await clock.advance(60_000);
    for (let id = 3; id < 7; id++) void take('k', id);
    await flush();
    expect(granted.map((grant) => grant.atMs)).toEqual([0, 0, 0, 60_000, 60_000, 60_000]);
  });

  it('refuses at once when the queue is full, with retryAfterMs', async () => {
    const { take, limiter } = setup({ burst: 1, maxQueue: 2 });
    void take('k', 0);
    void take('k', 1);
    void take('k', 2);
    const refused = await limiter.acquire('k').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TikTokShopRateLimitError);
    expect(refused).toMatchObject({
      isLocal: true,
      retryable: true,
      retryAfterMs: 300,
      code: null,
    });
  });

  it('refuses at once when the wait would exceed maxWaitMs', async () => {
    const { take, limiter, clock, granted } = setup({ burst: 1, maxWaitMs: 250 });
    void take('k', 0);
    void take('k', 1); // waits 100 ms
    void take('k', 2); // waits 200 ms
    const refused = await limiter.acquire('k').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TikTokShopRateLimitError);
    expect((refused as TikTokShopRateLimitError).retryAfterMs).toBe(300);
    await clock.advance(1_000);
    expect(granted.map((grant) => grant.id)).toEqual([0, 1, 2]);
  });

  it('keeps at most one timer per key', async () => {
    const { clock, take } = setup({ burst: 1 });
    for (let id = 0; id < 50; id++) void take('a', id);
    for (let id = 0; id < 50; id++) void take('b', id);
    await flush();
    expect(clock.pendingTimers()).toBe(2);
    await clock.advance(250);
    expect(clock.pendingTimers()).toBe(2);
    await clock.advance(10_000);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects nonsense settings', () => {
    expect(() =>
      createTokenBucketRateLimiter({ requestsPerSecond: 0, burst: 1, maxQueue: 1, maxWaitMs: 1 }),
    ).toThrow(RangeError);
  });
});

describe('the lowest priority (tryAcquireIdle, issue 13)', () => {
  it('takes a slot only from a full bucket nobody waits on, and never waits itself', async () => {
    const { clock, limiter, take } = setup({ requestsPerSecond: 10, burst: 5 });
    expect(await limiter.tryAcquireIdle('k')).toEqual({ isGranted: true, retryAfterMs: 0 });
    // Four tokens left: not full, so the next ask is refused until it has refilled (100 ms).
    expect(await limiter.tryAcquireIdle('k')).toEqual({ isGranted: false, retryAfterMs: 100 });
    await clock.advance(100);
    expect((await limiter.tryAcquireIdle('k')).isGranted).toBe(true);
    // Callers empty the bucket and queue: refused while they wait, and until it is full again.
    await clock.advance(100);
    for (let id = 0; id < 7; id++) void take('k', id);
    await flush();
    expect(await limiter.tryAcquireIdle('k')).toEqual({ isGranted: false, retryAfterMs: 700 });
    await clock.advance(200);
    expect((await limiter.tryAcquireIdle('k')).isGranted).toBe(false);
    await clock.advance(500);
    expect((await limiter.tryAcquireIdle('k')).isGranted).toBe(true);
    expect(limiter.backgroundCounts()).toMatchObject({ granted: 3, refused: 3 });
  });

  it('never queues ahead of a caller: waiting callers get every token first', async () => {
    const { clock, limiter, granted, take } = setup({ requestsPerSecond: 10, burst: 5 });
    for (let id = 0; id < 8; id++) void take('k', id);
    await flush();
    const asks: boolean[] = [];
    for (let step = 0; step < 10; step++) {
      asks.push((await limiter.tryAcquireIdle('k')).isGranted);
      await clock.advance(50);
    }
    // The three waiting callers were served at 100, 200, 300 ms, as without the asks.
    expect(granted.map((grant) => grant.atMs)).toEqual([0, 0, 0, 0, 0, 100, 200, 300]);
    expect(asks.every((isGranted) => !isGranted)).toBe(true);
    expect(limiter.backgroundCounts().callersDelayed).toBe(0);
  });

  it('counts the callers a lowest-priority slot cost one token: a burst over burst − 1 right after it', async () => {
    const { clock, limiter, take } = setup({ requestsPerSecond: 10, burst: 5 });
    await limiter.tryAcquireIdle('k');
    for (let id = 0; id < 4; id++) void take('k', id);
    await flush();
    // Four tokens were left for four callers: nobody waited.
    expect(limiter.backgroundCounts().callersDelayed).toBe(0);
    void take('k', 4);
    await flush();
    expect(limiter.backgroundCounts().callersDelayed).toBe(1);
    // Once the bucket was full again, the slot owes nothing: a caller waiting then is not counted.
    await clock.advance(1_000);
    for (let id = 5; id < 11; id++) void take('k', id);
    await flush();
    expect(limiter.backgroundCounts().callersDelayed).toBe(1);
  });
});
