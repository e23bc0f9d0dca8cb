// Stock writes that never lose or revert a value (issue 10, defects 1–2): two writes to different
// warehouses of one SKU sent together (one gateway, bulk beside single, two bulks over the same
// products in opposite orders, two replicas over Redis),
// writes whose answers come late (the write applied first, or landing after the timeout), and
// answers lost for good (garbled, 5xx, reset, with every read-back failing too).
// What counts is the emulator's final state, read once nothing is pending there any more.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ShopRef } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import {
  type GraphQLReply,
  type Json,
  startTestGateway,
  type TestGateway,
} from '../helpers/gateway.js';
import {
  createTempDir,
  type Replica,
  startReplica,
  writeSellerFile,
} from '../helpers/scale-out.js';
import {
  createConnections,
  deleteKeys,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../redis/helpers/redis.js';

const TRIALS = 40;

const UPDATE = `mutation ($input: UpdateInventoryInput!) {
  updateInventory(input: $input) { results { __typename } }
}`;
const BULK = `mutation ($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) { results { __typename ... on InventoryUpdateProblem { productId } } }
}`;
const PRODUCTS = `{ products(first: 100, filter: { status: ACTIVATE }) {
  edges { node { id skus { id inventory { warehouses { warehouseId availableQuantity } } } } }
} }`;

interface Target {
  productId: string;
  skuId: string;
  warehouseIds: string[];
}

/** Live SKUs, one per product: those in ≥ 2 warehouses, or in exactly one. */
function targetsOf(products: Json[], isMulti: boolean): Target[] {
  return products.flatMap((product) => {
    const sku = product.skus.find((candidate: Json) =>
      isMulti
        ? candidate.inventory.warehouses.length >= 2
        : candidate.inventory.warehouses.length === 1,
    );
    return sku
      ? [
          {
            productId: product.id,
            skuId: sku.id,
            warehouseIds: sku.inventory.warehouses.map((stock: Json) => stock.warehouseId),
          },
        ]
      : [];
  });
}

const updateInput = (target: Target, warehouseId: string, quantity: number) => ({
  productId: target.productId,
  skus: [{ skuId: target.skuId, warehouseId, quantity }],
});

/** The one result's __typename of an updateInventory reply. */
const outcomeOf = (reply: { body: { data?: unknown; errors?: unknown } }): string =>
  (reply.body.data as Json | undefined)?.updateInventory?.results?.[0]?.__typename ??
  `errors: ${JSON.stringify(reply.body.errors)}`;

/** Resolves once the emulator has answered everything it received (late writes have landed). */
async function quiesce(emulator: EmulatorHandle): Promise<void> {
  while (emulator.pendingRequests() > 0) await sleep(5);
}

type Send = (query: string, variables: Record<string, unknown>) => Promise<GraphQLReply<Json>>;

/**
 * TRIALS times: one write to each of the target's first two warehouses, sent together (the first
 * through `sendA`, the second through `sendB`); then the trial lost a value if either warehouse
 * does not hold what its write set. Returns the trials that lost one and every outcome.
 */
async function writePairs(
  target: Target,
  [sendA, sendB]: [Send, Send],
  stockOf: () => Promise<Map<string, number>>,
): Promise<{ lost: number; outcomes: string[] }> {
  const [first, second] = target.warehouseIds as [string, string];
  let lost = 0;
  const outcomes: string[] = [];
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const [a, b] = [100 + trial, 600 + trial];
    const replies = await Promise.all([
      sendA(UPDATE, { input: updateInput(target, first, a) }),
      sendB(UPDATE, { input: updateInput(target, second, b) }),
    ]);
    outcomes.push(...replies.map(outcomeOf));
    const stock = await stockOf();
    if (stock.get(first) !== a || stock.get(second) !== b) lost += 1;
  }
  return { lost, outcomes };
}

