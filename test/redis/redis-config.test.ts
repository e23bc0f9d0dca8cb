// The scale-out settings and the replica share: pure, no Redis needed.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { describeRedisUrl } from '../../src/redis/redis-config.js';
import { replicaShare } from '../../src/redis/replica-share.js';
import { loadSettings } from '../../src/settings.js';

/** The scale-out section of the settings read from `env`. */
const redisSettings = (env: Record<string, string>) => loadSettings(env).redis;

describe('loadSettings: the scale-out section', () => {
  it('is null without REDIS_URL: one process, nothing shared', () => {
    expect(redisSettings({})).toBeNull();
    expect(redisSettings({ REDIS_URL: '  ', REDIS_REPLICAS: '3' })).toBeNull();
  });

  it('fills in the defaults', () => {
    const config = redisSettings({ REDIS_URL: 'redis://127.0.0.1:6379/2' });
    expect(config).toMatchObject({
      url: 'redis://127.0.0.1:6379/2',
      keyPrefix: 'tts:',
      replicas: 1,
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 1_000,
      refreshLockTtlMs: 15_000,
      refreshWaitMs: 30_000,
      invalidationChannel: 'tts:invalidate',
    });
    expect(config?.instanceId).toMatch(/^.+:\d+:[0-9a-f]{6}$/);
  });

  it('reads every variable', () => {
    expect(
      redisSettings({
        REDIS_URL: 'rediss://user:secret@redis.internal:6380',
        REDIS_KEY_PREFIX: 'agency-1:',
        REDIS_REPLICAS: '4',
        REDIS_CONNECT_TIMEOUT_MS: '500',
        REDIS_COMMAND_TIMEOUT_MS: '250',
        REDIS_REFRESH_LOCK_TTL_MS: '20000',
        REDIS_REFRESH_WAIT_MS: '40000',
        REDIS_INVALIDATION_CHANNEL: 'agency-1:cache',
        REDIS_INSTANCE_ID: 'pod-7',
      }),
    ).toEqual({
      url: 'rediss://user:secret@redis.internal:6380',
      keyPrefix: 'agency-1:',
      replicas: 4,
      connectTimeoutMs: 500,
      commandTimeoutMs: 250,
      refreshLockTtlMs: 20_000,
      refreshWaitMs: 40_000,
      invalidationChannel: 'agency-1:cache',
      instanceId: 'pod-7',
    });
  });

  it('reports every problem by name and never echoes a value', () => {
    let failure: unknown;
    try {
      redisSettings({
        REDIS_URL: 'http://user:hunter2-password@example.com',
        REDIS_KEY_PREFIX: 'has spaces',
        REDIS_REPLICAS: '0',
        REDIS_COMMAND_TIMEOUT_MS: 'soon',
      });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    const { problems, message } = failure as ConfigError;
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'REDIS_COMMAND_TIMEOUT_MS',
      'REDIS_KEY_PREFIX',
      'REDIS_REPLICAS',
      'REDIS_URL',
    ]);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('has spaces');
  });
});

describe('describeRedisUrl', () => {
  it('drops the user and password', () => {
    expect(describeRedisUrl('redis://user:secret@10.0.0.5:6380/3')).toBe('redis://10.0.0.5:6380/3');
    expect(describeRedisUrl('rediss://:secret@cache')).toBe('rediss://cache:6379/0');
  });
});

describe('replicaShare', () => {
  it('splits the rate evenly and rounds the burst down, never below 1', () => {
    const budget = { requestsPerSecond: 10, burst: 5, maxQueue: 100, maxWaitMs: 5_000 };
    expect(replicaShare(budget, 1)).toEqual(budget);
    expect(replicaShare(budget, 2)).toEqual({ ...budget, requestsPerSecond: 5, burst: 2 });
    expect(replicaShare(budget, 8)).toEqual({ ...budget, requestsPerSecond: 1.25, burst: 1 });
    expect(() => replicaShare(budget, 0)).toThrow(RangeError);
  });
});
