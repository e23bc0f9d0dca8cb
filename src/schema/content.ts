// Content: shop videos and LIVE sessions, as the analytics endpoints report them (§6.8, §6.9).
import type { ShopScope } from '../context.js';
import { VIDEO_SCAN_MAX_PAGES } from '../datasources/tiktok/loaders.js';
import type {
  AnalyticsCurrency as AnalyticsCurrencyValue,
  AnalyticsRange,
  LiveSession as LiveSessionShape,
  VideoPerformance,
  VideoPerformanceInterval as VideoPerformanceIntervalShape,
  VideoPerformanceRow,
  VideoProductRow,
} from '../datasources/tiktok/types.js';
import { AnalyticsGranularity, analyticsArgs, intervalDates } from './analytics.js';
import { builder } from './builder.js';
import {
  DateRangeInput,
  fromUnixSeconds,
  Money,
  parseId,
  resolveShopScope,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  SortDirection,
  scoped,
  toAnalyticsRange,
} from './common.js';
import { connectionType, fetchConnection, pageArgs, parsePageArgs } from './connection.js';
import { Product } from './product.js';

/** A video as the schema sees it: the list row when it came from a list, and the range asked. */
interface VideoParent {
  id: string;
  scope: ShopScope;
  range: AnalyticsRange;
  currency: AnalyticsCurrencyValue;
  /** null when looked up by id: the single-video endpoint returns no title or totals. */
  row: VideoPerformanceRow | null;
}

const Video = builder.objectRef<VideoParent>('Video');

const performanceOf = (video: VideoParent, granularity: 'ALL' | '1D' = 'ALL') =>
  video.scope.loaders.videoPerformance.load({
    videoId: video.id,
    input: { range: video.range, granularity, currency: video.currency },
  });

const VideoTotals = builder.objectRef<VideoPerformanceRow>('VideoTotals').implement({
  description: 'Totals of a video over the requested range, as the video list reports them.',
  fields: (t) => ({
    gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (r) => r.gmv }),
    skuOrders: t.field({
      type: 'NonNegativeInt',
      description: 'SKU orders attributed to the video.',
      resolve: (r) => r.skuOrders,
    }),
    unitsSold: t.field({
      type: 'NonNegativeInt',
      description: 'Units sold.',
      resolve: (r) => r.unitsSold,
    }),
    views: t.field({ type: 'NonNegativeInt', description: 'Views.', resolve: (r) => r.views }),
    clickThroughRate: t.exposeString('clickThroughRate', {
      description: 'Decimal string, "0.0528" = 5.28 %.',
    }),
  }),
});

const VideoEngagement = builder
  .objectRef<VideoPerformance['engagement']>('VideoEngagement')
  .implement({
    description: 'How viewers engaged with a video over the requested range.',
    fields: (t) => ({
      likes: t.field({
        type: 'NonNegativeInt',
        description: 'Likes.',
        resolve: (e) => e.totalLikes,
      }),
      shares: t.field({
        type: 'NonNegativeInt',
        description: 'Shares.',
        resolve: (e) => e.totalShares,
      }),
      comments: t.field({
        type: 'NonNegativeInt',
        description: 'Comments.',
        resolve: (e) => e.totalComments,
      }),
      views: t.field({
        type: 'NonNegativeInt',
        description: 'Views.',
        resolve: (e) => e.totalViews,
      }),
    }),
  });

const VideoPerformanceInterval = builder
  .objectRef<VideoPerformanceIntervalShape>('VideoPerformanceInterval')
  .implement({
    description: 'One video over one interval.',
    fields: (t) => ({
      ...intervalDates(t),
      gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (i) => i.gmv }),
      clickThroughRate: t.exposeString('clickThroughRate', {
        description: 'Decimal string, "0.0528" = 5.28 %.',
      }),
      dailyAverageBuyers: t.field({
        type: 'NonNegativeInt',
        description: 'Average buyers per day.',
        resolve: (i) => i.dailyAvgBuyers,
      }),
      views: t.field({ type: 'NonNegativeInt', description: 'Views.', resolve: (i) => i.views }),
    }),
  });

const VideoPerformanceReport = builder
  .objectRef<VideoPerformance>('VideoPerformanceReport')
  .implement({
    description: 'One video over the requested range.',
    fields: (t) => ({
      latestAvailableDate: t.field({
        type: 'Date',
        nullable: true,
        description: 'Last day TikTok has data for.',
        resolve: (performance) => performance.latestAvailableDate,
      }),
      intervals: t.field({
        type: [VideoPerformanceInterval],
        description: 'The range cut by `granularity`.',
        resolve: (performance) => performance.intervals,
      }),
    }),
  });

