// The processes a run needs, started on first use and shared by the scenarios: two emulators
// (unthrottled for latency scenarios, 10 req/s per shop for the budget scenarios), the gateway and
// its naive configuration against each, the bare Yoga baseline and the Apollo peer.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Pinning, type Service, startOnFreePort } from './processes.js';
import { createEmulatorAdmin, type EmulatorAdmin } from './upstream-counters.js';

/** Upstream latency every scenario runs with (the issue: 25 ms ± 5 ms). */
export const UPSTREAM_LATENCY_MS = 25;
export const UPSTREAM_JITTER_MS = 5;
/** Upstream budget of scenarios 4 and 5, per shop (emulator and gateway alike). */
export const BUDGET_REQUESTS_PER_SECOND = 10;

/**
 * `latency`: emulator limit off and gateway limiter far above the load, so scenarios 1–3 measure
 * latency and batching, not throttling. `budget`: 10 req/s per shop on both sides.
 */
export type UpstreamKind = 'latency' | 'budget';
export type GatewayKind = 'gateway' | 'naive';

export interface Upstream {
  kind: UpstreamKind;
  service: Service;
  admin: EmulatorAdmin;
  /** The shop every target reads (the first seller's first shop). */
  shopId: string;
  shopCipher: string;
  openId: string;
  /** The app registered with the emulator (per-run values, not secrets worth keeping). */
  app: { appKey: string; appSecret: string };
}

export interface Target {
  /** `gateway`, `naive`, `bare-yoga` or `apollo-peer`. */
  name: string;
  service: Service;
  /** http://127.0.0.1:<port>/graphql (the peer answers on any path). */
  graphqlUrl: string;
  headers: Record<string, string>;
  upstream: Upstream | null;
}

export interface StackOptions {
  pinning: Pinning;
  workDir: string;
  /** Emulator data volume for the budget scenarios (bulk write needs 100 five-SKU products). */
  budgetScale: number;
}

export interface Stack {
  upstream(kind: UpstreamKind): Promise<Upstream>;
  gateway(kind: GatewayKind, upstream: UpstreamKind): Promise<Target>;
  /**
   * The gateway with `env` on top of its environment, started once per `name` (e.g. metrics and
   * the access log on or off: bench/observability-cost.ts).
   */
  gatewayVariant(
    name: string,
    upstream: UpstreamKind,
    env: Record<string, string>,
  ): Promise<Target>;
  bareYoga(): Promise<Target>;
  apolloPeer(): Promise<Target>;
  close(): Promise<void>;
}

