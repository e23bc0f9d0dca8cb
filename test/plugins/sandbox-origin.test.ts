// Who may see the sandbox's development key in GraphiQL (issue 10): the rules, and a sandbox app
// configured to listen on every interface (HOST=0.0.0.0; nothing is bound here), whose page never
// carries the key, even to a request from the machine itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { isLoopbackHost, isOwnLoopbackOrigin } from '../../src/plugins/sandbox-origin.js';
import { loadSettings } from '../../src/settings.js';

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '192.168.1.2', 'evil.example', '127.0.0.1.evil.example', ''])(
    '%j is not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('isOwnLoopbackOrigin', () => {
  const ask = (url: string, headers: Record<string, string> = {}) =>
    isOwnLoopbackOrigin(new Request(url, { headers }));

  it('accepts its own origin under a loopback name', () => {
    expect(ask('http://127.0.0.1:4000/graphql')).toBe(true);
    expect(ask('http://localhost:4000/graphql', { 'sec-fetch-site': 'none' })).toBe(true);
    expect(
      ask('http://[::1]:4000/graphql', {
        origin: 'http://[::1]:4000',
        'sec-fetch-site': 'same-origin',
      }),
    ).toBe(true);
  });

  it('refuses other origins, other sites and other names', () => {
    expect(ask('http://127.0.0.1:4000/graphql', { origin: 'https://evil.example' })).toBe(false);
    expect(ask('http://127.0.0.1:4000/graphql', { origin: 'http://127.0.0.1:3000' })).toBe(false);
    expect(ask('http://127.0.0.1:4000/graphql', { 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(ask('http://127.0.0.1:4000/graphql', { 'sec-fetch-site': 'same-site' })).toBe(false);
    expect(ask('http://evil.example:4000/graphql')).toBe(false);
  });
});

describe('a sandbox app', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const pageOf = async (host: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-origin-'));
    dirs.push(dir);
    const app = await createApp(
      loadSettings({ LOG_LEVEL: 'silent', HOST: host, TOKEN_STORE_PATH: join(dir, 'tokens.json') }),
      { sandbox: { scale: 0.05 } },
    );
    try {
      const response = await app.gateway.fetch('http://127.0.0.1:4000/graphql', {
        headers: { accept: 'text/html', 'sec-fetch-site': 'none' },
      });
      return { html: await response.text(), key: app.developmentKey as string };
    } finally {
      await app.close();
    }
  };

  it('preloads the key while listening on loopback', async () => {
    const { html, key } = await pageOf('127.0.0.1');
    expect(html).toContain(key);
  });

  it('never preloads it when listening on 0.0.0.0', async () => {
    const { html, key } = await pageOf('0.0.0.0');
    expect(key).toMatch(/^gwdev_/);
    expect(html).toContain('GraphiQL');
    expect(html).not.toContain(key);
  });
});