const VideoProduct = builder.objectRef<Scoped<VideoProductRow>>('VideoProduct').implement({
  description: 'A product linked in a video, with what the video sold of it.',
  fields: (t) => ({
    productId: t.exposeID('id', { description: "TikTok's product id." }),
    name: t.exposeString('name', { description: 'Product name as the analytics report it.' }),
    product: t.field({
      type: Product,
      authScopes: { 'product.read': true },
      nullable: true,
      description: 'The product (Get Product, deduplicated and cached); null if unreadable.',
      resolve: async (row) => {
        const product = await row.scope.loaders.productById.load(row.id);
        return product ? scoped(row.scope, product) : null;
      },
    }),
    gmv: t.field({ type: Money, description: 'GMV from this video.', resolve: (r) => r.gmv }),
    unitsSold: t.field({
      type: 'NonNegativeInt',
      description: 'Units sold through this video.',
      resolve: (r) => r.unitsSold,
    }),
    dailyAverageBuyers: t.field({
      type: 'NonNegativeInt',
      description: 'Average buyers per day.',
      resolve: (r) => r.dailyAvgBuyers,
    }),
  }),
});

const VideoProductConnection = connectionType(VideoProduct, 'VideoProduct', 'products in a video');

Video.implement({
  description:
    'A shop video over a date range. Title, author and totals come from the video list; a ' +
    'video looked up by id has them null (TikTok has no single-video detail endpoint).',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's video id." }),
    title: t.string({
      nullable: true,
      description: 'Caption (from the video list).',
      resolve: (video) => video.row?.title ?? null,
    }),
    username: t.string({
      nullable: true,
      description: 'Account that posted it (from the video list).',
      resolve: (video) => video.row?.username ?? null,
    }),
    postTime: t.string({
      nullable: true,
      description:
        'When it was posted, "YYYY-MM-DD HH:MM:SS" in the shop\'s timezone, as TikTok sends it.',
      resolve: (video) => video.row?.videoPostTime ?? null,
    }),
    totals: t.field({
      type: VideoTotals,
      nullable: true,
      description: 'Totals over the range (from the video list).',
      resolve: (video) => video.row,
    }),
    engagement: t.field({
      type: VideoEngagement,
      nullable: true,
      description: 'Likes, shares, comments and views over the range (one cached call per video).',
      resolve: async (video) => (await performanceOf(video))?.engagement ?? null,
    }),
    performance: t.field({
      type: VideoPerformanceReport,
      nullable: true,
      description: 'Intervals over the range (same call as `engagement` when granularity is ALL).',
      args: {
        granularity: t.arg({
          type: AnalyticsGranularity,
          defaultValue: 'ALL',
          description: 'Interval size (default ALL).',
        }),
      },
      resolve: (video, args) => performanceOf(video, args.granularity ?? 'ALL'),
    }),
    products: t.field({
      type: VideoProductConnection,
      nullable: true,
      description: 'Products linked in the video, with their sales through it (cached per page).',
      args: pageArgs(t.arg),
      resolve: (video, args) =>
        fetchConnection(
          parsePageArgs('videoProducts', args),
          (position) =>
            video.scope.loaders.videoProducts(video.id, {
              range: video.range,
              ...position,
              currency: video.currency,
            }),
          (row) => scoped(video.scope, row),
        ),
    }),
  }),
});

const VideoConnection = connectionType(Video, 'Video', 'shop videos');

builder.objectField(Product, 'videos', (t) =>
  t.field({
    type: [Video],
    authScopes: { 'content.read': true },
    nullable: true,
    description:
      'Videos in the range that link this product, top GMV first. TikTok has no ' +
      "product-to-video endpoint, so this scans the shop's video list (up to " +
      `${VIDEO_SCAN_MAX_PAGES * 100} videos): one cached scan per range serves every product.`,
    args: analyticsArgs(t.arg),
    resolve: async (product, args) => {
      const range = toAnalyticsRange(args.range);
      const currency = args.currency ?? 'LOCAL';
      const rows = await product.scope.loaders.allVideos({ range, currency });
      return rows
        .filter((row) => row.products.some((linked) => linked.id === product.id))
        .map((row): VideoParent => ({ id: row.id, scope: product.scope, range, currency, row }));
    },
  }),
);

const VideoSortField = builder.enumType('VideoSortField', {
  description: 'What videos are sorted by.',
  values: {
    GMV: { value: 'gmv', description: 'Gross merchandise value.' },
    SKU_ORDERS: { value: 'sku_orders', description: 'SKU orders.' },
    UNITS_SOLD: { value: 'units_sold', description: 'Units sold.' },
    VIEWS: { value: 'views', description: 'Views.' },
    CLICK_THROUGH_RATE: { value: 'click_through_rate', description: 'Click-through rate.' },
  },
});

