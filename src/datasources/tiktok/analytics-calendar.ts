// A shop's analytics calendar (§6.8, issue 11): which day it is for the shop, and the range rules
// TikTok enforces, so a range is clamped or refused at the gateway instead of after a call.

const DAY_MS = 86_400_000;

/** TikTok refuses a longer range (28001022, §6.8). */
export const MAX_ANALYTICS_RANGE_DAYS = 366;

/**
 * The time zone assumed for a shop's market (its `region`, §3). TikTok reports analytics in the
 * shop's time zone but no answer names it (§6.8), so this is the gateway's assumption. A market
 * that spans zones gets its westernmost mainland one: the gateway's day then never starts before
 * the shop's, and a range clamped to it is one TikTok accepts. Other markets: UTC.
 */
const MARKET_TIME_ZONES: Readonly<Record<string, string>> = {
  BR: 'America/Rio_Branco',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  ID: 'Asia/Jakarta',
  IE: 'Europe/Dublin',
  IT: 'Europe/Rome',
  JP: 'Asia/Tokyo',
  MX: 'America/Tijuana',
  MY: 'Asia/Kuala_Lumpur',
  PH: 'Asia/Manila',
  SG: 'Asia/Singapore',
  TH: 'Asia/Bangkok',
  US: 'America/Los_Angeles',
  VN: 'Asia/Ho_Chi_Minh',
};

/** The day `nowMs` falls on in `timeZone`, `YYYY-MM-DD`. */
export function dayIn(timeZone: string, nowMs: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(nowMs);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((candidate) => candidate.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** `day` moved by `days` calendar days (`YYYY-MM-DD` in, `YYYY-MM-DD` out). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How one request sees a shop's days. */
export interface ShopCalendar {
  /** IANA zone assumed for the shop (MARKET_TIME_ZONES). */
  timeZone: string;
  /** The last day TikTok can have analytics for: today in the shop's time zone (§6.8). */
  latestAvailableDate: string;
}

export function shopCalendar(region: string, nowMs: number): ShopCalendar {
  const timeZone = MARKET_TIME_ZONES[region.toUpperCase()] ?? 'UTC';
  return { timeZone, latestAvailableDate: dayIn(timeZone, nowMs) };
}

/** Shop-timezone days, `YYYY-MM-DD`, both inclusive: what DateRangeInput holds. */
export interface DayRange {
  start: string;
  end: string;
}

export type RangeRule = 'END_BEFORE_START' | 'START_AFTER_LATEST' | 'LONGER_THAN_366_DAYS';

export type CheckedRange =
  | { ok: true; startDateGe: string; endDateLt: string }
  | { ok: false; rule: RangeRule; message: string };

/**
 * A requested range as TikTok takes it (start inclusive, end exclusive), its end clamped to the
 * latest available date; or the rule it breaks, in that order: inverted, starting after the
 * latest available date, longer than 366 days once clamped.
 */
export function checkAnalyticsRange(requested: DayRange, calendar: ShopCalendar): CheckedRange {
  const { start } = requested;
  const latest = calendar.latestAvailableDate;
  if (requested.end < start) {
    return {
      ok: false,
      rule: 'END_BEFORE_START',
      message: `end (${requested.end}) is before start (${start}).`,
    };
  }
  if (start > latest) {
    return {
      ok: false,
      rule: 'START_AFTER_LATEST',
      message:
        `start (${start}) is after the latest day TikTok has analytics for, ${latest} (today ` +
        `in the shop's time zone, ${calendar.timeZone}).`,
    };
  }
  const isClamped = requested.end > latest;
  const end = isClamped ? latest : requested.end;
  const days = (Date.parse(end) - Date.parse(start)) / DAY_MS + 1;
  if (days > MAX_ANALYTICS_RANGE_DAYS) {
    return {
      ok: false,
      rule: 'LONGER_THAN_366_DAYS',
      message:
        `${start} to ${end} is ${days} days` +
        (isClamped ? ' (the end clamped to the latest available date)' : '') +
        `; TikTok allows at most ${MAX_ANALYTICS_RANGE_DAYS}.`,
    };
  }
  return { ok: true, startDateGe: start, endDateLt: addDays(end, 1) };
}
