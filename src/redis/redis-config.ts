// The scale-out section of the settings (issue #6), null without REDIS_URL. src/settings.ts reads
// it from the environment.

export interface RedisConfig {
  /** REDIS_URL: `redis://` or `rediss://` (TLS). Never log it: use describeRedisUrl. */
  url: string;
  /** Prefix of every key and channel name, so several gateways can share one Redis. */
  keyPrefix: string;
  /** Gateway replicas sharing the budget; each gets 1/replicas of it while Redis is down. */
  replicas: number;
  /** Time to establish the connection, ms (REDIS_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** A command with no answer after this fails and the fallback takes over, ms. */
  commandTimeoutMs: number;
  /** Lifetime of a refresh lock whose holder stops renewing it (it died), ms. */
  refreshLockTtlMs: number;
  /** Longest a replica waits for another one's refresh before giving up, ms. */
  refreshWaitMs: number;
  /** Pub/sub channel of cache invalidations. Default `<prefix>invalidate`. */
  invalidationChannel: string;
  /** Names this replica in invalidation messages. Default `<hostname>:<pid>:<random>`. */
  instanceId: string;
}

/** The URL without user or password, safe for logs: `redis://host:6379/0`. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const port = parsed.port || '6379';
    const database = parsed.pathname.replace(/^\//, '') || '0';
    return `${parsed.protocol}//${parsed.hostname}:${port}/${database}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
