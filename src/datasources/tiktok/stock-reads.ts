// The fresh reads a stock write is checked against (§6.2, §6.3): taken inside the products' write
// sections, never cached and never joined to a call in flight, so the checks and the quantities
// re-sent for unlisted warehouses are what TikTok holds after every earlier write (issue 14: one
// Inventory Search per 100 products instead of one Get Product each).
import { TikTokShopNotFoundError, TikTokShopValidationError } from './errors.js';
import { forEachLimited } from './for-each-limited.js';
import type { Product, ProductInventory, ShopSession, TikTokShopClient } from './types.js';

/** What the reads need: the unshared client methods and the request's shop. */
export interface StockReadDeps {
  client: Pick<TikTokShopClient, 'unshared'>;
  shop: ShopSession;
}

/** One SKU's stock per warehouse, as the read inside the section found it. */
export interface SkuStock {
  id: string;
  warehouses: ReadonlyArray<{ warehouseId: string; availableQuantity: number }>;
}

/** What a product's writes are checked against, read fresh inside its section. */
export interface ProductStock {
  skus: readonly SkuStock[];
  /**
   * TikTok's status word (a refusal names even one the gateway does not know yet); null when the
   * read does not tell it (Inventory Search): TikTok's answer to the write then says.
   */
  status: string | null;
  /** true when the read says the product is not ACTIVATE: nothing is sent (§6.4). */
  isInactive: boolean;
}

/** Get Product's answer as the stock to check against (§6.2: `inventory[].quantity` is available). */
function stockOfProduct(product: Product): ProductStock {
  return {
    status: product.statusRaw ?? product.status,
    // Get Product may leave `status` out (§6.2): unknown is not inactive, so TikTok decides (its
    // own refusal of an inactive product still comes back as ProductNotActive).
    isInactive: product.statusRaw !== null && product.status !== 'ACTIVATE',
    skus: product.skus.map((sku) => ({
      id: sku.id,
      warehouses: sku.inventory.map(({ warehouseId, quantity }) => ({
        warehouseId,
        availableQuantity: quantity,
      })),
    })),
  };
}

/** A product's stock as read inside its section. */
export type StockRead =
  | { kind: 'found'; stock: ProductStock }
  /** The shop has no such product. */
  | { kind: 'missing' }
  | { kind: 'failed'; error: unknown };

/** Get Product, fresh and unshared, as a StockRead. */
async function readProduct(deps: StockReadDeps, productId: string): Promise<StockRead> {
  try {
    const product = await deps.client.unshared.getProduct(deps.shop, productId);
    return { kind: 'found', stock: stockOfProduct(product) };
  } catch (error) {
    return error instanceof TikTokShopNotFoundError
      ? { kind: 'missing' }
      : { kind: 'failed', error };
  }
}

/**
 * The stock of `productIds` (at most one Inventory Search's worth, §6.3), every one inside its
 * section, fresh and unshared: the checks and the filled-in quantities are what TikTok holds after
 * every earlier write to the product. A lone product is read with Get Product, the same one call
 * that also tells its status; several with one Inventory Search, which leaves out ids the shop
 * does not have. A search TikTok refuses over its ids (a bad or foreign id, §6.3 `12019008`)
 * falls back to one Get Product each, so one bad id costs its own product only.
 */
export async function readStocks(
  deps: StockReadDeps,
  productIds: string[],
  /** Get Product calls at once when the search falls back to them. */
  concurrency: number,
): Promise<Map<string, StockRead>> {
  const readEach = async () => {
    const reads = new Map<string, StockRead>();
    await forEachLimited(productIds, concurrency, async (productId) => {
      reads.set(productId, await readProduct(deps, productId));
    });
    return reads;
  };
  if (productIds.length <= 1) return readEach();
  let found: ProductInventory[];
  try {
    found = await deps.client.unshared.searchInventory(deps.shop, { productIds });
  } catch (error) {
    if (error instanceof TikTokShopValidationError || error instanceof TikTokShopNotFoundError) {
      return readEach();
    }
    return new Map(productIds.map((productId) => [productId, { kind: 'failed', error }]));
  }
  const byId = new Map(found.map((product) => [product.productId, product]));
  return new Map(
    productIds.map((productId): [string, StockRead] => {
      const product = byId.get(productId);
      return [
        productId,
        product
          ? { kind: 'found', stock: { skus: product.skus, status: null, isInactive: false } }
          : { kind: 'missing' },
      ];
    }),
  );
}

/** TikTok's status word for a product whose write it refused as not active; UNKNOWN if unreadable. */
export async function statusOf(deps: StockReadDeps, productId: string): Promise<string> {
  const read = await readProduct(deps, productId);
  return read.kind === 'found' ? (read.stock.status ?? 'UNKNOWN') : 'UNKNOWN';
}
