import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../src/emulator/data.js';
import { createHarness } from './call-route.js';

interface WireOrder {
  id: string;
  status: string;
  create_time: number;
  update_time: number;
  paid_time: number | null;
  user_id: string;
  shipping_type: string;
  warehouse_id: string;
  is_buyer_request_cancel: boolean;
  payment: Record<string, string>;
  recipient_address?: { name: string; full_address: string; region_code: string };
  line_items: Array<{
    id: string;
    product_id: string;
    sku_id: string;
    sale_price: string;
    original_price: string;
    currency: string;
    display_status: string;
    package_id?: string;
  }>;
  packages: Array<{ id: string }>;
}

interface SearchPage {
  total_count: number;
  next_page_token: string;
  orders: WireOrder[];
}

const h = createHarness({ scale: 0.2 });
const orders = h.store.shopData(h.shop.id).orders;

function searchAll(query: Record<string, string>, body?: unknown): SearchPage[] {
  const pages: SearchPage[] = [];
  let pageToken = '';
  do {
    const pageQuery = {
      page_size: '100',
      ...query,
      ...(pageToken ? { page_token: pageToken } : {}),
    };
    const page = h.data<SearchPage>('order.search', { query: pageQuery, body });
    pages.push(page);
    pageToken = page.next_page_token;
  } while (pageToken !== '' && pages.length < 200);
  return pages;
}

