// Redis for the scale-out tests: connections to the shared server under a fresh key prefix, and
// private redis-server processes (own port, no persistence) that a test may stop and restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, afterEach } from 'vitest';
import type { RedisLogger } from '../../../src/redis/logger.js';
import {
  closeRedis,
  createRedisConnection,
  type Redis,
  waitUntilReady,
} from '../../../src/redis/redis-connection.js';

/** The shared server the environment runs (checked with `redis-cli ping`). */
export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

/** A prefix no other test file uses, so files can run in parallel on the shared server. */
export function uniquePrefix(name: string): string {
  return `test:${name}:${randomUUID().slice(0, 8)}:`;
}

/** Connections opened by a test; `closeAll` closes them. */
export function createConnections() {
  const opened: Redis[] = [];
  return {
    async open(url = SHARED_REDIS_URL, logger?: RedisLogger): Promise<Redis> {
      const redis = createRedisConnection({
        url,
        maxReconnectDelayMs: 100,
        ...(logger ? { logger } : {}),
      });
      opened.push(redis);
      if (!(await waitUntilReady(redis, 5_000))) throw new Error('Redis did not become ready');
      return redis;
    },
    async closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((redis) => closeRedis(redis)));
    },
  };
}

/** Deletes every key under `prefix` on the shared server. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  if (redis.status !== 'ready') return;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** A logger that records every line, to assert on what an operator would see. */
export function createRecordingLogger() {
  const lines: Array<{ level: 'info' | 'warn' | 'error'; fields: unknown; message: string }> = [];
  const logger: RedisLogger = {
    info: (fields, message) => void lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => void lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => void lines.push({ level: 'error', fields, message }),
  };
  return {
    logger,
    lines,
    matching: (level: 'info' | 'warn' | 'error', pattern: RegExp) =>
      lines.filter((line) => line.level === level && pattern.test(line.message)),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL, like a crash): its data is gone, it has no persistence. */
  stop(): Promise<void>;
  /** Starts a new, empty server on the same port. */
  start(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free loopback port, without persistence. Call the
 * returned handle's `stop` in afterEach.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const serverProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        tmpdir(),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = serverProcess;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start: ${output}`)),
        10_000,
      );
      serverProcess.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      serverProcess.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
  }

  async function stop(): Promise<void> {
    const serverProcess = child;
    child = undefined;
    if (!serverProcess || serverProcess.exitCode !== null || serverProcess.signalCode !== null) {
      return;
    }
    const exited = once(serverProcess, 'exit');
    serverProcess.kill('SIGKILL');
    await exited;
  }

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}

/** Resolves once `redis` reconnected after a restart. */
export async function reconnected(redis: Redis): Promise<void> {
  if (!(await waitUntilReady(redis, 10_000))) throw new Error('Redis did not reconnect');
}

/** Collects unhandled rejections while a test runs. */
export function watchUnhandledRejections() {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', onRejection);
  return {
    seen,
    stop: () => void process.off('unhandledRejection', onRejection),
  };
}

/**
 * A test file's Redis scope: its keys live under one prefix (`keyPrefix()` gives each test its
 * own below it) and are deleted after the file; `cleanups` run after each test, last first.
 */
export function redisTestFile(name: string) {
  const prefix = uniquePrefix(name);
  const connections = createConnections();
  const cleanups: Array<() => Promise<void> | void> = [];
  let tests = 0;
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await deleteKeys(await connections.open(), prefix);
    await connections.closeAll();
  });
  return {
    connections,
    cleanups,
    keyPrefix: () => {
      tests += 1;
      return `${prefix}${tests}:`;
    },
  };
}
