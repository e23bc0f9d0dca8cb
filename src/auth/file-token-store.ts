// The default TokenStore: one JSON document, AES-256-GCM encrypted, replaced atomically on write.
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TokenStoreCorruptError } from './errors.js';
import { createRecordCodec } from './token-encryption.js';
import {
  createDocumentBackend,
  createTokenStore,
  EMPTY_STATE,
  type SellersDocument,
  type StoredState,
  type TokenStore,
} from './token-store.js';

export const DEFAULT_TOKEN_STORE_PATH = '.data/tokens.json';
const FORMAT = 'tiktok-shop-gateway.tokens';

export interface FileTokenStoreOptions {
  /** File to keep the tokens in. Default `.data/tokens.json`. */
  path?: string;
  /** 32-byte AES key (TOKEN_ENCRYPTION_KEY, see resolveEncryptionKey). */
  encryptionKey: Uint8Array;
  /** Clock for `updatedAt`, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Longest wait for another process's write lock, ms. Default 10 000. */
  lockTimeoutMs?: number;
  /** A lock file older than this is left over from a crash and removed, ms. Default 30 000. */
  staleLockMs?: number;
}

function isStoredState(value: unknown): value is StoredState {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { sellers?: unknown }).sellers)
  );
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.size === b.size;
}

/**
 * A TokenStore in one encrypted file. File mode 0600, directory 0700 (when this creates it),
 * a fresh random IV per write, write-to-temp + fsync + rename so a crash leaves the old or the
 * new file, never half of one. Writers in this process are serialised; writers in other
 * processes (the OAuth CLI next to the gateway) are kept out by a `<path>.lock` file, and every
 * write re-reads the file first so it never overwrites what another process saved. A file that
 * does not decrypt throws TokenStoreCorruptError on every call; it is never reset.
 */
export function createFileTokenStore(options: FileTokenStoreOptions): TokenStore {
  const path = resolve(options.path ?? DEFAULT_TOKEN_STORE_PATH);
  const lockPath = `${path}.lock`;
  const codec = createRecordCodec({
    key: options.encryptionKey,
    format: FORMAT,
    isValid: isStoredState,
    corruptError: TokenStoreCorruptError,
  });
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  const staleLockMs = options.staleLockMs ?? 30_000;

  let cached: { state: StoredState; stats: BigIntStats } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** The state on disk, decrypted again only when the file changed since the last read. */
  async function readState(): Promise<StoredState> {
    let stats: BigIntStats;
    try {
      stats = await stat(path, { bigint: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      cached = undefined;
      return EMPTY_STATE;
    }
    if (cached && sameFile(cached.stats, stats)) return cached.state;
    const text = await readFile(path, 'utf8');
    const state = codec.decode(text, path);
    cached = { state, stats };
    return state;
  }

  async function writeState(state: StoredState): Promise<void> {
    const directory = dirname(path);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const temporary = join(
      directory,
      `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${codec.encode(state)}\n`);
      await handle.chmod(0o600);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await handle.close();
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    // Persist the rename itself; without this a power cut can bring back the old file.
    const directoryHandle = await open(directory, 'r');
    try {
      await directoryHandle.sync();
    } finally {
      await directoryHandle.close();
    }
    cached = { state, stats: await stat(path, { bigint: true }) };
  }

  async function withFileLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + lockTimeoutMs;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const lockStats = await stat(lockPath).catch(() => undefined);
      if (lockStats && Date.now() - lockStats.mtimeMs > staleLockMs) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`Token store ${path} is locked by another process (${lockPath})`);
      }
      await sleep(10 + Math.random() * 20);
    }
    try {
      return await work();
    } finally {
      await unlink(lockPath).catch(() => undefined);
    }
  }

  const document: SellersDocument = {
    read: readState,
    update(change) {
      const run = queue.then(() =>
        withFileLock(async () => {
          const current = await readState();
          const { state, result } = change(current);
          if (state !== current) await writeState(state);
          return result;
        }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
  };
  return createTokenStore(createDocumentBackend(document), { now: options.now });
}
