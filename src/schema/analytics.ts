// Shop, product and SKU analytics (§6.8). All of it is shared-cached; closed ranges for longer.
import type {
  ProductPerformanceInterval as ProductPerformanceIntervalShape,
  ProductPerformanceRow,
  ShopPerformanceInterval as ShopPerformanceIntervalShape,
  ShopPerformance as ShopPerformanceShape,
  SkuPerformanceRow,
} from '../datasources/tiktok/types.js';
import {
  analyticsArgs,
  analyticsConnection,
  analyticsConnectionType,
  analyticsListArgs,
  granularityArg,
  intervalDates,
  performanceReport,
  reportFields,
  SORT_BY_DESCRIPTION,
  scopedRow,
} from './analytics-connection.js';
import { builder } from './builder.js';
import { resolveShopScope, type Scoped, SHOP_ID_DESCRIPTION, toAnalyticsRange } from './common.js';
import { nodesOf } from './connection.js';
import { exposeAmounts, exposeCounts } from './expose.js';
import { prefetchBelow } from './prefetch.js';
import { Product, productField, skuField } from './product.js';
import { sortInput } from './sort-input.js';

const ShopPerformanceInterval = builder
  .objectRef<ShopPerformanceIntervalShape>('ShopPerformanceInterval')
  .implement({
    description: 'Shop totals over one interval.',
    fields: (t) => ({
      ...intervalDates(t),
      ...exposeAmounts(t, {
        gmv: 'Gross merchandise value.',
        averageOrderValue: 'GMV per order.',
        refunds: 'Refunded amount.',
      }),
      ...exposeCounts(t, {
        orders: 'Orders.',
        skuOrders: 'SKU orders (an order with two SKUs counts twice).',
        unitsSold: 'Units sold.',
        buyers: 'Distinct buyers.',
        productImpressions: 'Times products were shown.',
        productPageViews: 'Product page views.',
      }),
    }),
  });

const ShopPerformance = builder.objectRef<ShopPerformanceShape>('ShopPerformance').implement({
  description: 'Shop performance over a date range.',
  fields: (t) => ({
    ...reportFields(t, ShopPerformanceInterval),
    comparisonIntervals: t.expose('comparisonIntervals', {
      type: [ShopPerformanceInterval],
      description: 'The same-length period just before the range; empty unless `withComparison`.',
    }),
  }),
});

const ProductPerformanceInterval = builder
  .objectRef<ProductPerformanceIntervalShape>('ProductPerformanceInterval')
  .implement({
    description: 'One product over one interval.',
    fields: (t) => ({
      ...intervalDates(t),
      ...exposeAmounts(t, { gmv: 'Gross merchandise value.' }),
      ...exposeCounts(t, {
        orders: 'Orders.',
        unitsSold: 'Units sold.',
        impressions: 'Times the product was shown.',
        pageViews: 'Product page views.',
      }),
      clickThroughRate: t.exposeString('clickThroughRate', {
        description: 'Decimal string, "0.0528" = 5.28 %.',
      }),
    }),
  });

const ProductPerformanceReport = performanceReport(
  'ProductPerformanceReport',
  'One product over a date range.',
  ProductPerformanceInterval,
);

builder.objectField(Product, 'performance', (t) =>
  t.field({
    type: ProductPerformanceReport,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description:
      'Analytics for this product (shared-cached per range); null when TikTok has none for it.',
    args: { ...analyticsArgs(t.arg), granularity: granularityArg(t.arg) },
    resolve: (product, args) =>
      product.scope.loaders.productPerformance.load({
        id: product.id,
        input: {
          range: toAnalyticsRange(product.scope, args.range),
          granularity: args.granularity ?? 'ALL',
          currency: args.currency ?? 'LOCAL',
        },
      }),
  }),
);

const ProductPerformance = builder
  .objectRef<Scoped<ProductPerformanceRow>>('ProductPerformance')
  .implement({
    description: 'Totals of one product over the requested range.',
    fields: (t) => ({
      productId: t.exposeID('productId', { description: "TikTok's product id." }),
      product: productField(
        t,
        'The product (Get Product, cached); null if it can no longer be read.',
      ),
      ...exposeAmounts(t, { gmv: 'Gross merchandise value.' }),
      ...exposeCounts(t, { orders: 'Orders.', unitsSold: 'Units sold.' }),
      clickThroughRate: t.exposeString('clickThroughRate', {
        description: 'Decimal string, "0.0528" = 5.28 %.',
      }),
    }),
  });

