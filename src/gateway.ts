// createGateway(deps): the Yoga instance (schema, context, the front door, CORS, query limits,
// error masking and codes, GraphiQL, introspection, persisted operations, the OAuth callback
// route; subscriptions over Yoga's own SSE transport). Never listens; createApp (src/app.ts) builds
// it, server.ts and the tests decide where requests come from.
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Caller, CallerResolver } from './auth/caller.js';
import type { SellerAuth } from './auth/seller-auth.js';
import type { ClientAccessConfig, Config, UpstreamCostConfig } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import type { SharedCache } from './datasources/tiktok/cache.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import type { WriteLock } from './datasources/tiktok/write-lock.js';
import { type Logger, unredactedLogger } from './logger.js';
import { createOAuthCallbackHandler } from './oauth-callback.js';
import { METRICS_PATH } from './observability/metrics-endpoint.js';
import type { Observability } from './observability/observability.js';
import { outcomeOf } from './observability/request-outcome.js';
import { createRequestTraces } from './observability/request-traces.js';
import { createGraphiQLOptions } from './plugins/graphiql-options.js';
import { readPersistedManifest } from './plugins/persisted-manifest.js';
import { createSelfHostedGraphiQL } from './plugins/self-hosted-graphiql.js';
import { useAccessLog } from './plugins/use-access-log.js';
import { useCorsAllowlist } from './plugins/use-cors-allowlist.js';
import { useCredentials } from './plugins/use-credentials.js';
import { useErrorCodes } from './plugins/use-error-codes.js';
import { useGraphQLPath } from './plugins/use-graphql-path.js';
import { useIntrospectionOff } from './plugins/use-introspection-off.js';
import { useNestingLimit } from './plugins/use-nesting-limit.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';
import {
  DOCUMENT_ID_PARAM,
  usePersistedOperationsManifest,
} from './plugins/use-persisted-operations.js';
import { type ResponseCacheStore, useReadCache } from './plugins/use-read-cache.js';
import { useRequestId } from './plugins/use-request-id.js';
import { useSubscriptionAccept } from './plugins/use-subscription-accept.js';
import { createUpstreamCost } from './plugins/use-upstream-cost.js';
import { useWebhookRoute, type WebhookRouteOptions } from './plugins/use-webhook-route.js';
import type { Readiness } from './readiness.js';
import { createMaskError, logLevelOf } from './schema/errors.js';
import { schema } from './schema/index.js';
import { nestingLimitOf, type QueryLimits, queryLimitPlugin } from './schema/query-limits.js';
import type { TikTokEventFeed } from './webhooks/event-bus.js';

