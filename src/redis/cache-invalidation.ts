// Cache invalidations broadcast to every replica over Redis pub/sub (issue #6): a write on one
// replica evicts the entries it made stale on all of them.
import { z } from 'zod';
import { createOutageLog, describeError, type RedisLogger, silentRedisLogger } from './logger.js';
import { isRedisUnavailable, type Redis } from './redis-connection.js';

const idText = z.string().min(1).max(200);

const eventSchema = z.discriminatedUnion('kind', [
  /** One product changed (e.g. an inventory update): evict that product's entries. */
  z.object({ kind: z.literal('product'), shopId: idText, productId: idText }).strict(),
  /** Anything of the shop may have changed: evict the shop's entries. */
  z.object({ kind: z.literal('shop'), shopId: idText }).strict(),
  /** A seller, its tokens or its shops changed in the token store: re-read it (never a token). */
  z.object({ kind: z.literal('seller') }).strict(),
  /** Evict everything; also delivered locally when messages may have been missed. */
  z.object({ kind: z.literal('all') }).strict(),
]);

export type InvalidationEvent = z.infer<typeof eventSchema>;

const messageSchema = z.object({
  v: z.literal(1),
  origin: z.string().min(1),
  event: eventSchema,
});

export interface InvalidationMeta {
  /** instanceId of the replica that published the event. */
  origin: string;
}

export type InvalidationHandler = (event: InvalidationEvent, meta: InvalidationMeta) => void;

export interface InvalidationBusOptions {
  /** A client from createRedisConnection; publishes on it, subscribes on a duplicate of it. */
  redis: Redis;
  /** Pub/sub channel (RedisConfig.invalidationChannel). */
  channel: string;
  /** This replica (RedisConfig.instanceId); its own messages are not handed back to it. */
  instanceId: string;
  /** Events kept while Redis is down; beyond this they collapse into one `all`. Default 1 000. */
  maxPending?: number;
  logger?: RedisLogger;
}

export interface InvalidationBus {
  readonly instanceId: string;
  /** Events kept during an outage, not yet sent. */
  readonly pendingEvents: number;
  /**
   * Sends `event` to the other replicas. Resolves true when Redis took it, false when Redis is
   * down: then it is kept and sent when Redis answers again. Never rejects for an outage, so a
   * write that succeeded upstream never fails because of the broadcast.
   */
  publish(event: InvalidationEvent): Promise<boolean>;
  /**
   * Calls `handler` for each event another replica publishes. Resolves, with an unsubscribe
   * function, once the subscription is active or Redis turned out to be down (it is made when
   * Redis comes back). After each reconnection the handler gets `{ kind: 'all' }`, because
   * pub/sub does not keep what was published while this replica was cut off.
   */
  subscribe(handler: InvalidationHandler): Promise<() => void>;
  /** Closes the subscriber connection (not `redis`). */
  close(): Promise<void>;
}

/** Validates the event a caller hands in; an invalid one is a bug, so it throws. */
function parseEvent(event: InvalidationEvent): InvalidationEvent {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new TypeError(`Invalid cache invalidation event: ${parsed.error}`);
  return parsed.data;
}

