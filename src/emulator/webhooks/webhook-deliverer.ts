// Delivers §8 webhooks the way TikTok does: a signed POST per subscribed address, success only on
// a 2xx within 3 s, retries after 2 min, 30 min, 3 h and 12 h (compressed by a knob), plus the
// drop, duplicate, reorder and delay knobs. Keeps a log of every delivery for tests.
import { setMaxListeners } from 'node:events';
import type { FaultInjector, WebhookFaultDecision } from '../faults.js';
import { arrivalTimeMs } from '../http-io.js';
import type { RaisedEvent, WebhookDelivery, WebhookOutcome } from '../types.js';
import { loopbackHttpUrl } from './loopback-address.js';
import { postWebhook } from './post-webhook.js';
import { signWebhook } from './webhook-signature.js';

/** §8: the receiver must answer within 3 seconds. */
export const WEBHOOK_TIMEOUT_MS = 3_000;
/** §8: up to 4 retries, each this long after the previous attempt. */
export const RETRY_DELAYS_MS = [2 * 60_000, 30 * 60_000, 3 * 3_600_000, 12 * 3_600_000] as const;
/** Attempts in flight at once; the rest wait their turn (a 30-day advance raises thousands). */
export const MAX_ATTEMPTS_IN_FLIGHT = 32;
/** The log keeps the newest this many deliveries. */
const MAX_LOGGED_DELIVERIES = 10_000;

/** An event as the emulator raises it; the deliverer adds the id and the timestamp. */
export interface WebhookEvent {
  type: number;
  shopId: string;
  data: Record<string, unknown>;
}

export interface WebhookDelivererOptions {
  appKey: string;
  appSecret: string;
  /** Emulator clock, ms since the epoch: the payload's `timestamp`. */
  now: () => number;
  /** Decides the webhook knobs per delivery and holds the retry scale. */
  faults: FaultInjector;
  /** Makes notification ids differ between seeds. */
  seed: number;
}

export interface WebhookDeliverer {
  /** Starts delivering `event` to each address after the current turn; never waits for it. */
  deliver(event: WebhookEvent, addresses: readonly string[]): RaisedEvent;
  /** The delivery log, oldest first; with `sinceMs`, only deliveries created after it. */
  deliveries(sinceMs?: number): WebhookDelivery[];
  /** Resolves true once no delivery is pending, false if `timeoutMs` passes first. */
  settle(timeoutMs: number): Promise<boolean>;
  /** Cancels every pending attempt, retry and hold; resolves once no socket is left open. */
  close(): Promise<void>;
}

/** A delivery and what it needs to be posted again. */
interface Outgoing {
  record: WebhookDelivery;
  url: URL;
  signature: string;
  /** The copy sent after the first attempt when the delivery is duplicated. */
  copy: Outgoing | null;
}

