// The lock a file store takes across processes (issue 10, "seller tokens survive crashes"): a
// `<path>.lock` that names its owner, taken over at once when that process is gone, with the
// age of the lock only as the last resort.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A process as lock and temp file names record it. */
export interface ProcessIdentity {
  pid: number;
  /** When it started, in clock ticks since boot (Linux /proc); '' where the platform hides it. */
  start: string;
  /** A tag of its host name: pids of other hosts (or containers) say nothing here. */
  host: string;
}

const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/**
 * Fields 3 (state) and 22 (start time) of /proc/<pid>/stat, counted after the parenthesised
 * command name; '' where there is no /proc.
 */
function readProcStat(pid: number | 'self'): { state: string; start: string } {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] ?? '' };
  } catch {
    return { state: '', start: '' };
  }
}

const self: ProcessIdentity = {
  pid: process.pid,
  start: readProcStat('self').start,
  host: HOST_TAG,
};

export function thisProcess(): ProcessIdentity {
  return self;
}

/** `pid-start-host`, as file names carry it; `x` for an unknown start. */
export function identityTag(identity: ProcessIdentity): string {
  return `${identity.pid}-${identity.start || 'x'}-${identity.host}`;
}

/** The pattern of identityTag with three groups (pid, start, host). */
export const IDENTITY_PATTERN = '(\\d+)-(\\d+|x)-([0-9a-f]{8})';

export function identityFrom(pid: string, start: string, host: string): ProcessIdentity {
  return { pid: Number(pid), start: start === 'x' ? '' : start, host };
}

/**
 * true when the process is certainly gone: no process has its pid on this host (ESRCH), the one
 * that has it started at another time (the pid was recycled), or it has exited and waits to be
 * reaped (a zombie). Another host's process, or one /proc does not describe, counts as alive.
 */
export function isGone(owner: ProcessIdentity): boolean {
  if (owner.host !== HOST_TAG) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: alive, under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const { state, start } = readProcStat(owner.pid);
  if (state === 'Z' || state === 'X') return true;
  return owner.start !== '' && start !== '' && start !== owner.start;
}

export function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface FileLockOptions {
  /** A lock held this long by a process not known to be gone is taken over anyway, ms. */
  staleLockMs: number;
  /** Longest wait for the lock, ms; more than staleLockMs, so a stale lock is always outwaited. */
  lockTimeoutMs: number;
}

export interface FileLock {
  /** Runs `work` holding the lock; throws when it could not be had within lockTimeoutMs. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
  /** Removes lock files left by processes that are gone (or that are too old to be live). */
  cleanLeftovers(): Promise<void>;
}

