// createGateway(deps): the Yoga instance (schema, context, the front door, query limits, error
// masking and codes, GraphiQL, the OAuth callback route). Never listens; createApp (src/app.ts)
// builds it, server.ts and the tests decide where requests come from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Caller, CallerResolver } from './auth/caller.js';
import type { SellerAuth } from './auth/seller-auth.js';
import type { Config } from './config.js';
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
import { corsOptions, isLoopbackHost, isOwnLoopbackOrigin } from './plugins/sandbox-origin.js';
import { useAccessLog } from './plugins/use-access-log.js';
import { useCredentials } from './plugins/use-credentials.js';
import { useErrorCodes } from './plugins/use-error-codes.js';
import { useGraphQLPath } from './plugins/use-graphql-path.js';
import { useNestingLimit } from './plugins/use-nesting-limit.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';
import { useRequestId } from './plugins/use-request-id.js';
import { createMaskError, logLevelOf } from './schema/errors.js';
import { schema } from './schema/index.js';
import { nestingLimitOf, type QueryLimits, queryLimitPlugin } from './schema/query-limits.js';

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
  /** Query limits (GRAPHQL_MAX_*). */
  queryLimits: QueryLimits;
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
  /** Clock in ms since the epoch (default Date.now). */
  now?: () => number;
  /**
   * Values offered to GraphiQL's example tabs, by variable name (e.g. `{ id: '1729…' }`). A
   * `range` covering the last 30 full days is always offered.
   */
  exampleVariables?: Record<string, unknown>;
  /** Metrics, traces, /metrics (issue 12). Default: none (request ids and access log only). */
  observability?: Observability;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';

const DAY_MS = 86_400_000;

export function createGateway(deps: GatewayDeps): Gateway {
  const { config, client, logger, sellers, cache, queryLimits } = deps;
  const now = deps.now ?? Date.now;
  const examples = readExampleOperations();
  const keyHeaders =
    deps.graphiqlHeaders && isLoopbackHost(config.host)
      ? JSON.stringify(deps.graphiqlHeaders, null, 2)
      : undefined;
  const callers = new WeakMap<Request, Caller>();
  const { metrics, tracing, metricsRoute } = deps.observability ?? {};
  const traces = createRequestTraces({ logger, metrics: metrics?.upstream, tracing });
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    // Yoga renders GraphiQL for any URL ending with the endpoint: only the exact path here, and
    // the key only to the gateway's own origin.
    graphiql: (request) => {
      if (new URL(request.url).pathname !== GRAPHQL_PATH) return false;
      const headers = keyHeaders && isOwnLoopbackOrigin(request) ? keyHeaders : undefined;
      return {
        title: 'TikTok Shop gateway',
        ...exampleTabs(examples, deps.exampleVariables ?? {}, now, headers),
        ...(headers ? { headers, defaultHeaders: headers, shouldPersistHeaders: false } : {}),
      };
    },
    cors: corsOptions,
    // Counted as the body is read, chunked or not (a Content-Length above it is refused unread).
    maxRequestBodySize: queryLimits.maxBodyBytes,
    maskedErrors: { maskError: createMaskError(logger) },
    // The front door, in order: only the GraphQL path (and a few exact GET routes), then a
    // credential; Yoga's body limit applies while the request is parsed.
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
      useGraphQLPath({
        graphqlPath: GRAPHQL_PATH,
        routes: {
          [HEALTH_PATH]: () => new Response(null, { status: 200 }),
          [deps.oauthCallbackPath]: createOAuthCallbackHandler({ sellers, logger }),
          ...(metricsRoute ? { [METRICS_PATH]: metricsRoute } : {}),
        },
      }),
      useCredentials({ resolveCaller: deps.callers, callers }),
      useNestingLimit({ maxNesting: nestingLimitOf(queryLimits) }),
      queryLimitPlugin(queryLimits),
      useErrorCodes({ maxBodyBytes: queryLimits.maxBodyBytes, logger }),
      useAccessLog({
        traces,
        logger: unredactedLogger(logger),
        callerOf: (request) => callers.get(request)?.name,
      }),
    ],
    logging: {
      debug: (...args) => logger.debug({ detail: args.slice(1) }, String(args[0])),
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
        upstream: trace?.upstream,
      });
    },
  });
}

/** The last 30 full days (UTC), both ends inclusive, plus the exclusive end TikTok takes. */
export function exampleRange(nowMs: number) {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(today - 30 * DAY_MS), end: day(today - DAY_MS), endExclusive: day(today) };
}

interface ExampleOperation {
  query: string;
  variableNames: string[];
}

/** operations/*.graphql (in file-name order) beside src/ or dist/src/, or in the working directory. */
function readExampleOperations(): ExampleOperation[] {
  const candidates = [
    resolve(import.meta.dirname, '..', 'operations'),
    resolve(import.meta.dirname, '..', '..', 'operations'),
    resolve(process.cwd(), 'operations'),
  ];
  const directory = candidates.find((candidate) => existsSync(candidate));
  if (!directory) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(resolve(directory, file), 'utf8');
      const variableNames = parse(query).definitions.flatMap((definition) =>
        definition.kind === Kind.OPERATION_DEFINITION
          ? (definition.variableDefinitions ?? []).map((variable) => variable.variable.name.value)
          : [],
      );
      return { query, variableNames };
    });
}

/** One GraphiQL tab per example operation, with the variables it declares filled in. */
function exampleTabs(
  operations: ExampleOperation[],
  offered: Record<string, unknown>,
  now: () => number,
  headers: string | undefined,
) {
  const { start, end } = exampleRange(now());
  const values: Record<string, unknown> = { range: { start, end }, ...offered };
  const defaultTabs = operations.map((operation) => {
    const variables = Object.fromEntries(
      operation.variableNames.filter((name) => name in values).map((name) => [name, values[name]]),
    );
    return { query: operation.query, variables: JSON.stringify(variables, null, 2), headers };
  });
  return operations.length > 0
    ? {
        defaultQuery: operations[0]?.query,
        defaultTabs,
        defaultEditorToolsVisibility: 'variables' as const,
      }
    : {};
}
