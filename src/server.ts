// Entry point: load config, pick TikTok or the in-process emulator (sandbox), wire the token store
// and callers, listen, shut down cleanly on SIGINT/SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthConfig, loadAuthConfig } from './auth/auth-config.js';
import { type ApiKeyEntry, createCallerResolver, createDevelopmentKey } from './auth/caller.js';
import { openSellerAuth, type SellerAuth } from './auth/seller-auth.js';
import { type Config, loadConfig, loadDotEnv } from './config.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import { createGateway, exampleRange, GRAPHQL_PATH, HEALTH_PATH } from './gateway.js';
import { createLogger } from './logger.js';
import { type Sandbox, sandboxTokenStorePath, startSandbox } from './sandbox.js';
import { loadQueryLimits } from './schema/query-limits.js';

async function main(): Promise<void> {
  loadDotEnv();
  let config = loadConfig();
  const authConfig = loadAuthConfig();
  const queryLimits = loadQueryLimits();
  const logger = createLogger({ level: config.logLevel });
  if (config.mode === 'tiktok' && authConfig.apiKeys.length === 0 && !authConfig.jwt) {
    throw new Error(
      'Nobody could call the gateway: set GATEWAY_API_KEYS (name:key:scopes, see .env.example) ' +
        'or GATEWAY_JWT_SECRET / GATEWAY_JWKS_URL.',
    );
  }

  // Listen first so the sandbox knows the real callback URL (PORT=0 picks a free port); requests
  // that arrive before the gateway is ready get a 503.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
    res.end('Starting…\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  let sandbox: Sandbox | undefined;
  let client: TikTokShopClient;
  let sellers: SellerAuth;
  let tokenStorePath: string | undefined;
  const exampleVariables: Record<string, unknown> = {};
  if (config.mode === 'sandbox') {
    sandbox = await startSandbox({
      config,
      authConfig,
      env: process.env,
      logger,
      redirectUri: `${baseUrl}${authConfig.oauthCallbackPath}`,
      tokenStorePath: sandboxTokenStorePath(process.env, authConfig, 'gateway'),
    });
    ({ client, sellers, config, tokenStorePath } = sandbox);
    Object.assign(exampleVariables, await sampleIds(client, sandbox, config), {
      redirectUri: `${baseUrl}${authConfig.oauthCallbackPath}`,
    });
  } else {
    const opened = await openSellerAuth({
      config,
      authConfig,
      env: process.env,
      mode: 'tiktok',
      logger,
    });
    ({ client, sellers, tokenStorePath } = opened);
    if ((await sellers.store.load()).sellers.length === 0) {
      logger.warn('No seller is authorised yet: run `npm run oauth` (every upstream call fails).');
    }
  }

  // Sandbox without GATEWAY_API_KEYS: a development key with every scope, printed once and
  // preloaded into GraphiQL so the page works as opened.
  const developmentKey =
    sandbox && authConfig.apiKeys.length === 0 && !authConfig.jwt
      ? createDevelopmentKey()
      : undefined;
  const apiKeys: ApiKeyEntry[] = developmentKey ? [developmentKey.entry] : authConfig.apiKeys;
  const gateway = createGateway({
    config,
    client,
    logger,
    sellers,
    callers: createCallerResolver({
      apiKeys,
      ...(authConfig.jwt ? { jwt: authConfig.jwt } : {}),
    }),
    oauthCallbackPath: authConfig.oauthCallbackPath,
    queryLimits,
    exampleVariables,
    ...(developmentKey
      ? { graphiqlHeaders: { Authorization: `Bearer ${developmentKey.key}` } }
      : {}),
  });
  handle = gateway;
  printBanner({ config, authConfig, baseUrl, sandbox, developmentKey, tokenStorePath });

  let isClosing = false;
  const shutdown = async (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeIdleConnections();
    try {
      await gateway.dispose();
      await (sandbox ? sandbox.close() : client.close());
    } finally {
      server.closeAllConnections();
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Real ids from the emulator so every GraphiQL example runs as loaded. */
async function sampleIds(client: TikTokShopClient, sandbox: Sandbox, config: Config) {
  const shop = sandbox.shops.find((candidate) => candidate.id === config.defaultShopId);
  if (!shop) return {};
  const range = exampleRange(Date.now());
  const [products, live, orders, videos] = await Promise.all([
    client.searchProducts(shop, { pageSize: 1 }),
    client.searchProducts(shop, { pageSize: 1, filter: { status: 'ACTIVATE' } }),
    client.searchOrders(shop, { pageSize: 1 }),
    client.listVideoPerformance(shop, {
      range: { startDateGe: range.start, endDateLt: range.endExclusive },
      pageSize: 1,
    }),
  ]);
  const productId = products.items[0]?.id;
  // A live product's first SKU and warehouse, set to what it holds: the stock examples run as
  // loaded and change nothing until edited.
  const target = live.items[0];
  const sku = target?.skus[0];
  const stock = sku?.inventory[0];
  const entry =
    target && sku && stock
      ? { skuId: sku.id, warehouseId: stock.warehouseId, quantity: stock.quantity }
      : undefined;
  return {
    productId,
    productIds: productId ? [productId] : [],
    orderId: orders.items[0]?.id,
    videoId: videos.items[0]?.id,
    ...(target && entry
      ? {
          update: { productId: target.id, skus: [entry] },
          bulk: { items: [{ productId: target.id, ...entry }] },
        }
      : {}),
  };
}

function printBanner(input: {
  config: Config;
  authConfig: AuthConfig;
  baseUrl: string;
  sandbox: Sandbox | undefined;
  developmentKey: { key: string } | undefined;
  tokenStorePath: string | undefined;
}) {
  const { config, authConfig, baseUrl, sandbox, developmentKey } = input;
  const lines: string[] = [];
  if (sandbox) {
    lines.push(
      'TikTok Shop gateway — SANDBOX mode (no TIKTOK_SHOP_APP_KEY set)',
      `  Emulator:  ${sandbox.emulator.url} (in-process TikTok Shop emulator, demo data)`,
      `  OAuth:     authorised demo seller "${sandbox.authorization.seller.name}" through the ` +
        "emulator's authorize page (signed state checked, code exchanged, tokens stored)",
      '  Shops:',
      ...sandbox.shops.map(
        (shop) =>
          `    ${shop.id}  ${shop.name} (${shop.region})` +
          (shop.id === config.defaultShopId ? '  ← default' : `  ← pass shopId: "${shop.id}"`),
      ),
    );
  } else {
    lines.push(`TikTok Shop gateway — TikTok mode (${config.apiBase})`);
  }
  if (input.tokenStorePath) {
    lines.push(`  Tokens:    ${input.tokenStorePath} (AES-256-GCM encrypted)`);
  }
  lines.push(
    `  GraphiQL:  ${baseUrl}${GRAPHQL_PATH}  (open it: example operations are preloaded as tabs)`,
    `  Health:    ${baseUrl}${HEALTH_PATH}`,
    `  Callback:  ${baseUrl}${authConfig.oauthCallbackPath}  (OAuth redirect)`,
  );
  if (developmentKey) {
    lines.push(
      `  API key:   ${developmentKey.key}`,
      '             (development key, every scope, this run only; GraphiQL already sends it.',
      '              Set GATEWAY_API_KEYS to use your own.)',
    );
  }
  lines.push('  Stop with Ctrl+C.');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
