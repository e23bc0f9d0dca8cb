// Shared schema pieces: the Query root, Money, date ranges, id and shop arguments.
import { ShopForbiddenError } from '../auth/errors.js';
import type { GatewayContext, ShopScope } from '../context.js';
import { checkAnalyticsRange } from '../datasources/tiktok/analytics-calendar.js';
import type {
  AnalyticsRange,
  AuthorizedShop,
  Money as MoneyShape,
} from '../datasources/tiktok/types.js';
import { builder } from './builder.js';
import { badUserInput } from './errors.js';

builder.queryType({
  description:
    'Read access to the TikTok Shop seller API. Shop-scoped fields take an optional `shopId`; ' +
    "without it the default shop is used (TIKTOK_SHOP_SHOP_ID, or the caller's only shop); a " +
    "shop outside the caller's is FORBIDDEN naming it (`extensions.shopId`). " +
    'Fields that need TikTok are nullable: when a call fails, that field is null with an entry ' +
    'in `errors` (see ErrorCode) and the other fields still resolve. Every field needs a ' +
    'gateway scope (docs/auth.md); a missing one is FORBIDDEN naming it.',
});

builder.mutationType({
  description:
    'Writes: stock levels (inventory.write), seller authorisation (oauth.manage) and webhook ' +
    'subscriptions (webhook.manage). Expected per-item problems come back in the payload, not ' +
    'as errors.',
});

/** A domain object plus the shop it came from, so nested fields use that shop's loaders. */
export type Scoped<T> = T & { scope: ShopScope };

export function scoped<T extends object>(scope: ShopScope, value: T): Scoped<T> {
  return { ...value, scope };
}

const scopedValues = new WeakMap<ShopScope, WeakMap<object, object>>();

/**
 * `scoped`, built once per (scope, value): a page names the same product, SKU stock or warehouse
 * stock many times (one line item per unit), and each copy is work and garbage.
 */
export function scopedOnce<T extends object>(scope: ShopScope, value: T): Scoped<T> {
  let values = scopedValues.get(scope);
  if (!values) {
    values = new WeakMap();
    scopedValues.set(scope, values);
  }
  let found = values.get(value) as Scoped<T> | undefined;
  if (!found) {
    found = scoped(scope, value);
    values.set(value, found);
  }
  return found;
}

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description: 'An exact amount of money. Amounts are decimal strings, never floats.',
  fields: (t) => ({
    amount: t.exposeString('amount', {
      description: 'Decimal string exactly as TikTok reports it, e.g. "121.11".',
    }),
    currency: t.expose('currency', { type: 'Currency', description: 'ISO 4217 currency code.' }),
  }),
});

export const DateRangeInput = builder.inputType('DateRangeInput', {
  description:
    "A range of calendar days in the shop's timezone. Both `start` and `end` are inclusive: " +
    '{ start: "2024-05-01", end: "2024-05-31" } is all of May. Checked before TikTok is ' +
    'called (§6.8): `end` must not be before `start`, and `start` not after the latest ' +
    "available date (today in the shop's timezone, which the gateway assumes from the shop's " +
    'market, docs/graphql.md); an `end` after that date is moved back to it, and the answer ' +
    "says what was covered (a report's `latestAvailableDate` and interval dates, a list's " +
    '`range`). Once so clamped, at most 366 days. A range breaking a rule is BAD_USER_INPUT ' +
    'naming it (`extensions.rule`) and the dates. (The gateway sends TikTok ' +
    '`start_date_ge = start` and `end_date_lt = end + 1 day`.)',
  fields: (t) => ({
    start: t.field({ type: 'Date', required: true, description: 'First day, inclusive.' }),
    end: t.field({
      type: 'Date',
      required: true,
      description:
        'Last day, inclusive. Must not be before `start`; a day after the latest available ' +
        'date is read as that date.',
    }),
  }),
});

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Inclusive GraphQL range to TikTok's [start_date_ge, end_date_lt), checked against the shop's
 * calendar: the end clamped to the latest available date, a broken rule BAD_USER_INPUT.
 */
export function toAnalyticsRange(
  scope: Pick<ShopScope, 'calendar'>,
  range: { start: Date; end: Date },
  argumentName = 'range',
): AnalyticsRange {
  const checked = checkAnalyticsRange(
    { start: formatDate(range.start), end: formatDate(range.end) },
    scope.calendar,
  );
  if (!checked.ok) {
    throw badUserInput(`${argumentName}: ${checked.message}`, argumentName, { rule: checked.rule });
  }
  return { startDateGe: checked.startDateGe, endDateLt: checked.endDateLt };
}

