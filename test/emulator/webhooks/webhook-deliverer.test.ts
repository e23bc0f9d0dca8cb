// Webhook deliveries over real HTTP to a loopback receiver that checks each signature itself:
// the §8 payload, TikTok's retry schedule (compressed), the 3 s deadline, the drop, duplicate,
// reorder and delay knobs, subscription filters, and close() with retries pending.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../../src/emulator/server.js';
import type { EmulatorHandle, RaisedEvent, WebhookDelivery } from '../../../src/emulator/types.js';
import { MAX_ATTEMPTS_IN_FLIGHT } from '../../../src/emulator/webhooks/webhook-deliverer.js';
import { call } from '../helpers/api-client.js';
import { subscribe, unsubscribe } from '../helpers/event-api.js';
import {
  isValidWebhookSignature,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../helpers/webhook-receiver.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const CLOSE_SCRIPT = fileURLToPath(new URL('./close-with-pending.ts', import.meta.url));

/** §8: +2 min, +30 min, +3 h, +12 h. */
const TIKTOK_RETRY_DELAYS_MS = [120_000, 1_800_000, 10_800_000, 43_200_000];

describe('webhook deliveries', () => {
  let emulator: EmulatorHandle;
  let receiver: WebhookReceiver;
  let token: string;
  let shop: EmulatorHandle['sellers'][number]['shops'][number];
  let otherShop: typeof shop;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false, scale: 0.02 });
    receiver = await startWebhookReceiver(emulator);
    const seller = emulator.sellers[0]!;
    token = emulator.issueTokens({ openId: seller.openId }).accessToken;
    [shop, otherShop] = [seller.shops[0]!, seller.shops[1]!];
    // Plain http on loopback: the emulator's leniency (TikTok wants https).
    await subscribe(emulator, token, shop, 'SELLER_DEAUTHORIZATION', `${receiver.url}/hooks/a`);
  });
  beforeEach(() => {
    emulator.setFaults({});
    receiver.script([]);
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  const deauthorize = (message = 'Shop is deauthorized from your APP by merchant.') =>
    emulator.raiseEvent({ type: 6, shopId: shop.id, data: { message } });
  const deliveriesOf = (event: RaisedEvent): WebhookDelivery[] =>
    emulator.webhookDeliveries().filter((entry) => entry.notificationId === event.notificationId);
  const settle = async (timeoutMs = 10_000) =>
    expect(await emulator.settleWebhooks(timeoutMs)).toBe(true);
  /** Wait between one attempt's end and the next attempt's start, ms. */
  const gapsOf = (entry: WebhookDelivery) =>
    entry.attempts
      .slice(1)
      .map(
        (next, i) =>
          next.startedAtMs - entry.attempts[i]!.startedAtMs - entry.attempts[i]!.durationMs,
      );

  it('posts the §8 payload as JSON, signed over app key + raw body, and logs it delivered', async () => {
    const event = deauthorize();
    expect(event.deliveryIds).toHaveLength(1);
    await settle();
    const [got] = await receiver.waitFor(1);
    expect(got!.path).toBe('/hooks/a');
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.isSignatureValid).toBe(true);
    // The receiver's check can fail: the same bytes under another secret do not verify.
    expect(
      isValidWebhookSignature(
        emulator.appKey,
        'another-secret',
        got!.body,
        got!.headers.authorization,
      ),
    ).toBe(false);
    expect(Object.keys(got!.payload)).toEqual([
      'type',
      'tts_notification_id',
      'shop_id',
      'timestamp',
      'data',
    ]);
    expect(got!.payload).toMatchObject({
      type: 6,
      tts_notification_id: event.notificationId,
      shop_id: shop.id,
      data: { message: 'Shop is deauthorized from your APP by merchant.' },
    });
    expect(got!.payload.tts_notification_id).toMatch(/^\d{19}$/);
    expect(Number.isInteger(got!.payload.timestamp)).toBe(true);

    const [entry] = deliveriesOf(event);
    expect(entry).toMatchObject({
      id: event.deliveryIds[0],
      type: 6,
      shopId: shop.id,
      url: `${receiver.url}/hooks/a`,
      body: got!.body,
      outcome: 'delivered',
      fault: null,
      nextAttemptAtMs: null,
      note: null,
    });
    expect(entry!.attempts).toMatchObject([{ status: 200, error: null }]);
    expect(entry!.settledAtMs).toBeGreaterThanOrEqual(entry!.createdAtMs);
    console.log(
      `delivery: raised → answered in ${(entry!.settledAtMs! - entry!.createdAtMs).toFixed(1)} ms`,
    );
  });

  it('retries after 500s on the compressed schedule until a 2xx', async () => {
    emulator.setFaults({ webhookRetryScale: 0.001 });
    receiver.script([{ status: 500 }, { status: 503 }, { status: 204 }]);
    const event = deauthorize();
    await settle();
    const [entry] = deliveriesOf(event);
    expect(entry!.outcome).toBe('delivered');
    expect(entry!.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 204]);
    expect(entry!.attempts[0]!.error).toBe('answered HTTP 500');
    const received = await receiver.waitFor(3);
    expect(new Set(received.map((webhook) => webhook.body)).size).toBe(1);
    // Timers never fire early: each wait is at least the scaled delay (120 ms, 1.8 s).
    const gaps = gapsOf(entry!);
    for (const [i, gap] of gaps.entries()) {
      expect(gap).toBeGreaterThanOrEqual(TIKTOK_RETRY_DELAYS_MS[i]! * 0.001 - 2);
    }
    console.log(
      `retry waits at scale 0.001: ${gaps.map((gap) => gap.toFixed(0)).join(', ')} ms (planned 120, 1800)`,
    );
  });

  it('gives up after 4 retries: 5 attempts, outcome failed', async () => {
    emulator.setFaults({ webhookRetryScale: 0.00005 });
    receiver.script(Array.from({ length: 5 }, () => ({ status: 500 })));
    const event = deauthorize();
    await settle();
    const [entry] = deliveriesOf(event);
    expect(entry!.outcome).toBe('failed');
    expect(entry!.attempts).toHaveLength(5);
    expect(receiver.received).toHaveLength(5);
    expect(receiver.received.every((webhook) => webhook.isSignatureValid)).toBe(true);
    console.log(
      `retry waits at scale 0.00005: ${gapsOf(entry!)
        .map((gap) => gap.toFixed(0))
        .join(', ')} ms (planned 6, 90, 540, 2160)`,
    );
  });

  it('a 401 is a refusal (§8): no retry', async () => {
    emulator.setFaults({ webhookRetryScale: 0.001 });
    receiver.script([{ status: 401 }]);
    const event = deauthorize();
    await settle();
    expect(deliveriesOf(event)).toMatchObject([
      { outcome: 'refused', note: 'the receiver answered 401', attempts: [{ status: 401 }] },
    ]);
    expect(receiver.received).toHaveLength(1);
  });

  it(`keeps at most ${MAX_ATTEMPTS_IN_FLIGHT} attempts in flight; the rest wait their turn`, async () => {
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    receiver.script(Array.from({ length: 100 }, () => ({ hold })));
    const events = Array.from({ length: 100 }, (_, i) => deauthorize(`burst ${i}`));
    try {
      await receiver.waitFor(MAX_ATTEMPTS_IN_FLIGHT);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.received).toHaveLength(MAX_ATTEMPTS_IN_FLIGHT);
    } finally {
      release();
    }
    await settle();
    expect(receiver.received).toHaveLength(100);
    expect(receiver.maxOpen()).toBe(MAX_ATTEMPTS_IN_FLIGHT);
    const outcomes = events.flatMap((event) => deliveriesOf(event).map((entry) => entry.outcome));
    expect(new Set(outcomes)).toEqual(new Set(['delivered']));
  });

  it('counts an answer later than 3 s as a failure and retries', async () => {
    emulator.setFaults({ webhookRetryScale: 0.001 });
    receiver.script([{ delayMs: 3_500 }, {}]);
    const event = deauthorize();
    await settle(15_000);
    const [entry] = deliveriesOf(event);
    expect(entry!.outcome).toBe('delivered');
    expect(entry!.attempts).toHaveLength(2);
    expect(entry!.attempts[0]).toMatchObject({
      status: null,
      error: 'no complete answer within 3000 ms',
    });
    expect(entry!.attempts[1]).toMatchObject({ status: 200, error: null });
    console.log(`timed-out attempt lasted ${entry!.attempts[0]!.durationMs.toFixed(0)} ms`);
  });

  it('drop knob: the delivery is logged dropped and never sent', async () => {
    emulator.setFaults({ webhookDropRate: 1 });
    const dropped = deauthorize('dropped');
    emulator.setFaults({});
    const sent = deauthorize('sent');
    await settle();
    expect(deliveriesOf(dropped)).toMatchObject([
      { outcome: 'dropped', fault: 'drop', attempts: [] },
    ]);
    expect(deliveriesOf(sent)).toMatchObject([{ outcome: 'delivered' }]);
    expect(receiver.received.map((webhook) => webhook.payload.data.message)).toEqual(['sent']);
  });

  it('duplicate knob: sent twice with the same tts_notification_id', async () => {
    emulator.setFaults({ webhookDuplicateRate: 1 });
    const event = deauthorize();
    expect(event.deliveryIds).toHaveLength(2);
    await settle();
    expect(deliveriesOf(event).map((entry) => [entry.outcome, entry.fault])).toEqual([
      ['delivered', 'duplicate'],
      ['delivered', 'duplicate'],
    ]);
    const received = await receiver.waitFor(2);
    expect(received[0]!.body).toBe(received[1]!.body);
    expect(received.map((webhook) => webhook.payload.tts_notification_id)).toEqual([
      event.notificationId,
      event.notificationId,
    ]);
    expect(received.every((webhook) => webhook.isSignatureValid)).toBe(true);
  });

  it('reorder knob: held deliveries go out newest first', async () => {
    emulator.setFaults({ webhookReorderRate: 1, webhookReorderWindowMs: 200 });
    const events = ['first', 'second', 'third'].map((message) => deauthorize(message));
    await settle();
    expect(receiver.received.map((webhook) => webhook.payload.data.message)).toEqual([
      'third',
      'second',
      'first',
    ]);
    for (const event of events)
      expect(deliveriesOf(event)).toMatchObject([{ fault: 'reorder', outcome: 'delivered' }]);
  });

  it('delay knob: the first attempt waits webhookDelayMs', async () => {
    emulator.setFaults({ webhookDelayMs: 250 });
    const event = deauthorize();
    await settle();
    const [entry] = deliveriesOf(event);
    const waitedMs = entry!.attempts[0]!.startedAtMs - entry!.createdAtMs;
    expect(waitedMs).toBeGreaterThanOrEqual(248);
    console.log(`delay knob 250 ms: first attempt ${waitedMs.toFixed(1)} ms after the event`);
  });

  it('sends only what a shop subscribed, to the address of that event type', async () => {
    await subscribe(emulator, token, shop, 'PACKAGE_UPDATE', `${receiver.url}/hooks/b`);
    try {
      // ORDER_STATUS_CHANGE is not subscribed for the shop; the other shop subscribed nothing.
      expect(emulator.raiseEvent({ type: 1, shopId: shop.id }).deliveryIds).toEqual([]);
      expect(emulator.raiseEvent({ type: 6, shopId: otherShop.id }).deliveryIds).toEqual([]);
      emulator.raiseEvent({ type: 4, shopId: shop.id, data: { sc_type: 'SPLIT' } });
      // A type without an Event API name goes to every address the shop subscribed.
      emulator.raiseEvent({ type: 99, shopId: shop.id, data: { novel: true } });
      await settle();
      expect(
        receiver.received.map((webhook) => `${webhook.payload.type} ${webhook.path}`).sort(),
      ).toEqual(['4 /hooks/b', '99 /hooks/a', '99 /hooks/b']);
      expect(receiver.received.every((webhook) => webhook.payload.shop_id === shop.id)).toBe(true);
    } finally {
      await unsubscribe(emulator, token, shop, 'PACKAGE_UPDATE');
    }
    expect(emulator.raiseEvent({ type: 4, shopId: shop.id }).deliveryIds).toEqual([]);
  });

  it('posts nothing off the machine: a non-loopback address is logged skipped', async () => {
    await subscribe(
      emulator,
      token,
      shop,
      'RECIPIENT_ADDRESS_UPDATE',
      'https://hooks.example.invalid/tiktok',
    );
    try {
      const event = emulator.raiseEvent({ type: 3, shopId: shop.id, data: { order_id: '1' } });
      await settle();
      expect(deliveriesOf(event)).toMatchObject([
        {
          outcome: 'skipped',
          attempts: [],
          note: 'the emulator posts only to loopback http:// addresses',
        },
      ]);
    } finally {
      await unsubscribe(emulator, token, shop, 'RECIPIENT_ADDRESS_UPDATE');
    }
  });

  it('Event API: accepts http only on a loopback host', async () => {
    const put = (address: string) =>
      call(emulator, {
        method: 'PUT',
        path: '/event/202309/webhooks',
        query: { shop_cipher: otherShop.cipher },
        accessToken: token,
        body: JSON.stringify({ address, event_type: 'NEW_MESSAGE' }),
      });
    expect((await put('http://localhost:9/webhooks/tiktok')).body.code).toBe(0);
    expect((await put('http://[::1]:9/webhooks/tiktok')).body.code).toBe(0);
    expect((await put('http://10.0.0.1/webhooks/tiktok')).body.code).toBe(36009004);
    await unsubscribe(emulator, token, otherShop, 'NEW_MESSAGE');
  });

  it('admin: GET webhook-deliveries (since) and POST webhook-deliveries/settle', async () => {
    const before = performance.timeOrigin + performance.now();
    const event = deauthorize();
    const settled = await fetch(`${emulator.url}/__emulator/webhook-deliveries/settle`, {
      method: 'POST',
      body: JSON.stringify({ timeoutMs: 5_000 }),
    });
    expect(await settled.json()).toEqual({ settled: true });
    const listed = await fetch(`${emulator.url}/__emulator/webhook-deliveries?since=${before}`);
    const { deliveries } = (await listed.json()) as { deliveries: WebhookDelivery[] };
    expect(deliveries.map((entry) => [entry.notificationId, entry.outcome])).toEqual([
      [event.notificationId, 'delivered'],
    ]);
    const bad = await fetch(`${emulator.url}/__emulator/webhook-deliveries/settle`, {
      method: 'POST',
      body: JSON.stringify({ timeoutMs: 'soon' }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('close() with deliveries pending', () => {
  it('cancels retries, holds, timers and attempts in flight: the process then exits by itself', async () => {
    // A child process, because only its exit proves no timer or socket was left behind.
    const child = spawn(TSX, [CLOSE_SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = await new Promise<{ code: number | null; isKilled: boolean }>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('exit', (code, signal) => {
        clearTimeout(killer);
        resolve({ code, isKilled: signal === 'SIGKILL' });
      });
    });
    expect(exit, stderr).toEqual({ code: 0, isKilled: false });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      closeMs: number;
      deliveries: Array<Pick<WebhookDelivery, 'outcome' | 'fault' | 'note'> & { attempts: number }>;
    };
    expect(report.deliveries).toEqual([
      // answered 500; its retry was 2 minutes away
      { outcome: 'cancelled', fault: null, note: 'the emulator closed', attempts: 1 },
      // held back by the reorder knob
      { outcome: 'cancelled', fault: 'reorder', note: 'the emulator closed', attempts: 0 },
      // in flight: the receiver had not answered
      { outcome: 'cancelled', fault: null, note: 'the emulator closed', attempts: 1 },
    ]);
    console.log(`close() with 3 deliveries pending took ${report.closeMs.toFixed(1)} ms`);
  });
});
