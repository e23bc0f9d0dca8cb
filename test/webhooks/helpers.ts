// Webhook deliveries the way TikTok sends them (§8), signed here with node:crypto rather than the
// gateway's signer so a signer bug cannot agree with itself, sent over real HTTP to a gateway on
// a loopback port; and the events its bus publishes, collected.
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, RequestLogEntry } from '../../src/emulator/types.js';
import type { ShopRun } from '../../src/webhooks/reconciler.js';
import type { TikTokEvent } from '../../src/webhooks/tiktok-event.js';
import { type HttpReply, send, serveOnLoopback } from '../helpers/http.js';
import { createTempDir, writeSellerFile } from '../helpers/scale-out.js';

/** §8: lowercase hex of HMAC-SHA256, keyed by the app secret, over app key + raw body. */
export function signDelivery(appKey: string, appSecret: string, rawBody: string): string {
  return createHmac('sha256', appSecret).update(`${appKey}${rawBody}`).digest('hex');
}

export interface DeliveryInput {
  type: number;
  shopId?: string;
  /** Default: a fresh id, as for a new notification. */
  notificationId?: string;
  /** Unix seconds. Default: now. */
  timestamp?: number;
  data?: Record<string, unknown>;
}

/** The JSON body TikTok POSTs (§8 payload). */
export function deliveryBody(input: DeliveryInput): string {
  return JSON.stringify({
    type: input.type,
    tts_notification_id: input.notificationId ?? randomUUID(),
    ...(input.shopId === undefined ? {} : { shop_id: input.shopId }),
    timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
    data: input.data ?? {},
  });
}

export interface WebhookTarget {
  port: number;
  /** POSTs `body` to the webhook path, signed for the app unless `authorization` is given. */
  deliver(
    body: string,
    options?: { authorization?: string | null; headers?: Record<string, string> },
  ): Promise<HttpReply>;
  /** Events the app's bus published so far (every replica's, with a shared target). */
  events: TikTokEvent[];
  /** Waits until every answered delivery has been processed and its event collected. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Serves `app`'s gateway on a loopback port and collects what its bus publishes. */
export async function serveWebhooks(app: App): Promise<WebhookTarget> {
  const server = await serveOnLoopback(app.gateway);
  const { appKey, appSecret } = app.settings.credentials ?? { appKey: '', appSecret: '' };
  const events: TikTokEvent[] = [];
  const subscription = app.liveUpdates.events.subscribe();
  const collecting = (async () => {
    for await (const event of subscription) events.push(event);
  })();
  return {
    port: server.port,
    events,
    deliver(body, options = {}) {
      const authorization =
        options.authorization === undefined
          ? signDelivery(appKey, appSecret, body)
          : options.authorization;
      return send(server.port, {
        method: 'POST',
        path: app.liveUpdates.path,
        headers: {
          'content-type': 'application/json',
          ...(authorization === null ? {} : { authorization }),
          ...options.headers,
        },
        body,
      });
    },
    async settled() {
      await app.liveUpdates.receiver.settled();
      // Published events reach the collector on the next turns of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    },
    async close() {
      await subscription.return?.();
      await collecting;
      await server.close();
    },
  };
}

/**
 * An emulator and a token file holding its first seller with its shops (writeSellerFile), for
 * replicas built from the environment; `cleanups` gets what closes and removes them.
 */
export async function startSellerFile(cleanups: Array<() => Promise<void> | void>) {
  const emulator = await createEmulator({ port: 0, scale: 0.05, rateLimit: false });
  cleanups.push(() => emulator.close());
  const dir = createTempDir();
  cleanups.push(() => dir.remove());
  const tokenStorePath = join(dir.path, 'tokens.json');
  const file = await writeSellerFile(emulator, tokenStorePath);
  return { emulator, tokenStorePath, file, shopId: file.shops[0]?.id ?? '' };
}

/** The topics the emulator raises for order steps and product edits (§8 types 1, 5, 15, 37). */
const CHANGE_TOPICS = [
  'ORDER_STATUS_CHANGE',
  'PRODUCT_STATUS_CHANGE',
  'PRODUCT_INFORMATION_CHANGE',
  'PRODUCT_AUDIT_STATUS_CHANGE',
] as const;

/**
 * Subscribes `app`'s receiver, served on `port`, to the order and product topics of every shop it
 * has, through the emulator's Event API (§6.10), as `npm run webhooks` would (but on loopback
 * http, which only the emulator accepts).
 */
export async function subscribeReceiver(app: App, port: number): Promise<void> {
  const address = `http://127.0.0.1:${port}${app.liveUpdates.path}`;
  for (const shop of await app.sellers.authorizedShops()) {
    const session = await app.sellers.tokens.sessionFor(shop);
    for (const eventType of CHANGE_TOPICS)
      await app.client.putWebhook(session, { eventType, address });
  }
}

/** The reconciler of `app` (RECONCILE_INTERVAL_MS > 0). */
export function reconcilerOf(app: App) {
  const { reconciler } = app.liveUpdates;
  if (!reconciler) throw new Error('This app runs without a reconciler (RECONCILE_INTERVAL_MS=0).');
  return reconciler;
}

/** Resolves once every shop of `shopIds` has `count` searching runs begun after `afterMs`. */
export async function runsAfter(
  apps: App[],
  shopIds: string[],
  afterMs: number,
  count = 1,
): Promise<ShopRun[]> {
  let runs: ShopRun[] = [];
  await vi.waitFor(
    () => {
      runs = apps
        .flatMap((app) => reconcilerOf(app).recentRuns())
        .filter((run) => run.outcome === 'ran' && run.startedAtMs > afterMs)
        .sort((a, b) => a.startedAtMs - b.startedAtMs);
      for (const shopId of shopIds) {
        expect(runs.filter((run) => run.shopId === shopId).length).toBeGreaterThanOrEqual(count);
      }
    },
    { timeout: 15_000, interval: 20 },
  );
  return runs;
}

/** The reconciler's searches in the emulator's log: those filtering on update_time_ge. */
export function reconcilerSearches(emulator: EmulatorHandle, sinceMs = 0): RequestLogEntry[] {
  return emulator
    .requests()
    .filter(
      (entry) =>
        entry.at > sinceMs &&
        entry.endpoint.endsWith('.search') &&
        (entry.received?.body ?? '').includes('update_time_ge'),
    );
}
