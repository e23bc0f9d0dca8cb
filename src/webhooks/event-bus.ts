// Where accepted webhook events go (issue 13): a typed publisher on Yoga's createPubSub. In process
// by default; given a shared event target (src/redis/event-target.ts), an event published on one
// replica reaches the subscribers of every replica. The GraphQL subscriptions and the reconciler
// plug in here.
import { setMaxListeners } from 'node:events';
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

/** What a consumer of the events needs (the GraphQL subscriptions get one from createApp). */
export interface TikTokEventFeed {
  /**
   * Every event published from now on, until the iterator is returned or `signal` aborts: then
   * the events already buffered are read and the iterator is done.
   */
  subscribe(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<TikTokEvent>;
}

export interface TikTokEventBus extends TikTokEventFeed {
  /** Hands `event` to every current subscriber (on every replica, with a shared target). */
  publish(event: TikTokEvent): void;
  /**
   * Calls `listener` with each event as it arrives here, synchronously, before any subscriber's
   * iterator resumes with it; answers what removes the listener.
   */
  onEvent(listener: (event: TikTokEvent) => void): () => void;
  /** Iterators reading now (the subscription streams of this replica among them). */
  readonly subscribers: number;
}

export interface TikTokEventBusOptions {
  /** A shared event target (createSharedEventTarget). Default: an in-process one. */
  eventTarget?: PubSubEventTarget<TikTokEventTopics> | undefined;
}

export function createTikTokEventBus(options: TikTokEventBusOptions = {}): TikTokEventBus {
  const target: PubSubEventTarget<TikTokEventTopics> = options.eventTarget ?? new EventTarget();
  // One listener per subscription stream: many streams are the point, not a leak.
  if (target instanceof EventTarget) setMaxListeners(0, target);
  const pubSub = createPubSub<TikTokEventTopics>({ eventTarget: target });
  let subscribers = 0;
  const onEvent = (listener: (event: TikTokEvent) => void) => {
    const handler = (event: PubSubEvent<TikTokEventTopics, typeof TIKTOK_EVENT_TOPIC>) => {
      // A shared target hands on what its channel carried; a message that was not JSON is null.
      if (event.detail !== null) listener(event.detail);
    };
    target.addEventListener(TIKTOK_EVENT_TOPIC, handler);
    return () => target.removeEventListener(TIKTOK_EVENT_TOPIC, handler);
  };
  return {
    publish: (event) => pubSub.publish(TIKTOK_EVENT_TOPIC, event),
    onEvent,
    get subscribers() {
      return subscribers;
    },
    // createPubSub would share one buffer among all its subscribers: each gets its own here.
    subscribe: ({ signal } = {}) =>
      new Repeater<TikTokEvent>(async (push, stop) => {
        const remove = onEvent((event) => void push(event));
        subscribers += 1;
        const end = () => stop();
        signal?.addEventListener('abort', end, { once: true });
        if (signal?.aborted) stop();
        await stop;
        signal?.removeEventListener('abort', end);
        remove();
        subscribers -= 1;
      }, new SlidingBuffer(SUBSCRIBER_BUFFER_EVENTS)),
  };
}

/** `feed`, each of its iterators also ending when `signal` aborts (createApp: drain or close). */
export function feedEndingWith(feed: TikTokEventFeed, signal: AbortSignal): TikTokEventFeed {
  // Each open stream listens to `signal`.
  setMaxListeners(0, signal);
  return {
    subscribe: (options = {}) =>
      feed.subscribe({
        signal: options.signal ? AbortSignal.any([signal, options.signal]) : signal,
      }),
  };
}
