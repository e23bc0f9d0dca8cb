// Error classes of the auth layer. Messages name the failed operation and never contain keys,
// tokens, signatures or state values; `extensions` is what the GraphQL edge may show a client.

/** Fields safe to copy into a GraphQL error's `extensions`. */
export interface AuthErrorExtensions {
  code: string;
  [field: string]: string | number | boolean | null;
}

/** Base of the errors a client may see; the GraphQL mapper copies `message` and `extensions`. */
export abstract class AuthError extends Error {
  abstract readonly extensions: AuthErrorExtensions;
}

/** No credentials where they are required, or credentials that do not check out. */
export class UnauthenticatedError extends AuthError {
  override readonly name = 'UnauthenticatedError';
  readonly extensions: AuthErrorExtensions = { code: 'UNAUTHENTICATED' };

  constructor(
    message = 'Authentication required: send Authorization: Bearer <key>',
    options?: {
      cause?: unknown;
    },
  ) {
    super(message, options);
  }
}

/** The caller is known but lacks the scope the operation needs. */
export class ForbiddenError extends AuthError {
  override readonly name = 'ForbiddenError';
  readonly extensions: AuthErrorExtensions;

  constructor(
    readonly scope: string,
    callerName?: string,
  ) {
    super(
      callerName === undefined
        ? `Missing scope ${scope}`
        : `Caller ${callerName} lacks scope ${scope}`,
    );
    this.extensions = { code: 'FORBIDDEN', scope };
  }
}

/** The caller may not use the shop: it is outside its API key's or JWT's shops (issue 10). */
export class ShopForbiddenError extends AuthError {
  override readonly name = 'ShopForbiddenError';
  readonly extensions: AuthErrorExtensions;

  constructor(
    readonly shopId: string,
    callerName?: string,
  ) {
    super(
      callerName === undefined
        ? `The caller may not access shop ${shopId}`
        : `Caller ${callerName} may not access shop ${shopId}`,
    );
    this.extensions = { code: 'FORBIDDEN', shopId };
  }
}

export type OAuthStateFailure =
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'replayed'
  | 'redirect_mismatch';

const STATE_MESSAGES: Record<OAuthStateFailure, string> = {
  malformed: 'OAuth state is missing or malformed; start again from a new authorisation URL',
  bad_signature: 'OAuth state was not issued by this gateway (signature mismatch)',
  expired: 'OAuth state has expired; start again from a new authorisation URL',
  replayed: 'OAuth state was already used; start again from a new authorisation URL',
  redirect_mismatch:
    'OAuth state was issued for another redirect URL than this callback; start again from a ' +
    'new authorisation URL made for it',
};

/** A forged, expired or replayed OAuth `state` (issue #4): the code exchange was refused. */
export class OAuthStateError extends AuthError {
  override readonly name = 'OAuthStateError';
  readonly extensions: AuthErrorExtensions;

  constructor(readonly reason: OAuthStateFailure) {
    super(STATE_MESSAGES[reason]);
    this.extensions = { code: 'OAUTH_STATE_INVALID', reason };
  }
}

/**
 * An authorisation URL asked for a redirect URI outside OAUTH_REDIRECT_URIS (issue 10): refused
 * before any state is signed. The URI is not repeated: it may be anything.
 */
export class RedirectUriNotAllowedError extends AuthError {
  override readonly name = 'RedirectUriNotAllowedError';
  readonly extensions: AuthErrorExtensions = {
    code: 'BAD_USER_INPUT',
    reason: 'REDIRECT_URI_NOT_ALLOWED',
    argumentName: 'redirectUri',
  };

  constructor() {
    super(
      'redirectUri is not an allowed redirect URI: it must be an absolute http(s) URL listed ' +
        'in OAUTH_REDIRECT_URIS',
    );
  }
}

/** The seller refused the authorisation (TikTok redirects with `code=null&error=…`, §2.1). */
export class AuthorizationDeniedError extends AuthError {
  override readonly name = 'AuthorizationDeniedError';
  readonly extensions: AuthErrorExtensions;

  constructor(readonly reason: string) {
    super(`The seller did not authorise the app (${reason})`);
    this.extensions = { code: 'OAUTH_DENIED', reason };
  }
}

