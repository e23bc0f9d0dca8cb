// The event bus's target across replicas (issue 13): each topic is a Redis pub/sub channel under
// the key prefix, received through @graphql-yoga/redis-event-target on a connection of its own.
// Around it, what an outage needs: a publish Redis does not take reaches this replica's own
// listeners rather than nobody (and is no unhandled rejection), and the channels are subscribed
// again each time the connection is ready (ioredis does not renew a SUBSCRIBE refused while Redis
// was down). Events published while a replica is cut off never reach it: pub/sub keeps nothing.
import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSubEventTarget } from 'graphql-yoga';
import { createOutageLog, type RedisLogger, silentRedisLogger } from './logger.js';
import { closeRedis, type Redis } from './redis-connection.js';

type Topics = Record<string, [unknown]>;

export interface SharedEventTargetOptions {
  /** Publishes on it; subscribes on a duplicate of it. */
  redis: Redis;
  /** Put before each topic to name its channel (RedisConfig.keyPrefix), e.g. `tts:tiktok:event`. */
  channelPrefix: string;
  logger?: RedisLogger;
}

export interface SharedEventTarget<TTopics extends Topics> {
  /** createPubSub's eventTarget: what one replica publishes, every replica's listeners get. */
  target: PubSubEventTarget<TTopics>;
  /** Closes the subscriber connection (not `redis`). */
  close(): Promise<void>;
}

export function createSharedEventTarget<TTopics extends Topics>(
  options: SharedEventTargetOptions,
): SharedEventTarget<TTopics> {
  const { redis, channelPrefix } = options;
  const logger = options.logger ?? silentRedisLogger;
  const channelOf = (topic: string) => `${channelPrefix}${topic}`;
  const publishOutage = createOutageLog(logger, {
    down: "Redis unavailable: live events reach this replica's subscribers only until it is back",
    up: 'Redis answers again: live events reach every replica again',
  });

  const connection = redis.duplicate({ autoResubscribe: false });
  let isDown = false;
  connection.on('error', (error: Error) => {
    if (isDown) return;
    isDown = true;
    logger.warn({ error: error.message }, 'Live event subscriber lost Redis; reconnecting');
  });
  const channels = new Set<string>();
  // Refused while Redis is down: subscribed again on 'ready'.
  const subscribe = (names: string[]) => connection.subscribe(...names).catch(() => undefined);
  connection.on('ready', () => {
    isDown = false;
    if (channels.size > 0) void subscribe([...channels]);
  });
  // What the library calls on its subscribe client, failures kept here.
  const subscribeClient = {
    on(event: string, listener: Parameters<Redis['on']>[1]) {
      connection.on(event, listener);
      return subscribeClient;
    },
    subscribe(channel: string) {
      channels.add(channel);
      return subscribe([channel]);
    },
    unsubscribe(channel: string) {
      channels.delete(channel);
      return connection.unsubscribe(channel).catch(() => undefined);
    },
  };
  const shared = createRedisEventTarget<CustomEvent>({
    publishClient: redis,
    subscribeClient: subscribeClient as unknown as Redis,
  });
  const here = new EventTarget();
  // One listener per subscription stream of this replica.
  setMaxListeners(0, here);

  const target = {
    addEventListener(topic: string, listener: EventListener) {
      shared.addEventListener(channelOf(topic), listener);
      here.addEventListener(topic, listener);
    },
    removeEventListener(topic: string, listener: EventListener) {
      shared.removeEventListener(channelOf(topic), listener);
      here.removeEventListener(topic, listener);
    },
    dispatchEvent(event: CustomEvent) {
      const channel = channelOf(event.type);
      redis.publish(channel, JSON.stringify(event.detail)).then(
        () => publishOutage.up(),
        (error: unknown) => {
          publishOutage.down({ channel }, error);
          here.dispatchEvent(event);
        },
      );
      return true;
    },
  };
  return {
    target: target as unknown as PubSubEventTarget<TTopics>,
    close: () => closeRedis(connection),
  };
}
