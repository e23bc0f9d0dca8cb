// The TokenStore shared by every replica (issue #6): one encrypted Redis hash per seller, written
// compare-and-set on its version, with a shop index for findSellerByShop.
import { randomUUID } from 'node:crypto';
import { TokenStoreConflictError } from '../auth/errors.js';
import { createTokenCipher } from '../auth/token-encryption.js';
import type {
  SaveTokensOptions,
  SellerInput,
  SellerRecord,
  StoredState,
  TokenStore,
} from '../auth/token-store.js';
import { RedisTokenStoreCorruptError, TokenStoreUnavailableError } from './errors.js';
import { describeError, type RedisLogger, silentRedisLogger } from './logger.js';
import { defineScript, isRedisUnavailable, type Redis } from './redis-connection.js';

const FORMAT = 'tiktok-shop-gateway.redis-seller';

/*
 * Layout under `<prefix>tokens:`:
 *   epoch          random id written when the data set starts; gone = Redis lost its data
 *   sellers        set of open_ids
 *   seller:<id>    hash: version, updatedAt, shops (JSON shop ids), data (AES-256-GCM envelope of
 *                  the whole SellerRecord, bound to `<open_id>:<version>`)
 *   shop:<id>      sorted set: open_ids claiming the shop, scored by their record's updatedAt
 * Scripts name the shop and seller keys they build from ARGV, so this layout needs a standalone
 * (or Sentinel) Redis, not Redis Cluster.
 */

/** Writes one seller record and moves it in the shop index. */
const WRITE_SELLER = `
local function writeSeller(sellersKey, sellerPrefix, shopPrefix, openId, version, updatedAt, shops, data)
  local key = sellerPrefix .. openId
  local old = redis.call('HGET', key, 'shops')
  if old then
    for _, shopId in ipairs(cjson.decode(old)) do redis.call('ZREM', shopPrefix .. shopId, openId) end
  end
  for _, shopId in ipairs(cjson.decode(shops)) do
    redis.call('ZADD', shopPrefix .. shopId, updatedAt, openId)
  end
  redis.call('HSET', key, 'version', version, 'updatedAt', updatedAt, 'shops', shops, 'data', data)
  redis.call('SADD', sellersKey, openId)
end
`;

/** KEYS epoch, seller. Returns {epoch, version, data} ('' for missing). */
const READ_SELLER = defineScript(`
local epoch = redis.call('GET', KEYS[1]) or ''
local fields = redis.call('HMGET', KEYS[2], 'version', 'data')
return {epoch, fields[1] or '', fields[2] or ''}
`);

/** KEYS epoch, shop index; ARGV seller key prefix. Returns {epoch, openId, version, data}. */
const FIND_BY_SHOP = defineScript(`
local epoch = redis.call('GET', KEYS[1]) or ''
local owners = redis.call('ZREVRANGE', KEYS[2], 0, 0)
if #owners == 0 then return {epoch, '', '', ''} end
local fields = redis.call('HMGET', ARGV[1] .. owners[1], 'version', 'data')
return {epoch, owners[1], fields[1] or '', fields[2] or ''}
`);

/** KEYS epoch, sellers; ARGV seller key prefix. Returns {epoch, id, version, data, id, …}. */
const LOAD_ALL = defineScript(`
local result = {redis.call('GET', KEYS[1]) or ''}
for _, openId in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local fields = redis.call('HMGET', ARGV[1] .. openId, 'version', 'data')
  if fields[1] then
    table.insert(result, openId)
    table.insert(result, fields[1])
    table.insert(result, fields[2] or '')
  end
end
return result
`);

/**
 * Compare-and-set write. KEYS epoch, sellers, seller; ARGV known epoch, expected version,
 * open_id, new version, updatedAt, shops JSON, data, seller prefix, shop prefix.
 * Returns {'ok'} | {'conflict', stored version} | {'epoch', stored epoch}.
 */
