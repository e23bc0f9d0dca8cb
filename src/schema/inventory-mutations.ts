// Stock writes (§6.4): updateInventory for one product, bulkUpdateInventory across products. The
// checks, the fill-in of unlisted warehouses and the read-back live in inventory-updates.ts.
import type { ObjectFieldsShape } from '@pothos/core';
import type { GatewayContext, ShopScope } from '../context.js';
import {
  type InventorySkuOutcome,
  type InventoryUpdateDeps,
  type InventoryUpdateEntry,
  type InventoryUpdateReport,
  MAX_INVENTORY_QUANTITY,
  MAX_INVENTORY_UPDATE_ENTRIES,
  updateInventory,
  type WarehouseQuantity,
} from '../datasources/tiktok/inventory-updates.js';
import type { ProductInventory as ProductInventoryShape } from '../datasources/tiktok/types.js';
import { type BuilderTypes, builder } from './builder.js';
import { parseId, resolveShopScope, SHOP_ID_DESCRIPTION, scoped } from './common.js';
import { badUserInput, describeFailure, ErrorCodeEnum } from './errors.js';
import { ProductInventory, SkuInventory } from './inventory.js';

/** An outcome with what its fields need: the shop and the stock read back after the writes. */
type OutcomeParent = InventorySkuOutcome & {
  scope: ShopScope;
  readBack: InventoryUpdateReport['inventory'];
};

const QUANTITY_RULE = `a whole number from 0 to ${MAX_INVENTORY_QUANTITY}`;

const InventoryQuantityInput = builder.inputType('InventoryQuantityInput', {
  description: 'The absolute stock to set for one SKU in one warehouse.',
  fields: (t) => ({
    skuId: t.id({ required: true, description: "TikTok's SKU id." }),
    warehouseId: t.id({
      description:
        'Warehouse to set. May be omitted only when the SKU is stocked in one warehouse. ' +
        'Warehouses of the SKU not listed keep their current available quantity.',
    }),
    quantity: t.int({
      required: true,
      description: `Available units after the update, ${QUANTITY_RULE}. Not a delta.`,
    }),
  }),
});

const UpdateInventoryInput = builder.inputType('UpdateInventoryInput', {
  description: 'Stock levels to set for SKUs of one product.',
  fields: (t) => ({
    productId: t.id({ required: true, description: "TikTok's product id." }),
    skus: t.field({
      type: [InventoryQuantityInput],
      required: true,
      description: `SKU quantities (1 to ${MAX_INVENTORY_UPDATE_ENTRIES} entries).`,
    }),
    shopId: t.id({ description: SHOP_ID_DESCRIPTION }),
  }),
});

const BulkInventoryQuantityInput = builder.inputType('BulkInventoryQuantityInput', {
  description: 'The absolute stock to set for one SKU (of any product) in one warehouse.',
  fields: (t) => ({
    productId: t.id({ required: true, description: 'Product the SKU belongs to.' }),
    skuId: t.id({ required: true, description: "TikTok's SKU id." }),
    warehouseId: t.id({
      description:
        'Warehouse to set; may be omitted only when the SKU is stocked in one warehouse.',
    }),
    quantity: t.int({
      required: true,
      description: `Available units after the update, ${QUANTITY_RULE}.`,
    }),
  }),
});

const BulkUpdateInventoryInput = builder.inputType('BulkUpdateInventoryInput', {
  description: 'Stock levels to set across products of one shop.',
  fields: (t) => ({
    items: t.field({
      type: [BulkInventoryQuantityInput],
      required: true,
      description: `SKU quantities (1 to ${MAX_INVENTORY_UPDATE_ENTRIES} entries).`,
    }),
    shopId: t.id({ description: SHOP_ID_DESCRIPTION }),
  }),
});

const InventoryWarehouseQuantity = builder
  .objectRef<WarehouseQuantity>('InventoryWarehouseQuantity')
  .implement({
    description: 'A quantity sent to TikTok for one warehouse.',
    fields: (t) => ({
      warehouseId: t.exposeID('warehouseId', { description: "TikTok's warehouse id." }),
      quantity: t.field({
        type: 'NonNegativeInt',
        description: 'Available units set.',
        resolve: (entry) => entry.quantity,
      }),
      isFilledIn: t.exposeBoolean('isFilledIn', {
        description:
          'true when the input did not list this warehouse: TikTok needs every warehouse of a ' +
          'SKU in one update, so its current available quantity was re-sent unchanged.',
      }),
    }),
  });

