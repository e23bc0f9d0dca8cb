import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AuthorizeRegion,
  createMemoryUsedStateStore,
  createOAuthFlow,
  deriveStateSecret,
} from '../../src/auth/oauth.js';

const SECRET = randomBytes(32);
const START_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

function flowWithClock(
  options: { serviceId?: string; authorizeBase?: string; authorizeRegion?: AuthorizeRegion } = {},
) {
  const clock = { nowMs: START_MS };
  const now = () => clock.nowMs;
  const flow = createOAuthFlow({
    appKey: 'app-key-123',
    stateSecret: SECRET,
    now,
    usedStates: createMemoryUsedStateStore({ now }),
    redirectUris: ['http://127.0.0.1:4000/oauth/callback', 'http://127.0.0.1:4000/cb'],
    ...options,
  });
  return { flow, clock };
}

/** Flips one bit of the character at `index` while keeping it a base64url character. */
function flipCharacter(text: string, index: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const position = alphabet.indexOf(text.charAt(index));
  const flipped = alphabet.charAt(position ^ 1);
  return text.slice(0, index) + flipped + text.slice(index + 1);
}

describe('authorizationUrl', () => {
  it('uses the legacy app_key form on the auth host by default', () => {
    const { flow } = flowWithClock();
    const { url, state, expiresAt } = flow.authorizationUrl();
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(
      'https://auth.tiktok-shops.com/oauth/authorize',
    );
    expect([...parsed.searchParams.keys()]).toEqual(['app_key', 'state']);
    expect(parsed.searchParams.get('app_key')).toBe('app-key-123');
    expect(parsed.searchParams.get('state')).toBe(state);
    expect(expiresAt).toBe(START_MS + 600_000);
  });

  it('uses the service_id form when a service id is set, with redirect_uri only when given', () => {
    const { flow } = flowWithClock({ serviceId: '7123456789' });
    const parsed = new URL(
      flow.authorizationUrl({ redirectUri: 'http://127.0.0.1:4000/oauth/callback' }).url,
    );
    expect(`${parsed.origin}${parsed.pathname}`).toBe(
      'https://services.tiktokshop.com/open/authorize',
    );
    expect(parsed.searchParams.get('service_id')).toBe('7123456789');
    expect(parsed.searchParams.has('app_key')).toBe(false);
    expect(parsed.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:4000/oauth/callback');
  });

  it('uses the US host for the us region (§2.1); a configured base still wins', () => {
    const us = flowWithClock({ serviceId: '7123456789', authorizeRegion: 'us' }).flow;
    expect(us.authorizationUrl().url).toMatch(
      /^https:\/\/services\.us\.tiktokshop\.com\/open\/authorize\?service_id=7123456789&state=/,
    );
    const local = flowWithClock({
      serviceId: '7123456789',
      authorizeRegion: 'us',
      authorizeBase: 'http://127.0.0.1:5555',
    }).flow;
    expect(local.authorizationUrl().url).toMatch(/^http:\/\/127\.0\.0\.1:5555\/open\/authorize\?/);
  });

  it('puts the configured base in front of the path', () => {
    const { flow } = flowWithClock({ authorizeBase: 'http://127.0.0.1:5555/' });
    expect(flow.authorizationUrl().url).toMatch(
      /^http:\/\/127\.0\.0\.1:5555\/oauth\/authorize\?app_key=app-key-123&state=/,
    );
  });

  it('issues a different state every time', () => {
    const { flow } = flowWithClock();
    expect(flow.authorizationUrl().state).not.toBe(flow.authorizationUrl().state);
  });
});

describe('verifyState', () => {
  it('accepts its own state once and returns the payload', async () => {
    const { flow } = flowWithClock();
    const { state } = flow.authorizationUrl({ redirectUri: 'http://127.0.0.1:4000/cb' });
    const result = await flow.verifyState(state);
    expect(result).toEqual({
      ok: true,
      payload: {
        nonce: expect.any(String),
        issuedAt: START_MS,
        expiresAt: START_MS + 600_000,
        redirectUri: 'http://127.0.0.1:4000/cb',
      },
    });
  });

  it('refuses a replayed state', async () => {
    const { flow } = flowWithClock();
    const { state } = flow.authorizationUrl();
    expect((await flow.verifyState(state)).ok).toBe(true);
    expect(await flow.verifyState(state)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a state with a flipped signature bit', async () => {
    const { flow } = flowWithClock();
    const { state } = flow.authorizationUrl();
    const forged = flipCharacter(state, state.length - 5);
    expect(forged).not.toBe(state);
    expect(await flow.verifyState(forged)).toEqual({ ok: false, reason: 'bad_signature' });
    // The genuine state is still unused.
    expect((await flow.verifyState(state)).ok).toBe(true);
  });

  it('refuses a state whose payload was edited', async () => {
    const { flow } = flowWithClock();
    const { state } = flow.authorizationUrl();
    const [payload = '', signature = ''] = state.split('.');
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const extended = Buffer.from(
      JSON.stringify({ ...decoded, exp: decoded.exp + 3_600_000 }),
    ).toString('base64url');
    expect(await flow.verifyState(`${extended}.${signature}`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a state signed with another secret', async () => {
    const other = createOAuthFlow({ appKey: 'app-key-123', stateSecret: randomBytes(32) });
    const { flow } = flowWithClock();
    expect(await flow.verifyState(other.authorizationUrl().state)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses an expired state', async () => {
    const { flow, clock } = flowWithClock();
    const { state } = flow.authorizationUrl();
    clock.nowMs += 600_000;
    expect(await flow.verifyState(state)).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts a state just before it expires', async () => {
    const { flow, clock } = flowWithClock();
    const { state } = flow.authorizationUrl();
    clock.nowMs += 599_999;
    expect((await flow.verifyState(state)).ok).toBe(true);
  });

  it('calls garbage malformed', async () => {
    const { flow } = flowWithClock();
    for (const junk of [
      '',
      'abc',
      'a.b.c',
      'not base64!.x',
      `${'a'.repeat(5000)}.${'b'.repeat(43)}`,
    ]) {
      expect(await flow.verifyState(junk)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('verifies across processes that derive the secret from one TOKEN_ENCRYPTION_KEY', async () => {
    const encryptionKey = randomBytes(32);
    const cli = createOAuthFlow({ appKey: 'k', stateSecret: deriveStateSecret(encryptionKey) });
    const gateway = createOAuthFlow({ appKey: 'k', stateSecret: deriveStateSecret(encryptionKey) });
    const other = createOAuthFlow({ appKey: 'k', stateSecret: deriveStateSecret(randomBytes(32)) });
    const { state } = cli.authorizationUrl();
    expect(await other.verifyState(state)).toEqual({ ok: false, reason: 'bad_signature' });
    expect((await gateway.verifyState(state)).ok).toBe(true);
    expect(deriveStateSecret(encryptionKey).equals(encryptionKey)).toBe(false);
  });

  it('refuses a short state secret', () => {
    expect(() => createOAuthFlow({ appKey: 'k', stateSecret: randomBytes(16) })).toThrow(
      /at least 32 bytes/,
    );
  });
});

describe('createMemoryUsedStateStore', () => {
  it('remembers a nonce until its expiry, then forgets it', async () => {
    const clock = { nowMs: START_MS };
    const used = createMemoryUsedStateStore({ now: () => clock.nowMs });
    expect(await used.markUsed('n1', START_MS + 1_000)).toBe(true);
    expect(await used.markUsed('n1', START_MS + 1_000)).toBe(false);
    clock.nowMs += 1_000;
    expect(await used.markUsed('n1', START_MS + 5_000)).toBe(true);
  });
});
