// Issue 10, build 3: redirect URIs are an allowlist (OAUTH_REDIRECT_URIS). authorizationUrl signs
// a state only for an allowed redirect, anything else is BAD_USER_INPUT; the callback refuses a
// state made for another redirect than its own URL, stores nothing and spends no code.
import { afterEach, describe, expect, it } from 'vitest';
import { submitAuthorizePage } from '../../src/sandbox.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const LINK = 'query ($r: URL) { authorizationUrl(redirectUri: $r) { url state } }';

describe('OAuth redirect allowlist', () => {
  const open: TestGateway[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });
  const start = async (env: Record<string, string> = {}) => {
    const t = await startTestGateway({ withoutSeller: true, env });
    open.push(t);
    return t;
  };

  /** What authorizationUrl answers for `redirectUri`: the signed redirect, or the error code. */
  async function outcomeFor(t: TestGateway, redirectUri: string) {
    const { status, body } = await t.executeText<{
      authorizationUrl: { url: string } | null;
    }>(LINK, { r: redirectUri });
    const url = body.data?.authorizationUrl?.url;
    if (url) return { status, signed: new URL(url).searchParams.get('redirect_uri') };
    return { status, code: body.errors?.[0]?.extensions?.code, errors: body.errors };
  }

  it('by default signs for its own callback and the setup guide’s, loopback on any port', async () => {
    const t = await start();
    for (const allowed of [
      'http://127.0.0.1:4000/oauth/callback',
      'http://127.0.0.1/oauth/callback',
      'http://localhost:8000/callback',
      'http://127.0.0.1:53123/callback',
      'http://[::1]:8000/callback',
    ]) {
      expect(await outcomeFor(t, allowed), allowed).toMatchObject({
        status: 200,
        signed: allowed,
      });
    }
  });

  it('refuses every other redirect with BAD_USER_INPUT, before any state is signed', async () => {
    const t = await start();
    for (const refused of [
      'https://evil.example/oauth/callback',
      'https://evil.example/callback?next=http://localhost:8000/callback',
      'javascript:alert(document.cookie)',
      'file:///etc/passwd',
      'data:text/html,hi',
      'http://127.0.0.1:4000/oauth/callback/elsewhere',
      'http://localhost:8000/callback#fragment',
      'http://user:secret@127.0.0.1:4000/oauth/callback',
      'https://127.0.0.1:4000/oauth/callback',
    ]) {
      const outcome = await outcomeFor(t, refused);
      expect(outcome, refused).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(outcome.errors?.[0]?.extensions).toMatchObject({
        reason: 'REDIRECT_URI_NOT_ALLOWED',
        argumentName: 'redirectUri',
      });
      expect(JSON.stringify(outcome.errors), refused).not.toContain('state');
    }
    // Not a URL at all: the URL scalar refuses it before the resolver runs. (As a variable the
    // refusal's code is Yoga's masked one until every Yoga error carries ours: issue 10, build 7.)
    for (const relative of ['/oauth/callback', 'oauth/callback', '']) {
      expect(await outcomeFor(t, relative), relative).toMatchObject({ status: 400 });
      const inline = await t.executeText(
        `{ authorizationUrl(redirectUri: "${relative}") { url } }`,
      );
      expect(inline.body.data, relative).toBeUndefined();
      expect(inline.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect(t.calls()).toEqual({});
  });

  it('follows OAUTH_REDIRECT_URIS when set', async () => {
    const t = await start({ OAUTH_REDIRECT_URIS: 'https://gw.example.com/oauth/callback' });
    expect(await outcomeFor(t, 'https://gw.example.com/oauth/callback')).toMatchObject({
      signed: 'https://gw.example.com/oauth/callback',
    });
    for (const refused of [
      'https://gw.example.com.evil.example/oauth/callback',
      'http://gw.example.com/oauth/callback',
      'https://gw.example.com:8443/oauth/callback',
      'http://127.0.0.1:4000/oauth/callback',
      'http://localhost:8000/callback',
    ]) {
      expect(await outcomeFor(t, refused), refused).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });

  it('refuses at the callback a state made for another redirect: no exchange, nothing stored', async () => {
    const t = await start();
    // A link made for the CLI's listener, its redirect delivered to the gateway's callback.
    const link = t.sellers.authorizationUrl({ redirectUri: 'http://localhost:8000/callback' });
    const back = await submitAuthorizePage(link.url);
    const delivered = new URL(`http://127.0.0.1/oauth/callback${back.search}`);
    const response = await t.gateway.fetch(delivered.toString());
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('issued for another redirect URL');
    expect(html).toContain('Nothing was stored');
    expect((await t.store.load()).sellers).toEqual([]);
    expect(t.emulator.counters()['token.get'] ?? 0).toBe(0);

    // Its own: accepted.
    const own = t.sellers.authorizationUrl({ redirectUri: 'http://127.0.0.1/oauth/callback' });
    const ownBack = await submitAuthorizePage(own.url);
    expect((await t.gateway.fetch(ownBack.toString())).status).toBe(200);
    expect(t.emulator.counters()['token.get']).toBe(1);
  });
});
