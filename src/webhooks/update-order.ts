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
  /**
   * The reconciler's sighting of an object at `updateTime` (sightingSubjects: one subject per
   * type ordered by that object): true when no event or sighting at `updateTime` or later was
   * admitted for any of them, and each then stands at `updateTime` + ½. A search answers the
   * object's state at the end of that second, so the sighting sorts after every event of the
   * second: a webhook of the same update_time arriving later is stale, and so is the same
   * sighting made again.
   */
  admitSighting(subjects: string[], updateTime: number): Promise<boolean>;
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

/**
 * What `event` (a reconciler's) is a sighting of: the subject of every type ordered by the same
 * object, e.g. `1:<order>` and `3:<order>` for an order; [] when it names no ordered object.
 */
export function sightingSubjects(event: TikTokEvent): string[] {
  const field = EVENT_TYPES.get(event.type)?.orderedBy;
  const id = field === undefined ? undefined : event.data[field];
  if (typeof id !== 'string' && typeof id !== 'number') return [];
  return [...EVENT_TYPES]
    .filter(([, entry]) => entry.orderedBy === field)
    .map(([type]) => `${type}:${id}`);
}

/** KEYS the subject's key; ARGV update time, TTL ms. 1: admitted (and stored), 0: stale. */
const ADMIT = defineScript(`
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** KEYS the subjects' keys; ARGV update time, TTL ms. 1: admitted (every key at time + ½), 0: seen. */
const ADMIT_SIGHTING = defineScript(`
for _, key in ipairs(KEYS) do
  local current = redis.call('GET', key)
  if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1] .. '.5', 'PX', ARGV[2]) end
return 1
`);

/** Where a sighting stands: after every event of its second, before any of the next. */
const SIGHTING_OFFSET = 0.5;

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

  const sightHere = (subjects: string[], updateTime: number) => {
    if (
      subjects.some((subject) => (applied.get(subject) ?? Number.NEGATIVE_INFINITY) >= updateTime)
    ) {
      return false;
    }
    for (const subject of subjects) applied.set(subject, updateTime + SIGHTING_OFFSET);
    return true;
  };

  /** Runs `script` on Redis, or decides here without Redis or while it is down. */
  async function decide(
    script: typeof ADMIT,
    subjects: string[],
    updateTime: number,
    here: () => boolean,
    stored: number,
  ): Promise<boolean> {
    if (!redis) return here();
    try {
      const answer = await script.run(
        redis.connection,
        subjects.map((subject) => `${redis.keyPrefix}webhooks:at:${subject}`),
        [updateTime, ttlMs],
      );
      outage.up();
      if (answer !== 1) return false;
      for (const subject of subjects) {
        applied.set(subject, Math.max(applied.get(subject) ?? stored, stored));
      }
      return true;
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      outage.down({}, error);
      return here();
    }
  }

  return {
    admit: (subject, updateTime) =>
      decide(ADMIT, [subject], updateTime, () => admitHere(subject, updateTime), updateTime),
    admitSighting: (subjects, updateTime) =>
      decide(
        ADMIT_SIGHTING,
        subjects,
        updateTime,
        () => sightHere(subjects, updateTime),
        updateTime + SIGHTING_OFFSET,
      ),
  };
}
