// Saves of tokens TikTok has just handed out (issue 10, "seller tokens survive crashes"): the code
// or refresh token they came from is spent, so they are never dropped. A save that fails is kept
// and tried again with backoff until it succeeds or a newer save under the same key replaces it.
import { type AuthLogger, describeError, silentLogger } from './logger.js';

export type SaveOutcome<T> = { isSaved: true; value: T } | { isSaved: false; error: unknown };

export interface GrantSaves {
  /**
   * Runs `save` now. When it throws, the save is kept and retried in the background and this
   * answers `{ isSaved: false }` without waiting; a later save under the same `key` (the seller's
   * newer tokens) replaces a kept one. `save` must be safe to run again (compare-and-set).
   */
  save<T>(key: string, save: () => Promise<T>): Promise<SaveOutcome<T>>;
  /** Keys whose save is kept, not yet done. */
  readonly pending: string[];
  /**
   * Waits for the saves under way, then tries every kept save once more now; answers the keys
   * still not saved.
   */
  flush(): Promise<string[]>;
}

export interface GrantSavesOptions {
  /** Delay before the first retry, ms; doubles per retry, with jitter. Default 250. */
  retryBaseMs?: number;
  /** Longest delay between retries, ms. Default 30 000. */
  retryMaxMs?: number;
  logger?: AuthLogger;
}

interface KeptSave {
  key: string;
  save: () => Promise<unknown>;
  attempts: number;
  timer?: NodeJS.Timeout;
  /** The attempt under way, which a flush joins instead of starting a second one. */
  running?: Promise<boolean>;
}

export function createGrantSaves(options: GrantSavesOptions = {}): GrantSaves {
  const retryBaseMs = options.retryBaseMs ?? 250;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const logger = options.logger ?? silentLogger;
  const kept = new Map<string, KeptSave>();
  // First attempts not settled yet: a flush before exit waits for them (issue 12).
  const underWay = new Set<Promise<unknown>>();

  function schedule(entry: KeptSave): void {
    clearTimeout(entry.timer);
    const ceilingMs = Math.min(retryMaxMs, retryBaseMs * 2 ** (entry.attempts - 1));
    // Half fixed, half random: retries of several sellers spread out, none comes at once.
    entry.timer = setTimeout(() => void retry(entry), ceilingMs * (0.5 + Math.random() / 2));
    // A kept save must not hold a process open; closing the app flushes instead.
    entry.timer.unref();
  }

  /** One more attempt; true when the save is done (or no longer this entry's to do). */
  function attempt(entry: KeptSave): Promise<boolean> {
    entry.running ??= attemptOnce(entry).finally(() => {
      entry.running = undefined;
    });
    return entry.running;
  }

  async function attemptOnce(entry: KeptSave): Promise<boolean> {
    if (kept.get(entry.key) !== entry) return true;
    entry.attempts += 1;
    try {
      await entry.save();
    } catch (error) {
      if (kept.get(entry.key) !== entry) return true;
      logger.warn(
        { key: entry.key, attempts: entry.attempts, error: describeError(error) },
        'Saving new seller tokens failed again; they stay in memory and are retried',
      );
      return false;
    }
    if (kept.get(entry.key) === entry) kept.delete(entry.key);
    logger.info({ key: entry.key, attempts: entry.attempts }, 'Kept seller tokens stored');
    return true;
  }

  async function retry(entry: KeptSave): Promise<void> {
    if (!(await attempt(entry)) && kept.get(entry.key) === entry) schedule(entry);
  }

  /** The first attempt; a failed one is kept and retried in the background. Never rejects. */
  async function saveOrKeep<T>(key: string, save: () => Promise<T>): Promise<SaveOutcome<T>> {
    try {
      return { isSaved: true, value: await save() };
    } catch (error) {
      const entry: KeptSave = { key, save, attempts: 1 };
      kept.set(key, entry);
      schedule(entry);
      logger.warn(
        { key, error: describeError(error) },
        'Saving new seller tokens failed; they are kept in memory and retried until stored',
      );
      return { isSaved: false, error };
    }
  }

  function forget(key: string): void {
    clearTimeout(kept.get(key)?.timer);
    kept.delete(key);
  }

  return {
    save(key, save) {
      forget(key);
      const first = saveOrKeep(key, save);
      underWay.add(first);
      void first.finally(() => underWay.delete(first));
      return first;
    },

    get pending() {
      return [...kept.keys()];
    },

    async flush() {
      await Promise.all(underWay);
      for (const entry of [...kept.values()]) {
        clearTimeout(entry.timer);
        if (!(await attempt(entry)) && kept.get(entry.key) === entry) schedule(entry);
      }
      return [...kept.keys()];
    },
  };
}
