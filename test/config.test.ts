import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { loadSettings, readEnvironment } from '../src/settings.js';

describe('loadSettings', () => {
  it('runs in sandbox mode with documented defaults when nothing is set', () => {
    const config = loadSettings({});
    expect(config.mode).toBe('sandbox');
    expect(config.credentials).toBeUndefined();
    expect(config.apiBase).toBe('https://open-api.tiktokglobalshop.com');
    expect(config.authBase).toBe('https://auth.tiktok-shops.com');
    expect(config.rateLimit.requestsPerSecond).toBe(10);
    expect(config.port).toBe(4000);
    expect(config.cache.enabled).toBe(true);
    expect(config.batchingEnabled).toBe(true);
  });

  it('switches to tiktok mode with app credentials and strips trailing slashes from bases', () => {
    const config = loadSettings({
      TIKTOK_SHOP_APP_KEY: 'key123',
      TIKTOK_SHOP_APP_SECRET: 'secret456',
      TIKTOK_SHOP_ACCESS_TOKEN: 'TTP_abc',
      TIKTOK_SHOP_SHOP_ID: '7000714532876273420',
      TIKTOK_SHOP_API_BASE: 'http://127.0.0.1:9999/',
      TIKTOK_SHOP_RATE_LIMIT: '2.5',
    });
    expect(config.mode).toBe('tiktok');
    expect(config.credentials).toEqual({ appKey: 'key123', appSecret: 'secret456' });
    expect(config.accessToken).toBe('TTP_abc');
    expect(config.defaultShopId).toBe('7000714532876273420');
    expect(config.apiBase).toBe('http://127.0.0.1:9999');
    expect(config.rateLimit.requestsPerSecond).toBe(2.5);
  });

  it('reports every problem at once, by variable name, without echoing values', () => {
    const secret = 'super-secret-value-123';
    let caught: unknown;
    try {
      loadSettings({
        TIKTOK_SHOP_APP_SECRET: secret,
        TIKTOK_SHOP_RATE_LIMIT: 'fast',
        TIKTOK_SHOP_API_BASE: 'not a url',
        PORT: '-1',
        CACHE_ENABLED: 'maybe',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    const names = error.problems.map((problem) => problem.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'TIKTOK_SHOP_RATE_LIMIT',
        'TIKTOK_SHOP_API_BASE',
        'PORT',
        'CACHE_ENABLED',
      ]),
    );
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('fast');
    expect(error.message).not.toContain('not a url');
  });

  it('reads the circuit breaker: 5 failures and 30 s by default, 0 failures turns it off', () => {
    expect(loadSettings({}).breaker).toEqual({ failureThreshold: 5, cooldownMs: 30_000 });
    const off = loadSettings({
      TIKTOK_SHOP_BREAKER_FAILURES: '0',
      TIKTOK_SHOP_BREAKER_COOLDOWN_MS: '500',
    });
    expect(off.breaker).toEqual({ failureThreshold: 0, cooldownMs: 500 });
    expect(() =>
      loadSettings({ TIKTOK_SHOP_BREAKER_FAILURES: '-1', TIKTOK_SHOP_BREAKER_COOLDOWN_MS: '0' }),
    ).toThrow(/TIKTOK_SHOP_BREAKER_FAILURES.*\n.*TIKTOK_SHOP_BREAKER_COOLDOWN_MS/);
  });

  it('requires the secret when the key is set, and the key when the secret is set', () => {
    expect(() => loadSettings({ TIKTOK_SHOP_APP_KEY: 'k' })).toThrow(/TIKTOK_SHOP_APP_SECRET/);
    expect(() => loadSettings({ TIKTOK_SHOP_APP_SECRET: 's' })).toThrow(/TIKTOK_SHOP_APP_KEY/);
  });
});

describe('readEnvironment', () => {
  const touched = ['TEST_DOTENV_ONLY_IN_FILE', 'TEST_DOTENV_IN_BOTH'];
  afterEach(() => {
    for (const name of touched) delete process.env[name];
  });

  it('loads .env when present and lets the real environment win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-env-'));
    const path = join(dir, '.env');
    writeFileSync(path, 'TEST_DOTENV_ONLY_IN_FILE=from-file\nTEST_DOTENV_IN_BOTH=from-file\n');
    process.env.TEST_DOTENV_IN_BOTH = 'from-environment';
    const env = readEnvironment(path);
    expect(env.TEST_DOTENV_ONLY_IN_FILE).toBe('from-file');
    expect(env.TEST_DOTENV_IN_BOTH).toBe('from-environment');
    expect(process.env.TEST_DOTENV_ONLY_IN_FILE).toBeUndefined();
  });

  it('does nothing when there is no .env', () => {
    expect(readEnvironment(join(tmpdir(), 'no-such-dir-for-gateway', '.env'))).toEqual(process.env);
  });
});
