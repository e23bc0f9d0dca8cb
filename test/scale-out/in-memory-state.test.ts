// Issue 14: what a replica keeps in memory for the hot path still follows every write. Requests
// list their shops from a snapshot of the sellers, not the token store: writes made through a
// replica, through another replica (Redis bus) and by another process on the token file (the
// OAuth CLI) show without a restart. Whole answers cached by one replica are dropped when another
// replica writes the product's stock.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import type { InvalidationEvent } from '../../src/redis/cache-invalidation.js';
import { sellerRecord } from '../auth/support.js';
import type { Json } from '../helpers/gateway.js';
import {
  createTempDir,
  createTestClock,
  REPLICA_ENCRYPTION_KEY,
  type Replica,
  startReplica,
  writeSellerFile,
} from '../helpers/scale-out.js';
import { redisTestFile, SHARED_REDIS_URL } from '../redis/helpers/redis.js';

const { cleanups, keyPrefix: nextKeyPrefix } = redisTestFile('seller-snapshot');

const SHOPS = '{ shops { id } }';

async function deploy(options: { redis: boolean; replicas: Array<'a' | 'b'>; now?: () => number }) {
  const emulator = await createEmulator({
    port: 0,
    scale: 0.05,
    rateLimit: false,
    ...(options.now ? { now: options.now } : {}),
  });
  cleanups.push(() => emulator.close());
  const dir = createTempDir();
  cleanups.push(() => dir.remove());
  const tokenStorePath = join(dir.path, 'tokens.json');
  const file = await writeSellerFile(emulator, tokenStorePath);
  const shop = file.shops[0];
  if (!shop) throw new Error('The seller has no shop.');
  const keyPrefix = nextKeyPrefix();
  const replicas: Replica[] = [];
  for (const name of options.replicas) {
    const replica = await startReplica({
      emulator,
      name,
      redisUrl: options.redis ? SHARED_REDIS_URL : null,
      keyPrefix,
      tokenStorePath,
      defaultShopId: shop.id,
      ...(options.now ? { now: options.now } : {}),
    });
    cleanups.push(() => replica.close());
    replicas.push(replica);
  }
  return { emulator, file, tokenStorePath, replicas };
}

async function shopIds(replica: Replica): Promise<string[]> {
  const { body } = await replica.query(SHOPS);
  expect(body.errors).toBeUndefined();
  return ((body.data as Json).shops as Json[]).map((shop) => shop.id as string).sort();
}

/** The emulator's second seller, with its tokens and shops, as a code exchange stores it. */
async function secondSeller(emulator: EmulatorHandle, replica: Replica) {
  const seller = emulator.sellers[1];
  if (!seller) throw new Error('The emulator has one seller only.');
  const issued = emulator.issueTokens({ openId: seller.openId });
  const shops = await replica.stack.listShops(issued.accessToken);
  return { ...sellerRecord(emulator, issued, 1), shops };
}

/** Resolves on the next `seller` notice `replica` receives from another replica. */
async function nextSellerNotice(replica: Replica): Promise<void> {
  let stop: (() => void) | undefined;
  const received = new Promise<void>((resolve) => {
    void replica.scaleOut.invalidation
      .subscribe((event: InvalidationEvent) => {
        if (event.kind === 'seller') resolve();
      })
      .then((unsubscribe) => {
        stop = unsubscribe;
      });
  });
  await received;
  stop?.();
}

