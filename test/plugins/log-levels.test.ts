// Issue 10: errors a client sees are logged by what they are: a refused field (FORBIDDEN) at info,
// upstream trouble at warn, and only the gateway's own faults at error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';

const ORDERS_ONLY_KEY = 'orders-only-key-0123456789abcdef';

describe('log levels of client-visible errors', () => {
  const lines: Array<{ level: keyof Logger; message: string }> = [];
  const record =
    (level: keyof Logger) =>
    (_fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, message });
    };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      apiKeys: `all:${TEST_API_KEY}:*,orders:${ORDERS_ONLY_KEY}:order.read`,
      env: { CACHE_ENABLED: 'false' },
      logger,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const levelsOf = (pattern: RegExp) =>
    lines.filter((line) => pattern.test(line.message)).map((line) => line.level);

  it('logs a refused field at info, never at error', async () => {
    lines.length = 0;
    const { body } = await t.executeText(
      '{ products(first: 1) { totalCount } }',
      {},
      {
        apiKey: ORDERS_ONLY_KEY,
      },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(levelsOf(/lacks scope product\.read/)).not.toHaveLength(0);
    expect(new Set(levelsOf(/lacks scope product\.read/))).toEqual(new Set(['info']));
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('logs an upstream failure at warn, never at error', async () => {
    lines.length = 0;
    t.emulator.setFaults({ errorRate: 1, pathPrefixes: ['/order'] });
    try {
      const { body } = await t.executeText('{ orders(first: 1) { totalCount } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    } finally {
      t.emulator.setFaults({});
    }
    expect(levelsOf(/^order\.search: TikTok Shop internal error/)).toEqual(['warn']);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
