// Generates a shop's 90-day order history from its catalog. Kept apart from the catalog so the
// store can build it only when an order or analytics route first needs it.

import { REGIONS, WORDS } from './catalog.js';
import { DAY_SECONDS } from './dates.js';
import {
  BASE_VOLUMES,
  createIdMaker,
  createProductPicker,
  type GeneratedCatalog,
  type GenerateShopInput,
  HISTORY_DAYS,
  scaledCount,
  streamOf,
} from './generate-shop.js';
import { joinDigits, type Rng } from './prng.js';
import {
  type LineItemRecord,
  ORDER_STATUSES,
  type OrderRecord,
  type OrderStatus,
  type ProductRecord,
  type RecipientRecord,
  SALES_SOURCES,
} from './records.js';

const HOUR = 3600;
/** Relative weights of SALES_SOURCES. */
const SOURCE_WEIGHTS = [12, 25, 63];
const ITEM_COUNT_WEIGHTS = [55, 25, 12, 8];

/** Status mix by order age: recent orders are still moving, old ones have settled. */
const STATUS_MIX_BY_AGE: ReadonlyArray<{ maxAgeDays: number; weights: number[] }> = [
  {
    maxAgeDays: 1,
    weights: mix({
      UNPAID: 10,
      ON_HOLD: 8,
      AWAITING_SHIPMENT: 40,
      PARTIALLY_SHIPPING: 4,
      AWAITING_COLLECTION: 15,
      IN_TRANSIT: 15,
      CANCELLED: 8,
    }),
  },
  {
    maxAgeDays: 3,
    weights: mix({
      UNPAID: 2,
      ON_HOLD: 3,
      AWAITING_SHIPMENT: 25,
      PARTIALLY_SHIPPING: 5,
      AWAITING_COLLECTION: 15,
      IN_TRANSIT: 36,
      DELIVERED: 5,
      CANCELLED: 9,
    }),
  },
  {
    maxAgeDays: 10,
    weights: mix({
      AWAITING_SHIPMENT: 3,
      PARTIALLY_SHIPPING: 1,
      IN_TRANSIT: 25,
      DELIVERED: 46,
      COMPLETED: 15,
      CANCELLED: 10,
    }),
  },
  {
    maxAgeDays: Number.POSITIVE_INFINITY,
    weights: mix({ DELIVERED: 12, COMPLETED: 78, CANCELLED: 10 }),
  },
];

function mix(weights: Partial<Record<OrderStatus, number>>): number[] {
  return ORDER_STATUSES.map((name) => weights[name] ?? 0);
}

/** How long after payment (or creation) an order in each status was last updated. */
const UPDATE_DELAY_SECONDS: Readonly<Record<OrderStatus, readonly [number, number]>> = {
  UNPAID: [0, 300],
  ON_HOLD: [0, HOUR],
  AWAITING_SHIPMENT: [0, 6 * HOUR],
  PARTIALLY_SHIPPING: [2 * HOUR, 36 * HOUR],
  AWAITING_COLLECTION: [2 * HOUR, 36 * HOUR],
  IN_TRANSIT: [DAY_SECONDS, 3 * DAY_SECONDS],
  DELIVERED: [3 * DAY_SECONDS, 7 * DAY_SECONDS],
  COMPLETED: [8 * DAY_SECONDS, 15 * DAY_SECONDS],
  CANCELLED: [0, 2 * DAY_SECONDS],
};

const SHIPPED_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
]);

function generateRecipient(region: string, rng: Rng): RecipientRecord {
  const places = REGIONS[region] ?? REGIONS.US!;
  const { city, state, postalCode } = rng.pick(places.places);
  const addressDetail = `${rng.int(1, 9999)} ${rng.pick(WORDS.streets)}`;
  return {
    name: `${rng.pick(WORDS.firstNames)} ${rng.pick(WORDS.lastNames)}`,
    phoneNumber: `${places.phonePrefix}${rng.digits(3)}*****${rng.digits(2)}`,
    fullAddress: `${addressDetail}, ${city}, ${state} ${postalCode}`,
    addressDetail,
    postalCode,
    regionCode: region,
  };
}

/**
 * Orders over the HISTORY_DAYS days before data end, sorted by create_time. Each order is
 * attributed to a LIVE session (created during it, products from it), a video (created after
 * posting, products from it) or a product card (any product, weighted by popularity).
 */
