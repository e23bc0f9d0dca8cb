// Two gateway replicas (in-process, each with its own Redis connections, limiter, token manager and
// cache) on one emulator and the shared Redis, built by createApp as server.ts builds
// them (issue #6): one rate budget, one token refresh, evictions that reach the other replica.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, EmulatorOptions, RequestLogEntry } from '../../src/emulator/types.js';
import type { Json } from '../helpers/gateway.js';
import {
  createLogRecorder,
  createTempDir,
  createTestClock,
  type Replica,
  startReplica,
  writeSellerFile,
} from '../helpers/scale-out.js';
import { redisTestFile, SHARED_REDIS_URL } from '../redis/helpers/redis.js';
import { busiestWindow, rateOf } from '../redis/helpers/windows.js';

/** The budget of all replicas together (replicaEnvironment): 10 requests/s, burst 5. */
const RATE = 10;
const BURST = 5;

const { cleanups, keyPrefix: nextKeyPrefix } = redisTestFile('scale-out-replicas');

const PRODUCTS = `{ products(first: 100) {
  edges { node { id status skus { id inventory { warehouses { warehouseId availableQuantity } } } } }
} }`;

const PRODUCT = `query ($id: ID!) { product(id: $id) { id title } }`;

interface ProductRow {
  id: string;
  status: string;
  skus: Array<{ id: string; inventory: { warehouses: Stock[] } }>;
}
interface Stock {
  warehouseId: string;
  availableQuantity: number;
}

/**
 * An emulator (10 requests/s per shop, burst 10, unless told otherwise), the seller's token file,
 * and two replicas `a` and `b` on Redis at `redisUrl` (null: each replica on its own).
 */
async function deploy(
  options: {
    redisUrl?: string | null;
    emulator?: Partial<EmulatorOptions>;
    now?: () => number;
    loggers?: {
      a?: ReturnType<typeof createLogRecorder>;
      b?: ReturnType<typeof createLogRecorder>;
    };
  } = {},
) {
  const emulator = await createEmulator({ port: 0, scale: 0.2, ...options.emulator });
  cleanups.push(() => emulator.close());
  const dir = createTempDir();
  cleanups.push(() => dir.remove());
  const tokenStorePath = join(dir.path, 'tokens.json');
  const file = await writeSellerFile(emulator, tokenStorePath);
  const shop = file.shops[0];
  if (!shop) throw new Error('The seller has no shop.');
  const common = {
    emulator,
    redisUrl: options.redisUrl === undefined ? SHARED_REDIS_URL : options.redisUrl,
    keyPrefix: nextKeyPrefix(),
    tokenStorePath,
    defaultShopId: shop.id,
    ...(options.now ? { now: options.now } : {}),
  };
  const start = async (name: 'a' | 'b') => {
    const logger = options.loggers?.[name]?.logger;
    const replica = await startReplica({ ...common, name, ...(logger ? { logger } : {}) });
    cleanups.push(() => replica.close());
    return replica;
  };
  const a = await start('a');
  const b = await start('b');
  const products = await productsOf(a);
  emulator.resetRequests();
  return { emulator, file, shop, a, b, products };
}

async function productsOf(replica: Replica): Promise<ProductRow[]> {
  const { body } = await replica.query(PRODUCTS);
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return (body.data as Json).products.edges.map((edge: Json) => edge.node as ProductRow);
}

/** Sends `count` lookups of distinct products at once, alternating between the replicas. */
function burst(replicas: Replica[], products: ProductRow[], count: number) {
  return Promise.all(
    products
      .slice(0, count)
      .map((product, index) =>
        (replicas[index % replicas.length] as Replica).query(PRODUCT, { id: product.id }),
      ),
  );
}

function shopRequests(emulator: EmulatorHandle, shopId: string): RequestLogEntry[] {
  return emulator.requests().filter((entry) => entry.shopId === shopId);
}

