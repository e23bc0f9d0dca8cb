// `npm run doctor` as a child process: all ✓ in sandbox mode; ✗ and a non-zero exit when the API
// cannot be reached or the token is refused, never printing a token.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import { closedPort, type RunningCli, readStore, runCli, statusLines } from './run-cli.js';

const KEY = '5a'.repeat(32);

describe('npm run doctor', () => {
  const running: RunningCli[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cli of running.splice(0)) cli.cleanup();
    for (const close of closers.splice(0)) await close();
  });
  const start = (...args: Parameters<typeof runCli>) => {
    const cli = runCli(...args);
    running.push(cli);
    return cli;
  };

  it('prints one ✓ per check in sandbox mode and exits 0', async () => {
    const cli = start('doctor', []);
    expect(await cli.exited).toBe(0);
    const output = cli.output();
    expect(statusLines(output)).toEqual(
      ['Config', 'Signature', 'Token', 'Authorised shops', 'Products', 'Orders', 'Analytics'].map(
        (label) => ({ ok: true, label }),
      ),
    );
    expect(output).toContain('All checks passed.');
    expect(output).toMatch(/Products: 5 of \d+ read/);
    expect(output).toMatch(/Orders: 5 of \d+ read/);
    const { sellers } = await readStore(join(cli.cwd, '.data/sandbox-doctor-tokens.json'));
    expect(sellers).toHaveLength(1);
    expect(output).not.toContain(sellers[0]!.tokens.accessToken);
    expect(output).not.toContain(sellers[0]!.tokens.refreshToken!);
  }, 60_000);

  it('exits 1 with ✗ lines when the API base is a closed loopback port', async () => {
    const port = await closedPort();
    const cli = start('doctor', [], {
      TIKTOK_SHOP_APP_KEY: 'app-key-123',
      TIKTOK_SHOP_APP_SECRET: 'app-secret-456',
      TIKTOK_SHOP_API_BASE: `http://127.0.0.1:${port}`,
      TIKTOK_SHOP_AUTH_BASE: `http://127.0.0.1:${port}`,
      TIKTOK_SHOP_ACCESS_TOKEN: 'TTP_seeded-token-that-must-not-print',
      TIKTOK_SHOP_MAX_ATTEMPTS: '1',
      TOKEN_ENCRYPTION_KEY: KEY,
    });
    expect(await cli.exited).toBe(1);
    const output = cli.output();
    const lines = statusLines(output);
    expect(lines.slice(0, 3)).toEqual([
      { ok: true, label: 'Config' },
      { ok: true, label: 'Signature' },
      { ok: true, label: 'Token' },
    ]);
    expect(lines.slice(3).map((line) => line.ok)).toEqual([false, false, false, false]);
    expect(output).toMatch(/✗ Authorised shops: .*could not connect/);
    expect(output).toContain('4 check(s) failed.');
    expect(output).not.toContain('TTP_seeded-token-that-must-not-print');
  }, 60_000);

  it('exits 1 when TikTok refuses the token', async () => {
    const emulator = await createEmulator({ scale: 0.05 });
    closers.push(() => emulator.close());
    const cli = start('doctor', [], {
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_ACCESS_TOKEN: 'TTP_not-a-token-the-emulator-issued',
      TOKEN_ENCRYPTION_KEY: KEY,
    });
    expect(await cli.exited).toBe(1);
    const output = cli.output();
    expect(output).toMatch(/✗ Authorised shops: .*access token not accepted/);
    expect(output).not.toContain('TTP_not-a-token-the-emulator-issued');
  }, 60_000);

  it('refuses to run outside sandbox mode without TOKEN_ENCRYPTION_KEY', async () => {
    const cli = start('doctor', [], {
      TIKTOK_SHOP_APP_KEY: 'app-key-123',
      TIKTOK_SHOP_APP_SECRET: 'app-secret-456',
    });
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toMatch(/✗ Config: TOKEN_ENCRYPTION_KEY is not set/);
  }, 60_000);
});
