// The emulator's seeded store: sellers, shops and (built lazily, per shop) everything in them.
// Same seed + same UTC day of creation → identical data.

import { buildShopAnalytics, type ShopAnalytics } from './data/analytics.js';
import { DAY_SECONDS, dayOfMs } from './data/dates.js';
import { generateOrders } from './data/generate-orders.js';
import { generateCatalog, HISTORY_DAYS, makeCipher, makeShopCode } from './data/generate-shop.js';
import { createRng, hashInts } from './data/prng.js';
import type { OrderRecord, ShopData } from './data/records.js';
import type { StoreDirectory, StoreSeller, StoreShop } from './route-types.js';

export type { SalesFact, SalesTotals, ShopAnalytics, ShopTotals } from './data/analytics.js';
export { BASE_VOLUMES, HISTORY_DAYS } from './data/generate-shop.js';
export type * from './data/records.js';
export { ORDER_STATUSES, PRODUCT_STATUSES } from './data/records.js';

export interface CreateStoreOptions {
  /** Same seed (and same UTC day) → same data. */
  seed: number;
  /** Multiplies product / order / video / LIVE counts (1 = 500 / 5 000 / 100 / 20 per shop). */
  scale: number;
  /** Emulator clock, ms since the epoch. History ends at the UTC midnight starting its day. */
  now: () => number;
}

export interface EmulatorStore extends StoreDirectory {
  readonly seed: number;
  readonly scale: number;
  /** UTC midnight (Unix seconds) of the day the store was created; generated history ends here. */
  readonly dataEndSeconds: number;
  /** Emulator clock, ms since the epoch. */
  now(): number;
  shopById(shopId: string): StoreShop | undefined;
  /** Everything in one shop, generated on first use. Throws for an unknown shop id. */
  shopData(shopId: string): ShopData;
}

const SELLER_BRANDS = [
  'Maple & Moss',
  'Juniper Lane',
  'Copper Finch',
  'Bluebell Supply',
  'Harbor & Hive',
  'Wren Goods',
] as const;

interface ShopSpec {
  sellerIndex: number;
  region: string;
  sellerType: StoreShop['sellerType'];
  currency: string;
  cipherPrefix: 'ROW_' | 'GCP_';
  codePrefix: string;
  nameSuffix: string;
  warehouseCount: number;
}

/** sellers[0] owns a US local shop and a GB cross-border shop; sellers[1] owns one US shop. */
const SHOP_SPECS: readonly ShopSpec[] = [
  {
    sellerIndex: 0,
    region: 'US',
    sellerType: 'LOCAL',
    currency: 'USD',
    cipherPrefix: 'ROW_',
    codePrefix: 'USLC',
    nameSuffix: 'US',
    warehouseCount: 3,
  },
  {
    sellerIndex: 0,
    region: 'GB',
    sellerType: 'CROSS_BORDER',
    currency: 'GBP',
    cipherPrefix: 'GCP_',
    codePrefix: 'GBCB',
    nameSuffix: 'UK',
    warehouseCount: 2,
  },
  {
    sellerIndex: 1,
    region: 'US',
    sellerType: 'LOCAL',
    currency: 'USD',
    cipherPrefix: 'ROW_',
    codePrefix: 'USLC',
    nameSuffix: 'Store',
    warehouseCount: 1,
  },
];

export function createStore({ seed, scale, now }: CreateStoreOptions): EmulatorStore {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`createStore: scale must be a positive number (got ${scale})`);
  }
  const dataEndSeconds = dayOfMs(now()) * DAY_SECONDS;
  const rng = createRng(hashInts(seed, 0x5e11e5));
  const first = rng.int(0, SELLER_BRANDS.length - 1);
  const second = (first + rng.int(1, SELLER_BRANDS.length - 1)) % SELLER_BRANDS.length;
  const brands = [SELLER_BRANDS[first]!, SELLER_BRANDS[second]!];

  const sellers: StoreSeller[] = brands.map((brand) => ({
    openId: `70${rng.digits(17)}`,
    name: `${brand} Trading`,
    baseRegion: 'US',
    shopIds: [],
  }));
  const shops: StoreShop[] = SHOP_SPECS.map((spec) => {
    const seller = sellers[spec.sellerIndex]!;
    const shop: StoreShop = {
      id: `74${rng.digits(17)}`,
      name: `${brands[spec.sellerIndex]} ${spec.nameSuffix}`,
      region: spec.region,
      sellerType: spec.sellerType,
      cipher: makeCipher(rng, spec.cipherPrefix),
      code: makeShopCode(rng, spec.codePrefix),
      currency: spec.currency,
      sellerOpenId: seller.openId,
    };
    seller.shopIds.push(shop.id);
    return shop;
  });

  const cache = new Map<string, ShopData>();
  const buildShop = (shopIndex: number): ShopData => {
    const shop = shops[shopIndex]!;
    const input = {
      shop,
      shopIndex,
      seed,
      scale,
      warehouseCount: SHOP_SPECS[shopIndex]!.warehouseCount,
      dataEndSeconds,
    };
    const catalog = generateCatalog(input);
    // Orders are the bulk of the data: built on first use, as are the analytics over them.
    let orders: { list: OrderRecord[]; byId: Map<string, OrderRecord> } | null = null;
    const loadOrders = () => {
      if (!orders) {
        const list = generateOrders(input, catalog);
        orders = { list, byId: new Map(list.map((order) => [order.id, order])) };
      }
      return orders;
    };
    let analytics: ShopAnalytics | null = null;
    const endDay = dataEndSeconds / DAY_SECONDS;
    return {
      shop,
      warehouses: catalog.warehouses,
      products: catalog.products,
      productById: new Map(catalog.products.map((product) => [product.id, product])),
      skuById: new Map(
        catalog.products.flatMap((product) => product.skus.map((sku) => [sku.id, sku] as const)),
      ),
      get orders() {
        return loadOrders().list;
      },
      get orderById() {
        return loadOrders().byId;
      },
      videos: catalog.videos,
      videoById: new Map(catalog.videos.map((video) => [video.id, video])),
      lives: catalog.lives,
      liveById: new Map(catalog.lives.map((live) => [live.id, live])),
      webhooks: new Map(),
      analytics() {
        analytics ??= buildShopAnalytics({
          trafficKey: hashInts(seed, shopIndex, 0x7aff1c),
          firstDay: endDay - HISTORY_DAYS,
          endDay,
          products: catalog.products,
          orders: loadOrders().list,
        });
        return analytics;
      },
    };
  };

  return {
    seed,
    scale,
    dataEndSeconds,
    sellers,
    shops,
    now,
    shopById: (shopId) => shops.find((shop) => shop.id === shopId),
    shopData(shopId) {
      const cached = cache.get(shopId);
      if (cached) return cached;
      const index = shops.findIndex((shop) => shop.id === shopId);
      if (index < 0) throw new Error(`Unknown shop id ${shopId}`);
      const data = buildShop(index);
      cache.set(shopId, data);
      return data;
    },
  };
}
