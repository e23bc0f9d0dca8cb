// AIMD per key: halve on TikTok's 429, add 1/40 of the configured rate per clean answer.
import { describe, expect, it } from 'vitest';
import {
  createAdaptiveRates,
  MIN_ADAPTIVE_RATE,
} from '../../../src/datasources/tiktok/adaptive-rates.js';

const budgets = {
  standard: { requestsPerSecond: 10, burst: 5 },
  analytics: { requestsPerSecond: 1, burst: 1 },
};

describe('createAdaptiveRates', () => {
  it('halves a key on a 429, down to the floor, and leaves other keys and classes alone', () => {
    const rates = createAdaptiveRates(budgets);
    rates.report('a', 'analytics', true);
    expect(rates.rateFor('a', 'analytics')).toBe(0.5);
    expect(rates.rateFor('b', 'analytics')).toBe(1);
    expect(rates.rateFor('a:standard', 'standard')).toBe(10);
    for (let i = 0; i < 10; i++) rates.report('a', 'analytics', true);
    expect(rates.rateFor('a', 'analytics')).toBe(MIN_ADAPTIVE_RATE);
  });

  it('climbs back by 1/40 of the configured rate per clean answer, never above it', () => {
    const rates = createAdaptiveRates(budgets);
    rates.report('s', 'standard', true);
    expect(rates.rateFor('s', 'standard')).toBe(5);
    rates.report('s', 'standard', false);
    expect(rates.rateFor('s', 'standard')).toBe(5.25);
    for (let i = 0; i < 100; i++) rates.report('s', 'standard', false);
    expect(rates.rateFor('s', 'standard')).toBe(10);
  });
});
