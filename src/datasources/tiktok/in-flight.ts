// Shares one upstream call among identical callers that arrive while it is in flight.
import { createHash } from 'node:crypto';

export interface InFlight {
  /**
   * Runs `start()` unless a call with the same key is already running, in which case the caller
   * gets that call's promise. The key is forgotten as soon as the call settles.
   */
  run<T>(key: string, start: () => Promise<T>): Promise<T>;
  /** Calls currently in flight. */
  size(): number;
}

export function createInFlight(): InFlight {
  const calls = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, start: () => Promise<T>): Promise<T> {
      const running = calls.get(key);
      if (running) return running as Promise<T>;
      const call = start().finally(() => calls.delete(key));
      calls.set(key, call);
      return call;
    },
    size: () => calls.size,
  };
}

/**
 * The identity of an upstream call: method, origin, path, query without the per-attempt
 * `timestamp` and `sign`, the exact body bytes, the shop and the token. Hashed so tokens are not
 * kept as readable map keys.
 */
export function inFlightKey(parts: {
  method: string;
  origin: string;
  path: string;
  query: Record<string, string>;
  body: string | undefined;
  shopCipher: string | undefined;
  accessToken: string;
}): string {
  const query = Object.entries(parts.query)
    .filter(([key]) => key !== 'timestamp' && key !== 'sign')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(
      JSON.stringify([
        parts.method,
        parts.origin,
        parts.path,
        query,
        parts.body ?? null,
        parts.shopCipher ?? null,
        parts.accessToken,
      ]),
    )
    .digest('hex');
}
