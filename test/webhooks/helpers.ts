// Webhook deliveries the way TikTok sends them (§8), signed here with node:crypto rather than the
// gateway's signer so a signer bug cannot agree with itself, sent over real HTTP to a gateway on
// a loopback port; and the events its bus publishes, collected.
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { App } from '../../src/app.js';
import { createEmulator } from '../../src/emulator/server.js';
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
