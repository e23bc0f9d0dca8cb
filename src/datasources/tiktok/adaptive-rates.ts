// AIMD per rate-limit key (§7): TikTok allocates each (app, shop, class) a rate it may lower at
// any time and never reports. A 429 halves the key's rate; each clean answer adds a small step back
// toward the configured budget, so a lowered allocation is found and then kept just under.
import type { RateClass } from './endpoints.js';
import { budgetFor, type RateBudgets } from './rate-limiter.js';

/** Lowest rate a run of 429s can push a key to, req/s (unless the configured one is lower). */
export const MIN_ADAPTIVE_RATE = 0.1;
/** Each clean answer adds this share of the configured rate (40 answers from 0 to full). */
const INCREASE_SHARE = 1 / 40;
/** Keys kept before those back at their configured rate are dropped (they equal a fresh one). */
const SWEEP_THRESHOLD = 10_000;

export interface AdaptiveRates {
  /** The key's current rate, req/s: the class's configured one until a 429 lowers it. */
  rateFor(key: string, rateClass: RateClass): number;
  /** One answer for `key`: `throttled` for TikTok's 429, false for any answer that is not one. */
  report(key: string, rateClass: RateClass, throttled: boolean): void;
}

export function createAdaptiveRates(budgets: RateBudgets): AdaptiveRates {
  const lowered = new Map<string, number>();
  return {
    rateFor(key, rateClass) {
      return lowered.get(key) ?? budgetFor(budgets, rateClass).requestsPerSecond;
    },
    report(key, rateClass, throttled) {
      const configured = budgetFor(budgets, rateClass).requestsPerSecond;
      const current = lowered.get(key) ?? configured;
      const next = throttled
        ? Math.max(Math.min(MIN_ADAPTIVE_RATE, configured), current / 2)
        : Math.min(configured, current + configured * INCREASE_SHARE);
      if (next >= configured) {
        lowered.delete(key);
        return;
      }
      if (!lowered.has(key) && lowered.size >= SWEEP_THRESHOLD) lowered.clear();
      lowered.set(key, next);
    },
  };
}
