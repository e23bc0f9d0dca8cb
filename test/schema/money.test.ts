import { describe, expect, it } from 'vitest';
import { addDecimals, toAnalyticsRange } from '../../src/schema/common.js';

describe('addDecimals', () => {
  it('adds exactly, keeping the wider scale', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('1.10', '0.5')).toBe('1.60');
    expect(addDecimals('99999999999999999.99', '0.01')).toBe('100000000000000000.00');
    expect(addDecimals('0', '0')).toBe('0');
    expect(addDecimals('-1.25', '0.5')).toBe('-0.75');
  });
});

describe('toAnalyticsRange', () => {
  const scope = { calendar: { timeZone: 'UTC', latestAvailableDate: '2024-12-31' } };

  it('turns the inclusive GraphQL range into TikTok start_date_ge / end_date_lt', () => {
    const range = toAnalyticsRange(scope, {
      start: new Date('2024-02-01T00:00:00Z'),
      end: new Date('2024-02-29T00:00:00Z'),
    });
    expect(range).toEqual({ startDateGe: '2024-02-01', endDateLt: '2024-03-01' });
  });

  it('rejects an inverted range as BAD_USER_INPUT', () => {
    expect(() =>
      toAnalyticsRange(scope, { start: new Date('2024-02-02'), end: new Date('2024-02-01') }),
    ).toThrowError(
      expect.objectContaining({
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'range', rule: 'END_BEFORE_START' },
      }),
    );
  });
});
