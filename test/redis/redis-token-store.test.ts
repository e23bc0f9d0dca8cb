// The Redis token store on the real Redis: encrypted records, compare-and-set, the shop index,
// and two store instances (two replicas) sharing one data set.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStoreConflictError, TokenStoreCorruptError } from '../../src/auth/errors.js';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import type { SellerInput } from '../../src/auth/token-store.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisTokenStore, importSellers } from '../../src/redis/redis-token-store.js';
import { createConnections, deleteKeys, uniquePrefix } from './helpers/redis.js';

const connections = createConnections();
const key = randomBytes(32);
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

async function store(options: { encryptionKey?: Uint8Array; now?: () => number } = {}) {
  return createRedisTokenStore({
    redis: await connections.open(),
    keyPrefix: prefix,
    encryptionKey: options.encryptionKey ?? key,
    ...(options.now ? { now: options.now } : {}),
  });
}

function seller(openId: string, shopIds: string[], accessToken = `TTP_access_${openId}`) {
  return {
    openId,
    source: 'oauth',
    name: `Seller ${openId}`,
    baseRegion: 'GB',
    userType: 0,
    grantedScopes: ['seller.product.basic'],
    tokens: {
      accessToken,
      accessTokenExpiresAt: 2_000_000_000,
      refreshToken: `TTP_refresh_${openId}`,
      refreshTokenExpiresAt: 2_100_000_000,
    },
    shops: shopIds.map((id) => ({
      id,
      name: `Shop ${id}`,
      region: 'GB',
      sellerType: 'LOCAL',
      cipher: `ROW_cipher_${id}`,
      code: `CODE${id}`,
    })),
  } satisfies SellerInput;
}

describe('createRedisTokenStore', () => {
  it('shares sellers between two instances and versions every write', async () => {
    const first = await store();
    const second = await store();
    const saved = await first.saveSeller(seller('open-1', ['shop-1']));
    expect(saved.version).toBe(1);

    const read = await second.getSeller('open-1');
    expect(read).toEqual(saved);
    const renewed = await second.saveTokens(
      'open-1',
      { ...saved.tokens, accessToken: 'TTP_new' },
      { expectedVersion: 1, profile: { name: 'Renamed' } },
    );
    expect(renewed).toMatchObject({ version: 2, name: 'Renamed' });
    expect((await first.getSeller('open-1'))?.tokens.accessToken).toBe('TTP_new');
    expect((await first.load()).sellers.map((each) => each.openId)).toEqual(['open-1']);
  });

  it('stores records encrypted: no token, cipher or name readable in Redis', async () => {
    const tokens = await store();
    await tokens.saveSeller(seller('open-1', ['shop-1']));

    const raw = JSON.stringify(await admin.hgetall(`${prefix}tokens:seller:open-1`));
    expect(raw).not.toContain('TTP_');
    expect(raw).not.toContain('ROW_cipher');
    expect(raw).not.toContain('Seller open-1');
    expect(raw).toContain('aes-256-gcm');
  });

  it('refuses a stale writer: an expected version below the stored one is a conflict', async () => {
    const first = await store();
    const second = await store();
    const original = await first.saveSeller(seller('open-1', ['shop-1']));
    await second.saveTokens(
      'open-1',
      { ...original.tokens, accessToken: 'TTP_newer' },
      { expectedVersion: 1 },
    );

    const stale = first.saveTokens(
      'open-1',
      { ...original.tokens, accessToken: 'TTP_stale' },
      { expectedVersion: 1 },
    );
    await expect(stale).rejects.toBeInstanceOf(TokenStoreConflictError);
    await expect(stale).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    expect(await first.getSeller('open-1')).toMatchObject({
      version: 2,
      tokens: { accessToken: 'TTP_newer' },
    });
    await expect(
      first.saveSeller(seller('open-1', ['shop-1']), { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(TokenStoreConflictError);
  });

  it('lets exactly one of many concurrent compare-and-set writers win', async () => {
    const stores = await Promise.all([store(), store(), store()]);
    const original = await stores[0]?.saveSeller(seller('open-1', ['shop-1']));
    if (!original) throw new Error('not saved');
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) =>
        stores[index % 3]?.saveTokens(
          'open-1',
          { ...original.tokens, accessToken: `TTP_writer_${index}` },
          { expectedVersion: 1 },
        ),
      ),
    );
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(
      attempts.filter(
        (attempt) =>
          attempt.status === 'rejected' && attempt.reason instanceof TokenStoreConflictError,
      ),
    ).toHaveLength(11);
    expect((await stores[1]?.getSeller('open-1'))?.version).toBe(2);
  });

  it('finds the seller of a shop: the most recently written claimant, the index kept on rewrites', async () => {
    let nowMs = 1_000;
    const tokens = await store({ now: () => nowMs });
    await tokens.saveSeller(seller('open-1', ['shop-1', 'shop-2']));
    nowMs = 2_000;
    await tokens.saveSeller(seller('open-2', ['shop-2']));

    expect((await tokens.findSellerByShop('shop-1'))?.openId).toBe('open-1');
    expect((await tokens.findSellerByShop('shop-2'))?.openId).toBe('open-2');
    expect(await tokens.findSellerByShop('shop-3')).toBeNull();

    // open-1 written later now wins shop-2; dropping shop-1 removes it from the index.
    nowMs = 3_000;
    await tokens.saveSeller(seller('open-1', ['shop-2']));
    expect((await tokens.findSellerByShop('shop-2'))?.openId).toBe('open-1');
    expect(await tokens.findSellerByShop('shop-1')).toBeNull();

    expect(await tokens.deleteSeller('open-1')).toBe(true);
    expect((await tokens.findSellerByShop('shop-2'))?.openId).toBe('open-2');
    expect(await tokens.deleteSeller('open-1')).toBe(false);
    expect((await tokens.load()).sellers.map((each) => each.openId)).toEqual(['open-2']);
  });

  it('deletes compare-and-set too', async () => {
    const tokens = await store();
    await tokens.saveSeller(seller('open-1', ['shop-1']));
    await expect(tokens.deleteSeller('open-1', { expectedVersion: 3 })).rejects.toBeInstanceOf(
      TokenStoreConflictError,
    );
    expect(await tokens.deleteSeller('open-1', { expectedVersion: 1 })).toBe(true);
  });

  it('refuses to read records under another key, and never resets them', async () => {
    const writer = await store();
    await writer.saveSeller(seller('open-1', ['shop-1']));
    const wrongKey = await store({ encryptionKey: randomBytes(32) });

    const failure = await wrongKey.getSeller('open-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TokenStoreCorruptError);
    expect((failure as Error).message).toMatch(/TOKEN_ENCRYPTION_KEY is not the key/);
    expect((failure as Error).message).not.toContain('TTP_');
    expect(await admin.hget(`${prefix}tokens:seller:open-1`, 'version')).toBe('1');
  });

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
