// What the Redis token store does while Redis is down (issue #6, docs/scale-out.md): a layer
// between the store's transitions and the Redis backend that answers from this replica's
// last-known records, keeps saves made meanwhile, writes them back, and re-seeds a Redis that
// came back empty.
import {
  newestOwner,
  type RemoveOutcome,
  type SellerRecord,
  type TokenStoreBackend,
} from '../auth/token-store.js';
import { TokenStoreUnavailableError } from './errors.js';
import { describeError, type RedisLogger, silentRedisLogger } from './logger.js';

/** A record as the remote store holds it, decrypted only when `open` is called. */
export interface SealedRecord {
  openId: string;
  version: number;
  /** The record; throws TokenStoreCorruptError when it does not decrypt. */
  open(): SellerRecord;
}

/** A remote answer and the data set it came from (its epoch; '' when the data set is gone). */
export interface RemoteRead<T> {
  epoch: string;
  value: T;
}

/**
 * What the outage cache needs of the store below it. Every write names the epoch this replica
 * knows and is refused with `epoch` when the data set changed since (lost or re-seeded).
 */
export interface RemoteTokenBackend {
  list(): Promise<RemoteRead<SealedRecord[]>>;
  get(openId: string): Promise<RemoteRead<SealedRecord | null>>;
  /** The claimant of `shopId` written last. */
  findByShop(shopId: string): Promise<RemoteRead<SealedRecord | null>>;
  /** Compare-and-set on the stored version (0: none), as TokenStoreBackend.write. */
  write(
    record: SellerRecord,
    expectedVersion: number,
    epoch: string,
  ): Promise<'ok' | 'conflict' | 'epoch'>;
  remove(
    openId: string,
    expectedVersion: number | undefined,
    epoch: string,
  ): Promise<RemoveOutcome | 'epoch'>;
  /**
   * Writes each record where the remote holds an older version or none (the highest version is
   * the newest: every write is compare-and-set), starting a new data set if it is gone. Returns
   * the epoch and the open_ids written.
   */
  restore(records: SellerRecord[]): Promise<{ epoch: string; written: Set<string> }>;
  /** true for an error that means the remote did not answer (not a bug, not bad data). */
  isUnavailable(error: unknown): boolean;
  /** Calls `listener` whenever the connection is ready again; returns the unsubscribe. */
  onReconnect(listener: () => void): () => void;
}

export interface TokenStoreOutageCache extends TokenStoreBackend {
  /** false while Redis does not answer: reads come from this replica's last-known records. */
  readonly isAvailable: boolean;
  /** Writes taken while Redis was down, waiting to be written back. */
  readonly pendingWrites: number;
  /**
   * Writes back pending records and, when Redis lost its data, every record this replica knows.
   * Runs by itself when the connection is ready again and before any read while writes pend.
   */
  sync(): Promise<void>;
  /** Stops listening to the connection (does not close it). */
  close(): void;
}

interface Known {
  record: SellerRecord;
  /** Saved while Redis was down; not in Redis yet. */
  isPending: boolean;
}

/**
 * While Redis is down:
 * - reads answer from the records this replica last read or wrote, and fail with
 *   TokenStoreUnavailableError for sellers it never saw;
 * - saves are kept in memory, served to reads, and written back when Redis answers again
 *   (unless Redis meanwhile holds a newer version); deletes fail;
 * - a Redis that comes back empty (restart without persistence) is detected by its missing
 *   epoch and re-seeded from those records; the highest version wins between replicas.
 */
