// What deduplication and update order both keep (issue 13): a value per key for longer than
// TikTok's retries, in Redis for every replica when scaled out, and in an LRU on this replica,
// which also decides alone while Redis is down (an outage logged once each way).
import { LRUCache } from 'lru-cache';
import { createOutageLog, type RedisLogger, silentRedisLogger } from '../redis/logger.js';
import type { Redis } from '../redis/redis-connection.js';

export interface KeptStateOptions {
  /** How long a key is kept, ms (WEBHOOK_DEDUP_TTL_MS): longer than TikTok's retries. */
  ttlMs: number;
  /** Keys this replica keeps at most. Default 100 000 (a few MB). */
  maxEntries?: number;
  /** Shared by the replicas; without it this replica only. */
  redis?: { connection: Redis; keyPrefix: string } | undefined;
  logger?: RedisLogger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: (() => number) | undefined;
}

/** This replica's LRU and the outage log of the Redis side, for `messages`. */
export function createKeptState<V extends {}>(
  options: KeptStateOptions,
  messages: { down: string; up: string },
) {
  return {
    local: new LRUCache<string, V>({
      max: options.maxEntries ?? 100_000,
      ttl: options.ttlMs,
      perf: { now: options.now ?? Date.now },
    }),
    outage: createOutageLog(options.logger ?? silentRedisLogger, messages),
  };
}
