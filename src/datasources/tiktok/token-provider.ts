// A fixed access token from config (TIKTOK_SHOP_ACCESS_TOKEN); issue #4's token manager replaces it.
import { TikTokShopAuthError } from './errors.js';
import type { AccessTokenProvider } from './types.js';

/**
 * Supplies the same token for every shop. It cannot refresh, so a 105002 answer surfaces as a
 * TikTokShopAuthError with `canRefresh: true` for the caller to act on. When no token is
 * configured every call fails with reason `missing_credentials`, before anything is sent.
 */
export function createStaticTokenProvider(accessToken: string | undefined): AccessTokenProvider {
  return {
    async getAccessToken() {
      if (accessToken === undefined || accessToken === '') {
        throw new TikTokShopAuthError(
          'token.static: no access token configured (set TIKTOK_SHOP_ACCESS_TOKEN or authorize a seller)',
          {
            code: null,
            status: null,
            requestId: null,
            operation: 'token.static',
            retryable: false,
            reason: 'missing_credentials',
            canRefresh: false,
          },
        );
      }
      return accessToken;
    },
  };
}
