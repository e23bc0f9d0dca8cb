// The reconciler's cursors shared by every replica (issue 13): one Redis key per shop, so whichever
// replica reconciles the shop next continues where the last one stopped, across restarts.
import { isReconcileCursor, type ReconcileCursorStore } from '../webhooks/reconcile-cursors.js';
import type { Redis } from './redis-connection.js';

/**
 * A cursor left alone this long is dropped, ms: a shop not reconciled for 30 days (no longer
 * authorised, say) starts again from one interval back, as on a first run.
 */
const CURSOR_TTL_MS = 30 * 86_400_000;

export interface RedisReconcileCursorsOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix): cursors live at `<prefix>reconcile:cursor:<shop>`. */
  keyPrefix: string;
}

/** A ReconcileCursorStore on Redis; read and write reject while Redis is down (the run is skipped). */
export function createRedisReconcileCursors(
  options: RedisReconcileCursorsOptions,
): ReconcileCursorStore {
  const { redis, keyPrefix } = options;
  const keyOf = (shopId: string) => `${keyPrefix}reconcile:cursor:${shopId}`;
  return {
    async read(shopId) {
      const text = await redis.get(keyOf(shopId));
      if (text === null) return undefined;
      let cursor: unknown;
      try {
        cursor = JSON.parse(text);
      } catch {
        cursor = undefined;
      }
      // Anything else (a hand edit) counts as no cursor: the shop starts one interval back.
      return isReconcileCursor(cursor) ? cursor : undefined;
    },
    async write(shopId, cursor) {
      await redis.set(keyOf(shopId), JSON.stringify(cursor), 'PX', CURSOR_TTL_MS);
    },
  };
}
