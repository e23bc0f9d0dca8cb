import { describe, expect, it } from 'vitest';
import { createHarness } from './call-route.js';

interface Money {
  amount: string;
  currency: string;
}

interface VideoRow {
  id: string;
  title: string;
  username: string;
  gmv: Money;
  sku_orders: number;
  units_sold: number;
  views: number;
  click_through_rate: string;
  products: Array<{ id: string; name: string }>;
  video_post_time: string;
}

interface LiveRow {
  id: string;
  start_time: string;
  end_time: string;
  sales_performance: { gmv: Money; sku_orders: number; unit_sold: number; customers: number };
  interaction_performance?: { views: number; click_through_rate: string };
}

type ListPage = { total_count: number; next_page_token: string } & Record<string, unknown>;

const h = createHarness({ scale: 0.5 });
const data = h.store.shopData(h.shop.id);
/** The whole 90-day window. */
const WINDOW = { start_date_ge: '2025-03-17', end_date_lt: '2025-06-16' };
const cents = (amount: string) => Math.round(Number(amount) * 100);

function listAll<T>(endpoint: string, key: string, query: Record<string, string>): T[] {
  const rows: T[] = [];
  let pageToken = '';
  do {
    const page = h.data<ListPage>(endpoint, {
      query: { ...query, ...(pageToken ? { page_token: pageToken } : {}) },
    });
    rows.push(...(page[key] as T[]));
    expect(page.total_count).toBeGreaterThanOrEqual(rows.length);
    pageToken = page.next_page_token;
  } while (pageToken !== '');
  return rows;
}

/** Sale prices of line items of orders attributed to a video or LIVE session. */
function attributedCents(contentId: string): number {
  return data.orders
    .filter((order) => order.contentId === contentId)
    .reduce(
      (sum, order) => sum + order.lineItems.reduce((lines, item) => lines + item.salePriceCents, 0),
      0,
    );
}

