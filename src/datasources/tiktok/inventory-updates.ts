// Setting absolute stock (§6.4) safely: syntactic checks before any upstream call, one fresh
// product read per product for what only TikTok knows (its SKUs, their warehouses, its status),
// every warehouse of a multi-warehouse SKU sent, one update per product, the result read back.
import { TikTokShopError, TikTokShopNotFoundError } from './errors.js';
import type { Loaders } from './loaders.js';
import { stockMeaningOf } from './tiktok-codes.js';
import type {
  InventoryUpdateError,
  InventoryUpdateSku,
  Product,
  ProductInventory,
  ShopSession,
  TikTokShopClient,
} from './types.js';

/** Highest quantity Update Inventory takes (§6.4 documents 1–99 999; 0 means sold out). */
export const MAX_INVENTORY_QUANTITY = 99_999;
/** Entries accepted by one mutation: a bulk job spans products, a product rarely has 100 SKUs. */
export const MAX_INVENTORY_UPDATE_ENTRIES = 500;
/**
 * Products worked on at once by a bulk update. The client's rate limiter paces the calls; this
 * only bounds how many wait in its queue, so none waits past TIKTOK_SHOP_RATE_MAX_WAIT_MS.
 */
export const INVENTORY_UPDATE_CONCURRENCY = 8;

/** One requested quantity: a SKU, optionally one of its warehouses, and the absolute stock. */
export interface InventoryUpdateEntry {
  productId: string;
  skuId: string;
  /** Omit only when the SKU is stocked in a single warehouse. */
  warehouseId?: string;
  quantity: number;
}

export interface WarehouseQuantity {
  warehouseId: string;
  quantity: number;
  /**
   * true when the caller did not list this warehouse: §6.4 needs every warehouse of the SKU in one
   * update, so its current available quantity (from the fresh read) was sent unchanged.
   */
  isFilledIn: boolean;
}

interface OutcomeBase {
  productId: string;
  skuId: string;
}

/** What happened to one SKU. Everything but `updated` means its stock was not changed. */
export type InventorySkuOutcome =
  | (OutcomeBase & { kind: 'updated'; quantities: WarehouseQuantity[] })
  | (OutcomeBase & {
      kind: 'quantity_rejected';
      warehouseId: string | null;
      quantity: number;
      message: string;
    })
  | (OutcomeBase & { kind: 'duplicate'; warehouseId: string | null; message: string })
  | (OutcomeBase & { kind: 'warehouse_required'; warehouseIds: string[]; message: string })
  | (OutcomeBase & { kind: 'unknown_product'; message: string })
  | (OutcomeBase & { kind: 'unknown_sku'; message: string })
  | (OutcomeBase & { kind: 'unknown_warehouse'; warehouseId: string; message: string })
  | (OutcomeBase & { kind: 'product_not_active'; status: string; message: string })
  | (OutcomeBase & { kind: 'failed'; error: unknown; message: string });

export interface InventoryUpdateReport {
  /** One outcome per distinct (product, SKU), in the order the SKUs first appear in the input. */
  outcomes: InventorySkuOutcome[];
  /**
   * Stock read back after the writes (Inventory Search, never cached), for every product an
   * update was sent for: null when TikTok returned nothing, an Error when reading back failed.
   */
  inventory: Map<string, ProductInventory | null | Error>;
}

export interface InventoryUpdateDeps {
  client: Pick<TikTokShopClient, 'getProduct' | 'updateInventory' | 'searchInventory'>;
  /** The shop and its seller, as this request resolved them. */
  shop: ShopSession;
  /** This request's loaders for the shop: invalidated and primed with what was read back. */
  loaders: Pick<Loaders, 'invalidateProduct'>;
  /** Products worked on at once. Default INVENTORY_UPDATE_CONCURRENCY. */
  concurrency?: number;
}

interface SkuRequest {
  productId: string;
  skuId: string;
  entries: Array<{ warehouseId: string | undefined; quantity: number }>;
}

