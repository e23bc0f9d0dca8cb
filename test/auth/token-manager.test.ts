// Token renewal against the emulator's token routes: single flight, expired-token answers,
// refusals. Clocks are injected; nothing waits on the wall clock.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReauthorizationRequiredError, ShopRequiredError } from '../../src/auth/errors.js';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import { createGrantSaves } from '../../src/auth/grant-saves.js';
import {
  createTokenManager,
  seedFromEnvironment,
  type TokenManager,
} from '../../src/auth/token-manager.js';
import { createMemoryTokenStore, type TokenStore } from '../../src/auth/token-store.js';
import { TikTokShopAuthError } from '../../src/datasources/tiktok/errors.js';
import type { AuthHostClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { authHostFor, clientFor, createClock, sellerRecord } from './support.js';

const TTL_SECONDS = 600;
const MARGIN_MS = 60_000;

let clock: ReturnType<typeof createClock>;
let handle: EmulatorHandle;
/** The auth host's token routes, which need no seller token. */
let authHost: AuthHostClient;
let directory: string;
let store: TokenStore;

beforeEach(async () => {
  clock = createClock();
  handle = await createEmulator({ now: clock.now, accessTokenTtlSeconds: TTL_SECONDS });
  authHost = authHostFor(handle, clock.now);
  directory = await mkdtemp(join(tmpdir(), 'token-manager-'));
  store = createFileTokenStore({
    path: join(directory, 'tokens.json'),
    encryptionKey: randomBytes(32),
    now: clock.now,
  });
});

afterEach(async () => {
  await authHost?.close();
  await handle?.close();
  await rm(directory, { recursive: true, force: true });
});

function seller(index = 0) {
  const found = handle.sellers[index];
  if (!found) throw new Error('missing emulator seller');
  return found;
}

async function storeIssuedTokens(index = 0) {
  const issued = handle.issueTokens({ openId: seller(index).openId });
  await store.saveSeller(sellerRecord(handle, issued, index));
  return issued;
}

function manager(options: { now?: () => number; defaultShopId?: string } = {}) {
  return createTokenManager({
    store,
    authHost,
    refreshMarginMs: MARGIN_MS,
    now: options.now ?? clock.now,
    ...(options.defaultShopId ? { defaultShopId: options.defaultShopId } : {}),
  });
}

/** The credentials of the seller serving `shopId`, as one request would resolve them. */
async function credentialsOf(tokens: TokenManager, shopId: string | undefined) {
  return tokens.credentialsFor(await tokens.sellerFor(shopId));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('getAccessToken', () => {
  it('returns the stored token while it is outside the refresh margin', async () => {
    const issued = await storeIssuedTokens();
    const tokens = manager();
    expect(await tokens.getAccessToken(seller().shops[0]?.id)).toBe(issued.accessToken);
    expect(await tokens.getAccessToken(undefined)).toBe(issued.accessToken);
    expect(handle.counters()['token.refresh'] ?? 0).toBe(0);
  });

  it('refreshes once for 200 concurrent calls at expiry and stores the rotated pair', async () => {
    const issued = await storeIssuedTokens();
    const tokens = manager();
    const shopIds = seller().shops.map((shop) => shop.id);
    clock.advanceSeconds(TTL_SECONDS - 30); // inside the 60 s margin

    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        tokens.getAccessToken(shopIds[index % shopIds.length]),
      ),
    );

    expect(handle.counters()['token.refresh']).toBe(1);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).not.toBe(issued.accessToken);
    const stored = await store.getSeller(seller().openId);
    expect(stored?.tokens.accessToken).toBe(answers[0]);
    expect(stored?.tokens.refreshToken).not.toBe(issued.refreshToken);
    expect(stored?.version).toBe(2);

    // The new token works upstream.
    const api = clientFor(handle, clock.now);
    try {
      const shops = await api.getAuthorizedShops(await credentialsOf(tokens, undefined));
      expect(shops.map((shop) => shop.id)).toEqual(shopIds);
    } finally {
      await api.close();
    }
    expect(handle.counters()['token.refresh']).toBe(1);
  });

  it('refreshes again only when the renewed token is due in turn', async () => {
    await storeIssuedTokens();
    const tokens = manager();
    clock.advanceSeconds(TTL_SECONDS - 30);
    const first = await tokens.getAccessToken(undefined);
    clock.advanceSeconds(TTL_SECONDS - 90);
    expect(await tokens.getAccessToken(undefined)).toBe(first);
    clock.advanceSeconds(60);
    expect(await tokens.getAccessToken(undefined)).not.toBe(first);
    expect(handle.counters()['token.refresh']).toBe(2);
  });

  it('asks for re-authorisation when the stored refresh token was rotated elsewhere', async () => {
    const issued = await storeIssuedTokens();
    // Someone else spends the refresh token (the emulator invalidates it at once).
    await authHost.refreshAccessToken(issued.refreshToken);
    handle.resetRequests();
    clock.advanceSeconds(TTL_SECONDS);
    const tokens = manager();

    const errors = await Promise.all(
      Array.from({ length: 50 }, () => rejection(tokens.getAccessToken(seller().shops[0]?.id))),
    );
    expect(handle.counters()['token.refresh']).toBe(1);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ReauthorizationRequiredError);
      expect((error as ReauthorizationRequiredError).reason).toBe('refresh_rejected');
      expect((error as ReauthorizationRequiredError).extensions.code).toBe('UNAUTHENTICATED');
      expect(error.message).toContain('npm run oauth');
      expect(error.message).not.toContain(issued.refreshToken);
      expect(error.message).not.toContain(issued.accessToken);
      expect((error as ReauthorizationRequiredError).cause).toBeInstanceOf(TikTokShopAuthError);
    }
    // The stored tokens are left for the operator to replace, not wiped.
    expect((await store.getSeller(seller().openId))?.tokens.refreshToken).toBe(issued.refreshToken);
  });

  it('asks for re-authorisation when the refresh token is unknown upstream', async () => {
    const issued = handle.issueTokens({ openId: seller().openId });
    const record = sellerRecord(handle, issued);
    await store.saveSeller({
      ...record,
      tokens: { ...record.tokens, refreshToken: 'TTP_never_issued_by_the_emulator' },
    });
    clock.advanceSeconds(TTL_SECONDS);
    const error = await rejection(manager().getAccessToken(undefined));
    expect((error as ReauthorizationRequiredError).reason).toBe('refresh_rejected');
    expect(handle.counters()['token.refresh']).toBe(1);
  });

  it('does not call TikTok when the refresh token has expired', async () => {
    const issued = await storeIssuedTokens();
    clock.advanceSeconds(TTL_SECONDS);
    const now = () => (issued.refreshTokenExpiresAt + 1) * 1000;
    const error = await rejection(manager({ now }).getAccessToken(undefined));
    expect((error as ReauthorizationRequiredError).reason).toBe('refresh_token_expired');
    expect(handle.counters()['token.refresh'] ?? 0).toBe(0);
  });

  it('names unknown shops and refuses to guess between several sellers', async () => {
    await storeIssuedTokens(0);
    await storeIssuedTokens(1);
    const tokens = manager();
    const unknown = await rejection(tokens.getAccessToken('7000000000000000000'));
    expect((unknown as ReauthorizationRequiredError).reason).toBe('unknown_shop');
    expect(unknown.message).toContain('7000000000000000000');
    expect(await rejection(tokens.getAccessToken(undefined))).toBeInstanceOf(ShopRequiredError);

    const withDefault = manager({ defaultShopId: seller(1).shops[0]?.id });
    const second = await store.getSeller(seller(1).openId);
    expect(await withDefault.getAccessToken(undefined)).toBe(second?.tokens.accessToken);
    expect(await tokens.credentialsFor(second!).accessToken()).toBe(second?.tokens.accessToken);
  });

  it('says no seller is authorised when the store is empty', async () => {
    const error = await rejection(manager().getAccessToken(undefined));
    expect((error as ReauthorizationRequiredError).reason).toBe('no_seller');
  });
});

