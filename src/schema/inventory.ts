// Inventory (§6.3) and warehouses (§6.5).
import type {
  ProductInventory as ProductInventoryShape,
  SkuInventory as SkuInventoryShape,
  WarehouseAddress as WarehouseAddressShape,
  WarehouseInventory as WarehouseInventoryShape,
  Warehouse as WarehouseShape,
} from '../datasources/tiktok/types.js';
import { builder } from './builder.js';
import {
  parseIds,
  resolveShopScope,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  scoped,
  scopedOnce,
} from './common.js';
import { badUserInput } from './errors.js';
import { exposeCounts } from './expose.js';
import { prefetchBelow } from './prefetch.js';
import { productField } from './product.js';

/** Ids accepted per `inventory` query: Inventory Search's own limits (§6.3). */
const MAX_PRODUCT_IDS = 100;
const MAX_SKU_IDS = 600;

export const Warehouse = builder.objectRef<WarehouseShape>('Warehouse');
export const SkuInventory = builder.objectRef<Scoped<SkuInventoryShape>>('SkuInventory');
const WarehouseInventory = builder.objectRef<Scoped<WarehouseInventoryShape>>('WarehouseInventory');
export const ProductInventory =
  builder.objectRef<Scoped<ProductInventoryShape>>('ProductInventory');

const WarehouseAddress = builder.objectRef<WarehouseAddressShape>('WarehouseAddress').implement({
  description: 'Where a warehouse is.',
  fields: (t) => ({
    region: t.exposeString('region', { nullable: true, description: 'Country or region name.' }),
    city: t.exposeString('city', { nullable: true, description: 'City.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code.' }),
    fullAddress: t.exposeString('fullAddress', {
      nullable: true,
      description: 'The address on one line.',
    }),
    regionCode: t.exposeString('regionCode', {
      nullable: true,
      description: 'Two-letter region code.',
    }),
  }),
});

Warehouse.implement({
  description: 'A warehouse the shop ships from or takes returns at.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's warehouse id." }),
    name: t.exposeString('name', { description: 'Warehouse name.' }),
    effectStatus: t.exposeString('effectStatus', {
      description: 'ENABLED, DISABLED or RESTRICTED.',
    }),
    type: t.exposeString('type', { description: 'SALES_WAREHOUSE or RETURN_WAREHOUSE.' }),
    subType: t.exposeString('subType', {
      nullable: true,
      description: 'Finer kind, e.g. DOMESTIC_WAREHOUSE.',
    }),
    isDefault: t.exposeBoolean('isDefault', { description: "Whether it is the shop's default." }),
    address: t.expose('address', { type: WarehouseAddress, description: 'Address.' }),
  }),
});

WarehouseInventory.implement({
  description: 'Stock of one SKU in one warehouse.',
  fields: (t) => ({
    warehouseId: t.exposeID('warehouseId', { description: "TikTok's warehouse id." }),
    warehouse: t.field({
      type: Warehouse,
      nullable: true,
      description: 'The warehouse (one cached Get Warehouses call per shop).',
      resolve: async (stock) =>
        (await stock.scope.loaders.warehouses()).find((w) => w.id === stock.warehouseId) ?? null,
    }),
    ...exposeCounts(t, {
      availableQuantity: 'Units that can be sold.',
      committedQuantity: 'Units reserved by orders not yet shipped.',
    }),
  }),
});

SkuInventory.implement({
  description: 'Stock of one SKU across warehouses.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's SKU id." }),
    sellerSku: t.exposeString('sellerSku', { description: "The seller's own SKU code." }),
    ...exposeCounts(t, {
      totalAvailableQuantity: 'Units that can be sold, all warehouses.',
      totalCommittedQuantity: 'Units reserved by unshipped orders, all warehouses.',
    }),
    warehouses: t.field({
      type: [WarehouseInventory],
      description: 'Stock per warehouse.',
      resolve: (sku) => sku.warehouses.map((stock) => scopedOnce(sku.scope, stock)),
    }),
  }),
});

ProductInventory.implement({
  description: 'Stock of one product, per SKU and per warehouse.',
  fields: (t) => ({
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    product: productField(
      t,
      'The product (Get Product, cached); null if it can no longer be read.',
    ),
    skus: t.field({
      type: [SkuInventory],
      description: 'Stock per SKU.',
      resolve: (inventory) => inventory.skus.map((sku) => scoped(inventory.scope, sku)),
    }),
  }),
});

builder.queryFields((t) => ({
  inventory: t.field({
    type: [ProductInventory],
    authScopes: { 'inventory.read': true },
    nullable: true,
    description:
      'Stock by product ids (≤100) or by SKU ids (≤600); give exactly one of the two. Ids ' +
      'TikTok returns nothing for are left out. With SKU ids, each product lists only the ' +
      'SKUs asked for.',
    args: {
      productIds: t.arg.idList({ description: 'Product ids (≤100).' }),
      skuIds: t.arg.idList({ description: 'SKU ids (≤600).' }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx, info) => {
      if ((args.productIds ? 1 : 0) + (args.skuIds ? 1 : 0) !== 1) {
        throw badUserInput('Give exactly one of productIds or skuIds.', 'productIds');
      }
      const productIds =
        args.productIds && parseIds(args.productIds, 'productIds', MAX_PRODUCT_IDS);
      const skuIds = args.skuIds && parseIds(args.skuIds, 'skuIds', MAX_SKU_IDS);
      const scope = await resolveShopScope(ctx, args.shopId);
      const found = productIds
        ? await scope.loaders.inventoryForProducts(productIds)
        : await scope.loaders.inventoryForSkus(skuIds ?? []);
      const inventories = found.map((inventory) => scoped(scope, inventory));
      prefetchBelow(ctx, info, [], inventories);
      return inventories;
    },
  }),
  warehouses: t.field({
    type: [Warehouse],
    authScopes: { 'inventory.read': true },
    nullable: true,
    description: "The shop's warehouses (cached).",
    args: { shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }) },
    resolve: async (_root, args, ctx) =>
      (await resolveShopScope(ctx, args.shopId)).loaders.warehouses(),
  }),
}));
