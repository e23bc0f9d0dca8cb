// When to repeat a failed TikTok Shop call and how long to wait: an ordered list of rules, the
// first match decides, and no wait may outlast the GraphQL request's deadline. Pure apart from the
// injected clock, random and sleep.
import {
  TikTokShopError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
  type UpstreamErrorReason,
} from './errors.js';

/**
 * TikTok's schedule for rate-limit answers (§7): wait Retry-After when given, else `baseMs`
 * doubling per retry plus 0..`jitterMs`, never more than `maxMs`, at most `maxRetries` times.
 */
export interface RateLimitBackoff {
  /** First wait, ms (TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MS, default 1000). */
  baseMs: number;
  /** Random extra added to each wait, ms (TIKTOK_SHOP_RATE_LIMIT_JITTER_MS, default 500). */
  jitterMs: number;
  /**
   * Cap of a wait and the longest Retry-After waited for, ms
   * (TIKTOK_SHOP_RATE_LIMIT_BACKOFF_MAX_MS, default 60000).
   */
  maxMs: number;
  /** Retries after rate-limit answers (TIKTOK_SHOP_RATE_LIMIT_RETRIES, default 5). */
  maxRetries: number;
}

/** The documented schedule (§7). */
export const DEFAULT_RATE_LIMIT_BACKOFF: RateLimitBackoff = {
  baseMs: 1_000,
  jitterMs: 500,
  maxMs: 60_000,
  maxRetries: 5,
};

export interface RetryPolicyOptions {
  /** Attempts per call including the first (HttpConfig.maxAttempts); rate limits count apart. */
  maxAttempts: number;
  /** First backoff ceiling, ms; doubles per retry (HttpConfig.retryBaseMs). */
  retryBaseMs: number;
  /** Backoff cap, ms (HttpConfig.retryMaxMs). */
  retryMaxMs: number;
  /** How rate-limit answers are retried (HttpConfig.rateLimitBackoff). Default: §7's schedule. */
  rateLimitBackoff?: RateLimitBackoff;
  /** Uniform [0, 1) source for jitter. Default Math.random. */
  random?: () => number;
  /** Waits between attempts. Default a setTimeout promise. */
  sleep?: (delayMs: number) => Promise<void>;
  /** Wall clock, ms since the epoch, that deadlines are read against. Default Date.now. */
  now?: () => number;
}

/** What the policy knows about one failed attempt. */
export interface RetryContext {
  error: TikTokShopError;
  /** Attempts made so far, the failed one included (1 after the first failure). */
  attempt: number;
  /** true when repeating the call is harmless (reads, absolute sets). */
  idempotent: boolean;
  /** Time left before the GraphQL request's deadline, ms; undefined when there is none. */
  remainingMs?: number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; rule: string }
  | { retry: false; rule: string };

interface RetryRule {
  name: string;
  /** Returns a decision when the rule applies, undefined to fall through to the next rule. */
  decide(context: RetryContext, helpers: RuleHelpers): RetryDecision | undefined;
}

interface RuleHelpers {
  maxAttempts: number;
  rateLimitBackoff: RateLimitBackoff;
  backoffMs(attempt: number): number;
  /** §7's wait before rate-limit retry number `retry` (1-based) when TikTok gave no Retry-After. */
  rateLimitBackoffMs(retry: number): number;
}

const retryIf = (rule: string, condition: boolean, delayMs: number): RetryDecision =>
  condition ? { retry: true, delayMs, rule } : { retry: false, rule };

/** Backoff for one upstream failure reason; for some reasons only if repeating is harmless. */
function upstreamRule(
  name: string,
  reason: UpstreamErrorReason,
  { isIdempotentOnly }: { isIdempotentOnly: boolean },
): RetryRule {
  return {
    name,
    decide: ({ error, attempt, idempotent }, { backoffMs }) =>
      error instanceof TikTokShopUpstreamError && error.reason === reason
        ? retryIf(name, idempotent || !isIdempotentOnly, backoffMs(attempt))
        : undefined,
  };
}

