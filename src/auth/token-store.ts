// Where seller tokens live: the TokenStore contract and its record shapes, the state transitions
// written once over a thin backend (memory, file, Redis), seeding and importing, and the
// in-memory store for tests and single-run tools.
import type { AuthorizedShop } from '../datasources/tiktok/types.js';
import { TokenStoreConflictError } from './errors.js';

/** Store key of the seller seeded from TIKTOK_SHOP_ACCESS_TOKEN / _REFRESH_TOKEN (open_id unknown). */
export const ENVIRONMENT_SELLER_ID = 'environment';

/** A shop the seller authorised, as Get Authorized Shops returned it (cipher included). */
export type StoredShop = AuthorizedShop;

export interface SellerTokens {
  accessToken: string;
  /** Unix seconds; null when unknown (seeded from TIKTOK_SHOP_ACCESS_TOKEN). */
  accessTokenExpiresAt: number | null;
  /** null when only an access token was seeded: it cannot be renewed. */
  refreshToken: string | null;
  /** Unix seconds; null when unknown. */
  refreshTokenExpiresAt: number | null;
}

/** What TikTok says about the seller in a token answer (§2.4). */
export interface SellerProfile {
  name: string;
  baseRegion: string;
  /** 0 seller, 1 creator, 3 partner; null until TikTok has said. */
  userType: number | null;
  /** TikTok scope keys granted to the app, e.g. `seller.order.info`. */
  grantedScopes: string[];
}

/**
 * What TikTok's webhooks said about a seller's authorisation (issue 13, §8 types 6 and 7). A new
 * authorisation writes the seller afresh (exchangeCode), which clears it.
 */
export interface AuthorizationNotice {
  /** SELLER_DEAUTHORIZATION received, ms since the epoch: its shops answer UNAUTHENTICATED. */
  deauthorizedAt?: number;
  /** UPCOMING_AUTHORIZATION_EXPIRATION's `expiration_time`, Unix seconds. */
  expiresAt?: number;
}

export interface SellerRecord extends SellerProfile {
  /** TikTok's open_id; `environment` for the seller seeded from TIKTOK_SHOP_* tokens. */
  openId: string;
  /** `oauth`: from a code exchange; `environment`: seeded from env vars, shops not yet known. */
  source: 'oauth' | 'environment';
  tokens: SellerTokens;
  shops: StoredShop[];
  /** Set by the webhooks; absent until one came. */
  authorization?: AuthorizationNotice;
  /** Starts at 1 and grows by one on every write; the compare-and-set key. */
  version: number;
  /** Time of the last write, ms since the epoch. */
  updatedAt: number;
}

/** A whole seller as written by saveSeller; the store assigns version and updatedAt. */
export type SellerInput = Omit<SellerRecord, 'version' | 'updatedAt'>;

export interface StoredState {
  sellers: SellerRecord[];
}

export interface SaveTokensOptions {
  /** The version the tokens were refreshed from; a different stored version is a conflict. */
  expectedVersion: number;
  /** Profile fields learnt from the same token answer. */
  profile?: Partial<SellerProfile>;
}

/**
 * Seller tokens and shops. Every write bumps the record's `version`; writes that pass an
 * `expectedVersion` are compare-and-set and throw TokenStoreConflictError when another writer
 * got there first, so a stale refresh can never overwrite newer tokens. Records returned are
 * copies. Built by createTokenStore on a TokenStoreBackend.
 */
export interface TokenStore {
  /** Every seller. */
  load(): Promise<StoredState>;
  getSeller(openId: string): Promise<SellerRecord | null>;
  /** The seller that authorised `shopId` (the most recently written one, should two claim it). */
  findSellerByShop(shopId: string): Promise<SellerRecord | null>;
  /**
   * Creates or replaces a seller. With `expectedVersion`, the stored version must match
   * (0 = must not exist yet).
   */
  saveSeller(input: SellerInput, options?: { expectedVersion?: number }): Promise<SellerRecord>;
  /** Replaces the tokens of an existing seller, compare-and-set on `expectedVersion`. */
  saveTokens(
    openId: string,
    tokens: SellerTokens,
    options: SaveTokensOptions,
  ): Promise<SellerRecord>;
  /**
   * Adds `notice` to the seller's authorisation notice; null when there is no such seller. Not a
   * new authorisation: `updatedAt`, which decides who serves a shop two sellers claim, stays.
   */
  noteAuthorization(openId: string, notice: AuthorizationNotice): Promise<SellerRecord | null>;
  /** Removes a seller; false when there was none. */
  deleteSeller(openId: string, options?: { expectedVersion?: number }): Promise<boolean>;
}