function groupBySku(entries: InventoryUpdateEntry[]): SkuRequest[] {
  const bySku = new Map<string, SkuRequest>();
  for (const entry of entries) {
    const key = `${entry.productId}:${entry.skuId}`;
    const request = bySku.get(key) ?? {
      productId: entry.productId,
      skuId: entry.skuId,
      entries: [],
    };
    request.entries.push({ warehouseId: entry.warehouseId, quantity: entry.quantity });
    bySku.set(key, request);
  }
  return [...bySku.values()];
}

/** Checks that need no upstream knowledge: quantity range and repeated warehouses. */
function checkSyntax(request: SkuRequest): InventorySkuOutcome | undefined {
  const { productId, skuId } = request;
  for (const { warehouseId, quantity } of request.entries) {
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_INVENTORY_QUANTITY) {
      return {
        kind: 'quantity_rejected',
        productId,
        skuId,
        warehouseId: warehouseId ?? null,
        quantity,
        message:
          `Quantity ${quantity} for SKU ${skuId}${warehouseId ? ` in warehouse ${warehouseId}` : ''} ` +
          `is not a whole number from 0 to ${MAX_INVENTORY_QUANTITY}.`,
      };
    }
  }
  const seen = new Set<string>();
  for (const { warehouseId } of request.entries) {
    const key = warehouseId ?? '';
    if (seen.has(key)) {
      return {
        kind: 'duplicate',
        productId,
        skuId,
        warehouseId: warehouseId ?? null,
        message: `SKU ${skuId} is listed more than once${warehouseId ? ` for warehouse ${warehouseId}` : ' without a warehouse'}.`,
      };
    }
    seen.add(key);
  }
  return undefined;
}

type Planned =
  | { ok: true; sku: InventoryUpdateSku; quantities: WarehouseQuantity[] }
  | { ok: false; outcome: InventorySkuOutcome };

/** Resolves warehouses against the fresh product and fills in the ones the caller left out. */
function planSku(product: Product, request: SkuRequest): Planned {
  const { productId, skuId } = request;
  const sku = product.skus.find((candidate) => candidate.id === skuId);
  if (!sku) {
    return {
      ok: false,
      outcome: {
        kind: 'unknown_sku',
        productId,
        skuId,
        message: `SKU ${skuId} does not belong to product ${productId}.`,
      },
    };
  }
  const stocked = sku.inventory.map((stock) => stock.warehouseId);
  const given = new Map<string, number>();
  for (const entry of request.entries) {
    const warehouseId =
      entry.warehouseId ?? (stocked.length === 1 ? (stocked[0] as string) : undefined);
    if (warehouseId === undefined) {
      return {
        ok: false,
        outcome: {
          kind: 'warehouse_required',
          productId,
          skuId,
          warehouseIds: stocked,
          message: `SKU ${skuId} is stocked in ${stocked.length} warehouses: give a warehouseId.`,
        },
      };
    }
    if (!stocked.includes(warehouseId)) {
      return {
        ok: false,
        outcome: {
          kind: 'unknown_warehouse',
          productId,
          skuId,
          warehouseId,
          message: `Warehouse ${warehouseId} does not stock SKU ${skuId}.`,
        },
      };
    }
    if (given.has(warehouseId)) {
      return {
        ok: false,
        outcome: {
          kind: 'duplicate',
          productId,
          skuId,
          warehouseId,
          message: `SKU ${skuId} is listed more than once for warehouse ${warehouseId}.`,
        },
      };
    }
    given.set(warehouseId, entry.quantity);
  }
  // §6.4: a SKU in several warehouses must list every one; the others keep what they have.
  const quantities: WarehouseQuantity[] = sku.inventory.map((stock) => {
    const quantity = given.get(stock.warehouseId);
    return quantity === undefined
      ? { warehouseId: stock.warehouseId, quantity: stock.quantity, isFilledIn: true }
      : { warehouseId: stock.warehouseId, quantity, isFilledIn: false };
  });
  return {
    ok: true,
    quantities,
    sku: {
      skuId,
      inventory: quantities.map(({ warehouseId, quantity }) => ({ warehouseId, quantity })),
    },
  };
}

