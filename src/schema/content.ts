// Content: shop videos and LIVE sessions, as the analytics endpoints report them (§6.8, §6.9).
import { VIDEO_SCAN_MAX_PAGES } from '../datasources/tiktok/loaders.js';
import type {
  LiveInteraction as LiveInteractionShape,
  LiveSales as LiveSalesShape,
  LiveSession as LiveSessionShape,
  VideoEngagement as VideoEngagementShape,
  VideoPerformanceInterval as VideoPerformanceIntervalShape,
  VideoPerformanceRow,
  VideoProductRow,
  VideoTotals as VideoTotalsShape,
} from '../datasources/tiktok/types.js';
import {
  type AnalyticsList,
  analyticsArgs,
  analyticsConnection,
  analyticsConnectionType,
  analyticsListArgs,
  granularityArg,
  intervalDates,
  listConnection,
  performanceReport,
  SORT_BY_DESCRIPTION,
  scopedRow,
} from './analytics-connection.js';
import { builder } from './builder.js';
import {
  DateRangeInput,
  parseId,
  resolveShopScope,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  toAnalyticsRange,
} from './common.js';
import { nodesOf, pageArgs, parsePageArgs } from './connection.js';
import { exposeAmounts, exposeCounts } from './expose.js';
import { prefetchBelow } from './prefetch.js';
import { Product, productField } from './product.js';
import { sortInput } from './sort-input.js';

/**
 * A video as the schema sees it: a row of the video list, or only the id when looked up alone
 * (TikTok has no single-video detail endpoint), with the shop, range and currency asked.
 */
type VideoParent = AnalyticsList & {
  id: string;
  title: string | null;
  username: string | null;
  postTime: string | null;
  totals: VideoTotalsShape | null;
};

const videoOf = (row: VideoPerformanceRow, list: AnalyticsList): VideoParent => ({
  ...row,
  ...list,
});

const Video = builder.objectRef<VideoParent>('Video');

const performanceOf = (video: VideoParent, granularity: 'ALL' | '1D' = 'ALL') =>
  video.scope.loaders.videoPerformance.load({
    id: video.id,
    input: { range: video.range, granularity, currency: video.currency },
  });

const VideoTotals = builder.objectRef<VideoTotalsShape>('VideoTotals').implement({
  description: 'Totals of a video over the requested range, as the video list reports them.',
  fields: (t) => ({
    ...exposeAmounts(t, { gmv: 'Gross merchandise value.' }),
    ...exposeCounts(t, {
      skuOrders: 'SKU orders attributed to the video.',
      unitsSold: 'Units sold.',
      views: 'Views.',
    }),
    clickThroughRate: t.exposeString('clickThroughRate', {
      description: 'Decimal string, "0.0528" = 5.28 %.',
    }),
  }),
});

const VideoEngagement = builder.objectRef<VideoEngagementShape>('VideoEngagement').implement({
  description: 'How viewers engaged with a video over the requested range.',
  fields: (t) =>
    exposeCounts(t, { likes: 'Likes.', shares: 'Shares.', comments: 'Comments.', views: 'Views.' }),
});

const VideoPerformanceInterval = builder
  .objectRef<VideoPerformanceIntervalShape>('VideoPerformanceInterval')
  .implement({
    description: 'One video over one interval.',
    fields: (t) => ({
      ...intervalDates(t),
      ...exposeAmounts(t, { gmv: 'Gross merchandise value.' }),
      clickThroughRate: t.exposeString('clickThroughRate', {
        description: 'Decimal string, "0.0528" = 5.28 %.',
      }),
      ...exposeCounts(t, { dailyAverageBuyers: 'Average buyers per day.', views: 'Views.' }),
    }),
  });

const VideoPerformanceReport = performanceReport(
  'VideoPerformanceReport',
  'One video over the requested range.',
  VideoPerformanceInterval,
);

const VideoProduct = builder.objectRef<Scoped<VideoProductRow>>('VideoProduct').implement({
  description: 'A product linked in a video, with what the video sold of it.',
  fields: (t) => ({
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    name: t.exposeString('name', { description: 'Product name as the analytics report it.' }),
    product: productField(
      t,
      'The product (Get Product, deduplicated and cached); null if unreadable.',
    ),
    ...exposeAmounts(t, { gmv: 'GMV from this video.' }),
    ...exposeCounts(t, {
      unitsSold: 'Units sold through this video.',
      dailyAverageBuyers: 'Average buyers per day.',
    }),
  }),
});

const VideoProductConnection = analyticsConnectionType(
  VideoProduct,
  'VideoProduct',
  'products in a video',
);

Video.implement({
  description:
    'A shop video over a date range. Title, author and totals come from the video list; a ' +
    'video looked up by id has them null (TikTok has no single-video detail endpoint).',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's video id." }),
    title: t.exposeString('title', {
      nullable: true,
      description: 'Caption (from the video list).',
    }),
    username: t.exposeString('username', {
      nullable: true,
      description: 'Account that posted it (from the video list).',
    }),
    postTime: t.exposeString('postTime', {
      nullable: true,
      description:
        'When it was posted, "YYYY-MM-DD HH:MM:SS" in the shop\'s timezone, as TikTok sends it.',
    }),
    totals: t.expose('totals', {
      type: VideoTotals,
      nullable: true,
      description: 'Totals over the range (from the video list).',
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
      args: { granularity: granularityArg(t.arg) },
      resolve: (video, args) => performanceOf(video, args.granularity ?? 'ALL'),
    }),
    products: t.field({
      type: VideoProductConnection,
      nullable: true,
      description: 'Products linked in the video, with their sales through it (cached per page).',
      args: pageArgs(t.arg),
      resolve: async (video, args, ctx, info) => {
        const connection = await listConnection(
          parsePageArgs('videoProducts', args),
          video,
          (loaders, input) => loaders.videoProducts(video.id, input),
          scopedRow,
        );
        prefetchBelow(ctx, info, ['edges', 'node'], nodesOf(connection));
        return connection;
      },
    }),
  }),
});

