// PATCH /__emulator/products/:id: a Seller Center edit raises PRODUCT_INFORMATION_CHANGE (15),
// PRODUCT_STATUS_CHANGE (5) and PRODUCT_AUDIT_STATUS_CHANGE (37) as TikTok does, and the next
// Get Product shows the edit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subscribe } from '../helpers/event-api.js';
import { type Shop, startWebhookFixture, type WebhookFixture } from '../helpers/webhook-fixture.js';

interface ProductDetail {
  id: string;
  title: string;
  status: string;
  update_time: number;
}

describe('product edit webhooks', () => {
  let fx: WebhookFixture;
  let shop: Shop;

  beforeAll(async () => {
    // 50 products: enough in each status for every test to edit its own.
    fx = await startWebhookFixture({ scale: 0.1 });
    shop = fx.shops[0]!;
    for (const [eventType, path] of [
      ['PRODUCT_STATUS_CHANGE', '/status'],
      ['PRODUCT_AUDIT_STATUS_CHANGE', '/audit'],
      ['PRODUCT_INFORMATION_CHANGE', '/information'],
    ] as const) {
      await subscribe(fx.emulator, fx.token, shop, eventType, `${fx.receiver.url}${path}`);
    }
  });
  beforeEach(() => {
    fx.receiver.received.length = 0;
  });
  afterAll(() => fx.close());

  /** A product of the shop in this status, not yet edited by an earlier test. */
  const used = new Set<string>();
  async function productIn(status: string): Promise<ProductDetail> {
    const { products } = await fx.api<{ products: ProductDetail[] }>(
      shop,
      'POST',
      '/product/202309/products/search',
      { query: { page_size: '100' }, body: { status } },
    );
    const product = products.find((candidate) => !used.has(candidate.id));
    if (!product) throw new Error(`no unused ${status} product`);
    used.add(product.id);
    return product;
  }
  const detail = (id: string) =>
    fx.api<ProductDetail>(shop, 'GET', `/product/202309/products/${id}`);
  const edit = async (id: string, body: unknown) => {
    const answer = await fx.admin('PATCH', `products/${id}`, body);
    expect(await fx.emulator.settleWebhooks()).toBe(true);
    return answer;
  };
  const received = (): Array<Record<string, unknown>> =>
    fx.receiver.received.map((webhook) => ({ path: webhook.path, ...webhook.payload.data }));

  it('a live product renamed: type 15 with the changed fields; Get Product shows it', async () => {
    const product = await productIn('ACTIVATE');
    const answer = await edit(product.id, {
      title: 'Renamed in Seller Center',
      description: 'New.',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.events.map((event: { type: number }) => event.type)).toEqual([15]);
    const after = await detail(product.id);
    expect(after.title).toBe('Renamed in Seller Center');
    expect(after.update_time).toBeGreaterThanOrEqual(product.update_time);
    expect(received()).toEqual([
      {
        path: '/information',
        product_id: product.id,
        change_source: 'SELLER_CENTER',
        changed_fields: ['title', 'description'],
        update_time: after.update_time,
      },
    ]);
    expect(fx.receiver.received[0]!.payload).toMatchObject({ type: 15, shop_id: shop.id });
    expect(fx.receiver.received[0]!.isSignatureValid).toBe(true);
  });

  it('deactivated by the seller: type 5 PRODUCT_STATUS_CHANGED and audit NONE (37)', async () => {
    const product = await productIn('ACTIVATE');
    await edit(product.id, { status: 'SELLER_DEACTIVATED' });
    const after = await detail(product.id);
    expect(after.status).toBe('SELLER_DEACTIVATED');
    expect(received()).toEqual([
      {
        path: '/status',
        product_id: product.id,
        status: 'PRODUCT_STATUS_CHANGED',
        suspended_reason: '',
        update_time: after.update_time,
      },
      {
        path: '/audit',
        product_id: product.id,
        audit: { status: 'NONE' },
        update_time: after.update_time,
      },
    ]);
  });

  it('audit passed (PENDING → ACTIVATE) and failed (→ FAILED)', async () => {
    const passed = await productIn('PENDING');
    await edit(passed.id, { status: 'ACTIVATE' });
    const failed = await productIn('DRAFT');
    await edit(failed.id, { status: 'FAILED' });
    expect(
      received().map((event) => [event.path, event.product_id, event.status ?? event.audit]),
    ).toEqual([
      ['/status', passed.id, 'PRODUCT_FIRST_PASS_REVIEW'],
      ['/audit', passed.id, { status: 'APPROVED' }],
      ['/status', failed.id, 'PRODUCT_AUDIT_FAILURE'],
      ['/audit', failed.id, { status: 'FAILED' }],
    ]);
    expect(received()[2]!.suspended_reason).not.toBe('');
  });

  it('raises nothing for a product that is not live, or for no change', async () => {
    const draft = await productIn('DRAFT');
    expect((await edit(draft.id, { title: 'A draft renamed' })).body).toEqual({ events: [] });
    expect((await detail(draft.id)).title).toBe('A draft renamed');
    const live = await productIn('ACTIVATE');
    expect((await edit(live.id, { title: live.title, status: 'ACTIVATE' })).body).toEqual({
      events: [],
    });
    expect(fx.receiver.received).toEqual([]);
  });

  it('refuses a bad edit with 400 and changes nothing', async () => {
    const product = await productIn('ACTIVATE');
    for (const body of [
      { title: '' },
      { status: 'ON_SALE' },
      { price: '1.00' },
      { title: 'x'.repeat(256) },
      ['title'],
    ]) {
      const answer = await edit(product.id, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(typeof answer.body.error).toBe('string');
    }
    expect((await edit('1234567890123456789', { title: 'x' })).status).toBe(400);
    expect(await detail(product.id)).toMatchObject({
      title: product.title,
      status: 'ACTIVATE',
      update_time: product.update_time,
    });
    expect(fx.receiver.received).toEqual([]);
  });
});