/** The __typenames of a bulkUpdateInventory reply's results. */
const bulkOutcomesOf = (reply: { body: { data?: unknown; errors?: unknown } }): string[] =>
  (reply.body.data as Json | undefined)?.bulkUpdateInventory?.results?.map(
    (result: Json) => result.__typename,
  ) ?? [`errors: ${JSON.stringify(reply.body.errors)}`];

/**
 * TRIALS times: two bulk updates over the same two SKUs (of two products) sent together, listing
 * them in opposite orders, the first setting each SKU's first warehouse and the second its second;
 * then the trial lost a value if any of the four does not hold what its write set. The sections
 * of a bulk are held together, so this also shows that two bulks never wait for each other.
 */
async function writeBulkPairs(
  targets: [Target, Target],
  [sendA, sendB]: [Send, Send],
  stockOf: (target: Target) => Promise<Map<string, number>>,
): Promise<{ lost: number; outcomes: string[] }> {
  let lost = 0;
  const outcomes: string[] = [];
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const quantity = (side: number, index: number) => 100 + side * 500 + index * 200 + trial;
    const items = (side: number) =>
      targets.map((target, index) => ({
        productId: target.productId,
        skuId: target.skuId,
        warehouseId: target.warehouseIds[side],
        quantity: quantity(side, index),
      }));
    const replies = await Promise.all([
      sendA(BULK, { input: { items: items(0) } }),
      sendB(BULK, { input: { items: items(1).reverse() } }),
    ]);
    outcomes.push(...replies.flatMap(bulkOutcomesOf));
    const stocks = await Promise.all(targets.map(stockOf));
    const isKept = stocks.every((stock, index) =>
      [0, 1].every(
        (side) => stock.get(targets[index]?.warehouseIds[side] as string) === quantity(side, index),
      ),
    );
    if (!isKept) lost += 1;
  }
  return { lost, outcomes };
}

describe('concurrent writes to different warehouses of one SKU', () => {
  let t: TestGateway;
  let shop: ShopRef;
  let multi: Target[];

  beforeAll(async () => {
    t = await startTestGateway({ scale: 0.1 });
    const { body } = await t.executeText(PRODUCTS);
    multi = targetsOf(
      (body.data as Json).products.edges.map((edge: Json) => edge.node),
      true,
    );
    const seller = await t.store.getSeller(t.seller.openId);
    shop = seller?.shops.find((candidate) => candidate.id === t.config.defaultShopId) as ShopRef;
    expect(multi.length).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => {
    await t.close();
  });

  /** One SKU's quantity per warehouse, as the emulator has it now. */
  async function stockOf(target: Target): Promise<Map<string, number>> {
    const session = await t.tokens.sessionFor(shop);
    const [product] = await t.client.searchInventory(session, { skuIds: [target.skuId] });
    const sku = product?.skus.find((candidate) => candidate.id === target.skuId);
    return new Map(sku?.warehouses.map((w) => [w.warehouseId, w.availableQuantity]) ?? []);
  }

  it(`updateInventory × 2, sent together: 0 values lost in ${TRIALS} trials`, async ({
    annotate,
  }) => {
    const target = multi[0] as Target;
    const send: Send = (query, variables) => t.executeText(query, variables);
    const { lost, outcomes } = await writePairs(target, [send, send], () => stockOf(target));
    await annotate(`one gateway: ${lost} of ${TRIALS} trials lost a value`);
    expect(outcomes.filter((outcome) => outcome !== 'InventorySkuUpdated')).toEqual([]);
    expect(lost).toBe(0);
  });

  it(`bulkUpdateInventory beside updateInventory on the same SKU: 0 values lost in ${TRIALS} trials`, async ({
    annotate,
  }) => {
    const [target, other] = multi as [Target, Target];
    const [first, second] = target.warehouseIds as [string, string];
    let lost = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const [a, b] = [200 + trial, 700 + trial];
      const [bulk, single] = await Promise.all([
        t.executeText(BULK, {
          input: {
            items: [
              { productId: target.productId, skuId: target.skuId, warehouseId: first, quantity: a },
              {
                productId: other.productId,
                skuId: other.skuId,
                warehouseId: other.warehouseIds[0],
                quantity: 300 + trial,
              },
            ],
          },
        }),
        t.executeText(UPDATE, { input: updateInput(target, second, b) }),
      ]);
      expect((bulk.body.data as Json).bulkUpdateInventory.results).toEqual([
        { __typename: 'InventorySkuUpdated' },
        { __typename: 'InventorySkuUpdated' },
      ]);
      expect(outcomeOf(single)).toBe('InventorySkuUpdated');
      const stock = await stockOf(target);
      if (stock.get(first) !== a || stock.get(second) !== b) lost += 1;
    }
    await annotate(`bulk beside single: ${lost} of ${TRIALS} trials lost a value`);
    expect(lost).toBe(0);
  });

  it(`bulkUpdateInventory × 2 over the same products in opposite orders: 0 values lost in ${TRIALS} trials`, async ({
    annotate,
  }) => {
    const send: Send = (query, variables) => t.executeText(query, variables);
    const { lost, outcomes } = await writeBulkPairs(
      multi.slice(0, 2) as [Target, Target],
      [send, send],
      stockOf,
    );
    await annotate(`two bulks, opposite orders: ${lost} of ${TRIALS} trials lost a value`);
    expect(outcomes.filter((outcome) => outcome !== 'InventorySkuUpdated')).toEqual([]);
    expect(lost).toBe(0);
  });
});

