// Whether the gateway has a seller for a webhook's shop (issue 13: others are logged and dropped),
// from the token store's shops kept in memory for a few seconds: a burst of deliveries reads the
// store once, and a shop authorised a moment ago is found by reading it again on a miss.
import type { AuthorizedShop } from '../datasources/tiktok/types.js';

export interface KnownShops {
  has(shopId: string): Promise<boolean>;
}

export interface KnownShopsOptions {
  /** Every authorised shop (SellerAuth.authorizedShops). */
  authorizedShops(): Promise<AuthorizedShop[]>;
  /** How long a read serves, ms. Default 5 000. */
  ttlMs?: number;
  /** A miss reads again when the shops are older than this, ms. Default 1 000. */
  missReloadMs?: number;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

export function createKnownShops(options: KnownShopsOptions): KnownShops {
  const ttlMs = options.ttlMs ?? 5_000;
  const missReloadMs = options.missReloadMs ?? 1_000;
  const now = options.now ?? Date.now;
  let read: { atMs: number; ids: Promise<Set<string>> } | undefined;

  /** The shops, read again when older than `maxAgeMs`; concurrent callers share one read. */
  const shopIds = (maxAgeMs: number) => {
    if (!read || now() - read.atMs > maxAgeMs) {
      const ids = options.authorizedShops().then((shops) => new Set(shops.map((shop) => shop.id)));
      const current = { atMs: now(), ids };
      read = current;
      // A failed read is not kept: the next delivery tries again.
      ids.catch(() => {
        if (read === current) read = undefined;
      });
    }
    return read.ids;
  };

  return {
    async has(shopId) {
      if (shopId === '') return false;
      if ((await shopIds(ttlMs)).has(shopId)) return true;
      return (await shopIds(missReloadMs)).has(shopId);
    },
  };
}