const TIKTOK_ID = /^[0-9]{1,30}$/;

/** TikTok ids are decimal strings; anything else is a client mistake caught before upstream. */
export function parseId(value: string | number, argumentName: string): string {
  const id = String(value);
  if (!TIKTOK_ID.test(id)) {
    throw badUserInput(
      `${argumentName}: "${id.slice(0, 40)}" is not a TikTok id (decimal digits).`,
      argumentName,
    );
  }
  return id;
}

export function parseIds(
  values: ReadonlyArray<string | number>,
  argumentName: string,
  maxCount: number,
): string[] {
  if (values.length > maxCount) {
    throw badUserInput(`${argumentName}: at most ${maxCount} ids per request.`, argumentName);
  }
  return [...new Set(values.map((value) => parseId(value, argumentName)))];
}

/**
 * A filter's time window must hold an instant: BAD_USER_INPUT (argument `filter`) when its end is
 * before its start, or at it when the end is exclusive. Either bound may be absent.
 */
export function checkTimeWindow(
  from: Date | null | undefined,
  end: Date | null | undefined,
  rule: { isEndExclusive: boolean; message: string },
): void {
  if (!from || !end) return;
  const gapMs = end.getTime() - from.getTime();
  if (gapMs < 0 || (rule.isEndExclusive && gapMs === 0)) throw badUserInput(rule.message, 'filter');
}

export const SHOP_ID_DESCRIPTION =
  'Shop to read (see `shops`). Optional: defaults to TIKTOK_SHOP_SHOP_ID when the caller may ' +
  "use it, else to the caller's only shop; with several shops and no default, omitting it is " +
  "an error. A shop outside the caller's is FORBIDDEN.";

/**
 * Chooses the shop for a root field among the caller's: a shop outside them is FORBIDDEN naming
 * it (before the store or TikTok is asked); unknown or ambiguous shops are BAD_USER_INPUT.
 */
export async function resolveShop(
  ctx: GatewayContext,
  shopId: string | number | null | undefined,
): Promise<AuthorizedShop> {
  const requested = shopId === null || shopId === undefined ? undefined : parseId(shopId, 'shopId');
  const selection = await ctx.selectShop(requested);
  if (selection.ok) return selection.shop;
  if (selection.reason === 'forbidden') {
    throw new ShopForbiddenError(selection.shopId, ctx.caller?.name);
  }
  throw badUserInput(selection.message, 'shopId');
}

/** The session and loaders of the shop `resolveShop` chooses. */
export async function resolveShopScope(
  ctx: GatewayContext,
  shopId: string | number | null | undefined,
): Promise<ShopScope> {
  return ctx.scopeFor(await resolveShop(ctx, shopId));
}

/** A root `x(id, shopId)` field: the id checked, the shop chosen, the item read; null when absent. */
export async function shopItemById<T extends object>(
  ctx: GatewayContext,
  args: { id: string | number; shopId?: string | number | null },
  load: (scope: ShopScope, id: string) => Promise<T | null>,
): Promise<Scoped<T> | null> {
  const id = parseId(args.id, 'id');
  const scope = await resolveShopScope(ctx, args.shopId);
  const item = await load(scope, id);
  return item ? scoped(scope, item) : null;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Exact sum of two decimal strings ("1.10" + "0.5" = "1.60"); money never goes through floats. */
export function addDecimals(a: string, b: string): string {
  const parse = (value: string) => {
    const match = DECIMAL.exec(value.trim());
    if (!match) throw new Error(`Not a decimal amount: ${value.slice(0, 40)}`);
    const [, sign = '', whole = '0', fraction = ''] = match;
    return { sign, whole, fraction };
  };
  const left = parse(a);
  const right = parse(b);
  const scale = Math.max(left.fraction.length, right.fraction.length);
  const toUnits = ({ sign, whole, fraction }: ReturnType<typeof parse>) =>
    BigInt(`${sign}${whole}${fraction.padEnd(scale, '0')}`);
  const sum = toUnits(left) + toUnits(right);
  const digits = (sum < 0n ? -sum : sum).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${sum < 0n ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}