const SkuPerformance = builder.objectRef<Scoped<SkuPerformanceRow>>('SkuPerformance').implement({
  description: 'Totals of one SKU over the requested range.',
  fields: (t) => ({
    skuId: t.exposeID('skuId', { description: "TikTok's SKU id." }),
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    sku: skuField(t, 'The SKU, from the product detail (cached); null if it no longer exists.'),
    ...exposeAmounts(t, { gmv: 'Gross merchandise value.' }),
    ...exposeCounts(t, { skuOrders: 'Orders containing the SKU.', unitsSold: 'Units sold.' }),
  }),
});

const productPerformanceSort = sortInput('ProductPerformanceSort', {
  description: 'Order of product analytics (default: highest GMV first).',
  fieldDescription: 'What product analytics are sorted by.',
  fields: {
    GMV: { value: 'gmv', description: 'Gross merchandise value.' },
    ORDERS: { value: 'order_count', description: 'Orders.' },
    UNITS_SOLD: { value: 'unit_sold_count', description: 'Units sold.' },
    CLICK_THROUGH_RATE: { value: 'click_through_rate', description: 'Click-through rate.' },
  },
  defaultField: 'gmv',
});

const skuPerformanceSort = sortInput('SkuPerformanceSort', {
  description: 'Order of SKU analytics (default: highest GMV first).',
  fieldDescription: 'What SKU analytics are sorted by.',
  fields: {
    GMV: { value: 'gmv', description: 'Gross merchandise value.' },
    SKU_ORDERS: { value: 'sku_orders', description: 'Orders containing the SKU.' },
    UNITS_SOLD: { value: 'units_sold', description: 'Units sold.' },
  },
  defaultField: 'gmv',
});

const ProductPerformanceConnection = analyticsConnectionType(
  ProductPerformance,
  'ProductPerformance',
  'per-product analytics rows',
);
const SkuPerformanceConnection = analyticsConnectionType(
  SkuPerformance,
  'SkuPerformance',
  'per-SKU analytics rows',
);

builder.queryFields((t) => ({
  shopPerformance: t.field({
    type: ShopPerformance,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description: 'Shop KPIs over a date range (one cached call).',
    args: {
      ...analyticsArgs(t.arg),
      granularity: granularityArg(t.arg),
      withComparison: t.arg.boolean({
        defaultValue: false,
        description: 'Also return the period just before the range.',
      }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const scope = await resolveShopScope(ctx, args.shopId);
      const range = toAnalyticsRange(scope, args.range);
      return scope.loaders.shopPerformance({
        range,
        granularity: args.granularity ?? 'ALL',
        currency: args.currency ?? 'LOCAL',
        withComparison: args.withComparison ?? false,
      });
    },
  }),
  productPerformances: t.field({
    type: ProductPerformanceConnection,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description: 'Per-product totals over a date range, paged (cached per page).',
    args: {
      ...analyticsListArgs(t.arg),
      sortBy: productPerformanceSort.arg(t.arg, SORT_BY_DESCRIPTION),
    },
    resolve: async (_root, args, ctx, info) => {
      const connection = await analyticsConnection(
        ctx,
        'productPerformances',
        args,
        (loaders, input) =>
          loaders.productPerformances({ ...input, ...productPerformanceSort.of(args.sortBy) }),
        scopedRow,
      );
      prefetchBelow(ctx, info, ['edges', 'node'], nodesOf(connection));
      return connection;
    },
  }),
  skuPerformances: t.field({
    type: SkuPerformanceConnection,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description: 'Per-SKU totals over a date range, paged (cached per page).',
    args: {
      ...analyticsListArgs(t.arg),
      sortBy: skuPerformanceSort.arg(t.arg, SORT_BY_DESCRIPTION),
    },
    resolve: async (_root, args, ctx, info) => {
      const connection = await analyticsConnection(
        ctx,
        'skuPerformances',
        args,
        (loaders, input) =>
          loaders.skuPerformances({ ...input, ...skuPerformanceSort.of(args.sortBy) }),
        scopedRow,
      );
      prefetchBelow(ctx, info, ['edges', 'node'], nodesOf(connection));
      return connection;
    },
  }),
}));
