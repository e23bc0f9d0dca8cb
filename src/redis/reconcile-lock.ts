// The reconciler's lock shared by every replica (issue 13): one replica at a time reconciles a shop,
// so two replicas do not both search it and spend its budget twice. Never waited for: a replica
// that finds it held leaves the shop to the holder until the next interval.
import type { ReconcileLock } from '../webhooks/reconciler.js';
import type { RedisLogger } from './logger.js';
import type { Redis } from './redis-connection.js';
import { createRedisLock, type LockRefusalReason } from './redis-lock.js';

/**
 * Lock lifetime, ms; renewed every third of it while the run lasts, so a replica that dies
 * mid-run frees the shop within this.
 */
const LOCK_TTL_MS = 15_000;

class ReconcileLockRefusal extends Error {
  override name = 'ReconcileLockRefusal';
  constructor(
    readonly reason: LockRefusalReason,
    shopId: string,
    options?: { cause?: unknown },
  ) {
    super(`Reconciling shop ${shopId}: lock not taken (${reason})`, options);
  }
}

export interface RedisReconcileLockOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix): locks live at `<prefix>lock:reconcile:<shop>`. */
  keyPrefix: string;
  logger?: RedisLogger;
}

export function createRedisReconcileLock(options: RedisReconcileLockOptions): ReconcileLock {
  const lock = createRedisLock({
    redis: options.redis,
    keyOf: (shopId) => `${options.keyPrefix}lock:reconcile:${shopId}`,
    ttlMs: LOCK_TTL_MS,
    waitMs: 0,
    refusal: (shopId, reason, cause) => new ReconcileLockRefusal(reason, shopId, { cause }),
    messages: {
      down: 'Redis unavailable: the reconciler pauses until it is back (webhooks still arrive)',
      up: 'Redis answers again: the reconciler resumes',
      lost: 'Reconciler lock expired while the run lasted; another replica may reconcile the shop too',
      notReleased: 'Reconciler lock not released (Redis unavailable); it expires after its TTL',
    },
    logger: options.logger,
  });
  return {
    async runAlone(shopId, work) {
      try {
        await lock.withLock(shopId, () => work());
        return 'ran';
      } catch (error) {
        if (!(error instanceof ReconcileLockRefusal)) throw error;
        return error.reason === 'lock_timeout' ? 'held' : 'unavailable';
      }
    },
  };
}