/**
 * The storage under a TokenStore: records by open_id and a compare-and-set write. createTokenStore
 * runs every transition (versions, conflicts, copies) above it, so a backend only keeps records.
 * Records passed in are the backend's to keep; records it returns are never modified.
 */
export interface TokenStoreBackend {
  /** Every seller record. */
  list(): Promise<SellerRecord[]>;
  get(openId: string): Promise<SellerRecord | null>;
  /** The claimant of `shopId` written last (see newestOwner). */
  findByShop(shopId: string): Promise<SellerRecord | null>;
  /**
   * Stores `record` if its seller's stored version is still `expectedVersion` (0: none stored).
   * false when another writer got there first: the store reads again and retries.
   */
  write(record: SellerRecord, expectedVersion: number): Promise<boolean>;
  /** Deletes the seller if its stored version is `expectedVersion` (undefined: whatever it is). */
  remove(openId: string, expectedVersion: number | undefined): Promise<RemoveOutcome>;
}

/** `storedVersion`: the version that stood in the way of the expected one (0: no record). */
export type RemoveOutcome = 'deleted' | 'absent' | { storedVersion: number };

function copy<T>(value: T): T {
  return structuredClone(value);
}

function checkVersion(openId: string, current: SellerRecord | null, expected?: number): void {
  if (expected === undefined) return;
  if ((current?.version ?? 0) !== expected) {
    throw new TokenStoreConflictError(openId, expected, current ? current.version : null);
  }
}

/** The seller written as a whole by saveSeller. */
function savedSeller(
  input: SellerInput,
  current: SellerRecord | null,
  options: { expectedVersion?: number } | undefined,
  nowMs: number,
): SellerRecord {
  checkVersion(input.openId, current, options?.expectedVersion);
  return { ...copy(input), version: (current?.version ?? 0) + 1, updatedAt: nowMs };
}

/** The seller with the tokens (and profile fields) of one token answer. */
function savedTokens(
  openId: string,
  tokens: SellerTokens,
  options: SaveTokensOptions,
  current: SellerRecord | null,
  nowMs: number,
): SellerRecord {
  checkVersion(openId, current, options.expectedVersion);
  if (!current) throw new TokenStoreConflictError(openId, options.expectedVersion, null);
  const profile = options.profile ?? {};
  return {
    ...current,
    ...Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)),
    tokens: copy(tokens),
    version: current.version + 1,
    updatedAt: nowMs,
  };
}

/** The TokenStore contract on a backend: the one place its state transitions are written. */
export function createTokenStore(
  backend: TokenStoreBackend,
  options: {
    /** Clock for `updatedAt`, ms since the epoch. Default Date.now. */
    now?: (() => number) | undefined;
  } = {},
): TokenStore {
  const now = options.now ?? Date.now;

  /** Read, transition, compare-and-set; again while other writers get in between. */
  async function write(
    openId: string,
    next: (current: SellerRecord | null, nowMs: number) => SellerRecord,
  ): Promise<SellerRecord> {
    for (;;) {
      const current = await backend.get(openId);
      const record = next(current, now());
      if (await backend.write(record, current?.version ?? 0)) return copy(record);
    }
  }

  return {
    async load() {
      return { sellers: copy(await backend.list()) };
    },

    async getSeller(openId) {
      const seller = await backend.get(openId);
      return seller ? copy(seller) : null;
    },

    async findSellerByShop(shopId) {
      const owner = await backend.findByShop(shopId);
      return owner ? copy(owner) : null;
    },

    saveSeller(input, saveOptions) {
      return write(input.openId, (current, nowMs) =>
        savedSeller(input, current, saveOptions, nowMs),
      );
    },

    saveTokens(openId, tokens, saveOptions) {
      return write(openId, (current, nowMs) =>
        savedTokens(openId, tokens, saveOptions, current, nowMs),
      );
    },

    async noteAuthorization(openId, notice) {
      for (;;) {
        const current = await backend.get(openId);
        if (!current) return null;
        const authorization = { ...current.authorization, ...copy(notice) };
        const record = { ...current, authorization, version: current.version + 1 };
        if (await backend.write(record, current.version)) return copy(record);
      }
    },

    async deleteSeller(openId, deleteOptions) {
      const expected = deleteOptions?.expectedVersion;
      const outcome = await backend.remove(openId, expected);
      if (typeof outcome === 'object') {
        const { storedVersion } = outcome;
        throw new TokenStoreConflictError(
          openId,
          expected ?? 0,
          storedVersion === 0 ? null : storedVersion,
        );
      }
      return outcome === 'deleted';
    },
  };
}