const VideoSort = builder.inputType('VideoSort', {
  description: 'Order of videos (default: highest GMV first).',
  fields: (t) => ({
    field: t.field({ type: VideoSortField, defaultValue: 'gmv', description: 'Key.' }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC', description: 'Direction.' }),
  }),
});

const VideoAccountType = builder.enumType('VideoAccountType', {
  description: 'Whose videos to include.',
  values: {
    ALL: { description: "Every video that sold the shop's products." },
    LINKED_ACCOUNTS: { description: "Videos from the shop's own linked accounts." },
    AFFILIATES: { description: 'Videos from affiliate creators.' },
  },
});

const LiveSales = builder.objectRef<LiveSessionShape['sales']>('LiveSales').implement({
  description: 'What a LIVE session sold.',
  fields: (t) => ({
    gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (s) => s.gmv }),
    skuOrders: t.field({
      type: 'NonNegativeInt',
      description: 'SKU orders.',
      resolve: (s) => s.skuOrders,
    }),
    unitsSold: t.field({
      type: 'NonNegativeInt',
      description: 'Units sold.',
      resolve: (s) => s.unitsSold,
    }),
    customers: t.field({
      type: 'NonNegativeInt',
      description: 'Distinct buyers.',
      resolve: (s) => s.customers,
    }),
  }),
});

const LiveInteraction = builder
  .objectRef<LiveSessionShape['interaction']>('LiveInteraction')
  .implement({
    description: 'How viewers engaged with a LIVE session.',
    fields: (t) => ({
      viewers: t.field({
        type: 'NonNegativeInt',
        description: 'Distinct viewers.',
        resolve: (i) => i.viewers,
      }),
      views: t.field({ type: 'NonNegativeInt', description: 'Views.', resolve: (i) => i.views }),
      likes: t.field({ type: 'NonNegativeInt', description: 'Likes.', resolve: (i) => i.likes }),
      comments: t.field({
        type: 'NonNegativeInt',
        description: 'Comments.',
        resolve: (i) => i.comments,
      }),
      shares: t.field({ type: 'NonNegativeInt', description: 'Shares.', resolve: (i) => i.shares }),
    }),
  });

const LiveSession = builder.objectRef<LiveSessionShape>('LiveSession').implement({
  description: 'A LIVE stream session of the shop.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's LIVE session id." }),
    title: t.exposeString('title', { description: 'Session title.' }),
    username: t.exposeString('username', { description: 'Account that streamed.' }),
    startedAt: t.field({
      type: 'DateTime',
      description: 'Start.',
      resolve: (live) => fromUnixSeconds(live.startTime),
    }),
    endedAt: t.field({
      type: 'DateTime',
      description: 'End.',
      resolve: (live) => fromUnixSeconds(live.endTime),
    }),
    sales: t.field({ type: LiveSales, description: 'What it sold.', resolve: (l) => l.sales }),
    interaction: t.field({
      type: LiveInteraction,
      description: 'Viewer engagement.',
      resolve: (live) => live.interaction,
    }),
  }),
});

const LiveSessionConnection = connectionType(LiveSession, 'LiveSession', 'LIVE sessions');

builder.queryFields((t) => ({
  videos: t.field({
    type: VideoConnection,
    authScopes: { 'content.read': true },
    nullable: true,
    description: "Videos that sold the shop's products in a date range (cached per page).",
    args: {
      ...analyticsArgs(t.arg),
      ...pageArgs(t.arg),
      sortBy: t.arg({ type: VideoSort, description: 'Order (default GMV, DESC).' }),
      accountType: t.arg({
        type: VideoAccountType,
        defaultValue: 'ALL',
        description: 'Whose videos (default ALL).',
      }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const page = parsePageArgs('videos', args);
      const range = toAnalyticsRange(args.range);
      const currency = args.currency ?? 'LOCAL';
      const scope = await resolveShopScope(ctx, args.shopId);
      return fetchConnection(
        page,
        (position) =>
          scope.loaders.videos({
            range,
            ...position,
            sortField: args.sortBy?.field ?? 'gmv',
            sortOrder: args.sortBy?.direction ?? 'DESC',
            currency,
            accountType: args.accountType ?? 'ALL',
          }),
        (row): VideoParent => ({ id: row.id, scope, range, currency, row }),
      );
    },
  }),
  video: t.field({
    type: Video,
    authScopes: { 'content.read': true },
    nullable: true,
    description: 'One video over a date range; null when TikTok does not know it.',
    args: {
      id: t.arg.id({ required: true, description: "TikTok's video id." }),
      range: t.arg({
        type: DateRangeInput,
        required: true,
        description: "Days to cover, both ends inclusive, in the shop's timezone.",
      }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const range = toAnalyticsRange(args.range);
      const scope = await resolveShopScope(ctx, args.shopId);
      const video: VideoParent = { id, scope, range, currency: 'LOCAL', row: null };
      // The performance call doubles as the existence check; engagement reuses its result.
      return (await performanceOf(video)) ? video : null;
    },
  }),
  liveSessions: t.field({
    type: LiveSessionConnection,
    authScopes: { 'content.read': true },
    nullable: true,
    description: 'LIVE sessions in a date range (cached per page).',
    args: {
      ...analyticsArgs(t.arg),
      ...pageArgs(t.arg),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const page = parsePageArgs('liveSessions', args);
      const range = toAnalyticsRange(args.range);
      const scope = await resolveShopScope(ctx, args.shopId);
      return fetchConnection(
        page,
        (position) =>
          scope.loaders.liveSessions({ range, ...position, currency: args.currency ?? 'LOCAL' }),
        (live) => live,
      );
    },
  }),
}));
