// The reconciler's cursor stores (issue 13): one battery for the memory, file and Redis backends;
// the file is found again by a new instance (a restart) and refused when it is not a cursor file.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisReconcileCursors } from '../../src/redis/redis-reconcile-cursors.js';
import {
  createFileReconcileCursors,
  createMemoryReconcileCursors,
  type ReconcileCursorStore,
  reconcileCursorsPathBeside,
} from '../../src/webhooks/reconcile-cursors.js';
import { createTempDir } from '../helpers/scale-out.js';
import {
  createConnections,
  deleteKeys,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../redis/helpers/redis.js';

const prefix = uniquePrefix('reconcile-cursors');
const connections = createConnections();
const dirs: Array<ReturnType<typeof createTempDir>> = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
afterAll(async () => {
  await deleteKeys(await connections.open(SHARED_REDIS_URL), prefix);
  await connections.closeAll();
});

const tokenFile = () => {
  const dir = createTempDir();
  dirs.push(dir);
  return join(dir.path, 'tokens.json');
};

let run = 0;
const backends: Array<[string, () => Promise<ReconcileCursorStore>]> = [
  ['memory', async () => createMemoryReconcileCursors()],
  ['file', async () => createFileReconcileCursors({ tokenStorePath: tokenFile() })],
  [
    'Redis',
    async () => {
      run += 1;
      const redis = await connections.open(SHARED_REDIS_URL);
      return createRedisReconcileCursors({ redis, keyPrefix: `${prefix}${run}:` });
    },
  ],
];

describe.each(backends)('reconcile cursors, %s', (_name, open) => {
  it('has none before a first run, then the last written per shop', async () => {
    const cursors = await open();
    expect(await cursors.read('shop-a')).toBeUndefined();
    await cursors.write('shop-a', { sinceSeconds: 100, ranAtMs: 100_500 });
    await cursors.write('shop-b', { sinceSeconds: 50, ranAtMs: 50_000 });
    await cursors.write('shop-a', { sinceSeconds: 160, ranAtMs: 162_000 });
    expect(await cursors.read('shop-a')).toEqual({ sinceSeconds: 160, ranAtMs: 162_000 });
    expect(await cursors.read('shop-b')).toEqual({ sinceSeconds: 50, ranAtMs: 50_000 });
  });
});

describe('the cursor file', () => {
  it('is beside the token file, read again by a new instance, and refused when not one', async () => {
    const tokenStorePath = tokenFile();
    expect(reconcileCursorsPathBeside('/d/tokens.json')).toBe('/d/tokens.reconcile-cursors.json');
    await createFileReconcileCursors({ tokenStorePath }).write('shop', {
      sinceSeconds: 7,
      ranAtMs: 9_000,
    });
    expect(await createFileReconcileCursors({ tokenStorePath }).read('shop')).toEqual({
      sinceSeconds: 7,
      ranAtMs: 9_000,
    });
    await writeFile(reconcileCursorsPathBeside(tokenStorePath), '{"cursors":{}}');
    await expect(createFileReconcileCursors({ tokenStorePath }).read('shop')).rejects.toThrow(
      'is not a reconciler cursor file',
    );
  });

  it('in Redis, a value that is not a cursor counts as none', async () => {
    const redis = await connections.open(SHARED_REDIS_URL);
    const keyPrefix = `${prefix}garbage:`;
    await redis.set(`${keyPrefix}reconcile:cursor:shop`, 'not json');
    expect(await createRedisReconcileCursors({ redis, keyPrefix }).read('shop')).toBeUndefined();
  });
});
