// Access and refresh tokens the emulator issues (§2.4): opaque TTP_ strings, per seller and scopes.
import { randomBytes } from 'node:crypto';
import type { IssuedTokens } from './types.js';

export interface TokenStoreOptions {
  /** Emulator clock, ms since the epoch. */
  now: () => number;
  /** Default access-token lifetime, seconds. */
  accessTokenTtlSeconds: number;
  /** Refresh-token lifetime, seconds, counted from each issue or rotation. */
  refreshTokenTtlSeconds: number;
}

export interface TokenGrant {
  openId: string;
  scopes: string[];
}

export type AccessTokenLookup =
  | { status: 'valid'; grant: TokenGrant }
  | { status: 'expired' }
  | { status: 'unknown' };

export type RefreshResult =
  | { ok: true; openId: string; tokens: IssuedTokens }
  | { ok: false; reason: 'unknown' | 'expired' };

interface AccessRecord extends TokenGrant {
  expiresAt: number;
}

interface RefreshRecord extends TokenGrant {
  expiresAt: number;
  /** Lifetime given to access tokens of this grant, so a refresh keeps the TTL it was issued with. */
  accessTokenTtlSeconds: number;
}

/** How many issues between sweeps of long-expired access tokens (keeps memory bounded). */
const SWEEP_EVERY_ISSUES = 1000;

export interface TokenStore {
  issue(input: { openId: string; scopes: string[]; accessTokenTtlSeconds?: number }): IssuedTokens;
  lookupAccessToken(accessToken: string): AccessTokenLookup;
  /** Rotates both tokens; the old refresh token is invalid at once, the old access token is not. */
  refresh(refreshToken: string): RefreshResult;
}

export function createTokenStore(options: TokenStoreOptions): TokenStore {
  const accessTokens = new Map<string, AccessRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  let issuesSinceSweep = 0;

  const nowSeconds = (): number => Math.floor(options.now() / 1000);
  const isPast = (expiresAtSeconds: number): boolean => options.now() >= expiresAtSeconds * 1000;

  function sweep(): void {
    issuesSinceSweep = 0;
    for (const [token, record] of accessTokens) {
      if (isPast(record.expiresAt)) accessTokens.delete(token);
    }
    for (const [token, record] of refreshTokens) {
      if (isPast(record.expiresAt)) refreshTokens.delete(token);
    }
  }

  function issue(input: {
    openId: string;
    scopes: string[];
    accessTokenTtlSeconds?: number;
  }): IssuedTokens {
    if (++issuesSinceSweep >= SWEEP_EVERY_ISSUES) sweep();
    const accessTtl = input.accessTokenTtlSeconds ?? options.accessTokenTtlSeconds;
    const issuedAt = nowSeconds();
    const scopes = [...input.scopes];
    const tokens: IssuedTokens = {
      accessToken: newToken(),
      refreshToken: newToken(),
      accessTokenExpiresAt: issuedAt + accessTtl,
      refreshTokenExpiresAt: issuedAt + options.refreshTokenTtlSeconds,
      grantedScopes: scopes,
    };
    accessTokens.set(tokens.accessToken, {
      openId: input.openId,
      scopes,
      expiresAt: tokens.accessTokenExpiresAt,
    });
    refreshTokens.set(tokens.refreshToken, {
      openId: input.openId,
      scopes,
      expiresAt: tokens.refreshTokenExpiresAt,
      accessTokenTtlSeconds: accessTtl,
    });
    return { ...tokens, grantedScopes: [...scopes] };
  }

  return {
    issue,
    lookupAccessToken(accessToken) {
      const record = accessTokens.get(accessToken);
      if (!record) return { status: 'unknown' };
      if (isPast(record.expiresAt)) return { status: 'expired' };
      return { status: 'valid', grant: { openId: record.openId, scopes: [...record.scopes] } };
    },
    refresh(refreshToken) {
      const record = refreshTokens.get(refreshToken);
      if (!record) return { ok: false, reason: 'unknown' };
      if (isPast(record.expiresAt)) return { ok: false, reason: 'expired' };
      refreshTokens.delete(refreshToken);
      const tokens = issue({
        openId: record.openId,
        scopes: record.scopes,
        accessTokenTtlSeconds: record.accessTokenTtlSeconds,
      });
      return { ok: true, openId: record.openId, tokens };
    },
  };
}

/** `TTP_` plus 32 url-safe random characters; opaque like TikTok's (§2.4). */
function newToken(): string {
  return 'TTP_' + randomBytes(24).toString('base64url');
}
