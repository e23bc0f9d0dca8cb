// A child process for the crash tests: it loads the stores, says `ready`, waits for `go` on stdin,
// then holds the token file's lock or saves in a loop, printing each save once it is done, until
// the test kills it (SIGKILL).
//   hold <path>                  takes `<path>.lock` and never lets go
//   file <path> <prefix>         saves sellers <prefix>-0, <prefix>-1, … into the file store
//   redis <keyPrefix> <openId>   saves new tokens for <openId> into the Redis store, again and again
// The encryption key is STORE_KEY (hex); locks are taken over only because their owner is gone:
// the age rule is set far beyond any test's run time.
import { createInterface } from 'node:readline';
import { createFileLock } from '../../../src/auth/file-store-lock.js';
import type { SellerInput } from '../../../src/auth/token-store.js';

const [mode = '', target = '', name = ''] = process.argv.slice(2);
const key = Buffer.from(process.env.STORE_KEY ?? '', 'hex');
const NEVER_STALE_MS = 600_000;

function seller(openId: string): SellerInput {
  return {
    openId,
    source: 'oauth',
    name: `Seller ${openId}`,
    baseRegion: 'GB',
    userType: 0,
    grantedScopes: ['seller.order.info'],
    tokens: {
      accessToken: `TTP_access_${openId}`,
      accessTokenExpiresAt: 1_800_000_000,
      refreshToken: `TTP_refresh_${openId}`,
      refreshTokenExpiresAt: 1_900_000_000,
    },
    shops: [],
  };
}

async function prepare(): Promise<() => Promise<void>> {
  if (mode === 'hold') {
    const lock = createFileLock(`${target}.lock`, {
      staleLockMs: NEVER_STALE_MS,
      lockTimeoutMs: 2 * NEVER_STALE_MS,
    });
    return async () => {
      await lock.withLock(async () => {
        console.log('locked');
        await new Promise(() => undefined);
      });
    };
  }
  if (mode === 'file') {
    const { createFileTokenStore } = await import('../../../src/auth/file-token-store.js');
    const store = createFileTokenStore({
      path: target,
      encryptionKey: key,
      staleLockMs: NEVER_STALE_MS,
    });
    return async () => {
      for (let index = 0; ; index += 1) {
        const openId = `${name}-${index}`;
        await store.saveSeller(seller(openId));
        console.log(`saved ${openId}`);
      }
    };
  }
  const { createRedisConnection, waitUntilReady } = await import(
    '../../../src/redis/redis-connection.js'
  );
  const { createRedisTokenStore } = await import('../../../src/redis/redis-token-store.js');
  const redis = createRedisConnection({ url: 'redis://127.0.0.1:6379' });
  if (!(await waitUntilReady(redis, 5_000))) throw new Error('Redis did not become ready');
  const store = createRedisTokenStore({ redis, keyPrefix: target, encryptionKey: key });
  return async () => {
    for (;;) {
      const current = await store.getSeller(name);
      if (!current) throw new Error(`${name} is not stored`);
      const accessToken = `TTP_access_${current.version + 1}`;
      const saved = await store.saveTokens(
        name,
        { ...current.tokens, accessToken },
        { expectedVersion: current.version },
      );
      console.log(`saved ${saved.version} ${accessToken}`);
    }
  };
}

const run = await prepare();
console.log('ready');
const input = createInterface({ input: process.stdin });
input.once('line', () => {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
