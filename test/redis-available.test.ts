// The suite's globalSetup (test/redis-available.ts): one clear message when Redis is not there.
import { describe, expect, it } from 'vitest';
import { closedPort } from './cli/run-cli.js';
import { SHARED_REDIS_URL } from './redis/helpers/redis.js';
import { requireRedis } from './redis-available.js';

describe('requireRedis', () => {
  it('resolves when the shared Redis answers PING', async () => {
    await expect(requireRedis(SHARED_REDIS_URL)).resolves.toBeUndefined();
  });

  it('says how to start Redis when nothing listens', async () => {
    const port = await closedPort();
    const failure = requireRedis(`redis://127.0.0.1:${port}`);
    await expect(failure).rejects.toThrow(
      `The tests need Redis at 127.0.0.1:${port}, and it is not answering (ECONNREFUSED). Start it with\n` +
        "  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no",
    );
  });
});
