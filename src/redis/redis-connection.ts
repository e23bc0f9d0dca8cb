// ioredis clients tuned for the fallbacks of issue #6: while Redis is down a command fails at
// once (no offline queue, no resend) so each piece can switch to its documented fallback, and the
// client keeps reconnecting in the background so the pieces return to Redis by themselves.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { type RedisLogger, silentRedisLogger } from './logger.js';
import { describeRedisUrl } from './redis-config.js';

export type { Redis };

export interface RedisConnectionOptions {
  /** redis:// or rediss:// URL (RedisConfig.url). */
  url: string;
  /** CLIENT SETNAME, to tell connections apart in CLIENT LIST. */
  name?: string;
  /** Time to establish the connection, ms. Default 2 000. */
  connectTimeoutMs?: number;
  /** A command unanswered after this fails, ms. Default 1 000. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts, ms. Default 2 000. */
  maxReconnectDelayMs?: number;
  logger?: RedisLogger;
}

/**
 * A client that connects at once and reconnects forever (100 ms doubling to
 * `maxReconnectDelayMs`). Commands never wait for a connection: with no connection, or when it
 * drops mid-command, they reject at once, and a command unanswered after `commandTimeoutMs`
 * rejects too. The loss and the return of the connection are logged once each.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const logger = options.logger ?? silentRedisLogger;
  const maxReconnectDelayMs = options.maxReconnectDelayMs ?? 2_000;
  const target = describeRedisUrl(options.url);
  const redis = new Redis(options.url, {
    ...(options.name === undefined ? {} : { connectionName: options.name }),
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    // Queued commands would stall callers for the whole outage; failing fast lets them fall back.
    enableOfflineQueue: false,
    // 0: commands in flight when the connection drops are rejected, not resent later.
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt - 1, 10), maxReconnectDelayMs),
  });
  let isDown = false;
  // Without an 'error' listener ioredis prints every failed reconnection attempt to stderr.
  redis.on('error', (error: Error) => {
    if (isDown) return;
    isDown = true;
    logger.warn({ redis: target, error: error.message }, 'Redis connection failed; reconnecting');
  });
  redis.on('close', () => {
    if (isDown || redis.status === 'end') return;
    isDown = true;
    logger.warn({ redis: target }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!isDown) return;
    isDown = false;
    logger.info({ redis: target }, 'Redis connection restored');
  });
  return redis;
}

/** Resolves true once `redis` is ready, false after `timeoutMs` (the client keeps trying). */
export function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}

/** Closes the connection: QUIT when connected, else stops reconnecting. Never rejects. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // Fall through: the connection broke while quitting.
    }
  }
  redis.disconnect();
}

/**
 * For an error from a Redis command: true when it means Redis could not answer (no connection,
 * dropped, timed out, loading), false for an answer that reports a bug (a script error, a wrong
 * type). Callers keep their own code out of the try, so only ioredis errors reach this.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Bugs in how a command was called are not outages.
  if (error instanceof TypeError || error instanceof RangeError) return false;
  if (error.name !== 'ReplyError') return true;
  return /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|NOREPLICAS)\b/.test(
    error.message,
  );
}

export interface RedisScript {
  /** EVALSHA, falling back to EVAL when the server does not know the script (after a restart). */
  run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown>;
}

export function defineScript(lua: string): RedisScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return redis.eval(lua, keys.length, ...keys, ...args);
      }
    },
  };
}
