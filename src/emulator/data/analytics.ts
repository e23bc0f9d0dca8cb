// Analytics derived from the generated orders, so every number a route reports adds up.
// Sales metrics come from orders (shop timezone = UTC); traffic numbers (impressions, page views,
// video views) are deterministic hashes of (shop, item, day), nudged up by that day's sales.

import { DAY_SECONDS, dayOfSeconds } from './dates.js';
import { unitHash } from './prng.js';
import type { OrderRecord, ProductRecord, SalesSource, VideoRecord } from './records.js';

/** Share of impressions / page views credited to each source in the breakdowns. */
const TRAFFIC_SHARE: Readonly<Record<SalesSource, number>> = {
  LIVE: 0.15,
  VIDEO: 0.35,
  PRODUCT_CARD: 0.5,
};
/** Unique visitors per page view, for the avg_*_visitors fields. */
const VISITORS_PER_PAGE_VIEW = 0.62;
/** Extra impressions and page views every unit sold brings on its day. */
const IMPRESSIONS_PER_UNIT = 20;
const PAGE_VIEWS_PER_UNIT = 3;
/** Daily decay of a video's views after posting. */
const VIDEO_VIEW_DECAY = 0.72;

/** One unit sold: a line item, with its order's time, buyer and attribution. */
export interface SalesFact {
  order: OrderRecord;
  productId: string;
  skuId: string;
  priceCents: number;
}

/** Sums over a set of line items. */
export interface SalesTotals {
  gmvCents: number;
  units: number;
  orders: number;
  skuOrders: number;
  buyers: number;
}

export interface ShopTotals {
  /** Sum of order total_amount. */
  gmvCents: number;
  gmvBySource: Record<SalesSource, number>;
  orders: number;
  skuOrders: number;
  units: number;
  buyers: number;
  buyersBySource: Record<SalesSource, number>;
  impressions: number;
  pageViews: number;
  /** Total of paid orders that were cancelled. */
  refundsCents: number;
  /** Line items of cancelled orders. */
  cancelledUnits: number;
}

export interface ShopAnalytics {
  /** First day (days since epoch) with history. */
  readonly firstDay: number;
  /** Exclusive end of history: the UTC day the store was created. */
  readonly endDay: number;
  shopTotals(startDay: number, endDay: number): ShopTotals;
  /** Line items whose order was created in [startDay, endDay), oldest first. */
  facts(startDay: number, endDay: number): SalesFact[];
  productFacts(productId: string, startDay: number, endDay: number): SalesFact[];
  skuFacts(skuId: string, startDay: number, endDay: number): SalesFact[];
  /** Line items attributed to a video or LIVE session. */
  contentFacts(contentId: string, startDay: number, endDay: number): SalesFact[];
  /** Impressions and page views of one product over [startDay, endDay). */
  productTraffic(
    product: ProductRecord,
    startDay: number,
    endDay: number,
  ): { impressions: number; pageViews: number };
  videoViews(video: VideoRecord, startDay: number, endDay: number): number;
  /** Views since posting, up to the end of history. */
  videoTotalViews(video: VideoRecord): number;
}

export function totalsOf(facts: readonly SalesFact[]): SalesTotals {
  let gmvCents = 0;
  const orders = new Set<string>();
  const skuOrders = new Set<string>();
  const buyers = new Set<string>();
  for (const fact of facts) {
    gmvCents += fact.priceCents;
    orders.add(fact.order.id);
    skuOrders.add(`${fact.order.id}:${fact.skuId}`);
    buyers.add(fact.order.userId);
  }
  return {
    gmvCents,
    units: facts.length,
    orders: orders.size,
    skuOrders: skuOrders.size,
    buyers: buyers.size,
  };
}

/** Splits a traffic number over the three sources (integers that add up to `total`). */
export function splitTraffic(total: number): Record<SalesSource, number> {
  const live = Math.floor(total * TRAFFIC_SHARE.LIVE);
  const video = Math.floor(total * TRAFFIC_SHARE.VIDEO);
  return { LIVE: live, VIDEO: video, PRODUCT_CARD: total - live - video };
}

export function visitorsPerDay(pageViews: number, days: number): number {
  return days > 0 ? Math.floor((pageViews * VISITORS_PER_PAGE_VIEW) / days) : 0;
}

