import { describe, expect, it } from 'vitest';
import { createHarness } from './call-route.js';

interface WireProduct {
  id: string;
  status: string;
  create_time: number;
  update_time: number;
  skus: Array<{
    id: string;
    seller_sku: string;
    price: { currency: string; sale_price: string; tax_exclusive_price: string };
    inventory: Array<{ warehouse_id: string; quantity: number }>;
  }>;
}

interface SearchPage {
  total_count: number;
  next_page_token: string;
  products: WireProduct[];
}

const h = createHarness({ scale: 0.2 });
const { products } = h.store.shopData(h.shop.id);

/** Follows next_page_token to the end and returns every page. */
function searchAll(body: unknown, pageSize: number): SearchPage[] {
  const pages: SearchPage[] = [];
  let pageToken = '';
  do {
    const query: Record<string, string> = { page_size: String(pageSize) };
    if (pageToken) query.page_token = pageToken;
    const page = h.data<SearchPage>('product.search', { query, body });
    pages.push(page);
    pageToken = page.next_page_token;
  } while (pageToken !== '' && pages.length < 100);
  return pages;
}

describe('product.search', () => {
  it('pages through every non-deleted product, newest first, without duplicates', () => {
    const pages = searchAll(undefined, 7);
    const expected = products.filter((product) => product.status !== 'DELETED');
    const ids = pages.flatMap((page) => page.products.map((product) => product.id));
    expect(pages.at(-1)!.next_page_token).toBe('');
    expect(pages.length).toBe(Math.ceil(expected.length / 7));
    for (const page of pages) expect(page.total_count).toBe(expected.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(expected.map((product) => product.id)));
    const times = pages.flatMap((page) => page.products.map((product) => product.create_time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers one page with an empty token when everything fits', () => {
    const page = h.data<SearchPage>('product.search', {
      query: { page_size: '100' },
      body: { status: 'DRAFT' },
    });
    expect(page.next_page_token).toBe('');
    expect(page.products.length).toBe(page.total_count);
    expect(page.products.every((product) => product.status === 'DRAFT')).toBe(true);
  });

  it('sends SKU prices as decimal strings and stock per warehouse', () => {
    const page = h.data<SearchPage>('product.search', { query: { page_size: '5' } });
    const product = products.find((candidate) => candidate.id === page.products[0]!.id)!;
    const sku = page.products[0]!.skus[0]!;
    expect(sku.price.sale_price).toMatch(/^\d+\.\d{2}$/);
    expect(sku.price.currency).toBe('USD');
    expect(sku.inventory).toEqual(
      product.skus[0]!.stock.map((stock) => ({
        warehouse_id: stock.warehouseId,
        quantity: stock.available,
      })),
    );
  });

  it.each(['ACTIVATE', 'DELETED', 'SELLER_DEACTIVATED'])('filters on status %s', (status) => {
    const ids = searchAll({ status }, 50).flatMap((page) => page.products.map((p) => p.id));
    const expected = products.filter((product) => product.status === status).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(ids)).toEqual(new Set(expected));
  });

  it('counts DELETED only when asked: ALL means every other status', () => {
    const all = h.data<SearchPage>('product.search', {
      query: { page_size: '1' },
      body: { status: 'ALL' },
    });
    expect(all.total_count).toBe(products.filter((p) => p.status !== 'DELETED').length);
  });

  it('filters on seller_skus and sku_ids', () => {
    const [a, b] = [products[10]!, products[20]!];
    const bySellerSku = h.data<SearchPage>('product.search', {
      query: { page_size: '10' },
      body: { status: 'ALL', seller_skus: [a.skus[0]!.sellerSku, b.skus[0]!.sellerSku] },
    });
    const expected = [a, b].filter((p) => p.status !== 'DELETED').map((p) => p.id);
    expect(new Set(bySellerSku.products.map((p) => p.id))).toEqual(new Set(expected));

    const bySkuId = h.data<SearchPage>('product.search.202312', {
      query: { page_size: '10' },
      body: { status: a.status, sku_ids: [a.skus.at(-1)!.id] },
    });
    expect(bySkuId.products.map((p) => p.id)).toEqual([a.id]);
  });

  it('refuses sku_ids on 202309 (it exists from 202312 on) and any unknown field, naming it', () => {
    const skuId = products[10]!.skus[0]!.id;
    for (const body of [{ sku_ids: [skuId] }, { status: 'ALL', category_version: 'v2' }]) {
      const refused = h.error('product.search', { query: { page_size: '10' }, body });
      expect(refused).toMatchObject({ code: 36009004, httpStatus: 400 });
      expect(refused.message).toContain(`'${Object.keys(body).at(-1)}'`);
    }
    expect(
      h.error('product.search.202312', {
        query: { page_size: '10' },
        body: { sku_ids: [skuId], audit_status: ['AUDITING'] },
      }).code,
    ).toBe(36009004);
  });

  it('answers 202312 with the 202309 shape, and keeps each version to its own page tokens', () => {
    const query = { page_size: '3' };
    const older = h.data<SearchPage>('product.search', { query });
    const newer = h.data<SearchPage>('product.search.202312', { query });
    expect({ ...newer, next_page_token: '' }).toEqual({ ...older, next_page_token: '' });
    const token = { page_size: '3', page_token: older.next_page_token };
    expect(h.error('product.search.202312', { query: token }).code).toBe(36009004);
  });

  it('filters on create and update time bounds (inclusive)', () => {
    const sorted = [...products].sort((x, y) => x.createTime - y.createTime);
    const pivot = sorted[40]!.createTime;
    const page = h.data<SearchPage>('product.search', {
      query: { page_size: '100' },
      body: { status: 'ALL', create_time_ge: pivot, update_time_le: 4_000_000_000 },
    });
    const expected = products.filter((p) => p.status !== 'DELETED' && p.createTime >= pivot);
    expect(page.total_count).toBe(expected.length);
    const older = h.data<SearchPage>('product.search', {
      query: { page_size: '100' },
      body: { create_time_le: pivot - 1 },
    });
    expect(older.total_count + page.total_count).toBe(
      products.filter((p) => p.status !== 'DELETED').length,
    );
  });

  it.each([[{}], [{ page_size: '0' }], [{ page_size: '101' }], [{ page_size: 'ten' }]])(
    'rejects page_size %o with 12019109',
    (query) => {
      expect(h.error('product.search', { query })).toMatchObject({
        code: 12019109,
        httpStatus: 400,
      });
    },
  );

  it('rejects more than 10 seller_skus or sku_ids with 12019027', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => String(1000 + i));
    for (const key of ['seller_skus', 'sku_ids']) {
      expect(
        h.error('product.search.202312', { query: { page_size: '10' }, body: { [key]: eleven } })
          .code,
      ).toBe(12019027);
    }
  });

  it('refuses garbage page tokens and tokens of another query with 36009004', () => {
    const first = h.data<SearchPage>('product.search', { query: { page_size: '5' } });
    expect(first.next_page_token).not.toBe('');
    const replayed = h.error('product.search', {
      query: { page_size: '5', page_token: first.next_page_token },
      body: { status: 'ACTIVATE' },
    });
    expect(replayed).toMatchObject({ code: 36009004, httpStatus: 400 });
    expect(replayed.message).toContain('page_token');
    expect(
      h.error('product.search', { query: { page_size: '5', page_token: 'not-a-token' } }).code,
    ).toBe(36009004);
  });

  it('rejects malformed filters with 36009004', () => {
    for (const body of [
      { status: 'LIVE' },
      { create_time_ge: 'yesterday' },
      { seller_skus: 'x' },
      [],
    ]) {
      expect(h.error('product.search', { query: { page_size: '5' }, body }).code).toBe(36009004);
    }
    expect(
      h.error('product.search.202312', { query: { page_size: '5' }, body: { sku_ids: 'x' } }).code,
    ).toBe(36009004);
  });

  it('refuses to page past 10 000 results with 12052180', () => {
    const big = createHarness({ seed: 3, scale: 21 });
    let pageToken = '';
    for (let page = 0; page < 100; page++) {
      const query: Record<string, string> = { page_size: '100' };
      if (pageToken) query.page_token = pageToken;
      pageToken = big.data<SearchPage>('product.search', {
        query,
        body: { status: 'ALL' },
      }).next_page_token;
    }
    expect(pageToken).not.toBe('');
    expect(
      big.error('product.search', {
        query: { page_size: '100', page_token: pageToken },
        body: { status: 'ALL' },
      }),
    ).toMatchObject({ code: 12052180, httpStatus: 400 });
  });
});

