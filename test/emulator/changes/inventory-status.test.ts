// Update Inventory raises INVENTORY_STATUS_CHANGE (type 27) when a SKU drops into a lower band,
// after answering the request that caused it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOW_STOCK_THRESHOLD } from '../../../src/emulator/changes/inventory-status.js';
import { subscribe } from '../helpers/event-api.js';
import { type Shop, startWebhookFixture, type WebhookFixture } from '../helpers/webhook-fixture.js';

interface ProductSummary {
  id: string;
  update_time: number;
  skus: Array<{ id: string; inventory: Array<{ warehouse_id: string; quantity: number }> }>;
}

describe('inventory status webhooks (type 27)', () => {
  let fx: WebhookFixture;
  let shop: Shop;
  let product: ProductSummary;

  beforeAll(async () => {
    fx = await startWebhookFixture();
    shop = fx.shops[0]!;
    // Type 27 has no Event API name in §8: it goes to every address the shop subscribed.
    await subscribe(
      fx.emulator,
      fx.token,
      shop,
      'PRODUCT_STATUS_CHANGE',
      `${fx.receiver.url}/tiktok`,
    );
    const { products } = await fx.api<{ products: ProductSummary[] }>(
      shop,
      'POST',
      '/product/202309/products/search',
      { query: { page_size: '50' }, body: { status: 'ACTIVATE' } },
    );
    product = products.find((candidate) => candidate.skus.length >= 2)!;
  });
  beforeEach(() => {
    fx.receiver.script([]);
    fx.receiver.received.length = 0;
  });
  afterAll(() => fx.close());

  /** Sets every warehouse of the product's first SKU so the SKU totals `total` units. */
  const setStock = (total: number) => {
    const sku = product.skus[0]!;
    const inventory = sku.inventory.map((stock, i) => ({
      warehouse_id: stock.warehouse_id,
      quantity: i === 0 ? total : 0,
    }));
    return fx.api(shop, 'POST', `/product/202309/products/${product.id}/inventory/update`, {
      body: { skus: [{ id: sku.id, inventory }] },
    });
  };
  const statuses = () =>
    fx.receiver.received.map((webhook) => webhook.payload.data.current_inventory_status);

  it('raises type 27 on each drop (to LOW_STOCK, to OUT_OF_STOCK) and not on a rise', async () => {
    await setStock(500); // from whatever it was: a rise or no change
    fx.receiver.received.length = 0;
    await setStock(LOW_STOCK_THRESHOLD); // SUFFICIENT → LOW
    await setStock(LOW_STOCK_THRESHOLD - 5); // still LOW: nothing
    await setStock(0); // LOW → OUT
    await setStock(300); // a rise: TikTok raises nothing
    await setStock(0); // SUFFICIENT → OUT
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    expect(statuses()).toEqual(['LOW_STOCK', 'OUT_OF_STOCK', 'OUT_OF_STOCK']);
    expect(fx.receiver.received.every((webhook) => webhook.isSignatureValid)).toBe(true);

    const [low] = fx.receiver.received;
    const sku = product.skus[0]!;
    expect(low!.payload).toMatchObject({ type: 27, shop_id: shop.id });
    expect(low!.payload.data).toEqual({
      product_id: product.id,
      sku_id: sku.id,
      trigger_reason: { alert_type: 'REALTIME', low_stock_threshold: LOW_STOCK_THRESHOLD },
      current_inventory_status: 'LOW_STOCK',
      inventory_distribution: {
        total_quantity: expect.any(Number),
        available_quantity: LOW_STOCK_THRESHOLD,
        creator_reserved_quantity: 0,
        campaign_reserved_quantity: 0,
        committed_quantity: expect.any(Number),
      },
      update_time: expect.any(Number),
    });
    const distribution = low!.payload.data.inventory_distribution as Record<string, number>;
    expect(distribution.total_quantity).toBe(
      distribution.available_quantity! + distribution.committed_quantity!,
    );
    // update_time is the product's, as Get Product shows it.
    const detail = await fx.api<{ update_time: number }>(
      shop,
      'GET',
      `/product/202309/products/${product.id}`,
    );
    expect(fx.receiver.received.at(-1)!.payload.data.update_time).toBe(detail.update_time);
  });

  it('answers the Update Inventory call without waiting for the delivery', async () => {
    await setStock(500);
    let release = () => {};
    fx.receiver.script([{ hold: new Promise<void>((resolve) => (release = resolve)) }]);
    const since = performance.timeOrigin + performance.now();
    try {
      await setStock(1);
      // The API answer is in while the receiver still holds the delivery open.
      expect(fx.emulator.webhookDeliveries(since)).toMatchObject([
        { type: 27, outcome: 'pending' },
      ]);
    } finally {
      release();
    }
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    expect(fx.emulator.webhookDeliveries(since)).toMatchObject([{ outcome: 'delivered' }]);
  });

  it('raises nothing for a call that fails or is faulted before the route runs', async () => {
    await setStock(500);
    fx.receiver.received.length = 0;
    fx.emulator.setFaults({ script: [{ kind: 'error', count: 1 }] });
    await expect(setStock(0)).rejects.toThrow(/36009003/);
    fx.emulator.setFaults({});
    await setStock(400); // a clean call with no drop
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    expect(fx.receiver.received).toEqual([]);
    await setStock(2); // the pipe works: a drop is delivered
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    expect(statuses()).toEqual(['LOW_STOCK']);
  });
});
