// Raises a §8 event for a shop: finds the addresses its Event API subscriptions name for the type
// and hands the event to the core's deliverer.
import type { EmulatorStore } from '../data.js';
import type { DeliverWebhook } from '../route-types.js';
import type { RaisedEvent } from '../types.js';
import { addressesFor } from '../webhooks/event-types.js';

/** Raises one event; delivery happens after the current turn and is never waited for. */
export type RaiseEvent = (
  shopId: string,
  type: number,
  data: Record<string, unknown>,
) => RaisedEvent;

export function createEventRaiser(store: EmulatorStore, deliver: DeliverWebhook): RaiseEvent {
  return (shopId, type, data) => {
    const subscriptions = new Map(
      [...store.shopData(shopId).webhooks.values()].map((hook) => [hook.eventType, hook.address]),
    );
    return deliver({ type, shopId, data }, addressesFor(type, subscriptions));
  };
}

/** For stores without a deliverer (route tests call handlers directly). */
export const raiseNothing: RaiseEvent = (shopId, type) => ({
  type,
  shopId,
  notificationId: '',
  deliveryIds: [],
});
