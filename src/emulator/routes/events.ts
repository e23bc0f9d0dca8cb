// Shop webhook subscriptions of the Event API (§6.10), kept in memory per shop. The emulator
// stores them but does not deliver events.

import type { WebhookRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import { shopRoutes } from './shop-route.js';
import { bodyEnum, bodyString, invalidParam, readBody } from './validation.js';

/** Event API names of the §8 topics. */
export const WEBHOOK_EVENT_TYPES = [
  'ORDER_STATUS_CHANGE',
  'REVERSE_ORDER_STATUS_UPDATE',
  'REVERSE_STATUS_UPDATE',
  'RECIPIENT_ADDRESS_UPDATE',
  'PACKAGE_UPDATE',
  'PRODUCT_STATUS_CHANGE',
  'SELLER_DEAUTHORIZATION',
  'UPCOMING_AUTHORIZATION_EXPIRATION',
  'CANCELLATION_STATUS_CHANGE',
  'RETURN_STATUS_CHANGE',
  'NEW_CONVERSATION',
  'NEW_MESSAGE',
  'PRODUCT_INFORMATION_CHANGE',
  'PRODUCT_CREATION',
  'PRODUCT_CATEGORY_CHANGE',
  'NEW_MESSAGE_LISTENER',
  'INVOICE_STATUS_CHANGE',
  'PRODUCT_AUDIT_STATUS_CHANGE',
] as const;

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
      if (
        !address ||
        address.length > MAX_WEBHOOK_ADDRESS_LENGTH ||
        !/^https:\/\/[^\s/?#]+/.test(address)
      ) {
        throw invalidParam(
          `Invalid 'address': an https URL of at most ${MAX_WEBHOOK_ADDRESS_LENGTH} characters is required.`,
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