/** The claimant of `shopId` written last: after a re-authorisation two sellers may claim it. */
export function newestOwner(sellers: SellerRecord[], shopId: string): SellerRecord | null {
  const owners = sellers
    .filter((seller) => seller.shops.some((shop) => shop.id === shopId))
    .sort((a, b) => b.updatedAt - a.updatedAt);
  return owners[0] ?? null;
}

/** Every seller in one document (the memory and the file store): one read, serialised updates. */
export interface SellersDocument {
  read(): Promise<StoredState>;
  /** Runs `change` on the latest state and keeps the state it returns, one change at a time. */
  update<T>(change: (state: StoredState) => { state: StoredState; result: T }): Promise<T>;
}

export const EMPTY_STATE: StoredState = { sellers: [] };

/** A TokenStoreBackend over a SellersDocument; a change that returns the same state writes nothing. */
export function createDocumentBackend(document: SellersDocument): TokenStoreBackend {
  const find = (state: StoredState, openId: string) =>
    state.sellers.find((seller) => seller.openId === openId);
  const without = (state: StoredState, openId: string) =>
    state.sellers.filter((seller) => seller.openId !== openId);
  return {
    list: async () => (await document.read()).sellers,
    get: async (openId) => find(await document.read(), openId) ?? null,
    findByShop: async (shopId) => newestOwner((await document.read()).sellers, shopId),
    write: (record, expectedVersion) =>
      document.update((state) => {
        if ((find(state, record.openId)?.version ?? 0) !== expectedVersion) {
          return { state, result: false };
        }
        return { state: { sellers: [...without(state, record.openId), record] }, result: true };
      }),
    remove: (openId, expectedVersion) =>
      document.update<RemoveOutcome>((state) => {
        const storedVersion = find(state, openId)?.version ?? 0;
        if (expectedVersion !== undefined && storedVersion !== expectedVersion) {
          return { state, result: { storedVersion } };
        }
        if (storedVersion === 0) return { state, result: 'absent' };
        return { state: { sellers: without(state, openId) }, result: 'deleted' };
      }),
  };
}

/**
 * A TokenStore in process memory: nothing survives a restart. For tests and one-shot tools; the
 * gateway uses createFileTokenStore.
 */
export function createMemoryTokenStore(
  options: { initial?: StoredState; now?: () => number } = {},
): TokenStore {
  let state = copy(options.initial ?? EMPTY_STATE);
  const document: SellersDocument = {
    async read() {
      return state;
    },
    async update(change) {
      const next = change(state);
      state = next.state;
      return next.result;
    },
  };
  return createTokenStore(createDocumentBackend(document), { now: options.now });
}

export type SeedResult =
  | { seeded: true; openId: string }
  | { seeded: false; reason: 'no_tokens' | 'store_not_empty' };

/**
 * Seeds the store from TIKTOK_SHOP_ACCESS_TOKEN / TIKTOK_SHOP_REFRESH_TOKEN on first start (no
 * seller stored yet). The expiry is unknown, so the token counts as valid until TikTok answers
 * 105002; a refresh token alone is renewed on first use. The seller is stored as `environment`
 * and serves every shop no other seller claims until an OAuth exchange for the same seller
 * replaces it (exchangeCode).
 */
export async function seedFromEnvironment(
  store: TokenStore,
  config: { accessToken?: string | undefined; refreshToken?: string | undefined },
): Promise<SeedResult> {
  if (!config.accessToken && !config.refreshToken) return { seeded: false, reason: 'no_tokens' };
  const { sellers } = await store.load();
  if (sellers.length > 0) return { seeded: false, reason: 'store_not_empty' };
  try {
    await store.saveSeller(
      {
        openId: ENVIRONMENT_SELLER_ID,
        source: 'environment',
        name: '',
        baseRegion: '',
        userType: null,
        grantedScopes: [],
        tokens: {
          accessToken: config.accessToken ?? '',
          // No access token: an expiry in the past makes the first call renew it.
          accessTokenExpiresAt: config.accessToken ? null : 0,
          refreshToken: config.refreshToken ?? null,
          refreshTokenExpiresAt: null,
        },
        shops: [],
      },
      { expectedVersion: 0 },
    );
  } catch (error) {
    if (error instanceof TokenStoreConflictError) {
      return { seeded: false, reason: 'store_not_empty' };
    }
    throw error;
  }
  return { seeded: true, openId: ENVIRONMENT_SELLER_ID };
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