/** The rules, in the order they are tried. */
export const RETRY_RULES: readonly RetryRule[] = [
  {
    // Our own limiter refused before sending: its queue is full or the wait too long, and
    // waiting here instead would only grow the queue it protects.
    name: 'local-rate-limit',
    decide: ({ error }) =>
      error instanceof TikTokShopRateLimitError && error.isLocal
        ? { retry: false, rule: 'local-rate-limit' }
        : undefined,
  },
  {
    // A quota that refills only later (36009037, the hourly sandbox quota, §5; its
    // `retryable` is false): repeating within seconds only spends more of it.
    name: 'rate-quota',
    decide: ({ error }) =>
      error instanceof TikTokShopRateLimitError && !error.retryable
        ? { retry: false, rule: 'rate-quota' }
        : undefined,
  },
  {
    // 429 / 36009002: TikTok refused the call before doing anything, so even a write may be
    // repeated, on §7's schedule and with its own retry budget. Wait exactly Retry-After when
    // given; a wait beyond the cap is handed to the caller at once (the error carries
    // retryAfterMs) instead of holding the request open.
    name: 'rate-limited',
    decide: ({ error, attempt }, { rateLimitBackoff, rateLimitBackoffMs }) => {
      if (!(error instanceof TikTokShopRateLimitError)) return undefined;
      if (attempt > rateLimitBackoff.maxRetries) return { retry: false, rule: 'rate-limited' };
      if (error.retryAfterMs === null) {
        return retryIf('rate-limited', true, rateLimitBackoffMs(attempt));
      }
      return retryIf(
        'rate-limited',
        error.retryAfterMs <= rateLimitBackoff.maxMs,
        error.retryAfterMs,
      );
    },
  },
  {
    // The attempt budget of every other failure is spent (HttpConfig.maxAttempts counts the
    // first attempt).
    name: 'attempts-exhausted',
    decide: ({ attempt }, { maxAttempts }) =>
      attempt >= maxAttempts ? { retry: false, rule: 'attempts-exhausted' } : undefined,
  },
  // Refused connection, DNS failure or connect timeout: nothing reached TikTok, so any call
  // may be repeated.
  upstreamRule('connect-failed', 'connect_failed', { isIdempotentOnly: false }),
  // Connection reset mid-call: TikTok may have applied it, so only idempotent calls repeat.
  upstreamRule('network-error', 'network', { isIdempotentOnly: true }),
  // Headers or body timeout: same uncertainty as a reset.
  upstreamRule('timeout', 'timeout', { isIdempotentOnly: true }),
  // 5xx and TikTok's "internal error, retry" codes 36009003 / 36009007 (§5).
  upstreamRule('server-error', 'server_error', { isIdempotentOnly: true }),
  // An answer that is not an envelope (a 200 cut short, a proxy's page): garbled on the way, so
  // a repeat may get a good one (issue 10); TikTok may have applied it, so idempotent calls only.
  upstreamRule('malformed-response', 'malformed_response', { isIdempotentOnly: true }),
  {
    // Everything else (auth, permission, validation, not found) will fail the same way again.
    name: 'final',
    decide: () => ({ retry: false, rule: 'final' }),
  },
];

export interface RetryPolicy {
  /** The decision for one failed attempt. */
  decide(context: RetryContext): RetryDecision;
  /** Full-jitter ceiling after `attempt` attempts: min(cap, base · 2^(attempt−1)). */
  backoffCeilingMs(attempt: number): number;
  /**
   * Runs `attemptCall(attempt)` (1-based) until it succeeds or the policy stops, sleeping between
   * attempts. Non-TikTok errors are not retried. `onRetry` is told about every retry. With
   * `deadlineAt`, a retry whose wait would end at or after it is not made: the last error is
   * thrown (rule `deadline`).
   */
  run<T>(
    attemptCall: (attempt: number) => Promise<T>,
    options: {
      idempotent: boolean;
      /** When the GraphQL request gives up, ms since the epoch (GRAPHQL_REQUEST_DEADLINE_MS). */
      deadlineAt?: number | undefined;
      onRetry?: (info: {
        attempt: number;
        delayMs: number;
        rule: string;
        error: TikTokShopError;
      }) => void;
    },
  ): Promise<T>;
}

export function createRetryPolicy(options: RetryPolicyOptions): RetryPolicy {
  const random = options.random ?? Math.random;
  const sleep =
    options.sleep ??
    ((delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs)));
  const now = options.now ?? Date.now;
  const maxAttempts = Math.max(1, options.maxAttempts);
  const rateLimitBackoff = options.rateLimitBackoff ?? DEFAULT_RATE_LIMIT_BACKOFF;

  const backoffCeilingMs = (attempt: number) =>
    Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter (AWS architecture blog): uniform in [0, ceiling], spreads synchronized retries.
  const backoffMs = (attempt: number) => Math.floor(random() * (backoffCeilingMs(attempt) + 1));
  const rateLimitBackoffMs = (retry: number) =>
    Math.min(
      rateLimitBackoff.maxMs,
      rateLimitBackoff.baseMs * 2 ** Math.max(0, retry - 1) +
        Math.floor(random() * (rateLimitBackoff.jitterMs + 1)),
    );
  const helpers: RuleHelpers = { maxAttempts, rateLimitBackoff, backoffMs, rateLimitBackoffMs };

  const decide = (context: RetryContext): RetryDecision => {
    const decision = RETRY_RULES.reduce<RetryDecision | undefined>(
      (found, rule) => found ?? rule.decide(context, helpers),
      undefined,
    ) ?? { retry: false, rule: 'final' };
    // A wait that ends after the request gave up only holds a connection for nobody.
    const { remainingMs } = context;
    if (decision.retry && remainingMs !== undefined && decision.delayMs >= remainingMs) {
      return { retry: false, rule: 'deadline' };
    }
    return decision;
  };

  return {
    decide,
    backoffCeilingMs,
    async run(attemptCall, { idempotent, deadlineAt, onRetry }) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await attemptCall(attempt);
        } catch (error) {
          if (!(error instanceof TikTokShopError)) throw error;
          const remainingMs = deadlineAt === undefined ? undefined : deadlineAt - now();
          const decision = decide({ error, attempt, idempotent, remainingMs });
          if (!decision.retry) throw error;
          onRetry?.({ attempt, delayMs: decision.delayMs, rule: decision.rule, error });
          await sleep(decision.delayMs);
        }
      }
    },
  };
}

/**
 * Parses a Retry-After header: delta seconds (the usual form; decimals tolerated) or an
 * HTTP-date. Returns ms to wait (never negative), or null when absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number,
): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date names a weekday and month; bare numbers like "-3" are not dates.
  const dateMs = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(dateMs)) return null;
  return Math.max(0, dateMs - nowMs);
}
