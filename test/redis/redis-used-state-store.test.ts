// Used OAuth states in Redis (issue 10): one key per nonce under the key prefix, refused by any
// replica and after a restart until the state expires.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthFlow } from '../../src/auth/oauth.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisUsedStateStore } from '../../src/redis/redis-used-state-store.js';
import { createConnections, deleteKeys, uniquePrefix } from './helpers/redis.js';

const SECRET = randomBytes(32);
const connections = createConnections();
let prefix: string;
let admin: Redis;

beforeEach(async () => {
  prefix = uniquePrefix('used-states');
  admin = await connections.open();
});

afterEach(async () => {
  await deleteKeys(admin, prefix);
  await connections.closeAll();
});

/** A replica (re)start: its own connection, store and flow on the shared prefix. */
async function start(stateTtlMs = 600_000) {
  return createOAuthFlow({
    appKey: 'app-key-123',
    stateSecret: SECRET,
    stateTtlMs,
    usedStates: createRedisUsedStateStore({ redis: await connections.open(), keyPrefix: prefix }),
  });
}

describe('createRedisUsedStateStore', () => {
  it('refuses a used state after a restart, under the key prefix, until it expires', async () => {
    const { state } = (await start()).authorizationUrl();
    expect((await (await start()).verifyState(state)).ok).toBe(true);
    expect(await (await start()).verifyState(state)).toEqual({ ok: false, reason: 'replayed' });

    const keys = await admin.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}oauth-state:[A-Za-z0-9_-]+$`));
    const ttlMs = await admin.pttl(keys[0] ?? '');
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(600_000);
  });

  it('lets exactly one of two replicas accept a state', async () => {
    const [one, two] = [await start(), await start()];
    const { state } = one.authorizationUrl();
    const results = await Promise.all([one.verifyState(state), two.verifyState(state)]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
  });
});
