// A seller's credentials from one fixed access token: a token the store does not hold yet (right
// after a code exchange, §2.2) or TIKTOK_SHOP_ACCESS_TOKEN in a tool.
import { TikTokShopAuthError } from './errors.js';
import type { SellerCredentials } from './types.js';

/**
 * Serves the same token to every call. It cannot renew, so a 105002 answer surfaces as a
 * TikTokShopAuthError with `canRefresh: true` for the caller to act on. Without a token every
 * call fails with reason `missing_credentials`, before anything is sent.
 */
export function createStaticCredentials(accessToken: string | undefined): SellerCredentials {
  return {
    async accessToken() {
      if (accessToken === undefined || accessToken === '') {
        throw new TikTokShopAuthError(
          'token.static: no access token configured (set TIKTOK_SHOP_ACCESS_TOKEN or authorize a seller)',
          {
            code: null,
            status: null,
            requestId: null,
            operation: 'token.static',
            reason: 'missing_credentials',
            canRefresh: false,
          },
        );
      }
      return accessToken;
    },
    async renewAccessToken() {
      return undefined;
    },
  };
}
