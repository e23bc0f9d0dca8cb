// A webhook receiver on loopback for the emulator's delivery tests: it checks each delivery's
// signature itself, straight from docs/tiktok-shop-api.md §8 with node:crypto, and answers as
// scripted (a status, a delay, or held until the test lets it go).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  /** Arrival, ms since the epoch (performance clock, like the emulator's log). */
  atMs: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body; the raw bytes are what was signed. */
  payload: {
    type: number;
    tts_notification_id: string;
    shop_id: string;
    timestamp: number;
    data: Record<string, unknown>;
  };
  isSignatureValid: boolean;
}

/** How the receiver answers one delivery; the default is 200 with an empty body at once. */
export interface ScriptedAnswer {
  status?: number;
  delayMs?: number;
  /** Answer only once this settles (lets a test hold a delivery open). */
  hold?: Promise<unknown>;
}

export interface WebhookReceiver {
  /** Base URL; deliveries may go to any path under it. */
  url: string;
  received: ReceivedWebhook[];
  /** Most deliveries open (arrived, not yet answered) at one time. */
  maxOpen(): number;
  /** Answers for the next deliveries, in order; once used up, 200 at once. */
  script(answers: ScriptedAnswer[]): void;
  /** Resolves once `count` deliveries have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** §8: hex(HMAC-SHA256(key = app_secret, message = app_key + raw body)), compared in constant time. */
export function isValidWebhookSignature(
  appKey: string,
  appSecret: string,
  body: string,
  authorization: string | undefined,
): boolean {
  const expected = Buffer.from(
    createHmac('sha256', appSecret).update(`${appKey}${body}`, 'utf8').digest('hex'),
  );
  const received = Buffer.from(authorization ?? '');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

export async function startWebhookReceiver(app: {
  appKey: string;
  appSecret: string;
}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let answers: ScriptedAnswer[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const waiters = new Set<() => void>();
  let open = 0;
  let maxOpen = 0;

  const server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => {
      open -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        atMs: performance.timeOrigin + performance.now(),
        path: req.url ?? '/',
        headers: req.headers,
        body,
        payload: JSON.parse(body),
        isSignatureValid: isValidWebhookSignature(
          app.appKey,
          app.appSecret,
          body,
          req.headers.authorization,
        ),
      });
      for (const wake of [...waiters]) wake();
      const answer = answers.shift() ?? {};
      if (answer.hold) await answer.hold;
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-length': 0 });
        res.end();
      };
      if (!answer.delayMs) return reply();
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    maxOpen: () => maxOpen,
    script(next) {
      answers = [...next];
    },
    waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received.slice(0, count));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`received ${received.length} of ${count} webhooks in ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(received.slice(0, count));
        };
        waiters.add(wake);
      });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
