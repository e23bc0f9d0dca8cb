// What every analytics list and report shares (§6.8): the arguments, interval dates, the report
// type, and the one helper that pages an analytics list as a connection. analytics.ts and
// content.ts build their types from these.
import type { ArgBuilder, ObjectFieldBuilder, ObjectRef } from '@pothos/core';
import type { GatewayContext, ShopScope } from '../context.js';
import { addDays } from '../datasources/tiktok/analytics-calendar.js';
import type { Loaders } from '../datasources/tiktok/loaders.js';
import type {
  AnalyticsCurrency as AnalyticsCurrencyCode,
  AnalyticsListInput,
  AnalyticsRange,
  IntervalDates,
  Page,
} from '../datasources/tiktok/types.js';
import { type BuilderTypes, builder } from './builder.js';
import {
  DateRangeInput,
  resolveShopScope,
  SHOP_ID_DESCRIPTION,
  scoped,
  toAnalyticsRange,
} from './common.js';
import {
  connectionType,
  fetchConnection,
  type PageRequest,
  pageArgs,
  parsePageArgs,
} from './connection.js';

export const AnalyticsGranularity = builder.enumType('AnalyticsGranularity', {
  description: 'How analytics intervals are cut.',
  values: {
    ALL: { value: 'ALL', description: 'One interval for the whole range.' },
    DAY: { value: '1D', description: 'One interval per day.' },
  },
});

export const AnalyticsCurrency = builder.enumType('AnalyticsCurrency', {
  description: 'Currency analytics amounts are reported in.',
  values: {
    LOCAL: { description: "The shop's own currency." },
    USD: { description: 'US dollars.' },
  },
});

export const analyticsArgs = (arg: ArgBuilder<BuilderTypes>) => ({
  range: arg({
    type: DateRangeInput,
    required: true,
    description: "Days to cover, both ends inclusive, in the shop's timezone.",
  }),
  currency: arg({
    type: AnalyticsCurrency,
    defaultValue: 'LOCAL',
    description: 'Currency of amounts (default LOCAL).',
  }),
});

/** The arguments of a paged analytics list: range, currency, `first`/`after` and the shop. */
export const analyticsListArgs = (arg: ArgBuilder<BuilderTypes>) => ({
  ...analyticsArgs(arg),
  ...pageArgs(arg),
  shopId: arg.id({ description: SHOP_ID_DESCRIPTION }),
});

export const granularityArg = (arg: ArgBuilder<BuilderTypes>) =>
  arg({
    type: AnalyticsGranularity,
    defaultValue: 'ALL',
    description: 'Interval size (default ALL).',
  });

// Resolvers, not `expose`: Pothos cannot check field names against a generic parent.
export const intervalDates = <T extends IntervalDates>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
) => ({
  startDate: t.field({
    type: 'Date',
    description: 'First day of the interval (inclusive).',
    resolve: (interval) => interval.startDate,
  }),
  endDate: t.field({
    type: 'Date',
    description:
      'Last day of the interval (inclusive, like DateRangeInput; TikTok reports the exclusive ' +
      'end and the gateway converts it).',
    resolve: (interval) => interval.endDate,
  }),
});

/** The fields every analytics report has: how far TikTok's data goes, and the intervals. */
export function reportFields<Interval>(
  t: ObjectFieldBuilder<
    BuilderTypes,
    { latestAvailableDate: string | null; intervals: Interval[] }
  >,
  interval: ObjectRef<BuilderTypes, Interval>,
) {
  return {
    latestAvailableDate: t.expose('latestAvailableDate', {
      type: 'Date',
      nullable: true,
      description: 'Last day TikTok has data for; a range ending later was clamped to it.',
    }),
    intervals: t.expose('intervals', {
      type: [interval],
      description: 'The range cut by `granularity`.',
    }),
  };
}