const InventoryUpdateProblem = builder.interfaceRef<OutcomeParent>('InventoryUpdateProblem');
InventoryUpdateProblem.implement({
  description:
    'Why the stock of one SKU was not changed (nothing was written for that SKU), or, for ' +
    'InventoryUpdateUnconfirmed, why it is not known to have changed.',
  fields: (t) => ({
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    skuId: t.exposeID('skuId', { description: "TikTok's SKU id." }),
    message: t.string({
      description: 'What was wrong, for people.',
      resolve: (outcome) => ('message' in outcome ? outcome.message : ''),
    }),
  }),
});

type Kind = InventorySkuOutcome['kind'];
type OutcomeOf<K extends Kind> = Extract<InventorySkuOutcome, { kind: K }> & {
  scope: ShopScope;
  readBack: InventoryUpdateReport['inventory'];
};

type ProblemKind = Exclude<Kind, 'updated'>;

/**
 * One InventoryUpdateProblem variant; `kind` picks the parent shape for the type's fields, and
 * `fields` adds what the variant tells beyond the interface.
 */
function problemType<K extends ProblemKind>(
  name: string,
  _kind: K,
  description: string,
  fields?: ObjectFieldsShape<BuilderTypes, OutcomeOf<K>>,
) {
  return builder.objectRef<OutcomeOf<K>>(name).implement({
    description,
    interfaces: [InventoryUpdateProblem],
    fields: fields ?? (() => ({})),
  });
}

const InventorySkuUpdated = builder.objectRef<OutcomeOf<'updated'>>('InventorySkuUpdated');
InventorySkuUpdated.implement({
  description: 'The SKU now has the quantities sent.',
  fields: (t) => ({
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    skuId: t.exposeID('skuId', { description: "TikTok's SKU id." }),
    quantities: t.field({
      type: [InventoryWarehouseQuantity],
      description: 'What was sent, per warehouse (including warehouses filled in unchanged).',
      resolve: (outcome) => outcome.quantities,
    }),
    inventory: t.field({
      type: SkuInventory,
      nullable: true,
      description: 'Stock read back from TikTok after the update (never from a cache).',
      resolve: (outcome) => {
        const product = outcome.readBack.get(outcome.productId);
        if (product instanceof Error) throw product;
        const sku = product?.skus.find((candidate) => candidate.id === outcome.skuId);
        return sku ? scoped(outcome.scope, sku) : null;
      },
    }),
  }),
});

const QuantityRejected = problemType(
  'QuantityRejected',
  'quantity_rejected',
  `The quantity is not ${QUANTITY_RULE}, or TikTok refused it.`,
  (t) => ({
    warehouseId: t.exposeID('warehouseId', {
      nullable: true,
      description: 'The warehouse of the rejected quantity, when one was named.',
    }),
    quantity: t.exposeInt('quantity', { description: 'The quantity rejected.' }),
  }),
);

const DuplicateInventoryEntry = problemType(
  'DuplicateInventoryEntry',
  'duplicate',
  'The SKU (in the same warehouse) is listed more than once.',
  (t) => ({
    warehouseId: t.exposeID('warehouseId', {
      nullable: true,
      description: 'The repeated warehouse; null when the repeats named none.',
    }),
  }),
);

const WarehouseRequired = problemType(
  'WarehouseRequired',
  'warehouse_required',
  'The SKU is stocked in several warehouses and an entry named none.',
  (t) => ({
    warehouseIds: t.exposeIDList('warehouseIds', {
      description: 'The warehouses that stock the SKU; name one per entry.',
    }),
  }),
);

const UnknownProduct = problemType(
  'UnknownProduct',
  'unknown_product',
  'The shop has no such product.',
);

const UnknownSku = problemType(
  'UnknownSku',
  'unknown_sku',
  'The SKU does not belong to the product.',
);

const UnknownWarehouse = problemType(
  'UnknownWarehouse',
  'unknown_warehouse',
  'The warehouse does not stock the SKU.',
  (t) => ({
    // Nullable like the other problems' warehouseId, so one selection set can ask all of them.
    warehouseId: t.exposeID('warehouseId', {
      nullable: true,
      description: 'The warehouse named (always set here).',
    }),
  }),
);

