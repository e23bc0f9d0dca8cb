// The retry rules, with injected random and sleep: no real waiting, no timing assertions.
import { describe, expect, it } from 'vitest';
import {
  TikTokShopAuthError,
  type TikTokShopError,
  TikTokShopNotFoundError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
  type UpstreamErrorReason,
} from '../../../src/datasources/tiktok/errors.js';
import {
  createRetryPolicy,
  DEFAULT_RATE_LIMIT_BACKOFF,
  parseRetryAfterMs,
  type RateLimitBackoff,
} from '../../../src/datasources/tiktok/retry-policy.js';

const base = { code: null, status: null, requestId: null, operation: 'test.op' };

const upstream = (reason: UpstreamErrorReason) =>
  new TikTokShopUpstreamError(`upstream ${reason}`, { ...base, reason });
const rateLimited = (retryAfterMs: number | null, isLocal = false) =>
  new TikTokShopRateLimitError('rate limited', {
    ...base,
    code: 36009002,
    status: 429,
    retryAfterMs,
    isLocal,
  });
const notFound = () => new TikTokShopNotFoundError('missing', { ...base, code: 12052032 });
const expired = () =>
  new TikTokShopAuthError('expired', {
    ...base,
    code: 105002,
    reason: 'expired_token',
    canRefresh: true,
  });

function harness(
  options: { maxAttempts?: number; random?: number; rateLimitBackoff?: RateLimitBackoff } = {},
) {
  const sleeps: number[] = [];
  // A clock that only the injected sleep moves, so deadlines are exact.
  let clockMs = 0;
  const policy = createRetryPolicy({
    maxAttempts: options.maxAttempts ?? 4,
    retryBaseMs: 100,
    retryMaxMs: 1_000,
    rateLimitBackoff: options.rateLimitBackoff,
    random: () => options.random ?? 0.5,
    sleep: async (delayMs) => {
      sleeps.push(delayMs);
      clockMs += delayMs;
    },
    now: () => clockMs,
  });
  /** Runs a call that fails with `errors` in turn, then succeeds. */
  const run = async (errors: Error[], idempotent = true, deadlineAt?: number) => {
    let attempts = 0;
    const outcome = await policy
      .run(
        async () => {
          const error = errors[attempts++];
          if (error) throw error;
          return 'ok';
        },
        { idempotent, deadlineAt },
      )
      .catch((error: unknown) => error);
    return { outcome, attempts, sleeps, elapsedMs: clockMs };
  };
  return { policy, run, sleeps };
}