export function generateOrders(input: GenerateShopInput, catalog: GeneratedCatalog): OrderRecord[] {
  const rng = streamOf(input, 6);
  const makeId = createIdMaker(input.seed, input.shopIndex, streamOf(input, 7));
  const count = scaledCount(BASE_VOLUMES.orders, input.scale);
  const end = input.dataEndSeconds;
  const span = HISTORY_DAYS * DAY_SECONDS;
  const start = end - span;
  const { videos, lives, warehouses } = catalog;
  const productById = new Map(catalog.products.map((product) => [product.id, product]));
  const picker = createProductPicker(catalog.products);
  const poolOf = (ids: string[]) => ids.map((id) => productById.get(id)!);
  const videoPools = videos.map((video) => poolOf(video.productIds));
  const livePools = lives.map((live) => poolOf(live.productIds));
  const videoCumulative = new Float64Array(videos.length);
  videos.forEach((video, index) => {
    videoCumulative[index] = (index > 0 ? videoCumulative[index - 1]! : 0) + video.firstDayViews;
  });

  // Pass 1: when, what status and which source; typed arrays keep this pass allocation-free.
  const createTimes = new Float64Array(count);
  const statusIndexes = new Uint8Array(count);
  const sourceIndexes = new Uint8Array(count);
  const contentIndexes = new Int32Array(count).fill(-1);
  for (let k = 0; k < count; k++) {
    if (k < ORDER_STATUSES.length) {
      // The first nine cover every status (recent orders, where each status is plausible).
      sourceIndexes[k] = 2;
      createTimes[k] = end - rng.int(600, 2 * DAY_SECONDS);
      statusIndexes[k] = k;
      continue;
    }
    const source = rng.weightedIndex(SOURCE_WEIGHTS);
    let createTime: number;
    if (source === 0) {
      const liveIndex = rng.int(0, lives.length - 1);
      const live = lives[liveIndex]!;
      contentIndexes[k] = liveIndex;
      createTime = live.startTime + rng.int(0, live.endTime - live.startTime - 1);
    } else if (source === 1) {
      const videoIndex = rng.cumulativeIndex(videoCumulative);
      const postTime = videos[videoIndex]!.postTime;
      contentIndexes[k] = videoIndex;
      // Sales decay after posting (exponential, mean three days).
      const offset = Math.floor(-Math.log(1 - rng.next()) * 3 * DAY_SECONDS);
      createTime =
        postTime + offset < end ? postTime + offset : postTime + rng.int(0, end - 1 - postTime);
    } else {
      // Half uniform, half weighted towards recent days: a shop that is growing.
      const roll = rng.next();
      const position = rng.chance(0.5) ? roll : Math.sqrt(roll);
      createTime = start + Math.min(span - 1, Math.floor(position * span));
    }
    const ageDays = (end - createTime) / DAY_SECONDS;
    const statusMix = STATUS_MIX_BY_AGE.find((band) => ageDays < band.maxAgeDays)!;
    createTimes[k] = createTime;
    sourceIndexes[k] = source;
    statusIndexes[k] = rng.weightedIndex(statusMix.weights);
  }
  const sorted = Uint32Array.from({ length: count }, (_, k) => k).sort(
    (a, b) => createTimes[a]! - createTimes[b]! || a - b,
  );

  // Pass 2: the records, oldest first, so ids grow with time like TikTok's.
  const buyerCount = Math.max(1, Math.round(count * 0.45));
  const buyers: Array<{ userId: string; recipient: RecipientRecord } | undefined> = [];
  const defaultWarehouse = warehouses.find((warehouse) => warehouse.isDefault) ?? warehouses[0]!;
  const isGbp = input.shop.currency === 'GBP';
  const orders: OrderRecord[] = new Array(count);
  for (let position = 0; position < count; position++) {
    const k = sorted[position]!;
    const createTime = createTimes[k]!;
    const orderStatus = ORDER_STATUSES[statusIndexes[k]!]!;
    const source = SALES_SOURCES[sourceIndexes[k]!]!;
    const contentIndex = contentIndexes[k]!;
    const pool: ProductRecord[] | null =
      source === 'LIVE'
        ? livePools[contentIndex]!
        : source === 'VIDEO'
          ? videoPools[contentIndex]!
          : null;

    const isUnpaid = orderStatus === 'UNPAID' || (orderStatus === 'CANCELLED' && rng.chance(0.3));
    const clampTime = (value: number) => Math.max(createTime, Math.min(end - 1, value));
    const paidTime = isUnpaid ? null : clampTime(createTime + rng.int(30, 900));
    const [delayMin, delayMax] = UPDATE_DELAY_SECONDS[orderStatus];
    const updateTime = clampTime((paidTime ?? createTime) + rng.int(delayMin, delayMax));

    // Repeat buyers: low buyer indexes come up more often. A buyer keeps one address.
    const buyerIndex = Math.floor(buyerCount * rng.next() ** 1.5);
    let buyer = buyers[buyerIndex];
    if (!buyer) {
      buyer = {
        userId: joinDigits(BigInt(700 + (input.shopIndex % 10)), rng.int(0, 10 ** 15 - 1), 16),
        recipient: generateRecipient(input.shop.region, rng),
      };
      buyers[buyerIndex] = buyer;
    }

    let itemCount = rng.weightedIndex(ITEM_COUNT_WEIGHTS) + 1;
    if (orderStatus === 'PARTIALLY_SHIPPING') itemCount = Math.max(2, itemCount);
    const shippedCount =
      orderStatus === 'PARTIALLY_SHIPPING'
        ? Math.ceil(itemCount / 2)
        : SHIPPED_STATUSES.has(orderStatus)
          ? itemCount
          : 0;
    const packages: Array<{ id: string }> = [];
    if (shippedCount > 0) {
      packages.push({ id: makeId('11', 4) });
      if (orderStatus !== 'PARTIALLY_SHIPPING' && shippedCount >= 3 && rng.chance(0.2)) {
        packages.push({ id: makeId('11', 4) });
      }
    }
    const orderId = makeId('57', 6);
    const lineItems: LineItemRecord[] = [];
    let subTotalCents = 0;
    for (let index = 0; index < itemCount; index++) {
      const product = pool ? rng.pick(pool) : picker.pick(rng);
      const sku = rng.pick(product.skus);
      const salePriceCents = rng.chance(0.12) ? Math.round(sku.priceCents * 0.9) : sku.priceCents;
      subTotalCents += salePriceCents;
      const isShipped = index < shippedCount;
      const packageIndex = packages.length > 1 && index >= Math.ceil(shippedCount / 2) ? 1 : 0;
      lineItems.push({
        id: makeId('57', 7),
        productId: product.id,
        skuId: sku.id,
        sellerSku: sku.sellerSku,
        originalPriceCents: sku.priceCents,
        salePriceCents,
        // Line items have no PARTIALLY_SHIPPING state: each is shipped or not.
        displayStatus:
          orderStatus === 'PARTIALLY_SHIPPING'
            ? isShipped
              ? 'IN_TRANSIT'
              : 'AWAITING_SHIPMENT'
            : orderStatus,
        packageId: isShipped ? packages[packageIndex]!.id : null,
      });
    }

    const shippingFeeCents = subTotalCents >= 3500 ? 0 : isGbp ? 399 : rng.pick([499, 599]);
    const sellerDiscountCents = rng.chance(0.2) ? Math.round(subTotalCents * 0.1) : 0;
    const platformDiscountCents = rng.chance(0.1)
      ? Math.min(500, Math.round(subTotalCents * 0.05))
      : 0;
    // US sales tax is added on top; GB prices already include VAT.
    const taxCents = isGbp
      ? 0
      : Math.round(
          (subTotalCents - sellerDiscountCents - platformDiscountCents) *
            (0.06 + rng.int(0, 35) / 1000),
        );

    orders[position] = {
      id: orderId,
      status: orderStatus,
      createTime,
      updateTime,
      paidTime,
      userId: buyer.userId,
      shippingType: rng.chance(0.75) ? 'TIKTOK' : 'SELLER',
      warehouseId: rng.chance(0.7) ? defaultWarehouse.id : rng.pick(warehouses).id,
      currency: input.shop.currency,
      subTotalCents,
      shippingFeeCents,
      sellerDiscountCents,
      platformDiscountCents,
      taxCents,
      totalCents:
        subTotalCents + shippingFeeCents - sellerDiscountCents - platformDiscountCents + taxCents,
      recipient: buyer.recipient,
      lineItems,
      packages,
      isBuyerRequestCancel:
        (orderStatus === 'AWAITING_SHIPMENT' || orderStatus === 'ON_HOLD') && rng.chance(0.05),
      cancelReason: orderStatus === 'CANCELLED' ? rng.pick(WORDS.cancelReasons) : null,
      buyerMessage: rng.chance(0.08) ? 'Please pack carefully, it is a gift.' : '',
      source,
      contentId:
        source === 'LIVE'
          ? lives[contentIndex]!.id
          : source === 'VIDEO'
            ? videos[contentIndex]!.id
            : null,
    };
  }
  return orders;
}
