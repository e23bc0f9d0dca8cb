// Query parameters shared by the §6.8 analytics routes: the date range, currency, granularity,
// comparison, and the list parameters.

import { dayOfMs, formatDay, parseDay } from '../data/dates.js';
import { convertCents, formatCents } from '../data/money.js';
import type { RouteRequest } from '../route-types.js';
import { type PageRequest, readPageSize } from './pagination.js';
import { CODES, queryBoolean, queryEnum, RouteFailure } from './validation.js';

/** Longest range one analytics call may cover, in days. */
const MAX_ANALYTICS_RANGE_DAYS = 366;
const DEFAULT_ANALYTICS_PAGE_SIZE = 10;

export interface DayRange {
  startDay: number;
  /** Exclusive. */
  endDay: number;
}

export interface AnalyticsQuery extends DayRange {
  /** The emulator's current UTC date: data is "ready" up to and including it. */
  latestDay: number;
  currency: 'LOCAL' | 'USD';
}

function dateError(message: string): RouteFailure {
  return new RouteFailure(CODES.analyticsDateInvalid, message, 400);
}

/** Reads start_date_ge / end_date_lt (shop timezone = UTC) and currency. */
export function readAnalyticsQuery(request: RouteRequest): AnalyticsQuery {
  const { query } = request;
  const latestDay = dayOfMs(request.now);
  const startText = query.start_date_ge;
  const endText = query.end_date_lt;
  if (!startText || !endText) {
    throw dateError("'start_date_ge' and 'end_date_lt' are required (YYYY-MM-DD).");
  }
  const startDay = parseDay(startText);
  const endDay = parseDay(endText);
  if (startDay === null || endDay === null) {
    throw dateError("Invalid date: 'start_date_ge' and 'end_date_lt' must be YYYY-MM-DD.");
  }
  if (startDay >= endDay) throw dateError("'start_date_ge' must be before 'end_date_lt'.");
  if (endDay > latestDay + 1) {
    throw dateError(
      `'end_date_lt' must be on or before ${formatDay(latestDay + 1)} (latest available date + 1).`,
    );
  }
  if (endDay - startDay > MAX_ANALYTICS_RANGE_DAYS) {
    throw dateError(`The date range must not exceed ${MAX_ANALYTICS_RANGE_DAYS} days.`);
  }
  const currency = queryEnum(query, 'currency', ['LOCAL', 'USD'] as const, 'LOCAL');
  return { startDay, endDay, latestDay, currency };
}

export interface OverviewOptions {
  granularity: 'ALL' | '1D';
  withComparison: boolean;
}

export function readOverviewOptions(request: RouteRequest): OverviewOptions {
  return {
    granularity: queryEnum(request.query, 'granularity', ['ALL', '1D'] as const, 'ALL'),
    withComparison: queryBoolean(request.query, 'with_comparison'),
  };
}

/** The intervals of a range: one for ALL, one per day for 1D. */
export function intervalsOf(range: DayRange, granularity: 'ALL' | '1D'): DayRange[] {
  if (granularity === 'ALL') return [range];
  const days: DayRange[] = [];
  for (let day = range.startDay; day < range.endDay; day++) {
    days.push({ startDay: day, endDay: day + 1 });
  }
  return days;
}

/** The preceding range of equal length (what with_comparison reports). */
export function comparisonRangeOf(range: DayRange): DayRange {
  const length = range.endDay - range.startDay;
  return { startDay: range.startDay - length, endDay: range.startDay };
}

/** An interval of an overview: its dates, then what the endpoint reports for it. */
export type Interval<T> = { start_date: string; end_date: string } & T;

export interface Performance<T> {
  intervals: Interval<T>[];
  comparison_intervals?: Interval<T>[];
}

/**
 * `performance.intervals` (+ `comparison_intervals` when asked) for an overview endpoint, where
 * `build` answers one interval.
 */
export function overviewPerformance<T extends object>(
  query: AnalyticsQuery,
  options: OverviewOptions,
  build: (interval: DayRange) => T,
): Performance<T> {
  const answer = (interval: DayRange): Interval<T> => ({
    start_date: formatDay(interval.startDay),
    end_date: formatDay(interval.endDay),
    ...build(interval),
  });
  const intervals = intervalsOf(query, options.granularity).map(answer);
  if (!options.withComparison) return { intervals };
  return {
    intervals,
    comparison_intervals: intervalsOf(comparisonRangeOf(query), options.granularity).map(answer),
  };
}

/** `{amount, currency}` in the requested analytics currency. */
export function moneyOf(cents: number, shopCurrency: string, currency: 'LOCAL' | 'USD') {
  const converted = convertCents(cents, shopCurrency, currency);
  return { amount: formatCents(converted.cents), currency: converted.currency };
}

export interface ListOptions<F extends string> {
  sortField: F;
  sortOrder: 'ASC' | 'DESC';
  page: Omit<PageRequest, 'fingerprint'>;
}

/** page_size (≤100, default 10), page_token, sort_field (first allowed = default), sort_order. */
export function readListOptions<F extends string>(
  request: RouteRequest,
  sortFields: readonly [F, ...F[]],
): ListOptions<F> {
  const pageSize = readPageSize(request, CODES.invalidParams, DEFAULT_ANALYTICS_PAGE_SIZE);
  return {
    sortField: queryEnum(request.query, 'sort_field', sortFields, sortFields[0]),
    sortOrder: queryEnum(request.query, 'sort_order', ['DESC', 'ASC'] as const, 'DESC'),
    page: { pageSize, pageToken: request.query.page_token },
  };
}