describe('the sellers snapshot', () => {
  it('shows a seller written through this gateway at once, with no store read per request', async () => {
    const { emulator, replicas, file } = await deploy({ redis: false, replicas: ['a'] });
    const [a] = replicas as [Replica];
    const before = await shopIds(a);
    expect(before).toEqual(file.shops.map((shop) => shop.id).sort());

    // The snapshot is kept between requests: the same seller records, not fresh copies.
    const first = await a.stack.sellers.shopOwners();
    await shopIds(a);
    expect(await a.stack.sellers.shopOwners()).toBe(first);

    const second = await secondSeller(emulator, a);
    await a.stack.sellers.store.saveSeller(second);
    expect(await shopIds(a)).toEqual([...before, ...second.shops.map((shop) => shop.id)].sort());
  });

  it('shows a seller another process wrote into the token file (the OAuth CLI)', async () => {
    const { emulator, replicas, tokenStorePath } = await deploy({ redis: false, replicas: ['a'] });
    const [a] = replicas as [Replica];
    const before = await shopIds(a);
    const cli = createFileTokenStore({
      path: tokenStorePath,
      encryptionKey: Buffer.from(REPLICA_ENCRYPTION_KEY, 'hex'),
    });
    const second = await secondSeller(emulator, a);
    await cli.saveSeller(second);
    const expected = [...before, ...second.shops.map((shop) => shop.id)].sort();
    // Re-read at most once a second: poll well past that (a bound, not a speed assertion).
    const deadline = Date.now() + 15_000;
    let seen = await shopIds(a);
    while (seen.join() !== expected.join() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await shopIds(a);
    }
    expect(seen).toEqual(expected);
  });

  describe('with two replicas on Redis', () => {
    it('a shop authorised through one replica is served by the other without a restart', async () => {
      const { emulator, replicas } = await deploy({ redis: true, replicas: ['a', 'b'] });
      const [a, b] = replicas as [Replica, Replica];
      const before = await shopIds(b);
      const second = await secondSeller(emulator, a);
      const notice = nextSellerNotice(b);
      await a.stack.sellers.store.saveSeller(second);
      await notice;
      const newShop = second.shops[0];
      if (!newShop) throw new Error('The second seller has no shop.');
      expect(await shopIds(b)).toEqual([...before, ...second.shops.map((shop) => shop.id)].sort());
      const reply = await b.query('query ($shopId: ID!) { warehouses(shopId: $shopId) { id } }', {
        shopId: newShop.id,
      });
      expect(reply.body.errors).toBeUndefined();
    });

    it('a token one replica refreshed is the one the other replica uses', async () => {
      const clock = createTestClock();
      const { emulator, replicas, file } = await deploy({
        redis: true,
        replicas: ['a', 'b'],
        now: clock.now,
      });
      const [a, b] = replicas as [Replica, Replica];
      const products = '{ products(first: 1) { edges { node { id } } } }';
      // Both replicas hold the seller in their snapshot now.
      expect((await a.query(products)).body.errors).toBeUndefined();
      expect((await b.query(products)).body.errors).toBeUndefined();

      clock.advanceMs(8 * 86_400_000);
      const notice = nextSellerNotice(b);
      expect((await a.query(products)).body.errors).toBeUndefined();
      expect(emulator.counters()['token.refresh']).toBe(1);
      await notice;

      const owner = (await b.stack.sellers.shopOwners())[0];
      const stored = await b.stack.sellers.store.getSeller(file.seller.openId);
      expect(owner?.seller.tokens.accessToken).toBe(stored?.tokens.accessToken);
      expect(owner?.seller.tokens.accessToken).not.toBe(file.issued.accessToken);
      emulator.resetRequests();
      expect(
        (await b.query('{ products(first: 2) { edges { node { id } } } }')).body.errors,
      ).toBeUndefined();
      expect(emulator.counters()['token.refresh'] ?? 0).toBe(0);
      expect(emulator.requests().filter((entry) => entry.code === 105002)).toEqual([]);
    });

    it('an answer one replica cached is dropped when the other writes the product', async () => {
      const { emulator, replicas } = await deploy({ redis: true, replicas: ['a', 'b'] });
      const [a, b] = replicas as [Replica, Replica];
      const listed = await b.query(`{ products(first: 1) { edges { node { id
        skus { id inventory { warehouses { warehouseId availableQuantity } } } } } } }`);
      const product = (listed.body.data as Json).products.edges[0].node as Json;
      const sku = product.skus[0] as Json;
      const stock = sku.inventory.warehouses[0] as Json;
      const read = `query ($id: ID!) { product(id: $id) { id title skus { id sellerSku } } }`;
      const details = () => emulator.counters()['product.detail'] ?? 0;
      await b.query(read, { id: product.id });
      const before = details();
      expect((await b.query(read, { id: product.id })).body.errors).toBeUndefined();
      expect(details()).toBe(before);

      const evicted = new Promise<void>((resolve) => {
        void b.scaleOut.invalidation.subscribe((event: InvalidationEvent) => {
          if (event.kind === 'product' && event.productId === product.id) resolve();
        });
      });
      const update = await a.query(
        `mutation ($input: UpdateInventoryInput!) {
          updateInventory(input: $input) { updatedCount problemCount }
        }`,
        {
          input: {
            productId: product.id,
            skus: [
              {
                skuId: sku.id,
                warehouseId: stock.warehouseId,
                quantity: (stock.availableQuantity as number) + 5,
              },
            ],
          },
        },
      );
      expect(update.body.data).toEqual({ updateInventory: { updatedCount: 1, problemCount: 0 } });
      await evicted;
      const afterWrite = details();
      expect((await b.query(read, { id: product.id })).body.errors).toBeUndefined();
      expect(details()).toBe(afterWrite + 1);
    });
  });
});
