// Shop video and LIVE analytics (§6.8, §6.9): the seller-side content APIs. Sales come from the
// orders attributed to each video or LIVE session; views and engagement are derived numbers.

import { totalsOf } from '../data/analytics.js';
import { DAY_SECONDS, formatDateTime } from '../data/dates.js';
import { formatPercent, formatRate } from '../data/money.js';
import type { LiveRecord, ShopData, VideoRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition, RouteRequest } from '../route-types.js';
import type { DayRange } from './analytics-query.js';
import { type AnalyticsContext, analyticsNotFound, analyticsRoutes } from './analytics-route.js';
import { queryEnum } from './validation.js';

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

function liveSales({ data, money }: AnalyticsContext, live: LiveRecord) {
  const analytics = data.analytics();
  const facts = analytics.contentFacts(live.id, analytics.firstDay, analytics.endDay);
  const totals = totalsOf(facts);
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

/** The shop's videos of the `account_type` asked for (§6.8: ALL by default). */
function videosOf(data: ShopData, request: RouteRequest) {
  const accountType = queryEnum(request.query, 'account_type', VIDEO_ACCOUNT_TYPES, 'ALL');
  const videos = data.videos.filter(
    (video) => accountType === 'ALL' || video.accountType === accountType,
  );
  return { accountType, videos };
}

function livesOf(data: ShopData, request: RouteRequest) {
  const accountType = queryEnum(request.query, 'account_type', LIVE_ACCOUNT_TYPES, 'ALL');
  const lives = data.lives.filter(
    (live) => accountType === 'ALL' || live.accountType === accountType,
  );
  return { accountType, lives };
}

function pathVideo({ data, request }: AnalyticsContext): VideoRecord {
  const videoId = request.params.video_id ?? '';
  const video = data.videoById.get(videoId);
  if (!video) throw analyticsNotFound('Video', videoId);
  return video;
}

export function createContentRoutes(store: EmulatorStore): RouteDefinition[] {
  const { overview, list } = analyticsRoutes(store);
  return [
    list('analytics.video_list', '/analytics/202409/shop_videos/performance', {
      rows: ({ data, request, query }) => {
        const { accountType, videos } = videosOf(data, request);
        // Videos with views or sales in the range.
        const rows = videos
          .map((video) => ({ id: video.id, video, ...videoStats(data, video, query) }))
          .filter((row) => row.views > 0 || row.facts.length > 0);
        return { rows, identity: [query, accountType] };
      },
      sortKeys: {
        gmv: (row) => row.totals.gmvCents,
        sku_orders: (row) => row.totals.skuOrders,
        units_sold: (row) => row.totals.units,
        views: (row) => row.views,
        click_through_rate: (row) => (row.views > 0 ? row.clicks / row.views : 0),
      },
      itemsKey: 'videos',
      item: ({ id, video, totals, views, clicks }, { data, money }) => ({
        id,
        title: video.title,
        username: video.username,
        gmv: money(totals.gmvCents),
        sku_orders: totals.skuOrders,
        units_sold: totals.units,
        views,
        click_through_rate: formatRate(clicks, views),
        products: video.productIds.map((productId) => ({
          id: productId,
          name: data.productById.get(productId)?.title ?? '',
        })),
        video_post_time: formatDateTime(video.postTime),
      }),
    }),

    overview(
      'analytics.video_overview',
      '/analytics/202409/shop_videos/overview_performance',
      (context) => {
        const { videos } = videosOf(context.data, context.request);
        return {
          performance: context.performance((interval) => {
            let gmvCents = 0;
            let skuOrders = 0;
            let units = 0;
            let views = 0;
            let clicks = 0;
            for (const video of videos) {
              const stats = videoStats(context.data, video, interval);
              gmvCents += stats.totals.gmvCents;
              skuOrders += stats.totals.skuOrders;
              units += stats.totals.units;
              views += stats.views;
              clicks += stats.clicks;
            }
            return {
              gmv: context.money(gmvCents),
              click_through_rate: formatRate(clicks, views),
              sku_orders: skuOrders,
              units_sold: units,
            };
          }),
        };
      },
    ),

    overview(
      'analytics.video_detail',
      '/analytics/202409/shop_videos/:video_id/performance',
      (context) => {
        const video = pathVideo(context);
        const totalViews = context.data.analytics().videoTotalViews(video);
        return {
          engagement_data: {
            total_likes: Math.floor(totalViews * video.likeRate),
            total_shares: Math.floor(totalViews * video.shareRate),
            total_comments: Math.floor(totalViews * video.commentRate),
            total_views: totalViews,
          },
          performance: {
            video_post_time: formatDateTime(video.postTime),
            ...context.performance((interval) => {
              const stats = videoStats(context.data, video, interval);
              return {
                gmv: context.money(stats.totals.gmvCents),
                click_through_rate: formatRate(stats.clicks, stats.views),
                daily_avg_buyers: dailyAverage(stats.totals.buyers, interval),
                views: stats.views,
              };
            }),
          },
        };
      },
    ),

    list(
      'analytics.video_products',
      '/analytics/202409/shop_videos/:video_id/products/performance',
      {
        rows: (context) => {
          const video = pathVideo(context);
          const { startDay, endDay } = context.query;
          const facts = context.data.analytics().contentFacts(video.id, startDay, endDay);
          // Every product linked to the video, sold in the range or not.
          const rows = video.productIds.map((id) => ({
            id,
            totals: totalsOf(facts.filter((fact) => fact.productId === id)),
          }));
          return { rows, identity: [video.id, context.query] };
        },
        sortKeys: {
          gmv: (row) => row.totals.gmvCents,
          units_sold: (row) => row.totals.units,
          daily_avg_buyers: (row) => row.totals.buyers,
        },
        itemsKey: 'products',
        item: ({ id, totals }, { data, query, money }) => ({
          id,
          name: data.productById.get(id)?.title ?? '',
          gmv: money(totals.gmvCents),
          units_sold: totals.units,
          daily_avg_buyers: dailyAverage(totals.buyers, query),
        }),
      },
    ),

    list('analytics.live_list', '/analytics/202508/shop_lives/performance', {
      rows: (context) => {
        const { query } = context;
        const { accountType, lives } = livesOf(context.data, context.request);
        const from = query.startDay * DAY_SECONDS;
        const to = query.endDay * DAY_SECONDS;
        // Sessions that started in the range.
        const rows = lives
          .filter((live) => live.startTime >= from && live.startTime < to)
          .map((live) => ({ id: live.id, live, sales: liveSales(context, live) }));
        return { rows, identity: [query, accountType] };
      },
      sortKeys: {
        gmv: (row) => row.sales.totals.gmvCents,
        products_added: (row) => row.live.productIds.length,
        different_products_sold: (row) => row.sales.wire.different_products_sold,
        sku_orders: (row) => row.sales.totals.skuOrders,
        unit_sold: (row) => row.sales.totals.units,
        customers: (row) => row.sales.totals.buyers,
        '24h_live_gmv': (row) => row.sales.totals.gmvCents,
      },
      itemsKey: 'live_stream_sessions',
      item: ({ id, live, sales }) => ({
        id,
        title: live.title,
        username: live.username,
        // The docs type these as strings of Unix seconds.
        start_time: String(live.startTime),
        end_time: String(live.endTime),
        sales_performance: sales.wire,
        // Only returned for the shop's own (official / marketing) accounts.
        ...(live.accountType === 'AFFILIATE_ACCOUNTS'
          ? {}
          : { interaction_performance: liveInteraction(live) }),
      }),
    }),

    overview(
      'analytics.live_overview',
      '/analytics/202508/shop_lives/overview_performance',
      (context) => {
        const { lives } = livesOf(context.data, context.request);
        const analytics = context.data.analytics();
        return {
          performance: context.performance((interval) => {
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
              gmv: context.money(totals.gmvCents),
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
        };
      },
    ),
  ];
}