describe('product.detail', () => {
  it('answers the §6.2 shape', () => {
    const product = products.find((p) => p.brand && p.skus.length > 1)!;
    const data = h.data<Record<string, unknown>>('product.detail', {
      params: { product_id: product.id },
    });
    expect(data).toMatchObject({
      id: product.id,
      status: product.status,
      title: product.title,
      brand: product.brand,
      create_time: product.createTime,
      update_time: product.updateTime,
    });
    expect(data.description).toMatch(/^<p>/);
    expect(data.category_chains).toEqual(
      product.categoryChain.map((node) => ({
        id: node.id,
        parent_id: node.parentId,
        local_name: node.localName,
        is_leaf: node.isLeaf,
      })),
    );
    const images = data.main_images as Array<{ urls: string[] }>;
    expect(images[0]!.urls[0]).toMatch(/^https:\/\/p16-oec\.example\.invalid\//);
    const skus = data.skus as Array<Record<string, unknown>>;
    expect(skus).toHaveLength(product.skus.length);
    expect(skus[0]!.sales_attributes).toEqual(
      product.skus[0]!.salesAttributes.map((attribute) => ({
        id: attribute.id,
        name: attribute.name,
        value_id: attribute.valueId,
        value_name: attribute.valueName,
      })),
    );
  });

  it('answers 12052032 / 404 for an unknown product and for another shop’s product', () => {
    expect(h.error('product.detail', { params: { product_id: '1729999999999999999' } })).toEqual({
      code: 12052032,
      message: expect.stringContaining('1729999999999999999'),
      httpStatus: 404,
    });
    const foreign = h.store.shopData(h.store.shops[1]!.id).products[0]!;
    expect(h.error('product.detail', { params: { product_id: foreign.id } }).code).toBe(12052032);
    expect(
      h.data<{ id: string }>('product.detail', {
        shop: h.store.shops[1]!,
        params: { product_id: foreign.id },
      }).id,
    ).toBe(foreign.id);
  });

  it('leaves status out for the products the productsWithoutStatus knob names (§6.2)', () => {
    const [quiet, other] = products.filter((p) => p.status === 'ACTIVATE');
    const faults = { productsWithoutStatus: [quiet!.id] };
    const detail = (id: string) =>
      h.data<Record<string, unknown>>('product.detail', { params: { product_id: id }, faults });
    expect(detail(quiet!.id)).not.toHaveProperty('status');
    expect(detail(quiet!.id)).toMatchObject({ id: quiet!.id, title: quiet!.title });
    expect(detail(other!.id)).toMatchObject({ status: 'ACTIVATE' });
  });
});
