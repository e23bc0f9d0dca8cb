// What happens to a verified delivery after it was answered (issue 13), in order: a repeat of a
// notification already handled stops here, so does an event for a shop no stored seller
// authorised, and one older than what a newer event about the same object set; the rest evicts
// what it made stale, notes authorisation changes, and is published.
import type { TokenStore } from '../auth/token-store.js';
import type { SharedCache } from '../datasources/tiktok/cache.js';
import type { Logger } from '../logger.js';
import { applyAuthorizationNotice } from './authorization-notices.js';
import type { DeliveryDedup } from './delivery-dedup.js';
import type { TikTokEventBus } from './event-bus.js';
import { evictStale } from './freshness.js';
import type { KnownShops } from './known-shops.js';
import type { TikTokEvent } from './tiktok-event.js';
import { orderingSubject, sightingSubjects, type UpdateOrder } from './update-order.js';

export type ProcessingOutcome = 'published' | 'duplicate' | 'unknown-shop' | 'stale' | 'failed';

export interface EventProcessorDeps {
  dedup: DeliveryDedup;
  updateOrder: UpdateOrder;
  shops: KnownShops;
  /** The invalidator's cache: evictions reach every replica. */
  cache: Pick<SharedCache, 'invalidateProduct'>;
  store: TokenStore;
  bus: TikTokEventBus;
  logger: Logger;
}

export type EventProcessor = (event: TikTokEvent) => Promise<ProcessingOutcome>;

/** What every log line about an event says (not `data`, which may carry a buyer's details). */
const fieldsOf = (event: TikTokEvent) => ({
  type: event.type,
  shopId: event.shopId,
  notificationId: event.notificationId,
});

export function createEventProcessor(deps: EventProcessorDeps): EventProcessor {
  const { logger } = deps;

  /** false when a newer event (or the same sighting) already reported the object. */
  async function isCurrent(event: TikTokEvent): Promise<boolean> {
    if (event.updateTime === undefined) return true;
    if (event.source === 'reconciler') {
      const subjects = sightingSubjects(event);
      return subjects.length === 0 || deps.updateOrder.admitSighting(subjects, event.updateTime);
    }
    const subject = orderingSubject(event);
    return subject === undefined || deps.updateOrder.admit(subject, event.updateTime);
  }

  async function run(event: TikTokEvent): Promise<ProcessingOutcome> {
    const fields = fieldsOf(event);
    // A reconciler's event is deduplicated by its sighting (update-order.ts); a claimed id would
    // also make a failed attempt final, and the next search could not make up for it.
    if (event.source !== 'reconciler' && !(await deps.dedup.claim(event.notificationId))) {
      logger.debug(fields, 'Webhook delivery repeated (a TikTok retry): already handled');
      return 'duplicate';
    }
    if (!(await deps.shops.has(event.shopId))) {
      logger.warn(fields, 'Webhook for a shop no stored seller authorised: dropped');
      return 'unknown-shop';
    }
    if (!(await isCurrent(event))) {
      const staleFields = { ...fields, updateTime: event.updateTime };
      // Every run sees again what the last ones found: not worth an info line each time.
      if (event.source === 'reconciler') {
        logger.debug(staleFields, 'Change found by the reconciler was already reported');
      } else {
        logger.info(
          staleFields,
          'Webhook older than one already applied to the same object: dropped',
        );
      }
      return 'stale';
    }
    const evicted = evictStale(deps.cache, event);
    await applyAuthorizationNotice(event, deps);
    deps.bus.publish(event);
    logger.debug({ ...fields, evicted }, 'Webhook processed');
    return 'published';
  }

  return async (event) => {
    try {
      return await run(event);
    } catch (error) {
      // Already answered 200, so TikTok does not send it again: the loss is logged.
      logger.warn(
        { ...fieldsOf(event), error: error instanceof Error ? error.message : String(error) },
        'Processing a webhook failed; the event is lost',
      );
      return 'failed';
    }
  };
}