const VideoConnection = analyticsConnectionType(Video, 'Video', 'shop videos');

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
      const range = toAnalyticsRange(product.scope, args.range);
      const currency = args.currency ?? 'LOCAL';
      const rows = await product.scope.loaders.allVideos({ range, currency });
      return rows
        .filter((row) => row.products.some((linked) => linked.id === product.id))
        .map((row) => videoOf(row, { scope: product.scope, range, currency }));
    },
  }),
);

const videoSort = sortInput('VideoSort', {
  description: 'Order of videos (default: highest GMV first).',
  fieldDescription: 'What videos are sorted by.',
  fields: {
    GMV: { value: 'gmv', description: 'Gross merchandise value.' },
    SKU_ORDERS: { value: 'sku_orders', description: 'SKU orders.' },
    UNITS_SOLD: { value: 'units_sold', description: 'Units sold.' },
    VIEWS: { value: 'views', description: 'Views.' },
    CLICK_THROUGH_RATE: { value: 'click_through_rate', description: 'Click-through rate.' },
  },
  defaultField: 'gmv',
});

const VideoAccountType = builder.enumType('VideoAccountType', {
  description: 'Whose videos to include.',
  values: {
    ALL: { description: "Every video that sold the shop's products." },
    LINKED_ACCOUNTS: { description: "Videos from the shop's own linked accounts." },
    AFFILIATES: { description: 'Videos from affiliate creators.' },
  },
});

const LiveSales = builder.objectRef<LiveSalesShape>('LiveSales').implement({
  description: 'What a LIVE session sold.',
  fields: (t) => ({
    ...exposeAmounts(t, { gmv: 'Gross merchandise value.' }),
    ...exposeCounts(t, {
      skuOrders: 'SKU orders.',
      unitsSold: 'Units sold.',
      customers: 'Distinct buyers.',
    }),
  }),
});

const LiveInteraction = builder.objectRef<LiveInteractionShape>('LiveInteraction').implement({
  description: 'How viewers engaged with a LIVE session.',
  fields: (t) =>
    exposeCounts(t, {
      viewers: 'Distinct viewers.',
      views: 'Views.',
      likes: 'Likes.',
      comments: 'Comments.',
      shares: 'Shares.',
    }),
});

const LiveSession = builder.objectRef<LiveSessionShape>('LiveSession').implement({
  description: 'A LIVE stream session of the shop.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's LIVE session id." }),
    title: t.exposeString('title', { description: 'Session title.' }),
    username: t.exposeString('username', { description: 'Account that streamed.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'Start.' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', description: 'End.' }),
    sales: t.expose('sales', { type: LiveSales, description: 'What it sold.' }),
    interaction: t.expose('interaction', {
      type: LiveInteraction,
      description: 'Viewer engagement.',
    }),
  }),
});

const LiveSessionConnection = analyticsConnectionType(LiveSession, 'LiveSession', 'LIVE sessions');

builder.queryFields((t) => ({
  videos: t.field({
    type: VideoConnection,
    authScopes: { 'content.read': true },
    nullable: true,
    description: "Videos that sold the shop's products in a date range (cached per page).",
    args: {
      ...analyticsListArgs(t.arg),
      sortBy: videoSort.arg(t.arg, SORT_BY_DESCRIPTION),
      accountType: t.arg({
        type: VideoAccountType,
        defaultValue: 'ALL',
        description: 'Whose videos (default ALL).',
      }),
    },
    resolve: (_root, args, ctx) =>
      analyticsConnection(
        ctx,
        'videos',
        args,
        (loaders, input) =>
          loaders.videos({
            ...input,
            ...videoSort.of(args.sortBy),
            accountType: args.accountType ?? 'ALL',
          }),
        videoOf,
      ),
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
      const scope = await resolveShopScope(ctx, args.shopId);
      const range = toAnalyticsRange(scope, args.range);
      const video: VideoParent = {
        id,
        title: null,
        username: null,
        postTime: null,
        totals: null,
        scope,
        range,
        currency: 'LOCAL',
      };
      // The performance call doubles as the existence check; engagement reuses its result.
      return (await performanceOf(video)) ? video : null;
    },
  }),
  liveSessions: t.field({
    type: LiveSessionConnection,
    authScopes: { 'content.read': true },
    nullable: true,
    description: 'LIVE sessions in a date range (cached per page).',
    args: analyticsListArgs(t.arg),
    resolve: (_root, args, ctx) =>
      analyticsConnection(
        ctx,
        'liveSessions',
        args,
        (loaders, input) => loaders.liveSessions(input),
        (live) => live,
      ),
  }),
}));
