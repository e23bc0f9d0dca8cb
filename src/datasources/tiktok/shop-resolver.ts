// Picks the shop a shop-scoped call is for, among the shops the caller may use: the one asked for,
// the configured default, or the caller's only shop. Failing is an ordinary answer here, so it
// returns a reason instead of throwing.
import type { AuthorizedShop } from './types.js';

/** The shop ids a caller may use; `*` for every authorised shop (a Caller's `shops`). */
export type AllowedShops = '*' | ReadonlySet<string>;

export type ShopSelection =
  | { ok: true; shop: AuthorizedShop }
  /** `shopId` is outside the caller's shops: decided before the shops are read. */
  | { ok: false; reason: 'forbidden'; shopId: string }
  | {
      ok: false;
      reason: 'unknown-shop' | 'ambiguous' | 'no-shops' | 'unknown-default';
      message: string;
    };

export function isShopAllowed(allowed: AllowedShops, shopId: string): boolean {
  return allowed === '*' || allowed.has(shopId);
}

export interface ShopSelectionInput {
  /** Every authorised shop; read only when the answer depends on it. */
  shops: () => Promise<AuthorizedShop[]>;
  /** The `shopId` argument, if the client gave one. */
  requestedShopId: string | undefined;
  /** `config.defaultShopId` (TIKTOK_SHOP_SHOP_ID), if set. */
  defaultShopId: string | undefined;
  /** The caller's shops (issue 10); the other shops are neither chosen nor named. */
  allowed: AllowedShops;
}

export async function selectShop(input: ShopSelectionInput): Promise<ShopSelection> {
  const { requestedShopId, defaultShopId, allowed } = input;
  if (requestedShopId !== undefined && !isShopAllowed(allowed, requestedShopId)) {
    return { ok: false, reason: 'forbidden', shopId: requestedShopId };
  }
  const shops = (await input.shops()).filter((shop) => isShopAllowed(allowed, shop.id));
  const known = shops.map((shop) => shop.id).join(', ');
  const named = (shopId: string, failure: Extract<ShopSelection, { message: string }>) => {
    const shop = shops.find((candidate) => candidate.id === shopId);
    return shop ? ({ ok: true, shop } as const) : failure;
  };
  if (requestedShopId !== undefined) {
    return named(requestedShopId, {
      ok: false,
      reason: 'unknown-shop',
      message: `Shop ${requestedShopId} is not authorised for this app; authorised shops: ${known || 'none'}.`,
    });
  }
  // A default outside the caller's shops is not its default: it falls through to its only shop.
  if (defaultShopId !== undefined && isShopAllowed(allowed, defaultShopId)) {
    return named(defaultShopId, {
      ok: false,
      reason: 'unknown-default',
      message: `The default shop ${defaultShopId} (TIKTOK_SHOP_SHOP_ID) is not authorised; pass shopId, one of: ${known || 'none'}.`,
    });
  }
  const [only, ...others] = shops;
  if (!only) {
    return {
      ok: false,
      reason: 'no-shops',
      message:
        allowed === '*'
          ? 'The seller has authorised no shops for this app.'
          : 'None of the shops this caller may use is authorised for this app.',
    };
  }
  if (others.length > 0) {
    return {
      ok: false,
      reason: 'ambiguous',
      message: `Several shops are authorised; pass shopId, one of: ${known}.`,
    };
  }
  return { ok: true, shop: only };
}
