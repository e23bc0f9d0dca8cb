// Issue 10, "seller tokens survive crashes", for the Redis store: a write is one script, so a
// writer killed (SIGKILL) mid-save leaves the old record or the new one, never none.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from '../../../src/redis/redis-connection.js';
import { createRedisTokenStore } from '../../../src/redis/redis-token-store.js';
import { createConnections, deleteKeys, uniquePrefix } from '../../redis/helpers/redis.js';
import { seller } from '../token-store-battery.js';
import { createWriterPool, startWriter } from './writers.js';

const KILL_CYCLES = 5;

const connections = createConnections();
let redis: Redis;
let prefix: string;
const key = randomBytes(32);

beforeEach(async () => {
  redis = await connections.open();
  prefix = uniquePrefix('redis-store-crash');
});

afterEach(async () => {
  await deleteKeys(redis, prefix);
  await connections.closeAll();
});

describe('Redis store: kill -9 during saves', () => {
  it(`keeps the last reported save (or a newer one) through ${KILL_CYCLES} kill cycles`, async () => {
    const open = () => createRedisTokenStore({ redis, keyPrefix: prefix, encryptionKey: key });
    await open().saveSeller(seller('seller-a'));
    const pool = createWriterPool(2, () => startWriter(['redis', prefix, 'seller-a'], key));
    try {
      for (let cycle = 0; cycle < KILL_CYCLES; cycle += 1) {
        const writer = await pool.take();
        writer.go();
        await writer.waitFor(/^saved /);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
        await writer.kill();
        const last = writer.lines.filter((line) => line.startsWith('saved ')).at(-1) ?? '';
        const [, version = ''] = last.split(' ');

        const stored = await open().getSeller('seller-a');
        expect(stored?.version).toBeGreaterThanOrEqual(Number(version));
        // Whole and readable: the tokens of exactly the version stored.
        expect(stored?.tokens.accessToken).toBe(`TTP_access_${stored?.version}`);
      }
    } finally {
      await pool.close();
    }
  });
});
