// An older event never overwrites what a newer one set (issue 13). TikTok does not promise order:
// a retry 30 minutes late can report a status the order has already left. For each (type,
// object) the update_time last applied is kept (in Redis when scaled out, for every replica);
// an event about the same object with an earlier update_time is stale, and the processor drops
// it: the newer event already evicted the cache and told subscribers. Equal times both apply.
import { defineScript, isRedisUnavailable } from '../redis/redis-connection.js';
import { EVENT_TYPES } from './event-types.js';
import { createKeptState, type KeptStateOptions } from './kept-state.js';
import type { TikTokEvent } from './tiktok-event.js';

export interface UpdateOrder {
  /**
   * true when `updateTime` (Unix seconds) is not older than the last one admitted for
   * `subject`, which it then becomes; false for a stale event.
   */
  admit(subject: string, updateTime: number): Promise<boolean>;
}

/**
 * What `event` is the version of, e.g. `1:576486316948490001` (ORDER_STATUS_CHANGE of that
 * order); undefined when it carries no update_time or its type names no object (event-types.ts).
 */
export function orderingSubject(event: TikTokEvent): string | undefined {
  const field = EVENT_TYPES.get(event.type)?.orderedBy;
  const id = field === undefined ? undefined : event.data[field];
  if (event.updateTime === undefined || (typeof id !== 'string' && typeof id !== 'number')) {
    return undefined;
  }
  return `${event.type}:${id}`;
}

/** KEYS the subject's key; ARGV update time, TTL ms. 1: admitted (and stored), 0: stale. */
const ADMIT = defineScript(`
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

export function createUpdateOrder(options: KeptStateOptions): UpdateOrder {
  const { ttlMs, redis } = options;
  const { local: applied, outage } = createKeptState<number>(options, {
    down: 'Redis unavailable: webhook events are ordered on this replica only until it is back',
    up: 'Redis answers again: webhook events are ordered across replicas again',
  });

  /** This replica's view; also what decides while Redis is down. */
  const admitHere = (subject: string, updateTime: number) => {
    if ((applied.get(subject) ?? Number.NEGATIVE_INFINITY) > updateTime) return false;
    applied.set(subject, updateTime);
    return true;
  };

  return {
    async admit(subject, updateTime) {
      if (!redis) return admitHere(subject, updateTime);
      try {
        const answer = await ADMIT.run(
          redis.connection,
          [`${redis.keyPrefix}webhooks:at:${subject}`],
          [updateTime, ttlMs],
        );
        outage.up();
        if (answer !== 1) return false;
        applied.set(subject, Math.max(applied.get(subject) ?? updateTime, updateTime));
        return true;
      } catch (error) {
        if (!isRedisUnavailable(error)) throw error;
        outage.down({}, error);
        return admitHere(subject, updateTime);
      }
    },
  };
}
