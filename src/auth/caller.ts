// Who is calling the gateway: an API key from GATEWAY_API_KEYS or a JWT, turned into a Caller
// with gateway scopes and the shops it may use. Keys are kept only as sha256 hashes and never
// logged or echoed.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JWSHeaderParameters, JWTPayload, JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { ConfigError } from '../config.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { GATEWAY_SCOPES, type GatewayScope, isGatewayScope } from './scopes.js';

/** The shops a caller may use (issue 10): `*` for every authorised shop, else their ids. */
export type CallerShops = '*' | ReadonlySet<string>;

export interface Caller {
  /** Entry name for API keys, the `sub` claim for JWTs (`jwt` when absent). */
  name: string;
  kind: 'api_key' | 'jwt';
  scopes: ReadonlySet<string>;
  shops: CallerShops;
  /**
   * When the credential stops being accepted, ms since the epoch: a JWT's `exp`. Absent for API
   * keys. A subscription stream ends then (issue 13).
   */
  expiresAtMs?: number;
}

export interface ApiKeyEntry {
  name: string;
  /** sha256 of the key; the key itself is not kept. */
  keyHash: Buffer;
  scopes: ReadonlySet<GatewayScope>;
  /** The entry's fourth part; `*` when absent. */
  shops: CallerShops;
}

export interface JwtVerificationConfig {
  /** HS256 shared secret (GATEWAY_JWT_SECRET), at least 32 bytes. */
  secret?: Uint8Array;
  /** JWKS endpoint for RS/PS/ES/EdDSA tokens (GATEWAY_JWKS_URL). */
  jwksUrl?: string;
  /** Required `iss` claim (GATEWAY_JWT_ISSUER); unchecked when absent. */
  issuer?: string;
  /** Accepted `aud` values (GATEWAY_JWT_AUDIENCE); unchecked when absent. */
  audience?: string | string[];
  /** Clock skew allowed on `exp`/`nbf`, seconds. Default 30. */
  clockToleranceSeconds?: number;
  /**
   * Longest accepted lifetime, seconds: `exp - iat`, or `exp - now` without `iat` (or with an
   * `iat` in the future). GATEWAY_JWT_MAX_LIFETIME_S, default DEFAULT_JWT_MAX_LIFETIME_S.
   */
  maxLifetimeSeconds?: number;
  /**
   * Refuse tokens without a `shops` claim instead of granting them every shop
   * (GATEWAY_JWT_REQUIRE_SHOPS). Default false.
   */
  requireShops?: boolean;
}

/** GATEWAY_JWT_MAX_LIFETIME_S when unset: a day, so a leaked token stops working within one. */
export const DEFAULT_JWT_MAX_LIFETIME_S = 86_400;

