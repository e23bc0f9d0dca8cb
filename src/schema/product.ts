// Products: search (§6.1), detail (§6.2) and SKUs. Fields only the detail carries load it lazily.
import type { ShopScope } from '../context.js';
import type {
  Brand as BrandShape,
  Category as CategoryShape,
  Product as ProductDetail,
  ProductImage as ProductImageShape,
  ProductSearchFilter,
  ProductSummary,
  SalesAttribute as SalesAttributeShape,
  Sku as SkuShape,
} from '../datasources/tiktok/types.js';
import { type BuilderTypes, builder } from './builder.js';
import {
  checkTimeWindow,
  Money,
  parseIds,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  scopedOnce,
  shopItemById,
} from './common.js';
import { connectionType, nodesOf, pageArgs, parsePageArgs, shopConnection } from './connection.js';
import { badUserInput } from './errors.js';
import { SkuInventory } from './inventory.js';
import { prefetchBelow } from './prefetch.js';
import { knownFilterValue, tiktokEnum } from './tiktok-enum.js';

export const ProductStatus = tiktokEnum<'product.status'>('ProductStatus', {
  description: 'Lifecycle status of a product (§6.1).',
  rawField: 'statusRaw',
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

/** A product from search or detail, with its shop. Detail-only fields load when asked for. */
type ProductParent = Scoped<ProductSummary>;

/** A SKU with the product and shop it belongs to, so its inventory can be batched by product. */
type SkuParent = Scoped<SkuShape & { productId: string }>;

export const Product = builder.objectRef<ProductParent>('Product');
export const Sku = builder.objectRef<SkuParent>('Sku');

// A page names the same product many times (one line item per unit): its SKUs' parents are
// built once per product parent (which scopedOnce makes once per product and request).
const skuParents = new WeakMap<object, SkuParent[]>();

function skusOf(product: Scoped<{ id: string; skus: SkuShape[] }>): SkuParent[] {
  let skus = skuParents.get(product);
  if (!skus) {
    skus = product.skus.map((sku) => ({ ...sku, productId: product.id, scope: product.scope }));
    skuParents.set(product, skus);
  }
  return skus;
}

/** The product in the scope's shop (Get Product, deduplicated and cached), or null. */
async function loadProduct(scope: ShopScope, productId: string): Promise<ProductParent | null> {
  const product = await scope.loaders.productById.load(productId);
  return product ? scopedOnce(scope, product) : null;
}

/** `Product`, for a parent that names a product of its shop. */
export const productField = <T extends { scope: ShopScope; productId: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
  description: string,
) =>
  t.field({
    type: Product,
    authScopes: { 'product.read': true },
    nullable: true,
    description,
    resolve: (parent) => loadProduct(parent.scope, parent.productId),
  });

/** `Sku`, from the product detail, for a parent that names a SKU of a product of its shop. */
export const skuField = <T extends { scope: ShopScope; productId: string; skuId: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
  description: string,
) =>
  t.field({
    type: Sku,
    authScopes: { 'product.read': true },
    nullable: true,
    description,
    resolve: async (parent) => {
      const product = await loadProduct(parent.scope, parent.productId);
      return product ? (skusOf(product).find((sku) => sku.id === parent.skuId) ?? null) : null;
    },
  });

/** What the prefetch plan needs of a product: its shop and id. */
const knownProduct = ({ scope, id }: ProductParent) => ({ scope, productId: id });

/** Search results lack description, images, categories and brand: read the detail (cached). */
const fromDetail =
  <K extends 'description' | 'images' | 'categoryPath' | 'brand'>(key: K) =>
  async (product: ProductParent): Promise<ProductDetail[K] | null> => {
    const detail =
      'description' in product
        ? (product as ProductParent & ProductDetail)
        : await product.scope.loaders.productById.load(product.id);
    return detail?.[key] ?? null;
  };

const ProductImage = builder.objectRef<ProductImageShape>('ProductImage').implement({
  description: 'A product image.',
  fields: (t) => ({
    uri: t.exposeString('uri', {
      description: "TikTok's image URI (use it when editing products).",
    }),
    urls: t.expose('urls', { type: ['URL'], description: 'Where the image can be downloaded.' }),
    width: t.expose('width', {
      type: 'NonNegativeInt',
      nullable: true,
      description: 'Width in pixels, when known.',
    }),
    height: t.expose('height', {
      type: 'NonNegativeInt',
      nullable: true,
      description: 'Height in pixels, when known.',
    }),
  }),
});

const Category = builder.objectRef<CategoryShape>('Category').implement({
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

const Brand = builder.objectRef<BrandShape>('Brand').implement({
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
    price: t.expose('price', { type: Money, description: 'Sale price.' }),
    taxExclusivePrice: t.expose('taxExclusivePrice', {
      type: Money,
      nullable: true,
      description: 'Price before tax, where TikTok reports one.',
    }),
    salesAttributes: t.expose('salesAttributes', {
      type: [SalesAttribute],
      description: 'The variant attributes that tell this SKU apart.',
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
        return stock ? scopedOnce(sku.scope, stock) : null;
      },
    }),
  }),
});

Product.implement({
  description:
    'A product. Fields marked "detail" need Get Product, which the gateway calls once per ' +
    'product and caches; the rest come with search results.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's product id (a decimal string)." }),
    title: t.exposeString('title', { description: 'Product title.' }),
    status: t.expose('status', {
      type: ProductStatus,
      description: 'Lifecycle status; UNKNOWN also when TikTok sent none (see `statusRaw`).',
    }),
    statusRaw: t.exposeString('statusRaw', {
      nullable: true,
      description:
        "TikTok's status exactly as sent: what to read when `status` is UNKNOWN. Null when " +
        'TikTok sent none (Get Product leaves it out for some sellers).',
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the product was created.',
    }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When the product last changed.',
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
      resolve: fromDetail('description'),
    }),
    images: t.field({
      type: [ProductImage],
      nullable: true,
      description: 'Main images, in display order (detail).',
      resolve: fromDetail('images'),
    }),
    categoryPath: t.field({
      type: [Category],
      nullable: true,
      description: 'The category chain the product is listed in, as TikTok lists it (detail).',
      resolve: fromDetail('categoryPath'),
    }),
    brand: t.field({
      type: Brand,
      nullable: true,
      description: 'Brand (detail); null when the product has none.',
      resolve: fromDetail('brand'),
    }),
  }),
});