/** The SKU an outcome is about. */
const skuOf = ({ productId, skuId }: SkuRequest): OutcomeBase => ({ productId, skuId });

function notActive(request: SkuRequest, status: string): InventorySkuOutcome {
  const message = `Product ${request.productId} is ${status}; only ACTIVATE products take stock updates.`;
  return { kind: 'product_not_active', ...skuOf(request), status, message };
}

function unknownProduct(request: SkuRequest): InventorySkuOutcome {
  const message = `Product ${request.productId} does not exist in this shop.`;
  return { kind: 'unknown_product', ...skuOf(request), message };
}

function failed(request: SkuRequest, error: unknown): InventorySkuOutcome {
  const message = `Stock of SKU ${request.skuId} was not updated.`;
  return { kind: 'failed', ...skuOf(request), error, message };
}

/** A per-SKU failure TikTok reported inside a `code: 0` answer (§6.4 `data.errors[]`). */
function fromUpstream(
  request: SkuRequest,
  planned: { quantities: WarehouseQuantity[] },
  problem: InventoryUpdateError,
  status: string,
): InventorySkuOutcome {
  const { productId, skuId } = request;
  const warehouseId = problem.warehouseErrors[0]?.warehouseId ?? null;
  const code = problem.warehouseErrors[0]?.code ?? problem.code;
  switch (stockMeaningOf(code)) {
    case 'unknown_sku':
      return {
        kind: 'unknown_sku',
        productId,
        skuId,
        message: `TikTok says SKU ${skuId} is not part of product ${productId}.`,
      };
    case 'unknown_warehouse':
      return {
        kind: 'unknown_warehouse',
        productId,
        skuId,
        warehouseId: warehouseId ?? '',
        message: `TikTok says warehouse ${warehouseId ?? '?'} does not stock SKU ${skuId}.`,
      };
    case 'warehouse_required':
      return {
        kind: 'warehouse_required',
        productId,
        skuId,
        warehouseIds: planned.quantities.map((quantity) => quantity.warehouseId),
        message: `TikTok wants every warehouse of SKU ${skuId} listed.`,
      };
    case 'quantity_rejected': {
      const quantity =
        planned.quantities.find((entry) => entry.warehouseId === warehouseId)?.quantity ?? -1;
      return {
        kind: 'quantity_rejected',
        productId,
        skuId,
        warehouseId,
        quantity,
        message: `TikTok rejected quantity ${quantity} for SKU ${skuId}.`,
      };
    }
    case 'duplicate':
      return {
        kind: 'duplicate',
        productId,
        skuId,
        warehouseId,
        message: `TikTok says SKU ${skuId} was listed more than once.`,
      };
    case 'product_not_active':
      return notActive(request, status);
    default:
      // Any other code, a missing product's included: the SKU failed with TikTok's code.
      return failed(
        request,
        new TikTokShopError(`inventory.update: SKU ${skuId} failed (TikTok code ${code})`, {
          code,
          status: 200,
          requestId: null,
          operation: 'inventory.update',
        }),
      );
  }
}

