// Setting absolute stock (§6.4) safely: syntactic checks before any upstream call; per product, in
// its write section (write-lock.ts), one fresh unshared read for what only TikTok knows (its SKUs,
// their warehouses, its status), every warehouse of a multi-warehouse SKU sent, one update; an
// update whose answer is lost is read back rather than repeated blindly; the result read back.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../config.js';
import { mayHaveBeenApplied, TikTokShopError, TikTokShopNotFoundError } from './errors.js';
import type { Loaders } from './loaders.js';
import { stockMeaningOf } from './tiktok-codes.js';
import type {
  InventoryUpdateError,
  InventoryUpdateResult,
  InventoryUpdateSku,
  Product,
  ProductInventory,
  ShopSession,
  TikTokShopClient,
} from './types.js';
import {
  type HeldLock,
  type WriteLock,
  WriteLockUnavailableError,
  writeLockKey,
} from './write-lock.js';

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

/**
 * What happened to one SKU. `updated`: TikTok has the quantities. `unconfirmed`: they were sent,
 * the answer was lost and no read-back could tell. Every other kind: its stock was not changed.
 */
export type InventorySkuOutcome =
  | (OutcomeBase & { kind: 'updated'; quantities: WarehouseQuantity[] })
  | (OutcomeBase & {
      kind: 'unconfirmed';
      quantities: WarehouseQuantity[];
      error: unknown;
      message: string;
    })
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
  client: Pick<TikTokShopClient, 'unshared' | 'updateInventory'>;
  /** The shop and its seller, as this request resolved them. */
  shop: ShopSession;
  /** This request's loaders for the shop: invalidated and primed with what was read back. */
  loaders: Pick<Loaders, 'invalidateProduct'>;
  /** Each product's write section: in this process, or across the replicas through Redis. */
  writeLock: WriteLock;
  /**
   * `http.maxAttempts` updates per product at most; read-backs `http.retryBaseMs` apart, doubling
   * up to `http.retryMaxMs`; `inventoryWrites.settleMs` after an update whose answer was lost.
   */
  config: Pick<Config, 'http' | 'inventoryWrites'>;
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

/** What one SKU's update sends. */
interface SkuPlan {
  sku: InventoryUpdateSku;
  quantities: WarehouseQuantity[];
  /** true when some quantity differs from the fresh read: seeing it read back proves the write. */
  isChange: boolean;
}

type Planned = ({ ok: true } & SkuPlan) | { ok: false; outcome: InventorySkuOutcome };

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
    isChange: sku.inventory.some(
      (stock) => given.has(stock.warehouseId) && given.get(stock.warehouseId) !== stock.quantity,
    ),
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

function failed(
  request: SkuRequest,
  error: unknown,
  message = `Stock of SKU ${request.skuId} was not updated.`,
): InventorySkuOutcome {
  return { kind: 'failed', ...skuOf(request), error, message };
}

function unconfirmed(request: SkuRequest, plan: SkuPlan, error: unknown): InventorySkuOutcome {
  const message =
    `Stock of SKU ${request.skuId} could not be confirmed: the update was sent, its answer was ` +
    'lost and reading it back failed, so TikTok may or may not have it. Read the stock to know.';
  return { kind: 'unconfirmed', ...skuOf(request), quantities: plan.quantities, error, message };
}

const updated = (request: SkuRequest, plan: SkuPlan): InventorySkuOutcome => ({
  kind: 'updated',
  ...skuOf(request),
  quantities: plan.quantities,
});

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

/** How one product's update ended. */
type Delivery =
  /** TikTok answered: per-SKU problems, if any, are in the result. */
  | { kind: 'answered'; result: InventoryUpdateResult }
  /** TikTok refused it, or it was never sent. */
  | { kind: 'refused'; error: unknown }
  /** The answer was lost and a read-back shows the update (for the SKUs that agree with it). */
  | { kind: 'seen'; stock: ProductInventory; error: unknown }
  /** The answer was lost and TikTok still lacked the update once the settle window was over. */
  | { kind: 'not_seen'; error: unknown }
  /** The answer was lost and no read-back could tell. */
  | { kind: 'unconfirmed'; error: unknown };

type Landing = { kind: 'seen'; stock: ProductInventory } | { kind: 'not_seen' | 'unknown' };

