// Shop webhook subscriptions of the Event API (§6.10), kept in memory per shop; the core's
// deliverer posts the shop's events to them (§8).

import type { WebhookRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/event-types.js';
import { loopbackHttpUrl } from '../webhooks/loopback-address.js';
import { shopRoutes } from './shop-route.js';
import { bodyEnum, bodyString, invalidParam, readBody } from './validation.js';

/** §6.10: the address is at most 255 characters. */
export const MAX_WEBHOOK_ADDRESS_LENGTH = 255;

function webhookToWire(webhook: WebhookRecord) {
  return {
    event_type: webhook.eventType,
    address: webhook.address,
    create_time: webhook.createTime,
    update_time: webhook.updateTime,
  };
}

/**
 * §8 requires https. Emulator leniency: plain http is accepted on a loopback host, so a local
 * gateway (the sandbox's receiver) can subscribe itself.
 */
function isWebhookAddress(address: string): boolean {
  return /^https:\/\/[^\s/?#]+/.test(address) || loopbackHttpUrl(address) !== null;
}

function requireEventType(body: Record<string, unknown>): string {
  const eventType = bodyEnum(body, 'event_type', WEBHOOK_EVENT_TYPES);
  if (!eventType) throw invalidParam("'event_type' is required.");
  return eventType;
}

export function createEventRoutes(store: EmulatorStore): RouteDefinition[] {
  const route = shopRoutes(store, SCOPES.shopInfo);
  return [
    route('event.webhooks.list', 'GET /event/202309/webhooks', (_request, data) => {
      const webhooks = [...data.webhooks.values()].map(webhookToWire);
      return { webhooks, total_count: webhooks.length };
    }),
    route('event.webhooks.update', 'PUT /event/202309/webhooks', (request, data) => {
      const body = readBody(request);
      const eventType = requireEventType(body);
      const address = bodyString(body, 'address');
      if (!address || address.length > MAX_WEBHOOK_ADDRESS_LENGTH || !isWebhookAddress(address)) {
        throw invalidParam(
          `Invalid 'address': an https URL (or http on a loopback host) of at most ${MAX_WEBHOOK_ADDRESS_LENGTH} characters is required.`,
        );
      }
      const now = Math.floor(request.now / 1000);
      const existing = data.webhooks.get(eventType);
      data.webhooks.set(eventType, {
        eventType,
        address,
        createTime: existing?.createTime ?? now,
        updateTime: now,
      });
      return {};
    }),
    route('event.webhooks.delete', 'DELETE /event/202309/webhooks', (request, data) => {
      data.webhooks.delete(requireEventType(readBody(request)));
      return {};
    }),
  ];
}
