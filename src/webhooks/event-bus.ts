// Where accepted webhook events go (issue 13): a typed publisher on Yoga's createPubSub. In process
// by default; given a shared event target (@graphql-yoga/redis-event-target), an event published
// on one replica reaches the subscribers of every replica. Subscriptions over SSE and the
// reconciler plug in here.
import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import type { TikTokEvent } from './tiktok-event.js';

/** The one topic: every event, whatever its type and shop (subscribers filter). */
export const TIKTOK_EVENT_TOPIC = 'tiktok:event';

export type TikTokEventTopics = { [TIKTOK_EVENT_TOPIC]: [event: TikTokEvent] };

export interface TikTokEventBus {
  /** Hands `event` to every current subscriber (on every replica, with a shared target). */
  publish(event: TikTokEvent): void;
  /** Every event published from now on, until the iterator is returned. */
  subscribe(): AsyncIterableIterator<TikTokEvent>;
}

export interface TikTokEventBusOptions {
  /** A shared event target (e.g. createRedisEventTarget). Default: an in-process one. */
  eventTarget?: PubSubEventTarget<TikTokEventTopics>;
}

export function createTikTokEventBus(options: TikTokEventBusOptions = {}): TikTokEventBus {
  const pubSub = createPubSub<TikTokEventTopics>(
    options.eventTarget ? { eventTarget: options.eventTarget } : {},
  );
  return {
    publish: (event) => pubSub.publish(TIKTOK_EVENT_TOPIC, event),
    subscribe: () => pubSub.subscribe(TIKTOK_EVENT_TOPIC),
  };
}
