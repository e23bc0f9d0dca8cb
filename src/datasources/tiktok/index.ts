// Public surface of the TikTok Shop datasource.
export type { AuthHostClientDeps } from './auth-host.js';
export { createAuthHostClient } from './auth-host.js';
export type { TikTokShopClientDeps } from './client.js';
export { createTikTokShopClient } from './client.js';
export type { BatchLimit, Endpoint, Host, RateClass } from './endpoints.js';
export {
  ENDPOINTS,
  INVENTORY_SEARCH_MAX_PRODUCT_IDS,
  INVENTORY_SEARCH_MAX_SKU_IDS,
  ORDER_DETAIL_MAX_IDS,
} from './endpoints.js';
export type {
  AuthErrorReason,
  PermissionErrorReason,
  TikTokShopErrorOptions,
  UpstreamErrorReason,
  UpstreamFailure,
  ValidationErrorReason,
} from './errors.js';
export {
  TikTokShopAuthError,
  TikTokShopError,
  TikTokShopNotFoundError,
  TikTokShopPermissionError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
  TikTokShopValidationError,
  toTikTokShopError,
} from './errors.js';
export type { TikTokHttpOptions, TikTokShopLogger } from './http.js';
export type { RateLimiter, TokenBucketRateLimiterOptions } from './rate-limiter.js';
export { createTokenBucketRateLimiter, rateLimitKey } from './rate-limiter.js';
export type {
  RetryContext,
  RetryDecision,
  RetryPolicy,
  RetryPolicyOptions,
} from './retry-policy.js';
export { createRetryPolicy, parseRetryAfterMs, RETRY_RULES } from './retry-policy.js';
export { signRequest, signWebhook, stringToSign, verifyWebhook } from './signer.js';
export { createStaticCredentials } from './static-credentials.js';
export type { CodeMeaning, StockMeaning } from './tiktok-codes.js';
export type * from './types.js';