export function createWebhookDeliverer(options: WebhookDelivererOptions): WebhookDeliverer {
  const log: WebhookDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const held: Outgoing[] = [];
  const shutdown = new AbortController();
  // Each of up to MAX_ATTEMPTS_IN_FLIGHT attempts listens to it.
  setMaxListeners(0, shutdown.signal);
  const waiters = new Set<() => void>();
  /** Deliveries still to be attempted or retried (kept apart from the capped log). */
  const pending = new Set<WebhookDelivery>();
  /** Attempts waiting for one of the MAX_ATTEMPTS_IN_FLIGHT slots. */
  const queued: Array<() => void> = [];
  let attemptsInFlight = 0;
  let holdTimer: NodeJS.Timeout | null = null;
  let deliveryCount = 0;
  let notificationCount = 0;
  // 19 digits like TikTok's ids: 73, six digits of the seed, a 11-digit counter.
  const notificationHead = 73_000_000n + BigInt(Math.abs(Math.trunc(options.seed)) % 1_000_000);

  function later(run: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, delayMs);
    timers.add(timer);
  }

  function settleRecord(record: WebhookDelivery, outcome: WebhookOutcome, note?: string): void {
    record.outcome = outcome;
    record.nextAttemptAtMs = null;
    record.settledAtMs = arrivalTimeMs();
    if (note !== undefined) record.note = note;
    if (pending.delete(record) && pending.size === 0) for (const wake of [...waiters]) wake();
  }

  function newRecord(
    event: WebhookEvent,
    notificationId: string,
    address: string,
    body: string,
    fault: WebhookDelivery['fault'],
  ): WebhookDelivery {
    deliveryCount += 1;
    const record: WebhookDelivery = {
      id: `wh-${deliveryCount}`,
      notificationId,
      type: event.type,
      shopId: event.shopId,
      url: address,
      body,
      outcome: 'pending',
      fault,
      attempts: [],
      createdAtMs: arrivalTimeMs(),
      nextAttemptAtMs: null,
      settledAtMs: null,
      note: null,
    };
    log.push(record);
    if (log.length > MAX_LOGGED_DELIVERIES) log.shift();
    pending.add(record);
    return record;
  }

  /** A released slot passes straight to the next waiter, so the cap holds. */
  async function takeSlot(): Promise<void> {
    if (attemptsInFlight < MAX_ATTEMPTS_IN_FLIGHT || shutdown.signal.aborted) {
      attemptsInFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => queued.push(resolve));
  }

  function releaseSlot(): void {
    const next = queued.shift();
    if (next) next();
    else attemptsInFlight -= 1;
  }

  /** Posts once; schedules the next retry or settles. Resolves when this attempt is over. */
  function attempt(outgoing: Outgoing): Promise<void> {
    const { record } = outgoing;
    const run = (async () => {
      await takeSlot();
      // The 3 s deadline starts here, not while waiting for a slot.
      const startedAtMs = arrivalTimeMs();
      const result = await postWebhook({
        url: outgoing.url,
        body: record.body,
        headers: { 'content-type': 'application/json', authorization: outgoing.signature },
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        signal: shutdown.signal,
      }).finally(releaseSlot);
      record.attempts.push({
        startedAtMs,
        durationMs: arrivalTimeMs() - startedAtMs,
        status: result.status,
        error: result.ok ? null : result.error,
      });
      if (result.ok) return settleRecord(record, 'delivered');
      if (shutdown.signal.aborted) return settleRecord(record, 'cancelled', 'the emulator closed');
      // §8: the receiver answers 200, or 401 to refuse; only other outcomes are retried.
      if (result.status === 401)
        return settleRecord(record, 'refused', 'the receiver answered 401');
      const retryDelayMs = RETRY_DELAYS_MS[record.attempts.length - 1];
      if (retryDelayMs === undefined) return settleRecord(record, 'failed');
      const delayMs = retryDelayMs * (options.faults.get().webhookRetryScale ?? 1);
      record.nextAttemptAtMs = arrivalTimeMs() + delayMs;
      later(() => void attempt(outgoing), delayMs);
    })();
    inFlight.add(run);
    return run.finally(() => inFlight.delete(run));
  }

  /** The first attempt, then the duplicate's, in that order. */
  async function send(outgoing: Outgoing): Promise<void> {
    await attempt(outgoing);
    if (outgoing.copy && !shutdown.signal.aborted) await attempt(outgoing.copy);
  }

  /** Held deliveries go out newest first, one after the other, so they arrive out of order. */
  async function releaseHeld(): Promise<void> {
    holdTimer = null;
    for (const outgoing of held.splice(0).reverse()) {
      if (shutdown.signal.aborted) return;
      await send(outgoing);
    }
  }

  function start(outgoing: Outgoing, decision: WebhookFaultDecision): void {
    if (decision.kind !== 'reorder') {
      void send(outgoing);
      return;
    }
    held.push(outgoing);
    if (holdTimer) return;
    holdTimer = setTimeout(() => void releaseHeld(), decision.holdMs);
  }

  function deliver(event: WebhookEvent, addresses: readonly string[]): RaisedEvent {
    notificationCount += 1;
    const notificationId = String(notificationHead * 10n ** 11n + BigInt(notificationCount));
    // Key order as in §8; the body is signed and sent byte for byte as logged.
    const body = JSON.stringify({
      type: event.type,
      tts_notification_id: notificationId,
      shop_id: event.shopId,
      timestamp: Math.floor(options.now() / 1000),
      data: event.data,
    });
    const signature = signWebhook(options.appKey, options.appSecret, body);
    const deliveryIds: string[] = [];
    for (const address of addresses) {
      const decision = options.faults.decideWebhook();
      const record = newRecord(event, notificationId, address, body, decision.kind);
      deliveryIds.push(record.id);
      if (shutdown.signal.aborted) {
        settleRecord(record, 'cancelled', 'the emulator closed');
        continue;
      }
      if (decision.kind === 'drop') {
        settleRecord(record, 'dropped');
        continue;
      }
      const url = loopbackHttpUrl(address);
      if (!url) {
        settleRecord(record, 'skipped', 'the emulator posts only to loopback http:// addresses');
        continue;
      }
      let copy: Outgoing | null = null;
      if (decision.kind === 'duplicate') {
        const copyRecord = newRecord(event, notificationId, address, body, 'duplicate');
        deliveryIds.push(copyRecord.id);
        copy = { record: copyRecord, url, signature, copy: null };
      }
      const outgoing: Outgoing = { record, url, signature, copy };
      // After the current turn: the API answer that caused the event is written first.
      later(() => start(outgoing, decision), decision.delayMs);
    }
    return { type: event.type, shopId: event.shopId, notificationId, deliveryIds };
  }

  return {
    deliver,
    deliveries(sinceMs) {
      const chosen = sinceMs === undefined ? log : log.filter((r) => r.createdAtMs > sinceMs);
      return structuredClone(chosen);
    },
    settle(timeoutMs) {
      if (pending.size === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (isSettled: boolean) => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(isSettled);
        };
        const wake = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiters.add(wake);
      });
    },
    async close() {
      shutdown.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = null;
      held.length = 0;
      for (const wake of queued.splice(0)) {
        attemptsInFlight += 1;
        wake();
      }
      await Promise.all([...inFlight]);
      for (const record of [...pending]) settleRecord(record, 'cancelled', 'the emulator closed');
    },
  };
}