describe('renewAccessToken', () => {
  it('returns the stored token without refreshing when the rejected one is older', async () => {
    const issued = await storeIssuedTokens();
    const stored = await store.getSeller(seller().openId);
    const tokens = manager();
    expect(
      await (await credentialsOf(tokens, undefined)).renewAccessToken('TTP_an_older_token'),
    ).toBe(stored?.tokens.accessToken);
    expect(issued.accessToken).toBe(stored?.tokens.accessToken);
    expect(handle.counters()['token.refresh'] ?? 0).toBe(0);
  });

  it('refreshes once for 200 concurrent reports of the same rejected token', async () => {
    const issued = await storeIssuedTokens();
    const tokens = manager();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () =>
        (await credentialsOf(tokens, seller().shops[1]?.id)).renewAccessToken(issued.accessToken),
      ),
    );
    expect(handle.counters()['token.refresh']).toBe(1);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).not.toBe(issued.accessToken);
  });

  it('lets the client retry once with a fresh token after a 105002', async () => {
    const issued = await storeIssuedTokens();
    // The manager's clock lags the emulator's: it believes the token is valid, TikTok does not.
    const lagging = () => clock.nowMs - 200_000;
    clock.advanceSeconds(TTL_SECONDS + 60);
    const tokens = manager({ now: lagging });
    const api = clientFor(handle, clock.now);
    try {
      const shops = await api.getAuthorizedShops(await credentialsOf(tokens, undefined));
      expect(shops.map((shop) => shop.id)).toEqual(seller().shops.map((shop) => shop.id));
    } finally {
      await api.close();
    }
    const shopCalls = handle.requests().filter((entry) => entry.endpoint === 'authorization.shops');
    expect(shopCalls.map((entry) => entry.code)).toEqual([105002, 0]);
    expect(handle.counters()['token.refresh']).toBe(1);
    expect((await store.getSeller(seller().openId))?.tokens.accessToken).not.toBe(
      issued.accessToken,
    );
  });

  it('does not refresh twice when two gateway processes share the token file', async () => {
    const issued = handle.issueTokens({ openId: seller().openId });
    const key = randomBytes(32);
    const path = join(directory, 'shared.json');
    const first = createFileTokenStore({ path, encryptionKey: key, now: clock.now });
    const second = createFileTokenStore({ path, encryptionKey: key, now: clock.now });
    await first.saveSeller(sellerRecord(handle, issued));
    const managerA = createTokenManager({ store: first, authHost, now: clock.now });
    const managerB = createTokenManager({ store: second, authHost, now: clock.now });

    const fromA = await (await credentialsOf(managerA, undefined)).renewAccessToken(
      issued.accessToken,
    );
    const fromB = await (await credentialsOf(managerB, undefined)).renewAccessToken(
      issued.accessToken,
    );
    expect(fromB).toBe(fromA);
    expect(handle.counters()['token.refresh']).toBe(1);
  });
});

