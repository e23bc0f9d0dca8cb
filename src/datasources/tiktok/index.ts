// Public surface of the TikTok Shop datasource.
export * from './auth-host.js';
export * from './circuit-breaker.js';
export * from './client.js';
export * from './endpoints.js';
export * from './errors.js';
export type { TikTokHttpOptions, TikTokShopLogger } from './http.js';
export * from './rate-limiter.js';
export * from './retry-policy.js';
export * from './signer.js';
export * from './static-credentials.js';
export * from './tiktok-codes.js';
export type * from './types.js';
