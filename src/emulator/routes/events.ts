// Shop webhook subscriptions of the Event API (§6.10), kept in memory per shop. The emulator
// stores them but does not deliver events.

import type { WebhookRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import {
  bodyEnum,
  bodyString,
  handleWith,
  invalidParam,
  readBody,
  shopDataOf,
} from './validation.js';

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
  const pattern = '/event/202309/webhooks';
  return [
    {
      method: 'GET',
      pattern,
      endpoint: 'event.webhooks.list',
      isShopScoped: true,
      scope: SCOPES.shopInfo,
      handle: handleWith((request) => {
        const webhooks = [...shopDataOf(store, request).webhooks.values()].map(webhookToWire);
        return { data: { webhooks, total_count: webhooks.length } };
      }),
    },
    {
      method: 'PUT',
      pattern,
      endpoint: 'event.webhooks.update',
      isShopScoped: true,
      scope: SCOPES.shopInfo,
      handle: handleWith((request) => {
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
        const { webhooks } = shopDataOf(store, request);
        const now = Math.floor(request.now / 1000);
        const existing = webhooks.get(eventType);
        webhooks.set(eventType, {
          eventType,
          address,
          createTime: existing?.createTime ?? now,
          updateTime: now,
        });
        return { data: {} };
      }),
    },
    {
      method: 'DELETE',
      pattern,
      endpoint: 'event.webhooks.delete',
      isShopScoped: true,
      scope: SCOPES.shopInfo,
      handle: handleWith((request) => {
        const eventType = requireEventType(readBody(request));
        shopDataOf(store, request).webhooks.delete(eventType);
        return { data: {} };
      }),
    },
  ];
}
