// Builds one shop's warehouses, products, videos and LIVE sessions from a seed.

import type { StoreShop } from '../route-types.js';
import { BRANDS, CATEGORIES, REGIONS, WORDS } from './catalog.js';
import { DAY_SECONDS } from './dates.js';
import { createRng, hashInts, joinDigits, type Rng } from './prng.js';
import {
  type LiveRecord,
  PRODUCT_STATUSES,
  type ProductRecord,
  type ProductStatus,
  type SkuRecord,
  type VideoRecord,
  type WarehouseRecord,
} from './records.js';

/** Orders, videos and LIVE sessions fall in the HISTORY_DAYS whole UTC days before data end. */
export const HISTORY_DAYS = 89;

/** Volumes at scale 1 (per shop). */
export const BASE_VOLUMES = { products: 500, orders: 5000, videos: 100, lives: 20 } as const;

export interface GenerateShopInput {
  shop: StoreShop;
  /** Position of the shop in the store; part of every id so ids never collide across shops. */
  shopIndex: number;
  seed: number;
  scale: number;
  warehouseCount: number;
  /** UTC midnight (Unix seconds) of the day the store was created; all history is before it. */
  dataEndSeconds: number;
}

const HOUR = 3600;
const SELLABLE: ReadonlySet<ProductStatus> = new Set([
  'ACTIVATE',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
]);
const HEX = '0123456789abcdef';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Volume for a scale, never below one. */
export function scaledCount(base: number, scale: number): number {
  return Math.max(1, Math.round(base * scale));
}

/**
 * 19-digit decimal ids: 2-digit prefix, kind, shop index, 5 digits of the seed, a 7-digit counter
 * and 3 random digits. The counter makes them unique; the rest makes them look like TikTok's.
 */
export function createIdMaker(seed: number, shopIndex: number, rng: Rng) {
  const seedPart = String(hashInts(seed) % 100_000).padStart(5, '0');
  const counters = new Map<string, { head: bigint; count: number }>();
  return (prefix: string, kind: number): string => {
    const key = prefix + kind;
    let counter = counters.get(key);
    if (!counter) {
      counter = { head: BigInt(`${prefix}${kind}${shopIndex % 10}${seedPart}`), count: 0 };
      counters.set(key, counter);
    }
    counter.count++;
    // 7-digit counter then 3 random digits.
    return joinDigits(counter.head, counter.count * 1000 + rng.int(0, 999), 10);
  };
}

type IdMaker = ReturnType<typeof createIdMaker>;

