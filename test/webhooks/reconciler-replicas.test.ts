// The reconciler's cursor and lock (issue 13, item 5), with gateways built from the environment as
// server.ts builds them: the cursor survives a restart (beside the token file, or in Redis) so the
// next start searches from it and replays nothing, and two replicas on one Redis take turns: one
// run per shop per interval, counted in the emulator's request log.
import { describe, expect, it } from 'vitest';
import { createFileReconcileCursors } from '../../src/webhooks/reconcile-cursors.js';
import type { ShopRun } from '../../src/webhooks/reconciler.js';
import { type Replica, startReplica } from '../helpers/scale-out.js';
import { redisTestFile, SHARED_REDIS_URL } from '../redis/helpers/redis.js';
import {
  reconcilerOf,
  reconcilerSearches,
  runsAfter,
  serveWebhooks,
  startSellerFile,
} from './helpers.js';

const INTERVAL_MS = 300;
const { cleanups, keyPrefix: nextKeyPrefix } = redisTestFile('reconciler');

/** An emulator, its seller in a token file, and replicas reconciling every 300 ms. */
async function setUp(redisUrl: string | null) {
  const seeded = await startSellerFile(cleanups);
  const keyPrefix = nextKeyPrefix();
  const shopIds = seeded.file.shops.map((shop) => shop.id);
  const start = async (name: string): Promise<Replica> => {
    const replica = await startReplica({
      emulator: seeded.emulator,
      name,
      redisUrl,
      keyPrefix,
      tokenStorePath: seeded.tokenStorePath,
      defaultShopId: seeded.shopId,
      env: { RECONCILE_INTERVAL_MS: String(INTERVAL_MS) },
    });
    cleanups.push(() => replica.close());
    return replica;
  };
  return { ...seeded, keyPrefix, shopIds, start };
}

const ranOf = (replicas: Replica[]) =>
  replicas.flatMap((replica) => reconcilerOf(replica.stack).recentRuns());

describe.each([
  ['beside the token file', null],
  ['in Redis', SHARED_REDIS_URL],
])('the cursor, %s', (_where, redisUrl) => {
  it('survives a restart: the next start searches from it and replays nothing', async () => {
    const { emulator, shopIds, tokenStorePath, start } = await setUp(redisUrl);
    const first = await start('first');
    const seen = await serveWebhooks(first.stack);
    cleanups.push(() => seen.close());
    // A first run searches from one interval back, not the shop's whole history.
    const [opening] = await runsAfter([first.stack], shopIds, 0, 1);
    expect(opening?.sinceSeconds).toBe(
      Math.floor(((opening?.startedAtMs ?? 0) - INTERVAL_MS) / 1000),
    );

    // No webhook subscribed: the reconciler is the only one to tell of these.
    const sellerShops = new Set(shopIds);
    const moved = emulator.advanceClock(10 * 60_000).filter((step) => sellerShops.has(step.shopId));
    expect(moved.length).toBeGreaterThan(0);
    const latest = Math.max(...moved.map((step) => step.updateTime));
    // Until runs search from after the changes: what a restart finds there is new.
    await expect
      .poll(() => ranOf([first]).filter((run) => (run.sinceSeconds ?? 0) > latest).length, {
        timeout: 15_000,
        interval: 50,
      })
      .toBeGreaterThanOrEqual(shopIds.length);
    await first.close();
    const published = seen.events.filter((event) => event.source === 'reconciler');
    expect(published.map((event) => event.data.order_id).sort()).toEqual(
      moved.map((step) => step.orderId).sort(),
    );
    const cursors = redisUrl
      ? undefined
      : await Promise.all(
          shopIds.map((id) => createFileReconcileCursors({ tokenStorePath }).read(id)),
        );

    const restartedAtMs = Date.now();
    const second = await start('second');
    const heard = await serveWebhooks(second.stack);
    cleanups.push(() => heard.close());
    const runs = await runsAfter([second.stack], shopIds, 0, 2);
    for (const [index, shopId] of shopIds.entries()) {
      const [resumed] = runs.filter((run) => run.shopId === shopId);
      // Where the first left off (the last cursor it wrote), not one interval back.
      const lastOfFirst = ranOf([first])
        .filter((run: ShopRun) => run.shopId === shopId)
        .at(-1);
      expect(resumed?.sinceSeconds).toBeLessThanOrEqual(
        Math.floor((lastOfFirst?.startedAtMs ?? 0) / 1000),
      );
      expect(resumed?.sinceSeconds).toBeGreaterThan(latest);
      if (cursors) expect(resumed?.sinceSeconds).toBe(cursors[index]?.sinceSeconds);
      const [searched] = reconcilerSearches(emulator, restartedAtMs).filter(
        (entry) => entry.shopId === shopId,
      );
      expect(JSON.parse(searched?.received?.body ?? '{}').update_time_ge).toBe(
        resumed?.sinceSeconds,
      );
    }
    expect(heard.events).toEqual([]);
  });
});

describe('two replicas on one Redis', () => {
  it('take turns: one run per shop per interval, one search of each kind per run', async () => {
    const { emulator, shopIds, start } = await setUp(SHARED_REDIS_URL);
    const [a, b] = await Promise.all([start('a'), start('b')]);
    await runsAfter([a.stack, b.stack], shopIds, 0, 8);
    await Promise.all([a, b].map((replica) => reconcilerOf(replica.stack).close()));

    const all = ranOf([a, b]);
    for (const shopId of shopIds) {
      const stamped = all
        .filter((run) => run.shopId === shopId && run.sinceSeconds !== null)
        .sort((x, y) => x.startedAtMs - y.startedAtMs);
      // Runs of one shop, whichever replica made them, at least 90 % of an interval apart.
      const gaps = stamped
        .slice(1)
        .map((run, index) => run.startedAtMs - (stamped[index]?.startedAtMs ?? 0));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.9 * INTERVAL_MS);
      // Upstream: one order search and one product search per run (nothing changed), never twice.
      const ran = stamped.filter((run) => run.outcome === 'ran');
      const searches = reconcilerSearches(emulator).filter((entry) => entry.shopId === shopId);
      for (const endpoint of ['order.search', 'product.search']) {
        const count = searches.filter((entry) => entry.endpoint === endpoint).length;
        expect(count).toBeGreaterThanOrEqual(ran.length);
        expect(count).toBeLessThanOrEqual(stamped.length);
      }
      expect(ran.every((run) => run.calls === 2)).toBe(true);
    }
    // Both replicas ticked every interval; the one that found the shop taken or just done left it.
    const outcomes = (replica: Replica) =>
      reconcilerOf(replica.stack)
        .recentRuns()
        .map((run) => run.outcome);
    const skipped = [a, b]
      .flatMap(outcomes)
      .filter((outcome) => outcome === 'held' || outcome === 'recent');
    expect(skipped.length).toBeGreaterThanOrEqual(shopIds.length * 4);
    console.info(
      `two replicas, ${shopIds.length} shops, ${INTERVAL_MS} ms interval: runs that searched ` +
        `a ${outcomes(a).filter((o) => o === 'ran').length}, b ` +
        `${outcomes(b).filter((o) => o === 'ran').length}; skipped ${skipped.length} ` +
        `(held ${skipped.filter((o) => o === 'held').length}, recent ` +
        `${skipped.filter((o) => o === 'recent').length}); idle upstream calls per run per shop 2`,
    );
  });
});
