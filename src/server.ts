// Entry point: load the settings, build the app (src/app.ts), listen, and drain on SIGINT or
// SIGTERM (src/shutdown.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, createApp } from './app.js';
import { GRAPHQL_PATH, HEALTH_PATH, READINESS_PATH } from './gateway.js';
import { METRICS_PATH } from './observability/metrics-endpoint.js';
import { isLoopbackHost } from './plugins/sandbox-origin.js';
import { describeRedisUrl } from './redis/redis-config.js';
import { loadSettings } from './settings.js';
import { createShutdown } from './shutdown.js';

async function main(): Promise<void> {
  const settings = loadSettings();
  const { apiKeys, jwt } = settings.auth;
  if (settings.mode === 'tiktok' && apiKeys.length === 0 && !jwt) {
    throw new Error(
      'Nobody could call the gateway: set GATEWAY_API_KEYS (name:key:scopes, see .env.example) ' +
        'or GATEWAY_JWT_SECRET / GATEWAY_JWKS_URL.',
    );
  }

  // Listen first so the app knows the real callback URL (PORT=0 picks a free port); requests
  // that arrive before it is ready get a 503.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
    res.end('Starting…\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const baseUrl = `http://${host}:${port}`;

  // Sandbox: the emulator delivers its webhooks here, and only to loopback http addresses.
  const receiverBase =
    settings.host === '0.0.0.0' || settings.host === '::' ? `http://127.0.0.1:${port}` : baseUrl;
  const app = await createApp(settings, {
    redirectUri: `${baseUrl}${settings.auth.oauthCallbackPath}`,
    sandbox: { receiverUrl: `${receiverBase}${settings.webhooks.path}` },
  });
  handle = app.gateway;
  const metricsUrl = await app.observability.listen();
  process.stdout.write(`\n${banner(app, baseUrl, metricsUrl).join('\n')}\n\n`);

  createShutdown({
    server,
    app,
    graceMs: settings.shutdownGraceMs,
    logger: app.logger,
  }).listen();
}

/** What started and where to click. */
function banner(app: App, baseUrl: string, metricsUrl: string | undefined): string[] {
  const { settings, sandbox, developmentKey } = app;
  const lines: string[] = [];
  if (sandbox) {
    lines.push(
      'TikTok Shop gateway — SANDBOX mode (no TIKTOK_SHOP_APP_KEY set)',
      `  Emulator:  ${sandbox.emulator.url} (in-process TikTok Shop emulator, demo data)`,
      `  OAuth:     authorised demo seller "${sandbox.authorization?.seller.name}" through the ` +
        "emulator's authorize page (signed state checked, code exchanged, tokens stored)",
      '  Shops:',
      ...sandbox.shops.map(
        (shop) =>
          `    ${shop.id}  ${shop.name} (${shop.region})` +
          (shop.id === settings.defaultShopId ? '  ← default' : `  ← pass shopId: "${shop.id}"`),
      ),
    );
    if (sandbox.receiverUrl) {
      lines.push(
        `  Live:      the demo shops' webhooks come to ${sandbox.receiverUrl}; open the`,
        '             OrderStatusChanged tab in GraphiQL, run it, then move the orders along:',
        `             curl -s -X POST ${sandbox.emulator.url}/__emulator/clock/advance -d '{"ms":3600000}'`,
      );
    }
  } else {
    lines.push(`TikTok Shop gateway — TikTok mode (${settings.apiBase})`);
  }
  const { redis } = settings;
  if (redis) {
    lines.push(
      `  Redis:     ${describeRedisUrl(redis.url)} (replica ${redis.instanceId} of ` +
        `${redis.replicas}; shared: rate limit, tokens, refresh lock, cache invalidation)`,
      `  Tokens:    Redis keys ${redis.keyPrefix}tokens:* (AES-256-GCM encrypted)`,
    );
  } else if (app.tokenStorePath) {
    lines.push(`  Tokens:    ${app.tokenStorePath} (AES-256-GCM encrypted)`);
  }
  lines.push(
    settings.clientAccess.graphiql
      ? `  GraphiQL:  ${baseUrl}${GRAPHQL_PATH}  (open it: example operations are preloaded as tabs)`
      : `  GraphQL:   ${baseUrl}${GRAPHQL_PATH}  (GraphiQL off: GRAPHIQL_ENABLED)`,
    `  Health:    ${baseUrl}${HEALTH_PATH} (liveness), ${baseUrl}${READINESS_PATH} (readiness)`,
    ...(app.observability.metrics ? [`  Metrics:   ${metricsUrl ?? baseUrl}${METRICS_PATH}`] : []),
    `  Callback:  ${baseUrl}${settings.auth.oauthCallbackPath}  (OAuth redirect)`,
  );
  if (developmentKey) {
    lines.push(
      `  API key:   ${developmentKey}`,
      isLoopbackHost(settings.host)
        ? '             (development key, every scope, this run only; GraphiQL already sends it.'
        : '             (development key, every scope, this run only; not listening on loopback,' +
            ' so GraphiQL does not send it: paste it into its headers tab.',
      '              Set GATEWAY_API_KEYS to use your own.)',
    );
  }
  lines.push(
    `  Stop with Ctrl+C (requests in flight get ${settings.shutdownGraceMs} ms to finish; twice: at once).`,
  );
  return lines;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
