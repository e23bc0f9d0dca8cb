// The shop's analytics calendar: its day in the market's time zone, and TikTok's range rules
// (§6.8) applied before any call: clamped to the latest available date, or the rule broken.
import { describe, expect, it } from 'vitest';
import {
  checkAnalyticsRange,
  dayIn,
  shopCalendar,
} from '../../../src/datasources/tiktok/analytics-calendar.js';

describe('shop calendar', () => {
  // 2026-06-15 03:30 UTC: still the 14th in California, already the 15th in London and Jakarta.
  const nowMs = Date.UTC(2026, 5, 15, 3, 30);

  it('reads the day in the time zone of the shop market, UTC for a market not listed', () => {
    expect(dayIn('UTC', nowMs)).toBe('2026-06-15');
    expect(shopCalendar('US', nowMs)).toEqual({
      timeZone: 'America/Los_Angeles',
      latestAvailableDate: '2026-06-14',
    });
    expect(shopCalendar('GB', nowMs).latestAvailableDate).toBe('2026-06-15');
    expect(shopCalendar('id', nowMs)).toEqual({
      timeZone: 'Asia/Jakarta',
      latestAvailableDate: '2026-06-15',
    });
    expect(shopCalendar('ZZ', nowMs)).toEqual({
      timeZone: 'UTC',
      latestAvailableDate: '2026-06-15',
    });
    // 23:30 UTC: a day ahead in Jakarta (UTC+7), the same day in London in winter.
    const lateMs = Date.UTC(2026, 0, 10, 23, 30);
    expect(shopCalendar('ID', lateMs).latestAvailableDate).toBe('2026-01-11');
    expect(shopCalendar('GB', lateMs).latestAvailableDate).toBe('2026-01-10');
  });
});

describe('checkAnalyticsRange', () => {
  const calendar = { timeZone: 'UTC', latestAvailableDate: '2026-06-15' };

  it('sends the range as start_date_ge / end_date_lt when it ends by the latest available date', () => {
    expect(checkAnalyticsRange({ start: '2026-06-01', end: '2026-06-15' }, calendar)).toEqual({
      ok: true,
      startDateGe: '2026-06-01',
      endDateLt: '2026-06-16',
    });
  });

  it('clamps an end after the latest available date to it', () => {
    expect(checkAnalyticsRange({ start: '2026-05-17', end: '2026-06-16' }, calendar)).toEqual({
      ok: true,
      startDateGe: '2026-05-17',
      endDateLt: '2026-06-16',
    });
  });

  it('allows 366 days once clamped, refuses 367', () => {
    expect(checkAnalyticsRange({ start: '2025-06-15', end: '2026-06-15' }, calendar)).toMatchObject(
      { ok: true, startDateGe: '2025-06-15' },
    );
    expect(checkAnalyticsRange({ start: '2025-06-15', end: '2027-01-01' }, calendar).ok).toBe(true);
    expect(checkAnalyticsRange({ start: '2025-06-14', end: '2026-06-15' }, calendar)).toEqual({
      ok: false,
      rule: 'LONGER_THAN_366_DAYS',
      message: '2025-06-14 to 2026-06-15 is 367 days; TikTok allows at most 366.',
    });
    expect(checkAnalyticsRange({ start: '2025-06-14', end: '2026-07-01' }, calendar)).toMatchObject(
      {
        rule: 'LONGER_THAN_366_DAYS',
        message: expect.stringContaining('clamped'),
      },
    );
  });

  it('refuses an inverted range and one starting after the latest available date', () => {
    expect(checkAnalyticsRange({ start: '2026-06-10', end: '2026-06-09' }, calendar)).toEqual({
      ok: false,
      rule: 'END_BEFORE_START',
      message: 'end (2026-06-09) is before start (2026-06-10).',
    });
    expect(checkAnalyticsRange({ start: '2026-06-16', end: '2026-06-20' }, calendar)).toEqual({
      ok: false,
      rule: 'START_AFTER_LATEST',
      message:
        "start (2026-06-16) is after the latest day TikTok has analytics for, 2026-06-15 (today in the shop's time zone, UTC).",
    });
  });
});