const ProductConnection = connectionType(Product, 'Product', 'products');

const ProductFilter = builder.inputType('ProductFilter', {
  description: 'Narrows a product search. All conditions must hold.',
  fields: (t) => ({
    status: t.field({
      type: ProductStatus,
      description: 'Only this status (default: all; not UNKNOWN).',
    }),
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

function toProductSearchFilter(
  filter: (typeof ProductFilter)['$inferInput'] | null | undefined,
): ProductSearchFilter {
  if (!filter) return {};
  for (const name of ['created', 'updated'] as const) {
    checkTimeWindow(filter[`${name}From`], filter[`${name}To`], {
      isEndExclusive: false,
      message: `filter.${name}To is before filter.${name}From.`,
    });
  }
  if (filter.sellerSkus && filter.sellerSkus.length > MAX_SKU_FILTER) {
    throw badUserInput(`filter.sellerSkus: at most ${MAX_SKU_FILTER}.`, 'filter');
  }
  return {
    ...filter,
    status: knownFilterValue(filter.status, 'filter.status'),
    skuIds: filter.skuIds && parseIds(filter.skuIds, 'filter.skuIds', MAX_SKU_FILTER),
  };
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
    resolve: async (_root, args, ctx, info) => {
      const page = parsePageArgs('products', args);
      const filter = toProductSearchFilter(args.filter);
      const connection = await shopConnection(ctx, args.shopId, page, (loaders, position) =>
        loaders.searchProducts({ ...position, filter }),
      );
      const products = nodesOf(connection);
      prefetchBelow(ctx, info, ['edges', 'node'], products.map(knownProduct));
      return connection;
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
    resolve: async (_root, args, ctx, info) => {
      const product = await shopItemById(ctx, args, (scope, id) =>
        scope.loaders.productById.load(id),
      );
      // Once it is known to exist: its stock and warehouses together, not one after the other.
      if (product) prefetchBelow(ctx, info, [], [knownProduct(product)]);
      return product;
    },
  }),
}));
