// The two shapes every §6.8 analytics route takes: an overview, whose `performance` answers each
// interval of the range, and a list, sorted by `sort_field` and paged. Both are GET, shop-scoped,
// under the analytics scope, and answer `latest_available_date` first.

import { formatDay } from '../data/dates.js';
import type { ShopData } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition, RouteRequest } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import {
  type AnalyticsQuery,
  type DayRange,
  moneyOf,
  overviewPerformance,
  type Performance,
  readAnalyticsQuery,
  readListOptions,
  readOverviewOptions,
} from './analytics-query.js';
import { compareIds, fingerprintOf, pageAnswer, paginate } from './pagination.js';
import { shopRoutes } from './shop-route.js';
import { CODES, RouteFailure, shownId } from './validation.js';

/** What an analytics handler works from. */
export interface AnalyticsContext {
  request: RouteRequest;
  query: AnalyticsQuery;
  data: ShopData;
  /** Shop-currency cents as `{amount, currency}` in the requested currency. */
  money(cents: number): { amount: string; currency: string };
}

export interface OverviewContext extends AnalyticsContext {
  /** `intervals` (and `comparison_intervals` when asked) with `build` answering each interval. */
  performance<T extends object>(build: (interval: DayRange) => T): Performance<T>;
}

export interface AnalyticsList<R extends { id: string }, F extends string> {
  /**
   * Every row of the list (the route sorts and pages them), and what besides the endpoint and the
   * shop tells this list from another, for the page-token fingerprint.
   */
  rows(context: AnalyticsContext): { rows: R[]; identity: unknown[] };
  /** The `sort_field` values and the number each sorts by; the first is the default. */
  sortKeys: Record<F, (row: R) => number>;
  /** Where the page's items are answered: `products`, `skus`, `videos`… */
  itemsKey: string;
  item(row: R, context: AnalyticsContext): unknown;
}

/** 28001007 for an id the shop does not have. */
export function analyticsNotFound(what: string, id: string): RouteFailure {
  return new RouteFailure(
    CODES.analyticsNotFound,
    `${what} ${shownId(id)} was not found in this shop.`,
    404,
  );
}

export function analyticsRoutes(store: EmulatorStore) {
  const route = shopRoutes(store, SCOPES.analytics);
  const contextOf = (request: RouteRequest, data: ShopData): AnalyticsContext => {
    const query = readAnalyticsQuery(request);
    return {
      request,
      query,
      data,
      money: (cents) => moneyOf(cents, data.shop.currency, query.currency),
    };
  };

  return {
    /** An overview endpoint: `answer` gives what follows `latest_available_date`. */
    overview(
      endpoint: string,
      path: `/${string}`,
      answer: (context: OverviewContext) => Record<string, unknown>,
    ): RouteDefinition {
      return route(endpoint, `GET ${path}`, (request, data) => {
        const context = contextOf(request, data);
        const options = readOverviewOptions(request);
        return {
          latest_available_date: formatDay(context.query.latestDay),
          ...answer({
            ...context,
            performance: (build) => overviewPerformance(context.query, options, build),
          }),
        };
      });
    },

    list<R extends { id: string }, F extends string>(
      endpoint: string,
      path: `/${string}`,
      list: AnalyticsList<R, F>,
    ): RouteDefinition {
      const sortFields = Object.keys(list.sortKeys) as [F, ...F[]];
      return route(endpoint, `GET ${path}`, (request, data) => {
        const context = contextOf(request, data);
        const options = readListOptions(request, sortFields);
        const { rows, identity } = list.rows(context);
        const keyOf = list.sortKeys[options.sortField];
        const direction = options.sortOrder === 'ASC' ? 1 : -1;
        // Ties go by id ascending whatever the order, so paging is stable.
        const sorted = rows.sort((a, b) => direction * (keyOf(a) - keyOf(b)) || compareIds(a, b));
        const page = paginate(sorted, {
          ...options.page,
          fingerprint: fingerprintOf(
            endpoint,
            data.shop.id,
            ...identity,
            options.sortField,
            options.sortOrder,
          ),
        });
        return {
          latest_available_date: formatDay(context.query.latestDay),
          ...pageAnswer(page, list.itemsKey, (row) => list.item(row, context)),
        };
      });
    },
  };
}
