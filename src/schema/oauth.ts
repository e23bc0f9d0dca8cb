// Seller authorisation (§2): the authorize link, the code exchange for tools that capture the code
// themselves, a forced refresh, and the stored sellers. Token values never appear here. Callers
// limited to some shops (issue 10) see only those shops of a seller, and only sellers with one.
import type { SellerSummary } from '../auth/seller-auth.js';
import { summarizeAuthorization, summarizeSeller } from '../auth/seller-auth.js';
import type { GatewayContext } from '../context.js';
import { isShopAllowed } from '../datasources/tiktok/shop-resolver.js';
import { builder } from './builder.js';
import { resolveShop } from './common.js';
import { Shop } from './shop.js';

/** The seller with only the shops the caller may use. */
const visibleSeller = (ctx: GatewayContext, seller: SellerSummary): SellerSummary => ({
  ...seller,
  shops: seller.shops.filter((shop) => isShopAllowed(ctx.allowedShops, shop.id)),
});

/** The token store keeps expiry times as Unix seconds; null when unknown. */
const expiryOf = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000));

const AuthorizationLink = builder
  .objectRef<{ url: string; state: string; expiresAt: number }>('AuthorizationLink')
  .implement({
    description: 'Where a seller authorises the app, and how long the link is good for.',
    fields: (t) => ({
      url: t.expose('url', {
        type: 'URL',
        description:
          'The authorize page: the `service_id` form when TIKTOK_SHOP_SERVICE_ID is set, the ' +
          '`app_key` form otherwise (§2.1).',
      }),
      state: t.exposeString('state', {
        description:
          'The signed `state` inside the URL (CSRF protection). It expires at `expiresAt` and ' +
          'is accepted once.',
      }),
      expiresAt: t.field({
        type: 'DateTime',
        description: 'When the state stops being accepted.',
        resolve: (link) => new Date(link.expiresAt),
      }),
    }),
  });

const AuthorizedSeller = builder.objectRef<SellerSummary>('AuthorizedSeller').implement({
  description:
    'A seller whose tokens the gateway holds: who, which shops, which TikTok scopes, until when. ' +
    'Token values are never returned.',
  fields: (t) => ({
    openId: t.exposeID('openId', {
      description: "TikTok's open_id of the seller (`environment` when seeded from env vars).",
    }),
    name: t.exposeString('name', { description: 'Seller name, as TikTok reports it.' }),
    shops: t.expose('shops', { type: [Shop], description: 'The shops the seller authorised.' }),
    grantedScopes: t.exposeStringList('grantedScopes', {
      description: "TikTok's scope keys granted to the app, e.g. seller.order.info.",
    }),
    accessTokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the access token expires; null when unknown (seeded from env vars).',
      resolve: (seller) => expiryOf(seller.accessTokenExpiresAt),
    }),
    refreshTokenExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the refresh token expires; after that the seller must authorise again.',
      resolve: (seller) => expiryOf(seller.refreshTokenExpiresAt),
    }),
  }),
});

const ExchangeAuthorizationCodeInput = builder.inputType('ExchangeAuthorizationCodeInput', {
  description: 'What TikTok appended to the redirect URL after the seller approved.',
  fields: (t) => ({
    code: t.string({ required: true, description: 'The `code` query parameter (single use).' }),
    state: t.string({
      required: true,
      description: 'The `state` query parameter, exactly as received.',
    }),
  }),
});

builder.queryFields((t) => ({
  authorizationUrl: t.field({
    type: AuthorizationLink,
    authScopes: { 'oauth.manage': true },
    description:
      'A fresh link for a seller to authorise the app. Send the seller there; TikTok redirects ' +
      'to the registered redirect URL with `code` and `state`, which GET /oauth/callback (or ' +
      'exchangeAuthorizationCode) completes.',
    args: {
      redirectUri: t.arg({
        type: 'URL',
        description:
          'Which registered redirect URL to return to (added as `redirect_uri`; TikTok itself ' +
          'uses the one registered in Partner Center, the emulator picks among its registered ' +
          'ones). It must be one of OAUTH_REDIRECT_URIS (a loopback one on any port), else ' +
          'BAD_USER_INPUT and no link is made. Omit to use the registered one.',
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.sellers.authorizationUrl(
        args.redirectUri ? { redirectUri: args.redirectUri.toString() } : {},
      ),
  }),
  authorizedSellers: t.field({
    type: [AuthorizedSeller],
    authScopes: { 'oauth.manage': true },
    description:
      'Every seller in the token store, with shops, granted scopes and expiry times. A caller ' +
      'limited to some shops sees only the sellers with one of them, and only those shops.',
    resolve: async (_root, _args, ctx) =>
      (await ctx.sellers.store.load()).sellers
        .map((seller) => visibleSeller(ctx, summarizeSeller(seller)))
        .filter((seller) => ctx.allowedShops === '*' || seller.shops.length > 0),
  }),
}));

builder.mutationFields((t) => ({
  exchangeAuthorizationCode: t.field({
    type: AuthorizedSeller,
    nullable: true,
    authScopes: { 'oauth.manage': true },
    description:
      'Completes an authorisation for tools that capture the redirect themselves: checks the ' +
      'state (forged, expired or replayed → OAUTH_STATE_INVALID, nothing stored), exchanges the ' +
      "code, stores the seller's tokens at once (a failed save is retried, never dropped), then " +
      "reads and stores its shops. Not shop-scoped (the code is the seller's consent); the " +
      "answer lists only the caller's shops of the seller.",
    args: {
      input: t.arg({
        type: ExchangeAuthorizationCodeInput,
        required: true,
        description: 'Code and state.',
      }),
    },
    resolve: async (_root, { input }, ctx) =>
      visibleSeller(
        ctx,
        summarizeAuthorization(
          await ctx.sellers.exchange({ code: input.code, state: input.state }),
        ),
      ),
  }),
  refreshAccessToken: t.field({
    type: AuthorizedSeller,
    nullable: true,
    authScopes: { 'oauth.manage': true },
    description:
      "Renews now the tokens of the seller serving `shopId` (default: the default shop's " +
      'seller, or the only one). `shopId` is chosen like every shop-scoped field: a shop ' +
      "outside the caller's is FORBIDDEN, and a caller limited to some shops that omits it gets " +
      'its default shop or its only shop. A refused refresh is UNAUTHENTICATED with reason ' +
      'REAUTHORIZATION_REQUIRED.',
    args: { shopId: t.arg.id({ description: 'A shop of the seller to renew.' }) },
    resolve: async (_root, args, ctx) => {
      // A caller with every shop may name none: the seller-level default, as before issue 10.
      const isSellerDefault =
        (args.shopId === null || args.shopId === undefined) && ctx.allowedShops === '*';
      const shopId = isSellerDefault ? undefined : (await resolveShop(ctx, args.shopId)).id;
      return visibleSeller(ctx, await ctx.sellers.refresh(shopId));
    },
  }),
}));