export interface CallerResolverOptions {
  apiKeys: ApiKeyEntry[];
  /** Omit to refuse JWT bearer tokens. */
  jwt?: JwtVerificationConfig;
  /** Clock for JWT expiry checks, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/** Resolves a request to its caller: null when it carries no credentials, throws when they fail. */
export type CallerResolver = (request: Request) => Promise<Caller | null>;

/** Plain keys shorter than this are refused: they could be guessed. */
export const MIN_API_KEY_LENGTH = 16;
const MIN_JWT_SECRET_BYTES = 32;
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const NAME_SHAPE = /^[A-Za-z0-9_.-]+$/;
const HASH_SHAPE = /^[0-9a-fA-F]{64}$/;
/** TikTok shop ids are decimal strings. */
const SHOP_ID_SHAPE = /^[0-9]{1,30}$/;
const SHOPS_RULE = 'shop ids (decimal digits) or * alone';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The `sha256:<hex>` form of a key, for GATEWAY_API_KEYS entries that should not hold the key. */
export function hashApiKey(key: string): string {
  return `sha256:${sha256(key).toString('hex')}`;
}

/** `*` alone → every shop; otherwise shop ids. Undefined when an item is neither. */
function readShopIds(items: readonly string[]): CallerShops | undefined {
  if (items.length === 1 && items[0] === '*') return '*';
  return items.every((item) => SHOP_ID_SHAPE.test(item)) ? new Set(items) : undefined;
}

/**
 * Reads GATEWAY_API_KEYS: comma-separated `name:key:scopes[:shops]` entries, scopes joined by `+`
 * or `*` for all, shop ids joined by `+` or `*` for all (the default); the key may be
 * `sha256:<64 hex>`. Problems name the entry (1-based) and its name, never the key or its shops.
 * Empty entries (a trailing comma) are skipped.
 */
export function readApiKeys(
  value: string | undefined,
  variable = 'GATEWAY_API_KEYS',
): { entries: ApiKeyEntry[]; problems: string[] } {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  if (value === undefined || value.trim() === '') return { entries, problems };

  const seenNames = new Set<string>();
  const seenHashes = new Map<string, string>();
  value.split(',').forEach((raw, index) => {
    const text = raw.trim();
    if (text === '') return;
    const parts = text.split(':').map((part) => part.trim());
    const name = parts[0] ?? '';
    const label = NAME_SHAPE.test(name) ? `entry ${index + 1} (${name})` : `entry ${index + 1}`;
    const problem = (message: string) => problems.push(`${variable}: ${label}: ${message}`);

    let keyHash: Buffer | undefined;
    let scopeText: string | undefined;
    let shopText: string | undefined;
    if ((parts.length === 4 || parts.length === 5) && parts[1] === 'sha256') {
      const hex = parts[2] ?? '';
      if (!HASH_SHAPE.test(hex)) {
        problem('a sha256: key must be 64 hex characters');
      } else {
        keyHash = Buffer.from(hex, 'hex');
      }
      [scopeText, shopText] = [parts[3], parts[4]];
    } else if (parts.length === 3 || parts.length === 4) {
      const key = parts[1] ?? '';
      if (key.length < MIN_API_KEY_LENGTH) {
        problem(
          `key must be at least ${MIN_API_KEY_LENGTH} characters (generate one with \`openssl rand -hex 24\`)`,
        );
      } else if (/\s/.test(key)) {
        problem('key must not contain whitespace');
      } else {
        keyHash = sha256(key);
      }
      [scopeText, shopText] = [parts[2], parts[3]];
    } else {
      problem('expected name:key:scopes[:shops] (or name:sha256:<hex>:scopes[:shops])');
      return;
    }

    if (!NAME_SHAPE.test(name)) {
      problem('name must be letters, digits, "_", "-" or "."');
    } else if (seenNames.has(name)) {
      problem('name is used by an earlier entry');
    }
    seenNames.add(name);

    const scopes = new Set<GatewayScope>();
    const requested = (scopeText ?? '').split('+').map((scope) => scope.trim());
    if (requested.length === 1 && requested[0] === '*') {
      for (const scope of GATEWAY_SCOPES) scopes.add(scope);
    } else if (requested.every((scope) => scope === '')) {
      problem('no scopes given (use * for all)');
    } else {
      for (const scope of requested) {
        if (isGatewayScope(scope)) scopes.add(scope);
        else if (scope === '*') problem('* must stand alone');
        else problem(`unknown scope "${scope}" (known: ${GATEWAY_SCOPES.join(', ')})`);
      }
    }

    const shopItems = (shopText ?? '*').split('+').map((shopId) => shopId.trim());
    const shops = readShopIds(shopItems);
    if (shopItems.every((shopId) => shopId === '')) problem('no shops given (use * for all)');
    else if (!shops) problem(`shops must be ${SHOPS_RULE}, joined by +`);

    if (keyHash) {
      const hex = keyHash.toString('hex');
      const earlier = seenHashes.get(hex);
      if (earlier !== undefined) problem(`same key as ${earlier}`);
      seenHashes.set(hex, label);
      if (shops) entries.push({ name, keyHash, scopes, shops });
    }
  });
  return { entries: problems.length === 0 ? entries : [], problems };
}

/** Like readApiKeys, but throws one ConfigError listing every problem. */
export function parseApiKeys(value: string | undefined): ApiKeyEntry[] {
  const { entries, problems } = readApiKeys(value);
  if (problems.length > 0) throw new ConfigError(problems);
  return entries;
}

/**
 * A random key with every scope, for sandbox mode when GATEWAY_API_KEYS is empty. The caller
 * prints `key` once (it is not stored) and passes `entry` to createCallerResolver.
 */
export function createDevelopmentKey(name = 'development'): { key: string; entry: ApiKeyEntry } {
  const key = `gwdev_${randomBytes(24).toString('base64url')}`;
  return {
    key,
    entry: { name, keyHash: sha256(key), scopes: new Set(GATEWAY_SCOPES), shops: '*' },
  };
}

/** Validates a GATEWAY_JWT_SECRET; returns a problem text or undefined. */
export function checkJwtSecret(secret: string): string | undefined {
  return Buffer.byteLength(secret, 'utf8') < MIN_JWT_SECRET_BYTES
    ? `must be at least ${MIN_JWT_SECRET_BYTES} bytes (generate one with \`openssl rand -hex 32\`)`
    : undefined;
}

export function createCallerResolver(options: CallerResolverOptions): CallerResolver {
  const apiKeys = [...options.apiKeys];
  const now = options.now ?? Date.now;
  const verifyJwt = options.jwt ? createJwtVerifier(options.jwt) : undefined;

  function findApiKey(candidate: string): ApiKeyEntry | undefined {
    const hash = sha256(candidate);
    let match: ApiKeyEntry | undefined;
    // Compare against every entry without stopping early, so timing says nothing about which.
    for (const entry of apiKeys) {
      if (timingSafeEqual(hash, entry.keyHash) && match === undefined) match = entry;
    }
    return match;
  }

  return async (request) => {
    const authorization = request.headers.get('authorization');
    const headerKey = request.headers.get('x-api-key');
    if (authorization !== null && headerKey !== null) {
      throw new UnauthenticatedError('Send either Authorization or x-api-key, not both');
    }

    let credential: string;
    if (authorization !== null) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
      if (!match?.[1]) {
        throw new UnauthenticatedError('Unsupported Authorization header: use Bearer <key>');
      }
      credential = match[1];
    } else if (headerKey !== null) {
      credential = headerKey.trim();
      if (credential === '') throw new UnauthenticatedError('Empty x-api-key header');
    } else {
      return null;
    }

    const looksLikeJwt = JWT_SHAPE.test(credential);
    if (looksLikeJwt && verifyJwt && authorization !== null) {
      return verifyJwt(credential, now());
    }
    const entry = findApiKey(credential);
    if (entry)
      return { name: entry.name, kind: 'api_key', scopes: entry.scopes, shops: entry.shops };
    if (looksLikeJwt && !verifyJwt) {
      throw new UnauthenticatedError(
        'JWT bearer tokens are not accepted: GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL is not set',
      );
    }
    throw new UnauthenticatedError('Unknown API key');
  };
}

