// The command line of `npm run webhooks` (cli/webhooks.ts) read into a task before anything
// starts: which shops, which topics, set, delete or list; or why it is not a task.
import { parseArgs } from 'node:util';
import { type Known, knownValueOf, UNKNOWN } from '../datasources/tiktok/enums.js';
import type { WebhookEventType } from '../datasources/tiktok/types.js';
import {
  checkWebhookChanges,
  type WebhookChanges,
} from '../datasources/tiktok/webhook-subscriptions.js';
import { EVENT_TYPES, SUBSCRIBED_TYPES } from '../webhooks/event-types.js';
import { reasonOf } from './support.js';

/** The Event API names of the topics the gateway's receiver acts on (issue 13). */
export const GATEWAY_EVENT_TYPES: ReadonlyArray<Known<WebhookEventType>> = SUBSCRIBED_TYPES.map(
  (type) => {
    const name = EVENT_TYPES.get(type)?.name ?? '';
    const known = knownValueOf('webhook.event_type', name);
    if (known === UNKNOWN) throw new Error(`§8 type ${type} has no Event API name to subscribe by`);
    return known;
  },
);

export const USAGE = `Usage: npm run webhooks -- --url <https://…> [--events <names>] [--shop <id>]
       npm run webhooks -- --delete [--events <names>] [--shop <id>]
       npm run webhooks -- --list [--shop <id>]

Subscribes the shops to TikTok's webhooks at --url through the Event API (the setup guide's
webhook URL, e.g. https://yourdomain.com/webhooks/tiktok), then prints each shop's
subscriptions. One ✓/✗ line per shop; exit code 1 on any ✗. Without TIKTOK_SHOP_APP_KEY it runs
against the built-in emulator (sandbox mode), whose subscriptions last for this run only.

Options:
  --url <url>       where TikTok POSTs the events: https, a domain name, no port, at most 255
                    characters
  --events <names>  Event API names, comma-separated (default: the topics the gateway consumes,
                    ${GATEWAY_EVENT_TYPES.join(',')})
  --shop <id>       only this shop (default: every authorised shop)
  --delete          unsubscribe the events instead (takes no --url)
  --list            only print the subscriptions
  --help            this text`;

export type WebhookTask =
  | { kind: 'help' }
  | { kind: 'list'; shopId: string | undefined }
  | { kind: 'change'; shopId: string | undefined; changes: WebhookChanges };

/** The command line as a task, or why it is not one; nothing has been started yet. */
export function readWebhookTask(
  args: string[],
): WebhookTask | { kind: 'invalid'; message: string } {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    return { kind: 'invalid', message: reasonOf(error) };
  }
  if (values.help) return { kind: 'help' };
  const shopId = values.shop;
  if (values.list) {
    const extra = ['url', 'events', 'delete'].filter((name) => name in values);
    if (extra.length > 0) {
      return { kind: 'invalid', message: `--list takes only --shop, not --${extra.join(', --')}.` };
    }
    return { kind: 'list', shopId };
  }
  if (!values.delete && values.url === undefined) {
    return { kind: 'invalid', message: 'give --url (or --delete, or --list).' };
  }
  if (values.delete && values.url !== undefined) {
    return {
      kind: 'invalid',
      message: '--delete takes no --url: it removes the topics whatever their address.',
    };
  }
  const events =
    values.events === undefined
      ? [...GATEWAY_EVENT_TYPES]
      : values.events
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
  const checked = checkWebhookChanges(
    values.delete ? { delete: events } : { address: values.url, set: events },
  );
  if (!checked.ok) {
    const option = checked.field === 'address' ? '--url' : '--events';
    return { kind: 'invalid', message: `${option}: ${checked.message}` };
  }
  return { kind: 'change', shopId, changes: checked.changes };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      url: { type: 'string' },
      events: { type: 'string' },
      shop: { type: 'string' },
      delete: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}
