// Errors of the scale-out pieces. Messages name the operation and the seller, never a token,
// a key or REDIS_URL; `extensions` is what the GraphQL edge may show a client.

import type { TokenStoreCorruptReason } from '../auth/errors.js';
import { AuthError, type AuthErrorExtensions, TokenStoreCorruptError } from '../auth/errors.js';

export type RefreshUnavailableReason =
  /** Redis did not answer, so this replica cannot tell whether another one is refreshing. */
  | 'redis_unavailable'
  /** Another replica held the seller's refresh lock for longer than REDIS_REFRESH_WAIT_MS. */
  | 'lock_timeout';

/**
 * A token refresh was refused rather than risk two replicas spending the same refresh token
 * (TikTok rotates it, §2.3; the loser's tokens would be dead). Retryable: it succeeds once Redis
 * answers again. The token manager keeps serving a stored access token that is still valid.
 */
export class RefreshUnavailableError extends AuthError {
  override readonly name = 'RefreshUnavailableError';
  readonly retryable = true;
  readonly extensions: AuthErrorExtensions;

  constructor(
    readonly reason: RefreshUnavailableReason,
    readonly openId: string,
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'redis_unavailable'
        ? `Token refresh for seller ${openId} refused: Redis is unavailable, so the refresh lock ` +
            'shared by the gateway replicas cannot be taken; retry once Redis is back'
        : `Token refresh for seller ${openId} refused: another replica held the refresh lock ` +
            'for too long; retry shortly',
      options,
    );
    this.extensions = {
      code: 'UPSTREAM_ERROR',
      reason: 'TOKEN_REFRESH_UNAVAILABLE',
      detail: reason,
      retryable: true,
    };
  }
}

/** A token store operation that needs Redis while it is down and has no local answer. */
export class TokenStoreUnavailableError extends Error {
  override readonly name = 'TokenStoreUnavailableError';
  readonly retryable = true;

  constructor(
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Token store ${operation} failed: Redis is unavailable and ${detail}`, options);
  }
}

/**
 * A seller record in Redis that does not decrypt; like the file store, it is never reset. A
 * TokenStoreCorruptError (same `name`) with a message about Redis instead of a file.
 */
export class RedisTokenStoreCorruptError extends TokenStoreCorruptError {
  constructor(
    readonly openId: string,
    reason: TokenStoreCorruptReason,
    options?: { cause?: unknown },
  ) {
    super(`redis seller ${openId}`, reason, options);
    const why =
      reason === 'wrong_key'
        ? 'TOKEN_ENCRYPTION_KEY is not the key it was written with'
        : 'it was altered or damaged (or TOKEN_ENCRYPTION_KEY is wrong)';
    this.message =
      `The Redis record of seller ${openId} cannot be decrypted: ${why}. Give every replica ` +
      'the same TOKEN_ENCRYPTION_KEY; only if the right key is lost, re-authorise the seller';
  }
}
