// Request log and counters: what tests and bench read to prove batching, caching and retries.
import { type ArrivedRequest, splitUrl } from './http-io.js';
import type { RequestLogEntry } from './types.js';

/** Default cap on kept entries; the oldest are dropped first. Counters are never capped. */
export const DEFAULT_MAX_LOG_ENTRIES = 100_000;

export interface RequestLog {
  record(entry: RequestLogEntry): void;
  /** Entries in arrival order; with `sinceMs`, only those that arrived strictly after it. */
  entries(sinceMs?: number): RequestLogEntry[];
  /** `{ endpoint: n, 'endpoint shopId': n }`, successful or not. */
  counters(): Record<string, number>;
  reset(): void;
}

/** @param maxEntries Most entries kept (default 100 000). */
export function createRequestLog(maxEntries = DEFAULT_MAX_LOG_ENTRIES): RequestLog {
  let log: RequestLogEntry[] = [];
  let counts = new Map<string, number>();
  // Trim in batches so a full log does not pay an O(n) splice on every request.
  const trimSlack = Math.max(1, Math.ceil(maxEntries / 100));

  const bump = (key: string): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };

  return {
    record(entry) {
      // Entries are recorded when answered; a delayed answer is moved back to its arrival slot.
      let index = log.length;
      while (index > 0 && (log[index - 1] as RequestLogEntry).at > entry.at) index -= 1;
      log.splice(index, 0, { ...entry });
      if (log.length >= maxEntries + trimSlack) log = log.slice(log.length - maxEntries);
      bump(entry.endpoint);
      if (entry.shopId !== null) bump(`${entry.endpoint} ${entry.shopId}`);
    },
    entries(sinceMs) {
      const kept = log.length > maxEntries ? log.slice(log.length - maxEntries) : log;
      const selected = sinceMs === undefined ? kept : kept.filter((entry) => entry.at > sinceMs);
      return selected.map((entry) => ({ ...entry }));
    },
    counters: () => Object.fromEntries(counts),
    reset() {
      log = [];
      counts = new Map();
    },
  };
}

/** What the log records of an answer, besides when, how and where the request arrived. */
export type LoggedAnswer = Omit<RequestLogEntry, 'at' | 'method' | 'path'>;

/** Records answers to one request, with its arrival time, method and raw path. */
export function answerLogger(
  log: RequestLog,
  { req, atMs }: Pick<ArrivedRequest, 'req' | 'atMs'>,
): (answer: LoggedAnswer) => void {
  const method = req.method ?? 'GET';
  const { path } = splitUrl(req.url);
  return (answer) => log.record({ at: atMs, method, path, ...answer });
}
