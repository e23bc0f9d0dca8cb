// Shops: the shops the seller authorised for this app that the caller may use. The shop cipher
// never leaves the gateway.
import { knownValueOf } from '../datasources/tiktok/enums.js';
import type { AuthorizedShop } from '../datasources/tiktok/types.js';
import { builder } from './builder.js';
import { tiktokEnum } from './tiktok-enum.js';

export const SellerType = tiktokEnum<'shop.seller_type'>('SellerType', {
  description: 'How the seller operates the shop (§3).',
  rawField: 'sellerTypeRaw',
  values: {
    LOCAL: { description: 'A local seller: one shop in its own market.' },
    CROSS_BORDER: { description: 'A cross-border seller: one shop per market.' },
  },
});

/** A shop without its cipher: routing data that stays inside the gateway. */
export type ShopShape = Omit<AuthorizedShop, 'cipher'>;

export const Shop = builder.objectRef<ShopShape>('Shop').implement({
  description: 'A TikTok shop the seller has authorised this app for.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "TikTok's shop id; pass it as `shopId`." }),
    name: t.exposeString('name', { description: 'Shop name.' }),
    region: t.exposeString('region', {
      description: 'Market, as a two-letter region code (e.g. GB).',
    }),
    sellerType: t.field({
      type: SellerType,
      description: 'Local or cross-border seller.',
      // The store keeps TikTok's string (wire.ts reported it if new when it arrived).
      resolve: (shop) => knownValueOf('shop.seller_type', shop.sellerType),
    }),
    sellerTypeRaw: t.exposeString('sellerType', {
      description: "TikTok's seller type exactly as sent: what to read when it is UNKNOWN.",
    }),
    code: t.exposeString('code', { description: 'Shop code shown in Seller Center.' }),
    isDefault: t.boolean({
      description:
        "Whether this caller's shop-scoped fields use this shop when `shopId` is omitted.",
      resolve: async (shop, _args, ctx) => {
        const selection = await ctx.selectShop(undefined);
        return selection.ok && selection.shop.id === shop.id;
      },
    }),
  }),
});

builder.queryField('shops', (t) =>
  t.field({
    type: [Shop],
    nullable: true,
    authScopes: { anyScope: true },
    description:
      'The shops the stored sellers have authorised for this app that this caller may use (its ' +
      "API key's or JWT's shops; from the token store, no upstream call). Open to every caller " +
      'with any scope: shop ids are what `shopId` takes.',
    resolve: (_root, _args, ctx) => ctx.visibleShops(),
  }),
);
