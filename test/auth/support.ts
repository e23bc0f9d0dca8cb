// Shared set-up for the auth tests that talk to the emulator over HTTP.
import type { SellerInput } from '../../src/auth/token-store.js';
import { createAuthHostClient } from '../../src/datasources/tiktok/auth-host.js';
import { createTikTokShopClient } from '../../src/datasources/tiktok/client.js';
import { createTokenBucketRateLimiter } from '../../src/datasources/tiktok/rate-limiter.js';
import { createStaticCredentials } from '../../src/datasources/tiktok/static-credentials.js';
import type {
  AuthHostClient,
  AuthorizedShop,
  TikTokShopClient,
} from '../../src/datasources/tiktok/types.js';
import type { EmulatorHandle, IssuedTokens } from '../../src/emulator/types.js';
import { loadSettings } from '../../src/settings.js';

/** How the gateway talks to the emulator, without retries so counts are exact. */
function settingsFor(handle: EmulatorHandle, now?: () => number) {
  const config = loadSettings({});
  return {
    credentials: { appKey: handle.appKey, appSecret: handle.appSecret },
    http: { ...config.http, maxAttempts: 1 },
    rateLimit: config.rateLimit,
    now,
  };
}

/** A real API client against the emulator, as the gateway builds it. */
export function clientFor(handle: EmulatorHandle, now?: () => number): TikTokShopClient {
  const { rateLimit, ...settings } = settingsFor(handle, now);
  return createTikTokShopClient({
    ...settings,
    apiBase: handle.url,
    rateLimiter: createTokenBucketRateLimiter(rateLimit),
  });
}

/** A real auth-host client (token get and refresh) against the emulator. */
export function authHostFor(handle: EmulatorHandle, now?: () => number): AuthHostClient {
  const { rateLimit: _rateLimit, ...settings } = settingsFor(handle, now);
  return createAuthHostClient({ ...settings, authBase: handle.url });
}

/** Get Authorized Shops with one given token, through a short-lived client. */
export function shopLister(handle: EmulatorHandle, now?: () => number) {
  return async (accessToken: string): Promise<AuthorizedShop[]> => {
    const client = clientFor(handle, now);
    try {
      return await client.getAuthorizedShops(createStaticCredentials(accessToken));
    } finally {
      await client.close();
    }
  };
}

/** A store record for an emulator seller holding tokens issued by the emulator. */
export function sellerRecord(handle: EmulatorHandle, issued: IssuedTokens, index = 0): SellerInput {
  const seller = handle.sellers[index];
  if (!seller) throw new Error(`the emulator has no seller ${index}`);
  return {
    openId: seller.openId,
    source: 'oauth',
    name: seller.name,
    baseRegion: seller.shops[0]?.region ?? '',
    userType: 0,
    grantedScopes: issued.grantedScopes,
    tokens: {
      accessToken: issued.accessToken,
      accessTokenExpiresAt: issued.accessTokenExpiresAt,
      refreshToken: issued.refreshToken,
      refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
    },
    shops: seller.shops.map((shop) => ({ ...shop, sellerType: 'LOCAL' })),
  };
}

/** A settable clock shared by the emulator, the client and the token manager. */
export function createClock(startMs = Date.now()) {
  const clock = {
    nowMs: startMs,
    now: () => clock.nowMs,
    advanceSeconds(seconds: number) {
      clock.nowMs += seconds * 1000;
    },
  };
  return clock;
}

/** Reads the authorize page's form: where it posts and its fields (hidden and the first radio). */
export function parseAuthorizeForm(html: string): { action: string; fields: URLSearchParams } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the authorize page');
  const decode = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input([^>]*)>/g)) {
    const attributes = match[1] ?? '';
    const type = /type="([^"]+)"/.exec(attributes)?.[1];
    const name = /name="([^"]+)"/.exec(attributes)?.[1];
    const value = /value="([^"]*)"/.exec(attributes)?.[1];
    if (!name || value === undefined) continue;
    if (type === 'hidden' || (type === 'radio' && /\bchecked\b/.test(attributes))) {
      fields.set(decode(name), decode(value));
    }
  }
  return { action: decode(action), fields };
}