export interface GatewayDeps {
  config: Config;
  /** Upstream calls; each takes the request's ShopSession (see context.ts). */
  client: TikTokShopClient;
  logger: Logger;
  /** Who is calling: API keys and JWTs (createCallerResolver). */
  callers: CallerResolver;
  /** Stored sellers, their tokens and the OAuth flow (createSellerAuth). */
  sellers: SellerAuth;
  /** Path of the OAuth redirect route (OAUTH_CALLBACK_PATH). */
  oauthCallbackPath: string;
  /** TikTok's webhook deliveries: WEBHOOK_PATH and the receiver (issue 13). */
  webhooks: WebhookRouteOptions;
  /**
   * The events the subscriptions stream (issue 13), over Yoga's SSE transport on GRAPHQL_PATH;
   * their iterators end when the gateway drains or closes.
   */
  events: TikTokEventFeed;
  /** Query limits (GRAPHQL_MAX_*). */
  queryLimits: QueryLimits;
  /** GraphiQL, introspection, CORS and persisted operations (issue 12). */
  clientAccess: ClientAccessConfig;
  /**
   * Headers GraphiQL starts with, e.g. the sandbox's development key, so the page works as
   * loaded: only while listening on loopback and for the gateway's own origin
   * (plugins/sandbox-origin.ts). Default: none (the user adds `Authorization` in the headers tab).
   */
  graphiqlHeaders?: Record<string, string>;
  /**
   * Shared across requests: the `cache` of createCacheInvalidator, so with several replicas stock
   * writes evict on every replica (issue #6).
   */
  cache: SharedCache;
  /** Each product's stock-write section: in-process, or the Redis one when scaled out. */
  writeLock: WriteLock;
  /** GET /readyz (src/readiness.ts). */
  readiness: Readiness;
  /** Clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /**
   * Values offered to GraphiQL's example tabs, by variable name (e.g. `{ id: '1729…' }`). A
   * `range` covering the last 30 full days is always offered.
   */
  exampleVariables?: Record<string, unknown>;
  /** Metrics, traces, /metrics (issue 12). Default: none (request ids and access log only). */
  observability?: Observability;
  /** extensions.upstream and GRAPHQL_MAX_UPSTREAM_CALLS (issue 14). Default: on request, 300. */
  upstreamCost?: UpstreamCostConfig;
  /** Whole answers to reads of cached data (issue 14); absent: none. */
  responseCache?: { responses: ResponseCacheStore; ttlMs: number } | undefined;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/** Whether `logger` writes debug lines (pino's isLevelEnabled; a logger without it: assume so). */
function isDebugOn(logger: Logger): boolean {
  const { isLevelEnabled } = logger as { isLevelEnabled?: (level: string) => boolean };
  return isLevelEnabled ? isLevelEnabled.call(logger, 'debug') : true;
}

export function createGateway(deps: GatewayDeps): Gateway {
  const { config, client, logger, sellers, cache, queryLimits, clientAccess } = deps;
  const now = deps.now ?? Date.now;
  const callers = new WeakMap<Request, Caller>();
  // Served from this origin only: no CDN (issue 12).
  const graphiql = clientAccess.graphiql ? createSelfHostedGraphiQL(GRAPHQL_PATH) : undefined;
  const persisted =
    clientAccess.persistedOperations === 'off'
      ? undefined
      : usePersistedOperationsManifest({
          mode: clientAccess.persistedOperations,
          manifest: readPersistedManifest(clientAccess.persistedOperationsManifest),
        });
  const taken = [GRAPHQL_PATH, HEALTH_PATH, READINESS_PATH, deps.oauthCallbackPath];
  if (taken.includes(deps.webhooks.path)) {
    throw new Error(
      `WEBHOOK_PATH must not be ${deps.webhooks.path}: another route is served there`,
    );
  }
  const { metrics, tracing, metricsRoute } = deps.observability ?? {};
  const traces = createRequestTraces({ logger, metrics: metrics?.upstream, tracing });
  const upstreamCost = createUpstreamCost(deps.upstreamCost ?? { report: false, maxCalls: 300 });
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    // Yoga renders GraphiQL for any URL ending with the endpoint: only the exact path here, and
    // the key only to the gateway's own origin.
    graphiql: graphiql
      ? createGraphiQLOptions({
          graphqlPath: GRAPHQL_PATH,
          host: config.host,
          headers: deps.graphiqlHeaders,
          exampleVariables: deps.exampleVariables ?? {},
          now,
        })
      : false,
    renderGraphiQL: graphiql?.render,
    // Yoga's CORS echoes every origin: use-cors-allowlist answers instead.
    cors: false,
    extraParamNames: persisted ? [DOCUMENT_ID_PARAM] : [],
    // Counted as the body is read, chunked or not (a Content-Length above it is refused unread).
    maxRequestBodySize: queryLimits.maxBodyBytes,
    maskedErrors: { maskError: createMaskError(logger) },
    // The front door, in order: TikTok's signed deliveries on their own path (no browser, no
    // key), CORS (preflights answered), only the GraphQL path (and a few exact GET routes,
    // GraphiQL's files among them), then a credential; then introspection and persisted
    // operations, before anything is parsed. Yoga's body limit applies while the request is
    // parsed.
    plugins: [
      // Issue 12: the request id and span first (so the front door's refusals have them), the
      // operation metrics next, the access log last (it reads what the others settled on).
      useRequestId({ traces, graphqlPath: GRAPHQL_PATH }),
      ...(metrics
        ? [
            useOperationMetrics({
              registry: metrics.registry,
              outcomeOf: (request, response) =>
                outcomeOf(traces.of(request)?.errorCodes ?? [], response.status),
            }),
          ]
        : []),
      useWebhookRoute(deps.webhooks),
      useCorsAllowlist(clientAccess.cors),
      ...(graphiql ? [graphiql.plugin] : []),
      useGraphQLPath({
        graphqlPath: GRAPHQL_PATH,
        routes: {
          [HEALTH_PATH]: () => new Response(null, { status: 200 }),
          [READINESS_PATH]: () => deps.readiness.response(),
          [deps.oauthCallbackPath]: createOAuthCallbackHandler({ sellers, logger }),
          ...graphiql?.routes,
          ...(metricsRoute ? { [METRICS_PATH]: metricsRoute } : {}),
        },
      }),
      useCredentials({ resolveCaller: deps.callers, callers }),
      ...(clientAccess.introspection ? [] : [useIntrospectionOff()]),
      ...(persisted ? [persisted] : []),
      useNestingLimit({ maxNesting: nestingLimitOf(queryLimits) }),
      queryLimitPlugin(queryLimits),
      upstreamCost.plugin,
      useErrorCodes({ maxBodyBytes: queryLimits.maxBodyBytes, logger }),
      useSubscriptionAccept(),
      // After the credentials (its sessions are callers) and persisted operations (its keys are
      // documents); a hit is answered before parsing.
      ...(deps.responseCache
        ? useReadCache({
            schema,
            ...deps.responseCache,
            callerOf: (request) => callers.get(request),
          })
        : []),
      useAccessLog({
        traces,
        logger: unredactedLogger(logger),
        callerOf: (request) => callers.get(request)?.name,
      }),
    ],
    logging: {
      // Yoga logs several debug lines per request: skipped whole unless debug is on (issue 14).
      debug: isDebugOn(logger)
        ? (...args) => logger.debug({ detail: args.slice(1) }, String(args[0]))
        : () => {},
      info: (...args) => logger.info({ detail: args.slice(1) }, String(args[0])),
      warn: (...args) => logger.warn({ detail: args.slice(1) }, String(args[0])),
      // Yoga logs here every error it masked, refused fields (FORBIDDEN) included: by what it is.
      error: (...args) => logger[logLevelOf(args[0])]({ detail: args.slice(1) }, String(args[0])),
    },
    context: ({ request }) => {
      const trace = traces.of(request);
      return createContext({
        config,
        client,
        cache,
        logger: trace?.logger ?? logger,
        sellers,
        caller: callers.get(request) ?? null,
        now,
        writeLock: deps.writeLock,
        upstream: upstreamCost.observerFor(request, trace?.upstream),
        events: deps.events,
      });
    },
  });
}
