// Where accepted webhook events go (issue 13): a typed publisher on Yoga's createPubSub. In process
// by default; given a shared event target (@graphql-yoga/redis-event-target), an event published
// on one replica reaches the subscribers of every replica. Subscriptions over SSE and the
// reconciler plug in here.
import {
  createPubSub,
  type PubSubEvent,
  type PubSubEventTarget,
  Repeater,
  SlidingBuffer,
} from 'graphql-yoga';
import type { TikTokEvent } from './tiktok-event.js';

/** The one topic: every event, whatever its type and shop (subscribers filter). */
export const TIKTOK_EVENT_TOPIC = 'tiktok:event';

/**
 * Events a subscriber may fall behind by before the oldest are dropped. Without a bound a stuck
 * subscriber overflows its queue, and the error thrown in the event listener ends the process.
 */
export const SUBSCRIBER_BUFFER_EVENTS = 1_000;

export type TikTokEventTopics = { [TIKTOK_EVENT_TOPIC]: [event: TikTokEvent] };

export interface TikTokEventBus {
  /** Hands `event` to every current subscriber (on every replica, with a shared target). */
  publish(event: TikTokEvent): void;
  /** Every event published from now on, until the iterator is returned. */
  subscribe(): AsyncIterableIterator<TikTokEvent>;
}

export interface TikTokEventBusOptions {
  /** A shared event target (e.g. createRedisEventTarget). Default: an in-process one. */
  eventTarget?: PubSubEventTarget<TikTokEventTopics> | undefined;
}

export function createTikTokEventBus(options: TikTokEventBusOptions = {}): TikTokEventBus {
  const target: PubSubEventTarget<TikTokEventTopics> = options.eventTarget ?? new EventTarget();
  const pubSub = createPubSub<TikTokEventTopics>({ eventTarget: target });
  return {
    publish: (event) => pubSub.publish(TIKTOK_EVENT_TOPIC, event),
    // createPubSub would share one buffer among all its subscribers: each gets its own here.
    subscribe: () =>
      new Repeater<TikTokEvent>((push, stop) => {
        const listener = (event: PubSubEvent<TikTokEventTopics, typeof TIKTOK_EVENT_TOPIC>) => {
          void push(event.detail);
        };
        target.addEventListener(TIKTOK_EVENT_TOPIC, listener);
        void stop.then(() => target.removeEventListener(TIKTOK_EVENT_TOPIC, listener));
      }, new SlidingBuffer(SUBSCRIBER_BUFFER_EVENTS)),
  };
}
