// Gateway replicas for the scale-out tests (issue #6), built the way server.ts builds one:
// environment → loadSettings → createApp. Each replica has its own Redis connections, limiter,
// token manager and cache; they share one emulator, one Redis and one token file (imported into
// Redis by the first replica that finds Redis empty).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type App, createApp } from '../../src/app.js';
import type { AuthorizedShop } from '../../src/datasources/tiktok/types.js';
import type { EmulatorHandle, EmulatorSeller, IssuedTokens } from '../../src/emulator/types.js';
import type { Logger } from '../../src/logger.js';
import type { RedisScaleOut } from '../../src/redis/scale-out.js';
import { loadSettings } from '../../src/settings.js';
import type { GraphQLReply, Json } from './gateway.js';

/** The key every replica accepts (GATEWAY_API_KEYS), with every scope. */
export const REPLICA_API_KEY = 'scale-out-replica-key-0123456789';
/** TOKEN_ENCRYPTION_KEY shared by the replicas, as every replica of a deployment must. */
export const REPLICA_ENCRYPTION_KEY = 'ab'.repeat(32);

/** A clock the emulator and the replicas share, so a test can jump past a token's expiry. */
export function createTestClock() {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advanceMs(ms: number) {
      offsetMs += ms;
    },
  };
}

/** A temporary directory for the token file; `remove()` deletes it. */
export function createTempDir() {
  const path = mkdtempSync(join(tmpdir(), 'tts-scale-out-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface SellerFile {
  seller: EmulatorSeller;
  issued: IssuedTokens;
  shops: AuthorizedShop[];
}

/**
 * What a single gateway leaves behind before it is scaled out: the emulator's first seller, with
 * tokens the emulator issued and its shops (Get Authorized Shops), in an encrypted token file.
 */
export async function writeSellerFile(emulator: EmulatorHandle, path: string): Promise<SellerFile> {
  const seller = emulator.sellers[0];
  if (!seller) throw new Error('The emulator has no sellers.');
  const issued = emulator.issueTokens({ openId: seller.openId });
  const app = await createApp(
    loadSettings({
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TOKEN_ENCRYPTION_KEY: REPLICA_ENCRYPTION_KEY,
      TOKEN_STORE_PATH: path,
      LOG_LEVEL: 'silent',
    }),
  );
  try {
    const shops = await app.listShops(issued.accessToken);
    await app.sellers.store.saveSeller({
      openId: seller.openId,
      source: 'oauth',
      name: seller.name,
      baseRegion: shops[0]?.region ?? '',
      userType: 0,
      grantedScopes: issued.grantedScopes,
      tokens: {
        accessToken: issued.accessToken,
        accessTokenExpiresAt: issued.accessTokenExpiresAt,
        refreshToken: issued.refreshToken,
        refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
      },
      shops,
    });
    return { seller, issued, shops };
  } finally {
    await app.close();
  }
}

export interface ReplicaOptions {
  emulator: EmulatorHandle;
  /** REDIS_INSTANCE_ID. */
  name: string;
  /** REDIS_URL; null runs the replica without Redis (each its own limiter, the file store). */
  redisUrl: string | null;
  /** REDIS_KEY_PREFIX. */
  keyPrefix: string;
  /** TOKEN_STORE_PATH (see writeSellerFile). */
  tokenStorePath: string;
  /** TIKTOK_SHOP_SHOP_ID. */
  defaultShopId: string;
  /** More environment, e.g. `{ TIKTOK_SHOP_MAX_ATTEMPTS: '3' }`. */
  env?: Record<string, string>;
  logger?: Logger;
  now?: () => number;
}

export interface Replica {
  name: string;
  stack: App;
  /** The Redis pieces (throws for a replica started without Redis). */
  readonly scaleOut: RedisScaleOut;
  query<TResult = Json>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLReply<TResult>>;
  close(): Promise<void>;
}

/**
 * The replica's environment: 10 requests/s with a burst of 5 for all replicas together, no
 * retries (so a 429 shows as a failure), REDIS_REPLICAS=2.
 */
export function replicaEnvironment(options: ReplicaOptions): Record<string, string> {
  const { emulator } = options;
  return {
    TIKTOK_SHOP_APP_KEY: emulator.appKey,
    TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
    TIKTOK_SHOP_API_BASE: emulator.url,
    TIKTOK_SHOP_AUTH_BASE: emulator.url,
    TIKTOK_SHOP_SHOP_ID: options.defaultShopId,
    TIKTOK_SHOP_RATE_LIMIT: '10',
    TIKTOK_SHOP_RATE_BURST: '5',
    TIKTOK_SHOP_MAX_ATTEMPTS: '1',
    TIKTOK_SHOP_RATE_LIMIT_RETRIES: '0',
    TOKEN_ENCRYPTION_KEY: REPLICA_ENCRYPTION_KEY,
    TOKEN_STORE_PATH: options.tokenStorePath,
    GATEWAY_API_KEYS: `replica:${REPLICA_API_KEY}:*`,
    LOG_LEVEL: 'silent',
    ...(options.redisUrl === null
      ? {}
      : {
          REDIS_URL: options.redisUrl,
          REDIS_KEY_PREFIX: options.keyPrefix,
          REDIS_REPLICAS: '2',
          REDIS_INSTANCE_ID: options.name,
          REDIS_CONNECT_TIMEOUT_MS: '1000',
          REDIS_COMMAND_TIMEOUT_MS: '1000',
        }),
    ...options.env,
  };
}

export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const stack = await createApp(loadSettings(replicaEnvironment(options)), {
    logger: options.logger,
    now: options.now,
  });
  return {
    name: options.name,
    stack,
    get scaleOut() {
      if (!stack.scaleOut) throw new Error(`Replica ${options.name} runs without Redis.`);
      return stack.scaleOut;
    },
    async query<TResult>(query: string, variables?: Record<string, unknown>) {
      const response = await stack.gateway.fetch('http://127.0.0.1/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${REPLICA_API_KEY}`,
        },
        body: JSON.stringify({ query, variables: variables ?? {} }),
      });
      return {
        status: response.status,
        body: (await response.json()) as GraphQLReply<TResult>['body'],
      };
    },
    close: () => stack.close(),
  };
}

export interface LogEntry {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/** A pino logger that keeps every line, and lets a test wait for one (what an operator sees). */
export function createLogRecorder(level: 'debug' | 'info' | 'warn' = 'debug') {
  const lines: LogEntry[] = [];
  const waiters: Array<{ matches: (entry: LogEntry) => boolean; resolve: () => void }> = [];
  const logger = pino(
    { level },
    {
      write(line: string) {
        const entry = JSON.parse(line) as LogEntry;
        lines.push(entry);
        for (const waiter of [...waiters]) {
          if (!waiter.matches(entry)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      },
    },
  );
  return {
    logger,
    lines,
    /** Resolves once a matching line is logged (at once if one was); rejects after `limitMs`. */
    waitFor(matches: (entry: LogEntry) => boolean, limitMs = 10_000): Promise<void> {
      if (lines.some(matches)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`No matching log line within ${limitMs} ms`));
        }, limitMs);
        const waiter = {
          matches,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
      });
    },
  };
}
