// Scope keys the emulator grants and checks. TikTok's exact scope-to-endpoint mapping is
// unconfirmed (reference §2.4); this mapping is ours, built from the scope names seen in real
// token responses, and is documented in docs/emulator.md.
export const SCOPES = {
  authorization: 'seller.authorization.info',
  shopInfo: 'seller.shop.info',
  productRead: 'seller.product.basic',
  productWrite: 'seller.product.write',
  logistics: 'seller.logistics',
  orderRead: 'seller.order.info',
  analytics: 'data.shop_analytics.public.read',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: Scope[] = Object.values(SCOPES);
