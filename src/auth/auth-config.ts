// Reads the auth variables once, like config.ts: every problem reported together, by name, and
// no value (keys, secrets) ever echoed.
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { describeIssues, nonNegativeInt, optionalText, positiveInt } from '../env-schema.js';
import {
  type ApiKeyEntry,
  checkJwtSecret,
  type JwtVerificationConfig,
  readApiKeys,
} from './caller.js';
import { parseEncryptionKey } from './encryption-key.js';
import { DEFAULT_TOKEN_STORE_PATH } from './file-token-store.js';

/** Auth variables whose values must never be echoed. */
export const AUTH_SECRET_VARIABLES = [
  'TOKEN_ENCRYPTION_KEY',
  'GATEWAY_API_KEYS',
  'GATEWAY_JWT_SECRET',
] as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isHttpUrl(value: string, { httpsUnlessLoopback }: { httpsUnlessLoopback: boolean }) {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && (!httpsUnlessLoopback || LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

const environmentSchema = z.object({
  TOKEN_ENCRYPTION_KEY: optionalText,
  TOKEN_STORE_PATH: optionalText,
  GATEWAY_API_KEYS: optionalText,
  GATEWAY_JWT_SECRET: optionalText,
  GATEWAY_JWKS_URL: optionalText.refine(
    (value) => value === undefined || isHttpUrl(value, { httpsUnlessLoopback: true }),
    'must be an https URL (http only on loopback)',
  ),
  GATEWAY_JWT_ISSUER: optionalText,
  GATEWAY_JWT_AUDIENCE: optionalText,
  TIKTOK_SHOP_SERVICE_ID: optionalText,
  TIKTOK_SHOP_AUTHORIZE_BASE: optionalText
    .refine(
      (value) => value === undefined || isHttpUrl(value, { httpsUnlessLoopback: false }),
      'must be an absolute http(s) URL',
    )
    .transform((value) => value?.replace(/\/+$/, '')),
  OAUTH_CALLBACK_PATH: optionalText
    .transform((value) => value ?? '/oauth/callback')
    .refine((value) => /^\/[^\s?#]*$/.test(value), 'must be a path starting with /'),
  OAUTH_STATE_TTL_MS: positiveInt(600_000),
  TOKEN_REFRESH_MARGIN_MS: nonNegativeInt(300_000),
});

export interface AuthConfig {
  /** TOKEN_ENCRYPTION_KEY decoded; undefined when unset (see resolveEncryptionKey). */
  tokenEncryptionKey: Buffer | undefined;
  /** Absolute path of the token file. Default `.data/tokens.json`. */
  tokenStorePath: string;
  /** Parsed GATEWAY_API_KEYS (hashes only). */
  apiKeys: ApiKeyEntry[];
  /** JWT verification, when GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL is set. */
  jwt: JwtVerificationConfig | undefined;
  /** TIKTOK_SHOP_SERVICE_ID: selects the `service_id` form of the authorize URL. */
  serviceId: string | undefined;
  /** TIKTOK_SHOP_AUTHORIZE_BASE; undefined lets createOAuthFlow pick TikTok's host. */
  authorizeBase: string | undefined;
  /** Path of the OAuth redirect route. Default `/oauth/callback`. */
  oauthCallbackPath: string;
  /** Lifetime of an OAuth state, ms. Default 600 000. */
  oauthStateTtlMs: number;
  /** Refresh access tokens expiring within this, ms. Default 300 000. */
  tokenRefreshMarginMs: number;
}

/**
 * Builds the AuthConfig from an environment map (pure, like loadConfig). Throws one ConfigError
 * listing every problem by variable name, never the value.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const parsed = environmentSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    problems.push(...describeIssues(parsed.error));
  }
  const values = parsed.success ? parsed.data : undefined;

  // These checks read the raw text so they report even when another variable failed above.
  const text = (name: string) => {
    const value = env[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const apiKeys = readApiKeys(text('GATEWAY_API_KEYS'));
  problems.push(...apiKeys.problems);
  let tokenEncryptionKey: Buffer | undefined;
  const keyText = text('TOKEN_ENCRYPTION_KEY');
  if (keyText) {
    try {
      tokenEncryptionKey = parseEncryptionKey(keyText);
    } catch (error) {
      problems.push(
        `TOKEN_ENCRYPTION_KEY: ${(error as Error).message.replace(/^TOKEN_ENCRYPTION_KEY /, '')}`,
      );
    }
  }
  const jwtSecret = text('GATEWAY_JWT_SECRET');
  const secretProblem = jwtSecret ? checkJwtSecret(jwtSecret) : undefined;
  if (secretProblem) problems.push(`GATEWAY_JWT_SECRET: ${secretProblem}`);
  if (!jwtSecret && !text('GATEWAY_JWKS_URL')) {
    for (const name of ['GATEWAY_JWT_ISSUER', 'GATEWAY_JWT_AUDIENCE']) {
      if (text(name)) problems.push(`${name}: needs GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL`);
    }
  }
  if (problems.length > 0 || !values) throw new ConfigError(problems);

  const audience = values.GATEWAY_JWT_AUDIENCE?.split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const jwt: JwtVerificationConfig | undefined =
    values.GATEWAY_JWT_SECRET || values.GATEWAY_JWKS_URL
      ? {
          ...(values.GATEWAY_JWT_SECRET
            ? { secret: new TextEncoder().encode(values.GATEWAY_JWT_SECRET) }
            : {}),
          ...(values.GATEWAY_JWKS_URL ? { jwksUrl: values.GATEWAY_JWKS_URL } : {}),
          ...(values.GATEWAY_JWT_ISSUER ? { issuer: values.GATEWAY_JWT_ISSUER } : {}),
          ...(audience && audience.length > 0
            ? { audience: audience.length === 1 ? audience[0] : audience }
            : {}),
        }
      : undefined;

  return {
    tokenEncryptionKey,
    tokenStorePath: resolve(values.TOKEN_STORE_PATH ?? DEFAULT_TOKEN_STORE_PATH),
    apiKeys: apiKeys.entries,
    jwt,
    serviceId: values.TIKTOK_SHOP_SERVICE_ID,
    authorizeBase: values.TIKTOK_SHOP_AUTHORIZE_BASE,
    oauthCallbackPath: values.OAUTH_CALLBACK_PATH,
    oauthStateTtlMs: values.OAUTH_STATE_TTL_MS,
    tokenRefreshMarginMs: values.TOKEN_REFRESH_MARGIN_MS,
  };
}
