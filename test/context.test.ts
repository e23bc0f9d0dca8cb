// The seller resolved once per request (issue 9): a query's upstream calls all reuse the shop
// and seller its context read, so one query costs one token-store read however many calls it
// makes. Proven on a real in-memory store whose reads are counted, through the real gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryTokenStore, type TokenStore } from '../src/auth/token-store.js';
import { OrdersDocument, ShopsDocument } from './generated/graphql.js';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

/** The store's read methods; writes are not lookups. */
const READS = new Set(['load', 'getSeller', 'findSellerByShop']);

/** `store` as it is, recording the name of every read made through it. */
function countingReads(store: TokenStore): { store: TokenStore; reads: string[] } {
  const reads: string[] = [];
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !READS.has(key) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        reads.push(key);
        return value.apply(target, args);
      };
    },
  });
  return { store: counted, reads };
}

describe('one seller lookup per request', () => {
  let t: TestGateway;
  let reads: string[];
  beforeAll(async () => {
    const counting = countingReads(createMemoryTokenStore());
    reads = counting.reads;
    t = await startTestGateway({ store: counting.store });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the orders page with line items, products and stock: many upstream calls, one store read', async () => {
    t.cache.clear();
    t.resetCalls();
    reads.length = 0;
    const { status, body } = await t.execute(OrdersDocument, { first: 50 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    // 1 order search, 1 Get Product per distinct product, the inventory searches.
    expect(t.calls()['order.search']).toBe(1);
    expect(t.calls()['product.detail']).toBeGreaterThanOrEqual(17);
    expect(t.totalCalls()).toBeGreaterThanOrEqual(19);
    expect(reads).toEqual(['load']);
  });

  it('each request reads once on its own, with or without upstream calls', async () => {
    reads.length = 0;
    await t.execute(ShopsDocument);
    expect(reads).toEqual(['load']);
    await t.execute(OrdersDocument, { first: 5 });
    expect(reads).toEqual(['load', 'load']);
  });
});
