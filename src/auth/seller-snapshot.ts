// The stored sellers kept in memory (issue 14): a request lists its shops from here, not from the
// token store. The snapshot is dropped on this process's own writes (trackSellerWrites), on other
// replicas' writes (a `seller` notice on the Redis bus, see app.ts) and, as a safety net for
// writers that tell nobody (the OAuth CLI on the token file), re-read once it is `maxAgeMs` old.
import type { SellerRecord, TokenStore } from './token-store.js';

export interface SellerSnapshot {
  /** Every stored seller; shared between requests, so never modified by the caller. */
  sellers(): Promise<readonly SellerRecord[]>;
  /** Forgets the snapshot: the next `sellers()` reads the store. */
  invalidate(): void;
}

export interface SellerSnapshotOptions {
  store: Pick<TokenStore, 'load'>;
  /** Re-read after this long even without a notice, ms; 0 reads the store on every call. */
  maxAgeMs: number;
  /** Monotonic clock, ms. Default performance.now (a test clock that jumps must not age it). */
  now?: () => number;
}

export function createSellerSnapshot(options: SellerSnapshotOptions): SellerSnapshot {
  const { store, maxAgeMs } = options;
  const now = options.now ?? (() => performance.now());
  let current: { sellers: Promise<readonly SellerRecord[]>; readAt: number } | undefined;

  return {
    sellers() {
      if (current && (maxAgeMs === 0 || now() - current.readAt >= maxAgeMs)) current = undefined;
      if (!current) {
        const read = store
          .load()
          .then((state) => Object.freeze(state.sellers) as readonly SellerRecord[]);
        const entry = { sellers: read, readAt: now() };
        current = entry;
        // A failed read is not kept: the next call tries again. (A read a write overtook is not
        // kept either: invalidate() has already let go of it.)
        read.catch(() => {
          if (current === entry) current = undefined;
        });
      }
      return current.sellers;
    },
    invalidate() {
      current = undefined;
    },
  };
}

/**
 * `store` with `onWrite` called after every write that may have changed a seller or its shops
 * (grant, refresh, deauthorisation notice, removal), also when it failed: it may have landed.
 */
export function trackSellerWrites(store: TokenStore, onWrite: () => void): TokenStore {
  const after =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      write(...args).finally(onWrite);
  return {
    load: () => store.load(),
    getSeller: (openId) => store.getSeller(openId),
    findSellerByShop: (shopId) => store.findSellerByShop(shopId),
    saveSeller: after(store.saveSeller.bind(store)),
    saveTokens: after(store.saveTokens.bind(store)),
    noteAuthorization: after(store.noteAuthorization.bind(store)),
    deleteSeller: after(store.deleteSeller.bind(store)),
  };
}
