// Entry point: load config, pick TikTok or the in-process emulator (sandbox), listen, shut down
// cleanly on SIGINT/SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, loadConfig, loadDotEnv } from './config.js';
import { createTikTokShopClient } from './datasources/tiktok/client.js';
import { createTokenBucketRateLimiter } from './datasources/tiktok/rate-limiter.js';
import { createStaticTokenProvider } from './datasources/tiktok/token-provider.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import { createGateway, exampleRange, GRAPHQL_PATH, HEALTH_PATH } from './gateway.js';
import { createLogger, type Logger } from './logger.js';
import { type Sandbox, startSandbox } from './sandbox.js';

/** Where issue #4's OAuth callback will live; the sandbox registers it with the emulator. */
const OAUTH_CALLBACK_PATH = '/oauth/callback';

async function main(): Promise<void> {
  loadDotEnv();
  let config = loadConfig();
  const logger = createLogger({ level: config.logLevel });

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
  const exampleVariables: Record<string, unknown> = {};
  if (config.mode === 'sandbox') {
    sandbox = await startSandbox({
      config,
      logger,
      redirectUri: `${baseUrl}${OAUTH_CALLBACK_PATH}`,
    });
    client = sandbox.client;
    // Several demo shops: unless TIKTOK_SHOP_SHOP_ID names one of them, the first is the default
    // so the examples work without a shopId.
    const isDemoShop = sandbox.shops.some((shop) => shop.id === config.defaultShopId);
    config = { ...config, defaultShopId: isDemoShop ? config.defaultShopId : sandbox.shops[0]?.id };
    Object.assign(exampleVariables, await sampleIds(client, sandbox, config));
  } else {
    client = createRealClient(config, logger);
  }

  const gateway = createGateway({ config, client, logger, exampleVariables });
  handle = gateway;
  printBanner({ config, baseUrl, sandbox });

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

function createRealClient(config: Config, logger: Logger): TikTokShopClient {
  if (!config.credentials) throw new Error('TikTok credentials are missing.');
  if (!config.accessToken) {
    logger.warn(
      'TIKTOK_SHOP_ACCESS_TOKEN is not set: every upstream call will fail UNAUTHENTICATED.',
    );
  }
  return createTikTokShopClient({
    credentials: config.credentials,
    apiBase: config.apiBase,
    authBase: config.authBase,
    http: config.http,
    rateLimiter: createTokenBucketRateLimiter(config.rateLimit),
    // TODO(#4): a refreshing token store replaces the static token.
    tokens: createStaticTokenProvider(config.accessToken),
    logger,
  });
}

/** Real ids from the emulator so every GraphiQL example runs as loaded. */
async function sampleIds(client: TikTokShopClient, sandbox: Sandbox, config: Config) {
  const shop = sandbox.shops.find((candidate) => candidate.id === config.defaultShopId);
  if (!shop) return {};
  const range = exampleRange(Date.now());
  const [products, orders, videos] = await Promise.all([
    client.searchProducts(shop, { pageSize: 1 }),
    client.searchOrders(shop, { pageSize: 1 }),
    client.listVideoPerformance(shop, {
      range: { startDateGe: range.start, endDateLt: range.endExclusive },
      pageSize: 1,
    }),
  ]);
  const productId = products.items[0]?.id;
  return {
    productId,
    productIds: productId ? [productId] : [],
    orderId: orders.items[0]?.id,
    videoId: videos.items[0]?.id,
  };
}

function printBanner(input: { config: Config; baseUrl: string; sandbox: Sandbox | undefined }) {
  const { config, baseUrl, sandbox } = input;
  const lines: string[] = [];
  if (sandbox) {
    const seller = sandbox.emulator.sellers[0];
    lines.push(
      'TikTok Shop gateway — SANDBOX mode (no TIKTOK_SHOP_APP_KEY set)',
      `  Emulator:  ${sandbox.emulator.url} (in-process TikTok Shop emulator, demo data)`,
      `  OAuth:     authorised demo seller "${seller?.name ?? sandbox.grant.sellerName}" through the ` +
        "emulator's authorize page (state checked, code exchanged for a token)",
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
  lines.push(
    `  GraphiQL:  ${baseUrl}${GRAPHQL_PATH}  (open it: example operations are preloaded as tabs)`,
    `  Health:    ${baseUrl}${HEALTH_PATH}`,
    '  Stop with Ctrl+C.',
  );
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
