// Entry point: load config, pick TikTok or the in-process emulator (sandbox), wire the token store
// (in Redis when REDIS_URL is set, issue #6) and callers, listen, shut down cleanly on SIGINT or
// SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuthConfig, loadAuthConfig } from './auth/auth-config.js';
import { type ApiKeyEntry, createCallerResolver, createDevelopmentKey } from './auth/caller.js';
import { type Config, loadConfig, loadDotEnv } from './config.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import { exampleRange, GRAPHQL_PATH, HEALTH_PATH } from './gateway.js';
import { createLogger, type Logger } from './logger.js';
import {
  describeRedisUrl,
  loadRedisConfig,
  type RedisConfig,
  TokenStoreUnavailableError,
} from './redis/index.js';
import { type Sandbox, sandboxTokenStorePath, startSandbox } from './sandbox.js';
import { loadQueryLimits } from './schema/query-limits.js';
import { createGatewayStack, type GatewayStack } from './stack.js';

async function main(): Promise<void> {
  loadDotEnv();
  let config = loadConfig();
  const authConfig = loadAuthConfig();
  const queryLimits = loadQueryLimits();
  const redisConfig = loadRedisConfig(process.env);
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
  const exampleVariables: Record<string, unknown> = {};
  if (config.mode === 'sandbox') {
    if (redisConfig) {
      // Each sandbox process runs its own emulator, whose tokens mean nothing to another's.
      logger.warn('REDIS_URL is ignored in sandbox mode: the emulator belongs to this process');
    }
    sandbox = await startSandbox({
      config,
      authConfig,
      env: process.env,
      logger,
      redirectUri: `${baseUrl}${authConfig.oauthCallbackPath}`,
      tokenStorePath: sandboxTokenStorePath(process.env, authConfig, 'gateway'),
    });
    config = sandbox.config;
    Object.assign(exampleVariables, await sampleIds(sandbox.client, sandbox, config), {
      redirectUri: `${baseUrl}${authConfig.oauthCallbackPath}`,
    });
  }

  // Sandbox without GATEWAY_API_KEYS: a development key with every scope, printed once and
  // preloaded into GraphiQL so the page works as opened.
  const developmentKey =
    sandbox && authConfig.apiKeys.length === 0 && !authConfig.jwt
      ? createDevelopmentKey()
      : undefined;
  const apiKeys: ApiKeyEntry[] = developmentKey ? [developmentKey.entry] : authConfig.apiKeys;
  let stack: GatewayStack;
  try {
    stack = await createGatewayStack({
      config,
      authConfig,
      env: process.env,
      logger,
      redis: sandbox ? null : redisConfig,
      ...(sandbox
        ? { sellerAuth: { client: sandbox.client, sellers: sandbox.sellers, scaleOut: undefined } }
        : {}),
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
  } catch (error) {
    await sandbox?.close();
    throw error;
  }
  if (!sandbox) await warnWithoutSellers(stack, logger);
  handle = stack.gateway;
  printBanner({
    config,
    authConfig,
    baseUrl,
    sandbox,
    developmentKey,
    tokenStorePath: sandbox ? sandbox.tokenStorePath : stack.opened?.tokenStorePath,
    redis: sandbox ? null : redisConfig,
  });

  let isClosing = false;
  const shutdown = async (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    server.closeIdleConnections();
    try {
      await stack.close();
      await sandbox?.close();
    } finally {
      server.closeAllConnections();
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

async function warnWithoutSellers(stack: GatewayStack, logger: Logger) {
  try {
    if ((await stack.sellers.store.load()).sellers.length > 0) return;
  } catch (error) {
    // Redis did not answer at start and this replica knows no seller yet: already logged.
    if (error instanceof TokenStoreUnavailableError) return;
    throw error;
  }
  logger.warn('No seller is authorised yet: run `npm run oauth` (every upstream call fails).');
}

/** Real ids from the emulator so every GraphiQL example runs as loaded. */
async function sampleIds(client: TikTokShopClient, sandbox: Sandbox, config: Config) {
  const found = sandbox.shops.find((candidate) => candidate.id === config.defaultShopId);
  if (!found) return {};
  const shop = await sandbox.sellers.tokens.sessionFor(found);
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
  redis: RedisConfig | null;
}) {
  const { config, authConfig, baseUrl, sandbox, developmentKey, redis } = input;
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
  if (redis) {
    lines.push(
      `  Redis:     ${describeRedisUrl(redis.url)} (replica ${redis.instanceId} of ` +
        `${redis.replicas}; shared: rate limit, tokens, refresh lock, cache invalidation)`,
      `  Tokens:    Redis keys ${redis.keyPrefix}tokens:* (AES-256-GCM encrypted)`,
    );
  } else if (input.tokenStorePath) {
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