/** true when the SKU reads back with every quantity of its plan. */
function agrees(stock: ProductInventory, plan: SkuPlan): boolean {
  const sku = stock.skus.find((candidate) => candidate.id === plan.sku.skuId);
  if (!sku) return false;
  return plan.quantities.every(
    ({ warehouseId, quantity }) =>
      sku.warehouses.find((stocked) => stocked.warehouseId === warehouseId)?.availableQuantity ===
      quantity,
  );
}

/** The product's stock now (unshared: newer than the write), undefined when it cannot be read. */
async function readStock(
  deps: InventoryUpdateDeps,
  productId: string,
): Promise<ProductInventory | undefined> {
  try {
    const [product] = await deps.client.unshared.searchInventory(deps.shop, {
      productIds: [productId],
    });
    return product;
  } catch {
    return undefined;
  }
}

/**
 * After an update whose answer was lost: reads the stock back until it shows the update (a SKU it
 * changes reads back as sent), else once more when `deadlineMs` has passed. Still inside the
 * section, so no other write can be read back instead, and none can follow before it lands.
 */
async function awaitLanding(
  deps: InventoryUpdateDeps,
  productId: string,
  plans: SkuPlan[],
  held: HeldLock,
  deadlineMs: number,
): Promise<Landing> {
  const { retryBaseMs, retryMaxMs } = deps.config.http;
  for (let poll = 0; ; poll += 1) {
    const readAtMs = performance.now();
    const stock = await readStock(deps, productId);
    if (stock && plans.some((plan) => plan.isChange && agrees(stock, plan))) {
      return { kind: 'seen', stock };
    }
    if (readAtMs >= deadlineMs) {
      if (!stock) return { kind: 'unknown' };
      // An update that changes nothing proves nothing by agreeing: it is over only now.
      return plans.every((plan) => agrees(stock, plan))
        ? { kind: 'seen', stock }
        : { kind: 'not_seen' };
    }
    if (!held.isHeld()) return { kind: 'unknown' };
    const untilDeadlineMs = Math.max(0, deadlineMs - performance.now());
    await sleep(Math.min(retryBaseMs * 2 ** poll, retryMaxMs, untilDeadlineMs));
  }
}

/**
 * Sends the update, never blindly twice: after a lost answer (a reset, a timeout, a 5xx, a
 * garbled body) it waits for the update to show or for the settle window to pass, and only an
 * update still absent then is sent again. So at most one attempt is ever on its way, and none is
 * left when the section is released: a later write cannot be reverted by this one landing late.
 */
async function deliver(
  deps: InventoryUpdateDeps,
  productId: string,
  plans: SkuPlan[],
  held: HeldLock,
): Promise<Delivery> {
  const { http, inventoryWrites } = deps.config;
  const skus = plans.map((plan) => plan.sku);
  /** The lost answer of an earlier attempt whose fate no read-back could see. */
  let unseenError: unknown;
  for (let attempt = 1; ; attempt += 1) {
    if (!held.isHeld()) {
      if (unseenError !== undefined) return { kind: 'unconfirmed', error: unseenError };
      const key = writeLockKey(deps.shop.id, productId);
      return { kind: 'refused', error: new WriteLockUnavailableError('lost', key) };
    }
    const sentAtMs = performance.now();
    try {
      return {
        kind: 'answered',
        result: await deps.client.updateInventory(deps.shop, productId, skus),
      };
    } catch (error) {
      if (!mayHaveBeenApplied(error)) {
        return unseenError === undefined
          ? { kind: 'refused', error }
          : { kind: 'unconfirmed', error: unseenError };
      }
      const deadlineMs = sentAtMs + inventoryWrites.settleMs;
      const landing = await awaitLanding(deps, productId, plans, held, deadlineMs);
      if (landing.kind === 'seen') return { kind: 'seen', stock: landing.stock, error };
      if (attempt >= http.maxAttempts) {
        return landing.kind === 'unknown'
          ? { kind: 'unconfirmed', error }
          : { kind: 'not_seen', error };
      }
      unseenError = landing.kind === 'unknown' ? error : undefined;
    }
  }
}

