// The seller resolved once per request (issue 9): a query's upstream calls all reuse the shop
// and seller its context read, so one query costs one token-store read however many calls it
// makes. Proven on a real in-memory store whose reads are counted, through the real gateway. And
// the context makes no session for a shop outside the caller's (issue 10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopForbiddenError } from '../src/auth/errors.js';
import { createMemoryTokenStore, type TokenStore } from '../src/auth/token-store.js';
import { createContext } from '../src/context.js';
import { createInProcessWriteLock } from '../src/datasources/tiktok/write-lock.js';
import { createLogger } from '../src/logger.js';
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

describe("a caller's shops", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });

  const contextFor = (shops: ReadonlySet<string> | '*') =>
    createContext({
      config: t.config,
      client: t.client,
      cache: t.cache,
      logger: createLogger({ level: 'silent' }),
      sellers: t.sellers,
      caller: { name: 'agency', kind: 'api_key', scopes: new Set(), shops },
      now: Date.now,
      writeLock: createInProcessWriteLock({ waitMs: 1_000 }),
      events: t.app.liveUpdates.events,
    });

  it('no session can be made for a shop outside them, whoever asks the context', async () => {
    const us = t.shopIn('US');
    const gb = (await t.sellers.authorizedShops()).find((shop) => shop.id === t.shopIn('GB').id);
    if (!gb) throw new Error('The GB shop is not stored.');
    const ctx = contextFor(new Set([us.id]));
    expect((await ctx.visibleShops()).map((shop) => shop.id)).toEqual([us.id]);
    const refused = await ctx.scopeFor(gb).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ShopForbiddenError);
    expect((refused as ShopForbiddenError).extensions).toEqual({
      code: 'FORBIDDEN',
      shopId: gb.id,
    });
    expect((await contextFor('*').scopeFor(gb)).shop.id).toBe(gb.id);
  });
});
