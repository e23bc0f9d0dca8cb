// Products: search (§6.1), detail (§6.2) and SKUs. Fields only the detail carries load it lazily.
import type {
  CategoryNode,
  Product as ProductDetail,
  ProductImage as ProductImageShape,
  ProductSearchFilter,
  ProductSummary,
  SalesAttribute as SalesAttributeShape,
  Sku as SkuShape,
} from '../datasources/tiktok/types.js';
import { builder } from './builder.js';
import {
  fromUnixSeconds,
  Money,
  parseId,
  parseIds,
  resolveShopScope,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  scoped,
  toUnixSeconds,
} from './common.js';
import { connectionType, fetchConnection, pageArgs, parsePageArgs } from './connection.js';
import { badUserInput } from './errors.js';
import { SkuInventory } from './inventory.js';

export const ProductStatus = builder.enumType('ProductStatus', {
  description: 'Lifecycle status of a product (§6.1).',
  values: {
    DRAFT: { description: 'Saved as a draft, not submitted.' },
    PENDING: { description: 'Submitted and under review.' },
    FAILED: { description: 'Rejected by review.' },
    ACTIVATE: { description: 'Live and sellable.' },
    SELLER_DEACTIVATED: { description: 'Taken offline by the seller.' },
    PLATFORM_DEACTIVATED: { description: 'Taken offline by TikTok.' },
    FREEZE: { description: 'Frozen by TikTok.' },
    DELETED: { description: 'Deleted.' },
  },
});

type ProductStatusValue = (typeof ProductStatus)['$inferType'];

/** A product from search or detail, with its shop. Detail-only fields load when asked for. */
export type ProductParent = Scoped<ProductSummary>;

/** A SKU with the product and shop it belongs to, so its inventory can be batched by product. */
export type SkuParent = Scoped<SkuShape & { productId: string }>;

export const Product = builder.objectRef<ProductParent>('Product');
export const Sku = builder.objectRef<SkuParent>('Sku');

/** Search results lack description, images, categories and brand: read the detail (cached). */
async function detailOf(product: ProductParent): Promise<ProductDetail | null> {
  if ('description' in product) return product as ProductParent & ProductDetail;
  return product.scope.loaders.productById.load(product.id);
}

const ProductImage = builder.objectRef<ProductImageShape>('ProductImage').implement({
  description: 'A product image.',
  fields: (t) => ({
    uri: t.exposeString('uri', {
      description: "TikTok's image URI (use it when editing products).",
    }),
    urls: t.field({
      type: ['URL'],
      description: 'Where the image can be downloaded.',
      resolve: (image) => image.urls,
    }),
    width: t.field({
      type: 'NonNegativeInt',
      nullable: true,
      description: 'Width in pixels, when known.',
      resolve: (image) => image.width,
    }),
    height: t.field({
      type: 'NonNegativeInt',
      nullable: true,
      description: 'Height in pixels, when known.',
      resolve: (image) => image.height,
    }),
  }),
});

const Category = builder.objectRef<CategoryNode>('Category').implement({
  description: 'One level of the category a product is listed in.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's category id." }),
    name: t.exposeString('name', { description: 'Category name.' }),
    parentId: t.exposeID('parentId', {
      nullable: true,
      description: 'Parent category id; null at the root.',
    }),
    isLeaf: t.exposeBoolean('isLeaf', { description: 'Whether this is the most specific level.' }),
  }),
});

const Brand = builder.objectRef<{ id: string; name: string }>('Brand').implement({
  description: 'The brand a product is sold under.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's brand id." }),
    name: t.exposeString('name', { description: 'Brand name.' }),
  }),
});

const SalesAttribute = builder.objectRef<SalesAttributeShape>('SalesAttribute').implement({
  description: 'A variant attribute of a SKU, e.g. Color = Red.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's attribute id." }),
    name: t.exposeString('name', { description: 'Attribute name, e.g. "Color".' }),
    valueId: t.exposeID('valueId', { description: "TikTok's id of the value." }),
    valueName: t.exposeString('valueName', { description: 'Value, e.g. "Red".' }),
  }),
});

Sku.implement({
  description: 'A sellable variant of a product.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's SKU id." }),
    sellerSku: t.exposeString('sellerSku', { description: "The seller's own SKU code." }),
    price: t.field({
      type: Money,
      description: 'Sale price.',
      resolve: (sku) => ({ amount: sku.price.salePrice, currency: sku.price.currency }),
    }),
    taxExclusivePrice: t.field({
      type: Money,
      nullable: true,
      description: 'Price before tax, where TikTok reports one.',
      resolve: (sku) =>
        sku.price.taxExclusivePrice === null
          ? null
          : { amount: sku.price.taxExclusivePrice, currency: sku.price.currency },
    }),
    salesAttributes: t.field({
      type: [SalesAttribute],
      description: 'The variant attributes that tell this SKU apart.',
      resolve: (sku) => sku.salesAttributes,
    }),
    externalSkuId: t.exposeString('externalSkuId', {
      nullable: true,
      description: 'Id of the SKU in an external system, if the seller set one.',
    }),
    inventory: t.field({
      type: SkuInventory,
      authScopes: { 'inventory.read': true },
      nullable: true,
      description:
        'Available and committed stock per warehouse (Inventory Search). All SKUs of all ' +
        'products in one request share batched calls of up to 100 products each.',
      resolve: async (sku) => {
        const product = await sku.scope.loaders.inventoryByProductId.load(sku.productId);
        const stock = product?.skus.find((candidate) => candidate.id === sku.id);
        return stock ? scoped(sku.scope, stock) : null;
      },
    }),
  }),
});

