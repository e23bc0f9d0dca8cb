// A named lock every replica shares (issue #6): SET NX PX with a random token, renewed every third
// of its lifetime while its work runs, extended and released only by the holder of the token (Lua).
// The refresh lock (refresh-lock.ts) and the stock-write lock (write-lock.ts) are two uses of it.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createOutageLog, describeError, type RedisLogger, silentRedisLogger } from './logger.js';
import { defineScript, isRedisUnavailable, type Redis } from './redis-connection.js';

/** Deletes the lock only if it still holds our token: never another holder's lock. */
const RELEASE = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Extends the lock only if it still holds our token. */
const EXTEND = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** A held lock. */
export interface LockLease {
  /** The lock's name (a seller's open_id, a product's key). */
  readonly name: string;
  /** Extends the lock by its TTL; false when it was lost (expired and maybe taken). */
  extend(): Promise<boolean>;
  /** Releases the lock; false when it was no longer ours. */
  release(): Promise<boolean>;
}

/** What the work learns about its lock while it runs. */
export interface HeldLease {
  /** false once the lock may have expired: its last renewal is older than the TTL, or failed. */
  isHeld(): boolean;
}

export type LockRefusalReason =
  /** Redis did not answer, so this replica cannot tell whether another one holds the lock. */
  | 'redis_unavailable'
  /** Another holder kept the lock for longer than `waitMs`. */
  | 'lock_timeout';

export interface RedisLockOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** The Redis key of the lock called `name`. */
  keyOf(name: string): string;
  /** Lock lifetime, ms; a live holder extends it every third of it. */
  ttlMs: number;
  /** Longest wait for another holder, ms. */
  waitMs: number;
  /** Pause between attempts to take a held lock, ms, ±50 % jitter. Default 50. */
  pollMs?: number;
  /** The error `withLock` rejects with when the lock cannot be had (the work did not run). */
  refusal(name: string, reason: LockRefusalReason, cause?: unknown): Error;
  /** What an operator reads: Redis down and back (once per outage), a lease lost, a lock kept. */
  messages: { down: string; up: string; lost: string; notReleased: string };
  logger?: RedisLogger;
}

export interface RedisLock {
  /**
   * Takes the lock if nobody holds it (SET NX PX); null when someone does. Not extended by
   * itself: `withLock` does that. Rejects with the Redis error when Redis is down.
   */
  tryAcquire(name: string): Promise<LockLease | null>;
  /**
   * Waits (polling) while another replica holds the lock, runs `work` while renewing it, then
   * releases it. Rejects with `refusal(…)` when Redis does not answer or the wait runs out.
   */
  withLock<T>(name: string, work: (held: HeldLease) => Promise<T>): Promise<T>;
}

export function createRedisLock(options: RedisLockOptions): RedisLock {
  const { redis, ttlMs, waitMs, messages } = options;
  const pollMs = options.pollMs ?? 50;
  const logger = options.logger ?? silentRedisLogger;
  const outage = createOutageLog(logger, { down: messages.down, up: messages.up });

  /** A lease, and until when it is surely ours: a lifetime counted from before the SET. */
  async function take(name: string): Promise<{ lease: LockLease; heldUntil: number } | null> {
    const key = options.keyOf(name);
    const token = randomBytes(16).toString('hex');
    const askedAt = performance.now();
    const reply = await redis.set(key, token, 'PX', ttlMs, 'NX');
    if (reply !== 'OK') return null;
    const lease: LockLease = {
      name,
      extend: async () => (await EXTEND.run(redis, [key], [token, ttlMs])) === 1,
      release: async () => (await RELEASE.run(redis, [key], [token])) === 1,
    };
    return { lease, heldUntil: askedAt + ttlMs };
  }

  async function acquire(name: string): Promise<{ lease: LockLease; heldUntil: number }> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      let taken: Awaited<ReturnType<typeof take>>;
      try {
        taken = await take(name);
      } catch (error) {
        if (!isRedisUnavailable(error)) throw error;
        outage.down({ lock: name }, error);
        throw options.refusal(name, 'redis_unavailable', error);
      }
      outage.up();
      if (taken) return taken;
      if (performance.now() >= deadline) throw options.refusal(name, 'lock_timeout');
      await sleep(pollMs * (0.5 + Math.random()));
    }
  }

  return {
    tryAcquire: async (name) => (await take(name))?.lease ?? null,

    async withLock(name, work) {
      const taken = await acquire(name);
      const { lease } = taken;
      let { heldUntil } = taken;
      let isLost = false;
      const keepAlive = setInterval(
        () => {
          const askedAt = performance.now();
          lease
            .extend()
            .then((isHeld) => {
              if (isHeld) {
                heldUntil = askedAt + ttlMs;
                return;
              }
              if (isLost) return;
              isLost = true;
              logger.warn({ lock: name }, messages.lost);
            })
            .catch(() => {
              // Redis is down: the lock expires by itself, and isHeld() says so when it has.
            });
        },
        Math.max(1, Math.floor(ttlMs / 3)),
      );
      keepAlive.unref();
      try {
        return await work({ isHeld: () => !isLost && performance.now() < heldUntil });
      } finally {
        clearInterval(keepAlive);
        await lease.release().catch((error: unknown) => {
          logger.warn({ lock: name, error: describeError(error) }, messages.notReleased);
        });
      }
    },
  };
}
