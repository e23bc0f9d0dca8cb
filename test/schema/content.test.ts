import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LiveSessionsDocument,
  ProductDocument,
  ShopsDocument,
  VideoDocument,
  VideosDocument,
} from '../generated/graphql.js';
import {
  dataOf,
  lastDays,
  pageThrough,
  startTestGateway,
  type TestGateway,
} from '../helpers/gateway.js';

describe('videos and LIVE sessions', () => {
  let t: TestGateway;
  const range = lastDays(60);
  beforeAll(async () => {
    t = await startTestGateway();
    await t.execute(ShopsDocument);
  });
  afterAll(async () => {
    await t.close();
  });

  it('pages through the videos of a range to the end', async () => {
    t.resetCalls();
    const { nodes, pages, totalCount } = await pageThrough(
      async (after) => dataOf(await t.execute(VideosDocument, { range, first: 5, after })).videos,
    );
    expect(totalCount).toBeGreaterThan(0);
    expect(nodes).toHaveLength(totalCount);
    for (const video of nodes) {
      expect(video.title).toEqual(expect.any(String));
      expect(video.postTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(video.totals?.gmv.amount).toMatch(/^\d+\.\d{2}$/);
    }
    expect(t.calls()['analytics.video_list']).toBe(pages);
  });

  it('reads one video with engagement and its linked products as Product objects', async () => {
    const { videos } = dataOf(
      await t.execute(VideosDocument, {
        range,
        first: 1,
        sortBy: { field: 'UNITS_SOLD', direction: 'DESC' },
      }),
    );
    const videoId = videos!.edges[0]!.node.id;
    t.resetCalls();
    const { video } = dataOf(await t.execute(VideoDocument, { videoId, range }));
    expect(video!.id).toBe(videoId);
    expect(video!.engagement!.views).toBeGreaterThan(0);
    expect(video!.performance!.intervals).toHaveLength(1);
    const linked = video!.products!.edges.map((edge) => edge.node);
    expect(linked.length).toBeGreaterThan(0);
    for (const row of linked) {
      expect(row.product?.id).toBe(row.productId);
      expect(row.product?.title).toEqual(expect.any(String));
    }
    // Existence check, engagement and intervals share one performance call.
    expect(t.calls()['analytics.video_detail']).toBe(1);
    expect(t.calls()['analytics.video_products']).toBe(1);
  });

  it('answers null for an unknown video', async () => {
    const reply = await t.execute(VideoDocument, { videoId: '7000000000000000001', range });
    expect(dataOf(reply)).toEqual({ video: null });
  });

  it('finds the videos that link a product', async () => {
    const { videos } = dataOf(await t.execute(VideosDocument, { range, first: 1 }));
    const videoId = videos!.edges[0]!.node.id;
    const { video } = dataOf(await t.execute(VideoDocument, { videoId, range }));
    const productId = video!.products!.edges[0]!.node.productId;
    const { product } = dataOf(await t.execute(ProductDocument, { productId, range }));
    expect(product!.videos!.map((linked) => linked.id)).toContain(videoId);
  });

  it('pages through LIVE sessions with their sales', async () => {
    const { nodes, totalCount } = await pageThrough(
      async (after) =>
        dataOf(await t.execute(LiveSessionsDocument, { range, first: 3, after })).liveSessions,
    );
    expect(totalCount).toBeGreaterThan(0);
    expect(nodes).toHaveLength(totalCount);
    for (const live of nodes) {
      expect(Date.parse(live.endedAt)).toBeGreaterThan(Date.parse(live.startedAt));
      expect(live.sales.gmv.currency).toMatch(/^[A-Z]{3}$/);
    }
  });
});
