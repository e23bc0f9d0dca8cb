// One battery of TokenStore contract tests (issue 9), run by the memory, file and Redis store
// tests against their own storage, the way Shopify's session-storage packages share one
// `batteryOfTests(factory)`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStoreConflictError, TokenStoreCorruptError } from '../../src/auth/errors.js';
import {
  ENVIRONMENT_SELLER_ID,
  type SellerInput,
  seedFromEnvironment,
  type TokenStore,
} from '../../src/auth/token-store.js';

/** One test's storage, empty at the start. */
export interface StorageUnderTest {
  /** A store on this storage; each call stands for another process or replica (memory: one). */
  open(): Promise<TokenStore>;
  /** Releases the storage (files, keys, connections). */
  close(): Promise<void>;
}

/** Storage that keeps its data encrypted under TOKEN_ENCRYPTION_KEY. */
export interface EncryptedStorageUnderTest extends StorageUnderTest {
  /** A store on this storage that decrypts with another key. */
  openWithKey(encryptionKey: Uint8Array): Promise<TokenStore>;
  /** Everything the storage holds, as text. */
  readAtRest(): Promise<string>;
  /** Flips one byte of the ciphertext that holds `openId`. */
  tamper(openId: string): Promise<void>;
}

/** Makes the storage of one test; its stores take `updatedAt` from `now`. */
export type TokenStoreFactory =
  | { isEncrypted: false; create(now: () => number): Promise<StorageUnderTest> }
  | { isEncrypted: true; create(now: () => number): Promise<EncryptedStorageUnderTest> };

/** A seller whose secrets carry markers a test can look for at rest. */
export function seller(
  openId: string,
  shopIds = [`shop-${openId}`],
  accessToken = `TTP_access_${openId}`,
): SellerInput {
  return {
    openId,
    source: 'oauth',
    name: `Seller ${openId}`,
    baseRegion: 'GB',
    userType: 0,
    grantedScopes: ['seller.order.info'],
    tokens: {
      accessToken,
      accessTokenExpiresAt: 1_800_000_000,
      refreshToken: `TTP_refresh_plaintext_marker_${openId}`,
      refreshTokenExpiresAt: 1_900_000_000,
    },
    shops: shopIds.map((id) => ({
      id,
      name: `Shop ${id}`,
      region: 'GB',
      sellerType: 'LOCAL',
      cipher: `ROW_cipher_${id}`,
      code: `CODE${id}`,
    })),
  };
}

