// Reads the scale-out variables (issue #6) once, like config.ts: every problem reported together,
// by name, and no value echoed (REDIS_URL may carry a password).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { describeIssues, optionalText, positiveInt } from '../env-schema.js';

/** Redis variables whose values must never be echoed (the URL may hold a password). */
export const REDIS_SECRET_VARIABLES = ['REDIS_URL'] as const;

export interface RedisConfig {
  /** REDIS_URL: `redis://` or `rediss://` (TLS). Never log it: use describeRedisUrl. */
  url: string;
  /** Prefix of every key and channel name, so several gateways can share one Redis. */
  keyPrefix: string;
  /** Gateway replicas sharing the budget; each gets 1/replicas of it while Redis is down. */
  replicas: number;
  /** Time to establish the connection, ms. Default 2 000. */
  connectTimeoutMs: number;
  /** A command with no answer after this fails (and the fallback takes over), ms. Default 1 000. */
  commandTimeoutMs: number;
  /** Lifetime of a refresh lock whose holder stops renewing it (it died), ms. Default 15 000. */
  refreshLockTtlMs: number;
  /** Longest a replica waits for another one's refresh before giving up, ms. Default 30 000. */
  refreshWaitMs: number;
  /** Pub/sub channel of cache invalidations. Default `<prefix>invalidate`. */
  invalidationChannel: string;
  /** Names this replica in invalidation messages. Default `<hostname>:<pid>:<random>`. */
  instanceId: string;
}

const NAME = /^[A-Za-z0-9:_.{}-]{1,64}$/;
const NAME_RULE = 'must be 1-64 characters of letters, digits and : _ . - { }';

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const environmentSchema = z.object({
  REDIS_URL: optionalText.refine(
    (value) => value === undefined || isRedisUrl(value),
    'must be a redis:// or rediss:// URL with a host',
  ),
  REDIS_KEY_PREFIX: optionalText
    .transform((value) => value ?? 'tts:')
    .refine((value) => NAME.test(value), NAME_RULE),
  REDIS_REPLICAS: positiveInt(1),
  REDIS_CONNECT_TIMEOUT_MS: positiveInt(2_000),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt(1_000),
  REDIS_REFRESH_LOCK_TTL_MS: positiveInt(15_000),
  REDIS_REFRESH_WAIT_MS: positiveInt(30_000),
  REDIS_INVALIDATION_CHANNEL: optionalText.refine(
    (value) => value === undefined || NAME.test(value),
    NAME_RULE,
  ),
  REDIS_INSTANCE_ID: optionalText.refine(
    (value) => value === undefined || NAME.test(value),
    NAME_RULE,
  ),
});

/**
 * The scale-out config, or null when REDIS_URL is unset (one process, nothing shared). Pure:
 * pass `process.env` or a literal. Throws one ConfigError naming every bad variable.
 */
export function loadRedisConfig(env: NodeJS.ProcessEnv = process.env): RedisConfig | null {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(describeIssues(parsed.error));
  }
  const values = parsed.data;
  if (values.REDIS_URL === undefined) return null;
  const keyPrefix = values.REDIS_KEY_PREFIX;
  return {
    url: values.REDIS_URL,
    keyPrefix,
    replicas: values.REDIS_REPLICAS,
    connectTimeoutMs: values.REDIS_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: values.REDIS_COMMAND_TIMEOUT_MS,
    refreshLockTtlMs: values.REDIS_REFRESH_LOCK_TTL_MS,
    refreshWaitMs: values.REDIS_REFRESH_WAIT_MS,
    invalidationChannel: values.REDIS_INVALIDATION_CHANNEL ?? `${keyPrefix}invalidate`,
    instanceId:
      values.REDIS_INSTANCE_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  };
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
