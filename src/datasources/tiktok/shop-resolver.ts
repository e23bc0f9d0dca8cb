// Picks the shop a shop-scoped call is for: the one asked for, the configured default, or the only
// authorised shop. Failing is an ordinary answer here, so it returns a reason instead of throwing.
import type { AuthorizedShop } from './types.js';

export type ShopSelection =
  | { ok: true; shop: AuthorizedShop }
  | {
      ok: false;
      reason: 'unknown-shop' | 'ambiguous' | 'no-shops' | 'unknown-default';
      message: string;
    };

/**
 * @param requestedShopId the `shopId` argument, if the client gave one
 * @param defaultShopId `config.defaultShopId` (TIKTOK_SHOP_SHOP_ID), if set
 */
export function selectShop(
  shops: AuthorizedShop[],
  requestedShopId: string | undefined,
  defaultShopId: string | undefined,
): ShopSelection {
  const known = shops.map((shop) => shop.id).join(', ');
  const named = (shopId: string, failure: Extract<ShopSelection, { ok: false }>): ShopSelection => {
    const shop = shops.find((candidate) => candidate.id === shopId);
    return shop ? { ok: true, shop } : failure;
  };
  if (requestedShopId !== undefined) {
    return named(requestedShopId, {
      ok: false,
      reason: 'unknown-shop',
      message: `Shop ${requestedShopId} is not authorised for this app; authorised shops: ${known || 'none'}.`,
    });
  }
  if (defaultShopId !== undefined) {
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
      message: 'The seller has authorised no shops for this app.',
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
