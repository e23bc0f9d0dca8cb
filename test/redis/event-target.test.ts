// The event bus across replicas on the real Redis (issue 13): what one replica publishes reaches
// every replica's subscribers on `<prefix>tiktok:event`; while Redis is down a replica's events
// still reach its own subscribers (logged once, no unhandled rejection) and nobody else's; and
// the channel is subscribed again after a restart, or once Redis first answers.
import { afterEach, describe, expect, it } from 'vitest';
import { createSharedEventTarget } from '../../src/redis/event-target.js';
import { closeRedis, createRedisConnection, type Redis } from '../../src/redis/redis-connection.js';
import {
  createTikTokEventBus,
  TIKTOK_EVENT_TOPIC,
  type TikTokEventTopics,
} from '../../src/webhooks/event-bus.js';
import type { TikTokEvent } from '../../src/webhooks/tiktok-event.js';
import {
  createConnections,
  createRecordingLogger,
  reconnected,
  startPrivateRedis,
  uniquePrefix,
  watchUnhandledRejections,
} from './helpers/redis.js';

const connections = createConnections();
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await connections.closeAll();
});

const event = (id: string): TikTokEvent => ({
  type: 1,
  shopId: '7431640170955564826',
  notificationId: id,
  timestamp: 1_700_000_000,
  data: { order_id: id, order_status: 'AWAITING_SHIPMENT' },
  updateTime: 1_700_000_000,
});

/** A replica's bus on `redis`, with a reader already listening. */
function replica(redis: Redis, prefix: string, logger = createRecordingLogger().logger) {
  const shared = createSharedEventTarget<TikTokEventTopics>({
    redis,
    channelPrefix: prefix,
    logger,
  });
  cleanups.push(() => shared.close());
  const bus = createTikTokEventBus({ eventTarget: shared.target });
  const reader = bus.subscribe();
  cleanups.push(async () => void (await reader.return?.()));
  let pending = reader.next();
  return {
    bus,
    /** The next event this replica's reader gets. */
    async next(): Promise<TikTokEvent | undefined> {
      const { value } = await pending;
      pending = reader.next();
      return value;
    },
  };
}

/** Waits until `count` connections subscribe `channel` on the server `redis` talks to. */
async function subscribedBy(redis: Redis, channel: string, count: number): Promise<void> {
  for (;;) {
    const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(subscribers) === count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('createSharedEventTarget', () => {
  it("hands one replica's events to every replica's subscribers, on <prefix>tiktok:event", async () => {
    const prefix = uniquePrefix('event-target');
    const a = replica(await connections.open(), prefix);
    const b = replica(await connections.open(), prefix);
    await subscribedBy(await connections.open(), `${prefix}${TIKTOK_EVENT_TOPIC}`, 2);
    a.bus.publish(event('1'));
    b.bus.publish(event('2'));
    expect([await a.next(), await a.next()]).toEqual([event('1'), event('2')]);
    expect([await b.next(), await b.next()]).toEqual([event('1'), event('2')]);
  });

  it("while Redis is down a replica's events reach its own subscribers only; after a restart, all", async () => {
    const rejections = watchUnhandledRejections();
    cleanups.push(() => rejections.stop());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const prefix = uniquePrefix('event-target-outage');
    const channel = `${prefix}${TIKTOK_EVENT_TOPIC}`;
    const log = createRecordingLogger();
    const publisher = await connections.open(redis.url);
    const a = replica(publisher, prefix, log.logger);
    const b = replica(await connections.open(redis.url), prefix);
    await subscribedBy(await connections.open(redis.url), channel, 2);

    await redis.stop();
    a.bus.publish(event('while-down-1'));
    a.bus.publish(event('while-down-2'));
    expect([await a.next(), await a.next()]).toEqual([
      event('while-down-1'),
      event('while-down-2'),
    ]);
    expect(log.matching('error', /reach this replica's subscribers only/)).toHaveLength(1);

    await redis.start();
    await reconnected(publisher);
    await subscribedBy(await connections.open(redis.url), channel, 2);
    a.bus.publish(event('after'));
    expect(await a.next()).toEqual(event('after'));
    // B never saw the events of the outage: the first it gets is the one after.
    expect(await b.next()).toEqual(event('after'));
    expect(log.matching('warn', /reach every replica again/)).toHaveLength(1);
    expect(rejections.seen).toEqual([]);
  });

  it('a replica that started while Redis was down subscribes once Redis answers', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    await redis.stop();
    const prefix = uniquePrefix('event-target-late');
    const late = createRedisConnection({ url: redis.url, maxReconnectDelayMs: 100 });
    cleanups.push(() => closeRedis(late));
    const waiting = replica(late, prefix);
    const next = waiting.next();
    await redis.start();
    const other = await connections.open(redis.url);
    await subscribedBy(other, `${prefix}${TIKTOK_EVENT_TOPIC}`, 1);
    replica(other, prefix).bus.publish(event('first'));
    expect(await next).toEqual(event('first'));
  });
});