function generateWarehouses(
  input: GenerateShopInput,
  rng: Rng,
  makeId: IdMaker,
): WarehouseRecord[] {
  const region = REGIONS[input.shop.region] ?? REGIONS.US!;
  const sites = region.warehouseSites;
  const count = Math.max(1, Math.min(input.warehouseCount, sites.length));
  return sites.slice(0, count).map((site, index) => {
    const { city, state, postalCode } = site;
    return {
      id: makeId('70', 5),
      name: site.name,
      effectStatus: 'ENABLED',
      type: 'SALES_WAREHOUSE',
      subType: site.subType,
      isDefault: index === 0,
      address: {
        region: site.region,
        state,
        city,
        postalCode,
        fullAddress: `${site.street}, ${city}, ${state} ${postalCode}`,
        regionCode: site.regionCode,
        contactPerson: `${rng.pick(WORDS.firstNames)} ${rng.pick(WORDS.lastNames)}`,
        phoneNumber: `${region.phonePrefix}${rng.digits(10)}`,
      },
    };
  });
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

const codeCache = new Map<string, string>();
/** "5 pcs" → "5PC": short upper-case codes for seller SKUs. */
function code(text: string, length: number): string {
  const key = `${length}:${text}`;
  let value = codeCache.get(key);
  if (value === undefined) {
    value = text
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()
      .slice(0, length);
    codeCache.set(key, value);
  }
  return value;
}

function priceCents(whole: number, ending: number): number {
  return ending === 0 ? whole * 100 : whole * 100 - (100 - ending);
}

function generateProducts(
  input: GenerateShopInput,
  rng: Rng,
  makeId: IdMaker,
  warehouses: WarehouseRecord[],
): ProductRecord[] {
  const count = scaledCount(BASE_VOLUMES.products, input.scale);
  const { currency, region } = input.shop;
  const products: ProductRecord[] = [];
  for (let i = 0; i < count; i++) {
    // The first eight cover every status so even tiny scales show all of them.
    const status: ProductStatus =
      i < PRODUCT_STATUSES.length
        ? PRODUCT_STATUSES[i]!
        : rng.weighted([
            ['ACTIVATE', 80],
            ['DRAFT', 4],
            ['PENDING', 3],
            ['FAILED', 2],
            ['SELLER_DEACTIVATED', 5],
            ['PLATFORM_DEACTIVATED', 2],
            ['FREEZE', 2],
            ['DELETED', 2],
          ]);
    const category = rng.pick(CATEGORIES);
    const noun = rng.pick(category.nouns);
    const adjective = rng.pick(WORDS.adjectives);
    const material = rng.pick(WORDS.materials);
    const brand = rng.chance(0.7) ? rng.pick(BRANDS) : null;
    const title = `${brand ? `${brand.name} ` : ''}${adjective} ${material} ${noun}`;
    const productId = makeId('17', 2);
    const createTime = input.dataEndSeconds - rng.int(95 * DAY_SECONDS, 450 * DAY_SECONDS);
    const updateTime = createTime + rng.int(0, input.dataEndSeconds - 1 - createTime);

    const skuCount = Number(
      rng.weighted([
        ['1', 30],
        ['2', 25],
        ['3', 20],
        ['4', 15],
        ['5', 10],
      ]),
    );
    const hasAttributes = skuCount > 1 || rng.chance(0.5);
    const axes = hasAttributes ? category.axes : [];
    const offsets = axes.map((axis) => rng.int(0, axis.values.length - 1));
    const baseWhole = rng.int(category.priceRange.min, category.priceRange.max);
    const ending = rng.pick([99, 49, 95, 0]);
    const skus: SkuRecord[] = [];
    for (let k = 0; k < skuCount; k++) {
      // Walk the first axis fastest so the combinations are distinct.
      let stride = 1;
      const salesAttributes = axes.map((axis, axisIndex) => {
        const valueIndex = (offsets[axisIndex]! + Math.floor(k / stride)) % axis.values.length;
        stride *= axis.values.length;
        const valueName = axis.values[valueIndex]!;
        return {
          id: axis.id,
          name: axis.name,
          valueId: `70000000${String(hashInts(Number(axis.id), valueIndex)).padStart(11, '0')}`,
          valueName,
        };
      });
      const whole = baseWhole + (rng.chance(0.4) ? rng.int(0, 3) : 0);
      const price = priceCents(whole, ending);
      const stockCount = rng.int(1, Math.min(3, warehouses.length));
      const stocked = shuffle([...warehouses], rng).slice(0, stockCount);
      const valueCodes = salesAttributes.map((attribute) => code(attribute.valueName, 3));
      skus.push({
        id: makeId('17', 3),
        productId,
        sellerSku: [
          code(noun.split(' ').at(-1) ?? noun, 4),
          ...valueCodes,
          String(i).padStart(4, '0') + k,
        ]
          .filter(Boolean)
          .join('-'),
        name: salesAttributes.map((attribute) => attribute.valueName).join(', ') || 'Default',
        currency,
        priceCents: price,
        // GB prices include 20 % VAT; US prices are quoted before sales tax.
        taxExclusivePriceCents: currency === 'GBP' ? Math.round(price / 1.2) : price,
        salesAttributes,
        stock: stocked.map((warehouse) => ({
          warehouseId: warehouse.id,
          available: rng.chance(0.06) ? 0 : rng.int(1, 999),
          committed: rng.int(0, 25),
        })),
        externalSkuId: rng.chance(0.3) ? `EXT-${rng.digits(8)}` : null,
      });
    }

    const imageCount = rng.int(1, 4);
    const images = Array.from({ length: imageCount }, () => {
      const uri = `tos-maliva-i-o3syd03w52-us/${rng.chars(32, HEX)}`;
      const side = rng.pick([600, 800, 1000, 1200]);
      return {
        uri,
        urls: [`https://p16-oec.example.invalid/${uri}~tplv-o3syd03w52-origin-jpeg.jpeg`],
        width: side,
        height: side,
      };
    });
    const chain = category.chain.map(({ id, name }, index) => ({
      id,
      parentId: index === 0 ? '0' : category.chain[index - 1]!.id,
      localName: name,
      isLeaf: index === category.chain.length - 1,
    }));

    products.push({
      id: productId,
      ordinal: i,
      title,
      description:
        `<p>${title}: ${adjective.toLowerCase()} ${noun.toLowerCase()} made with ` +
        `${material.toLowerCase()} materials.</p><ul><li>Ships from ${region}</li>` +
        `<li>${skuCount} option${skuCount > 1 ? 's' : ''} available</li></ul>`,
      status,
      categoryChain: chain,
      brand: brand ? { id: brand.id, name: brand.name } : null,
      images,
      packageWeightGrams: rng.int(category.weightGrams.min, category.weightGrams.max),
      packageDimensionsCm: {
        length: rng.int(10, 60),
        width: rng.int(8, 40),
        height: rng.int(2, 30),
      },
      attributes: [
        {
          id: '100392',
          name: 'Material',
          values: [
            {
              id: String(1_000_000 + hashInts(material.length, material.charCodeAt(0))),
              name: material,
            },
          ],
        },
      ],
      auditFailedReasons:
        status === 'FAILED'
          ? [
              {
                position: 'product_title',
                reasons: ['The title contains a word that is not allowed'],
                suggestions: ['Remove the word and submit the product again'],
              },
            ]
          : [],
      skus,
      salesRegions: [region],
      createTime,
      updateTime,
      popularity: 0,
    });
  }
  // Popularity ranks (1 = best seller) over the products that were ever on sale.
  const sellable = shuffle(
    products.filter((product) => SELLABLE.has(product.status)),
    rng,
  );
  sellable.forEach((product, rank) => {
    product.popularity = rank + 1;
  });
  return products;
}

/** Picks sellable products by popularity (a Zipf-like curve). */
export function createProductPicker(products: ProductRecord[]) {
  const sellable = products
    .filter((product) => product.popularity > 0)
    .sort((a, b) => a.popularity - b.popularity);
  const cumulative: number[] = [];
  let total = 0;
  for (const product of sellable) {
    total += 1 / product.popularity ** 0.9;
    cumulative.push(total);
  }
  return {
    sellable,
    pick: (rng: Rng): ProductRecord => sellable[rng.cumulativeIndex(cumulative)]!,
  };
}

type ProductPicker = ReturnType<typeof createProductPicker>;

/** Up to `count` distinct product ids from `pick` (fewer if it keeps repeating itself). */
function pickDistinct(count: number, pick: () => ProductRecord): string[] {
  const ids = new Set<string>();
  for (let attempt = 0; ids.size < count && attempt < count * 10; attempt++) ids.add(pick().id);
  return [...ids];
}

function shopHandle(shop: StoreShop): string {
  return shop.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

/** What the video and LIVE generators share. */
interface ContentSetting {
  input: GenerateShopInput;
  makeId: IdMaker;
  picker: ProductPicker;
  /** Start of the HISTORY_DAYS window (Unix seconds). */
  historyStart: number;
  /** The shop's own account name, e.g. `maple.moss.us`. */
  handle: string;
}

function generateVideos(
  { input, makeId, picker, historyStart, handle }: ContentSetting,
  rng: Rng,
  productById: Map<string, ProductRecord>,
): VideoRecord[] {
  return Array.from({ length: scaledCount(BASE_VOLUMES.videos, input.scale) }, () => {
    const productIds = pickDistinct(rng.int(1, Math.min(3, picker.sellable.length)), () =>
      picker.pick(rng),
    );
    const isLinked = rng.chance(0.35);
    const lead = productById.get(productIds[0]!)!;
    return {
      id: makeId('73', 1),
      title: `${rng.pick(WORDS.videoHooks)} ${lead.title.split(' ').slice(-2).join(' ')} #tiktokshop`,
      username: isLinked
        ? rng.pick([handle, `${handle}.official`])
        : rng.pick(WORDS.creatorHandles),
      accountType: isLinked ? 'LINKED_ACCOUNTS' : 'AFFILIATES',
      postTime: historyStart + rng.int(0, (HISTORY_DAYS - 1) * DAY_SECONDS),
      productIds,
      firstDayViews: Math.floor(300 * 500 ** rng.next()),
      clickRate: 0.01 + rng.next() * 0.05,
      likeRate: 0.03 + rng.next() * 0.09,
      shareRate: 0.002 + rng.next() * 0.008,
      commentRate: 0.001 + rng.next() * 0.007,
    };
  });
}

function generateLives(
  { input, makeId, picker, historyStart, handle }: ContentSetting,
  rng: Rng,
): LiveRecord[] {
  return Array.from({ length: scaledCount(BASE_VOLUMES.lives, input.scale) }, () => {
    const accountType = rng.weighted([
      ['OFFICIAL_ACCOUNTS', 50],
      ['MARKETING_ACCOUNTS', 20],
      ['AFFILIATE_ACCOUNTS', 30],
    ] as const);
    const startTime = historyStart + rng.int(0, HISTORY_DAYS * DAY_SECONDS - 6 * HOUR);
    const viewers = rng.int(200, 20_000);
    const views = Math.floor(viewers * (1.2 + rng.next() * 1.3));
    const productImpressions = Math.floor(views * (0.5 + rng.next()));
    return {
      id: makeId('73', 2),
      title: `${rng.pick(WORDS.liveTitles)} | ${input.shop.name}`,
      username:
        accountType === 'AFFILIATE_ACCOUNTS'
          ? rng.pick(WORDS.creatorHandles)
          : accountType === 'OFFICIAL_ACCOUNTS'
            ? handle
            : `${handle}.deals`,
      accountType,
      startTime,
      endTime: startTime + rng.int(60, 240) * 60,
      productIds: pickDistinct(
        rng.int(Math.min(3, picker.sellable.length), Math.min(10, picker.sellable.length)),
        () => picker.pick(rng),
      ),
      viewers,
      views,
      likes: Math.floor(views * (0.5 + rng.next() * 2.5)),
      comments: Math.floor(views * (0.02 + rng.next() * 0.1)),
      shares: Math.floor(views * (0.005 + rng.next() * 0.02)),
      newFollowers: Math.floor(viewers * (0.01 + rng.next() * 0.04)),
      peakConcurrentUsers: Math.max(1, Math.floor(viewers * (0.05 + rng.next() * 0.15))),
      productImpressions,
      productClicks: Math.floor(productImpressions * (0.03 + rng.next() * 0.09)),
    };
  });
}

export interface GeneratedCatalog {
  warehouses: WarehouseRecord[];
  products: ProductRecord[];
  videos: VideoRecord[];
  lives: LiveRecord[];
}

/** The random stream `tag` of a shop. */
export const streamOf = (input: GenerateShopInput, tag: number): Rng =>
  createRng(hashInts(input.seed, input.shopIndex, tag));

/**
 * Generates a shop's warehouses, products, videos and LIVE sessions. Each part draws from its own
 * stream, so changing one generator does not shift the others.
 */
export function generateCatalog(input: GenerateShopInput): GeneratedCatalog {
  const makeId = createIdMaker(input.seed, input.shopIndex, streamOf(input, 1));
  const warehouses = generateWarehouses(input, streamOf(input, 2), makeId);
  const products = generateProducts(input, streamOf(input, 3), makeId, warehouses);
  const productById = new Map(products.map((product) => [product.id, product]));
  const content: ContentSetting = {
    input,
    makeId,
    picker: createProductPicker(products),
    historyStart: input.dataEndSeconds - HISTORY_DAYS * DAY_SECONDS,
    handle: shopHandle(input.shop),
  };
  const videos = generateVideos(content, streamOf(input, 4), productById);
  const lives = generateLives(content, streamOf(input, 5));
  return { warehouses, products, videos, lives };
}

/** Opaque-looking shop cipher (§3: ROW_… or GCP_…). */
export function makeCipher(rng: Rng, prefix: 'ROW_' | 'GCP_'): string {
  return `${prefix}${rng.chars(28, `${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz`)}`;
}

export function makeShopCode(rng: Rng, prefix: string): string {
  return `${prefix}${rng.chars(6, UPPER_ALNUM)}`;
}
