// Search Products (§6.1) and Get Product (§6.2).

import { formatCents } from '../data/money.js';
import { PRODUCT_STATUSES, type ProductRecord, type SkuRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import {
  compareIds,
  fingerprintOf,
  offsetOf,
  pageAnswer,
  paginate,
  readPageSize,
} from './pagination.js';
import { type ShopRouteHandler, shopRoutes } from './shop-route.js';
import {
  bodyEnum,
  bodyInteger,
  bodyStringArray,
  CODES,
  invalidParam,
  pathProduct,
  RouteFailure,
  readBody,
} from './validation.js';

/** Search Products cannot page past this many results (12052180). */
export const PRODUCT_SEARCH_WINDOW = 10_000;
/** Most seller_skus / sku_ids one search may filter on (12019027). */
export const MAX_SEARCH_SKUS = 10;

function skuPrice(sku: SkuRecord) {
  return {
    currency: sku.currency,
    sale_price: formatCents(sku.priceCents),
    tax_exclusive_price: formatCents(sku.taxExclusivePriceCents),
  };
}

function skuInventory(sku: SkuRecord) {
  return sku.stock.map((stock) => ({ warehouse_id: stock.warehouseId, quantity: stock.available }));
}

/** The §6.1 search shape: no description, images or categories. */
export function productSummaryToWire(product: ProductRecord) {
  return {
    id: product.id,
    title: product.title,
    status: product.status,
    skus: product.skus.map((sku) => ({
      id: sku.id,
      seller_sku: sku.sellerSku,
      price: skuPrice(sku),
      inventory: skuInventory(sku),
    })),
    sales_regions: product.salesRegions,
    create_time: product.createTime,
    update_time: product.updateTime,
  };
}

/** The §6.2 detail shape. */
export function productDetailToWire(product: ProductRecord) {
  return {
    id: product.id,
    status: product.status,
    title: product.title,
    description: product.description,
    category_chains: product.categoryChain.map((node) => ({
      id: node.id,
      parent_id: node.parentId,
      local_name: node.localName,
      is_leaf: node.isLeaf,
    })),
    ...(product.brand ? { brand: { id: product.brand.id, name: product.brand.name } } : {}),
    main_images: product.images.map((image) => ({
      uri: image.uri,
      urls: image.urls,
      width: image.width,
      height: image.height,
    })),
    package_dimensions: {
      length: String(product.packageDimensionsCm.length),
      width: String(product.packageDimensionsCm.width),
      height: String(product.packageDimensionsCm.height),
      unit: 'CENTIMETER',
    },
    package_weight: { value: (product.packageWeightGrams / 1000).toFixed(3), unit: 'KILOGRAM' },
    skus: product.skus.map((sku) => ({
      id: sku.id,
      seller_sku: sku.sellerSku,
      price: skuPrice(sku),
      inventory: skuInventory(sku),
      sales_attributes: sku.salesAttributes.map((attribute) => ({
        id: attribute.id,
        name: attribute.name,
        value_id: attribute.valueId,
        value_name: attribute.valueName,
      })),
      ...(sku.externalSkuId ? { external_sku_id: sku.externalSkuId } : {}),
    })),
    product_attributes: product.attributes,
    audit_failed_reasons: product.auditFailedReasons,
    sales_regions: product.salesRegions,
    create_time: product.createTime,
    update_time: product.updateTime,
  };
}

const SEARCH_STATUSES = ['ALL', ...PRODUCT_STATUSES] as const;

/**
 * The Search Products body fields the emulator implements, per version (§6.1, from the official
 * SDK's request models): `sku_ids` exists only from 202312 on. Any other field is refused, not
 * ignored, so a filter the host would drop cannot pass a test unnoticed.
 */
const SEARCH_FIELDS = {
  '202309': [
    'status',
    'seller_skus',
    'create_time_ge',
    'create_time_le',
    'update_time_ge',
    'update_time_le',
  ],
  '202312': [
    'status',
    'seller_skus',
    'sku_ids',
    'create_time_ge',
    'create_time_le',
    'update_time_ge',
    'update_time_le',
  ],
} as const;

/** Search Products of one version (§6.1): the same filters and answer, its own body fields. */
function searchProducts(endpoint: string, fields: readonly string[]): ShopRouteHandler {
  return (request, data) => {
    const pageSize = readPageSize(request, CODES.productPageSizeInvalid);
    const body = readBody(request);
    const unknownField = Object.keys(body).find((key) => !fields.includes(key));
    if (unknownField !== undefined) {
      throw invalidParam(
        `Invalid request body: '${unknownField}' is not a filter of this API (accepted: ${fields.join(', ')}).`,
      );
    }
    // Absent and ALL both mean every status except DELETED, which must be asked for by name.
    const status = bodyEnum(body, 'status', SEARCH_STATUSES) ?? 'ALL';
    const sellerSkus = bodyStringArray(body, 'seller_skus');
    const skuIds = bodyStringArray(body, 'sku_ids');
    for (const [key, list] of [
      ['seller_skus', sellerSkus],
      ['sku_ids', skuIds],
    ] as const) {
      if (list && list.length > MAX_SEARCH_SKUS) {
        throw new RouteFailure(
          CODES.productFilterTooManySkus,
          `Too many values in '${key}': at most ${MAX_SEARCH_SKUS} are allowed.`,
        );
      }
    }
    const createTimeGe = bodyInteger(body, 'create_time_ge');
    const createTimeLe = bodyInteger(body, 'create_time_le');
    const updateTimeGe = bodyInteger(body, 'update_time_ge');
    const updateTimeLe = bodyInteger(body, 'update_time_le');

    const sellerSkuSet = sellerSkus?.length ? new Set(sellerSkus) : null;
    const skuIdSet = skuIds?.length ? new Set(skuIds) : null;
    const matches = data.products.filter(
      (product) =>
        (status === 'ALL' ? product.status !== 'DELETED' : product.status === status) &&
        (!sellerSkuSet || product.skus.some((sku) => sellerSkuSet.has(sku.sellerSku))) &&
        (!skuIdSet || product.skus.some((sku) => skuIdSet.has(sku.id))) &&
        (createTimeGe === undefined || product.createTime >= createTimeGe) &&
        (createTimeLe === undefined || product.createTime <= createTimeLe) &&
        (updateTimeGe === undefined || product.updateTime >= updateTimeGe) &&
        (updateTimeLe === undefined || product.updateTime <= updateTimeLe),
    );
    // Newest first; create_time never changes, so pages stay stable while stock is edited.
    matches.sort((a, b) => b.createTime - a.createTime || compareIds(b, a));

    const pageRequest = {
      pageSize,
      pageToken: request.query.page_token,
      // The endpoint is part of it: a page token of one version is refused by the other.
      fingerprint: fingerprintOf(endpoint, data.shop.id, status, sellerSkus, skuIds, [
        createTimeGe,
        createTimeLe,
        updateTimeGe,
        updateTimeLe,
      ]),
    };
    if (offsetOf(pageRequest, matches.length) >= PRODUCT_SEARCH_WINDOW) {
      throw new RouteFailure(
        CODES.productSearchWindowExceeded,
        `Search results beyond the first ${PRODUCT_SEARCH_WINDOW} cannot be paged; narrow the filters.`,
      );
    }
    return pageAnswer(paginate(matches, pageRequest), 'products', productSummaryToWire);
  };
}

export function createProductRoutes(store: EmulatorStore): RouteDefinition[] {
  const route = shopRoutes(store, SCOPES.productRead);
  // Every filter is optional; with none a client sends no body (§4, §6.1).
  const optionalBody = { isBodyOptional: true };
  return [
    route(
      'product.search',
      'POST /product/202309/products/search',
      searchProducts('product.search', SEARCH_FIELDS['202309']),
      optionalBody,
    ),
    route(
      'product.search.202312',
      'POST /product/202312/products/search',
      searchProducts('product.search.202312', SEARCH_FIELDS['202312']),
      optionalBody,
    ),

    route('product.detail', 'GET /product/202309/products/:product_id', (request, data) => {
      const product = productDetailToWire(pathProduct(request, data));
      if (!request.faults.productsWithoutStatus?.includes(product.id)) return product;
      // §6.2: TikTok leaves `status` out for some sellers.
      const { status: _status, ...withoutStatus } = product;
      return withoutStatus;
    }),
  ];
}
