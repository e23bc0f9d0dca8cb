// `npm run webhooks`: the setup guide's webhook URL step, done through the Event API (§6.10)
// instead of by hand: subscribes every authorised shop (or one) to the topics the gateway
// consumes, or deletes them, or lists them; one ✓/✗ line per shop. Exits 1 on any ✗.
import { type App, createApp } from '../app.js';
import type { AuthorizedShop, WebhookSubscription } from '../datasources/tiktok/types.js';
import {
  applyWebhookChanges,
  type WebhookChanges,
  type WebhookChangesReport,
} from '../datasources/tiktok/webhook-subscriptions.js';
import { createReport, loadCliSettings, reasonOf, runMain } from './support.js';
import { readWebhookTask, USAGE } from './webhook-options.js';

const shopLabel = (shop: AuthorizedShop) => `Shop ${shop.name} ${shop.id} (${shop.region})`;

/** One indented line per subscription. */
function subscriptionLines(subscriptions: WebhookSubscription[]): string {
  if (subscriptions.length === 0) return '    (no subscriptions)';
  const width = Math.max(...subscriptions.map((s) => s.eventTypeRaw.length));
  return subscriptions.map((s) => `    ${s.eventTypeRaw.padEnd(width)}  ${s.address}`).join('\n');
}

/** What a change did to one shop, as its ✓/✗ line and the list read back. */
function reportChange(
  report: ReturnType<typeof createReport>,
  label: string,
  changes: WebhookChanges,
  result: WebhookChangesReport,
) {
  const failed = result.outcomes.filter((outcome) => outcome.error !== undefined);
  const total = result.outcomes.length;
  const done =
    changes.set.length > 0
      ? `set ${total - failed.length} of ${total} event type(s) to ${changes.set[0]?.address}`
      : `deleted ${total - failed.length} of ${total} event type(s)`;
  if (failed.length === 0) report.ok(label, done);
  else {
    const reasons = failed.map((outcome) => `${outcome.eventType}: ${reasonOf(outcome.error)}`);
    report.fail(label, `${done}; failed ${reasons.join('; ')}`);
  }
  if (result.subscriptions instanceof Error) {
    report.fail(label, `subscriptions not read back: ${reasonOf(result.subscriptions)}`);
  } else {
    report.info(subscriptionLines(result.subscriptions));
  }
}

/** The shops to work on: `shopId` among the authorised ones, or all of them. */
async function shopsFor(app: App, shopId: string | undefined): Promise<AuthorizedShop[] | string> {
  const shops = await app.sellers.authorizedShops();
  if (shops.length === 0) return 'no authorised shop: authorise a seller with `npm run oauth`';
  if (shopId === undefined) return shops;
  const shop = shops.find((candidate) => candidate.id === shopId);
  return shop
    ? [shop]
    : `${shopId} is not an authorised shop (authorised: ${shops.map((s) => s.id).join(', ')})`;
}

async function main(): Promise<number> {
  const task = readWebhookTask(process.argv.slice(2));
  if (task.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  const report = createReport();
  if (task.kind === 'invalid') {
    report.fail('Options', `${task.message} Nothing was sent; see --help.`);
    return 1;
  }
  report.info('TikTok Shop webhook subscriptions (Event API)\n');

  let app: App;
  try {
    app = await createApp(loadCliSettings(), { sandbox: { name: 'webhooks', scale: 0.05 } });
  } catch (error) {
    report.fail('Config', reasonOf(error));
    return 1;
  }
  try {
    const { settings, client, sellers, sandbox } = app;
    report.ok(
      'Config',
      sandbox
        ? `sandbox mode (no TIKTOK_SHOP_APP_KEY): emulator at ${sandbox.emulator.url}, its ` +
            'subscriptions last for this run only'
        : `TikTok mode: app key ${settings.credentials?.appKey}, API ${settings.apiBase}`,
    );
    const shops = await shopsFor(app, task.shopId);
    if (typeof shops === 'string') {
      report.fail('Shops', shops);
      return 1;
    }
    for (const shop of shops) {
      const label = shopLabel(shop);
      try {
        const session = await sellers.tokens.sessionFor(shop);
        if (task.kind === 'list') {
          const subscriptions = await client.listWebhooks(session);
          report.ok(label, `${subscriptions.length} subscription(s)`);
          report.info(subscriptionLines(subscriptions));
        } else {
          reportChange(
            report,
            label,
            task.changes,
            await applyWebhookChanges(client, session, task.changes),
          );
        }
      } catch (error) {
        report.fail(label, reasonOf(error));
      }
    }
  } finally {
    await app.close();
  }
  report.info(report.failures === 0 ? '\nDone.' : `\n${report.failures} failure(s).`);
  return report.failures === 0 ? 0 : 1;
}

runMain(main);
