// Used OAuth states beside the token file (issue 10): a state used once is refused after a
// restart (a new flow over a new store instance on the same file), until it expires.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import {
  createFileUsedStateStore,
  usedStatesPathBeside,
} from '../../src/auth/file-used-state-store.js';
import { createOAuthFlow } from '../../src/auth/oauth.js';
import { loadSettings } from '../../src/settings.js';

const SECRET = randomBytes(32);
const START_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

let directory: string;
let tokenStorePath: string;
const clock = { nowMs: START_MS };
const now = () => clock.nowMs;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'used-states-'));
  tokenStorePath = join(directory, 'tokens.json');
  clock.nowMs = START_MS;
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A gateway start: a new flow over a new store instance on the same file. */
function start() {
  return createOAuthFlow({
    appKey: 'app-key-123',
    stateSecret: SECRET,
    now,
    usedStates: createFileUsedStateStore({ tokenStorePath, now }),
  });
}

describe('createFileUsedStateStore', () => {
  it('refuses a used state after a restart', async () => {
    const { state } = start().authorizationUrl();
    expect((await start().verifyState(state)).ok).toBe(true);
    expect(await start().verifyState(state)).toEqual({ ok: false, reason: 'replayed' });
    expect(await readdir(directory)).toEqual(['tokens.oauth-states.json']);
  });

  it('lets exactly one of two processes accept a state', async () => {
    const { state } = start().authorizationUrl();
    const results = await Promise.all([start().verifyState(state), start().verifyState(state)]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
  });

  it('prunes states once they have expired', async () => {
    const flow = start();
    const first = flow.authorizationUrl();
    expect((await flow.verifyState(first.state)).ok).toBe(true);
    const firstNonce = Object.keys(
      JSON.parse(await readFile(usedStatesPathBeside(tokenStorePath), 'utf8')).used,
    )[0];
    clock.nowMs = first.expiresAt;
    expect((await start().verifyState(start().authorizationUrl().state)).ok).toBe(true);
    const { used } = JSON.parse(await readFile(usedStatesPathBeside(tokenStorePath), 'utf8'));
    expect(Object.keys(used)).toHaveLength(1);
    expect(Object.keys(used)).not.toContain(firstNonce);
  });

  it('refuses every state while its file is not a used-state file, and leaves it as it was', async () => {
    const path = usedStatesPathBeside(tokenStorePath);
    await writeFile(path, '{"sellers":[]}');
    const flow = start();
    await expect(flow.verifyState(flow.authorizationUrl().state)).rejects.toThrow(path);
    expect(await readFile(path, 'utf8')).toBe('{"sellers":[]}');
  });

  it('names its file after the token file', () => {
    expect(usedStatesPathBeside('/d/tokens.json')).toBe('/d/tokens.oauth-states.json');
    expect(usedStatesPathBeside('/d/tokens')).toBe('/d/tokens.oauth-states.json');
  });

  it('is what createApp uses beside the token file in tiktok mode', async () => {
    const env = {
      TIKTOK_SHOP_APP_KEY: 'app-key-123',
      TIKTOK_SHOP_APP_SECRET: 'app-secret-456',
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      TOKEN_STORE_PATH: tokenStorePath,
      GATEWAY_API_KEYS: 'test:test-key-with-every-scope-0123456789:*',
      LOG_LEVEL: 'silent',
    };
    const open = () => createApp(loadSettings(env));
    const before = await open();
    const { state } = before.sellers.authorizationUrl({});
    expect((await before.sellers.oauth.verifyState(state)).ok).toBe(true);
    await before.close();

    const after = await open();
    expect(await after.sellers.oauth.verifyState(state)).toEqual({ ok: false, reason: 'replayed' });
    await after.close();
  });
});
