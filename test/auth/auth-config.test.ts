import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deriveKey,
  parseEncryptionKey,
  resolveEncryptionKey,
} from '../../src/auth/encryption-key.js';
import { EncryptionKeyError } from '../../src/auth/errors.js';
import { ConfigError } from '../../src/config.js';
import { loadSettings } from '../../src/settings.js';

/** The auth section of the settings read from `env`. */
const authSettings = (env: Record<string, string>) => loadSettings(env).auth;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSettings: the auth section', () => {
  it('has documented defaults when nothing is set', () => {
    const config = authSettings({});
    expect(config).toEqual({
      tokenEncryptionKey: undefined,
      tokenStorePath: resolve('.data/tokens.json'),
      hasTokenStorePath: false,
      apiKeys: [],
      jwt: undefined,
      serviceId: undefined,
      authorizeBase: undefined,
      authorizeRegion: 'global',
      oauthCallbackPath: '/oauth/callback',
      oauthRedirectUri: 'http://localhost:8000/callback',
      oauthRedirectUris: ['http://127.0.0.1:4000/oauth/callback', 'http://localhost:8000/callback'],
      oauthStateTtlMs: 600_000,
      tokenRefreshMarginMs: 300_000,
    });
  });

  it('reads every variable', () => {
    const key = randomBytes(32);
    const config = authSettings({
      TOKEN_ENCRYPTION_KEY: key.toString('base64'),
      TOKEN_STORE_PATH: '/var/lib/gateway/tokens.json',
      GATEWAY_API_KEYS: 'ops:k_ops_0123456789abcdef:*',
      GATEWAY_JWT_SECRET: 'x'.repeat(32),
      GATEWAY_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      GATEWAY_JWT_ISSUER: 'https://idp.example',
      GATEWAY_JWT_AUDIENCE: 'gateway, reports',
      GATEWAY_JWT_MAX_LIFETIME_S: '3600',
      GATEWAY_JWT_REQUIRE_SHOPS: 'true',
      TIKTOK_SHOP_SERVICE_ID: '7123',
      TIKTOK_SHOP_AUTHORIZE_BASE: 'http://127.0.0.1:9999/',
      OAUTH_CALLBACK_PATH: '/auth/tiktok/callback',
      OAUTH_REDIRECT_URI: 'http://127.0.0.1:8123/callback',
      OAUTH_STATE_TTL_MS: '120000',
      TOKEN_REFRESH_MARGIN_MS: '0',
    });
    expect(config.tokenEncryptionKey?.equals(key)).toBe(true);
    expect(config.tokenStorePath).toBe('/var/lib/gateway/tokens.json');
    expect(config.hasTokenStorePath).toBe(true);
    expect(config.apiKeys.map((entry) => entry.name)).toEqual(['ops']);
    expect(config.jwt).toEqual({
      secret: new TextEncoder().encode('x'.repeat(32)),
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      issuer: 'https://idp.example',
      audience: ['gateway', 'reports'],
      maxLifetimeSeconds: 3600,
      requireShops: true,
    });
    expect(config.serviceId).toBe('7123');
    expect(config.authorizeBase).toBe('http://127.0.0.1:9999');
    expect(config.oauthCallbackPath).toBe('/auth/tiktok/callback');
    expect(config.oauthRedirectUri).toBe('http://127.0.0.1:8123/callback');
    expect(config.oauthStateTtlMs).toBe(120_000);
    expect(config.tokenRefreshMarginMs).toBe(0);
  });

  it('picks the US authorize host for TIKTOK_SHOP_AUTHORIZE_REGION=us, which needs a service id', () => {
    expect(
      authSettings({ TIKTOK_SHOP_SERVICE_ID: '7123', TIKTOK_SHOP_AUTHORIZE_REGION: 'us' })
        .authorizeRegion,
    ).toBe('us');
    expect(problemsOf(() => authSettings({ TIKTOK_SHOP_AUTHORIZE_REGION: 'us' }))).toEqual([
      'TIKTOK_SHOP_AUTHORIZE_REGION: us needs TIKTOK_SHOP_SERVICE_ID',
    ]);
    expect(problemsOf(() => authSettings({ TIKTOK_SHOP_AUTHORIZE_REGION: 'eu' }))).toEqual([
      'TIKTOK_SHOP_AUTHORIZE_REGION: must be one of global, us',
    ]);
  });

  it('reports every problem by name without echoing secrets', () => {
    const apiKey = 'tooshort';
    const jwtSecret = 'short-jwt-secret';
    const encryptionKey = 'not-a-valid-key-value';
    const problems = problemsOf(() =>
      authSettings({
        TOKEN_ENCRYPTION_KEY: encryptionKey,
        GATEWAY_API_KEYS: `svc:${apiKey}:order.read`,
        GATEWAY_JWT_SECRET: jwtSecret,
        GATEWAY_JWKS_URL: 'http://idp.example/jwks',
        TIKTOK_SHOP_AUTHORIZE_BASE: 'ftp://x',
        OAUTH_CALLBACK_PATH: 'oauth/callback',
        OAUTH_STATE_TTL_MS: 'soon',
        TOKEN_REFRESH_MARGIN_MS: '-5',
      }),
    );
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(
      [
        'GATEWAY_API_KEYS',
        'GATEWAY_JWKS_URL',
        'GATEWAY_JWT_SECRET',
        'OAUTH_CALLBACK_PATH',
        'OAUTH_STATE_TTL_MS',
        'TIKTOK_SHOP_AUTHORIZE_BASE',
        'TOKEN_ENCRYPTION_KEY',
        'TOKEN_REFRESH_MARGIN_MS',
      ].sort(),
    );
    const text = problems.join('\n');
    for (const secret of [apiKey, jwtSecret, encryptionKey]) expect(text).not.toContain(secret);
  });

  it('derives the redirect allowlist from HOST, PORT and the callback path, or reads it', () => {
    expect(
      authSettings({
        HOST: '0.0.0.0',
        PORT: '8080',
        OAUTH_CALLBACK_PATH: '/tiktok/back',
        OAUTH_REDIRECT_URI: 'http://127.0.0.1:9000/cli',
      }).oauthRedirectUris,
    ).toEqual(['http://0.0.0.0:8080/tiktok/back', 'http://127.0.0.1:9000/cli']);
    expect(authSettings({ HOST: '::1' }).oauthRedirectUris[0]).toBe(
      'http://[::1]:4000/oauth/callback',
    );
    expect(
      authSettings({
        OAUTH_REDIRECT_URIS:
          ' https://gw.example.com/oauth/callback , http://localhost:8000/callback',
      }).oauthRedirectUris,
    ).toEqual(['https://gw.example.com/oauth/callback', 'http://localhost:8000/callback']);
  });

  it('refuses redirect URIs that are not absolute http(s) URLs, and a CLI redirect outside them', () => {
    for (const value of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      '/oauth/callback',
      'https://a.example/cb,',
      'https://a.example/cb#x',
    ]) {
      expect(
        problemsOf(() => authSettings({ OAUTH_REDIRECT_URIS: value })),
        value,
      ).toEqual([
        'OAUTH_REDIRECT_URIS: comma-separated list; each must be an absolute http(s) URL ' +
          'without credentials or fragment',
      ]);
    }
    expect(problemsOf(() => authSettings({ OAUTH_REDIRECT_URI: 'javascript:x' }))).toEqual([
      'OAUTH_REDIRECT_URI: must be an absolute http(s) URL without credentials or fragment',
    ]);
    expect(
      problemsOf(() =>
        authSettings({
          OAUTH_REDIRECT_URIS: 'https://gw.example.com/oauth/callback',
          OAUTH_REDIRECT_URI: 'http://localhost:8000/callback',
        }),
      ),
    ).toEqual(['OAUTH_REDIRECT_URI: must be one of OAUTH_REDIRECT_URIS']);
  });

  it('wants a way to verify JWTs when issuer or audience is set', () => {
    expect(problemsOf(() => authSettings({ GATEWAY_JWT_ISSUER: 'https://idp' }))).toEqual([
      'GATEWAY_JWT_ISSUER: needs GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL',
    ]);
  });

  it('bounds JWT lifetimes by a day and grants every shop without a claim by default', () => {
    const config = authSettings({ GATEWAY_JWT_SECRET: 'x'.repeat(32) });
    expect(config.jwt).toMatchObject({ maxLifetimeSeconds: 86_400, requireShops: false });
    expect(
      problemsOf(() =>
        authSettings({
          GATEWAY_JWT_SECRET: 'x'.repeat(32),
          GATEWAY_JWT_MAX_LIFETIME_S: '0',
          GATEWAY_JWT_REQUIRE_SHOPS: 'maybe',
        }),
      ),
    ).toEqual([
      'GATEWAY_JWT_MAX_LIFETIME_S: must be greater than 0',
      'GATEWAY_JWT_REQUIRE_SHOPS: must be true or false',
    ]);
    expect(problemsOf(() => authSettings({ GATEWAY_JWT_REQUIRE_SHOPS: 'true' }))).toEqual([
      'GATEWAY_JWT_REQUIRE_SHOPS: needs GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL',
    ]);
  });
});

