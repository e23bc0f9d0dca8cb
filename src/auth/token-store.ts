// Where seller tokens live: the TokenStore contract (file today, Redis later), the record shapes,
// and an in-memory store for tests and single-run tools.
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

export interface SellerRecord extends SellerProfile {
  /** TikTok's open_id; `environment` for the seller seeded from TIKTOK_SHOP_* tokens. */
  openId: string;
  /** `oauth`: from a code exchange; `environment`: seeded from env vars, shops not yet known. */
  source: 'oauth' | 'environment';
  tokens: SellerTokens;
  shops: StoredShop[];
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
 * copies. A Redis implementation maps a seller to one key (`WATCH`/`MULTI` or a Lua CAS on
 * `version`) plus a shop → open_id hash.
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
  /** Removes a seller; false when there was none. */
  deleteSeller(openId: string, options?: { expectedVersion?: number }): Promise<boolean>;
}

/** A pure state transition plus what the caller gets back. */
export type StateChange<T> = (
  state: StoredState,
  nowMs: number,
) => { state: StoredState; result: T };

/** The storage primitive a state-based store needs: a read and a serialised read-modify-write. */
export interface StateBackend {
  read(): Promise<StoredState>;
  update<T>(change: StateChange<T>): Promise<T>;
}

export const EMPTY_STATE: StoredState = { sellers: [] };

function copy<T>(value: T): T {
  return structuredClone(value);
}

function checkVersion(openId: string, existing: SellerRecord | undefined, expected?: number): void {
  if (expected === undefined) return;
  const actual = existing?.version ?? 0;
  if (actual !== expected) {
    throw new TokenStoreConflictError(openId, expected, existing ? existing.version : null);
  }
}

function replaceSeller(state: StoredState, record: SellerRecord): StoredState {
  const others = state.sellers.filter((seller) => seller.openId !== record.openId);
  return { sellers: [...others, record] };
}

/** Builds a TokenStore on a StateBackend (the file store and the memory store share this). */
export function createStateTokenStore(backend: StateBackend): TokenStore {
  return {
    async load() {
      return copy(await backend.read());
    },

    async getSeller(openId) {
      const state = await backend.read();
      const seller = state.sellers.find((candidate) => candidate.openId === openId);
      return seller ? copy(seller) : null;
    },

    async findSellerByShop(shopId) {
      const state = await backend.read();
      const owners = state.sellers
        .filter((seller) => seller.shops.some((shop) => shop.id === shopId))
        .sort((a, b) => b.updatedAt - a.updatedAt);
      return owners[0] ? copy(owners[0]) : null;
    },

    saveSeller(input, options) {
      return backend.update((state, nowMs) => {
        const existing = state.sellers.find((seller) => seller.openId === input.openId);
        checkVersion(input.openId, existing, options?.expectedVersion);
        const record: SellerRecord = {
          ...copy(input),
          version: (existing?.version ?? 0) + 1,
          updatedAt: nowMs,
        };
        return { state: replaceSeller(state, record), result: copy(record) };
      });
    },

    saveTokens(openId, tokens, options) {
      return backend.update((state, nowMs) => {
        const existing = state.sellers.find((seller) => seller.openId === openId);
        checkVersion(openId, existing, options.expectedVersion);
        if (!existing) throw new TokenStoreConflictError(openId, options.expectedVersion, null);
        const profile = options.profile ?? {};
        const record: SellerRecord = {
          ...existing,
          ...Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)),
          tokens: copy(tokens),
          version: existing.version + 1,
          updatedAt: nowMs,
        };
        return { state: replaceSeller(state, record), result: copy(record) };
      });
    },

    deleteSeller(openId, options) {
      return backend.update((state) => {
        const existing = state.sellers.find((seller) => seller.openId === openId);
        checkVersion(openId, existing, options?.expectedVersion);
        if (!existing) return { state, result: false };
        return {
          state: { sellers: state.sellers.filter((seller) => seller.openId !== openId) },
          result: true,
        };
      });
    },
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
  const now = options.now ?? Date.now;
  return createStateTokenStore({
    async read() {
      return state;
    },
    async update(change) {
      const next = change(state, now());
      state = next.state;
      return next.result;
    },
  });
}