describe('a renewal whose save fails', () => {
  /**
   * A token file whose lock path is taken by a directory no lock can replace: every save waits
   * out lockTimeoutMs (100 ms here) and fails; reads still work. Removing it lets saves through.
   */
  async function blockedStore() {
    const path = join(directory, 'blocked.json');
    const blocked = createFileTokenStore({
      path,
      encryptionKey: randomBytes(32),
      now: clock.now,
      staleLockMs: 50,
      lockTimeoutMs: 100,
    });
    const issued = handle.issueTokens({ openId: seller().openId });
    await blocked.saveSeller(sellerRecord(handle, issued));
    await mkdir(`${path}.lock`);
    return { blocked, issued, unblock: () => rmdir(`${path}.lock`) };
  }

  it('serves the new tokens from memory, renews with them, and stores them once it can', async () => {
    const { blocked, issued, unblock } = await blockedStore();
    const tokens = createTokenManager({
      store: blocked,
      authHost,
      refreshMarginMs: MARGIN_MS,
      now: clock.now,
    });
    const shopId = seller().shops[0]?.id;
    clock.advanceSeconds(TTL_SECONDS - 30);

    const renewed = await tokens.getAccessToken(shopId);
    expect(renewed).not.toBe(issued.accessToken);
    expect((await blocked.getSeller(seller().openId))?.tokens.accessToken).toBe(issued.accessToken);
    expect(tokens.saves.pending).toEqual([`refresh:${seller().openId}`]);
    // The next request gets the new token, not the stored one whose refresh token is spent.
    expect(await tokens.getAccessToken(shopId)).toBe(renewed);
    expect(await (await credentialsOf(tokens, shopId)).accessToken()).toBe(renewed);
    expect(handle.counters()['token.refresh']).toBe(1);

    // Due again: renewed with the refresh token held in memory, which TikTok still honours.
    clock.advanceSeconds(TTL_SECONDS - 30);
    const again = await tokens.getAccessToken(shopId);
    expect(again).not.toBe(renewed);
    expect(handle.counters()['token.refresh']).toBe(2);
    expect(handle.requests().filter((entry) => entry.endpoint === 'token.refresh')).toMatchObject([
      { code: 0 },
      { code: 0 },
    ]);

    await unblock();
    expect(await tokens.saves.flush()).toEqual([]);
    const stored = await blocked.getSeller(seller().openId);
    expect(stored?.tokens.accessToken).toBe(again);
    // A restart reads the stored pair and renews with it.
    const restarted = createTokenManager({ store: blocked, authHost, now: clock.now });
    expect((await restarted.refresh(seller().openId)).tokens.accessToken).not.toBe(again);
    expect(handle.counters()['token.refresh']).toBe(3);
  });

  it('retries by itself with backoff until the store takes the tokens', async () => {
    const { blocked, unblock } = await blockedStore();
    const tokens = createTokenManager({
      store: blocked,
      authHost,
      now: clock.now,
      saves: createGrantSaves({ retryBaseMs: 20, retryMaxMs: 50 }),
    });
    const renewed = await tokens.refresh(seller().openId);
    await unblock();
    while (tokens.saves.pending.length > 0) await sleep(10);
    expect((await blocked.getSeller(seller().openId))?.tokens.accessToken).toBe(
      renewed.tokens.accessToken,
    );
  });
});

