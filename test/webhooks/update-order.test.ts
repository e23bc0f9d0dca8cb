// Update order and the reconciler's sightings (issue 13): an event older than one applied to the
// same object is stale; a sighting (a search's view of the object at an update_time) is admitted
// only when nothing at that time or later was, for any type ordered by that object, and sorts
// after every event of its second. The same battery in memory and on the real Redis.
import { afterAll, describe, expect, it } from 'vitest';
import type { TikTokEvent } from '../../src/webhooks/tiktok-event.js';
import { createUpdateOrder, sightingSubjects } from '../../src/webhooks/update-order.js';
import {
  createConnections,
  deleteKeys,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../redis/helpers/redis.js';

const prefix = uniquePrefix('update-order');
const connections = createConnections();
afterAll(async () => {
  await deleteKeys(await connections.open(SHARED_REDIS_URL), prefix);
  await connections.closeAll();
});

const event = (type: number, data: Record<string, unknown>): TikTokEvent => ({
  type,
  shopId: 's',
  notificationId: 'n',
  timestamp: 1,
  data,
  updateTime: 100,
});

it('a sighting covers every type ordered by the same object', () => {
  expect(sightingSubjects(event(1, { order_id: '7' }))).toEqual(['1:7', '3:7']);
  expect(sightingSubjects(event(15, { product_id: 9 }))).toEqual([
    '5:9',
    '15:9',
    '16:9',
    '18:9',
    '37:9',
  ]);
  expect(sightingSubjects(event(4, { order_id: '7' }))).toEqual([]);
});

let run = 0;
describe.each([
  ['in memory', false],
  ['on Redis', true],
])('update order %s', (_where, onRedis) => {
  const open = async () => {
    run += 1;
    const redis = onRedis
      ? { connection: await connections.open(SHARED_REDIS_URL), keyPrefix: `${prefix}${run}:` }
      : undefined;
    return createUpdateOrder({ ttlMs: 60_000, redis });
  };
  const order = ['1:7', '3:7'];

  it('admits a sighting once, and then no webhook of its second', async () => {
    const updates = await open();
    expect(await updates.admitSighting(order, 100)).toBe(true);
    expect(await updates.admitSighting(order, 100)).toBe(false);
    // A late webhook of the same update_time reports a state the search already showed.
    expect(await updates.admit('1:7', 100)).toBe(false);
    expect(await updates.admit('3:7', 99)).toBe(false);
    // A later change is new, to webhooks and sightings alike.
    expect(await updates.admit('1:7', 101)).toBe(true);
    expect(await updates.admitSighting(order, 101)).toBe(false);
    expect(await updates.admitSighting(order, 102)).toBe(true);
  });

  it('refuses a sighting of what any webhook about the object already reported', async () => {
    const updates = await open();
    expect(await updates.admit('3:7', 100)).toBe(true);
    expect(await updates.admitSighting(order, 100)).toBe(false);
    expect(await updates.admitSighting(order, 99)).toBe(false);
    // Webhooks of one second still both apply (two steps within a second).
    expect(await updates.admit('1:7', 100)).toBe(true);
    expect(await updates.admit('1:7', 100)).toBe(true);
    expect(await updates.admitSighting(['1:8', '3:8'], 100)).toBe(true);
  });
});