export type ReauthorizationReason =
  | 'no_seller'
  | 'unknown_shop'
  | 'no_refresh_token'
  | 'refresh_token_expired'
  | 'refresh_rejected';

/**
 * The gateway holds no usable token for the seller and cannot get one by itself: an operator
 * must run the OAuth flow again. Shaped like the datasource's auth error (`canRefresh: false`)
 * so the client passes it through instead of retrying.
 */
export class ReauthorizationRequiredError extends AuthError {
  override readonly name = 'ReauthorizationRequiredError';
  readonly canRefresh = false;
  readonly extensions: AuthErrorExtensions;
  readonly shopId: string | undefined;
  readonly openId: string | undefined;

  constructor(
    readonly reason: ReauthorizationReason,
    detail: string,
    options?: { cause?: unknown; shopId?: string; openId?: string },
  ) {
    super(`${detail}. Re-authorise the seller: run \`npm run oauth\``, { cause: options?.cause });
    this.shopId = options?.shopId;
    this.openId = options?.openId;
    this.extensions = {
      code: 'UNAUTHENTICATED',
      reason: 'REAUTHORIZATION_REQUIRED',
      detail: reason,
      ...(options?.shopId === undefined ? {} : { shopId: options.shopId }),
    };
  }
}

/**
 * The seller deauthorised the app (SELLER_DEAUTHORIZATION webhook, §8): nothing is sent for its
 * shops until it authorises again (a new code exchange clears the mark).
 */
export class SellerDeauthorizedError extends AuthError {
  override readonly name = 'SellerDeauthorizedError';
  readonly extensions: AuthErrorExtensions;

  constructor(
    readonly shopId: string,
    deauthorizedAtMs: number,
  ) {
    super(
      `The seller of shop ${shopId} deauthorised the app at ` +
        `${new Date(deauthorizedAtMs).toISOString()}. Re-authorise the seller: run \`npm run oauth\``,
    );
    this.extensions = { code: 'UNAUTHENTICATED', reason: 'SELLER_DEAUTHORIZED', shopId };
  }
}

/** A seller-level call without a shop while several sellers are stored and no default is set. */
export class ShopRequiredError extends AuthError {
  override readonly name = 'ShopRequiredError';
  readonly extensions: AuthErrorExtensions = { code: 'BAD_USER_INPUT', reason: 'SHOP_REQUIRED' };

  constructor() {
    super('Several sellers are authorised: pass a shop id, or set TIKTOK_SHOP_SHOP_ID');
  }
}

export type TokenStoreCorruptReason = 'wrong_key' | 'altered' | 'unreadable';

/**
 * The token file exists but cannot be read back. Never handled by resetting the file: tokens
 * lost that way need every seller to re-authorise.
 */
export class TokenStoreCorruptError extends Error {
  override readonly name = 'TokenStoreCorruptError';

  constructor(
    readonly path: string,
    readonly reason: TokenStoreCorruptReason,
    options?: { cause?: unknown },
  ) {
    const why =
      reason === 'wrong_key'
        ? 'TOKEN_ENCRYPTION_KEY is not the key the file was written with'
        : reason === 'altered'
          ? 'the file was altered or damaged (or TOKEN_ENCRYPTION_KEY is wrong)'
          : 'the file is not a token store written by this gateway (or it was altered)';
    super(
      `Token store ${path} cannot be decrypted: ${why}. Restore the right key or the file; ` +
        'only if neither is possible, move the file away and re-authorise (`npm run oauth`)',
      options,
    );
  }
}

/** A compare-and-set write lost: someone saved the seller since `expectedVersion` was read. */
export class TokenStoreConflictError extends Error {
  override readonly name = 'TokenStoreConflictError';

  constructor(
    readonly openId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(
      `Saving tokens for seller ${openId} refused: expected version ${expectedVersion}, ` +
        `the store holds ${actualVersion === null ? 'no record' : `version ${actualVersion}`}`,
    );
  }
}

/** TOKEN_ENCRYPTION_KEY (or the sandbox key file) is missing or not a 32-byte key. */
export class EncryptionKeyError extends Error {
  override readonly name = 'EncryptionKeyError';
}