describe('seedFromEnvironment', () => {
  it('seeds once, serves the token for any shop, and renews it on the first 105002', async () => {
    const memory = createMemoryTokenStore({ now: clock.now });
    const issued = handle.issueTokens({ openId: seller().openId });
    const config = { accessToken: issued.accessToken, refreshToken: issued.refreshToken };
    expect(await seedFromEnvironment(memory, config)).toEqual({
      seeded: true,
      openId: 'environment',
    });
    expect(await seedFromEnvironment(memory, config)).toEqual({
      seeded: false,
      reason: 'store_not_empty',
    });
    expect(await seedFromEnvironment(createMemoryTokenStore(), {})).toEqual({
      seeded: false,
      reason: 'no_tokens',
    });

    const tokens = createTokenManager({ store: memory, authHost, now: clock.now });
    // Expiry unknown: treated as valid, even past the real expiry.
    clock.advanceSeconds(TTL_SECONDS + 1);
    expect(await tokens.getAccessToken(seller().shops[0]?.id)).toBe(issued.accessToken);
    expect(handle.counters()['token.refresh'] ?? 0).toBe(0);

    const api = clientFor(handle, clock.now);
    try {
      await api.getAuthorizedShops(await credentialsOf(tokens, undefined));
    } finally {
      await api.close();
    }
    expect(handle.counters()['token.refresh']).toBe(1);
    const renewed = await memory.getSeller('environment');
    expect(renewed?.tokens.accessTokenExpiresAt).toBe(Math.floor(clock.nowMs / 1000) + TTL_SECONDS);
    expect(renewed?.name).toBe(seller().name);
    expect(renewed?.grantedScopes.length).toBeGreaterThan(0);
  });

  it('renews at once when only a refresh token is given', async () => {
    const memory = createMemoryTokenStore({ now: clock.now });
    const issued = handle.issueTokens({ openId: seller().openId });
    await seedFromEnvironment(memory, { refreshToken: issued.refreshToken });
    const tokens = createTokenManager({ store: memory, authHost, now: clock.now });
    const token = await tokens.getAccessToken(undefined);
    expect(token).toMatch(/^TTP_/);
    expect(token).not.toBe(issued.accessToken);
    expect(handle.counters()['token.refresh']).toBe(1);
  });
});
