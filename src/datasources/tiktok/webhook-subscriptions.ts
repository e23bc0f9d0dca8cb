// Changing a shop's webhook subscriptions (§6.10), for the mutation and `npm run webhooks`: the
// request checked before anything is sent, one call per topic, and the list read back.
import { type Known, TIKTOK_ENUMS } from './enums.js';
import type {
  ShopSession,
  TikTokShopClient,
  WebhookEventType,
  WebhookSubscription,
  WebhookSubscriptionInput,
} from './types.js';

/** §6.10: the address is at most 255 characters. */
export const MAX_WEBHOOK_ADDRESS_LENGTH = 255;

/** The Event API names TikTok is known to take (§8); UNKNOWN is not one. */
export const WEBHOOK_EVENT_TYPES: ReadonlyArray<Known<WebhookEventType>> =
  TIKTOK_ENUMS['webhook.event_type'];

export function isWebhookEventType(value: string): value is Known<WebhookEventType> {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * Why TikTok would not deliver to `address`, or null when it may: §8 delivers over HTTPS to a
 * domain name, without an IP address or a port, and §6.10 takes at most 255 characters. The
 * address is sent exactly as given, so the text itself must be that URL (URL() would forgive
 * surrounding spaces or an explicit `:443`).
 */
export function webhookAddressProblem(address: string): string | null {
  const refuse = (what: string) =>
    `${what}; TikTok takes an https URL on a domain name, without port, of at most ` +
    `${MAX_WEBHOOK_ADDRESS_LENGTH} characters (§8)`;
  if (address.length > MAX_WEBHOOK_ADDRESS_LENGTH) return refuse(`${address.length} characters`);
  if (!address.startsWith('https://')) return refuse('not https://…');
  // Printable ASCII only: spaces, controls and raw non-ASCII must be percent-encoded (or punycode).
  if (/[^!-~]/.test(address)) return refuse('not a URL as sent (encode spaces and non-ASCII)');
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return refuse('not a URL');
  }
  if (url.username !== '' || url.password !== '') return refuse('carries credentials');
  if (IP_ADDRESS.test(url.hostname)) return refuse('an IP address');
  if (!url.hostname.includes('.')) return refuse('not a domain name');
  if (url.port !== '' || /^https:\/\/[^/?#]*:\d*(?=[/?#]|$)/.test(address)) {
    return refuse('names a port');
  }
  return null;
}

/** What to change in one shop: topics to subscribe (each to its address), topics to unsubscribe. */
export interface WebhookChanges {
  set: WebhookSubscriptionInput[];
  delete: Array<Known<WebhookEventType>>;
}

/** A refusal names the field at fault (the mutation's input field; the CLI maps it to options). */
export type WebhookChangesCheck =
  | { ok: true; changes: WebhookChanges }
  | { ok: false; field: 'address' | 'set' | 'delete'; message: string };

/** The topic names of `field`, or why they are not a list of distinct known topics. */
function readTopics(
  field: 'set' | 'delete',
  names: readonly string[],
): Array<Known<WebhookEventType>> | { ok: false; field: 'set' | 'delete'; message: string } {
  const topics: Array<Known<WebhookEventType>> = [];
  for (const name of names) {
    if (!isWebhookEventType(name)) {
      return {
        ok: false,
        field,
        message:
          `${name.slice(0, 60)} is not an event type TikTok is known to take; ` +
          `name one of ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
      };
    }
    if (topics.includes(name)) return { ok: false, field, message: `${name} is listed twice.` };
    topics.push(name);
  }
  return topics;
}

/**
 * The request, checked before any upstream call: known topic names, none listed twice or both set
 * and deleted, something to do, and a valid address exactly when topics are set.
 */
export function checkWebhookChanges(input: {
  address?: string | null;
  set?: readonly string[] | null;
  delete?: readonly string[] | null;
}): WebhookChangesCheck {
  const set = readTopics('set', input.set ?? []);
  if (!Array.isArray(set)) return set;
  const remove = readTopics('delete', input.delete ?? []);
  if (!Array.isArray(remove)) return remove;
  const both = set.find((name) => remove.includes(name));
  if (both) return { ok: false, field: 'delete', message: `${both} is also in set.` };
  const address = input.address ?? undefined;
  if (set.length === 0) {
    if (remove.length === 0) {
      return { ok: false, field: 'set', message: 'name at least one event type to set or delete.' };
    }
    if (address !== undefined) {
      return {
        ok: false,
        field: 'address',
        message: 'only set uses it; a deletion removes the topic whatever its address.',
      };
    }
    return { ok: true, changes: { set: [], delete: remove } };
  }
  if (address === undefined) {
    return { ok: false, field: 'address', message: 'required to set event types.' };
  }
  const problem = webhookAddressProblem(address);
  if (problem) return { ok: false, field: 'address', message: `${problem}.` };
  return {
    ok: true,
    changes: { set: set.map((eventType) => ({ eventType, address })), delete: remove },
  };
}

/** What became of one topic; `error` when TikTok refused or could not be asked. */
export interface WebhookChangeOutcome {
  eventType: Known<WebhookEventType>;
  action: 'set' | 'delete';
  error?: unknown;
}

export interface WebhookChangesReport {
  /** One per topic: the topics set, in the order given, then those deleted. */
  outcomes: WebhookChangeOutcome[];
  /** The shop's subscriptions read after the changes, or why they could not be read. */
  subscriptions: WebhookSubscription[] | Error;
}

/**
 * Sends one call per topic (concurrently; the rate limiter paces them), then reads the list back
 * unshared, so it is newer than every change: a failure may still have been applied (a lost
 * answer), and the list says what TikTok holds.
 */
export async function applyWebhookChanges(
  client: Pick<TikTokShopClient, 'putWebhook' | 'deleteWebhook' | 'unshared'>,
  shop: ShopSession,
  changes: WebhookChanges,
): Promise<WebhookChangesReport> {
  const outcome = async (
    eventType: Known<WebhookEventType>,
    action: WebhookChangeOutcome['action'],
    send: () => Promise<void>,
  ): Promise<WebhookChangeOutcome> => {
    try {
      await send();
      return { eventType, action };
    } catch (error) {
      return { eventType, action, error };
    }
  };
  const outcomes = await Promise.all([
    ...changes.set.map((subscription) =>
      outcome(subscription.eventType, 'set', () => client.putWebhook(shop, subscription)),
    ),
    ...changes.delete.map((eventType) =>
      outcome(eventType, 'delete', () => client.deleteWebhook(shop, eventType)),
    ),
  ]);
  const subscriptions = await client.unshared
    .listWebhooks(shop)
    .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  return { outcomes, subscriptions };
}