/** `<name>`: one product's or video's intervals over the requested range. */
export function performanceReport<Interval>(
  name: string,
  description: string,
  interval: ObjectRef<BuilderTypes, Interval>,
) {
  return builder
    .objectRef<{ latestAvailableDate: string | null; intervals: Interval[] }>(name)
    .implement({ description, fields: (t) => reportFields(t, interval) });
}

const DateRange = builder.objectRef<AnalyticsRange>('DateRange').implement({
  description: "Calendar days in the shop's timezone, both inclusive, like DateRangeInput.",
  fields: (t) => ({
    start: t.field({
      type: 'Date',
      description: 'First day, inclusive.',
      resolve: (range) => range.startDateGe,
    }),
    end: t.field({
      type: 'Date',
      description: 'Last day, inclusive.',
      resolve: (range) => addDays(range.endDateLt, -1),
    }),
  }),
});

/** What an analytics list's page carries besides the connection: the days it covers. */
interface CoveredRange {
  range: AnalyticsRange;
}

/** `connectionType` for an analytics list, plus the `range` it covers (issue 11). */
export function analyticsConnectionType<T>(
  node: ObjectRef<BuilderTypes, T>,
  name: string,
  items: string,
) {
  const connection = connectionType(node, name, items);
  builder.objectField(connection, 'range', (t) =>
    t.field({
      type: DateRange,
      description:
        'The days this list covers: the requested range, its end clamped to the latest day ' +
        'TikTok has analytics for (see DateRangeInput).',
      // listConnection returns the range with the page.
      resolve: (page) => (page as unknown as CoveredRange).range,
    }),
  );
  return connection;
}

/** What one analytics list request is for: the shop, the range (checked) and the currency. */
export interface AnalyticsList {
  scope: ShopScope;
  range: AnalyticsRange;
  currency: AnalyticsCurrencyCode;
}

/** The page input of one list request; sorting and other options are the caller's to add. */
type AnalyticsPageInput = Pick<AnalyticsListInput, 'range' | 'currency' | 'pageSize' | 'pageToken'>;

/**
 * Pages an analytics list of `list`'s shop, range and currency as a connection, with the range
 * it covers (`analyticsConnectionType`).
 */
export async function listConnection<Row, Node>(
  page: PageRequest,
  list: AnalyticsList,
  fetchPage: (loaders: Loaders, input: AnalyticsPageInput) => Promise<Page<Row>>,
  toNode: (row: Row, list: AnalyticsList) => Node,
) {
  const connection = await fetchConnection(
    page,
    (position) =>
      fetchPage(list.scope.loaders, { range: list.range, currency: list.currency, ...position }),
    (row) => toNode(row, list),
  );
  return { ...connection, range: list.range };
}

/**
 * A root analytics list field: `first`/`after`, the shop and the range in its calendar are
 * checked (in that order, before anything goes upstream), then pages are read as
 * `listConnection` does.
 */
export async function analyticsConnection<Row, Node>(
  ctx: GatewayContext,
  kind: string,
  args: {
    range: { start: Date; end: Date };
    currency?: AnalyticsCurrencyCode | null;
    first?: number | null;
    after?: string | null;
    shopId?: string | number | null;
  },
  fetchPage: (loaders: Loaders, input: AnalyticsPageInput) => Promise<Page<Row>>,
  toNode: (row: Row, list: AnalyticsList) => Node,
) {
  const page = parsePageArgs(kind, args);
  const scope = await resolveShopScope(ctx, args.shopId);
  const range = toAnalyticsRange(scope, args.range);
  return listConnection(
    page,
    { scope, range, currency: args.currency ?? 'LOCAL' },
    fetchPage,
    toNode,
  );
}

/** A row as a node whose fields read the row's shop. */
export const scopedRow = <Row extends object>(row: Row, list: AnalyticsList) =>
  scoped(list.scope, row);

export const SORT_BY_DESCRIPTION = 'Order (default GMV, DESC).';