/** The outcome of each planned SKU once its product's update is over. */
function outcomeOf(
  delivery: Delivery,
  request: SkuRequest,
  plan: SkuPlan,
  status: string,
  problems: (skuId: string) => InventoryUpdateError | undefined,
): InventorySkuOutcome {
  switch (delivery.kind) {
    case 'answered': {
      const problem = problems(request.skuId);
      return problem ? fromUpstream(request, plan, problem, status) : updated(request, plan);
    }
    case 'refused': {
      const { error } = delivery;
      if (
        stockMeaningOf(error instanceof TikTokShopError ? error.code : null) ===
        'product_not_active'
      ) {
        return notActive(request, status);
      }
      return error instanceof TikTokShopNotFoundError
        ? unknownProduct(request)
        : failed(request, error);
    }
    case 'seen':
      // The update landed; a SKU it did not set was refused, with a reason nobody received.
      return agrees(delivery.stock, plan)
        ? updated(request, plan)
        : failed(
            request,
            delivery.error,
            `Stock of SKU ${request.skuId} was not updated: TikTok applied the update without it ` +
              '(its answer, with the reason, was lost).',
          );
    case 'not_seen':
      return failed(
        request,
        delivery.error,
        `Stock of SKU ${request.skuId} was not updated: TikTok's answer was lost and the ` +
          'quantities were not there once it could no longer apply them.',
      );
    case 'unconfirmed':
      return unconfirmed(request, plan, delivery.error);
  }
}

/** The read, the checks and the update of one product, inside its write section. */
async function writeProduct(
  deps: InventoryUpdateDeps,
  productId: string,
  requests: SkuRequest[],
  held: HeldLock,
): Promise<{ outcomes: InventorySkuOutcome[]; isWritten: boolean }> {
  const { client, shop } = deps;
  let product: Product;
  try {
    // Fresh, unshared and inside the section: the checks and the filled-in quantities are what
    // TikTok holds after every earlier write to the product.
    product = await client.unshared.getProduct(shop, productId);
  } catch (error) {
    if (error instanceof TikTokShopNotFoundError) {
      return { outcomes: requests.map(unknownProduct), isWritten: false };
    }
    return { outcomes: requests.map((request) => failed(request, error)), isWritten: false };
  }
  // TikTok's own word, so a refusal names even a status the gateway does not know yet.
  const status = product.statusRaw ?? product.status;
  // Get Product may leave `status` out (§6.2): unknown is not inactive, so TikTok decides (its
  // own refusal of an inactive product still comes back as ProductNotActive).
  const isStatusAbsent = product.statusRaw === null;
  if (product.status !== 'ACTIVATE' && !isStatusAbsent) {
    return { outcomes: requests.map((request) => notActive(request, status)), isWritten: false };
  }

  const outcomes = new Map<SkuRequest, InventorySkuOutcome>();
  const planned = new Map<SkuRequest, SkuPlan>();
  for (const request of requests) {
    const plan = planSku(product, request);
    if (plan.ok) planned.set(request, plan);
    else outcomes.set(request, plan.outcome);
  }
  if (planned.size > 0) {
    const delivery = await deliver(deps, productId, [...planned.values()], held);
    const errors = delivery.kind === 'answered' ? delivery.result.errors : [];
    const unattributed = errors.find((problem) => problem.skuId === null);
    const problems = (skuId: string) =>
      errors.find((problem) => problem.skuId === skuId) ?? unattributed;
    for (const [request, plan] of planned) {
      outcomes.set(request, outcomeOf(delivery, request, plan, status, problems));
    }
  }
  return {
    outcomes: requests.map((request) => outcomes.get(request) as InventorySkuOutcome),
    isWritten: planned.size > 0,
  };
}

/** One product's writes in its section; refused at once (nothing sent) when it cannot be had. */
async function updateProduct(
  deps: InventoryUpdateDeps,
  productId: string,
  requests: SkuRequest[],
): Promise<{ outcomes: InventorySkuOutcome[]; isWritten: boolean }> {
  try {
    return await deps.writeLock.withLock(writeLockKey(deps.shop.id, productId), (held) =>
      writeProduct(deps, productId, requests, held),
    );
  } catch (error) {
    if (!(error instanceof WriteLockUnavailableError)) throw error;
    return { outcomes: requests.map((request) => failed(request, error)), isWritten: false };
  }
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
 * problem is not sent, the others are. Writes to one product never overlap (its write section),
 * and one reported `updated` is not reverted by a late attempt of an earlier write. Entries must
 * already have well-formed ids.
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
      const fresh = await deps.client.unshared.searchInventory(deps.shop, { productIds: written });
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
