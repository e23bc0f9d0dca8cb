// EMULATOR_* variables become EmulatorOptions; every bad value is reported at once.
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMULATOR_PORT, readEmulatorEnv } from '../../src/emulator/emulator-env.js';

describe('readEmulatorEnv', () => {
  it('defaults to port 8787 and nothing else', () => {
    expect(readEmulatorEnv({})).toEqual({ ok: true, options: { port: DEFAULT_EMULATOR_PORT } });
    expect(readEmulatorEnv({ EMULATOR_SEED: '', EMULATOR_PORT: ' ' })).toEqual({
      ok: true,
      options: { port: 8787 },
    });
  });

  it('reads every variable', () => {
    const result = readEmulatorEnv({
      EMULATOR_PORT: '9000',
      EMULATOR_HOST: '::1',
      EMULATOR_SEED: '7',
      EMULATOR_SCALE: '0.5',
      EMULATOR_APP_KEY: 'key',
      EMULATOR_APP_SECRET: 'secret',
      EMULATOR_SERVICE_ID: '123',
      EMULATOR_REDIRECT_URIS: 'http://localhost:4000/cb, https://example.com/cb',
      EMULATOR_ACCESS_TOKEN_TTL_SECONDS: '60',
      EMULATOR_REFRESH_TOKEN_TTL_SECONDS: '600',
      EMULATOR_RATE_LIMIT: '5',
      EMULATOR_RATE_BURST: '2',
      EMULATOR_LATENCY_MS: '50',
      EMULATOR_LATENCY_JITTER_MS: '10',
      EMULATOR_ERROR_RATE: '0.1',
      EMULATOR_RATE_LIMIT_RATE: '0.05',
      EMULATOR_DROP_RATE: '0.01',
      EMULATOR_MALFORMED_RATE: '0.02',
      EMULATOR_STALL_RATE: '0.03',
    });
    expect(result).toEqual({
      ok: true,
      options: {
        port: 9000,
        host: '::1',
        seed: 7,
        scale: 0.5,
        appKey: 'key',
        appSecret: 'secret',
        serviceId: '123',
        redirectUris: ['http://localhost:4000/cb', 'https://example.com/cb'],
        accessTokenTtlSeconds: 60,
        refreshTokenTtlSeconds: 600,
        rateLimit: { requestsPerSecond: 5, burst: 2 },
        faults: {
          latencyMs: 50,
          latencyJitterMs: 10,
          errorRate: 0.1,
          rateLimitRate: 0.05,
          dropRate: 0.01,
          malformedRate: 0.02,
          stallRate: 0.03,
        },
      },
    });
  });

  it('EMULATOR_RATE_LIMIT=0 turns the limit off', () => {
    expect(readEmulatorEnv({ EMULATOR_RATE_LIMIT: '0' })).toEqual({
      ok: true,
      options: { port: 8787, rateLimit: false },
    });
  });

  it('reports every bad value at once', () => {
    const result = readEmulatorEnv({
      EMULATOR_PORT: '70000',
      EMULATOR_SEED: '1.5',
      EMULATOR_RATE_BURST: '0',
      EMULATOR_ERROR_RATE: '2',
      EMULATOR_ACCESS_TOKEN_TTL_SECONDS: 'soon',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.split(':')[0])).toEqual([
      'EMULATOR_PORT',
      'EMULATOR_SEED',
      'EMULATOR_ACCESS_TOKEN_TTL_SECONDS',
      'EMULATOR_RATE_BURST',
      'EMULATOR_ERROR_RATE',
    ]);
  });

  it('refuses fault rates that add up to more than 1', () => {
    const result = readEmulatorEnv({ EMULATOR_ERROR_RATE: '0.7', EMULATOR_DROP_RATE: '0.7' });
    expect(result.ok).toBe(false);
  });
});
