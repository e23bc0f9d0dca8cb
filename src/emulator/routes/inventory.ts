// Inventory Search (§6.3) and Update Inventory (§6.4). Updates write the SKU's stock in the store,
// so later inventory searches and product reads show the new quantities; a SKU whose stock drops
// into a lower status band raises INVENTORY_STATUS_CHANGE (type 27, §8).

import { hasDropped, inventoryStatusData, inventoryStatusOf } from '../changes/inventory-status.js';
import type { RaiseEvent } from '../changes/shop-events.js';
import type { ProductRecord, SkuRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import { EVENT_TYPE } from '../webhooks/event-types.js';
import { shopRoutes } from './shop-route.js';
import {
  bodyStringArray,
  CODES,
  invalidParam,
  isDecimalId,
  isRecord,
  pathProduct,
  RouteFailure,
  readBody,
  shownId,
} from './validation.js';

/** The id lists Inventory Search takes (§6.3): how many ids each allows, and the code for more. */
const SEARCH_ID_LISTS = {
  sku_ids: { max: 600, tooManyCode: CODES.inventoryTooManySkus },
  product_ids: { max: 100, tooManyCode: CODES.inventoryTooManyProducts },
} as const;

/** Highest quantity Update Inventory accepts (§6.4: 0 to 99 999). */
const MAX_INVENTORY_QUANTITY = 99_999;

function skuInventoryToWire(sku: SkuRecord) {
  let available = 0;
  let committed = 0;
  for (const stock of sku.stock) {
    available += stock.available;
    committed += stock.committed;
  }
  return {
    id: sku.id,
    seller_sku: sku.sellerSku,
    total_available_quantity: available,
    total_committed_quantity: committed,
    warehouse_inventory: sku.stock.map((stock) => ({
      warehouse_id: stock.warehouseId,
      available_quantity: stock.available,
      committed_quantity: stock.committed,
    })),
  };
}

/** The distinct ids of one list, once their count and shape are checked. */
function checkIds(ids: string[], key: keyof typeof SEARCH_ID_LISTS): string[] {
  const { max, tooManyCode } = SEARCH_ID_LISTS[key];
  if (ids.length > max) {
    throw new RouteFailure(tooManyCode, `Too many '${key}': at most ${max} per call.`);
  }
  const bad = ids.find((id) => !isDecimalId(id));
  if (bad !== undefined) {
    throw new RouteFailure(
      CODES.productIdInvalid,
      `Invalid id in '${key}': ids are decimal strings.`,
    );
  }
  return [...new Set(ids)];
}

interface SkuEntry {
  id: string;
  inventory: Array<{ warehouseId: string | null; quantity: unknown }>;
}

interface WarehouseProblem {
  warehouse_id: string;
  code: number;
  message: string;
}

interface SkuProblem {
  code: number;
  message: string;
  detail: { sku_id: string; extra_errors: WarehouseProblem[] };
}

/** The body's `skus`, checked for shape only (what the product allows is checked later). */
function readSkuEntries(body: Record<string, unknown>): SkuEntry[] {
  const entries = body.skus;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw invalidParam("'skus' is required and must be a non-empty array.");
  }
  return entries.map((entry) => {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !Array.isArray(entry.inventory)) {
      throw invalidParam("Invalid 'skus': each needs an 'id' string and an 'inventory' array.");
    }
    if (entry.inventory.length === 0) {
      throw invalidParam(`Invalid 'skus': SKU ${shownId(entry.id)} has an empty 'inventory'.`);
    }
    const inventory = entry.inventory.map((item: unknown) => {
      const warehouseId = isRecord(item) ? item.warehouse_id : undefined;
      if (
        !isRecord(item) ||
        (warehouseId !== undefined && warehouseId !== null && typeof warehouseId !== 'string')
      ) {
        throw invalidParam(
          "Invalid 'inventory': entries are objects with an optional 'warehouse_id' string.",
        );
      }
      return {
        warehouseId: typeof warehouseId === 'string' && warehouseId !== '' ? warehouseId : null,
        quantity: item.quantity,
      };
    });
    return { id: entry.id, inventory };
  });
}