const CAS_WRITE = defineScript(`${WRITE_SELLER}
local epoch = redis.call('GET', KEYS[1]) or ''
if epoch ~= ARGV[1] then return {'epoch', epoch} end
local current = tonumber(redis.call('HGET', KEYS[3], 'version') or '0')
if current ~= tonumber(ARGV[2]) then return {'conflict', tostring(current)} end
writeSeller(KEYS[2], ARGV[8], ARGV[9], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
return {'ok', ARGV[4]}
`);

/**
 * KEYS epoch, sellers, seller; ARGV known epoch, expected version ('' = any), open_id, shop
 * prefix. Returns {'ok'} | {'absent'} | {'conflict', version} | {'epoch', epoch}.
 */
const CAS_DELETE = defineScript(`
local epoch = redis.call('GET', KEYS[1]) or ''
if epoch ~= ARGV[1] then return {'epoch', epoch} end
local current = tonumber(redis.call('HGET', KEYS[3], 'version') or '0')
if ARGV[2] ~= '' and current ~= tonumber(ARGV[2]) then return {'conflict', tostring(current)} end
if current == 0 then return {'absent', '0'} end
local shops = redis.call('HGET', KEYS[3], 'shops')
if shops then
  for _, shopId in ipairs(cjson.decode(shops)) do redis.call('ZREM', ARGV[4] .. shopId, ARGV[3]) end
end
redis.call('DEL', KEYS[3])
redis.call('SREM', KEYS[2], ARGV[3])
return {'ok', '0'}
`);

/**
 * Writes back records this replica holds, each only where Redis has an older version or none
 * (the highest version is the newest: every write goes through CAS_WRITE), and starts the epoch
 * if it is gone. KEYS epoch, sellers; ARGV new epoch, seller prefix, shop prefix, then groups of
 * open_id, version, updatedAt, shops, data. Returns {epoch, open_ids written…}.
 */
const RESTORE = defineScript(`${WRITE_SELLER}
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
end
local result = {epoch}
for i = 4, #ARGV, 5 do
  local current = tonumber(redis.call('HGET', ARGV[2] .. ARGV[i], 'version') or '0')
  if current < tonumber(ARGV[i + 1]) then
    writeSeller(KEYS[2], ARGV[2], ARGV[3], ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4])
    table.insert(result, ARGV[i])
  end
end
return result
`);

export interface RedisTokenStoreOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix); this store uses `<prefix>tokens:*`. */
  keyPrefix: string;
  /** 32-byte AES key (TOKEN_ENCRYPTION_KEY); every replica needs the same one. */
  encryptionKey: Uint8Array;
  /** Clock for `updatedAt`, ms since the epoch. Default Date.now. */
  now?: () => number;
  logger?: RedisLogger;
}

export interface RedisTokenStore extends TokenStore {
  /** false while Redis does not answer: reads come from this replica's last-known records. */
  readonly isAvailable: boolean;
  /** Writes taken while Redis was down, waiting to be written back. */
  readonly pendingWrites: number;
  /**
   * Writes back pending records and, when Redis lost its data, every record this replica knows.
   * Runs by itself when the connection is ready again and before any call while writes pend.
   */
  sync(): Promise<void>;
  /** Stops listening to the connection (does not close it). */
  close(): void;
}

interface Known {
  record: SellerRecord;
  /** The envelope as stored (or to be stored) in Redis. */
  data: string;
  /** Saved while Redis was down; not in Redis yet. */
  isPending: boolean;
}

type CasReply = { outcome: 'ok' } | { outcome: 'conflict'; version: number } | { outcome: 'epoch' };

function copy<T>(value: T): T {
  return structuredClone(value);
}

function isSellerRecord(value: unknown): value is SellerRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SellerRecord>;
  return (
    typeof record.openId === 'string' &&
    typeof record.version === 'number' &&
    typeof record.tokens === 'object' &&
    record.tokens !== null &&
    Array.isArray(record.shops)
  );
}

