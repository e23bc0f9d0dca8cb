// Webhook subscriptions (§6.10): which §8 topics TikTok POSTs to which address, per shop, read and
// changed through the Event API (issue 13). The checks and the calls live in
// datasources/tiktok/webhook-subscriptions.ts, shared with `npm run webhooks`.

import type { WebhookSubscription as WebhookSubscriptionShape } from '../datasources/tiktok/types.js';
import {
  applyWebhookChanges,
  checkWebhookChanges,
  MAX_WEBHOOK_ADDRESS_LENGTH,
  type WebhookChangeOutcome,
  type WebhookChangesReport,
} from '../datasources/tiktok/webhook-subscriptions.js';
import { builder } from './builder.js';
import { resolveShopScope, SHOP_ID_DESCRIPTION } from './common.js';
import { badUserInput, describeFailure, ErrorCodeEnum } from './errors.js';
import { tiktokEnum } from './tiktok-enum.js';

export const WebhookEventType = tiktokEnum<'webhook.event_type'>('WebhookEventType', {
  description: 'A webhook topic by its Event API name; the §8 `type` number it delivers is given.',
  rawField: 'eventTypeRaw',
  values: {
    ORDER_STATUS_CHANGE: { description: 'Type 1: an order changed status.' },
    REVERSE_ORDER_STATUS_UPDATE: { description: 'Type 2: a reverse order changed status.' },
    REVERSE_STATUS_UPDATE: { description: 'Type 2 under its legacy name.' },
    RECIPIENT_ADDRESS_UPDATE: { description: "Type 3: an order's shipping address changed." },
    PACKAGE_UPDATE: { description: "Type 4: an order's packages were combined or split." },
    PRODUCT_STATUS_CHANGE: {
      description: 'Type 5: a product passed first review, changed status or failed audit.',
    },
    SELLER_DEAUTHORIZATION: { description: "Type 6: the seller removed the app's access." },
    UPCOMING_AUTHORIZATION_EXPIRATION: {
      description: "Type 7: the seller's authorisation expires soon (sent daily from 30 days).",
    },
    CANCELLATION_STATUS_CHANGE: { description: "Type 11: an order's cancellation moved on." },
    RETURN_STATUS_CHANGE: { description: "Type 12: an order's return moved on." },
    NEW_CONVERSATION: { description: 'Type 13: a buyer opened a conversation.' },
    NEW_MESSAGE: { description: 'Type 14: a new customer-service message.' },
    PRODUCT_INFORMATION_CHANGE: { description: "Type 15: a product's information changed." },
    PRODUCT_CREATION: { description: 'Type 16: a product was created.' },
    PRODUCT_CATEGORY_CHANGE: { description: "Type 18: a product's category changed." },
    NEW_MESSAGE_LISTENER: { description: 'Type 33: a message for a listening app.' },
    INVOICE_STATUS_CHANGE: { description: "Type 36: an invoice's status changed." },
    PRODUCT_AUDIT_STATUS_CHANGE: { description: "Type 37: a product's audit status changed." },
  },
});

const WebhookSubscription = builder
  .objectRef<WebhookSubscriptionShape>('WebhookSubscription')
  .implement({
    description: "One of a shop's subscriptions: TikTok POSTs the topic's events to `address`.",
    fields: (t) => ({
      eventType: t.expose('eventType', { type: WebhookEventType, description: 'The topic.' }),
      eventTypeRaw: t.exposeString('eventTypeRaw', {
        description: "TikTok's topic name exactly as sent: what to read when it is UNKNOWN.",
      }),
      address: t.exposeString('address', { description: 'Where TikTok delivers the events.' }),
      createdAt: t.expose('createdAt', {
        type: 'DateTime',
        description: 'When the topic was first subscribed.',
      }),
      updatedAt: t.expose('updatedAt', {
        type: 'DateTime',
        description: 'When its address was last set.',
      }),
    }),
  });

const WebhookSubscriptionOutcome = builder.enumType('WebhookSubscriptionOutcome', {
  description: 'What became of one topic of updateWebhookSubscriptions.',
  values: {
    SET: { description: 'Subscribed to the address (or moved to it).' },
    DELETED: { description: 'Unsubscribed (also when it was not subscribed).' },
    FAILED: {
      description:
        'TikTok refused or could not be asked (`code`, `reason`). If its answer was lost the ' +
        'change may still have been made: `subscriptions` says what TikTok holds.',
    },
  },
});

