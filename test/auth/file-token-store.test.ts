import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStoreConflictError, TokenStoreCorruptError } from '../../src/auth/errors.js';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import {
  createMemoryTokenStore,
  type SellerInput,
  type TokenStore,
} from '../../src/auth/token-store.js';

const ACCESS_TOKEN = 'TTP_access_plaintext_marker_0123456789';
const REFRESH_TOKEN = 'TTP_refresh_plaintext_marker_0123456789';

function seller(openId: string, overrides: Partial<SellerInput> = {}): SellerInput {
  return {
    openId,
    source: 'oauth',
    name: `Seller ${openId}`,
    baseRegion: 'GB',
    userType: 0,
    grantedScopes: ['seller.order.info'],
    tokens: {
      accessToken: `${ACCESS_TOKEN}_${openId}`,
      accessTokenExpiresAt: 1_800_000_000,
      refreshToken: `${REFRESH_TOKEN}_${openId}`,
      refreshTokenExpiresAt: 1_900_000_000,
    },
    shops: [
      {
        id: `shop-${openId}`,
        name: 'Shop',
        region: 'GB',
        sellerType: 'LOCAL',
        cipher: `GCP_${openId}`,
        code: 'GBLC1',
      },
    ],
    ...overrides,
  };
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'token-store-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('createFileTokenStore', () => {
  it('survives a restart: a new instance with the same path and key reads the sellers', async () => {
    const key = randomBytes(32);
    const path = join(directory, 'nested', 'tokens.json');
    const first = createFileTokenStore({ path, encryptionKey: key });
    expect(await first.load()).toEqual({ sellers: [] });
    await first.saveSeller(seller('seller-a'));
    await first.saveSeller(seller('seller-b'));

    const second = createFileTokenStore({ path, encryptionKey: key });
    const restored = await second.getSeller('seller-a');
    expect(restored?.tokens.accessToken).toBe(`${ACCESS_TOKEN}_seller-a`);
    expect(restored?.version).toBe(1);
    expect((await second.findSellerByShop('shop-seller-b'))?.openId).toBe('seller-b');
    expect(await second.findSellerByShop('unknown')).toBeNull();
  });

  it('writes a 0600 file in a 0700 directory with no token plaintext', async () => {
    const path = join(directory, 'data', 'tokens.json');
    const store = createFileTokenStore({ path, encryptionKey: randomBytes(32) });
    await store.saveSeller(seller('seller-a'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'data'))).mode & 0o777).toBe(0o700);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('TTP_');
    expect(text).not.toContain('plaintext_marker');
    expect(text).not.toContain('seller-a');
    // No temp or lock files are left behind.
    expect(await readdir(join(directory, 'data'))).toEqual(['tokens.json']);
  });

  it('uses a fresh IV for every write', async () => {
    const path = join(directory, 'tokens.json');
    const store = createFileTokenStore({ path, encryptionKey: randomBytes(32) });
    const first = await store.saveSeller(seller('seller-a'));
    const ivOne = JSON.parse(await readFile(path, 'utf8')).iv;
    await store.saveTokens('seller-a', first.tokens, { expectedVersion: first.version });
    const ivTwo = JSON.parse(await readFile(path, 'utf8')).iv;
    expect(Buffer.from(ivOne, 'base64')).toHaveLength(12);
    expect(ivTwo).not.toBe(ivOne);
  });

  it('reports a tampered byte as TokenStoreCorruptError naming the path', async () => {
    const key = randomBytes(32);
    const path = join(directory, 'tokens.json');
    await createFileTokenStore({ path, encryptionKey: key }).saveSeller(seller('seller-a'));
    const envelope = JSON.parse(await readFile(path, 'utf8'));
    const data = Buffer.from(envelope.data, 'base64');
    data[5] = (data[5] ?? 0) ^ 0x01;
    await writeFile(path, JSON.stringify({ ...envelope, data: data.toString('base64') }));

    const reopened = createFileTokenStore({ path, encryptionKey: key });
    const error = await reopened.load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenStoreCorruptError);
    expect((error as TokenStoreCorruptError).reason).toBe('altered');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(/altered/);
    // Never silently reset: writes fail too, and the file is left as it was.
    const before = await readFile(path, 'utf8');
    await expect(reopened.saveSeller(seller('seller-b'))).rejects.toBeInstanceOf(
      TokenStoreCorruptError,
    );
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('reports a wrong key as TokenStoreCorruptError saying the key is wrong', async () => {
    const path = join(directory, 'tokens.json');
    await createFileTokenStore({ path, encryptionKey: randomBytes(32) }).saveSeller(
      seller('seller-a'),
    );
    const error = await createFileTokenStore({ path, encryptionKey: randomBytes(32) })
      .getSeller('seller-a')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenStoreCorruptError);
    expect((error as TokenStoreCorruptError).reason).toBe('wrong_key');
    expect((error as Error).message).toContain('TOKEN_ENCRYPTION_KEY');
    expect((error as Error).message).toContain(path);
  });

  it('reports a file that is not a token store', async () => {
    const path = join(directory, 'tokens.json');
    await writeFile(path, '{"sellers":[]}');
    const error = await createFileTokenStore({ path, encryptionKey: randomBytes(32) })
      .load()
      .catch((caught: unknown) => caught);
    expect((error as TokenStoreCorruptError).reason).toBe('unreadable');
  });

  it('keeps every one of many concurrent saves and leaves a valid file', async () => {
    const key = randomBytes(32);
    const path = join(directory, 'tokens.json');
    const store = createFileTokenStore({ path, encryptionKey: key });
    // Two instances on one file: the second stands in for another process (the OAuth CLI).
    const other = createFileTokenStore({ path, encryptionKey: key });
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (index % 2 === 0 ? store : other).saveSeller(seller(`seller-${index}`)),
      ),
    );
    const reread = await createFileTokenStore({ path, encryptionKey: key }).load();
    expect(reread.sellers.map((record) => record.openId).sort()).toEqual(
      Array.from({ length: 40 }, (_, index) => `seller-${index}`).sort(),
    );
    expect(await readdir(directory)).toEqual(['tokens.json']);
  });

  it('sees what another instance wrote to the same file', async () => {
    const key = randomBytes(32);
    const path = join(directory, 'tokens.json');
    const gateway = createFileTokenStore({ path, encryptionKey: key });
    await gateway.saveSeller(seller('seller-a'));
    expect((await gateway.load()).sellers).toHaveLength(1);
    await createFileTokenStore({ path, encryptionKey: key }).saveSeller(seller('seller-b'));
    expect((await gateway.load()).sellers).toHaveLength(2);
  });
});

