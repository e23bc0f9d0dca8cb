// Setting absolute stock (§6.4) safely: syntactic checks before any upstream call; per up to 100
// products, their write sections (write-lock.ts) held together and one fresh unshared read inside
// them for what only TikTok knows (their SKUs, their warehouses and quantities: one Inventory
// Search, or Get Product for a lone product); every warehouse of a multi-warehouse SKU sent, one
// update per product; an update whose answer is lost is read back rather than repeated blindly;
// the result read back, one Inventory Search per 100 products.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../config.js';
import { INVENTORY_SEARCH_MAX_PRODUCT_IDS } from './endpoints.js';
import { mayHaveBeenApplied, TikTokShopError, TikTokShopNotFoundError } from './errors.js';
import { forEachLimited } from './for-each-limited.js';
import type { Loaders } from './loaders.js';
import { readStocks, type SkuStock, type StockRead, statusOf } from './stock-reads.js';
import { stockMeaningOf } from './tiktok-codes.js';
import type {
  InventoryUpdateError,
  InventoryUpdateResult,
  InventoryUpdateSku,
  ProductInventory,
  ShopSession,
  TikTokShopClient,
} from './types.js';
import {
  type HeldLock,
  type HeldSection,
  type WriteLock,
  WriteLockUnavailableError,
  withLocks,
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
   * update was sent for and not refused: null when TikTok returned nothing, an Error when reading
   * back failed.
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

/** Resolves warehouses against the fresh stock and fills in the ones the caller left out. */
function planSku(skus: readonly SkuStock[], request: SkuRequest): Planned {
  const { productId, skuId } = request;
  const sku = skus.find((candidate) => candidate.id === skuId);
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
  const stocked = sku.warehouses.map((stock) => stock.warehouseId);
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
  const quantities: WarehouseQuantity[] = sku.warehouses.map((stock) => {
    const quantity = given.get(stock.warehouseId);
    return quantity === undefined
      ? { warehouseId: stock.warehouseId, quantity: stock.availableQuantity, isFilledIn: true }
      : { warehouseId: stock.warehouseId, quantity, isFilledIn: false };
  });
  return {
    ok: true,
    quantities,
    isChange: sku.warehouses.some(
      (stock) =>
        given.has(stock.warehouseId) && given.get(stock.warehouseId) !== stock.availableQuantity,
    ),
    sku: {
      skuId,
      inventory: quantities.map(({ warehouseId, quantity }) => ({ warehouseId, quantity })),
    },
  };
}

/** The SKU an outcome is about. */
const skuOf = ({ productId, skuId }: OutcomeBase): OutcomeBase => ({ productId, skuId });

function notActive(sku: OutcomeBase, status: string): InventorySkuOutcome {
  const message = `Product ${sku.productId} is ${status}; only ACTIVATE products take stock updates.`;
  return { kind: 'product_not_active', ...skuOf(sku), status, message };
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

interface ProductWrite {
  outcomes: InventorySkuOutcome[];
  isWritten: boolean;
}

/** The checks and the update of one product, inside its write section, against its fresh read. */
async function writeProduct(
  deps: InventoryUpdateDeps,
  productId: string,
  requests: SkuRequest[],
  held: HeldLock,
  read: StockRead,
): Promise<ProductWrite> {
  if (read.kind === 'missing') return { outcomes: requests.map(unknownProduct), isWritten: false };
  if (read.kind === 'failed') {
    return { outcomes: requests.map((request) => failed(request, read.error)), isWritten: false };
  }
  const { stock } = read;
  if (stock.isInactive) {
    const status = stock.status ?? 'UNKNOWN';
    return { outcomes: requests.map((request) => notActive(request, status)), isWritten: false };
  }

  const outcomes = new Map<SkuRequest, InventorySkuOutcome>();
  const planned = new Map<SkuRequest, SkuPlan>();
  for (const request of requests) {
    const plan = planSku(stock.skus, request);
    if (plan.ok) planned.set(request, plan);
    else outcomes.set(request, plan.outcome);
  }
  // Refused (or never sent): the stock did not change, so there is nothing to read back.
  let isWritten = false;
  if (planned.size > 0) {
    const delivery = await deliver(deps, productId, [...planned.values()], held);
    isWritten = delivery.kind !== 'refused';
    const errors = delivery.kind === 'answered' ? delivery.result.errors : [];
    const unattributed = errors.find((problem) => problem.skuId === null);
    const problems = (skuId: string) =>
      errors.find((problem) => problem.skuId === skuId) ?? unattributed;
    for (const [request, plan] of planned) {
      outcomes.set(request, outcomeOf(delivery, request, plan, stock.status ?? '', problems));
    }
  }
  let ordered = requests.map((request) => outcomes.get(request) as InventorySkuOutcome);
  // The read did not tell the status and TikTok refused the product as not active (§6.4
  // `12052901`): one more read names the status, paid only by products it refused.
  if (stock.status === null && ordered.some((outcome) => outcome.kind === 'product_not_active')) {
    const status = await statusOf(deps, productId);
    ordered = ordered.map((outcome) =>
      outcome.kind === 'product_not_active' ? notActive(outcome, status) : outcome,
    );
  }
  return { outcomes: ordered, isWritten };
}

/**
 * Up to one Inventory Search's worth of products: their sections taken together (in one global
 * order), one read of them all inside, then one update per product, `concurrency` at a time, each
 * product's section released as soon as its update is over. A product whose section cannot be
 * had is refused (nothing read or sent).
 */
async function updateProducts(
  deps: InventoryUpdateDeps,
  productIds: string[],
  byProduct: ReadonlyMap<string, SkuRequest[]>,
): Promise<Map<string, ProductWrite>> {
  const writes = new Map<string, ProductWrite>();
  const keyOf = (productId: string) => writeLockKey(deps.shop.id, productId);
  const requestsOf = (productId: string) => byProduct.get(productId) ?? [];
  await withLocks(deps.writeLock, productIds.map(keyOf), async (sections) => {
    const held = new Map<string, HeldSection>();
    for (const productId of productIds) {
      const section = sections.get(keyOf(productId)) as HeldSection | WriteLockUnavailableError;
      if (section instanceof WriteLockUnavailableError) {
        const outcomes = requestsOf(productId).map((request) => failed(request, section));
        writes.set(productId, { outcomes, isWritten: false });
      } else held.set(productId, section);
    }
    const concurrency = deps.concurrency ?? INVENTORY_UPDATE_CONCURRENCY;
    const reads = await readStocks(deps, [...held.keys()], concurrency);
    await forEachLimited([...held], concurrency, async ([productId, section]) => {
      try {
        const read = reads.get(productId) as StockRead;
        writes.set(
          productId,
          await writeProduct(deps, productId, requestsOf(productId), section.held, read),
        );
      } finally {
        section.release();
      }
    });
  });
  return writes;
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

  // Chunks of one Inventory Search (§6.3), in the sections' own order (write-lock.ts withLocks).
  const sortedIds = [...byProduct.keys()].sort();
  const writes = new Map<string, ProductWrite>();
  for (let start = 0; start < sortedIds.length; start += INVENTORY_SEARCH_MAX_PRODUCT_IDS) {
    const chunk = sortedIds.slice(start, start + INVENTORY_SEARCH_MAX_PRODUCT_IDS);
    for (const [productId, write] of await updateProducts(deps, chunk, byProduct)) {
      writes.set(productId, write);
    }
  }
  const written: string[] = [];
  for (const [productId, group] of byProduct) {
    const write = writes.get(productId) as ProductWrite;
    group.forEach((request, index) => {
      outcomes.set(request, write.outcomes[index] as InventorySkuOutcome);
    });
    if (write.isWritten) written.push(productId);
  }

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
