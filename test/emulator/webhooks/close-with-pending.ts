// Run in a child process by webhook-deliverer.test.ts: closes an emulator with a retry waiting, a
// delivery held by the reorder knob, one in flight and the lifecycle timer running, then prints
// what the log says. The process must then exit by itself: nothing may keep it alive.
import { createEmulator } from '../../../src/emulator/server.js';
import { subscribe } from '../helpers/event-api.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const emulator = await createEmulator({
  rateLimit: false,
  scale: 0.02,
  clockTimer: { everyMs: 60_000, advanceMs: 1 },
});
const receiver = await startWebhookReceiver(emulator);
const seller = emulator.sellers[0]!;
const shop = seller.shops[0]!;
const token = emulator.issueTokens({ openId: seller.openId }).accessToken;
await subscribe(emulator, token, shop, 'SELLER_DEAUTHORIZATION', receiver.url);
const raise = () => emulator.raiseEvent({ type: 6, shopId: shop.id, data: { message: 'x' } });

// Default retry scale: the retry after this 500 is 2 minutes away.
receiver.script([{ status: 500 }, { hold: new Promise(() => {}) }]);
raise();
await receiver.waitFor(1);
while (emulator.webhookDeliveries()[0]?.nextAttemptAtMs == null) {
  await new Promise((resolve) => setTimeout(resolve, 5));
}
emulator.setFaults({ webhookReorderRate: 1, webhookReorderWindowMs: 60_000 });
raise();
emulator.setFaults({});
raise();
await receiver.waitFor(2);

const startedMs = performance.now();
await emulator.close();
const closeMs = performance.now() - startedMs;
await receiver.close();
const deliveries = emulator.webhookDeliveries().map((entry) => ({
  outcome: entry.outcome,
  fault: entry.fault,
  note: entry.note,
  attempts: entry.attempts.length,
}));
process.stdout.write(`${JSON.stringify({ closeMs, deliveries })}\n`);
