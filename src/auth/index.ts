// Public surface of the auth layer (see docs/auth.md).
export type { AuthConfig } from './auth-config.js';
export type {
  ApiKeyEntry,
  Caller,
  CallerResolver,
  CallerResolverOptions,
  CallerShops,
  JwtVerificationConfig,
} from './caller.js';
export {
  createCallerResolver,
  createDevelopmentKey,
  DEFAULT_JWT_MAX_LIFETIME_S,
  hashApiKey,
  parseApiKeys,
  readApiKeys,
  requireScope,
  scopeGrants,
} from './caller.js';
export type { ResolvedEncryptionKey } from './encryption-key.js';
export { deriveKey, parseEncryptionKey, resolveEncryptionKey } from './encryption-key.js';
export type {
  AuthErrorExtensions,
  OAuthStateFailure,
  ReauthorizationReason,
  TokenStoreCorruptReason,
} from './errors.js';
export {
  AuthError,
  AuthorizationDeniedError,
  EncryptionKeyError,
  ForbiddenError,
  OAuthStateError,
  ReauthorizationRequiredError,
  RedirectUriNotAllowedError,
  ShopForbiddenError,
  ShopRequiredError,
  TokenStoreConflictError,
  TokenStoreCorruptError,
  UnauthenticatedError,
} from './errors.js';
export type { FileTokenStoreOptions } from './file-token-store.js';
export { createFileTokenStore, DEFAULT_TOKEN_STORE_PATH } from './file-token-store.js';
export { createFileUsedStateStore, usedStatesPathBeside } from './file-used-state-store.js';
export type { GrantSaves, GrantSavesOptions, SaveOutcome } from './grant-saves.js';
export { createGrantSaves } from './grant-saves.js';
export type { AuthLogger } from './logger.js';
export type {
  AuthorizationResult,
  AuthorizationUrl,
  AuthorizedShopSummary,
  ExchangeCodeDeps,
  ExchangeInput,
  OAuthFlow,
  OAuthFlowOptions,
  OAuthStatePayload,
  StateVerification,
  UsedStateStore,
} from './oauth.js';
export {
  createMemoryUsedStateStore,
  createOAuthFlow,
  deriveStateSecret,
  exchangeCode,
} from './oauth.js';
export {
  gatewayCallbackUrl,
  isAllowedRedirect,
  isRedirectOf,
  SETUP_GUIDE_REDIRECT_URI,
} from './redirect-uris.js';
export type { GatewayScope } from './scopes.js';
export { GATEWAY_SCOPES, isGatewayScope } from './scopes.js';
export type {
  SellerAuth,
  SellerAuthDeps,
  SellerClientOptions,
  SellerSummary,
} from './seller-auth.js';
export {
  createSellerAuth,
  createSellerClient,
  summarizeAuthorization,
  summarizeSeller,
} from './seller-auth.js';
export type { SeedResult, TokenManager, TokenManagerOptions } from './token-manager.js';
export { createTokenManager, seedFromEnvironment } from './token-manager.js';
export type {
  SaveTokensOptions,
  SellerInput,
  SellerProfile,
  SellerRecord,
  SellerTokens,
  StoredShop,
  StoredState,
  TokenStore,
} from './token-store.js';
export {
  createMemoryTokenStore,
  createTokenStore,
  ENVIRONMENT_SELLER_ID,
} from './token-store.js';
