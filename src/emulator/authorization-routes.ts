// Seller-level routes (§3): authorized shops, active shops and seller permissions; no shop_cipher.
import type { RouteDefinition, StoreDirectory, StoreShop } from './route-types.js';
import { SCOPES } from './scopes.js';

export function createAuthorizationRoutes(directory: StoreDirectory): RouteDefinition[] {
  const shopsOf = (shopIds: string[]): StoreShop[] =>
    directory.shops.filter((shop) => shopIds.includes(shop.id));

  return [
    {
      method: 'GET',
      pattern: '/authorization/202309/shops',
      endpoint: 'authorization.shops',
      isShopScoped: false,
      scope: SCOPES.authorization,
      handle: ({ seller }) => ({
        data: {
          shops: shopsOf(seller.shopIds).map((shop) => ({
            id: shop.id,
            name: shop.name,
            region: shop.region,
            seller_type: shop.sellerType,
            cipher: shop.cipher,
            code: shop.code,
          })),
        },
      }),
    },
    {
      method: 'GET',
      pattern: '/seller/202309/shops',
      endpoint: 'seller.shops',
      isShopScoped: false,
      scope: SCOPES.shopInfo,
      handle: ({ seller }) => ({
        data: {
          shops: shopsOf(seller.shopIds).map((shop) => ({ id: shop.id, region: shop.region })),
        },
      }),
    },
    {
      method: 'GET',
      pattern: '/seller/202309/permissions',
      endpoint: 'seller.permissions',
      isShopScoped: false,
      scope: SCOPES.shopInfo,
      // §3 shows MANAGE_GLOBAL_PRODUCT; we grant it to sellers with a cross-border shop (our rule).
      handle: ({ seller }) => ({
        data: {
          permissions: shopsOf(seller.shopIds).some((shop) => shop.sellerType === 'CROSS_BORDER')
            ? ['MANAGE_GLOBAL_PRODUCT']
            : [],
        },
      }),
    },
  ];
}
