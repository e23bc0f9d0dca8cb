// `npm run webhooks` as a child process against an emulator this test runs (TikTok mode, a token
// the emulator issued), so the subscriptions outlive each run: set, list, delete, the default
// topics; bad options refused with nothing sent; a failing Event API is ✗ and exit 1. And once in
// sandbox mode, on its own emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { type RunningCli, runCli, statusLines } from './run-cli.js';

const KEY = '6b'.repeat(32);
const URL_A = 'https://hooks.example.com/webhooks/tiktok';
const URL_B = 'https://other.example.com/tiktok';
/** The topics the gateway consumes (§8 types 1, 3–7, 11, 12, 15, 16, 37). */
const DEFAULT_TOPICS = 11;

describe('npm run webhooks', () => {
  let emulator: EmulatorHandle;
  let env: Record<string, string>;
  let accessToken: string;
  let us: { id: string; name: string };
  let gb: { id: string; name: string };
  const running: RunningCli[] = [];

  beforeAll(async () => {
    emulator = await createEmulator({ scale: 0.05, rateLimit: false });
    const seller = emulator.sellers[0]!;
    us = seller.shops.find((shop) => shop.region === 'US')!;
    gb = seller.shops.find((shop) => shop.region === 'GB')!;
    accessToken = emulator.issueTokens({ openId: seller.openId }).accessToken;
    env = {
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_ACCESS_TOKEN: accessToken,
      TIKTOK_SHOP_MAX_ATTEMPTS: '1',
      TOKEN_ENCRYPTION_KEY: KEY,
    };
  });
  afterAll(async () => {
    for (const cli of running.splice(0)) cli.cleanup();
    await emulator?.close();
  });

  /** Runs the CLI to its end: exit code, output, ✓/✗ lines, and what reached the emulator. */
  const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
    emulator.resetRequests();
    const cli = runCli('webhooks', args, { ...env, ...extraEnv });
    running.push(cli);
    const code = await cli.exited;
    const output = cli.output();
    expect(output).not.toContain(accessToken);
    return { code, output, lines: statusLines(output), counters: emulator.counters() };
  };
  const label = (shop: { id: string; name: string }, region: string) =>
    `Shop ${shop.name} ${shop.id} (${region})`;

  it('sets topics for one shop, lists every shop, deletes one, sets the defaults', async () => {
    const set = await run([
      '--url',
      URL_A,
      '--events',
      'ORDER_STATUS_CHANGE, PACKAGE_UPDATE',
      '--shop',
      us.id,
    ]);
    expect(set.code).toBe(0);
    expect(set.lines).toEqual([
      { ok: true, label: 'Config' },
      { ok: true, label: label(us, 'US') },
    ]);
    expect(set.output).toContain(`set 2 of 2 event type(s) to ${URL_A}`);
    expect(set.output).toMatch(new RegExp(`PACKAGE_UPDATE +${URL_A}`));
    expect(set.counters[`event.webhooks.update ${us.id}`]).toBe(2);
    expect(set.counters[`event.webhooks.update ${gb.id}`]).toBeUndefined();

    const listed = await run(['--list']);
    expect(listed.code).toBe(0);
    expect(listed.lines.map((line) => line.label)).toEqual([
      'Config',
      label(us, 'US'),
      label(gb, 'GB'),
    ]);
    expect(listed.output).toContain(`${label(us, 'US')}: 2 subscription(s)`);
    expect(listed.output).toContain(`${label(gb, 'GB')}: 0 subscription(s)`);
    expect(listed.counters['event.webhooks.update']).toBeUndefined();

    const deleted = await run(['--delete', '--events', 'PACKAGE_UPDATE', '--shop', us.id]);
    expect(deleted.code).toBe(0);
    expect(deleted.output).toContain('deleted 1 of 1 event type(s)');
    expect(deleted.output).toMatch(new RegExp(`ORDER_STATUS_CHANGE +${URL_A}`));
    expect(deleted.output).not.toMatch(/ PACKAGE_UPDATE /);
    expect(deleted.counters[`event.webhooks.delete ${us.id}`]).toBe(1);

    const defaults = await run(['--url', URL_B, '--shop', gb.id]);
    expect(defaults.code).toBe(0);
    expect(defaults.output).toContain(`set ${DEFAULT_TOPICS} of ${DEFAULT_TOPICS} event type(s)`);
    expect(defaults.counters[`event.webhooks.update ${gb.id}`]).toBe(DEFAULT_TOPICS);
    for (const topic of [
      'ORDER_STATUS_CHANGE',
      'SELLER_DEAUTHORIZATION',
      'PRODUCT_AUDIT_STATUS_CHANGE',
    ]) {
      expect(defaults.output).toMatch(new RegExp(`${topic} +${URL_B}`));
    }
    expect(defaults.output).not.toContain('NEW_MESSAGE');
  }, 120_000);

  it('refuses bad options with ✗ Options and exit 1, sending nothing', async () => {
    // Every refusal is read in webhook-options.test.ts; here, that nothing starts or is sent.
    const cases = [
      [[], /give --url/],
      [
        ['--url', URL_A, '--events', 'ORDER_STATUS_CHANGE,NOPE'],
        /--events: NOPE is not an event type/,
      ],
    ] as const;
    emulator.resetRequests();
    const runs = cases.map(([args]) => {
      const cli = runCli('webhooks', [...args], env);
      running.push(cli);
      return cli;
    });
    for (const [index, cli] of runs.entries()) {
      expect(await cli.exited).toBe(1);
      expect(statusLines(cli.output())).toEqual([{ ok: false, label: 'Options' }]);
      expect(cli.output()).toMatch(cases[index]![1]);
      expect(cli.output()).toContain('Nothing was sent');
    }
    expect(emulator.requests()).toEqual([]);
  }, 120_000);

  it('says which shop is not authorised, and exits 1', async () => {
    const { code, lines, output } = await run(['--list', '--shop', '1234567890']);
    expect(code).toBe(1);
    expect(lines).toEqual([
      { ok: true, label: 'Config' },
      { ok: false, label: 'Shops' },
    ]);
    expect(output).toContain(`1234567890 is not an authorised shop (authorised: `);
  }, 60_000);

  it('is ✗ for a shop whose Event API fails, and exits 1', async () => {
    emulator.setFaults({ errorRate: 1, pathPrefixes: ['/event/'] });
    try {
      const { code, lines, output } = await run([
        '--url',
        URL_A,
        '--events',
        'RETURN_STATUS_CHANGE',
        '--shop',
        us.id,
      ]);
      expect(code).toBe(1);
      expect(lines).toEqual([
        { ok: true, label: 'Config' },
        { ok: false, label: label(us, 'US') },
        { ok: false, label: label(us, 'US') },
      ]);
      expect(output).toMatch(
        /set 0 of 1 event type\(s\) .*; failed RETURN_STATUS_CHANGE: .*event\.webhooks\.update/,
      );
      expect(output).toMatch(/subscriptions not read back: .*event\.webhooks\.list/);
      expect(output).toContain('2 failure(s).');
    } finally {
      emulator.setFaults({});
    }
  }, 60_000);

  it('runs in sandbox mode on its own emulator: every demo shop, the default topics', async () => {
    const cli = runCli('webhooks', ['--url', URL_A]);
    running.push(cli);
    expect(await cli.exited).toBe(0);
    const output = cli.output();
    const lines = statusLines(output);
    expect(lines[0]).toEqual({ ok: true, label: 'Config' });
    expect(lines.slice(1).map((line) => line.ok)).toEqual([true, true]);
    expect(output).toMatch(/sandbox mode/);
    expect(
      output.match(new RegExp(`set ${DEFAULT_TOPICS} of ${DEFAULT_TOPICS} event type`, 'g')),
    ).toHaveLength(2);
  }, 120_000);
});