const idsOf = (pages: SearchPage[]) =>
  pages.flatMap((page) => page.orders.map((order) => order.id));
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('order.search', () => {
  it('pages through every order, newest first by default, without duplicates', () => {
    const pages = searchAll({ page_size: '37' });
    const ids = idsOf(pages);
    expect(pages.at(-1)!.next_page_token).toBe('');
    expect(pages.slice(0, -1).every((page) => page.next_page_token !== '')).toBe(true);
    expect(pages.every((page) => page.total_count === orders.length)).toBe(true);
    expect(ids).toHaveLength(orders.length);
    expect(new Set(ids).size).toBe(orders.length);
    const times = pages.flatMap((page) => page.orders.map((order) => order.create_time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('sorts on update_time ascending when asked', () => {
    const pages = searchAll({ sort_field: 'update_time', sort_order: 'ASC' });
    const times = pages.flatMap((page) => page.orders.map((order) => order.update_time));
    expect(times).toHaveLength(orders.length);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  const first = orders[0]!;
  const middle = orders[Math.floor(orders.length / 2)]!;
  const repeatBuyer = orders.find(
    (order) => orders.filter((other) => other.userId === order.userId).length > 1,
  )!;
  const filters: Array<[string, Record<string, unknown>, (order: OrderRecord) => boolean]> = [
    ['order_status', { order_status: 'IN_TRANSIT' }, (o) => o.status === 'IN_TRANSIT'],
    [
      'create_time window',
      { create_time_ge: first.createTime + 86_400, create_time_lt: middle.createTime },
      (o) => o.createTime >= first.createTime + 86_400 && o.createTime < middle.createTime,
    ],
    [
      'update_time window',
      { update_time_ge: middle.updateTime },
      (o) => o.updateTime >= middle.updateTime,
    ],
    ['shipping_type', { shipping_type: 'SELLER' }, (o) => o.shippingType === 'SELLER'],
    [
      'buyer_user_id',
      { buyer_user_id: repeatBuyer.userId },
      (o) => o.userId === repeatBuyer.userId,
    ],
    [
      'warehouse_ids',
      { warehouse_ids: [middle.warehouseId] },
      (o) => o.warehouseId === middle.warehouseId,
    ],
    [
      'is_buyer_request_cancel and status',
      { is_buyer_request_cancel: false, order_status: 'AWAITING_SHIPMENT' },
      (o) => !o.isBuyerRequestCancel && o.status === 'AWAITING_SHIPMENT',
    ],
  ];

  it.each(filters)('filters on %s', (_name, body, predicate) => {
    const pages = searchAll({}, body);
    const expected = orders.filter(predicate).map((order) => order.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(orders.length);
    expect(pages[0]!.total_count).toBe(expected.length);
    expect(new Set(idsOf(pages))).toEqual(new Set(expected));
  });

  it('sends amounts as 2-decimal strings that add up', () => {
    for (const order of searchAll({}).flatMap((page) => page.orders)) {
      const payment = order.payment;
      for (const key of [
        'sub_total',
        'shipping_fee',
        'seller_discount',
        'platform_discount',
        'tax',
        'total_amount',
      ]) {
        expect(payment[key]).toMatch(/^\d+\.\d{2}$/);
      }
      expect(payment.currency).toBe('USD');
      const lines = order.line_items.reduce((sum, item) => sum + cents(item.sale_price), 0);
      expect(cents(payment.sub_total!)).toBe(lines);
      expect(cents(payment.total_amount!)).toBe(
        cents(payment.sub_total!) +
          cents(payment.shipping_fee!) -
          cents(payment.seller_discount!) -
          cents(payment.platform_discount!) +
          cents(payment.tax!),
      );
    }
  });

  it('withholds the address while UNPAID / ON_HOLD and has no paid_time while UNPAID', () => {
    const all = searchAll({}).flatMap((page) => page.orders);
    for (const order of all) {
      const isWithheld = order.status === 'UNPAID' || order.status === 'ON_HOLD';
      expect('recipient_address' in order).toBe(!isWithheld);
      if (order.status === 'UNPAID') expect(order.paid_time).toBeNull();
      if (!isWithheld) expect(order.recipient_address!.region_code).toBe('US');
    }
    expect(all.some((order) => order.status === 'UNPAID')).toBe(true);
    expect(all.some((order) => order.status === 'ON_HOLD')).toBe(true);
  });

  it('links shipped line items to the order packages', () => {
    for (const order of searchAll({}).flatMap((page) => page.orders)) {
      const packageIds = new Set(order.packages.map((pkg) => pkg.id));
      for (const item of order.line_items) {
        if (item.package_id) expect(packageIds.has(item.package_id)).toBe(true);
        expect(item.currency).toBe('USD');
      }
      if (['IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(order.status)) {
        expect(order.packages.length).toBeGreaterThan(0);
        expect(order.line_items.every((item) => item.display_status === order.status)).toBe(true);
      }
    }
  });

  it.each([
    [{}],
    [{ page_size: '0' }],
    [{ page_size: '101' }],
    [{ page_size: '10', sort_field: 'paid_time' }],
    [{ page_size: '10', sort_order: 'UP' }],
    [{ page_size: '10', page_token: 'garbage' }],
  ])('rejects query %o with 36009004', (query) => {
    expect(h.error('order.search', { query })).toMatchObject({ code: 36009004, httpStatus: 400 });
  });

  it('refuses a page token used with another sort order', () => {
    const page = h.data<SearchPage>('order.search', { query: { page_size: '10' } });
    expect(
      h.error('order.search', {
        query: { page_size: '10', sort_order: 'ASC', page_token: page.next_page_token },
      }).code,
    ).toBe(36009004);
  });

  it.each([
    [{ order_status: 'SHIPPED' }],
    [{ create_time_ge: -5 }],
    [{ warehouse_ids: '123' }],
    [{ is_buyer_request_cancel: 'yes' }],
  ])('rejects body %o with 36009004', (body) => {
    expect(h.error('order.search', { query: { page_size: '10' }, body }).code).toBe(36009004);
  });
});

describe('order.detail', () => {
  it('answers the asked orders in the asked order, with the search shape', () => {
    const ids = [orders[5]!.id, orders[1]!.id, orders[900]!.id];
    const answer = h.data<{ orders: WireOrder[] }>('order.detail', {
      query: { ids: ids.join(',') },
    });
    expect(answer.orders.map((order) => order.id)).toEqual(ids);
    const searched = searchAll({})
      .flatMap((page) => page.orders)
      .find((order) => order.id === ids[0]);
    expect(answer.orders[0]).toEqual(searched);
  });

  it('takes up to 50 ids; 51 is refused with 36009004', () => {
    const ids = orders.slice(0, 51).map((order) => order.id);
    expect(
      h.data<{ orders: unknown[] }>('order.detail', { query: { ids: ids.slice(0, 50).join(',') } })
        .orders,
    ).toHaveLength(50);
    expect(h.error('order.detail', { query: { ids: ids.join(',') } })).toMatchObject({
      code: 36009004,
      httpStatus: 400,
    });
    expect(h.error('order.detail', { query: {} }).code).toBe(36009004);
    expect(h.error('order.detail', { query: { ids: ' , ' } }).code).toBe(36009004);
  });

  it('fails the whole call with 21008111 when any id is unknown or another shop’s', () => {
    const foreign = h.store.shopData(h.store.shops[2]!.id).orders[0]!;
    for (const stranger of ['5769999999999999999', foreign.id]) {
      expect(
        h.error('order.detail', { query: { ids: `${orders[0]!.id},${stranger}` } }),
      ).toMatchObject({ code: 21008111, httpStatus: 404 });
    }
  });
});