describe('concurrent writes through two replicas over Redis', () => {
  const connections = createConnections();
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await connections.closeAll();
  });

  /**
   * An emulator and two replicas sharing Redis (under a prefix of their own: the sellers stored
   * there belong to this emulator), each side's send, and multi-warehouse targets.
   */
  async function startReplicas() {
    const prefix = uniquePrefix('inventory-concurrency');
    cleanups.push(async () => deleteKeys(await connections.open(), prefix));
    const emulator = await createEmulator({ port: 0, scale: 0.1, rateLimit: false });
    cleanups.push(() => emulator.close());
    const dir = createTempDir();
    cleanups.push(() => dir.remove());
    const tokenStorePath = join(dir.path, 'tokens.json');
    const file = await writeSellerFile(emulator, tokenStorePath);
    const start = async (name: string): Promise<Replica> => {
      const replica = await startReplica({
        emulator,
        name,
        redisUrl: SHARED_REDIS_URL,
        keyPrefix: prefix,
        tokenStorePath,
        defaultShopId: file.shops[0]?.id as string,
        // Writes are what is measured here, not the shared budget.
        env: { TIKTOK_SHOP_RATE_LIMIT: '1000', TIKTOK_SHOP_RATE_BURST: '1000' },
      });
      cleanups.push(() => replica.close());
      return replica;
    };
    const a = await start('a');
    const b = await start('b');
    const { body } = await a.query(PRODUCTS);
    const targets = targetsOf(
      (body.data as Json).products.edges.map((edge: Json) => edge.node),
      true,
    );
    const stockOf = async (target: Target) => {
      const reply = await a.query(
        `query ($ids: [ID!]!) { inventory(skuIds: $ids) { skus { id warehouses { warehouseId availableQuantity } } } }`,
        { ids: [target.skuId] },
      );
      const sku = (reply.body.data as Json).inventory[0].skus[0];
      return new Map<string, number>(
        sku.warehouses.map((w: Json) => [w.warehouseId, w.availableQuantity]),
      );
    };
    const sends: [Send, Send] = [
      (query, variables) => a.query(query, variables),
      (query, variables) => b.query(query, variables),
    ];
    return { targets, stockOf, sends };
  }

  it(`one write per replica, sent together: 0 values lost in ${TRIALS} trials`, async ({
    annotate,
  }) => {
    const { targets, stockOf, sends } = await startReplicas();
    const target = targets[0] as Target;
    const { lost, outcomes } = await writePairs(target, sends, () => stockOf(target));
    await annotate(`two replicas: ${lost} of ${TRIALS} trials lost a value`);
    expect(outcomes.filter((outcome) => outcome !== 'InventorySkuUpdated')).toEqual([]);
    expect(lost).toBe(0);
  });

  it(`one bulk per replica over the same products in opposite orders: 0 values lost in ${TRIALS} trials`, async ({
    annotate,
  }) => {
    const { targets, stockOf, sends } = await startReplicas();
    expect(targets.length).toBeGreaterThanOrEqual(2);
    const { lost, outcomes } = await writeBulkPairs(
      targets.slice(0, 2) as [Target, Target],
      sends,
      stockOf,
    );
    await annotate(`two replicas, two bulks: ${lost} of ${TRIALS} trials lost a value`);
    expect(outcomes.filter((outcome) => outcome !== 'InventorySkuUpdated')).toEqual([]);
    expect(lost).toBe(0);
  });
});