describe('two replicas on one Redis', () => {
  it('keep the combined upstream rate of a burst within one budget, with no 429', async ({
    annotate,
  }) => {
    const { emulator, shop, a, b, products } = await deploy();
    expect(a.scaleOut.rateLimiter.isShared && b.scaleOut.rateLimiter.isShared).toBe(true);

    const replies = await burst([a, b], products, 40);

    for (const [index, reply] of replies.entries()) {
      expect(reply.body.errors).toBeUndefined();
      expect(reply.body.data?.product?.id).toBe(products[index]?.id);
    }
    const log = shopRequests(emulator, shop.id);
    // Cold cache: every lookup went upstream, so the log holds the whole burst.
    expect(log.filter((entry) => entry.endpoint === 'product.detail')).toHaveLength(40);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    const busiest = busiestWindow(log.map((entry) => entry.at));
    expect(busiest).toBeLessThanOrEqual(RATE + BURST);
    const average = rateOf(log.map((entry) => entry.at)).toFixed(1);
    await annotate(
      `two replicas on Redis: busiest 1 s window ${busiest} requests (limit 15), ${average}/s overall`,
    );
  });

  it('(control) without Redis the same burst on two replicas exceeds the budget', async ({
    annotate,
  }) => {
    const { emulator, shop, a, b, products } = await deploy({ redisUrl: null });

    await burst([a, b], products, 40);

    const log = shopRequests(emulator, shop.id);
    const busiest = busiestWindow(log.map((entry) => entry.at));
    expect(busiest).toBeGreaterThan(RATE + BURST);
    const throttled = log.filter((entry) => entry.status === 429).length;
    await annotate(`two replicas without Redis: busiest window ${busiest}, ${throttled} × 429`);
  });

  it('refresh an expired access token exactly once for 200 concurrent requests', async () => {
    const clock = createTestClock();
    const recorders = { a: createLogRecorder('info'), b: createLogRecorder('info') };
    const { emulator, file, a, b, products } = await deploy({
      emulator: { now: clock.now },
      now: clock.now,
      loggers: recorders,
    });
    const before = await a.stack.sellers.store.getSeller(file.seller.openId);
    expect(before?.tokens.accessToken).toBe(file.issued.accessToken);

    // A week and a day later the access token (7 days) has expired; the refresh token has not.
    clock.advanceMs(8 * 86_400_000);
    const targets = products.slice(0, 10);
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        (index % 2 === 0 ? a : b).query(PRODUCT, { id: targets[index % 10]?.id }),
      ),
    );

    for (const reply of replies) {
      expect(reply.body.errors).toBeUndefined();
      expect(reply.body.data?.product).not.toBeNull();
    }
    expect(emulator.counters()['token.refresh']).toBe(1);
    // Nothing went out with the expired token: both replicas waited for the one refresh.
    expect(emulator.requests().filter((entry) => entry.code === 105002)).toEqual([]);
    const after = await b.stack.sellers.store.getSeller(file.seller.openId);
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect(after?.tokens.accessToken).not.toBe(file.issued.accessToken);
    expect(await a.stack.sellers.store.getSeller(file.seller.openId)).toEqual(after);
    // Exactly one replica logged the renewal, and no log line holds a token.
    const renewals = [...recorders.a.lines, ...recorders.b.lines].filter(
      (line) => line.msg === 'Access token renewed',
    );
    expect(renewals).toHaveLength(1);
    const logText = JSON.stringify([...recorders.a.lines, ...recorders.b.lines]);
    for (const secret of [
      file.issued.accessToken,
      file.issued.refreshToken,
      after?.tokens.accessToken,
      after?.tokens.refreshToken,
    ]) {
      expect(logText).not.toContain(secret);
    }
  });

  it('show a stock update made through one replica through the other', async () => {
    const recorder = createLogRecorder('debug');
    const { emulator, a, b, products } = await deploy({ loggers: { b: recorder } });
    const target = products
      .filter((product) => product.status === 'ACTIVATE')
      .flatMap((product) =>
        product.skus
          .filter((sku) => sku.inventory.warehouses.length === 1)
          .map((sku) => ({ product, sku, stock: sku.inventory.warehouses[0] as Stock })),
      )[0];
    if (!target) throw new Error('No live product with a single-warehouse SKU.');
    const detail = `query ($id: ID!) { product(id: $id) {
      id updatedAt skus { id inventory { warehouses { warehouseId availableQuantity } } }
    } }`;
    const stockIn = (reply: Json) =>
      reply.body.data.product.skus.find((sku: Json) => sku.id === target.sku.id).inventory
        .warehouses[0].availableQuantity as number;
    const details = () => emulator.counters()['product.detail'] ?? 0;

    // B reads the product: one Get Product, then served from B's cache.
    const first = await b.query(detail, { id: target.product.id });
    expect(first.body.errors).toBeUndefined();
    expect(details()).toBe(1);
    const cached = await b.query(detail, { id: target.product.id });
    expect(details()).toBe(1);
    expect(cached.body.data).toEqual(first.body.data);

    const quantity = target.stock.availableQuantity + 7;
    const update = await a.query(
      `mutation ($input: UpdateInventoryInput!) {
        updateInventory(input: $input) { updatedCount problemCount }
      }`,
      {
        input: {
          productId: target.product.id,
          skus: [{ skuId: target.sku.id, warehouseId: target.stock.warehouseId, quantity }],
        },
      },
    );
    expect(update.body.data).toEqual({ updateInventory: { updatedCount: 1, problemCount: 0 } });

    // A published the eviction; B applies it when it arrives (pub/sub is asynchronous).
    await recorder.waitFor(
      (line) =>
        line.msg === 'Cache invalidation applied' &&
        (line.event as Json | undefined)?.productId === target.product.id &&
        line.origin === 'a',
    );
    emulator.resetRequests();
    const fresh = await b.query(detail, { id: target.product.id });
    expect(fresh.body.errors).toBeUndefined();
    expect(details()).toBe(1);
    expect(stockIn(fresh)).toBe(quantity);
    expect(Date.parse(fresh.body.data?.product.updatedAt)).toBeGreaterThan(
      Date.parse(first.body.data?.product.updatedAt),
    );
  });
});