export function batteryOfTests(name: string, factory: TokenStoreFactory): void {
  describe(`TokenStore contract (${name})`, () => {
    let nowMs: number;
    let storage: StorageUnderTest;
    let encrypted: EncryptedStorageUnderTest | undefined;

    beforeEach(async () => {
      nowMs = 1_000;
      encrypted = factory.isEncrypted ? await factory.create(() => nowMs) : undefined;
      storage = encrypted ?? (await factory.create(() => nowMs));
    });

    afterEach(async () => {
      await storage.close();
    });

    it('shares sellers between stores on one storage and versions every write', async () => {
      const first = await storage.open();
      expect(await first.load()).toEqual({ sellers: [] });
      const saved = await first.saveSeller(seller('seller-a'));
      await first.saveSeller(seller('seller-b'));
      expect(saved.version).toBe(1);

      const second = await storage.open();
      expect(await second.getSeller('seller-a')).toEqual(saved);
      expect((await second.findSellerByShop('shop-seller-b'))?.openId).toBe('seller-b');
      expect(await second.findSellerByShop('unknown')).toBeNull();
      const renewed = await second.saveTokens(
        'seller-a',
        { ...saved.tokens, accessToken: 'TTP_new' },
        { expectedVersion: 1, profile: { name: 'Renamed' } },
      );
      expect(renewed).toMatchObject({ version: 2, name: 'Renamed' });
      expect((await first.getSeller('seller-a'))?.tokens.accessToken).toBe('TTP_new');
      expect((await first.load()).sellers.map((each) => each.openId).sort()).toEqual([
        'seller-a',
        'seller-b',
      ]);
    });

    it('bumps the version on every write and refuses a stale expectedVersion', async () => {
      const store = await storage.open();
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
          { expectedVersion: 1 },
        )
        .catch((caught: unknown) => caught);
      expect(stale).toBeInstanceOf(TokenStoreConflictError);
      expect((stale as TokenStoreConflictError).actualVersion).toBe(2);
      expect((stale as Error).message).not.toContain('TTP_');
      expect((await store.getSeller('seller-a'))?.tokens.accessToken).toBe('TTP_new');
    });

    it('refuses a stale writer: an expected version below the stored one is a conflict', async () => {
      const first = await storage.open();
      const second = await storage.open();
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

    it('saveSeller with expectedVersion 0 only creates', async () => {
      const store = await storage.open();
      await store.saveSeller(seller('seller-a'), { expectedVersion: 0 });
      await expect(store.saveSeller(seller('seller-a'), { expectedVersion: 0 })).rejects.toThrow(
        TokenStoreConflictError,
      );
      expect((await store.saveSeller(seller('seller-a'))).version).toBe(2);
    });

    it('saveTokens for an unknown seller is a conflict', async () => {
      const store = await storage.open();
      await expect(
        store.saveTokens('ghost', seller('ghost').tokens, { expectedVersion: 1 }),
      ).rejects.toThrow(TokenStoreConflictError);
    });

    it('deletes sellers and returns copies callers cannot corrupt', async () => {
      const store = await storage.open();
      await store.saveSeller(seller('seller-a'));
      const copy = await store.getSeller('seller-a');
      copy?.shops.splice(0);
      expect((await store.getSeller('seller-a'))?.shops).toHaveLength(1);
      expect(await store.deleteSeller('seller-a')).toBe(true);
      expect(await store.deleteSeller('seller-a')).toBe(false);
      expect(await store.getSeller('seller-a')).toBeNull();
    });

    it('deletes compare-and-set too', async () => {
      const store = await storage.open();
      await store.saveSeller(seller('open-1', ['shop-1']));
      await expect(store.deleteSeller('open-1', { expectedVersion: 3 })).rejects.toBeInstanceOf(
        TokenStoreConflictError,
      );
      expect(await store.deleteSeller('open-1', { expectedVersion: 1 })).toBe(true);
    });

    it('finds the most recently written owner of a shop', async () => {
      const store = await storage.open();
      await store.saveSeller(seller('new', ['shop-old']));
      nowMs += 1;
      await store.saveSeller(seller('old'));
      expect((await store.findSellerByShop('shop-old'))?.openId).toBe('old');
      nowMs += 1;
      await store.saveSeller(seller('new', ['shop-old']));
      expect((await store.findSellerByShop('shop-old'))?.openId).toBe('new');
    });

    it('finds the seller of a shop: the most recently written claimant, the index kept on rewrites', async () => {
      const store = await storage.open();
      nowMs = 1_000;
      await store.saveSeller(seller('open-1', ['shop-1', 'shop-2']));
      nowMs = 2_000;
      await store.saveSeller(seller('open-2', ['shop-2']));

      expect((await store.findSellerByShop('shop-1'))?.openId).toBe('open-1');
      expect((await store.findSellerByShop('shop-2'))?.openId).toBe('open-2');
      expect(await store.findSellerByShop('shop-3')).toBeNull();

      // open-1 written later now wins shop-2; dropping shop-1 removes it from the index.
      nowMs = 3_000;
      await store.saveSeller(seller('open-1', ['shop-2']));
      expect((await store.findSellerByShop('shop-2'))?.openId).toBe('open-1');
      expect(await store.findSellerByShop('shop-1')).toBeNull();

      expect(await store.deleteSeller('open-1')).toBe(true);
      expect((await store.findSellerByShop('shop-2'))?.openId).toBe('open-2');
      expect(await store.deleteSeller('open-1')).toBe(false);
      expect((await store.load()).sellers.map((each) => each.openId)).toEqual(['open-2']);
    });

    it('keeps authorisation notices across stores, without taking a shared shop, until a new authorisation', async () => {
      const store = await storage.open();
      nowMs = 1_000;
      await store.saveSeller(seller('open-1', ['shop-1']));
      nowMs = 2_000;
      await store.saveSeller(seller('open-2', ['shop-1']));
      nowMs = 3_000;
      expect(await store.noteAuthorization('unknown', { deauthorizedAt: 3_000 })).toBeNull();
      await store.noteAuthorization('open-1', { expiresAt: 1_900_000_000 });
      const noted = await store.noteAuthorization('open-1', { deauthorizedAt: 3_000 });
      expect(noted).toMatchObject({
        version: 3,
        updatedAt: 1_000,
        authorization: { deauthorizedAt: 3_000, expiresAt: 1_900_000_000 },
      });

      const other = await storage.open();
      expect((await other.getSeller('open-1'))?.authorization).toEqual(noted?.authorization);
      expect((await other.findSellerByShop('shop-1'))?.openId).toBe('open-2');
      // A new authorisation writes the seller afresh (exchangeCode): the notice is gone.
      await other.saveSeller(seller('open-1', ['shop-1']));
      expect((await store.getSeller('open-1'))?.authorization).toBeUndefined();
    });

    it('lets exactly one of many concurrent compare-and-set writers win', async () => {
      const stores = await Promise.all([storage.open(), storage.open(), storage.open()]);
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

    it('keeps every one of many concurrent saves from two stores', async () => {
      const [store, other] = await Promise.all([storage.open(), storage.open()]);
      const openIds = Array.from({ length: 20 }, (_, index) => `seller-${index}`);
      await Promise.all(
        openIds.map((openId, index) =>
          (index % 2 === 0 ? store : other)?.saveSeller(seller(openId)),
        ),
      );
      const reread = await (await storage.open()).load();
      expect(reread.sellers.map((record) => record.openId).sort()).toEqual([...openIds].sort());
    });

    it('seeds the environment seller once, and only into an empty store', async () => {
      const [store, other] = await Promise.all([storage.open(), storage.open()]);
      const tokens = { accessToken: 'TTP_env_access', refreshToken: 'TTP_env_refresh' };
      const results = await Promise.all([
        seedFromEnvironment(store, tokens),
        seedFromEnvironment(other, tokens),
      ]);
      expect(results).toContainEqual({ seeded: true, openId: ENVIRONMENT_SELLER_ID });
      expect(results).toContainEqual({ seeded: false, reason: 'store_not_empty' });
      expect(await other.getSeller(ENVIRONMENT_SELLER_ID)).toMatchObject({
        source: 'environment',
        version: 1,
        shops: [],
        tokens: {
          accessToken: 'TTP_env_access',
          accessTokenExpiresAt: null,
          refreshToken: 'TTP_env_refresh',
        },
      });
      expect(await seedFromEnvironment(store, tokens)).toEqual({
        seeded: false,
        reason: 'store_not_empty',
      });
      expect(await seedFromEnvironment(store, {})).toEqual({ seeded: false, reason: 'no_tokens' });
    });

    it('seeds a refresh token alone as an access token already due', async () => {
      const store = await storage.open();
      await seedFromEnvironment(store, { refreshToken: 'TTP_env_refresh' });
      expect((await store.getSeller(ENVIRONMENT_SELLER_ID))?.tokens).toEqual({
        accessToken: '',
        accessTokenExpiresAt: 0,
        refreshToken: 'TTP_env_refresh',
        refreshTokenExpiresAt: null,
      });
    });

    if (factory.isEncrypted) {
      describe('at rest', () => {
        let atRest: EncryptedStorageUnderTest;

        beforeEach(() => {
          if (!encrypted) throw new Error('an encrypted factory made plain storage');
          atRest = encrypted;
        });

        it('stores records encrypted: no token, cipher or name readable', async () => {
          await (await atRest.open()).saveSeller(seller('open-1', ['shop-1']));
          const raw = await atRest.readAtRest();
          expect(raw).not.toContain('TTP_');
          expect(raw).not.toContain('plaintext_marker');
          expect(raw).not.toContain('ROW_cipher');
          expect(raw).not.toContain('Seller open-1');
          expect(raw).toContain('aes-256-gcm');
        });

        it('refuses to read records under another key, and never resets them', async () => {
          await (await atRest.open()).saveSeller(seller('open-1', ['shop-1']));
          const before = await atRest.readAtRest();
          const wrongKey = await atRest.openWithKey(Buffer.alloc(32, 7));

          const failure = await wrongKey.getSeller('open-1').catch((error: unknown) => error);
          expect(failure).toBeInstanceOf(TokenStoreCorruptError);
          expect((failure as TokenStoreCorruptError).reason).toBe('wrong_key');
          expect((failure as Error).message).toMatch(/TOKEN_ENCRYPTION_KEY is not the key/);
          expect((failure as Error).message).not.toContain('TTP_');
          await expect(wrongKey.saveSeller(seller('open-1', ['shop-1']))).rejects.toBeInstanceOf(
            TokenStoreCorruptError,
          );
          expect(await atRest.readAtRest()).toBe(before);
        });

        it('reports altered data as TokenStoreCorruptError, and never resets it', async () => {
          const store = await atRest.open();
          await store.saveSeller(seller('open-1', ['shop-1']));
          await atRest.tamper('open-1');
          const before = await atRest.readAtRest();

          const reader = await atRest.open();
          await expect(reader.getSeller('open-1')).rejects.toMatchObject({
            name: 'TokenStoreCorruptError',
            reason: 'altered',
          });
          await expect(reader.saveSeller(seller('open-1', ['shop-1']))).rejects.toBeInstanceOf(
            TokenStoreCorruptError,
          );
          expect(await atRest.readAtRest()).toBe(before);
        });
      });
    }
  });
}