export function createTokenStoreOutageCache(
  remote: RemoteTokenBackend,
  options: { logger?: RedisLogger | undefined } = {},
): TokenStoreOutageCache {
  const logger = options.logger ?? silentRedisLogger;
  const known = new Map<string, Known>();
  let knownEpoch: string | undefined;
  let isAvailable = true;
  let syncing: Promise<void> | undefined;

  const markDown = (operation: string, error: unknown) => {
    if (!isAvailable) return;
    isAvailable = false;
    logger.error(
      { operation, error: describeError(error), knownSellers: known.size },
      'Redis unavailable: the token store serves the last-known records of this replica, keeps ' +
        'new tokens in memory until Redis is back, and token refreshes are refused',
    );
  };

  const markUp = () => {
    if (isAvailable) return;
    isAvailable = true;
    logger.warn({}, 'Redis answers again: the token store is shared again');
  };

  const pendingCount = () => [...known.values()].filter((entry) => entry.isPending).length;

  const knownRecords = () => [...known.values()].map((entry) => entry.record);

  /** A record Redis returned, unless a save not yet written back is at least as new. */
  function remember(row: SealedRecord): SellerRecord {
    const cached = known.get(row.openId);
    if (cached?.isPending && cached.record.version >= row.version) return cached.record;
    const record = row.open();
    known.set(row.openId, { record, isPending: false });
    return record;
  }

  /** Redis has no record of `openId`: forget it too, unless a save pends. */
  function forget(openId: string): null {
    if (!known.get(openId)?.isPending) known.delete(openId);
    return null;
  }

  async function restore(records: SellerRecord[]) {
    const restored = await remote.restore(records);
    markUp();
    return restored;
  }

  /**
   * Writes back pending saves and, when the data set was lost (epoch gone) or replaced (another
   * replica re-seeded it), everything this replica knows. One run at a time; reads wait for it.
   */
  function sync(): Promise<void> {
    if (!syncing) {
      syncing = runSync().finally(() => {
        syncing = undefined;
      });
    }
    return syncing;
  }

  /** A sync that starts after the running one: for a reader that has just seen a new epoch. */
  async function resync(): Promise<void> {
    if (syncing) await syncing.catch(() => undefined);
    return sync();
  }

  async function runSync(): Promise<void> {
    const pending = [...known.values()].filter((entry) => entry.isPending);
    let { epoch, written } = await restore(pending.map((entry) => entry.record));
    for (const entry of pending) {
      entry.isPending = false;
      if (written.has(entry.record.openId)) continue;
      // Redis holds this version or a newer one written by another replica: that one counts.
      if (known.get(entry.record.openId) === entry) known.delete(entry.record.openId);
      logger.warn(
        { openId: entry.record.openId, version: entry.record.version },
        'A save made while Redis was down was dropped: Redis holds that version or a newer one',
      );
    }
    const isLost = epoch !== knownEpoch && (knownEpoch !== undefined || known.size > 0);
    if (isLost) {
      ({ epoch, written } = await restore(knownRecords()));
      if (written.size > 0) {
        logger.error(
          { sellers: written.size },
          'Redis had lost the token store (restarted without persistence?); re-seeded it from ' +
            "this replica's last-known records",
        );
      }
    }
    knownEpoch = epoch;
  }

  /**
   * Compares the epoch a read saw with the one this replica knows. true when the data set was
   * lost or replaced since: this replica's records have been written back and the read must be
   * repeated.
   */
  async function isEpochChanged(epoch: string): Promise<boolean> {
    if (epoch !== '' && epoch === knownEpoch) return false;
    if (epoch !== '' && knownEpoch === undefined && known.size === 0) {
      knownEpoch = epoch;
      return false;
    }
    await resync();
    return true;
  }

  /** Runs a Redis read; while Redis is down, answers from what this replica knows. */
  async function read<V, T>(
    operation: string,
    fromRemote: () => Promise<RemoteRead<V>>,
    settle: (value: V) => T,
    fromMemory: () => T,
  ): Promise<T> {
    let reply: RemoteRead<V>;
    // Only Redis calls in here: whatever else throws (a record that does not decrypt, opened in
    // `settle`) must not pass for an outage.
    try {
      if (syncing) await syncing;
      if (pendingCount() > 0) await sync();
      reply = await fromRemote();
      // A second epoch change in a row would be a Redis flushed again meanwhile; answer anyway.
      if (await isEpochChanged(reply.epoch)) reply = await fromRemote();
    } catch (error) {
      if (!remote.isUnavailable(error)) throw error;
      markDown(operation, error);
      return fromMemory();
    }
    markUp();
    return settle(reply.value);
  }

  /** After an epoch change; if Redis fails meanwhile, the next attempt takes the outage path. */
  async function resyncOrMarkDown(operation: string): Promise<void> {
    try {
      await resync();
    } catch (error) {
      if (!remote.isUnavailable(error)) throw error;
      markDown(operation, error);
    }
  }

  const unsubscribe = remote.onReconnect(() => {
    // Pending saves go back at once; a lost data set is noticed here too, not only on a read.
    if (pendingCount() > 0 || knownEpoch !== undefined) {
      sync().catch((error: unknown) => {
        logger.warn({ error: describeError(error) }, 'Writing back to Redis failed; will retry');
      });
    }
  });

  return {
    get isAvailable() {
      return isAvailable;
    },
    get pendingWrites() {
      return pendingCount();
    },
    sync,
    close() {
      unsubscribe();
      const unsaved = pendingCount();
      if (unsaved > 0) {
        logger.error(
          { sellers: unsaved },
          'Token store closed with saves Redis never received; those sellers may need to re-authorise',
        );
      }
    },

    list() {
      return read(
        'load',
        () => remote.list(),
        (rows) => {
          const listed = new Set(rows.map((row) => row.openId));
          for (const [openId, entry] of known) {
            if (!listed.has(openId) && !entry.isPending) known.delete(openId);
          }
          return rows.map((row) => remember(row));
        },
        () => {
          if (known.size === 0) {
            throw new TokenStoreUnavailableError('load', 'this replica has no seller records');
          }
          return knownRecords();
        },
      );
    },

    get(openId) {
      return read(
        'getSeller',
        () => remote.get(openId),
        (row) => (row ? remember(row) : forget(openId)),
        () => {
          const entry = known.get(openId);
          if (!entry) {
            throw new TokenStoreUnavailableError(
              'getSeller',
              `this replica has no copy of seller ${openId}`,
            );
          }
          return entry.record;
        },
      );
    },

    findByShop(shopId) {
      return read(
        'findSellerByShop',
        () => remote.findByShop(shopId),
        (row) => (row ? remember(row) : null),
        () => {
          const owner = newestOwner(knownRecords(), shopId);
          if (owner) return owner;
          throw new TokenStoreUnavailableError(
            'findSellerByShop',
            `this replica knows no seller of shop ${shopId}`,
          );
        },
      );
    },

    /** While Redis is down the record is kept as pending instead, and counts as written. */
    async write(record, expectedVersion) {
      let outcome: 'ok' | 'conflict' | 'epoch';
      try {
        outcome = await remote.write(record, expectedVersion, knownEpoch ?? '');
      } catch (error) {
        if (!remote.isUnavailable(error)) throw error;
        markDown('save', error);
        known.set(record.openId, { record, isPending: true });
        logger.warn(
          { openId: record.openId, version: record.version },
          'Seller saved in memory only; it is written to Redis when Redis answers again',
        );
        return true;
      }
      markUp();
      if (outcome === 'ok') {
        known.set(record.openId, { record, isPending: false });
        return true;
      }
      if (outcome === 'epoch') await resyncOrMarkDown('save');
      return false;
    },

    async remove(openId, expectedVersion) {
      for (;;) {
        let outcome: RemoveOutcome | 'epoch';
        try {
          outcome = await remote.remove(openId, expectedVersion, knownEpoch ?? '');
        } catch (error) {
          if (!remote.isUnavailable(error)) throw error;
          markDown('deleteSeller', error);
          throw new TokenStoreUnavailableError(
            'deleteSeller',
            `seller ${openId} cannot be deleted now`,
            { cause: error },
          );
        }
        markUp();
        if (outcome === 'epoch') {
          await resyncOrMarkDown('deleteSeller');
          continue;
        }
        if (typeof outcome === 'object') return outcome;
        known.delete(openId);
        return outcome;
      }
    },
  };
}