// undici checks its headers timeout on a coarse clock (about 0.5–1 s for 100 ms), so "late" here
// means over 1 s and the injected latencies are chosen around that.
describe('late answers on the update path (latency above the headers timeout)', () => {
  let t: TestGateway;
  let shop: ShopRef;
  let single: Target[];

  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.2,
      env: {
        TIKTOK_SHOP_HEADERS_TIMEOUT_MS: '100',
        TIKTOK_SHOP_MAX_ATTEMPTS: '3',
        TIKTOK_SHOP_RETRY_BASE_MS: '50',
        TIKTOK_SHOP_RETRY_MAX_MS: '200',
        // Longer than any injected latency: a write not seen by then never lands.
        INVENTORY_WRITE_SETTLE_MS: '2500',
      },
    });
    const { body } = await t.executeText(PRODUCTS);
    single = targetsOf(
      (body.data as Json).products.edges.map((edge: Json) => edge.node),
      false,
    );
    const seller = await t.store.getSeller(t.seller.openId);
    shop = seller?.shops.find((candidate) => candidate.id === t.config.defaultShopId) as ShopRef;
    expect(single.length).toBeGreaterThanOrEqual(TRIALS);
  });
  afterEach(async () => {
    t.emulator.setFaults({});
    await quiesce(t.emulator);
  });
  afterAll(async () => {
    await t.close();
  });

  const quantityOf = async (target: Target) => quantityIn(t, shop, target);

  it('writes applied at once but answered late: 0 reported as not updated', async ({
    annotate,
  }) => {
    const targets = single.slice(0, 12);
    t.emulator.setFaults({
      pathPrefixes: updatePaths(targets),
      handleFirst: true,
      latencyMs: 1_500,
    });
    const quantities = targets.map((_, index) => 2_000 + index);
    const outcomes = await Promise.all(
      targets.map((target, index) =>
        t
          .executeText(UPDATE, {
            input: updateInput(
              target,
              target.warehouseIds[0] as string,
              quantities[index] as number,
            ),
          })
          .then(outcomeOf),
      ),
    );
    await quiesce(t.emulator);
    const held = await Promise.all(targets.map(quantityOf));
    const failedButApplied = outcomes.filter(
      (outcome, index) => outcome === 'InventoryUpdateFailed' && held[index] === quantities[index],
    ).length;
    await annotate(
      `applied, answered late: ${failedButApplied} of ${targets.length} reported InventoryUpdateFailed`,
    );
    expect(held).toEqual(quantities);
    expect(failedButApplied).toBe(0);
    expect(outcomes).toEqual(targets.map(() => 'InventorySkuUpdated'));
  });

  it(`writes landing after the timeout: 0 reported-applied writes reverted in ${TRIALS} trials`, async ({
    annotate,
  }) => {
    const targets = single.slice(0, TRIALS);
    // 0.1–1.7 s before TikTok applies a write: some answers beat the timeout, some land late.
    t.emulator.setFaults({
      pathPrefixes: updatePaths(targets),
      latencyMs: 900,
      latencyJitterMs: 800,
    });
    t.resetCalls();
    // Per target: write A, then write B once A has answered; B is what must remain.
    const trials = await Promise.all(
      targets.map(async (target, index) => {
        const warehouseId = target.warehouseIds[0] as string;
        const [a, b] = [3_000 + index, 5_000 + index];
        await t.executeText(UPDATE, { input: updateInput(target, warehouseId, a) });
        const second = await t.executeText(UPDATE, { input: updateInput(target, warehouseId, b) });
        return { target, b, outcome: outcomeOf(second) };
      }),
    );
    const calls = t.calls();
    await quiesce(t.emulator);
    let reverted = 0;
    let reportedApplied = 0;
    let failedButApplied = 0;
    for (const trial of trials) {
      const isHeld = (await quantityOf(trial.target)) === trial.b;
      if (trial.outcome === 'InventorySkuUpdated') {
        reportedApplied += 1;
        if (!isHeld) reverted += 1;
      } else if (trial.outcome === 'InventoryUpdateFailed' && isHeld) {
        failedButApplied += 1;
      }
    }
    await annotate(
      `late landings: ${reverted} of ${reportedApplied} reported-applied writes reverted, ` +
        `${failedButApplied} reported InventoryUpdateFailed but applied (${TRIALS * 2} writes)`,
    );
    expect({ reverted, failedButApplied }).toEqual({ reverted: 0, failedButApplied: 0 });
    // The faults were in play: writes were repeated, or confirmed by reading back.
    const writes = TRIALS * 2;
    expect((calls['inventory.update'] ?? 0) + (calls['inventory.search'] ?? 0)).toBeGreaterThan(
      writes * 2,
    );
  });

  it('bulk: writes applied at once but answered late are confirmed, none reported failed', async () => {
    const targets = single.slice(0, 6);
    t.emulator.setFaults({
      pathPrefixes: updatePaths(targets),
      handleFirst: true,
      latencyMs: 1_500,
    });
    const quantities = targets.map((_, index) => 4_000 + index);
    const { body } = await t.executeText(BULK, {
      input: {
        items: targets.map((target, index) => ({
          productId: target.productId,
          skuId: target.skuId,
          warehouseId: target.warehouseIds[0],
          quantity: quantities[index],
        })),
      },
    });
    const results = (body.data as Json).bulkUpdateInventory.results;
    await quiesce(t.emulator);
    expect(await Promise.all(targets.map(quantityOf))).toEqual(quantities);
    expect(results).toEqual(targets.map(() => ({ __typename: 'InventorySkuUpdated' })));
  });
});

