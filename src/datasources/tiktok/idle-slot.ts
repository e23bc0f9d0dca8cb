// The lowest priority in the rate limiter (issue 13's reconciler): a call waits for a slot its shop's
// bucket can spare, asking only when the bucket can be full again, so it never queues ahead of a
// caller. It gives up at its deadline (a local rate-limit refusal: nothing was sent) or when its
// signal aborts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateClass } from './endpoints.js';
import { localRateLimitError } from './errors.js';
import type { RateLimiter } from './rate-limiter.js';

/** Shortest pause between two asks, ms: a bucket refilling at 1 000/s is not polled in a spin. */
const MIN_PAUSE_MS = 5;
/** Longest pause, ms: a bucket whose callers stopped early is seen idle within a second. */
const MAX_PAUSE_MS = 1_000;

export interface IdleSlotWait {
  operation: string;
  /** Ends the wait (the reconciler stopping): rejects with the signal's reason. */
  signal: AbortSignal;
  /** No slot is waited for past it, ms since the epoch. */
  deadlineAt: number | undefined;
  /** Wall clock, ms since the epoch. */
  now: () => number;
}

/** Resolves once `limiter` grants an idle slot for `key`. */
export async function acquireIdleSlot(
  limiter: RateLimiter,
  key: string,
  rateClass: RateClass,
  wait: IdleSlotWait,
): Promise<void> {
  const { operation, signal, deadlineAt, now } = wait;
  for (;;) {
    signal.throwIfAborted();
    const slot = await limiter.tryAcquireIdle(key, rateClass);
    if (slot.isGranted) return;
    const pauseMs = Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, slot.retryAfterMs));
    if (deadlineAt !== undefined && now() + pauseMs >= deadlineAt) {
      throw localRateLimitError(
        `${operation}: the shop's rate-limit bucket stayed in use by callers until the deadline`,
        operation,
        slot.retryAfterMs,
        'request_deadline',
      );
    }
    await sleep(pauseMs, undefined, { signal });
  }
}