describe.each([
  ['memory', (now?: () => number) => createMemoryTokenStore({ now })],
  [
    'file',
    (now?: () => number) =>
      createFileTokenStore({
        path: join(directory, 't.json'),
        encryptionKey: randomBytes(32),
        now,
      }),
  ],
] as Array<[string, (now?: () => number) => TokenStore]>)(
  'TokenStore contract (%s)',
  (_name, makeStore) => {
    it('bumps the version on every write and refuses a stale expectedVersion', async () => {
      const store = makeStore();
      const created = await store.saveSeller(seller('seller-a'));
      expect(created.version).toBe(1);
      const renewed = await store.saveTokens(
        'seller-a',
        { ...created.tokens, accessToken: 'TTP_new' },
        { expectedVersion: 1, profile: { name: 'Renamed' } },
      );
      expect(renewed.version).toBe(2);
      expect(renewed.name).toBe('Renamed');
      expect(renewed.shops).toEqual(created.shops);

      const stale = await store
        .saveTokens(
          'seller-a',
          { ...created.tokens, accessToken: 'TTP_stale' },
          {
            expectedVersion: 1,
          },
        )
        .catch((caught: unknown) => caught);
      expect(stale).toBeInstanceOf(TokenStoreConflictError);
      expect((stale as TokenStoreConflictError).actualVersion).toBe(2);
      expect((stale as Error).message).not.toContain('TTP_');
      expect((await store.getSeller('seller-a'))?.tokens.accessToken).toBe('TTP_new');
    });

    it('saveSeller with expectedVersion 0 only creates', async () => {
      const store = makeStore();
      await store.saveSeller(seller('seller-a'), { expectedVersion: 0 });
      await expect(store.saveSeller(seller('seller-a'), { expectedVersion: 0 })).rejects.toThrow(
        TokenStoreConflictError,
      );
      expect((await store.saveSeller(seller('seller-a'))).version).toBe(2);
    });

    it('saveTokens for an unknown seller is a conflict', async () => {
      const store = makeStore();
      await expect(
        store.saveTokens('ghost', seller('ghost').tokens, { expectedVersion: 1 }),
      ).rejects.toThrow(TokenStoreConflictError);
    });

    it('deletes sellers and returns copies callers cannot corrupt', async () => {
      const store = makeStore();
      await store.saveSeller(seller('seller-a'));
      const copy = await store.getSeller('seller-a');
      copy?.shops.splice(0);
      expect((await store.getSeller('seller-a'))?.shops).toHaveLength(1);
      expect(await store.deleteSeller('seller-a')).toBe(true);
      expect(await store.deleteSeller('seller-a')).toBe(false);
      expect(await store.getSeller('seller-a')).toBeNull();
    });

    it('finds the most recently written owner of a shop', async () => {
      let nowMs = 1_000;
      const store = makeStore(() => nowMs);
      const shared = seller('old').shops;
      await store.saveSeller(seller('new', { shops: shared }));
      nowMs += 1;
      await store.saveSeller(seller('old'));
      expect((await store.findSellerByShop('shop-old'))?.openId).toBe('old');
      nowMs += 1;
      await store.saveSeller(seller('new', { shops: shared }));
      expect((await store.findSellerByShop('shop-old'))?.openId).toBe('new');
    });
  },
);