const ProductNotActive = problemType(
  'ProductNotActive',
  'product_not_active',
  'Only live (ACTIVATE) products take stock updates (§6.4).',
  (t) => ({
    status: t.exposeString('status', { description: "The product's status, e.g. DRAFT." }),
  }),
);

/** `code` and `reason` of an outcome that carries the failure behind it. */
const failureFields = <T extends { error: unknown }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
) => ({
  code: t.field({
    type: ErrorCodeEnum,
    description: 'The failure, as an ErrorCode.',
    resolve: (outcome) => describeFailure(outcome.error).code,
  }),
  reason: t.string({
    description: 'Safe description of the failure (no upstream text).',
    resolve: (outcome) => describeFailure(outcome.error).message,
  }),
});

const InventoryUpdateFailed = problemType(
  'InventoryUpdateFailed',
  'failed',
  'TikTok could not be asked, refused or failed (throttled, down, token refused), and the stock ' +
    'did not change: an update whose answer was lost is read back before it is reported here. ' +
    'Repeating the same update is harmless.',
  failureFields,
);

const InventoryUpdateUnconfirmed = problemType(
  'InventoryUpdateUnconfirmed',
  'unconfirmed',
  "The quantities were sent but TikTok's answer was lost (timeout, reset, garbled answer) and no " +
    'read-back of the stock could confirm or rule out the update: TikTok may or may not have ' +
    'them. Read the stock to know; repeating the same update is harmless. `code` and `reason` ' +
    'describe the failure that lost the answer.',
  (t) => ({
    quantities: t.field({
      type: [InventoryWarehouseQuantity],
      description: 'What was sent, per warehouse (including warehouses filled in unchanged).',
      resolve: (outcome) => outcome.quantities,
    }),
    ...failureFields(t),
  }),
);

const TYPE_BY_KIND = {
  updated: InventorySkuUpdated,
  quantity_rejected: QuantityRejected,
  duplicate: DuplicateInventoryEntry,
  warehouse_required: WarehouseRequired,
  unknown_product: UnknownProduct,
  unknown_sku: UnknownSku,
  unknown_warehouse: UnknownWarehouse,
  product_not_active: ProductNotActive,
  failed: InventoryUpdateFailed,
  unconfirmed: InventoryUpdateUnconfirmed,
} as const;

const InventorySkuResult = builder.unionType('InventorySkuResult', {
  description:
    'What happened to one SKU: InventorySkuUpdated, or a problem (every problem implements ' +
    'InventoryUpdateProblem). Branch on `__typename`.',
  types: Object.values(TYPE_BY_KIND),
  resolveType: (outcome) => TYPE_BY_KIND[(outcome as OutcomeParent).kind],
});

interface PayloadParent {
  report: InventoryUpdateReport;
  scope: ShopScope;
}

const outcomesOf = (parent: PayloadParent): OutcomeParent[] =>
  parent.report.outcomes.map((outcome) => ({
    ...outcome,
    scope: parent.scope,
    readBack: parent.report.inventory,
  }));

const countOf = (parent: PayloadParent, isUpdated: boolean) =>
  parent.report.outcomes.filter((outcome) => (outcome.kind === 'updated') === isUpdated).length;

const sharedPayloadFields = <T extends PayloadParent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
) => ({
  results: t.field({
    type: [InventorySkuResult],
    description:
      'One result per SKU, in the order SKUs first appear in the input (entries of one SKU in ' +
      'several warehouses are one update).',
    resolve: (parent) => outcomesOf(parent),
  }),
  updatedCount: t.int({
    description: 'SKUs whose stock was set.',
    resolve: (parent) => countOf(parent, true),
  }),
  problemCount: t.int({
    description:
      'SKUs left unchanged because of a problem, and SKUs whose update could not be confirmed.',
    resolve: (parent) => countOf(parent, false),
  }),
});

const freshInventory = (parent: PayloadParent, productId: string) => {
  const product = parent.report.inventory.get(productId);
  if (product instanceof Error) throw product;
  return product ? scoped(parent.scope, product as ProductInventoryShape) : null;
};