describe('retry rules', () => {
  it('retries 5xx, timeouts, network errors and malformed answers for idempotent calls', async () => {
    const { run } = harness({ maxAttempts: 5 });
    const result = await run([
      upstream('server_error'),
      upstream('timeout'),
      upstream('network'),
      upstream('malformed_response'),
    ]);
    expect(result.outcome).toBe('ok');
    expect(result.attempts).toBe(5);
  });

  it('does not repeat a non-idempotent write after 5xx, timeout, reset or a malformed answer', async () => {
    for (const reason of ['server_error', 'timeout', 'network', 'malformed_response'] as const) {
      const { run } = harness();
      const error = upstream(reason);
      const result = await run([error], false);
      expect(result.outcome).toBe(error);
      expect(result.attempts).toBe(1);
    }
  });

  it('repeats any call, writes included, when nothing reached TikTok (connect failure, 429)', async () => {
    const { run } = harness();
    const result = await run([upstream('connect_failed'), rateLimited(200)], false);
    expect(result.outcome).toBe('ok');
    expect(result.attempts).toBe(3);
  });

  it('gives up after maxAttempts and surfaces the last error', async () => {
    const { run } = harness({ maxAttempts: 3 });
    const last = upstream('server_error');
    const result = await run([
      upstream('server_error'),
      upstream('server_error'),
      last,
      upstream('server_error'),
    ]);
    expect(result.outcome).toBe(last);
    expect(result.attempts).toBe(3);
    expect(result.sleeps).toHaveLength(2);
  });

  it('never retries auth, not-found or non-TikTok errors', async () => {
    for (const error of [expired(), notFound(), new TypeError('bug')]) {
      const { run } = harness();
      const result = await run([error]);
      expect(result.outcome).toBe(error);
      expect(result.attempts).toBe(1);
    }
  });

  it('honours Retry-After exactly', async () => {
    const { run } = harness();
    const result = await run([rateLimited(750)]);
    expect(result.outcome).toBe('ok');
    expect(result.sleeps).toEqual([750]);
  });

  it('gives up at once when Retry-After exceeds the 60 s cap, keeping retryAfterMs', async () => {
    const { run } = harness();
    expect((await harness().run([rateLimited(60_000)])).sleeps).toEqual([60_000]);
    const error = rateLimited(61_000);
    const result = await run([error]);
    expect(result.outcome).toBe(error);
    expect((result.outcome as TikTokShopRateLimitError).retryAfterMs).toBe(61_000);
    expect(result.attempts).toBe(1);
    expect(result.sleeps).toEqual([]);
  });

  it('does not retry the hourly sandbox quota (36009037), even with a short Retry-After', async () => {
    const { run } = harness();
    const error = new TikTokShopRateLimitError('quota', {
      ...base,
      code: 36009037,
      status: 429,
      retryAfterMs: 10,
      reason: 'sandbox_hourly_quota',
    });
    const result = await run([error]);
    expect(result.outcome).toBe(error);
    expect(result.attempts).toBe(1);
    expect(result.sleeps).toEqual([]);
  });

  it('does not retry a refusal from our own rate limiter', async () => {
    const { run } = harness();
    const error = rateLimited(10, true);
    const result = await run([error]);
    expect(result.outcome).toBe(error);
    expect(result.attempts).toBe(1);
  });

  it('follows §7 for a 429 without Retry-After: 1 s doubling, 0–500 ms jitter, 5 retries', async () => {
    const fiveFailures = () => [1, 2, 3, 4, 5].map(() => rateLimited(null));
    const low = await harness({ random: 0 }).run(fiveFailures());
    expect(low.outcome).toBe('ok');
    expect(low.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    const high = await harness({ random: 0.999_999 }).run(fiveFailures());
    expect(high.sleeps).toEqual([1_500, 2_500, 4_500, 8_500, 16_500]);
    // Rate limits have their own budget: five retries although maxAttempts is 4.
    expect(high.attempts).toBe(6);
    expect(DEFAULT_RATE_LIMIT_BACKOFF).toEqual({
      baseMs: 1_000,
      jitterMs: 500,
      maxMs: 60_000,
      maxRetries: 5,
    });
  });

  it('stops after the fifth rate-limit retry and caps each wait at 60 s', async () => {
    const sixFailures = [1, 2, 3, 4, 5, 6, 7, 8].map(() => rateLimited(null));
    const capped = harness({
      random: 0,
      rateLimitBackoff: { ...DEFAULT_RATE_LIMIT_BACKOFF, baseMs: 20_000, maxRetries: 5 },
    });
    const result = await capped.run(sixFailures);
    expect(result.outcome).toBe(sixFailures[5]);
    expect(result.attempts).toBe(6);
    expect(result.sleeps).toEqual([20_000, 40_000, 60_000, 60_000, 60_000]);
  });
});

describe('the request deadline (GRAPHQL_REQUEST_DEADLINE_MS)', () => {
  it('makes no retry whose wait would end at or after the deadline', async () => {
    const errors = [rateLimited(null), rateLimited(null), rateLimited(null)];
    // 1 s wait fits (3 s left); the 2 s one would end exactly at the deadline.
    const result = await harness({ random: 0 }).run(errors, true, 3_000);
    expect(result.outcome).toBe(errors[1]);
    expect(result.sleeps).toEqual([1_000]);
    expect(result.attempts).toBe(2);
  });

  it('bounds Retry-After and ordinary backoff alike, and names the rule', () => {
    const { policy } = harness({ random: 0.5 });
    expect(
      policy.decide({ error: rateLimited(750), attempt: 1, idempotent: true, remainingMs: 700 }),
    ).toEqual({ retry: false, rule: 'deadline' });
    expect(
      policy.decide({ error: rateLimited(750), attempt: 1, idempotent: true, remainingMs: 800 }),
    ).toEqual({ retry: true, delayMs: 750, rule: 'rate-limited' });
    expect(
      policy.decide({
        error: upstream('server_error'),
        attempt: 1,
        idempotent: true,
        remainingMs: 10,
      }),
    ).toEqual({ retry: false, rule: 'deadline' });
  });

  it('changes nothing without a deadline', async () => {
    const result = await harness({ random: 0 }).run([rateLimited(null), rateLimited(null)]);
    expect(result.outcome).toBe('ok');
    expect(result.sleeps).toEqual([1_000, 2_000]);
  });
});

describe('backoff: full jitter, exponential, capped', () => {
  it('ceiling doubles from retryBaseMs and stops at retryMaxMs', () => {
    const { policy } = harness();
    expect([1, 2, 3, 4, 5, 6].map((attempt) => policy.backoffCeilingMs(attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('delay is random in [0, ceiling]', async () => {
    const errors = (): TikTokShopError[] => [1, 2, 3, 4, 5, 6].map(() => upstream('server_error'));
    const low = harness({ maxAttempts: 7, random: 0 });
    expect((await low.run(errors())).sleeps).toEqual([0, 0, 0, 0, 0, 0]);
    const high = harness({ maxAttempts: 7, random: 0.999_999 });
    expect((await high.run(errors())).sleeps).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const mid = harness({ maxAttempts: 7, random: 0.25 });
    expect((await mid.run(errors())).sleeps).toEqual([25, 50, 100, 200, 250, 250]);
  });

  it('reports the rule that decided', () => {
    const { policy } = harness();
    expect(
      policy.decide({ error: upstream('timeout'), attempt: 1, idempotent: true }),
    ).toMatchObject({
      retry: true,
      rule: 'timeout',
    });
    expect(policy.decide({ error: upstream('timeout'), attempt: 4, idempotent: true })).toEqual({
      retry: false,
      rule: 'attempts-exhausted',
    });
    expect(policy.decide({ error: notFound(), attempt: 1, idempotent: true })).toEqual({
      retry: false,
      rule: 'final',
    });
  });
});

describe('parseRetryAfterMs', () => {
  const nowMs = Date.parse('2024-01-01T00:00:00Z');
  it('reads delta seconds (not ms)', () => {
    expect(parseRetryAfterMs('1', nowMs)).toBe(1_000);
    expect(parseRetryAfterMs(' 30 ', nowMs)).toBe(30_000);
    expect(parseRetryAfterMs('0.5', nowMs)).toBe(500);
    expect(parseRetryAfterMs(['2', '9'], nowMs)).toBe(2_000);
  });
  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfterMs('Mon, 01 Jan 2024 00:00:05 GMT', nowMs)).toBe(5_000);
    expect(parseRetryAfterMs('Sun, 31 Dec 2023 23:59:00 GMT', nowMs)).toBe(0);
  });
  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfterMs(undefined, nowMs)).toBeNull();
    expect(parseRetryAfterMs('', nowMs)).toBeNull();
    expect(parseRetryAfterMs('soon', nowMs)).toBeNull();
    expect(parseRetryAfterMs('-3', nowMs)).toBeNull();
  });
});