describe('lost answers, read back before anything is repeated (settle window 300 ms)', () => {
  let t: TestGateway;
  let shop: ShopRef;
  let target: Target;

  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.1,
      env: {
        TIKTOK_SHOP_MAX_ATTEMPTS: '2',
        INVENTORY_WRITE_SETTLE_MS: '300',
        // These tests inject failure after failure on purpose; an open circuit would refuse their
        // own checks of the emulator's stock. The breaker has its own tests.
        TIKTOK_SHOP_BREAKER_FAILURES: '0',
      },
    });
    const { body } = await t.executeText(PRODUCTS);
    target = targetsOf(
      (body.data as Json).products.edges.map((edge: Json) => edge.node),
      false,
    )[0] as Target;
    const seller = await t.store.getSeller(t.seller.openId);
    shop = seller?.shops.find((candidate) => candidate.id === t.config.defaultShopId) as ShopRef;
  });
  afterAll(async () => {
    await t.close();
  });

  afterEach(async () => {
    t.emulator.setFaults({});
    await quiesce(t.emulator);
  });

  it('a garbled answer to an applied write: confirmed by reading back, sent once', async () => {
    const before = (await quantityIn(t, shop, target)) ?? 0;
    t.emulator.setFaults({
      pathPrefixes: updatePaths([target]),
      handleFirst: true,
      malformedRate: 1,
    });
    t.resetCalls();
    const reply = await t.executeText(UPDATE, {
      input: updateInput(target, target.warehouseIds[0] as string, before + 3),
    });
    expect(outcomeOf(reply)).toBe('InventorySkuUpdated');
    expect(t.calls()['inventory.update']).toBe(1);
    expect(await quantityIn(t, shop, target)).toBe(before + 3);
  });

  it('a 5xx to a write not applied: repeated only once the window showed it absent, then not updated', async () => {
    const before = (await quantityIn(t, shop, target)) ?? 0;
    t.emulator.setFaults({ pathPrefixes: updatePaths([target]), errorRate: 1 });
    t.resetCalls();
    const { body } = await t.executeText(
      `mutation ($input: UpdateInventoryInput!) {
        updateInventory(input: $input) { results { __typename ... on InventoryUpdateFailed { code message } } }
      }`,
      { input: updateInput(target, target.warehouseIds[0] as string, before + 5) },
    );
    expect((body.data as Json).updateInventory.results).toEqual([
      {
        __typename: 'InventoryUpdateFailed',
        code: 'UPSTREAM_ERROR',
        message: expect.stringContaining('was not updated'),
      },
    ]);
    // Each attempt was read back (until the window ended) before the next one or the verdict.
    const log = t.emulator.requests().map((entry) => entry.endpoint);
    const updates = log.flatMap((endpoint, index) =>
      endpoint === 'inventory.update' ? [index] : [],
    );
    expect(updates).toHaveLength(2);
    expect(log.slice(updates[0]! + 1, updates[1])).toContain('inventory.search');
    expect(log.slice(updates[1]! + 1)).toContain('inventory.search');
    expect(await quantityIn(t, shop, target)).toBe(before);
  });

  it('a write no read-back can confirm is InventoryUpdateUnconfirmed, never "not updated"', async () => {
    const before = (await quantityIn(t, shop, target)) ?? 0;
    // The write is applied, then its connection reset; every read-back of the stock is reset too.
    t.emulator.setFaults({
      pathPrefixes: [...updatePaths([target]), '/product/202309/inventory/search'],
      handleFirst: true,
      dropRate: 1,
    });
    t.resetCalls();
    const { body } = await t.executeText(
      `mutation ($input: UpdateInventoryInput!) {
        updateInventory(input: $input) {
          updatedCount problemCount
          results {
            __typename
            ... on InventoryUpdateUnconfirmed {
              skuId message code reason quantities { warehouseId quantity isFilledIn }
            }
          }
        }
      }`,
      { input: updateInput(target, target.warehouseIds[0] as string, before + 11) },
    );
    t.emulator.setFaults({});
    const payload = (body.data as Json).updateInventory;
    expect(payload).toMatchObject({ updatedCount: 0, problemCount: 1 });
    expect(payload.results).toEqual([
      {
        __typename: 'InventoryUpdateUnconfirmed',
        skuId: target.skuId,
        message: expect.stringContaining('could not be confirmed'),
        code: 'UPSTREAM_ERROR',
        reason: expect.any(String),
        quantities: [
          { warehouseId: target.warehouseIds[0], quantity: before + 11, isFilledIn: false },
        ],
      },
    ]);
    // Two attempts, both applied and reset: TikTok has the quantity, the gateway could not see it.
    expect(t.emulator.counters()['inventory.update']).toBe(2);
    expect(await quantityIn(t, shop, target)).toBe(before + 11);
  });
});

const updatePaths = (targets: Target[]) =>
  targets.map((target) => `/product/202309/products/${target.productId}/inventory/update`);

/** The quantity of a single-warehouse SKU, as the emulator has it now. */
async function quantityIn(t: TestGateway, shop: ShopRef, target: Target) {
  const session = await t.tokens.sessionFor(shop);
  const [product] = await t.client.searchInventory(session, { skuIds: [target.skuId] });
  return product?.skus[0]?.warehouses[0]?.availableQuantity;
}
