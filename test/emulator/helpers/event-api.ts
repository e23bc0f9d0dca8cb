// Subscribes a shop's webhooks through the emulator's Event API (§6.10), signed like any client.
import type { EmulatorHandle, EmulatorSeller } from '../../../src/emulator/types.js';
import { call } from './api-client.js';

type Shop = EmulatorSeller['shops'][number];

async function eventApi(
  emulator: EmulatorHandle,
  accessToken: string,
  shop: Shop,
  method: 'PUT' | 'DELETE',
  body: Record<string, string>,
): Promise<void> {
  const answer = await call(emulator, {
    method,
    path: '/event/202309/webhooks',
    query: { shop_cipher: shop.cipher },
    accessToken,
    body: JSON.stringify(body),
  });
  if (answer.body.code !== 0) throw new Error(`${method} webhooks failed: ${answer.body.message}`);
}

export function subscribe(
  emulator: EmulatorHandle,
  accessToken: string,
  shop: Shop,
  eventType: string,
  address: string,
): Promise<void> {
  return eventApi(emulator, accessToken, shop, 'PUT', { address, event_type: eventType });
}

export function unsubscribe(
  emulator: EmulatorHandle,
  accessToken: string,
  shop: Shop,
  eventType: string,
): Promise<void> {
  return eventApi(emulator, accessToken, shop, 'DELETE', { event_type: eventType });
}
