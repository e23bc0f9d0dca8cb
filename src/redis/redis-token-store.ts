// The TokenStore shared by every replica (issue #6): one encrypted Redis hash per seller, written
// compare-and-set on its version, with a shop index for findSellerByShop. The Redis backend here;
// the transitions are createTokenStore's, the outage behaviour is token-store-outage-cache.ts.
import { randomUUID } from 'node:crypto';
import { createRecordCodec } from '../auth/token-encryption.js';
import { createTokenStore, type SellerRecord, type TokenStore } from '../auth/token-store.js';
import { RedisTokenStoreCorruptError } from './errors.js';
import type { RedisLogger } from './logger.js';
import { defineScript, isRedisUnavailable, type Redis } from './redis-connection.js';
import {
  createTokenStoreOutageCache,
  type RemoteTokenBackend,
  type SealedRecord,
  type TokenStoreOutageCache,
} from './token-store-outage-cache.js';

// Lives in auth/token-store.ts now (it copies between any two stores); re-exported for the
// callers that import it from src/redis today.
export { importSellers } from '../auth/token-store.js';

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

/** The TokenStore plus its outage cache's state and controls. */
export interface RedisTokenStore
  extends TokenStore,
    Pick<TokenStoreOutageCache, 'isAvailable' | 'pendingWrites' | 'sync' | 'close'> {}

function isSellerRecord(value: unknown, openId: string): value is SellerRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SellerRecord>;
  return (
    record.openId === openId &&
    typeof record.version === 'number' &&
    typeof record.tokens === 'object' &&
    record.tokens !== null &&
    Array.isArray(record.shops)
  );
}

const shopIds = (record: SellerRecord) => JSON.stringify(record.shops.map((shop) => shop.id));

/** The Redis side: the layout above, every record sealed with the shared codec. */
function createRedisTokenBackend(options: RedisTokenStoreOptions): RemoteTokenBackend {
  const { redis } = options;
  const base = `${options.keyPrefix}tokens:`;
  const epochKey = `${base}epoch`;
  const sellersKey = `${base}sellers`;
  const sellerPrefix = `${base}seller:`;
  const shopPrefix = `${base}shop:`;
  const codec = createRecordCodec({
    key: options.encryptionKey,
    format: FORMAT,
    isValid: isSellerRecord,
    corruptError: RedisTokenStoreCorruptError,
  });
  // The last record opened per seller, by its envelope: a hot read decrypts only what changed.
  const opened = new Map<string, { data: string; record: SellerRecord }>();

  // The ciphertext is bound to where it lives: a record moved to another seller does not decrypt.
  const context = (openId: string, version: number) => `${openId}:${version}`;

  const seal = (record: SellerRecord) =>
    codec.encode(record, context(record.openId, record.version));

  function sealed(openId: string, version: string, data: string): SealedRecord | null {
    if (version === '') {
      opened.delete(openId);
      return null;
    }
    return {
      openId,
      version: Number(version),
      open() {
        const last = opened.get(openId);
        if (last?.data === data) return last.record;
        const record = codec.decode(data, openId, context(openId, Number(version)));
        opened.set(openId, { data, record });
        return record;
      },
    };
  }

  return {
    async list() {
      const [epoch = '', ...rows] = (await LOAD_ALL.run(
        redis,
        [epochKey, sellersKey],
        [sellerPrefix],
      )) as string[];
      const value: SealedRecord[] = [];
      for (let index = 0; index + 2 < rows.length; index += 3) {
        const row = sealed(
          rows[index] as string,
          rows[index + 1] as string,
          rows[index + 2] as string,
        );
        if (row) value.push(row);
      }
      return { epoch, value };
    },

    async get(openId) {
      const [epoch = '', version = '', data = ''] = (await READ_SELLER.run(
        redis,
        [epochKey, `${sellerPrefix}${openId}`],
        [],
      )) as string[];
      return { epoch, value: sealed(openId, version, data) };
    },

    async findByShop(shopId) {
      const [epoch = '', openId = '', version = '', data = ''] = (await FIND_BY_SHOP.run(
        redis,
        [epochKey, `${shopPrefix}${shopId}`],
        [sellerPrefix],
      )) as string[];
      return { epoch, value: openId ? sealed(openId, version, data) : null };
    },

    async write(record, expectedVersion, epoch) {
      const [outcome] = (await CAS_WRITE.run(
        redis,
        [epochKey, sellersKey, `${sellerPrefix}${record.openId}`],
        [
          epoch,
          expectedVersion,
          record.openId,
          record.version,
          record.updatedAt,
          shopIds(record),
          seal(record),
          sellerPrefix,
          shopPrefix,
        ],
      )) as string[];
      return outcome === 'ok' || outcome === 'conflict' ? outcome : 'epoch';
    },

    async remove(openId, expectedVersion, epoch) {
      const [outcome, value] = (await CAS_DELETE.run(
        redis,
        [epochKey, sellersKey, `${sellerPrefix}${openId}`],
        [epoch, expectedVersion ?? '', openId, shopPrefix],
      )) as string[];
      if (outcome === 'epoch') return 'epoch';
      if (outcome === 'conflict') return { storedVersion: Number(value) };
      opened.delete(openId);
      return outcome === 'ok' ? 'deleted' : 'absent';
    },

    async restore(records) {
      const [epoch = '', ...written] = (await RESTORE.run(
        redis,
        [epochKey, sellersKey],
        [
          randomUUID(),
          sellerPrefix,
          shopPrefix,
          ...records.flatMap((record) => [
            record.openId,
            record.version,
            record.updatedAt,
            shopIds(record),
            seal(record),
          ]),
        ],
      )) as string[];
      return { epoch, written: new Set(written) };
    },

    isUnavailable: isRedisUnavailable,

    onReconnect(listener) {
      redis.on('ready', listener);
      return () => {
        redis.off('ready', listener);
      };
    },
  };
}

/**
 * A TokenStore in Redis with the file store's guarantees: records AES-256-GCM encrypted with
 * TOKEN_ENCRYPTION_KEY, every write compare-and-set on the seller's version (a stale writer gets
 * TokenStoreConflictError), copies returned. While Redis is down it behaves as the outage cache
 * describes (documented in docs/scale-out.md).
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  const cache = createTokenStoreOutageCache(createRedisTokenBackend(options), {
    logger: options.logger,
  });
  const store = createTokenStore(cache, { now: options.now });
  return {
    ...store,
    get isAvailable() {
      return cache.isAvailable;
    },
    get pendingWrites() {
      return cache.pendingWrites;
    },
    sync: () => cache.sync(),
    close: () => cache.close(),
  };
}