/** A right file: `<path>.lock.<token>.<holder>.<nonce>`. */
interface Right {
  path: string;
  /** The lock's token, the same for every holder its right passes to. */
  token: string;
  holder: ProcessIdentity;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Renames `from` to `to`; false when `from` is gone (another process renamed it first). */
async function renameIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/**
 * `<path>.lock` is a hard link to its owner's "right" file `<path>.lock.<token>.<owner>.<nonce>`,
 * whose content names the owner. Whoever renames the right away (one rename wins) alone may remove
 * the lock: the owner when it releases, or a waiter when the right's holder is gone or the right is
 * older than staleLockMs. The lock is created by `link`, which fails when it exists, so it names
 * its owner from its first instant, and two waiters racing for an abandoned lock cannot both win.
 */
export function createFileLock(lockPath: string, options: FileLockOptions): FileLock {
  const { staleLockMs, lockTimeoutMs } = options;
  if (!(lockTimeoutMs > staleLockMs)) {
    throw new RangeError('lockTimeoutMs must be longer than staleLockMs');
  }
  const directory = dirname(lockPath);
  const rightPattern = new RegExp(
    `^${escapeForPattern(basename(lockPath))}\\.([0-9a-f]{12})\\.${IDENTITY_PATTERN}\\.[0-9a-f]{8}$`,
  );
  const rightPath = (token: string) =>
    `${lockPath}.${token}.${identityTag(self)}.${randomBytes(4).toString('hex')}`;

  async function rights(): Promise<Right[]> {
    const names = await readdir(directory).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    });
    const found: Right[] = [];
    for (const name of names) {
      const match = rightPattern.exec(name);
      if (match) {
        const [, token = '', pid = '', start = '', host = ''] = match;
        found.push({ path: join(directory, name), token, holder: identityFrom(pid, start, host) });
      }
    }
    return found;
  }

  /** Removes the lock (when `claimed` is still its right), then the right; `claimed` is ours. */
  async function removeUnder(claimed: string): Promise<void> {
    try {
      const [lock, right] = await Promise.all([
        stat(lockPath, { bigint: true }).catch(() => undefined),
        stat(claimed, { bigint: true }),
      ]);
      // Only the right's holder removes its lock, so this still holds when unlink runs.
      if (lock && lock.ino === right.ino && lock.dev === right.dev) await unlink(lockPath);
    } finally {
      await unlink(claimed).catch(() => undefined);
    }
  }

  /** Takes the right from a holder that is gone (or too slow) and removes what it held. */
  async function reclaim(right: Right): Promise<boolean> {
    const stats = await stat(right.path).catch(() => undefined);
    if (!stats) return false;
    // A right not linked to the lock is a waiter's, which deletes it on giving up.
    const limitMs = stats.nlink > 1 ? staleLockMs : lockTimeoutMs + staleLockMs;
    if (!isGone(right.holder) && Date.now() - stats.ctimeMs <= limitMs) return false;
    const claimed = rightPath(right.token);
    if (!(await renameIfPresent(right.path, claimed))) return false;
    await removeUnder(claimed);
    return true;
  }

  /** A lock with no right file linked to it: an earlier version's, which named only its pid. */
  async function reclaimUnowned(): Promise<boolean> {
    const lock = await stat(lockPath).catch(() => undefined);
    if (!lock || lock.nlink > 1 || Date.now() - lock.mtimeMs <= staleLockMs) return false;
    const moved = `${lockPath}.${randomBytes(6).toString('hex')}.unowned`;
    if (!(await renameIfPresent(lockPath, moved))) return false;
    // Another waiter freed it first and a new owner came: put its lock back.
    if ((await stat(moved)).nlink > 1) await link(moved, lockPath).catch(() => undefined);
    await unlink(moved).catch(() => undefined);
    return true;
  }

  async function writeRight(token: string): Promise<string> {
    const path = rightPath(token);
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(
        `${JSON.stringify({ token, pid: self.pid, start: self.start, host: hostname() })}\n`,
      );
    } finally {
      await handle.close();
    }
    return path;
  }

  async function acquire(): Promise<Right> {
    const token = randomBytes(6).toString('hex');
    const deadline = Date.now() + lockTimeoutMs;
    let right = await writeRight(token);
    try {
      for (;;) {
        try {
          await link(right, lockPath);
          return { path: right, token, holder: self };
        } catch (error) {
          if (errorCode(error) === 'ENOENT') {
            // Our waiting right was reclaimed as too old: write it again.
            right = await writeRight(token);
            continue;
          }
          if (errorCode(error) !== 'EEXIST') throw error;
        }
        let freed = false;
        for (const other of await rights()) {
          if (other.path !== right && (await reclaim(other))) freed = true;
        }
        if (freed || (await reclaimUnowned())) continue;
        if (Date.now() > deadline) {
          throw new Error(
            `${lockPath} is held by another process that did not release it within ${lockTimeoutMs} ms`,
          );
        }
        await sleep(5 + Math.random() * 20);
      }
    } catch (error) {
      await unlink(right).catch(() => undefined);
      throw error;
    }
  }

  async function release(right: Right): Promise<void> {
    const claimed = rightPath(right.token);
    // Gone: taken over while we held it (longer than staleLockMs), not ours to remove any more.
    if (await renameIfPresent(right.path, claimed)) await removeUnder(claimed);
  }

  return {
    async withLock(work) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const right = await acquire();
      try {
        return await work();
      } finally {
        await release(right);
      }
    },

    async cleanLeftovers() {
      for (const right of await rights()) await reclaim(right);
    },
  };
}