function createJwtVerifier(
  config: JwtVerificationConfig,
): (token: string, nowMs: number) => Promise<Caller> {
  const secret = config.secret;
  const jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? ASYMMETRIC_ALGORITHMS : [])];
  const getKey: JWTVerifyGetKey = async (header: JWSHeaderParameters, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (header.alg !== 'HS256' && jwks) return jwks(header, token);
    throw new joseErrors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  };

  const maxLifetimeSeconds = config.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_S;
  const clockToleranceSeconds = config.clockToleranceSeconds ?? 30;
  return async (token, nowMs) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms,
        issuer: config.issuer,
        audience: config.audience,
        // Issue 10: a token without `exp` would be accepted forever.
        requiredClaims: ['exp'],
        clockTolerance: clockToleranceSeconds,
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      throw new UnauthenticatedError(describeJwtFailure(error), { cause: error });
    }
    // jwtVerify checked that `exp` (and `iat` when present) are numbers.
    const nowSeconds = nowMs / 1000;
    const issuedAt = Math.min(payload.iat ?? nowSeconds, nowSeconds);
    if ((payload.exp as number) - issuedAt > maxLifetimeSeconds + clockToleranceSeconds) {
      throw new UnauthenticatedError(
        `Bearer token lifetime exceeds the gateway's limit of ${maxLifetimeSeconds} s`,
      );
    }
    const claimed = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    // Unknown scopes are ignored: one token may serve several services.
    const scopes = new Set(claimed.filter((scope) => isGatewayScope(scope)));
    const name = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : 'jwt';
    return {
      name,
      kind: 'jwt',
      scopes,
      shops: shopsClaim(payload.shops, config.requireShops),
      expiresAtMs: (payload.exp as number) * 1000,
    };
  };
}

/** The `shops` claim: an array of shop ids or one space-separated string; `*` alone for all. */
function shopsClaim(claim: unknown, isRequired = false): CallerShops {
  if (claim === undefined) {
    if (!isRequired) return '*';
    throw new UnauthenticatedError(
      'Bearer token has no "shops" claim, which this gateway requires (GATEWAY_JWT_REQUIRE_SHOPS)',
    );
  }
  const items =
    typeof claim === 'string'
      ? claim.split(/\s+/).filter((item) => item !== '')
      : Array.isArray(claim) && claim.every((item) => typeof item === 'string')
        ? claim
        : undefined;
  const shops = items && readShopIds(items);
  if (!shops) {
    throw new UnauthenticatedError(
      `Bearer token claim "shops" is not accepted: give ${SHOPS_RULE}, as an array or a ` +
        'space-separated string',
    );
  }
  return shops;
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Bearer token has expired';
  if (
    error instanceof joseErrors.JWTClaimValidationFailed &&
    error.claim === 'exp' &&
    error.reason === 'missing'
  ) {
    return 'Bearer token has no "exp" claim: only tokens that expire are accepted';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `Bearer token claim "${error.claim}" is not accepted`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'Bearer token signature is invalid';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return 'Bearer token algorithm is not accepted';
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'Bearer token key is not in the JWKS';
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return 'Bearer token could not be checked: the JWKS is unavailable';
  }
  return 'Bearer token is malformed';
}

/** Throws UnauthenticatedError without a caller, ForbiddenError without the scope. */
export function requireScope(caller: Caller | null, scope: GatewayScope): Caller {
  if (!caller) throw new UnauthenticatedError();
  if (!caller.scopes.has(scope)) throw new ForbiddenError(scope, caller.name);
  return caller;
}

/** Scope → granted map, the shape Pothos scope-auth's `authScopes` initializer returns. */
export function scopeGrants(caller: Caller | null): Record<GatewayScope, boolean> {
  const grants = {} as Record<GatewayScope, boolean>;
  for (const scope of GATEWAY_SCOPES) grants[scope] = caller?.scopes.has(scope) ?? false;
  return grants;
}
