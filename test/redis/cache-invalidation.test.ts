// The invalidation bus on the real Redis: two buses (two replicas) on one channel.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInvalidationBus,
  type InvalidationBus,
  type InvalidationEvent,
  type InvalidationMeta,
} from '../../src/redis/cache-invalidation.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createConnections, createRecordingLogger, uniquePrefix } from './helpers/redis.js';

const connections = createConnections();
const buses: InvalidationBus[] = [];
let channel: string;

beforeEach(() => {
  channel = `${uniquePrefix('invalidation')}invalidate`;
});

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
  await connections.closeAll();
});

async function bus(instanceId: string, redis?: Redis) {
  const created = createInvalidationBus({
    redis: redis ?? (await connections.open()),
    channel,
    instanceId,
  });
  buses.push(created);
  return created;
}

/** Records what a bus hands its handler; `next()` resolves with the next delivery. */
async function listen(target: InvalidationBus) {
  const received: Array<{ event: InvalidationEvent; meta: InvalidationMeta }> = [];
  let notify = () => {};
  await target.subscribe((event, meta) => {
    received.push({ event, meta });
    notify();
  });
  return {
    received,
    next: (count: number) =>
      new Promise<void>((resolve) => {
        notify = () => {
          if (received.length >= count) resolve();
        };
        notify();
      }),
  };
}

describe('createInvalidationBus', () => {
  it("delivers one replica's event to the others, not back to itself", async () => {
    const first = await bus('replica-a');
    const second = await bus('replica-b');
    const third = await bus('replica-c');
    const atFirst = await listen(first);
    const atSecond = await listen(second);
    const atThird = await listen(third);

    const event: InvalidationEvent = { kind: 'product', shopId: 'shop-1', productId: 'p-1' };
    await expect(first.publish(event)).resolves.toBe(true);
    await atSecond.next(1);
    await atThird.next(1);

    expect(atSecond.received).toEqual([{ event, meta: { origin: 'replica-a' } }]);
    expect(atThird.received).toEqual([{ event, meta: { origin: 'replica-a' } }]);
    // A later event from another replica arrives after the first one: nothing else was queued.
    await second.publish({ kind: 'shop', shopId: 'shop-1' });
    await atFirst.next(1);
    expect(atFirst.received).toEqual([
      { event: { kind: 'shop', shopId: 'shop-1' }, meta: { origin: 'replica-b' } },
    ]);
    await atThird.next(2);
    expect(atSecond.received).toHaveLength(1);
  });

  it('ignores malformed messages on the channel and keeps delivering', async () => {
    const recording = createRecordingLogger();
    const redis = await connections.open();
    const receiver = createInvalidationBus({
      redis: await connections.open(),
      channel,
      instanceId: 'replica-b',
      logger: recording.logger,
    });
    buses.push(receiver);
    const received = await listen(receiver);

    await redis.publish(channel, 'not json');
    await redis.publish(channel, JSON.stringify({ v: 1, origin: 'x', event: { kind: 'nope' } }));
    const sender = await bus('replica-a');
    await sender.publish({ kind: 'all' });
    await received.next(1);

    expect(received.received.map((each) => each.event)).toEqual([{ kind: 'all' }]);
    expect(recording.matching('warn', /malformed/)).toHaveLength(2);
  });

  it('refuses an invalid event from its caller', async () => {
    const sender = await bus('replica-a');
    await expect(
      sender.publish({ kind: 'product', shopId: '', productId: 'p-1' } as InvalidationEvent),
    ).rejects.toThrow(/Invalid cache invalidation event/);
  });

  it('stops calling a handler once unsubscribed', async () => {
    const sender = await bus('replica-a');
    const receiver = await bus('replica-b');
    const kept = await listen(receiver);
    const dropped: InvalidationEvent[] = [];
    const unsubscribe = await receiver.subscribe((event) => void dropped.push(event));
    unsubscribe();

    await sender.publish({ kind: 'shop', shopId: 'shop-9' });
    await kept.next(1);
    expect(dropped).toEqual([]);
  });
});
