// The inventory status band of a SKU and the INVENTORY_STATUS_CHANGE (type 27) data TikTok sends
// when a SKU drops into a lower band (TikTok's "27 Inventory status change" page).
import type { SkuRecord } from '../data/records.js';

/**
 * "Stock alert value": LOW_STOCK means available ≤ this. TikTok lets the seller set it; the
 * emulator fixes it.
 */
export const LOW_STOCK_THRESHOLD = 10;

export type InventoryStatus = 'SUFFICIENT_STOCK' | 'LOW_STOCK' | 'OUT_OF_STOCK';

const SEVERITY: Readonly<Record<InventoryStatus, number>> = {
  SUFFICIENT_STOCK: 0,
  LOW_STOCK: 1,
  OUT_OF_STOCK: 2,
};

function totals(sku: SkuRecord): { available: number; committed: number } {
  let available = 0;
  let committed = 0;
  for (const stock of sku.stock) {
    available += stock.available;
    committed += stock.committed;
  }
  return { available, committed };
}

export function inventoryStatusOf(sku: SkuRecord): InventoryStatus {
  const { available } = totals(sku);
  if (available === 0) return 'OUT_OF_STOCK';
  return available <= LOW_STOCK_THRESHOLD ? 'LOW_STOCK' : 'SUFFICIENT_STOCK';
}

/** TikTok raises type 27 only when the status drops (to LOW_STOCK, or to OUT_OF_STOCK). */
export function hasDropped(before: InventoryStatus, after: InventoryStatus): boolean {
  return SEVERITY[after] > SEVERITY[before];
}

/** The `data` of a REALTIME type 27 event for the SKU as it is now. */
export function inventoryStatusData(sku: SkuRecord, updateTime: number): Record<string, unknown> {
  const { available, committed } = totals(sku);
  return {
    product_id: sku.productId,
    sku_id: sku.id,
    trigger_reason: { alert_type: 'REALTIME', low_stock_threshold: LOW_STOCK_THRESHOLD },
    current_inventory_status: inventoryStatusOf(sku),
    inventory_distribution: {
      total_quantity: available + committed,
      available_quantity: available,
      creator_reserved_quantity: 0,
      campaign_reserved_quantity: 0,
      committed_quantity: committed,
    },
    update_time: updateTime,
  };
}
