// POST <WEBHOOK_PATH>: TikTok's deliveries (§8, issue 13). The body is read as bytes, at most
// 64 KB, and its `Authorization` checked in constant time (HMAC-SHA256 of app key + raw body);
// a valid delivery is answered 200 with an empty body at once (TikTok wants it within 3 s) and
// processed afterwards, so the answer never waits on Redis, the token store or subscribers.
import type { TikTokCredentials } from '../config.js';
import { verifyWebhook } from '../datasources/tiktok/signer.js';
import type { Logger } from '../logger.js';
import { errorResponse } from '../plugins/error-response.js';
import type { EventProcessor, ProcessingOutcome } from './event-processor.js';
import { EVENT_TYPES } from './event-types.js';
import { readDelivery } from './tiktok-event.js';

/** Largest delivery accepted, bytes; §8 payloads are a few hundred. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** What the receiver did since the start (the metrics of issue 13 read these). */
export type WebhookCounts = Record<
  'received' | 'unauthorized' | 'tooLarge' | 'malformed' | 'unknownType' | ProcessingOutcome,
  number
>;

export interface WebhookReceiver {
  handle(request: Request): Promise<Response>;
  counts(): WebhookCounts;
  /** Resolves once every delivery answered so far has been processed. */
  settled(): Promise<void>;
  /** Answers new deliveries 503 (TikTok retries them), then waits for the processing. */
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  /** The app whose key and secret sign the deliveries. */
  credentials: TikTokCredentials;
  process: EventProcessor;
  logger: Logger;
}

const tooLarge = () =>
  errorResponse(
    413,
    `Webhook body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes.`,
    'BAD_USER_INPUT',
  );

/** The body's bytes as UTF-8 text, or undefined past the limit (counted as read). */
async function readBody(request: Request): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (!reader) return '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WEBHOOK_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  // Buffer keeps a byte-order mark as text (TextDecoder would drop it): the signature covers it.
  return Buffer.concat(chunks).toString('utf8');
}

export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { credentials, logger } = options;
  const counts: WebhookCounts = {
    received: 0,
    unauthorized: 0,
    tooLarge: 0,
    malformed: 0,
    unknownType: 0,
    published: 0,
    duplicate: 0,
    'unknown-shop': 0,
    stale: 0,
    failed: 0,
  };
  const processing = new Set<Promise<void>>();
  let isClosing = false;

  const settled = async () => {
    while (processing.size > 0) await Promise.all([...processing]);
  };

  /** Processes after the answer has gone out; close() and settled() wait for it. */
  function processLater(event: Parameters<EventProcessor>[0]): void {
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => options.process(event))
      .then((outcome) => {
        counts[outcome] += 1;
        if (outcome === 'published' && !EVENT_TYPES.has(event.type)) counts.unknownType += 1;
      })
      .finally(() => processing.delete(done));
    processing.add(done);
  }

  return {
    async handle(request) {
      counts.received += 1;
      // Shutting down: not 200, so TikTok delivers it again (to another replica, or later).
      if (isClosing) return new Response(null, { status: 503, headers: { 'retry-after': '5' } });
      // A declared size over the limit is refused unread.
      if (Number(request.headers.get('content-length') ?? 0) > MAX_WEBHOOK_BODY_BYTES) {
        counts.tooLarge += 1;
        return tooLarge();
      }
      const rawBody = await readBody(request);
      if (rawBody === undefined) {
        counts.tooLarge += 1;
        return tooLarge();
      }
      const signature = request.headers.get('authorization');
      if (!signature || !verifyWebhook({ ...credentials, rawBody, signature })) {
        counts.unauthorized += 1;
        logger.warn(
          { reason: signature ? 'signature does not match' : 'no Authorization header' },
          'Webhook refused (401): not signed with this app key and secret',
        );
        return errorResponse(401, 'Webhook signature missing or invalid.', 'UNAUTHENTICATED');
      }
      const reading = readDelivery(rawBody);
      if (!reading.ok) {
        counts.malformed += 1;
        logger.warn({ problem: reading.problem }, 'Signed webhook is malformed: refused (400)');
        return errorResponse(400, `Malformed webhook: ${reading.problem}.`, 'BAD_REQUEST');
      }
      processLater(reading.event);
      return new Response(null, { status: 200 });
    },

    counts: () => ({ ...counts }),

    settled,

    async close() {
      isClosing = true;
      await settled();
    },
  };
}
