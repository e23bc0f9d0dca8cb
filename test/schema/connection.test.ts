import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../src/datasources/tiktok/types.js';
import { encodeCursor, fetchConnection, parsePageArgs } from '../../src/schema/connection.js';

/** A list of 0..count-1 served in pages whose token is the next offset, as TikTok-like tokens. */
function pagedList(count: number) {
  const requests: Array<{ pageToken?: string; pageSize: number }> = [];
  const fetchPage = async (page: {
    pageToken?: string;
    pageSize: number;
  }): Promise<Page<number>> => {
    requests.push(page);
    const start = page.pageToken ? Number(page.pageToken) : 0;
    const items = Array.from(
      { length: Math.max(0, Math.min(page.pageSize, count - start)) },
      (_, i) => start + i,
    );
    const next = start + page.pageSize;
    return { items, nextPageToken: next < count ? String(next) : null, totalCount: count };
  };
  return { fetchPage, requests };
}

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
};

describe('parsePageArgs', () => {
  it('defaults first to 20 and accepts 0..100', () => {
    expect(parsePageArgs('orders', {}).first).toBe(20);
    expect(parsePageArgs('orders', { first: 0 }).first).toBe(0);
    expect(parsePageArgs('orders', { first: 100 }).first).toBe(100);
  });

  it('rejects first out of range and malformed or foreign cursors as BAD_USER_INPUT', () => {
    expect(codeOf(() => parsePageArgs('orders', { first: 101 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePageArgs('orders', { first: -1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => parsePageArgs('orders', { after: 'not a cursor!' }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(() => parsePageArgs('orders', { after: 'e30' }))).toBe('BAD_USER_INPUT');
    const foreign = encodeCursor('products', { pageToken: null, offset: 1, pageSize: 10 });
    expect(codeOf(() => parsePageArgs('orders', { after: foreign }))).toBe('BAD_USER_INPUT');
    const tooBig = encodeCursor('orders', { pageToken: 'x', offset: 1, pageSize: 500 });
    expect(codeOf(() => parsePageArgs('orders', { after: tooBig }))).toBe('BAD_USER_INPUT');
  });
});

describe('fetchConnection', () => {
  it('pages through the whole list with one upstream call per page', async () => {
    const list = pagedList(23);
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await fetchConnection(
        parsePageArgs('numbers', { first: 10, after }),
        list.fetchPage,
        (item) => item,
      );
      seen.push(...page.edges.map((edge) => edge.node));
      expect(page.totalCount).toBe(23);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(list.requests).toEqual([
      { pageSize: 10 },
      { pageToken: '10', pageSize: 10 },
      { pageToken: '20', pageSize: 10 },
    ]);
  });

  it('resumes inside an upstream page from an edge cursor', async () => {
    const list = pagedList(30);
    const first = await fetchConnection(
      parsePageArgs('n', { first: 10 }),
      list.fetchPage,
      (i) => i,
    );
    const middle = first.edges[4]?.cursor;
    const next = await fetchConnection(
      parsePageArgs('n', { first: 10, after: middle }),
      list.fetchPage,
      (i) => i,
    );
    expect(next.edges.map((edge) => edge.node)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(next.pageInfo.hasNextPage).toBe(true);
  });

  it('reports no next page after the last item, and first: 0 returns no edges', async () => {
    const list = pagedList(3);
    const all = await fetchConnection(parsePageArgs('n', { first: 3 }), list.fetchPage, (i) => i);
    expect(all.pageInfo.hasNextPage).toBe(false);
    const none = await fetchConnection(parsePageArgs('n', { first: 0 }), list.fetchPage, (i) => i);
    expect(none.edges).toEqual([]);
    expect(none.pageInfo).toMatchObject({ hasNextPage: true, endCursor: null });
  });
});
