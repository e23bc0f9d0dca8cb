// Starts the emulator on port 0 and builds the real gateway against it with createApp, over real
// HTTP, with auth on: the emulator's first seller is in a token store (tokens issued by the
// emulator, shops read with Get Authorized Shops) and every request carries a test API key with all
// scopes unless a test says otherwise. Each test owns what it starts and closes it with `close()`.
import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type ExecutionResult, print } from 'graphql';
import { type App, createApp } from '../../src/app.js';
import type { OAuthFlow } from '../../src/auth/oauth.js';
import type { SellerAuth } from '../../src/auth/seller-auth.js';
import type { TokenManager } from '../../src/auth/token-manager.js';
import { createMemoryTokenStore, type TokenStore } from '../../src/auth/token-store.js';
import type { Config } from '../../src/config.js';
import type { SharedCache } from '../../src/datasources/tiktok/cache.js';
import type { SellerCredentials, TikTokShopClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type {
  EmulatorHandle,
  EmulatorOptions,
  EmulatorSeller,
  FaultConfig,
} from '../../src/emulator/types.js';
import type { Gateway } from '../../src/gateway.js';
import type { Logger } from '../../src/logger.js';
import type { QueryLimits } from '../../src/schema/query-limits.js';
import { loadSettings } from '../../src/settings.js';

/** A GraphQL reply read by shape in assertions (the typed documents cover operations/ only). */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk untyped reply JSON.
export type Json = Record<string, any>;

/** The API key every test request sends unless told otherwise: every gateway scope. */
export const TEST_API_KEY = 'test-key-with-every-scope-0123456789';

export interface TestGatewayOptions {
  /** Emulator data volume (default 0.05: small, so paging to the end is quick). */
  scale?: number;
  faults?: FaultConfig;
  /** Extra environment for loadSettings, e.g. `{ CACHE_ENABLED: 'false' }`. */
  env?: Record<string, string>;
  /** The default shop: 'first' (default) sets TIKTOK_SHOP_SHOP_ID to the seller's first shop. */
  defaultShop?: 'first' | 'none';
  /**
   * Replaces the stored seller's credentials in every request (e.g. a static bogus token, or one
   * that fails). Shops still come from the token store.
   */
  tokens?: (emulator: EmulatorHandle, seller: EmulatorSeller) => SellerCredentials;
  /** TikTok scopes for the stored seller's token (default: all the emulator knows). */
  grantedScopes?: string[];
  /** The stored seller's access-token lifetime, seconds (default: the emulator's 7 days). */
  accessTokenTtlSeconds?: number;
  /** GATEWAY_API_KEYS for the gateway (default: TEST_API_KEY with every scope). */
  apiKeys?: string;
  /** Also accept HS256 JWTs signed with this secret. */
  jwtSecret?: string;
  /** Token store (default: in memory). */
  store?: TokenStore;
  /** Store no seller at all (the OAuth tests authorise one themselves). */
  withoutSeller?: boolean;
  /** More emulator options (e.g. a clock, a token lifetime). */
  emulator?: Partial<EmulatorOptions>;
  /** Run against this emulator (left open by close()) instead of starting one. */
  sharedEmulator?: EmulatorHandle;
  /** Clock of the OAuth state (default: the emulator clock option, else Date.now). */
  oauthNow?: () => number;
  /** Clock of the client and token manager (default: the emulator clock option). */
  now?: () => number;
  queryLimits?: QueryLimits;
  /** Where the gateway logs (default: silent). */
  logger?: Logger;
  /** Turns tracing on, spans exported here as they end (e.g. an InMemorySpanExporter). */
  spanExporter?: SpanExporter;
}

export interface RequestOptions {
  /** API key to send as `Authorization: Bearer`; null sends no credential. Default TEST_API_KEY. */
  apiKey?: string | null;
  /** Extra headers. */
  headers?: Record<string, string>;
}

export interface GraphQLReply<TResult> {
  status: number;
  body: ExecutionResult<TResult> & {
    errors?: Array<{
      message: string;
      path?: Array<string | number>;
      extensions?: Record<string, unknown>;
    }>;
  };
}

export interface TestGateway {
  /** The whole app, for what the fields below do not cover (its drain, readiness, flush). */
  app: App;
  emulator: EmulatorHandle;
  gateway: Gateway;
  client: TikTokShopClient;
  store: TokenStore;
  tokens: TokenManager;
  sellers: SellerAuth;
  oauth: OAuthFlow;
  cache: SharedCache;
  config: Config;
  /** The upstream circuits that are not closed and clean. */
  circuitStates: App['circuitStates'];
  /** Metrics, traces and the METRICS_PORT listener (issue 12). */
  observability: App['observability'];
  seller: EmulatorSeller;
  /** The seller's access token (to check that it never leaks). */
  accessToken: string;
  shopIn(region: string): EmulatorSeller['shops'][number];
  execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<GraphQLReply<TResult>>;
  /** For arguments the typed operations cannot express (literals, malformed input). */
  executeText<TResult = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLReply<TResult>>;
  /** Upstream calls per endpoint since the last `resetCalls()`, e.g. `{ 'product.detail': 3 }`. */
  calls(): Record<string, number>;
  /** Sum of `calls()`. */
  totalCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const emulator =
    options.sharedEmulator ??
    (await createEmulator({
      port: 0,
      scale: options.scale ?? 0.05,
      rateLimit: false,
      faults: options.faults,
      ...options.emulator,
    }));
  const seller = emulator.sellers[0];
  if (!seller) throw new Error('The emulator has no sellers.');
  const issued = emulator.issueTokens({
    openId: seller.openId,
    scopes: options.grantedScopes,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  });
  const { accessToken } = issued;
  const settings = loadSettings({
    TIKTOK_SHOP_APP_KEY: emulator.appKey,
    TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
    TIKTOK_SHOP_API_BASE: emulator.url,
    TIKTOK_SHOP_AUTH_BASE: emulator.url,
    TIKTOK_SHOP_AUTHORIZE_BASE: emulator.url,
    TIKTOK_SHOP_SHOP_ID: options.defaultShop === 'none' ? undefined : seller.shops[0]?.id,
    // Fast and without retries, so counters show exactly what the gateway asked for.
    TIKTOK_SHOP_RATE_LIMIT: '1000',
    TIKTOK_SHOP_RATE_BURST: '1000',
    TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: '1000',
    TIKTOK_SHOP_ANALYTICS_RATE_BURST: '1000',
    TIKTOK_SHOP_MAX_ATTEMPTS: '1',
    TIKTOK_SHOP_RATE_LIMIT_RETRIES: '0',
    // A stock write whose answer was lost (an injected 5xx, say) waits this long for it to show.
    INVENTORY_WRITE_SETTLE_MS: '200',
    GATEWAY_API_KEYS: options.apiKeys ?? `test:${TEST_API_KEY}:*`,
    GATEWAY_JWT_SECRET: options.jwtSecret,
    // The tokens stay in memory (or in `store`); the key signs the OAuth state.
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await createApp(
    { ...settings, queryLimits: options.queryLimits ?? settings.queryLimits },
    {
      store: options.store ?? createMemoryTokenStore(),
      sellerCredentials: options.tokens?.(emulator, seller),
      now: options.now ?? options.oauthNow ?? options.emulator?.now,
      logger: options.logger,
      spanExporter: options.spanExporter,
    },
  );
  const { gateway, client, sellers, cache } = app;
  const { store } = sellers;
  if (!options.withoutSeller) {
    const shops = await app.listShops(accessToken);
    await store.saveSeller({
      openId: seller.openId,
      source: 'oauth',
      name: seller.name,
      baseRegion: shops[0]?.region ?? '',
      userType: 0,
      grantedScopes: issued.grantedScopes,
      tokens: {
        accessToken,
        accessTokenExpiresAt: issued.accessTokenExpiresAt,
        refreshToken: issued.refreshToken,
        refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
      },
      shops,
    });
  }

  const post = async <TResult>(
    query: string,
    variables?: unknown,
    request: RequestOptions = {},
  ): Promise<GraphQLReply<TResult>> => {
    const apiKey = request.apiKey === undefined ? TEST_API_KEY : request.apiKey;
    const response = await gateway.fetch('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
        ...request.headers,
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
    return {
      status: response.status,
      body: (await response.json()) as GraphQLReply<TResult>['body'],
    };
  };

  const calls = () => {
    const counts: Record<string, number> = {};
    for (const [key, count] of Object.entries(emulator.counters())) {
      if (!key.includes(' ')) counts[key] = count;
    }
    return counts;
  };

  return {
    app,
    emulator,
    gateway,
    client,
    store,
    tokens: sellers.tokens,
    sellers,
    oauth: sellers.oauth,
    cache,
    config: app.settings,
    circuitStates: app.circuitStates,
    observability: app.observability,
    seller,
    accessToken,
    shopIn(region) {
      const shop = seller.shops.find((candidate) => candidate.region === region);
      if (!shop) throw new Error(`The first seller has no ${region} shop.`);
      return shop;
    },
    execute: (document, variables) => post(print(document), variables),
    executeText: (query, variables, request) => post(query, variables, request),
    calls,
    totalCalls: () => Object.values(calls()).reduce((sum, count) => sum + count, 0),
    resetCalls: () => emulator.resetRequests(),
    async close() {
      await app.close();
      if (!options.sharedEmulator) await emulator.close();
    },
  };
}

/** The last `days` full UTC days, both ends inclusive (the emulator's shops run on UTC). */
export function lastDays(days: number, nowMs = Date.now()): { start: string; end: string } {
  const dayMs = 86_400_000;
  const today = Math.floor(nowMs / dayMs) * dayMs;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(today - days * dayMs), end: day(today - dayMs) };
}

interface ConnectionPage<TNode> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: TNode }>;
}

/** Follows `endCursor` until `hasNextPage` is false; fails on a page with errors or no data. */
export async function pageThrough<TNode>(
  fetchPage: (after: string | null) => Promise<ConnectionPage<TNode> | null | undefined>,
): Promise<{ nodes: TNode[]; pages: number; totalCount: number }> {
  const nodes: TNode[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const page: ConnectionPage<TNode> | null | undefined = await fetchPage(after);
    if (!page) throw new Error(`Page ${pages} came back empty.`);
    nodes.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return { nodes, pages, totalCount: page.totalCount };
    after = page.pageInfo.endCursor;
  }
}

/** The data of a reply that must have no errors. */
export function dataOf<TResult>(reply: GraphQLReply<TResult>): TResult {
  if (reply.status !== 200 || reply.body.errors || !reply.body.data) {
    throw new Error(`Unexpected reply ${reply.status}: ${JSON.stringify(reply.body.errors)}`);
  }
  return reply.body.data;
}