const WebhookSubscriptionChange = builder
  .objectRef<WebhookChangeOutcome>('WebhookSubscriptionChange')
  .implement({
    description: 'One topic of updateWebhookSubscriptions and what became of it.',
    fields: (t) => ({
      eventType: t.expose('eventType', { type: WebhookEventType, description: 'The topic.' }),
      outcome: t.field({
        type: WebhookSubscriptionOutcome,
        description: 'Set, deleted, or failed.',
        resolve: (change) =>
          change.error !== undefined ? 'FAILED' : change.action === 'set' ? 'SET' : 'DELETED',
      }),
      code: t.field({
        type: ErrorCodeEnum,
        nullable: true,
        description: 'For FAILED: the failure, as an ErrorCode; else null.',
        resolve: (change) =>
          change.error === undefined ? null : describeFailure(change.error).code,
      }),
      reason: t.string({
        nullable: true,
        description: 'For FAILED: a safe description of the failure (no upstream text); else null.',
        resolve: (change) =>
          change.error === undefined ? null : describeFailure(change.error).message,
      }),
    }),
  });

const UpdateWebhookSubscriptionsInput = builder.inputType('UpdateWebhookSubscriptionsInput', {
  description:
    'Topics to subscribe to one address and topics to unsubscribe, in one shop. Checked before ' +
    'anything is sent: at least one topic, none twice or in both lists, no UNKNOWN.',
  fields: (t) => ({
    shopId: t.id({ description: SHOP_ID_DESCRIPTION }),
    address: t.string({
      description:
        'Where TikTok is to POST the topics in `set`: an https URL on a domain name, without ' +
        `port, at most ${MAX_WEBHOOK_ADDRESS_LENGTH} characters (§8), sent as written. Required ` +
        'with `set`, refused without it.',
    }),
    set: t.field({
      type: [WebhookEventType],
      description: 'Topics to subscribe to `address` (a subscribed one is moved to it).',
    }),
    delete: t.field({ type: [WebhookEventType], description: 'Topics to unsubscribe.' }),
  }),
});

const UpdateWebhookSubscriptionsPayload = builder
  .objectRef<WebhookChangesReport & { shopId: string }>('UpdateWebhookSubscriptionsPayload')
  .implement({
    description: 'The outcome of updateWebhookSubscriptions: partial success is possible.',
    fields: (t) => ({
      shopId: t.exposeID('shopId', { description: 'The shop changed.' }),
      results: t.field({
        type: [WebhookSubscriptionChange],
        description: 'One per topic: those in `set`, in order, then those in `delete`.',
        resolve: (report) => report.outcomes,
      }),
      subscriptions: t.field({
        type: [WebhookSubscription],
        nullable: true,
        description:
          "The shop's subscriptions read from TikTok after the changes (never shared with " +
          'another call); null with an error when that read failed.',
        resolve: (report) => {
          if (report.subscriptions instanceof Error) throw report.subscriptions;
          return report.subscriptions;
        },
      }),
    }),
  });

builder.queryField('webhookSubscriptions', (t) =>
  t.field({
    type: [WebhookSubscription],
    nullable: true,
    authScopes: { 'webhook.manage': true },
    description:
      "The shop's webhook subscriptions (§6.10): one per topic, with the address TikTok " +
      'delivers to. One upstream call, never cached.',
    args: { shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }) },
    resolve: async (_root, args, ctx) => {
      const scope = await resolveShopScope(ctx, args.shopId);
      return ctx.client.listWebhooks(scope.shop);
    },
  }),
);

builder.mutationField('updateWebhookSubscriptions', (t) =>
  t.field({
    type: UpdateWebhookSubscriptionsPayload,
    authScopes: { 'webhook.manage': true },
    description:
      'Subscribes topics to an address and unsubscribes others, in one shop (§6.10): one ' +
      'upstream call per topic, then the list read back. Each topic gets its own result; ' +
      'repeating the same mutation is harmless (both calls set an absolute state).',
    args: {
      input: t.arg({
        type: UpdateWebhookSubscriptionsInput,
        required: true,
        description: 'What to change.',
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const checked = checkWebhookChanges(input);
      if (!checked.ok) {
        const argument = `input.${checked.field}`;
        throw badUserInput(`${argument}: ${checked.message}`, argument);
      }
      const scope = await resolveShopScope(ctx, input.shopId);
      const report = await applyWebhookChanges(ctx.client, scope.shop, checked.changes);
      return { ...report, shopId: scope.shop.id };
    },
  }),
);
