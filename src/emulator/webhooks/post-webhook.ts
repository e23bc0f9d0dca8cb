// One webhook delivery attempt: a POST over node:http, counted as a success only when a 2xx
// answer has fully arrived before the deadline (§8: within 3 seconds).
import { request } from 'node:http';

export type AttemptResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string };

export interface PostWebhookInput {
  url: URL;
  body: string;
  headers: Record<string, string>;
  /** The attempt fails when the whole answer has not arrived by then, ms. */
  timeoutMs: number;
  /** Aborted when the emulator closes. */
  signal: AbortSignal;
}

/** Never rejects: every way an attempt can end is an AttemptResult. */
export function postWebhook(input: PostWebhookInput): Promise<AttemptResult> {
  const { url, body, headers, timeoutMs, signal } = input;
  if (signal.aborted) {
    return Promise.resolve({ ok: false, status: null, error: 'cancelled: the emulator closed' });
  }
  return new Promise((resolve) => {
    let status: number | null = null;
    let isDone = false;
    // A fresh connection per attempt (no agent): nothing stays open once the attempt is over.
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const finish = (result: AttemptResult): void => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, status, error: 'cancelled: the emulator closed' });
    const timer = setTimeout(
      () => finish({ ok: false, status, error: `no complete answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      const answered = status;
      res.resume();
      res.on('end', () =>
        finish(
          answered >= 200 && answered < 300
            ? { ok: true, status: answered }
            : { ok: false, status: answered, error: `answered HTTP ${answered}` },
        ),
      );
      res.on('error', (error) => finish({ ok: false, status, error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, status, error: error.code ?? error.message }),
    );
    req.end(body);
  });
}
