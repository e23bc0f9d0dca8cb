// The auth section of the settings: who may call, how sellers authorise the app, and where their
// tokens are kept. src/settings.ts reads it from the environment.
import type { ApiKeyEntry, JwtVerificationConfig } from './caller.js';
import type { AuthorizeRegion } from './oauth.js';

export interface AuthConfig {
  /** TOKEN_ENCRYPTION_KEY decoded; undefined when unset (see resolveEncryptionKey). */
  tokenEncryptionKey: Buffer | undefined;
  /** Absolute path of the token file (TOKEN_STORE_PATH). */
  tokenStorePath: string;
  /** Whether TOKEN_STORE_PATH was set; without it each sandbox process keeps a file of its own. */
  hasTokenStorePath: boolean;
  /** Parsed GATEWAY_API_KEYS (hashes only). */
  apiKeys: ApiKeyEntry[];
  /** JWT verification, when GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL is set. */
  jwt: JwtVerificationConfig | undefined;
  /** TIKTOK_SHOP_SERVICE_ID: selects the `service_id` form of the authorize URL. */
  serviceId: string | undefined;
  /** TIKTOK_SHOP_AUTHORIZE_BASE; undefined lets createOAuthFlow pick TikTok's host. */
  authorizeBase: string | undefined;
  /** TIKTOK_SHOP_AUTHORIZE_REGION: `us` picks the US service_id host (§2.1). */
  authorizeRegion: AuthorizeRegion;
  /** Path of the OAuth redirect route (OAUTH_CALLBACK_PATH). */
  oauthCallbackPath: string;
  /** Where `npm run oauth` expects TikTok's redirect (OAUTH_REDIRECT_URI). */
  oauthRedirectUri: string;
  /**
   * The redirect URIs an OAuth state may be signed for (OAUTH_REDIRECT_URIS). Default: this
   * gateway's own callback URL (HOST, PORT, OAUTH_CALLBACK_PATH) and OAUTH_REDIRECT_URI.
   */
  oauthRedirectUris: string[];
  /** Lifetime of an OAuth state, ms (OAUTH_STATE_TTL_MS). */
  oauthStateTtlMs: number;
  /** Refresh access tokens expiring within this, ms (TOKEN_REFRESH_MARGIN_MS). */
  tokenRefreshMarginMs: number;
}
