// The event bus (issue 13): every subscriber gets every event published after it subscribed, and
// one that stops reading falls behind by at most SUBSCRIBER_BUFFER_EVENTS (the oldest are dropped)
// instead of overflowing its queue, which would throw in the event listener and end the process.
import { describe, expect, it } from 'vitest';
import { createTikTokEventBus, SUBSCRIBER_BUFFER_EVENTS } from '../../src/webhooks/event-bus.js';
import type { TikTokEvent } from '../../src/webhooks/tiktok-event.js';

const event = (index: number): TikTokEvent => ({
  type: 1,
  shopId: '7431640170955564826',
  notificationId: String(index),
  timestamp: 1_700_000_000,
  data: { order_id: String(index) },
});

describe('createTikTokEventBus', () => {
  it('delivers to every subscriber; a slow one keeps only the newest events', async () => {
    const bus = createTikTokEventBus();
    const reader = bus.subscribe();
    const stuck = bus.subscribe();
    const firstRead = reader.next();
    const stuckRead = stuck.next();
    bus.publish(event(0));
    expect((await firstRead).value).toEqual(event(0));
    expect((await stuckRead).value).toEqual(event(0));

    const total = SUBSCRIBER_BUFFER_EVENTS + 500;
    for (let index = 1; index <= total; index += 1) {
      bus.publish(event(index));
      if (index <= 3) expect((await reader.next()).value?.notificationId).toBe(String(index));
    }
    const kept: string[] = [];
    for (let index = 0; index < SUBSCRIBER_BUFFER_EVENTS; index += 1) {
      kept.push((await stuck.next()).value?.notificationId ?? '');
    }
    expect(kept[0]).toBe(String(total - SUBSCRIBER_BUFFER_EVENTS + 1));
    expect(kept.at(-1)).toBe(String(total));
    await reader.return?.();
    await stuck.return?.();
  });
});
