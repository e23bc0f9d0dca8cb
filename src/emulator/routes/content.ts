// Shop video and LIVE analytics (§6.8, §6.9): the seller-side content APIs. Sales come from the
// orders attributed to each video or LIVE session; views and engagement are derived numbers.

import { totalsOf } from '../data/analytics.js';
import { DAY_SECONDS, formatDateTime, formatDay } from '../data/dates.js';
import { formatPercent, formatRate } from '../data/money.js';
import type { LiveRecord, ShopData, VideoRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition, RouteRequest } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import {
  type AnalyticsQuery,
  type DayRange,
  intervalDates,
  moneyOf,
  overviewPerformance,
  readAnalyticsQuery,
  readListOptions,
  readOverviewOptions,
  sortRows,
} from './analytics-query.js';
import { fingerprintOf, paginate } from './pagination.js';
import { CODES, handleWith, queryEnum, RouteFailure, shopDataOf, shownId } from './validation.js';

const VIDEO_ACCOUNT_TYPES = ['ALL', 'LINKED_ACCOUNTS', 'AFFILIATES'] as const;
const LIVE_ACCOUNT_TYPES = [
  'ALL',
  'OFFICIAL_ACCOUNTS',
  'MARKETING_ACCOUNTS',
  'AFFILIATE_ACCOUNTS',
] as const;

/** Video performance over a range: attributed sales, views and product clicks. */
function videoStats(data: ShopData, video: VideoRecord, range: DayRange) {
  const analytics = data.analytics();
  const facts = analytics.contentFacts(video.id, range.startDay, range.endDay);
  const totals = totalsOf(facts);
  const views = analytics.videoViews(video, range.startDay, range.endDay);
  // Every unit sold came through a click; the rest of the clicks follow the video's click rate.
  const clicks = Math.min(views, Math.floor(views * video.clickRate) + totals.units);
  return { facts, totals, views, clicks };
}

function dailyAverage(count: number, range: DayRange): string {
  return (count / (range.endDay - range.startDay)).toFixed(2);
}

function liveSales(data: ShopData, live: LiveRecord, query: AnalyticsQuery) {
  const analytics = data.analytics();
  const facts = analytics.contentFacts(live.id, analytics.firstDay, analytics.endDay);
  const totals = totalsOf(facts);
  const money = (cents: number) => moneyOf(cents, data.shop.currency, query.currency);
  return {
    totals,
    wire: {
      gmv: money(totals.gmvCents),
      // Every attributed order was placed during the LIVE, so all of it is within 24 h.
      '24h_live_gmv': money(totals.gmvCents),
      avg_price: money(totals.units > 0 ? Math.round(totals.gmvCents / totals.units) : 0),
      click_to_order_rate: formatPercent(
        totals.skuOrders,
        Math.max(live.productClicks, totals.skuOrders),
      ),
      created_sku_orders: totals.skuOrders,
      customers: totals.buyers,
      different_products_sold: new Set(facts.map((fact) => fact.productId)).size,
      products_added: live.productIds.length,
      sku_orders: totals.skuOrders,
      unit_sold: totals.units,
    },
  };
}

function liveInteraction(live: LiveRecord) {
  return {
    acu: Math.max(1, Math.floor(live.peakConcurrentUsers * 0.6)),
    avg_viewing_duration: String(
      Math.floor(((live.endTime - live.startTime) * live.peakConcurrentUsers * 0.6) / live.views),
    ),
    click_through_rate: formatPercent(live.productClicks, live.views),
    comments: live.comments,
    likes: live.likes,
    new_followers: live.newFollowers,
    pcu: live.peakConcurrentUsers,
    product_clicks: live.productClicks,
    product_impressions: live.productImpressions,
    shares: live.shares,
    viewers: live.viewers,
    views: live.views,
  };
}

function notFound(what: string, id: string): RouteFailure {
  return new RouteFailure(
    CODES.analyticsNotFound,
    `${what} ${shownId(id)} was not found in this shop.`,
    404,
  );
}