describe('shop videos', () => {
  it('pages through every video with its attributed sales and linked products', () => {
    const rows = listAll<VideoRow>('analytics.video_list', 'videos', { ...WINDOW, page_size: '7' });
    expect(rows).toHaveLength(data.videos.length);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    for (const row of rows) {
      const video = data.videoById.get(row.id)!;
      expect(cents(row.gmv.amount)).toBe(attributedCents(video.id));
      expect(row.products.map((product) => product.id)).toEqual(video.productIds);
      expect(row.products[0]!.name).toBe(data.productById.get(video.productIds[0]!)!.title);
      expect(row.video_post_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(row.views).toBeGreaterThan(0);
      expect(Number(row.click_through_rate)).toBeLessThanOrEqual(1);
    }
    const gmvs = rows.map((row) => cents(row.gmv.amount));
    expect(gmvs).toEqual([...gmvs].sort((a, b) => b - a));
  });

  it('filters on account_type and sorts on views', () => {
    const affiliates = listAll<VideoRow>('analytics.video_list', 'videos', {
      ...WINDOW,
      page_size: '100',
      account_type: 'AFFILIATES',
      sort_field: 'views',
    });
    const expected = data.videos.filter((video) => video.accountType === 'AFFILIATES');
    expect(new Set(affiliates.map((row) => row.id))).toEqual(new Set(expected.map((v) => v.id)));
    const views = affiliates.map((row) => row.views);
    expect(views).toEqual([...views].sort((a, b) => b - a));
    expect(
      h.error('analytics.video_list', { query: { ...WINDOW, account_type: 'FRIENDS' } }).code,
    ).toBe(36009004);
  });

  it('keeps the overview equal to the sum of the list', () => {
    const query = { start_date_ge: '2025-05-01', end_date_lt: '2025-06-01' };
    const rows = listAll<VideoRow>('analytics.video_list', 'videos', {
      ...query,
      page_size: '100',
    });
    const overview = h.data<{ performance: { intervals: Array<Record<string, unknown>> } }>(
      'analytics.video_overview',
      { query },
    ).performance.intervals[0]!;
    expect(cents((overview.gmv as Money).amount)).toBe(
      rows.reduce((sum, row) => sum + cents(row.gmv.amount), 0),
    );
    expect(overview.units_sold).toBe(rows.reduce((sum, row) => sum + row.units_sold, 0));
    expect(overview.sku_orders).toBe(rows.reduce((sum, row) => sum + row.sku_orders, 0));
  });

  it('reports one video: intervals, engagement and its products', () => {
    const video = [...data.videos].sort(
      (a, b) => attributedCents(b.id) - attributedCents(a.id),
    )[0]!;
    const detail = h.data<{
      engagement_data: Record<string, number>;
      performance: { video_post_time: string; intervals: Array<Record<string, unknown>> };
    }>('analytics.video_detail', { params: { video_id: video.id }, query: WINDOW });
    const interval = detail.performance.intervals[0]!;
    expect(cents((interval.gmv as Money).amount)).toBe(attributedCents(video.id));
    expect(interval.daily_avg_buyers).toMatch(/^\d+\.\d{2}$/);
    expect(detail.engagement_data.total_views).toBe(interval.views);
    expect(detail.engagement_data.total_likes).toBeGreaterThan(0);

    const products = h.data<{ total_count: number; products: Array<{ id: string; gmv: Money }> }>(
      'analytics.video_products',
      { params: { video_id: video.id }, query: WINDOW },
    );
    expect(products.total_count).toBe(video.productIds.length);
    expect(products.products.reduce((sum, row) => sum + cents(row.gmv.amount), 0)).toBe(
      attributedCents(video.id),
    );
  });

  it('answers 28001007 / 404 for an unknown video', () => {
    for (const endpoint of ['analytics.video_detail', 'analytics.video_products']) {
      expect(
        h.error(endpoint, { params: { video_id: '7319999999999999999' }, query: WINDOW }),
      ).toMatchObject({ code: 28001007, httpStatus: 404 });
    }
  });
});

describe('shop LIVE sessions', () => {
  it('lists the sessions that started in the range with their attributed sales', () => {
    const rows = listAll<LiveRow>('analytics.live_list', 'live_stream_sessions', {
      ...WINDOW,
      page_size: '3',
    });
    expect(rows).toHaveLength(data.lives.length);
    for (const row of rows) {
      const live = data.liveById.get(row.id)!;
      expect(row.start_time).toBe(String(live.startTime));
      expect(row.end_time).toBe(String(live.endTime));
      expect(cents(row.sales_performance.gmv.amount)).toBe(attributedCents(live.id));
      expect('interaction_performance' in row).toBe(live.accountType !== 'AFFILIATE_ACCOUNTS');
      if (row.interaction_performance) {
        expect(row.interaction_performance.click_through_rate).toMatch(/^\d+\.\d{2}%$/);
      }
    }

    const live = data.lives[0]!;
    const day = new Date(live.startTime * 1000).toISOString().slice(0, 10);
    const next = new Date(live.startTime * 1000 + 86_400_000).toISOString().slice(0, 10);
    const sameDay = listAll<LiveRow>('analytics.live_list', 'live_stream_sessions', {
      start_date_ge: day,
      end_date_lt: next,
    });
    expect(sameDay.map((row) => row.id)).toContain(live.id);
    expect(
      sameDay.every((row) => new Date(Number(row.start_time) * 1000).toISOString().startsWith(day)),
    ).toBe(true);
  });

  it('keeps the overview equal to the sum of the sessions over the whole window', () => {
    const rows = listAll<LiveRow>('analytics.live_list', 'live_stream_sessions', WINDOW);
    const overview = h.data<{ performance: { intervals: Array<Record<string, unknown>> } }>(
      'analytics.live_overview',
      { query: WINDOW },
    ).performance.intervals[0]!;
    expect(cents((overview.gmv as Money).amount)).toBe(
      rows.reduce((sum, row) => sum + cents(row.sales_performance.gmv.amount), 0),
    );
    expect(overview.units_sold).toBe(
      rows.reduce((sum, row) => sum + row.sales_performance.unit_sold, 0),
    );
    expect(overview.click_through_rate).toMatch(/^\d+\.\d{2}%$/);
  });
});
