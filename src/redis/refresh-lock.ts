// The refresh lock shared by every replica (issue #6): one replica at a time renews a seller's
// tokens, because TikTok rotates the refresh token (§2.3) and a second use of it fails.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RefreshLock } from '../auth/token-manager.js';
import { RefreshUnavailableError } from './errors.js';
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

export interface RedisRefreshLockOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix): locks live at `<prefix>lock:refresh:<open_id>`. */
  keyPrefix: string;
  /**
   * Lock lifetime, ms (REDIS_REFRESH_LOCK_TTL_MS, default 15 000). A live holder extends it every
   * third of it; a holder that dies stops extending and the lock expires after at most this.
   */
  ttlMs?: number;
  /** Longest wait for another holder, ms (REDIS_REFRESH_WAIT_MS, default 30 000). */
  waitMs?: number;
  /** Pause between attempts to take a held lock, ms, ±50 % jitter. Default 50. */
  pollMs?: number;
  logger?: RedisLogger;
}

/** A held lock. */
export interface LockLease {
  readonly openId: string;
  /** Extends the lock by its TTL; false when it was lost (expired and maybe taken). */
  extend(): Promise<boolean>;
  /** Releases the lock; false when it was no longer ours. */
  release(): Promise<boolean>;
}

export interface RedisRefreshLock extends RefreshLock {
  /**
   * Takes the seller's lock if nobody holds it (SET NX PX); null when someone does. Not extended
   * by itself: `withLock` does that. Rejects with the Redis error when Redis is down.
   */
  tryAcquire(openId: string): Promise<LockLease | null>;
}

/**
 * A RefreshLock on Redis. `withLock` waits (polling) while another replica holds the seller's
 * lock, then runs the work, which re-reads the store and finds the tokens already renewed. It
 * refuses with RefreshUnavailableError when Redis does not answer (no lock, no refresh: a race
 * would burn the refresh token) or when the wait runs out. Should a holder stall past the TTL, a
 * second replica may refresh too; the token store's compare-and-set on the version still keeps
 * the late one from overwriting newer tokens.
 */
export function createRedisRefreshLock(options: RedisRefreshLockOptions): RedisRefreshLock {
  const { redis } = options;
  const ttlMs = options.ttlMs ?? 15_000;
  const waitMs = options.waitMs ?? 30_000;
  const pollMs = options.pollMs ?? 50;
  const logger = options.logger ?? silentRedisLogger;
  const lockKey = (openId: string) => `${options.keyPrefix}lock:refresh:${openId}`;

  async function tryAcquire(openId: string): Promise<LockLease | null> {
    const key = lockKey(openId);
    const token = randomBytes(16).toString('hex');
    const reply = await redis.set(key, token, 'PX', ttlMs, 'NX');
    if (reply !== 'OK') return null;
    return {
      openId,
      extend: async () => (await EXTEND.run(redis, [key], [token, ttlMs])) === 1,
      release: async () => (await RELEASE.run(redis, [key], [token])) === 1,
    };
  }

  /** Refreshes are refused while Redis is down: logged once, not once per seller. */
  const outage = createOutageLog(logger, {
    down:
      'Redis unavailable: token refreshes are refused until it is back (still-valid access ' +
      'tokens keep being served)',
    up: 'Redis answers again: token refreshes resume',
  });

  async function acquire(openId: string): Promise<LockLease> {
    const deadline = performance.now() + waitMs;
    for (;;) {
      let lease: LockLease | null;
      try {
        lease = await tryAcquire(openId);
      } catch (error) {
        if (!isRedisUnavailable(error)) throw error;
        outage.down({ openId }, error);
        throw new RefreshUnavailableError('redis_unavailable', openId, { cause: error });
      }
      outage.up();
      if (lease) return lease;
      if (performance.now() >= deadline) {
        throw new RefreshUnavailableError('lock_timeout', openId);
      }
      await sleep(pollMs * (0.5 + Math.random()));
    }
  }

  return {
    tryAcquire,

    async withLock(openId, work) {
      const lease = await acquire(openId);
      let isLost = false;
      const keepAlive = setInterval(
        () => {
          lease
            .extend()
            .then((isHeld) => {
              if (isHeld || isLost) return;
              isLost = true;
              logger.warn(
                { openId },
                'Refresh lock expired while the refresh ran; the version check still keeps a ' +
                  'late write from overwriting newer tokens',
              );
            })
            .catch(() => {
              // Redis is down: the lock expires by itself; the store's version check guards.
            });
        },
        Math.max(1, Math.floor(ttlMs / 3)),
      );
      keepAlive.unref();
      try {
        return await work();
      } finally {
        clearInterval(keepAlive);
        await lease.release().catch((error: unknown) => {
          logger.warn(
            { openId, error: describeError(error) },
            'Refresh lock not released (Redis unavailable); it expires after its TTL',
          );
        });
      }
    },
  };
}