const UpdateInventoryPayload = builder
  .objectRef<PayloadParent & { productId: string }>('UpdateInventoryPayload')
  .implement({
    description: 'The outcome of updateInventory.',
    fields: (t) => ({
      productId: t.exposeID('productId', { description: "TikTok's product id." }),
      ...sharedPayloadFields(t),
      inventory: t.field({
        type: ProductInventory,
        nullable: true,
        description:
          "The product's stock read back after the update (never cached); null when nothing " +
          'was sent.',
        resolve: (parent) => freshInventory(parent, parent.productId),
      }),
    }),
  });

const BulkUpdateInventoryPayload = builder
  .objectRef<PayloadParent>('BulkUpdateInventoryPayload')
  .implement({
    description: 'The outcome of bulkUpdateInventory: partial success is normal.',
    fields: (t) => ({
      ...sharedPayloadFields(t),
      inventory: t.field({
        type: [ProductInventory],
        description: 'Stock read back after the updates for every product written (never cached).',
        resolve: (parent) =>
          [...parent.report.inventory.keys()].flatMap((productId) => {
            const product = freshInventory(parent, productId);
            return product ? [product] : [];
          }),
      }),
    }),
  });

function parseEntries(
  items: ReadonlyArray<{
    productId: string | number;
    skuId: string | number;
    warehouseId?: string | number | null;
    quantity: number;
  }>,
  argumentName: string,
): InventoryUpdateEntry[] {
  if (items.length === 0 || items.length > MAX_INVENTORY_UPDATE_ENTRIES) {
    throw badUserInput(
      `${argumentName}: give 1 to ${MAX_INVENTORY_UPDATE_ENTRIES} entries.`,
      argumentName,
    );
  }
  return items.map((item, index) => ({
    productId: parseId(item.productId, `${argumentName}[${index}].productId`),
    skuId: parseId(item.skuId, `${argumentName}[${index}].skuId`),
    ...(item.warehouseId === null || item.warehouseId === undefined
      ? {}
      : { warehouseId: parseId(item.warehouseId, `${argumentName}[${index}].warehouseId`) }),
    quantity: item.quantity,
  }));
}

/** What a stock write needs: the shop's session and loaders, the write lock, the settings. */
const writeDeps = (ctx: GatewayContext, scope: ShopScope): InventoryUpdateDeps => ({
  client: ctx.client,
  shop: scope.shop,
  loaders: scope.loaders,
  writeLock: ctx.writeLock,
  config: ctx.config,
});

builder.mutationFields((t) => ({
  updateInventory: t.field({
    type: UpdateInventoryPayload,
    authScopes: { 'inventory.write': true },
    description:
      'Sets absolute available quantities for SKUs of one product (§6.4). Quantities and ' +
      'repeats are checked before any upstream call; one fresh product read checks SKUs, ' +
      'warehouses and status; warehouses of a SKU not listed keep their current quantity. SKUs ' +
      'with a problem are left unchanged and reported; the others are written. Repeating the ' +
      'same mutation is harmless.',
    args: {
      input: t.arg({ type: UpdateInventoryInput, required: true, description: 'What to set.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const productId = parseId(input.productId, 'input.productId');
      const entries = parseEntries(
        input.skus.map((sku) => ({ ...sku, productId })),
        'input.skus',
      );
      const scope = await resolveShopScope(ctx, input.shopId);
      const report = await updateInventory(writeDeps(ctx, scope), entries);
      return { report, scope, productId };
    },
  }),
  bulkUpdateInventory: t.field({
    type: BulkUpdateInventoryPayload,
    authScopes: { 'inventory.write': true },
    description:
      `Sets absolute quantities for up to ${MAX_INVENTORY_UPDATE_ENTRIES} SKUs across products ` +
      'of one shop, for internal tools: one fresh Inventory Search per 100 products checks SKUs ' +
      'and warehouses (TikTok refuses a product that is not ACTIVATE), then one update per ' +
      'product, run concurrently under the rate limiter, and one read-back per 100 products. ' +
      'Each SKU gets its own result; repeating the same mutation is harmless.',
    args: {
      input: t.arg({ type: BulkUpdateInventoryInput, required: true, description: 'What to set.' }),
    },
    resolve: async (_root, { input }, ctx) => {
      const entries = parseEntries(input.items, 'input.items');
      const scope = await resolveShopScope(ctx, input.shopId);
      const report = await updateInventory(writeDeps(ctx, scope), entries);
      return { report, scope };
    },
  }),
}));
