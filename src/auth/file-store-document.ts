// One file that holds a store's whole state (the token store, the used OAuth states): read again
// only when it changed, changed under the cross-process lock, replaced so that a crash or a
// `kill -9` leaves the old file or the new one, and the leftovers of crashed writers removed.
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import {
  createFileLock,
  escapeForPattern,
  IDENTITY_PATTERN,
  identityFrom,
  identityTag,
  isGone,
  thisProcess,
} from './file-store-lock.js';

/**
 * A companion file beside another store's file, named after it:
 * (`.data/tokens.json`, `oauth-states`) → `.data/tokens.oauth-states.json`.
 */
export function pathBeside(storePath: string, name: string): string {
  const extension = extname(storePath);
  return join(
    dirname(storePath),
    `${basename(storePath, extension)}.${name}${extension || '.json'}`,
  );
}

/** A lock held longer than this by a live process is taken over anyway, ms. */
export const DEFAULT_STALE_LOCK_MS = 30_000;

export interface StoreDocumentOptions<T> {
  path: string;
  /** The state while the file does not exist. */
  empty: T;
  /** Throws when the text is not this store's. */
  decode(text: string): T;
  encode(state: T): string;
  /** See FileLockOptions. Default 30 000. */
  staleLockMs?: number;
  /** Longest wait for the lock, ms. Default twice staleLockMs; must be longer than it. */
  lockTimeoutMs?: number;
}

export interface StoreDocument<T> {
  read(): Promise<T>;
  /** Runs `change` on the latest state and keeps the state it returns (the same one: no write). */
  update<R>(change: (state: T) => { state: T; result: R }): Promise<R>;
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.size === b.size;
}

/** fsync of a directory: not offered everywhere (Windows); the rename stands without it there. */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP']);

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

/**
 * A StoreDocument in one file: mode 0600, directory 0700 when this creates it. Writers in this
 * process are serialised; other processes are kept out by the `<path>.lock` of createFileLock,
 * and every change re-reads the file first. Writes go to `.<name>.<owner>.<random>.tmp`, are
 * fsynced, renamed over the file, and the directory is fsynced. At first use, temp files this
 * path's writers left behind are removed when their process is gone or they are older than
 * staleLockMs (a live write holds the lock for milliseconds).
 */
export function createStoreDocument<T>(options: StoreDocumentOptions<T>): StoreDocument<T> {
  const { path, empty } = options;
  const directory = dirname(path);
  const staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
  const lock = createFileLock(`${path}.lock`, {
    staleLockMs,
    lockTimeoutMs: options.lockTimeoutMs ?? 2 * staleLockMs,
  });
  // Earlier versions named temp files `.<name>.<pid>.<random>.tmp`: only their age tells.
  const temporaryPattern = new RegExp(
    `^\\.${escapeForPattern(basename(path))}\\.(?:${IDENTITY_PATTERN}|\\d+)\\.[0-9a-f]{12}\\.tmp$`,
  );

  let cached: { state: T; stats: BigIntStats } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let cleaned: Promise<void> | undefined;

  async function removeLeftovers(): Promise<void> {
    const names = await readdir(directory).catch(() => [] as string[]);
    for (const name of names) {
      const match = temporaryPattern.exec(name);
      if (!match) continue;
      const [, pid, start, host] = match;
      const owner = pid && start && host ? identityFrom(pid, start, host) : undefined;
      const leftover = join(directory, name);
      const stats = await stat(leftover).catch(() => undefined);
      if (!stats) continue;
      if ((owner && isGone(owner)) || Date.now() - stats.mtimeMs > staleLockMs) {
        await unlink(leftover).catch(() => undefined);
      }
    }
    await lock.cleanLeftovers();
  }

  /** Best effort: a leftover that cannot be removed now is tried again by the next start. */
  function cleanOnce(): Promise<void> {
    cleaned ??= removeLeftovers().catch(() => undefined);
    return cleaned;
  }

  async function readState(): Promise<T> {
    await cleanOnce();
    let stats: BigIntStats;
    try {
      stats = await stat(path, { bigint: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      cached = undefined;
      return empty;
    }
    if (cached && sameFile(cached.stats, stats)) return cached.state;
    const state = options.decode(await readFile(path, 'utf8'));
    cached = { state, stats };
    return state;
  }

  async function writeState(state: T): Promise<void> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const temporary = join(
      directory,
      `.${basename(path)}.${identityTag(thisProcess())}.${randomBytes(6).toString('hex')}.tmp`,
    );
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(options.encode(state));
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
    await syncDirectory(directory);
    cached = { state, stats: await stat(path, { bigint: true }) };
  }

  return {
    read: readState,
    update(change) {
      const run = queue.then(() =>
        lock.withLock(async () => {
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
}

export interface EntriesDocumentOptions<V> {
  path: string;
  /** The file's `format` tag: a file without it is another one's. */
  format: string;
  /** The key the entries are kept under, e.g. `used`. */
  field: string;
  isEntry(value: unknown): value is V;
  /** What the file is, for the error: `a used OAuth state file`. */
  what: string;
}

/**
 * A StoreDocument of entries by key, as plain JSON `{ "format": …, "<field>": { key: entry } }`
 * (the companion files beside the token file). A file that is not one is an error, never reset:
 * the caller's entries would be lost silently.
 */
export function createEntriesDocument<V>(
  options: EntriesDocumentOptions<V>,
): StoreDocument<Record<string, V>> {
  const { path, format, field } = options;
  const decode = (text: string): Record<string, V> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const record = (parsed ?? {}) as Record<string, unknown>;
    const entries = record[field];
    if (
      record.format !== format ||
      typeof entries !== 'object' ||
      entries === null ||
      !Object.values(entries).every((entry) => options.isEntry(entry))
    ) {
      throw new Error(`${path} is not ${options.what}`);
    }
    return entries as Record<string, V>;
  };
  return createStoreDocument<Record<string, V>>({
    path,
    empty: {},
    decode,
    encode: (entries) => `${JSON.stringify({ format, [field]: entries })}\n`,
  });
}
