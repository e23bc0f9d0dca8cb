// The file TokenStore: the shared contract battery, then what only a file does (modes, IVs,
// the whole document failing at once, other processes on the same file).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStoreCorruptError } from '../../src/auth/errors.js';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { batteryOfTests, seller } from './token-store-battery.js';

batteryOfTests('file', {
  isEncrypted: true,
  async create(now) {
    const root = await mkdtemp(join(tmpdir(), 'token-store-battery-'));
    // A directory the store has to create on its first write.
    const path = join(root, 'nested', 'tokens.json');
    const key = randomBytes(32);
    return {
      open: async () => createFileTokenStore({ path, encryptionKey: key, now }),
      openWithKey: async (encryptionKey) => createFileTokenStore({ path, encryptionKey, now }),
      readAtRest: () => readFile(path, 'utf8'),
      // One document holds every seller: any byte of it is the seller's.
      async tamper() {
        const envelope = JSON.parse(await readFile(path, 'utf8'));
        const data = Buffer.from(envelope.data, 'base64');
        data[5] = (data[5] ?? 0) ^ 0x01;
        await writeFile(path, JSON.stringify({ ...envelope, data: data.toString('base64') }));
      },
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
});

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'token-store-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('createFileTokenStore', () => {
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