export function createContentRoutes(store: EmulatorStore): RouteDefinition[] {
  const route = (
    endpoint: string,
    pattern: string,
    handle: (request: RouteRequest) => { data: unknown },
  ): RouteDefinition => ({
    method: 'GET',
    pattern,
    endpoint,
    isShopScoped: true,
    scope: SCOPES.analytics,
    handle: handleWith(handle),
  });

  const videosOf = (data: ShopData, request: RouteRequest) => {
    const accountType = queryEnum(request.query, 'account_type', VIDEO_ACCOUNT_TYPES, 'ALL');
    return {
      accountType,
      videos: data.videos.filter(
        (video) => accountType === 'ALL' || video.accountType === accountType,
      ),
    };
  };
  const videoOf = (data: ShopData, request: RouteRequest) => {
    const videoId = request.params.video_id ?? '';
    const video = data.videoById.get(videoId);
    if (!video) throw notFound('Video', videoId);
    return video;
  };

  return [
    route('analytics.video_list', '/analytics/202409/shop_videos/performance', (request) => {
      const query = readAnalyticsQuery(request);
      const list = readListOptions(request, [
        'gmv',
        'sku_orders',
        'units_sold',
        'views',
        'click_through_rate',
      ] as const);
      const data = shopDataOf(store, request);
      const { accountType, videos } = videosOf(data, request);
      // Videos with views or sales in the range.
      const rows = videos
        .map((video) => ({ id: video.id, video, ...videoStats(data, video, query) }))
        .filter((row) => row.views > 0 || row.facts.length > 0);
      const keyOf = {
        gmv: (row: (typeof rows)[number]) => row.totals.gmvCents,
        sku_orders: (row: (typeof rows)[number]) => row.totals.skuOrders,
        units_sold: (row: (typeof rows)[number]) => row.totals.units,
        views: (row: (typeof rows)[number]) => row.views,
        click_through_rate: (row: (typeof rows)[number]) =>
          row.views > 0 ? row.clicks / row.views : 0,
      }[list.sortField];
      const page = paginate(sortRows(rows, keyOf, list.sortOrder), {
        ...list.page,
        fingerprint: fingerprintOf(
          'analytics.video_list',
          data.shop.id,
          query,
          accountType,
          list.sortField,
          list.sortOrder,
        ),
      });
      return {
        data: {
          latest_available_date: formatDay(query.latestDay),
          total_count: page.totalCount,
          next_page_token: page.nextPageToken,
          videos: page.items.map((row) => ({
            id: row.id,
            title: row.video.title,
            username: row.video.username,
            gmv: moneyOf(row.totals.gmvCents, data.shop.currency, query.currency),
            sku_orders: row.totals.skuOrders,
            units_sold: row.totals.units,
            views: row.views,
            click_through_rate: formatRate(row.clicks, row.views),
            products: row.video.productIds.map((id) => ({
              id,
              name: data.productById.get(id)?.title ?? '',
            })),
            video_post_time: formatDateTime(row.video.postTime),
          })),
        },
      };
    }),

    route(
      'analytics.video_overview',
      '/analytics/202409/shop_videos/overview_performance',
      (request) => {
        const query = readAnalyticsQuery(request);
        const options = readOverviewOptions(request);
        const data = shopDataOf(store, request);
        const { videos } = videosOf(data, request);
        return {
          data: {
            latest_available_date: formatDay(query.latestDay),
            performance: overviewPerformance(query, options, (interval) => {
              let gmvCents = 0;
              let skuOrders = 0;
              let units = 0;
              let views = 0;
              let clicks = 0;
              for (const video of videos) {
                const stats = videoStats(data, video, interval);
                gmvCents += stats.totals.gmvCents;
                skuOrders += stats.totals.skuOrders;
                units += stats.totals.units;
                views += stats.views;
                clicks += stats.clicks;
              }
              return {
                ...intervalDates(interval),
                gmv: moneyOf(gmvCents, data.shop.currency, query.currency),
                click_through_rate: formatRate(clicks, views),
                sku_orders: skuOrders,
                units_sold: units,
              };
            }),
          },
        };
      },
    ),

    route(
      'analytics.video_detail',
      '/analytics/202409/shop_videos/:video_id/performance',
      (request) => {
        const query = readAnalyticsQuery(request);
        const options = readOverviewOptions(request);
        const data = shopDataOf(store, request);
        const video = videoOf(data, request);
        const totalViews = data.analytics().videoTotalViews(video);
        return {
          data: {
            latest_available_date: formatDay(query.latestDay),
            engagement_data: {
              total_likes: Math.floor(totalViews * video.likeRate),
              total_shares: Math.floor(totalViews * video.shareRate),
              total_comments: Math.floor(totalViews * video.commentRate),
              total_views: totalViews,
            },
            performance: {
              video_post_time: formatDateTime(video.postTime),
              ...overviewPerformance(query, options, (interval) => {
                const stats = videoStats(data, video, interval);
                return {
                  ...intervalDates(interval),
                  gmv: moneyOf(stats.totals.gmvCents, data.shop.currency, query.currency),
                  click_through_rate: formatRate(stats.clicks, stats.views),
                  daily_avg_buyers: dailyAverage(stats.totals.buyers, interval),
                  views: stats.views,
                };
              }),
            },
          },
        };
      },
    ),

    route(
      'analytics.video_products',
      '/analytics/202409/shop_videos/:video_id/products/performance',
      (request) => {
        const query = readAnalyticsQuery(request);
        const list = readListOptions(request, ['gmv', 'units_sold', 'daily_avg_buyers'] as const);
        const data = shopDataOf(store, request);
        const video = videoOf(data, request);
        const facts = data.analytics().contentFacts(video.id, query.startDay, query.endDay);
        // Every product linked to the video, sold in the range or not.
        const rows = video.productIds.map((id) => ({
          id,
          totals: totalsOf(facts.filter((fact) => fact.productId === id)),
        }));
        const keyOf = {
          gmv: (row: (typeof rows)[number]) => row.totals.gmvCents,
          units_sold: (row: (typeof rows)[number]) => row.totals.units,
          daily_avg_buyers: (row: (typeof rows)[number]) => row.totals.buyers,
        }[list.sortField];
        const page = paginate(sortRows(rows, keyOf, list.sortOrder), {
          ...list.page,
          fingerprint: fingerprintOf(
            'analytics.video_products',
            data.shop.id,
            video.id,
            query,
            list.sortField,
            list.sortOrder,
          ),
        });
        return {
          data: {
            latest_available_date: formatDay(query.latestDay),
            total_count: page.totalCount,
            next_page_token: page.nextPageToken,
            products: page.items.map((row) => ({
              id: row.id,
              name: data.productById.get(row.id)?.title ?? '',
              gmv: moneyOf(row.totals.gmvCents, data.shop.currency, query.currency),
              units_sold: row.totals.units,
              daily_avg_buyers: dailyAverage(row.totals.buyers, query),
            })),
          },
        };
      },
    ),

    route('analytics.live_list', '/analytics/202508/shop_lives/performance', (request) => {
      const query = readAnalyticsQuery(request);
      const list = readListOptions(request, [
        'gmv',
        'products_added',
        'different_products_sold',
        'sku_orders',
        'unit_sold',
        'customers',
        '24h_live_gmv',
      ] as const);
      const accountType = queryEnum(request.query, 'account_type', LIVE_ACCOUNT_TYPES, 'ALL');
      const data = shopDataOf(store, request);
      const from = query.startDay * DAY_SECONDS;
      const to = query.endDay * DAY_SECONDS;
      // Sessions that started in the range.
      const rows = data.lives
        .filter(
          (live) =>
            live.startTime >= from &&
            live.startTime < to &&
            (accountType === 'ALL' || live.accountType === accountType),
        )
        .map((live) => ({ id: live.id, live, sales: liveSales(data, live, query) }));
      const keyOf = {
        gmv: (row: (typeof rows)[number]) => row.sales.totals.gmvCents,
        '24h_live_gmv': (row: (typeof rows)[number]) => row.sales.totals.gmvCents,
        products_added: (row: (typeof rows)[number]) => row.live.productIds.length,
        different_products_sold: (row: (typeof rows)[number]) =>
          row.sales.wire.different_products_sold,
        sku_orders: (row: (typeof rows)[number]) => row.sales.totals.skuOrders,
        unit_sold: (row: (typeof rows)[number]) => row.sales.totals.units,
        customers: (row: (typeof rows)[number]) => row.sales.totals.buyers,
      }[list.sortField];
      const page = paginate(sortRows(rows, keyOf, list.sortOrder), {
        ...list.page,
        fingerprint: fingerprintOf(
          'analytics.live_list',
          data.shop.id,
          query,
          accountType,
          list.sortField,
          list.sortOrder,
        ),
      });
      return {
        data: {
          latest_available_date: formatDay(query.latestDay),
          total_count: page.totalCount,
          next_page_token: page.nextPageToken,
          live_stream_sessions: page.items.map((row) => ({
            id: row.id,
            title: row.live.title,
            username: row.live.username,
            // The docs type these as strings of Unix seconds.
            start_time: String(row.live.startTime),
            end_time: String(row.live.endTime),
            sales_performance: row.sales.wire,
            // Only returned for the shop's own (official / marketing) accounts.
            ...(row.live.accountType === 'AFFILIATE_ACCOUNTS'
              ? {}
              : { interaction_performance: liveInteraction(row.live) }),
          })),
        },
      };
    }),

    route(
      'analytics.live_overview',
      '/analytics/202508/shop_lives/overview_performance',
      (request) => {
        const query = readAnalyticsQuery(request);
        const options = readOverviewOptions(request);
        const accountType = queryEnum(request.query, 'account_type', LIVE_ACCOUNT_TYPES, 'ALL');
        const data = shopDataOf(store, request);
        const analytics = data.analytics();
        const lives = data.lives.filter(
          (live) => accountType === 'ALL' || live.accountType === accountType,
        );
        return {
          data: {
            latest_available_date: formatDay(query.latestDay),
            performance: overviewPerformance(query, options, (interval) => {
              const facts = lives.flatMap((live) =>
                analytics.contentFacts(live.id, interval.startDay, interval.endDay),
              );
              const totals = totalsOf(facts);
              let views = 0;
              let clicks = 0;
              for (const live of lives) {
                const day = Math.floor(live.startTime / DAY_SECONDS);
                if (day >= interval.startDay && day < interval.endDay) {
                  views += live.views;
                  clicks += live.productClicks;
                }
              }
              return {
                ...intervalDates(interval),
                gmv: moneyOf(totals.gmvCents, data.shop.currency, query.currency),
                sku_orders: totals.skuOrders,
                customers: totals.buyers,
                units_sold: totals.units,
                click_to_order_rate: formatPercent(
                  totals.skuOrders,
                  Math.max(clicks, totals.skuOrders),
                ),
                click_through_rate: formatPercent(clicks, views),
              };
            }),
          },
        };
      },
    ),
  ];
}