/** Index of the first element whose time is >= `time` (elements sorted by time). */
function lowerBound<T>(items: readonly T[], time: number, timeOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeOf(items[mid]!) < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sliceByDays<T>(
  items: readonly T[],
  startDay: number,
  endDay: number,
  timeOf: (item: T) => number,
): T[] {
  if (endDay <= startDay) return [];
  const from = lowerBound(items, startDay * DAY_SECONDS, timeOf);
  const to = lowerBound(items, endDay * DAY_SECONDS, timeOf);
  return items.slice(from, to);
}

/** Distinct SKUs in one order (an order has at most a handful of line items). */
function distinctSkuCount(order: OrderRecord): number {
  let count = 0;
  const items = order.lineItems;
  for (let i = 0; i < items.length; i++) {
    let isFirst = true;
    for (let j = 0; j < i; j++) {
      if (items[j]!.skuId === items[i]!.skuId) {
        isFirst = false;
        break;
      }
    }
    if (isFirst) count++;
  }
  return count;
}

const factTime = (fact: SalesFact) => fact.order.createTime;
const orderTime = (order: OrderRecord) => order.createTime;

export interface BuildAnalyticsInput {
  /** Mixed into every traffic hash so shops (and seeds) differ. */
  trafficKey: number;
  firstDay: number;
  endDay: number;
  products: readonly ProductRecord[];
  /** Sorted by create_time ascending. */
  orders: readonly OrderRecord[];
}

export function buildShopAnalytics(input: BuildAnalyticsInput): ShopAnalytics {
  const { firstDay, endDay, trafficKey, orders } = input;
  const dayCount = endDay - firstDay;
  const facts: SalesFact[] = [];
  const byProduct = new Map<string, SalesFact[]>();
  const bySku = new Map<string, SalesFact[]>();
  const byContent = new Map<string, SalesFact[]>();
  const push = (map: Map<string, SalesFact[]>, key: string, fact: SalesFact) => {
    const list = map.get(key);
    if (list) list.push(fact);
    else map.set(key, [fact]);
  };

  // Daily buckets for the additive shop metrics.
  const gmv = new Float64Array(dayCount);
  const gmvBySource = {
    LIVE: new Float64Array(dayCount),
    VIDEO: new Float64Array(dayCount),
    PRODUCT_CARD: new Float64Array(dayCount),
  };
  const orderCount = new Int32Array(dayCount);
  const skuOrderCount = new Int32Array(dayCount);
  const units = new Int32Array(dayCount);
  const refunds = new Float64Array(dayCount);
  const cancelledUnits = new Int32Array(dayCount);

  for (const order of orders) {
    const slot = dayOfSeconds(order.createTime) - firstDay;
    const inWindow = slot >= 0 && slot < dayCount;
    if (inWindow) {
      gmv[slot]! += order.totalCents;
      gmvBySource[order.source][slot]! += order.totalCents;
      orderCount[slot]! += 1;
      skuOrderCount[slot]! += distinctSkuCount(order);
      units[slot]! += order.lineItems.length;
      if (order.status === 'CANCELLED') {
        cancelledUnits[slot]! += order.lineItems.length;
        if (order.paidTime !== null) refunds[slot]! += order.totalCents;
      }
    }
    for (const item of order.lineItems) {
      const fact: SalesFact = {
        order,
        productId: item.productId,
        skuId: item.skuId,
        priceCents: item.salePriceCents,
      };
      facts.push(fact);
      push(byProduct, item.productId, fact);
      push(bySku, item.skuId, fact);
      if (order.contentId) push(byContent, order.contentId, fact);
    }
  }

  // Best sellers get more traffic: weight 31 for the top product, flattening towards 1.
  const trafficWeights = new Float64Array(input.products.length);
  for (const product of input.products) {
    trafficWeights[product.ordinal] =
      product.popularity > 0 ? 1 + 30 / product.popularity ** 0.6 : 0;
  }
  const baseImpressions = (product: ProductRecord, day: number) =>
    Math.floor(
      trafficWeights[product.ordinal]! * (60 + 40 * unitHash(trafficKey, product.ordinal, day, 1)),
    );
  const basePageViews = (product: ProductRecord, impressions: number, day: number) =>
    Math.floor(impressions * (0.03 + 0.07 * unitHash(trafficKey, product.ordinal, day, 2)));
  // Products never on sale (DRAFT, PENDING, FAILED) have no traffic.
  const listed = input.products.filter((product) => product.popularity > 0);
  const productTrafficDays = (product: ProductRecord, startDay: number, stopDay: number) => {
    let impressions = 0;
    let pageViews = 0;
    const from = Math.max(startDay, firstDay, dayOfSeconds(product.createTime));
    const to = Math.min(stopDay, endDay);
    if (product.popularity === 0) return { impressions, pageViews };
    for (let day = from; day < to; day++) {
      const dayImpressions = baseImpressions(product, day);
      impressions += dayImpressions;
      pageViews += basePageViews(product, dayImpressions, day);
    }
    return { impressions, pageViews };
  };

  const impressions = new Float64Array(dayCount);
  const pageViews = new Float64Array(dayCount);
  for (const product of listed) {
    const from = Math.max(firstDay, dayOfSeconds(product.createTime));
    for (let day = from; day < endDay; day++) {
      const dayImpressions = baseImpressions(product, day);
      impressions[day - firstDay]! += dayImpressions;
      pageViews[day - firstDay]! += basePageViews(product, dayImpressions, day);
    }
  }
  for (let slot = 0; slot < dayCount; slot++) {
    impressions[slot]! += IMPRESSIONS_PER_UNIT * units[slot]!;
    pageViews[slot]! += PAGE_VIEWS_PER_UNIT * units[slot]!;
  }

  const videoKey = (video: VideoRecord) => Number(video.id.slice(-9));
  const videoViews = (video: VideoRecord, startDay: number, stopDay: number) => {
    const postDay = dayOfSeconds(video.postTime);
    const from = Math.max(startDay, postDay);
    const to = Math.min(stopDay, endDay);
    let views = 0;
    for (let day = from; day < to; day++) {
      const decay = VIDEO_VIEW_DECAY ** (day - postDay);
      const jitter = 0.8 + 0.4 * unitHash(trafficKey, videoKey(video), day, 3);
      views += Math.floor(video.firstDayViews * decay * jitter);
    }
    return views;
  };

  const sumDays = (array: Float64Array | Int32Array, startDay: number, stopDay: number) => {
    let total = 0;
    const from = Math.max(startDay, firstDay) - firstDay;
    const to = Math.min(stopDay, endDay) - firstDay;
    for (let slot = from; slot < to; slot++) total += array[slot]!;
    return total;
  };

  return {
    firstDay,
    endDay,
    shopTotals(startDay, stopDay) {
      const buyers = new Set<string>();
      const buyersBySource = {
        LIVE: new Set<string>(),
        VIDEO: new Set<string>(),
        PRODUCT_CARD: new Set<string>(),
      };
      for (const order of sliceByDays(orders, startDay, stopDay, orderTime)) {
        buyers.add(order.userId);
        buyersBySource[order.source].add(order.userId);
      }
      return {
        gmvCents: sumDays(gmv, startDay, stopDay),
        gmvBySource: {
          LIVE: sumDays(gmvBySource.LIVE, startDay, stopDay),
          VIDEO: sumDays(gmvBySource.VIDEO, startDay, stopDay),
          PRODUCT_CARD: sumDays(gmvBySource.PRODUCT_CARD, startDay, stopDay),
        },
        orders: sumDays(orderCount, startDay, stopDay),
        skuOrders: sumDays(skuOrderCount, startDay, stopDay),
        units: sumDays(units, startDay, stopDay),
        buyers: buyers.size,
        buyersBySource: {
          LIVE: buyersBySource.LIVE.size,
          VIDEO: buyersBySource.VIDEO.size,
          PRODUCT_CARD: buyersBySource.PRODUCT_CARD.size,
        },
        impressions: sumDays(impressions, startDay, stopDay),
        pageViews: sumDays(pageViews, startDay, stopDay),
        refundsCents: sumDays(refunds, startDay, stopDay),
        cancelledUnits: sumDays(cancelledUnits, startDay, stopDay),
      };
    },
    facts: (startDay, stopDay) => sliceByDays(facts, startDay, stopDay, factTime),
    productFacts: (productId, startDay, stopDay) =>
      sliceByDays(byProduct.get(productId) ?? [], startDay, stopDay, factTime),
    skuFacts: (skuId, startDay, stopDay) =>
      sliceByDays(bySku.get(skuId) ?? [], startDay, stopDay, factTime),
    contentFacts: (contentId, startDay, stopDay) =>
      sliceByDays(byContent.get(contentId) ?? [], startDay, stopDay, factTime),
    productTraffic(product, startDay, stopDay) {
      const base = productTrafficDays(product, startDay, stopDay);
      const sold = sliceByDays(byProduct.get(product.id) ?? [], startDay, stopDay, factTime).length;
      return {
        impressions: base.impressions + IMPRESSIONS_PER_UNIT * sold,
        pageViews: base.pageViews + PAGE_VIEWS_PER_UNIT * sold,
      };
    },
    videoViews,
    videoTotalViews: (video) => videoViews(video, dayOfSeconds(video.postTime), endDay),
  };
}
