// `npm run oauth` as a child process: non-interactive in sandbox mode; against an emulator in
// TikTok mode with this test as the seller's browser, through the loopback listener and through
// a pasted redirect URL. Tokens are stored encrypted and only ever printed masked.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { submitAuthorizePage } from '../../src/sandbox.js';
import { closedPort, type RunningCli, readStore, runCli, statusLines } from './run-cli.js';

const KEY = '3c'.repeat(32);
const STEPS = [
  'Credentials',
  'Authorization URL',
  'Code exchanged',
  'Token refresh',
  'Signed call',
  'Stored',
];

function expectMasked(
  output: string,
  tokens: { accessToken: string; refreshToken: string | null },
) {
  for (const token of [tokens.accessToken, tokens.refreshToken ?? '']) {
    expect(output).not.toContain(token);
    expect(output).toContain(`${token.slice(0, 6)}…(${token.length} chars)`);
  }
}

describe('npm run oauth', () => {
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

  it('sandbox, non-interactive: approves on the emulator, exchanges, refreshes, calls, stores', async () => {
    const cli = start('oauth', ['--yes', '--redirect-uri', 'http://127.0.0.1:0/callback']);
    expect(await cli.exited).toBe(0);
    const output = cli.output();
    const lines = statusLines(output);
    expect(lines.every((line) => line.ok)).toBe(true);
    expect(lines.map((line) => line.label)).toEqual([
      'Credentials',
      'Authorization URL',
      'Authorize page',
      ...STEPS.slice(2),
    ]);
    // The redirect went to the CLI's own loopback listener, on the port it bound.
    expect(output).toMatch(/redirected to http:\/\/127\.0\.0\.1:\d+\/callback/);
    const { sellers } = await readStore(join(cli.cwd, '.data/sandbox-oauth-cli-tokens.json'));
    expect(sellers).toHaveLength(1);
    expect(sellers[0]!.shops.length).toBeGreaterThan(1);
    expectMasked(output, sellers[0]!.tokens);
  }, 60_000);

  describe('TikTok mode, against an emulator', () => {
    async function emulatorFor(redirectUri: string): Promise<EmulatorHandle> {
      const emulator = await createEmulator({ scale: 0.05, redirectUris: [redirectUri] });
      closers.push(() => emulator.close());
      return emulator;
    }
    const envFor = (emulator: EmulatorHandle) => ({
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_AUTHORIZE_BASE: emulator.url,
      TOKEN_ENCRYPTION_KEY: KEY,
    });

    it('waits on the loopback redirect URI; the browser lands there and sees the result', async () => {
      const port = await closedPort();
      const redirectUri = `http://127.0.0.1:${port}/callback`;
      const emulator = await emulatorFor(redirectUri);
      const cli = start('oauth', ['--redirect-uri', redirectUri], envFor(emulator), {
        stdin: 'pipe',
      });
      const [url] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+/);
      await cli.waitFor(/Waiting for the redirect/);
      expect(new URL(url).searchParams.get('app_key')).toBe(emulator.appKey);

      // The seller's browser: approve, follow the redirect to the CLI's listener.
      const landing = await submitAuthorizePage(url);
      expect(landing.toString().startsWith(redirectUri)).toBe(true);
      const page = await fetch(landing);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Seller authorised');

      expect(await cli.exited).toBe(0);
      const output = cli.output();
      expect(statusLines(output)).toEqual(STEPS.map((label) => ({ ok: true, label })));
      const { sellers } = await readStore(join(cli.cwd, '.data/tokens.json'), KEY);
      expect(sellers[0]!.openId).toBe(emulator.sellers[0]!.openId);
      expectMasked(output, sellers[0]!.tokens);
      expect(emulator.counters()).toMatchObject({ 'token.get': 1, 'token.refresh': 1 });
    }, 60_000);

    it('--no-wait takes the pasted redirect URL on stdin', async () => {
      const redirectUri = 'https://shop.example.invalid/oauth/callback';
      const emulator = await emulatorFor(redirectUri);
      const cli = start(
        'oauth',
        ['--no-wait', '--redirect-uri', redirectUri],
        { ...envFor(emulator), OAUTH_REDIRECT_URIS: redirectUri },
        { stdin: 'pipe' },
      );
      const [url] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+/);
      await cli.waitFor(/Paste the redirect URL/);
      const landing = await submitAuthorizePage(url);
      cli.child.stdin?.write(`${landing.toString()}\n`);
      expect(await cli.exited).toBe(0);
      expect(statusLines(cli.output())).toEqual(STEPS.map((label) => ({ ok: true, label })));
    }, 60_000);

    it('fails with ✗ when the pasted code belongs to a forged state', async () => {
      const redirectUri = 'https://shop.example.invalid/oauth/callback';
      const emulator = await emulatorFor(redirectUri);
      const cli = start(
        'oauth',
        ['--no-wait', '--redirect-uri', redirectUri],
        { ...envFor(emulator), OAUTH_REDIRECT_URIS: redirectUri },
        { stdin: 'pipe' },
      );
      const [url] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+/);
      await cli.waitFor(/Paste the redirect URL/);
      const landing = await submitAuthorizePage(url);
      landing.searchParams.set('state', `${landing.searchParams.get('state')}x`);
      cli.child.stdin?.write(`${landing.toString()}\n`);
      expect(await cli.exited).toBe(1);
      expect(cli.output()).toMatch(/✗ OAuth: OAuth state is missing or malformed/);
      expect(emulator.counters()['token.get'] ?? 0).toBe(0);
    }, 60_000);

    it('refuses a redirect URI outside OAUTH_REDIRECT_URIS before making a link', async () => {
      const emulator = await emulatorFor('https://evil.example/callback');
      const cli = start(
        'oauth',
        ['--no-wait', '--redirect-uri', 'https://evil.example/callback'],
        envFor(emulator),
      );
      expect(await cli.exited).toBe(1);
      expect(cli.output()).toMatch(/✗ Redirect URI: not an allowed redirect URI/);
      expect(cli.output()).not.toMatch(/authorize\?/);
      expect(emulator.counters()['token.get'] ?? 0).toBe(0);
    }, 60_000);
  });
});