/** Validates one SKU's entry; returns the quantities to write or the problem to report. */
function planSkuUpdate(
  product: ProductRecord,
  entry: SkuEntry,
): { sku: SkuRecord; writes: Map<string, number> } | SkuProblem {
  const problem = (code: number, message: string, extra: WarehouseProblem[] = []): SkuProblem => ({
    code,
    message,
    detail: { sku_id: entry.id, extra_errors: extra },
  });
  const sku = product.skus.find((candidate) => candidate.id === entry.id);
  if (!sku)
    return problem(
      CODES.skuNotInProduct,
      `SKU ${shownId(entry.id)} does not belong to product ${product.id}.`,
    );

  const writes = new Map<string, number>();
  const extra: WarehouseProblem[] = [];
  for (const item of entry.inventory) {
    let warehouseId = item.warehouseId;
    if (warehouseId === null) {
      // Omitting the warehouse is only unambiguous when the SKU is stocked in one place.
      if (sku.stock.length !== 1) {
        return problem(
          CODES.warehouseRequired,
          `SKU ${sku.id} is stocked in ${sku.stock.length} warehouses: give a warehouse_id for each.`,
        );
      }
      warehouseId = sku.stock[0]!.warehouseId;
    }
    const { quantity } = item;
    if (!sku.stock.some((stock) => stock.warehouseId === warehouseId) || writes.has(warehouseId)) {
      extra.push({
        warehouse_id: warehouseId,
        code: CODES.warehouseInvalid,
        message: writes.has(warehouseId)
          ? `Warehouse ${warehouseId} is listed twice for SKU ${sku.id}.`
          : `Warehouse ${warehouseId} does not stock SKU ${sku.id}.`,
      });
    } else if (typeof quantity === 'number' && Number.isInteger(quantity) && quantity < 0) {
      extra.push({
        warehouse_id: warehouseId,
        code: CODES.quantityNegative,
        message: `Quantity ${quantity} is negative.`,
      });
    } else if (
      typeof quantity !== 'number' ||
      !Number.isInteger(quantity) ||
      quantity > MAX_INVENTORY_QUANTITY
    ) {
      extra.push({
        warehouse_id: warehouseId,
        code: CODES.quantityInvalid,
        message: `Quantity must be an integer from 0 to ${MAX_INVENTORY_QUANTITY}.`,
      });
    } else {
      writes.set(warehouseId, quantity);
    }
  }
  if (extra.length > 0) {
    return problem(extra[0]!.code, `Inventory of SKU ${sku.id} was not updated.`, extra);
  }
  // §6.4: a SKU stocked in several warehouses must list every one of them.
  const missing = sku.stock.filter((stock) => !writes.has(stock.warehouseId));
  if (sku.stock.length > 1 && missing.length > 0) {
    return problem(
      CODES.warehouseRequired,
      `SKU ${sku.id} is stocked in ${sku.stock.length} warehouses: list every warehouse_id ` +
        `(missing ${missing.map((stock) => stock.warehouseId).join(', ')}).`,
    );
  }
  return { sku, writes };
}

export function createInventoryRoutes(store: EmulatorStore, raise: RaiseEvent): RouteDefinition[] {
  const read = shopRoutes(store, SCOPES.productRead);
  const write = shopRoutes(store, SCOPES.productWrite);
  return [
    read('inventory.search', 'POST /product/202309/inventory/search', (request, data) => {
      const body = readBody(request);
      const skuIds = bodyStringArray(body, 'sku_ids');
      const productIds = bodyStringArray(body, 'product_ids');
      const groups = new Map<string, SkuRecord[]>();

      // §6.3: when both lists are sent, sku_ids wins.
      if (skuIds?.length) {
        for (const id of checkIds(skuIds, 'sku_ids')) {
          const sku = data.skuById.get(id);
          if (!sku) continue;
          const group = groups.get(sku.productId);
          if (group) group.push(sku);
          else groups.set(sku.productId, [sku]);
        }
      } else if (productIds?.length) {
        for (const id of checkIds(productIds, 'product_ids')) {
          const product = data.productById.get(id);
          if (product) groups.set(product.id, product.skus);
        }
      } else {
        throw invalidParam("Either 'product_ids' or 'sku_ids' is required.");
      }
      return {
        inventory: [...groups].map(([productId, skus]) => ({
          product_id: productId,
          skus: skus.map(skuInventoryToWire),
        })),
      };
    }),

    write(
      'inventory.update',
      'POST /product/202309/products/:product_id/inventory/update',
      (request, data) => {
        const entries = readSkuEntries(readBody(request));
        const product = pathProduct(request, data);
        if (product.status !== 'ACTIVATE') {
          throw new RouteFailure(
            CODES.productStatusForbidsUpdate,
            `Product ${product.id} is ${product.status}; only ACTIVATE products accept inventory updates.`,
          );
        }
        const seen = new Set<string>();
        for (const entry of entries) {
          if (seen.has(entry.id)) {
            throw new RouteFailure(
              CODES.skuDuplicated,
              `SKU ${shownId(entry.id)} appears more than once.`,
            );
          }
          seen.add(entry.id);
        }

        // Each SKU is all-or-nothing; good SKUs are written even when others fail (§6.4).
        const errors: SkuProblem[] = [];
        const dropped: SkuRecord[] = [];
        let isChanged = false;
        for (const entry of entries) {
          const plan = planSkuUpdate(product, entry);
          if ('code' in plan) {
            errors.push(plan);
            continue;
          }
          const before = inventoryStatusOf(plan.sku);
          for (const stock of plan.sku.stock) {
            const quantity = plan.writes.get(stock.warehouseId);
            if (quantity !== undefined) stock.available = quantity;
          }
          if (hasDropped(before, inventoryStatusOf(plan.sku))) dropped.push(plan.sku);
          isChanged = true;
        }
        if (isChanged) {
          product.updateTime = Math.max(product.updateTime, Math.floor(request.now / 1000));
        }
        for (const sku of dropped) {
          raise(
            data.shop.id,
            EVENT_TYPE.inventoryStatusChange,
            inventoryStatusData(sku, product.updateTime),
          );
        }
        return errors.length > 0 ? { errors } : {};
      },
    ),
  ];
}
