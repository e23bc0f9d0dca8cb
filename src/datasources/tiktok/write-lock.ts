// The write section of one product (issue 10): stock writes to a (shop, product) run one at a time,
// so the read that fills in unlisted warehouses and the write built from it see no other write in
// between, and a late attempt cannot land after a later write. In one process; the Redis lock in
// src/redis/write-lock.ts holds it across replicas.

/** What the work learns about its section while it runs. */
export interface HeldLock {
  /**
   * false once the section may have passed to another holder (a Redis lease that could not be
   * renewed in time): nothing more may be sent.
   */
  isHeld(): boolean;
}

export interface WriteLock {
  /**
   * Runs `work` once this caller holds `key`'s section and releases it after. Rejects with
   * WriteLockUnavailableError, without running `work`, when the section cannot be had.
   */
  withLock<T>(key: string, work: (held: HeldLock) => Promise<T>): Promise<T>;
}

export type WriteLockRefusal =
  /** Another write held the product's section for longer than INVENTORY_WRITE_WAIT_MS. */
  | 'busy'
  /** Redis did not answer, so this replica cannot know whether another one is writing. */
  | 'unavailable'
  /** The section's lease ran out before this write was sent (Redis did not answer in time). */
  | 'lost';

const REFUSALS: Record<WriteLockRefusal, string> = {
  busy: 'another write to the product took too long',
  unavailable: 'Redis is unavailable, so the write lock shared by the replicas cannot be taken',
  lost: "the product's write lock expired before the write was sent",
};

/** The stock of a product was not written because its write section could not be held. */
export class WriteLockUnavailableError extends Error {
  override readonly name = 'WriteLockUnavailableError';
  readonly retryable = true;

  constructor(
    readonly reason: WriteLockRefusal,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`Stock write refused, nothing was sent: ${REFUSALS[reason]}; retry shortly`, options);
  }
}

/** The section of one product of one shop. */
export const writeLockKey = (shopId: string, productId: string): string => `${shopId}:${productId}`;

const ALWAYS_HELD: HeldLock = { isHeld: () => true };

/**
 * Sections in this process: callers of a key run in arrival order; one that waits longer than
 * `waitMs` is refused (and the ones behind it still wait for the holder, not for it).
 */
export function createInProcessWriteLock(options: { waitMs: number }): WriteLock {
  /** Per key, the promise the next caller waits for: every earlier caller done. */
  const tails = new Map<string, Promise<void>>();

  return {
    async withLock(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      let release = () => {};
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => done);
      tails.set(key, tail);
      let timer: NodeJS.Timeout | undefined;
      const isTurn = await Promise.race([
        previous.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), options.waitMs);
        }),
      ]);
      clearTimeout(timer);
      try {
        if (!isTurn) throw new WriteLockUnavailableError('busy', key);
        return await work(ALWAYS_HELD);
      } finally {
        release();
        // The last caller of a key leaves no entry behind.
        void tail.then(() => {
          if (tails.get(key) === tail) tails.delete(key);
        });
      }
    },
  };
}

/** One section `withLocks` holds: its lease, and its early release. */
export interface HeldSection {
  held: HeldLock;
  /** Lets the next writer of the key in before `withLocks`' work is over; later calls do nothing. */
  release(): void;
}

/**
 * Runs `work` holding the sections of `keys` (a bulk write reads its products together, inside all
 * of them). They are taken one after another in sorted order, the same for every caller, so two
 * callers never wait for each other in a cycle; a key whose section cannot be had maps to its
 * WriteLockUnavailableError and the others are still taken. Every section is released when
 * `work` ends, and `withLocks` returns once each release is done.
 */
export async function withLocks<T>(
  lock: WriteLock,
  keys: string[],
  work: (sections: Map<string, HeldSection | WriteLockUnavailableError>) => Promise<T>,
): Promise<T> {
  const sections = new Map<string, HeldSection | WriteLockUnavailableError>();
  const releases: Array<() => void> = [];
  const endings: Array<Promise<unknown>> = [];
  try {
    for (const key of [...new Set(keys)].sort()) {
      const taken = await new Promise<HeldSection | WriteLockUnavailableError>(
        (resolve, reject) => {
          let release = () => {};
          const released = new Promise<void>((done) => {
            release = done;
          });
          releases.push(release);
          const ending = lock.withLock(key, (held) => {
            resolve({ held, release });
            return released;
          });
          endings.push(ending.catch(() => {}));
          ending.catch((error: unknown) =>
            error instanceof WriteLockUnavailableError ? resolve(error) : reject(error),
          );
        },
      );
      sections.set(key, taken);
    }
    return await work(sections);
  } finally {
    for (const release of releases) release();
    await Promise.all(endings);
  }
}
