// Analytics ranges checked at the gateway, in the shop's time zone (issue 11): an end after the
// latest available date is clamped and the answer shows it; an inverted range, one starting after
// that date, or one longer than 366 days is BAD_USER_INPUT naming the rule and the dates, with no
// upstream call (counted in the emulator's log). Both clocks are fixed, so no test depends on
// when it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const SHOP_PERFORMANCE = `query ($range: DateRangeInput!, $shopId: ID) {
  shopPerformance(range: $range, shopId: $shopId) { latestAvailableDate intervals { startDate endDate } } }`;
const PRODUCT_PERFORMANCES = `query ($range: DateRangeInput!, $shopId: ID) {
  productPerformances(range: $range, first: 3, shopId: $shopId) { range { start end } totalCount } }`;
const VIDEOS = `query ($range: DateRangeInput!, $shopId: ID) {
  videos(range: $range, first: 3, shopId: $shopId) { range { start end } totalCount } }`;

const FIELDS = [
  ['shopPerformance', SHOP_PERFORMANCE],
  ['productPerformances', PRODUCT_PERFORMANCES],
  ['videos', VIDEOS],
] as const;

/** The days an answer says it covered: a report's interval, a list's range. */
function coveredBy(field: string, data: Json) {
  if (field === 'shopPerformance') {
    const [interval] = data.shopPerformance.intervals;
    return { start: interval.startDate, end: interval.endDate };
  }
  return data[field].range;
}

describe('analytics ranges at noon UTC, 2026-06-15 for the US shop and for TikTok', () => {
  const nowMs = Date.UTC(2026, 5, 15, 12);
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ emulator: { now: () => nowMs } });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(FIELDS)(
    '%s: a range ending tomorrow is answered, clamped to today',
    async (field, query) => {
      t.resetCalls();
      const { body } = await t.executeText<Json>(query, {
        range: { start: '2026-05-17', end: '2026-06-16' },
      });
      expect(body.errors).toBeUndefined();
      expect(coveredBy(field, body.data!)).toEqual({ start: '2026-05-17', end: '2026-06-15' });
      if (field === 'shopPerformance') {
        expect(body.data!.shopPerformance.latestAvailableDate).toBe('2026-06-15');
      }
      expect(t.totalCalls()).toBe(1);
    },
  );

  it.each(FIELDS)('%s: a range ending by today is sent as asked', async (field, query) => {
    const { body } = await t.executeText<Json>(query, {
      range: { start: '2026-06-01', end: '2026-06-07' },
    });
    expect(coveredBy(field, body.data!)).toEqual({ start: '2026-06-01', end: '2026-06-07' });
  });

  const refused = [
    [
      'an inverted range',
      { start: '2026-06-10', end: '2026-06-09' },
      'END_BEFORE_START',
      'range: end (2026-06-09) is before start (2026-06-10).',
    ],
    [
      'a range starting tomorrow',
      { start: '2026-06-16', end: '2026-06-30' },
      'START_AFTER_LATEST',
      "range: start (2026-06-16) is after the latest day TikTok has analytics for, 2026-06-15 (today in the shop's time zone, America/Los_Angeles).",
    ],
    [
      'a range of 367 days',
      { start: '2025-06-14', end: '2026-06-15' },
      'LONGER_THAN_366_DAYS',
      'range: 2025-06-14 to 2026-06-15 is 367 days; TikTok allows at most 366.',
    ],
  ] as const;

  for (const [field, query] of FIELDS) {
    it.each(refused)(
      `${field}: %s is BAD_USER_INPUT naming the rule and dates, with no upstream call`,
      async (_name, range, rule, message) => {
        t.resetCalls();
        const { status, body } = await t.executeText(query, { range });
        expect(status).toBe(200);
        expect(body.data).toEqual({ [field]: null });
        expect(body.errors).toHaveLength(1);
        expect(body.errors![0]!.message).toBe(message);
        expect(body.errors![0]!.extensions).toEqual({
          code: 'BAD_USER_INPUT',
          argumentName: 'range',
          rule,
        });
        expect(t.totalCalls()).toBe(0);
      },
    );
  }

  it('allows 366 days', async () => {
    const { body } = await t.executeText<Json>(PRODUCT_PERFORMANCES, {
      range: { start: '2025-06-15', end: '2026-06-15' },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.productPerformances.range).toEqual({
      start: '2025-06-15',
      end: '2026-06-15',
    });
  });
});

describe("the shop's time zone decides the day", () => {
  // 03:30 UTC on 2026-06-15: 20:30 on the 14th in California, 04:30 on the 15th in London.
  const nowMs = Date.UTC(2026, 5, 15, 3, 30);
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ emulator: { now: () => nowMs } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a US shop is still on the 14th: the range is clamped to it, one starting on the 15th refused', async () => {
    const range = { start: '2026-06-08', end: '2026-06-15' };
    const { body } = await t.executeText<Json>(PRODUCT_PERFORMANCES, { range });
    expect(body.data!.productPerformances.range).toEqual({
      start: '2026-06-08',
      end: '2026-06-14',
    });
    t.resetCalls();
    const refused = await t.executeText(VIDEOS, {
      range: { start: '2026-06-15', end: '2026-06-15' },
    });
    expect(refused.body.errors![0]!.extensions!.rule).toBe('START_AFTER_LATEST');
    expect(t.totalCalls()).toBe(0);
  });

  it('a GB shop is on the 15th already: the same range is sent as asked', async () => {
    const { body } = await t.executeText<Json>(SHOP_PERFORMANCE, {
      range: { start: '2026-06-08', end: '2026-06-15' },
      shopId: t.shopIn('GB').id,
    });
    expect(body.errors).toBeUndefined();
    expect(coveredBy('shopPerformance', body.data!)).toEqual({
      start: '2026-06-08',
      end: '2026-06-15',
    });
  });
});