/**
 * A TokenStore in Redis with the file store's guarantees: records AES-256-GCM encrypted with
 * TOKEN_ENCRYPTION_KEY, every write compare-and-set on the seller's version (a stale writer gets
 * TokenStoreConflictError), copies returned.
 *
 * When Redis is down (documented in docs/scale-out.md):
 * - reads answer from the records this replica last read or wrote, and fail with
 *   TokenStoreUnavailableError for sellers it never saw;
 * - saves are kept in memory, served to reads, and written back when Redis answers again
 *   (unless Redis meanwhile holds a newer version); deletes fail;
 * - a Redis that comes back empty (restart without persistence) is detected by its missing
 *   epoch key and re-seeded from those records; the highest version wins between replicas.
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const { redis } = options;
  const base = `${options.keyPrefix}tokens:`;
  const epochKey = `${base}epoch`;
  const sellersKey = `${base}sellers`;
  const sellerPrefix = `${base}seller:`;
  const shopPrefix = `${base}shop:`;
  const cipher = createTokenCipher(options.encryptionKey, FORMAT);
  const now = options.now ?? Date.now;
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

  const context = (openId: string, version: number) => `${openId}:${version}`;

  function encode(record: SellerRecord): string {
    return cipher.encrypt(JSON.stringify(record), context(record.openId, record.version));
  }

  function decode(openId: string, version: string, data: string): SellerRecord {
    const cached = known.get(openId);
    if (cached && cached.data === data) return cached.record;
    // A save made while Redis was down and not yet written back is newer than what Redis has.
    if (cached?.isPending && cached.record.version >= Number(version)) return cached.record;
    const decrypted = cipher.decrypt(data, context(openId, Number(version)));
    if (!decrypted.ok) {
      throw new RedisTokenStoreCorruptError(
        openId,
        decrypted.reason,
        decrypted.cause === undefined ? undefined : { cause: decrypted.cause },
      );
    }
    let record: unknown;
    try {
      record = JSON.parse(decrypted.plain);
    } catch (error) {
      throw new RedisTokenStoreCorruptError(openId, 'altered', { cause: error });
    }
    if (!isSellerRecord(record) || record.openId !== openId) {
      throw new RedisTokenStoreCorruptError(openId, 'altered');
    }
    known.set(openId, { record, data, isPending: false });
    return record;
  }

  /** What Redis said about one seller: forget a seller that is gone, unless a save pends. */
  function settle(openId: string, version: string, data: string): SellerRecord | null {
    if (version === '') {
      if (!known.get(openId)?.isPending) known.delete(openId);
      return null;
    }
    return decode(openId, version, data);
  }

  function restoreArgs(entries: Known[]): Array<string | number> {
    return entries.flatMap(({ record, data }) => [
      record.openId,
      record.version,
      record.updatedAt,
      JSON.stringify(record.shops.map((shop) => shop.id)),
      data,
    ]);
  }

  async function restore(entries: Known[]): Promise<{ epoch: string; written: Set<string> }> {
    const [epoch = '', ...written] = (await RESTORE.run(
      redis,
      [epochKey, sellersKey],
      [randomUUID(), sellerPrefix, shopPrefix, ...restoreArgs(entries)],
    )) as string[];
    markUp();
    return { epoch, written: new Set(written) };
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
    let { epoch, written } = await restore(pending);
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
      ({ epoch, written } = await restore([...known.values()]));
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
  async function read<T>(
    operation: string,
    fromRedis: () => Promise<{ epoch: string; answer: () => T }>,
    fromMemory: () => T,
  ): Promise<T> {
    let reply: { epoch: string; answer: () => T };
    // Only Redis calls in here: whatever else throws (a record that does not decrypt) must not
    // pass for an outage.
    try {
      if (syncing) await syncing;
      if (pendingCount() > 0) await sync();
      reply = await fromRedis();
      // A second epoch change in a row would be a Redis flushed again meanwhile; answer anyway.
      if (await isEpochChanged(reply.epoch)) reply = await fromRedis();
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      markDown(operation, error);
      return fromMemory();
    }
    markUp();
    return reply.answer();
  }

  const memorySellers = () => [...known.values()].map((entry) => entry.record);

  async function getSeller(openId: string): Promise<SellerRecord | null> {
    return read(
      'getSeller',
      async () => {
        const [epoch = '', version = '', data = ''] = (await READ_SELLER.run(
          redis,
          [epochKey, `${sellerPrefix}${openId}`],
          [],
        )) as string[];
        return { epoch, answer: () => settle(openId, version, data) };
      },
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
    ).then((record) => (record ? copy(record) : null));
  }

  /**
   * One compare-and-set write of `next` over the stored version `expectedVersion`. While Redis is
   * down the record is kept as pending instead.
   */
  async function casWrite(next: SellerRecord, expectedVersion: number): Promise<CasReply> {
    const data = encode(next);
    let reply: string[];
    try {
      reply = (await CAS_WRITE.run(
        redis,
        [epochKey, sellersKey, `${sellerPrefix}${next.openId}`],
        [
          knownEpoch ?? '',
          expectedVersion,
          next.openId,
          next.version,
          next.updatedAt,
          JSON.stringify(next.shops.map((shop) => shop.id)),
          data,
          sellerPrefix,
          shopPrefix,
        ],
      )) as string[];
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      markDown('save', error);
      known.set(next.openId, { record: next, data, isPending: true });
      logger.warn(
        { openId: next.openId, version: next.version },
        'Seller saved in memory only; it is written to Redis when Redis answers again',
      );
      return { outcome: 'ok' };
    }
    markUp();
    const [outcome, value] = reply;
    if (outcome === 'ok') {
      known.set(next.openId, { record: next, data, isPending: false });
      return { outcome: 'ok' };
    }
    if (outcome === 'conflict') return { outcome: 'conflict', version: Number(value) };
    return { outcome: 'epoch' };
  }

  /**
   * Read, transform, compare-and-set, repeated while other writers get in between. `change`
   * sees the stored record (null when none) and throws to refuse.
   */
  async function write(
    openId: string,
    change: (current: SellerRecord | null) => SellerRecord,
  ): Promise<SellerRecord> {
    for (;;) {
      const current = await getSeller(openId);
      const next = change(current);
      const reply = await casWrite(next, current?.version ?? 0);
      if (reply.outcome === 'ok') return copy(next);
      if (reply.outcome === 'epoch') await resyncOrMarkDown('save');
    }
  }

  /** After an epoch change; if Redis fails meanwhile, the next attempt takes the outage path. */
  async function resyncOrMarkDown(operation: string): Promise<void> {
    try {
      await resync();
    } catch (error) {
      if (!isRedisUnavailable(error)) throw error;
      markDown(operation, error);
    }
  }

  function checkVersion(openId: string, current: SellerRecord | null, expected?: number): void {
    if (expected === undefined) return;
    if ((current?.version ?? 0) !== expected) {
      throw new TokenStoreConflictError(openId, expected, current ? current.version : null);
    }
  }

  const onReady = () => {
    // Pending saves go back at once; a lost data set is noticed here too, not only on a read.
    if (pendingCount() > 0 || knownEpoch !== undefined) {
      sync().catch((error: unknown) => {
        logger.warn({ error: describeError(error) }, 'Writing back to Redis failed; will retry');
      });
    }
  };
  redis.on('ready', onReady);

  return {
    get isAvailable() {
      return isAvailable;
    },
    get pendingWrites() {
      return pendingCount();
    },
    sync,
    close() {
      redis.off('ready', onReady);
      const unsaved = pendingCount();
      if (unsaved > 0) {
        logger.error(
          { sellers: unsaved },
          'Token store closed with saves Redis never received; those sellers may need to re-authorise',
        );
      }
    },

    async load(): Promise<StoredState> {
      const sellers = await read(
        'load',
        async () => {
          const [epoch = '', ...rows] = (await LOAD_ALL.run(
            redis,
            [epochKey, sellersKey],
            [sellerPrefix],
          )) as string[];
          return {
            epoch,
            answer: () => {
              const listed = new Set(rows.filter((_, index) => index % 3 === 0));
              for (const [openId, entry] of known) {
                if (!listed.has(openId) && !entry.isPending) known.delete(openId);
              }
              const records: SellerRecord[] = [];
              for (let index = 0; index + 2 < rows.length; index += 3) {
                const record = settle(
                  rows[index] as string,
                  rows[index + 1] as string,
                  rows[index + 2] as string,
                );
                if (record) records.push(record);
              }
              return records;
            },
          };
        },
        () => {
          if (known.size === 0) {
            throw new TokenStoreUnavailableError('load', 'this replica has no seller records');
          }
          return memorySellers();
        },
      );
      return { sellers: copy(sellers) };
    },

    getSeller,

    async findSellerByShop(shopId) {
      const record = await read(
        'findSellerByShop',
        async () => {
          const [epoch = '', openId = '', version = '', data = ''] = (await FIND_BY_SHOP.run(
            redis,
            [epochKey, `${shopPrefix}${shopId}`],
            [sellerPrefix],
          )) as string[];
          return { epoch, answer: () => (openId ? settle(openId, version, data) : null) };
        },
        () => {
          const owners = memorySellers()
            .filter((seller) => seller.shops.some((shop) => shop.id === shopId))
            .sort((a, b) => b.updatedAt - a.updatedAt);
          if (owners[0]) return owners[0];
          throw new TokenStoreUnavailableError(
            'findSellerByShop',
            `this replica knows no seller of shop ${shopId}`,
          );
        },
      );
      return record ? copy(record) : null;
    },

    saveSeller(input: SellerInput, saveOptions?: { expectedVersion?: number }) {
      return write(input.openId, (current) => {
        checkVersion(input.openId, current, saveOptions?.expectedVersion);
        return {
          ...copy(input),
          version: (current?.version ?? 0) + 1,
          updatedAt: now(),
        };
      });
    },

    saveTokens(openId, tokens, saveOptions: SaveTokensOptions) {
      return write(openId, (current) => {
        checkVersion(openId, current, saveOptions.expectedVersion);
        if (!current) throw new TokenStoreConflictError(openId, saveOptions.expectedVersion, null);
        const profile = saveOptions.profile ?? {};
        return {
          ...current,
          ...Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)),
          tokens: copy(tokens),
          version: current.version + 1,
          updatedAt: now(),
        };
      });
    },

    async deleteSeller(openId, deleteOptions) {
      for (;;) {
        let reply: string[];
        try {
          reply = (await CAS_DELETE.run(
            redis,
            [epochKey, sellersKey, `${sellerPrefix}${openId}`],
            [knownEpoch ?? '', deleteOptions?.expectedVersion ?? '', openId, shopPrefix],
          )) as string[];
        } catch (error) {
          if (!isRedisUnavailable(error)) throw error;
          markDown('deleteSeller', error);
          throw new TokenStoreUnavailableError(
            'deleteSeller',
            `seller ${openId} cannot be deleted now`,
            { cause: error },
          );
        }
        markUp();
        const [outcome, value] = reply;
        if (outcome === 'epoch') {
          await resyncOrMarkDown('deleteSeller');
          continue;
        }
        if (outcome === 'conflict') {
          throw new TokenStoreConflictError(
            openId,
            deleteOptions?.expectedVersion ?? 0,
            Number(value) === 0 ? null : Number(value),
          );
        }
        known.delete(openId);
        return outcome === 'ok';
      }
    },
  };
}

/**
 * Copies into `target` every seller of `source` that `target` lacks, e.g. the file store into
 * Redis on the first start of a scaled-out gateway. Returns the open_ids copied.
 */
export async function importSellers(source: TokenStore, target: TokenStore): Promise<string[]> {
  const copied: string[] = [];
  for (const seller of (await source.load()).sellers) {
    const { version: _version, updatedAt: _updatedAt, ...input } = seller;
    try {
      await target.saveSeller(input, { expectedVersion: 0 });
      copied.push(seller.openId);
    } catch (error) {
      if (!(error instanceof TokenStoreConflictError)) throw error;
    }
  }
  return copied;
}
