// The Redis token store on the real Redis: the shared contract battery, then what only Redis
// does (records bound to their key, importing the file store's sellers).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { importSellers } from '../../src/auth/token-store.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisTokenStore, type RedisTokenStore } from '../../src/redis/redis-token-store.js';
import { batteryOfTests, seller } from '../auth/token-store-battery.js';
import { createConnections, deleteKeys, uniquePrefix } from './helpers/redis.js';

const key = randomBytes(32);

/** Every key under `prefix` with its value, whatever its type. */
async function dump(redis: Redis, prefix: string): Promise<string> {
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const values = await Promise.all(
    keys.map(async (name) => {
      const type = await redis.type(name);
      if (type === 'hash') return redis.hgetall(name);
      if (type === 'set') return (await redis.smembers(name)).sort();
      if (type === 'zset') return redis.zrange(name, 0, -1, 'WITHSCORES');
      return redis.get(name);
    }),
  );
  return JSON.stringify(keys.map((name, index) => [name, values[index]]));
}

batteryOfTests('redis', {
  isEncrypted: true,
  async create(now) {
    const keyPrefix = uniquePrefix('token-store-battery');
    const connections = createConnections();
    const admin = await connections.open();
    // Each store has its own connection, like a replica.
    const stores: RedisTokenStore[] = [];
    const open = async (encryptionKey: Uint8Array) => {
      const store = createRedisTokenStore({
        redis: await connections.open(),
        keyPrefix,
        encryptionKey,
        now,
      });
      stores.push(store);
      return store;
    };
    return {
      open: () => open(key),
      openWithKey: open,
      readAtRest: () => dump(admin, keyPrefix),
      async tamper(openId) {
        const sellerKey = `${keyPrefix}tokens:seller:${openId}`;
        const envelope = JSON.parse((await admin.hget(sellerKey, 'data')) ?? '{}');
        const data = Buffer.from(envelope.data, 'base64');
        data[5] = (data[5] ?? 0) ^ 0x01;
        await admin.hset(
          sellerKey,
          'data',
          JSON.stringify({ ...envelope, data: data.toString('base64') }),
        );
      },
      async close() {
        for (const store of stores) store.close();
        await deleteKeys(admin, keyPrefix);
        await connections.closeAll();
      },
    };
  },
});

describe('createRedisTokenStore', () => {
  const connections = createConnections();
  let prefix: string;
  let admin: Redis;

  beforeEach(async () => {
    prefix = uniquePrefix('token-store');
    admin = await connections.open();
  });

  afterEach(async () => {
    await deleteKeys(admin, prefix);
    await connections.closeAll();
  });

  async function store() {
    return createRedisTokenStore({
      redis: await connections.open(),
      keyPrefix: prefix,
      encryptionKey: key,
    });
  }

  it('notices a record moved to another seller (the ciphertext is bound to its key)', async () => {
    const tokens = await store();
    await tokens.saveSeller(seller('open-1', ['shop-1']));
    await tokens.saveSeller(seller('open-2', ['shop-2']));
    const stolen = await admin.hget(`${prefix}tokens:seller:open-1`, 'data');
    await admin.hset(`${prefix}tokens:seller:open-2`, 'data', stolen ?? '');

    const reader = await store();
    await expect(reader.getSeller('open-2')).rejects.toMatchObject({ reason: 'altered' });
  });

  it('imports the sellers of a file store that Redis lacks', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'redis-import-'));
    try {
      const file = createFileTokenStore({
        path: join(directory, 'tokens.json'),
        encryptionKey: key,
      });
      await file.saveSeller(seller('open-1', ['shop-1']));
      await file.saveSeller(seller('open-2', ['shop-2']));
      const tokens = await store();
      await tokens.saveSeller(seller('open-2', ['shop-2'], 'TTP_already_in_redis'));

      expect(await importSellers(file, tokens)).toEqual(['open-1']);
      expect((await tokens.getSeller('open-1'))?.tokens.accessToken).toBe('TTP_access_open-1');
      expect((await tokens.getSeller('open-2'))?.tokens.accessToken).toBe('TTP_already_in_redis');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