async function updateProduct(
  deps: InventoryUpdateDeps,
  productId: string,
  requests: SkuRequest[],
): Promise<{ outcomes: InventorySkuOutcome[]; isWritten: boolean }> {
  const { client, shop } = deps;
  let product: Product;
  try {
    // Fresh, not the shared cache: the check and the filled-in quantities must be current.
    product = await client.getProduct(shop, productId);
  } catch (error) {
    if (error instanceof TikTokShopNotFoundError) {
      return { outcomes: requests.map(unknownProduct), isWritten: false };
    }
    return { outcomes: requests.map((request) => failed(request, error)), isWritten: false };
  }
  // TikTok's own word, so a refusal names even a status the gateway does not know yet.
  const status = product.statusRaw ?? product.status;
  if (product.status !== 'ACTIVATE') {
    return { outcomes: requests.map((request) => notActive(request, status)), isWritten: false };
  }

  const outcomes = new Map<SkuRequest, InventorySkuOutcome>();
  const planned = new Map<
    SkuRequest,
    { sku: InventoryUpdateSku; quantities: WarehouseQuantity[] }
  >();
  for (const request of requests) {
    const plan = planSku(product, request);
    if (plan.ok) planned.set(request, plan);
    else outcomes.set(request, plan.outcome);
  }
  if (planned.size === 0) {
    return {
      outcomes: requests.map((request) => outcomes.get(request) as InventorySkuOutcome),
      isWritten: false,
    };
  }

  try {
    const result = await client.updateInventory(
      shop,
      productId,
      [...planned.values()].map((plan) => plan.sku),
    );
    const problems = new Map(result.errors.map((problem) => [problem.skuId, problem]));
    const unattributed = result.errors.find((problem) => problem.skuId === null);
    for (const [request, plan] of planned) {
      const problem = problems.get(request.skuId) ?? unattributed;
      outcomes.set(
        request,
        problem
          ? fromUpstream(request, plan, problem, status)
          : {
              kind: 'updated',
              productId,
              skuId: request.skuId,
              quantities: plan.quantities,
            },
      );
    }
  } catch (error) {
    const stock = stockMeaningOf(error instanceof TikTokShopError ? error.code : null);
    for (const request of planned.keys()) {
      outcomes.set(
        request,
        stock === 'product_not_active'
          ? notActive(request, status)
          : error instanceof TikTokShopNotFoundError
            ? unknownProduct(request)
            : failed(request, error),
      );
    }
  }
  return {
    outcomes: requests.map((request) => outcomes.get(request) as InventorySkuOutcome),
    isWritten: true,
  };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function forEachLimited<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Applies `entries` (absolute quantities) to one shop. Setting an absolute quantity twice leaves
 * the same stock, so repeating a whole call is harmless. SKUs are all-or-nothing: a SKU with a
 * problem is not sent, the others are. Entries must already have well-formed ids.
 */
export async function updateInventory(
  deps: InventoryUpdateDeps,
  entries: InventoryUpdateEntry[],
): Promise<InventoryUpdateReport> {
  const requests = groupBySku(entries);
  const outcomes = new Map<SkuRequest, InventorySkuOutcome>();
  const byProduct = new Map<string, SkuRequest[]>();
  for (const request of requests) {
    const problem = checkSyntax(request);
    if (problem) {
      outcomes.set(request, problem);
      continue;
    }
    const group = byProduct.get(request.productId) ?? [];
    group.push(request);
    byProduct.set(request.productId, group);
  }

  const written: string[] = [];
  await forEachLimited(
    [...byProduct],
    deps.concurrency ?? INVENTORY_UPDATE_CONCURRENCY,
    async ([productId, group]) => {
      const result = await updateProduct(deps, productId, group);
      group.forEach((request, index) => {
        outcomes.set(request, result.outcomes[index] as InventorySkuOutcome);
      });
      if (result.isWritten) written.push(productId);
    },
  );

  const inventory = new Map<string, ProductInventory | null | Error>();
  if (written.length > 0) {
    try {
      const fresh = await deps.client.searchInventory(deps.shop, { productIds: written });
      const byId = new Map(fresh.map((product) => [product.productId, product]));
      for (const productId of written) inventory.set(productId, byId.get(productId) ?? null);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error('Reading stock back failed');
      for (const productId of written) inventory.set(productId, failure);
    }
    for (const productId of written) {
      const fresh = inventory.get(productId);
      deps.loaders.invalidateProduct(productId, fresh instanceof Error ? undefined : fresh);
    }
  }
  return {
    outcomes: requests.map((request) => outcomes.get(request) as InventorySkuOutcome),
    inventory,
  };
}
