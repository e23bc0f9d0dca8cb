// A gateway's seller side in a child process, for the seller crash tests: the token store (the
// file, or Redis), the token manager and the code exchange, wired as createApp wires them, against
// the emulator the test runs (createApp itself would also load the schema: seconds per process).
// It says `ready`, then runs what stdin asks, printing each step once it is done, until the test
// kills it (SIGKILL):
//   refresh                  renews the seller's tokens, then calls Search Products with them,
//                            again and again (`refreshed`, `called`)
//   exchange <code> <state>  completes an authorisation (`authorised`), then calls Search Products
//                            in the seller's first shop (`called`)
//   file <path> | redis <keyPrefix>   (arguments) where the tokens are kept
// Environment: SETTINGS (JSON of loadSettings' result: the emulator's app and hosts, the seller's
// shop as TIKTOK_SHOP_SHOP_ID, Redis), STORE_KEY (hex).
import { createInterface } from 'node:readline';
import { createFileTokenStore } from '../../../src/auth/file-token-store.js';
import { createFileUsedStateStore } from '../../../src/auth/file-used-state-store.js';
import { createOAuthFlow, deriveStateSecret } from '../../../src/auth/oauth.js';
import { createSellerAuth, createSellerClient } from '../../../src/auth/seller-auth.js';
import { createTokenBucketRateLimiter } from '../../../src/datasources/tiktok/rate-limiter.js';
import type { Settings } from '../../../src/settings.js';

const [kind = '', target = ''] = process.argv.slice(2);
const key = Buffer.from(process.env.STORE_KEY ?? '', 'hex');
// The test's loadSettings result (loading settings.ts here would also load graphql-armor).
const settings = JSON.parse(process.env.SETTINGS ?? '{}') as Settings;
const credentials = settings.credentials;
if (!credentials) throw new Error('SETTINGS has no app credentials');

async function openStore() {
  if (kind === 'file') {
    return {
      store: createFileTokenStore({ path: target, encryptionKey: key }),
      usedStates: createFileUsedStateStore({ tokenStorePath: target }),
      refreshLock: undefined,
      rateLimiter: createTokenBucketRateLimiter(settings.rateLimit),
    };
  }
  const { createRedisScaleOut } = await import('../../../src/redis/scale-out.js');
  if (!settings.redis) throw new Error('SETTINGS has no REDIS_URL');
  const scaleOut = await createRedisScaleOut({
    config: { ...settings.redis, keyPrefix: target },
    rateLimit: settings.rateLimit,
    encryptionKey: key,
    inventoryWrites: settings.inventoryWrites,
  });
  return {
    store: scaleOut.tokenStore,
    usedStates: scaleOut.usedStates,
    refreshLock: scaleOut.refreshLock,
    rateLimiter: scaleOut.rateLimiter,
  };
}

const { store, usedStates, refreshLock, rateLimiter } = await openStore();
const upstream = createSellerClient({
  credentials,
  apiBase: settings.apiBase,
  authBase: settings.authBase,
  http: settings.http,
  rateLimiter,
  store,
  refreshLock,
});
const sellers = createSellerAuth({
  store,
  tokens: upstream.tokens,
  oauth: createOAuthFlow({
    appKey: credentials.appKey,
    authorizeBase: settings.auth.authorizeBase,
    stateSecret: deriveStateSecret(key),
    usedStates,
  }),
  client: upstream.client,
  authHost: upstream.authHost,
});

/** Search Products in `shopId` with its seller's credentials, as a request would. */
async function callShop(shopId: string): Promise<void> {
  const shop = (await sellers.authorizedShops()).find((candidate) => candidate.id === shopId);
  if (!shop) throw new Error(`shop ${shopId} is not stored`);
  await upstream.client.searchProducts(await upstream.tokens.sessionFor(shop), { pageSize: 1 });
  console.log('called');
}

async function run(command: string): Promise<void> {
  const [name, code, state] = command.split(' ');
  if (name === 'refresh') {
    const shopId = settings.defaultShopId ?? '';
    for (;;) {
      await sellers.refresh(shopId);
      console.log('refreshed');
      await callShop(shopId);
    }
  }
  const result = await sellers.exchange({ code, state });
  console.log('authorised');
  await callShop(result.shops[0]?.id ?? '');
}

console.log('ready');
createInterface({ input: process.stdin }).once('line', (command) => {
  run(command).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