export function createInvalidationBus(options: InvalidationBusOptions): InvalidationBus {
  const { redis, channel, instanceId } = options;
  const logger = options.logger ?? silentRedisLogger;
  const maxPending = options.maxPending ?? 1_000;
  const handlers = new Set<InvalidationHandler>();
  let pending: InvalidationEvent[] = [];
  const publishOutage = createOutageLog(logger, {
    down:
      'Redis unavailable: cache invalidations are kept and broadcast when it is back; other ' +
      'replicas may serve stale entries until then (at most CACHE_TTL_MS)',
    up: 'Redis answers again: cache invalidations are broadcast again',
  });
  let flushing: Promise<void> | undefined;
  let subscriber: Redis | undefined;
  let started: Promise<void> | undefined;
  let hasSubscribed = false;
  let isClosed = false;

  const deliver = (event: InvalidationEvent, meta: InvalidationMeta) => {
    for (const handler of handlers) {
      try {
        handler(event, meta);
      } catch (error) {
        logger.warn({ error: describeError(error) }, 'Cache invalidation handler failed');
      }
    }
  };

  const send = (event: InvalidationEvent) =>
    redis.publish(channel, JSON.stringify({ v: 1, origin: instanceId, event }));

  const keep = (event: InvalidationEvent) => {
    pending.push(event);
    // Past the bound only "evict everything" is still correct for what was dropped.
    if (pending.length > maxPending) pending = [{ kind: 'all' }];
  };

  /** Sends kept events in order; stops at the first failure and keeps the rest. */
  function flush(): Promise<void> {
    if (!flushing) {
      flushing = (async () => {
        while (pending.length > 0) {
          const next = pending[0] as InvalidationEvent;
          try {
            await send(next);
          } catch {
            return;
          }
          pending.shift();
        }
        publishOutage.up();
      })().finally(() => {
        flushing = undefined;
      });
    }
    return flushing;
  }

  const onPublisherReady = () => {
    if (pending.length > 0) void flush();
  };
  redis.on('ready', onPublisherReady);

  const onMessage = (from: string, text: string) => {
    if (from !== channel) return;
    let message: z.infer<typeof messageSchema>;
    try {
      const parsed = messageSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw parsed.error;
      message = parsed.data;
    } catch {
      logger.warn({ channel }, 'Ignored a malformed cache invalidation message');
      return;
    }
    if (message.origin === instanceId) return;
    deliver(message.event, { origin: message.origin });
  };

  async function listen(connection: Redis): Promise<void> {
    try {
      await connection.subscribe(channel);
    } catch (error) {
      logger.warn(
        { channel, error: describeError(error) },
        'Cache invalidation subscription failed; retried when Redis answers',
      );
      return;
    }
    if (hasSubscribed) {
      logger.warn({ channel }, 'Cache invalidation subscription restored; evicting everything');
      deliver({ kind: 'all' }, { origin: instanceId });
    }
    hasSubscribed = true;
  }

  function start(): Promise<void> {
    if (started) return started;
    // Subscribed connections take no other commands; the subscription is renewed by hand on
    // each 'ready' so that it can also say that messages may have been missed.
    const connection = redis.duplicate({ autoResubscribe: false });
    subscriber = connection;
    let isDown = false;
    connection.on('error', (error: Error) => {
      if (isDown) return;
      isDown = true;
      logger.warn({ channel, error: error.message }, 'Cache invalidation subscriber lost Redis');
    });
    connection.on('message', onMessage);
    started = new Promise<void>((resolve) => {
      connection.on('ready', () => {
        isDown = false;
        void listen(connection).finally(resolve);
      });
      // Redis down at start: do not hold the caller; 'ready' subscribes later.
      connection.once('error', () => resolve());
      connection.once('end', () => resolve());
    });
    return started;
  }

  return {
    instanceId,
    get pendingEvents() {
      return pending.length;
    },

    async publish(event) {
      const valid = parseEvent(event);
      if (pending.length > 0) await flush();
      if (pending.length === 0) {
        try {
          await send(valid);
          return true;
        } catch (error) {
          if (!isRedisUnavailable(error)) throw error;
          publishOutage.down({ channel }, error);
        }
      }
      keep(valid);
      return false;
    },

    async subscribe(handler) {
      if (isClosed) throw new Error('The cache invalidation bus is closed');
      handlers.add(handler);
      await start();
      return () => {
        handlers.delete(handler);
      };
    },

    async close() {
      isClosed = true;
      handlers.clear();
      redis.off('ready', onPublisherReady);
      const connection = subscriber;
      subscriber = undefined;
      if (!connection) return;
      if (connection.status === 'ready') {
        await connection.quit().catch(() => connection.disconnect());
      } else {
        connection.disconnect();
      }
    },
  };
}
