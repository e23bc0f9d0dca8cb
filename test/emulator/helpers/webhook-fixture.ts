// An emulator, a webhook receiver on loopback and a seller's token, for the tests of what raises
// webhooks (inventory, product edits, the order lifecycle, raw events).
import { createEmulator } from '../../../src/emulator/server.js';
import type { EmulatorHandle, EmulatorOptions } from '../../../src/emulator/types.js';
import type { Json } from '../../helpers/gateway.js';
import { call } from './api-client.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export type Shop = EmulatorHandle['sellers'][number]['shops'][number];

export interface WebhookFixture {
  emulator: EmulatorHandle;
  receiver: WebhookReceiver;
  /** sellers[0]'s token, every scope. */
  token: string;
  /** sellers[0]'s shops, then sellers[1]'s. */
  shops: Shop[];
  /** A signed API call as sellers[0], `data` of a success envelope (throws otherwise). */
  api<T = Record<string, unknown>>(
    shop: Shop,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    input?: { query?: Record<string, string>; body?: unknown },
  ): Promise<T>;
  /** An /__emulator/ route: status and parsed JSON. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

export async function startWebhookFixture(options: EmulatorOptions = {}): Promise<WebhookFixture> {
  const emulator = await createEmulator({ rateLimit: false, scale: 0.02, ...options });
  const receiver = await startWebhookReceiver(emulator);
  const token = emulator.issueTokens({ openId: emulator.sellers[0]!.openId }).accessToken;
  return {
    emulator,
    receiver,
    token,
    shops: emulator.sellers.flatMap((seller) => seller.shops),
    async api(shop, method, path, input = {}) {
      const answer = await call(emulator, {
        method,
        path,
        query: { shop_cipher: shop.cipher, ...input.query },
        accessToken: token,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
      });
      if (answer.body.code !== 0) {
        throw new Error(`${method} ${path} answered ${answer.body.code}: ${answer.body.message}`);
      }
      return answer.body.data as never;
    },
    async admin(method, path, body) {
      const response = await fetch(`${emulator.url}/__emulator/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Json };
    },
    async close() {
      await emulator.close();
      await receiver.close();
    },
  };
}