export function createStack(options: StackOptions): Stack {
  const { pinning, workDir } = options;
  // Per-run secrets: the emulator's app, the gateway's API key and token-file key.
  const appKey = `bench${randomBytes(4).toString('hex')}`;
  const appSecret = randomBytes(24).toString('hex');
  const apiKey = randomBytes(24).toString('hex');
  const headers = { 'x-api-key': apiKey };
  const started = new Map<string, Promise<unknown>>();
  const services: Service[] = [];

  const once = <T>(key: string, start: () => Promise<T>): Promise<T> => {
    let found = started.get(key) as Promise<T> | undefined;
    if (!found) {
      found = start();
      started.set(key, found);
    }
    return found;
  };

  const launch = async (
    name: string,
    entry: string,
    env: Record<string, string>,
    role: 'server' | 'load',
    readyPath: string,
    readyStatus: 'ok' | 'any' = 'ok',
  ) => {
    const service = await startOnFreePort('PORT', {
      name,
      entry,
      env,
      readyPath,
      readyStatus,
      core: role === 'server' ? pinning.serverCore : pinning.loadCore,
      workDir: join(workDir, name),
    });
    services.push(service);
    return service;
  };

  const upstream = (kind: UpstreamKind): Promise<Upstream> =>
    once(`upstream:${kind}`, async () => {
      const service = await startOnFreePort('EMULATOR_PORT', {
        name: `emulator-${kind}`,
        entry: 'src/emulator/main.ts',
        env: {
          EMULATOR_HOST: '127.0.0.1',
          EMULATOR_SEED: '1',
          EMULATOR_SCALE: kind === 'budget' ? String(options.budgetScale) : '1',
          EMULATOR_APP_KEY: appKey,
          EMULATOR_APP_SECRET: appSecret,
          EMULATOR_RATE_LIMIT: kind === 'budget' ? String(BUDGET_REQUESTS_PER_SECOND) : '0',
          EMULATOR_RATE_BURST: String(BUDGET_REQUESTS_PER_SECOND),
          EMULATOR_LATENCY_MS: String(UPSTREAM_LATENCY_MS),
          EMULATOR_LATENCY_JITTER_MS: String(UPSTREAM_JITTER_MS),
        },
        readyPath: '/__emulator/sellers',
        core: pinning.loadCore,
        workDir: join(workDir, `emulator-${kind}`),
      });
      services.push(service);
      const admin = createEmulatorAdmin(service.url);
      const seller = (await admin.sellers())[0];
      const shop = seller?.shops[0];
      if (!seller || !shop) throw new Error('the emulator has no seller with a shop');
      return {
        kind,
        service,
        admin,
        shopId: shop.id,
        shopCipher: shop.cipher,
        openId: seller.openId,
        app: { appKey, appSecret },
      };
    });

  /** Environment a TikTok-mode server needs to read the emulator as this seller. */
  const upstreamEnv = async (source: Upstream) => {
    const tokens = await source.admin.issueTokens(source.openId);
    return {
      TIKTOK_SHOP_APP_KEY: appKey,
      TIKTOK_SHOP_APP_SECRET: appSecret,
      TIKTOK_SHOP_API_BASE: source.service.url,
      TIKTOK_SHOP_AUTH_BASE: source.service.url,
      TIKTOK_SHOP_ACCESS_TOKEN: tokens.accessToken,
      TIKTOK_SHOP_REFRESH_TOKEN: tokens.refreshToken,
      TIKTOK_SHOP_SHOP_ID: source.shopId,
    };
  };

  const gatewayVariant = (
    kind: string,
    upstreamKind: UpstreamKind,
    env: Record<string, string>,
  ): Promise<Target> =>
    once(`gateway:${kind}:${upstreamKind}`, async () => {
      const source = await upstream(upstreamKind);
      const name = `${kind}-${upstreamKind}`;
      const isBudget = upstreamKind === 'budget';
      const service = await launch(
        name,
        'src/server.ts',
        {
          ...(await upstreamEnv(source)),
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
          // The bulk-write scenario checks the mutation's input by introspection, which a
          // production service turns off by default (issue 12).
          INTROSPECTION_ENABLED: 'true',
          LOG_LEVEL: 'warn',
          TIKTOK_SHOP_RATE_LIMIT: isBudget ? String(BUDGET_REQUESTS_PER_SECOND) : '100000',
          TIKTOK_SHOP_RATE_BURST: isBudget ? '5' : '100000',
          // The bench measures caching and batching, so analytics shares the standard budget.
          TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: isBudget
            ? String(BUDGET_REQUESTS_PER_SECOND)
            : '100000',
          TIKTOK_SHOP_ANALYTICS_RATE_BURST: isBudget ? '5' : '100000',
          GATEWAY_API_KEYS: `bench:${apiKey}:*`,
          TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          TOKEN_STORE_PATH: join(workDir, name, 'tokens.json'),
          ...env,
        },
        'server',
        '/healthz',
      );
      return {
        name: kind,
        service,
        graphqlUrl: `${service.url}/graphql`,
        headers,
        upstream: source,
      };
    });

  return {
    upstream,
    gateway: (kind, upstreamKind) =>
      gatewayVariant(
        kind,
        upstreamKind,
        // The naive approach is the same gateway with two switches off (docs/graphql.md).
        kind === 'naive' ? { CACHE_ENABLED: 'false', BATCHING_ENABLED: 'false' } : {},
      ),
    gatewayVariant,
    bareYoga: () =>
      once('bare-yoga', async () => {
        const service = await launch(
          'bare-yoga',
          'bench/peers/bare-yoga/server.ts',
          { NODE_ENV: 'production' },
          'server',
          '/healthz',
        );
        return {
          name: 'bare-yoga',
          service,
          graphqlUrl: `${service.url}/graphql`,
          headers,
          upstream: null,
        };
      }),
    apolloPeer: () =>
      once('apollo-peer', async () => {
        const source = await upstream('latency');
        const service = await launch(
          'apollo-peer',
          'bench/peers/apollo/server.ts',
          { ...(await upstreamEnv(source)), NODE_ENV: 'production' },
          'server',
          // Apollo Server 5 has no health route; it listens only once the shops are read.
          '/',
          'any',
        );
        return {
          name: 'apollo-peer',
          service,
          graphqlUrl: `${service.url}/graphql`,
          headers,
          upstream: source,
        };
      }),
    async close() {
      await Promise.allSettled(services.map((service) => service.stop()));
    },
  };
}
