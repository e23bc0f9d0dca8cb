// Starts the emulator on port 0 and builds the real gateway against it, over real HTTP. Each test
// owns what it starts and closes it with `close()`.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type Config, loadConfig } from '../../src/config.js';
import { createSharedCache, type SharedCache } from '../../src/datasources/tiktok/cache.js';
import { createTikTokShopClient } from '../../src/datasources/tiktok/client.js';
import { createTokenBucketRateLimiter } from '../../src/datasources/tiktok/rate-limiter.js';
import { createStaticTokenProvider } from '../../src/datasources/tiktok/token-provider.js';
import type { AccessTokenProvider, TikTokShopClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, EmulatorSeller, FaultConfig } from '../../src/emulator/types.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';

export interface TestGatewayOptions {
  /** Emulator data volume (default 0.05: small, so paging to the end is quick). */
  scale?: number;
  faults?: FaultConfig;
  /** Extra environment for loadConfig, e.g. `{ CACHE_ENABLED: 'false' }`. */
  env?: Record<string, string>;
  /** The default shop: 'first' (default) sets TIKTOK_SHOP_SHOP_ID to the seller's first shop. */
  defaultShop?: 'first' | 'none';
  /** Replaces the static token provider (e.g. one with fewer scopes, or one that fails). */
  tokens?: (emulator: EmulatorHandle, seller: EmulatorSeller) => AccessTokenProvider;
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
  emulator: EmulatorHandle;
  gateway: Gateway;
  client: TikTokShopClient;
  cache: SharedCache;
  config: Config;
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
  ): Promise<GraphQLReply<TResult>>;
  /** Upstream calls per endpoint since the last `resetCalls()`, e.g. `{ 'product.detail': 3 }`. */
  calls(): Record<string, number>;
  /** Sum of `calls()`. */
  totalCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const emulator = await createEmulator({
    port: 0,
    scale: options.scale ?? 0.05,
    rateLimit: false,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const seller = emulator.sellers[0];
  if (!seller) throw new Error('The emulator has no sellers.');
  const { accessToken } = emulator.issueTokens({ openId: seller.openId });
  const config = loadConfig({
    TIKTOK_SHOP_APP_KEY: emulator.appKey,
    TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
    TIKTOK_SHOP_ACCESS_TOKEN: accessToken,
    TIKTOK_SHOP_API_BASE: emulator.url,
    TIKTOK_SHOP_AUTH_BASE: emulator.url,
    // Fast and without retries, so counters show exactly what the gateway asked for.
    TIKTOK_SHOP_RATE_LIMIT: '1000',
    TIKTOK_SHOP_RATE_BURST: '1000',
    TIKTOK_SHOP_MAX_ATTEMPTS: '1',
    LOG_LEVEL: 'silent',
    ...(options.defaultShop === 'none' ? {} : { TIKTOK_SHOP_SHOP_ID: seller.shops[0]?.id ?? '' }),
    ...options.env,
  });
  const logger = createLogger({ level: 'silent' });
  const client = createTikTokShopClient({
    credentials: { appKey: emulator.appKey, appSecret: emulator.appSecret },
    apiBase: emulator.url,
    authBase: emulator.url,
    http: config.http,
    rateLimiter: createTokenBucketRateLimiter(config.rateLimit),
    tokens: options.tokens
      ? options.tokens(emulator, seller)
      : createStaticTokenProvider(accessToken),
  });
  const cache = createSharedCache({ config: config.cache });
  const gateway = createGateway({ config, client, logger, cache });

  const post = async <TResult>(
    query: string,
    variables?: unknown,
  ): Promise<GraphQLReply<TResult>> => {
    const response = await gateway.fetch('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
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
    emulator,
    gateway,
    client,
    cache,
    config,
    seller,
    accessToken,
    shopIn(region) {
      const shop = seller.shops.find((candidate) => candidate.region === region);
      if (!shop) throw new Error(`The first seller has no ${region} shop.`);
      return shop;
    },
    execute: (document, variables) => post(print(document), variables),
    executeText: (query, variables) => post(query, variables),
    calls,
    totalCalls: () => Object.values(calls()).reduce((sum, count) => sum + count, 0),
    resetCalls: () => emulator.resetRequests(),
    async close() {
      await gateway.dispose();
      await client.close();
      await emulator.close();
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