describe('parseEncryptionKey', () => {
  it('accepts 64 hex characters and base64 of 32 bytes', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseEncryptionKey(key.toString('base64url')).equals(key)).toBe(true);
  });

  it('refuses other lengths with a hint, never the value', () => {
    for (const value of [
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'plainly-not-a-key',
    ]) {
      let error: unknown;
      try {
        parseEncryptionKey(value);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(EncryptionKeyError);
      expect((error as Error).message).toContain('openssl rand -hex 32');
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('derives distinct subkeys per purpose', () => {
    const key = randomBytes(32);
    expect(deriveKey(key, 'a')).toHaveLength(32);
    expect(deriveKey(key, 'a').equals(deriveKey(key, 'a'))).toBe(true);
    expect(deriveKey(key, 'a').equals(deriveKey(key, 'b'))).toBe(false);
  });
});

describe('resolveEncryptionKey', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'encryption-key-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prefers TOKEN_ENCRYPTION_KEY in any mode', async () => {
    const key = randomBytes(32);
    const resolved = await resolveEncryptionKey({
      mode: 'tiktok',
      configured: authSettings({ TOKEN_ENCRYPTION_KEY: key.toString('hex') }).tokenEncryptionKey,
      dataDir: directory,
    });
    expect(resolved.source).toBe('environment');
    expect(resolved.key.equals(key)).toBe(true);
  });

  it('generates a 0600 key file in sandbox mode and reuses it on the next start', async () => {
    const dataDir = join(directory, '.data');
    const first = await resolveEncryptionKey({ mode: 'sandbox', configured: undefined, dataDir });
    expect(first.source).toBe('generated');
    expect(first.path).toBe(join(dataDir, 'encryption.key'));
    expect((await stat(join(dataDir, 'encryption.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dataDir, 'encryption.key'), 'utf8')).trim()).toBe(
      first.key.toString('hex'),
    );
    const second = await resolveEncryptionKey({ mode: 'sandbox', configured: undefined, dataDir });
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('refuses a damaged sandbox key file rather than replacing it', async () => {
    await writeFile(join(directory, 'encryption.key'), 'garbage');
    await expect(
      resolveEncryptionKey({ mode: 'sandbox', configured: undefined, dataDir: directory }),
    ).rejects.toThrow(EncryptionKeyError);
    expect(await readFile(join(directory, 'encryption.key'), 'utf8')).toBe('garbage');
  });

  it('refuses to run without a key outside sandbox mode, saying how to make one', async () => {
    const error = await resolveEncryptionKey({
      mode: 'tiktok',
      configured: undefined,
      dataDir: directory,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EncryptionKeyError);
    expect((error as Error).message).toMatch(/TOKEN_ENCRYPTION_KEY is not set/);
    expect((error as Error).message).toContain('openssl rand -hex 32');
  });
});