export function skusOf(product: Scoped<{ id: string; skus: SkuShape[] }>): SkuParent[] {
  return product.skus.map((sku) => ({ ...sku, productId: product.id, scope: product.scope }));
}

Product.implement({
  description:
    'A product. Fields marked "detail" need Get Product, which the gateway calls once per ' +
    'product and caches; the rest come with search results.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's product id (a decimal string)." }),
    title: t.exposeString('title', { description: 'Product title.' }),
    status: t.field({
      type: ProductStatus,
      description: 'Lifecycle status.',
      resolve: (product) => product.status as ProductStatusValue,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the product was created.',
      resolve: (product) => fromUnixSeconds(product.createTime),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the product last changed.',
      resolve: (product) => fromUnixSeconds(product.updateTime),
    }),
    salesRegions: t.exposeStringList('salesRegions', {
      description: 'Markets the product is sold in (region codes).',
    }),
    skus: t.field({
      type: [Sku],
      description: 'The sellable variants.',
      resolve: (product) => skusOf(product),
    }),
    description: t.string({
      nullable: true,
      description: 'Description as HTML (detail). Null if the product can no longer be read.',
      resolve: async (product) => (await detailOf(product))?.description ?? null,
    }),
    images: t.field({
      type: [ProductImage],
      nullable: true,
      description: 'Main images, in display order (detail).',
      resolve: async (product) => (await detailOf(product))?.mainImages ?? null,
    }),
    categoryPath: t.field({
      type: [Category],
      nullable: true,
      description: 'The category chain the product is listed in, as TikTok lists it (detail).',
      resolve: async (product) => (await detailOf(product))?.categoryChains ?? null,
    }),
    brand: t.field({
      type: Brand,
      nullable: true,
      description: 'Brand (detail); null when the product has none.',
      resolve: async (product) => (await detailOf(product))?.brand ?? null,
    }),
  }),
});

const ProductConnection = connectionType(Product, 'Product', 'products');

const ProductFilter = builder.inputType('ProductFilter', {
  description: 'Narrows a product search. All conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: ProductStatus, description: 'Only this status (default: all).' }),
    sellerSkus: t.stringList({ description: 'Only products with one of these seller SKUs (≤10).' }),
    skuIds: t.idList({ description: 'Only products with one of these SKU ids (≤10).' }),
    createdFrom: t.field({ type: 'DateTime', description: 'Created at or after (inclusive).' }),
    createdTo: t.field({ type: 'DateTime', description: 'Created at or before (inclusive).' }),
    updatedFrom: t.field({ type: 'DateTime', description: 'Updated at or after (inclusive).' }),
    updatedTo: t.field({ type: 'DateTime', description: 'Updated at or before (inclusive).' }),
  }),
});

/** Product Search takes at most 10 seller SKUs or SKU ids (§6.1). */
const MAX_SKU_FILTER = 10;

function toProductSearchFilter(filter: (typeof ProductFilter)['$inferInput'] | null | undefined) {
  const result: ProductSearchFilter = {};
  if (!filter) return result;
  const checkRange = (from: Date | null | undefined, to: Date | null | undefined, name: string) => {
    if (from && to && to.getTime() < from.getTime()) {
      throw badUserInput(`filter.${name}To is before filter.${name}From.`, 'filter');
    }
  };
  checkRange(filter.createdFrom, filter.createdTo, 'created');
  checkRange(filter.updatedFrom, filter.updatedTo, 'updated');
  if (filter.status) result.status = filter.status;
  if (filter.sellerSkus) {
    if (filter.sellerSkus.length > MAX_SKU_FILTER) {
      throw badUserInput(`filter.sellerSkus: at most ${MAX_SKU_FILTER}.`, 'filter');
    }
    result.sellerSkus = filter.sellerSkus;
  }
  if (filter.skuIds) result.skuIds = parseIds(filter.skuIds, 'filter.skuIds', MAX_SKU_FILTER);
  if (filter.createdFrom) result.createTimeGe = toUnixSeconds(filter.createdFrom);
  if (filter.createdTo) result.createTimeLe = toUnixSeconds(filter.createdTo);
  if (filter.updatedFrom) result.updateTimeGe = toUnixSeconds(filter.updatedFrom);
  if (filter.updatedTo) result.updateTimeLe = toUnixSeconds(filter.updatedTo);
  return result;
}

builder.queryFields((t) => ({
  products: t.field({
    type: ProductConnection,
    authScopes: { 'product.read': true },
    nullable: true,
    description: 'Products of the shop, newest first, as Search Products returns them.',
    args: {
      ...pageArgs(t.arg),
      filter: t.arg({ type: ProductFilter, description: 'Conditions the products must meet.' }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const page = parsePageArgs('products', args);
      const filter = toProductSearchFilter(args.filter);
      const scope = await resolveShopScope(ctx, args.shopId);
      return fetchConnection(
        page,
        (position) => scope.loaders.searchProducts({ ...position, filter }),
        (product) => scoped(scope, product),
      );
    },
  }),
  product: t.field({
    type: Product,
    authScopes: { 'product.read': true },
    nullable: true,
    description: 'One product by id; null when the shop has no such product.',
    args: {
      id: t.arg.id({ required: true, description: "TikTok's product id." }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const id = parseId(args.id, 'id');
      const scope = await resolveShopScope(ctx, args.shopId);
      const product = await scope.loaders.productById.load(id);
      return product ? scoped(scope, product) : null;
    },
  }),
}));
