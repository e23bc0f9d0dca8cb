// createGateway(deps): the Yoga instance (schema, context, who may call, query limits, error
// masking, GraphiQL, the OAuth callback route). Never listens; createApp (src/app.ts) builds it,
// server.ts and the tests decide where requests come from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Caller, CallerResolver } from './auth/caller.js';
import { UnauthenticatedError } from './auth/errors.js';
import type { SellerAuth } from './auth/seller-auth.js';
import type { Config } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import type { SharedCache } from './datasources/tiktok/cache.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import type { WriteLock } from './datasources/tiktok/write-lock.js';
import type { Logger } from './logger.js';
import { createOAuthCallbackHandler } from './oauth-callback.js';
import { createMaskError } from './schema/errors.js';
import { schema } from './schema/index.js';
import { type QueryLimits, queryLimitPlugin } from './schema/query-limits.js';

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
   * loaded. Default: none (the user adds `Authorization` in the headers tab).
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
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export const GRAPHQL_PATH = '/graphql';
export const HEALTH_PATH = '/healthz';

const DAY_MS = 86_400_000;

export function createGateway(deps: GatewayDeps): Gateway {
  const { config, client, logger, sellers, cache } = deps;
  const now = deps.now ?? Date.now;
  const examples = readExampleOperations();
  const headers = deps.graphiqlHeaders ? JSON.stringify(deps.graphiqlHeaders, null, 2) : undefined;
  const callers = new WeakMap<Request, Caller>();
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    graphiql: () => ({
      title: 'TikTok Shop gateway',
      ...exampleTabs(examples, deps.exampleVariables ?? {}, now, headers),
      ...(headers ? { headers, defaultHeaders: headers, shouldPersistHeaders: false } : {}),
    }),
    maskedErrors: { maskError: createMaskError(logger) },
    plugins: [
      useCallers({
        resolveCaller: deps.callers,
        callers,
        maxBodyBytes: deps.queryLimits.maxBodyBytes,
        callbackPath: deps.oauthCallbackPath,
        handleCallback: createOAuthCallbackHandler({ sellers, logger }),
      }),
      queryLimitPlugin(deps.queryLimits),
    ],
    logging: {
      debug: (...args) => logger.debug({ detail: args.slice(1) }, String(args[0])),
      info: (...args) => logger.info({ detail: args.slice(1) }, String(args[0])),
      warn: (...args) => logger.warn({ detail: args.slice(1) }, String(args[0])),
      error: (...args) => logger.error({ detail: args.slice(1) }, String(args[0])),
    },
    context: ({ request }) =>
      createContext({
        config,
        client,
        cache,
        logger,
        sellers,
        caller: callers.get(request) ?? null,
        writeLock: deps.writeLock,
      }),
  });
}

/** A GraphQL error answer outside execution (no data), e.g. 401 before anything ran. */
function errorResponse(status: number, message: string, code: string, extra?: HeadersInit) {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
  });
}

/** Yoga renders GraphiQL for a GET that accepts HTML; the page itself needs no credential. */
function isGraphiQLPage(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
}

/**
 * Who may call (issue #4): every GraphQL request needs an API key or JWT, else HTTP 401 with
 * UNAUTHENTICATED before anything is parsed. The caller is kept per request for the context; the
 * scopes are checked per field by scope-auth. Also serves the OAuth callback, which TikTok's
 * redirect reaches without credentials (the signed state protects it).
 */
function useCallers(options: {
  resolveCaller: CallerResolver;
  callers: WeakMap<Request, Caller>;
  maxBodyBytes: number;
  callbackPath: string;
  handleCallback: (request: Request) => Promise<Response>;
}): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === options.callbackPath && request.method === 'GET') {
        endResponse(await options.handleCallback(request));
        return;
      }
      if (url.pathname !== GRAPHQL_PATH || request.method === 'OPTIONS') return;
      if (isGraphiQLPage(request)) return;
      const length = Number(request.headers.get('content-length') ?? '0');
      if (length > options.maxBodyBytes) {
        endResponse(
          errorResponse(
            413,
            `Request body is larger than ${options.maxBodyBytes} bytes.`,
            'BAD_USER_INPUT',
          ),
        );
        return;
      }
      let caller: Caller | null;
      try {
        caller = await options.resolveCaller(request);
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        endResponse(unauthorized(error.message));
        return;
      }
      if (!caller) {
        endResponse(unauthorized(new UnauthenticatedError().message));
        return;
      }
      options.callers.set(request, caller);
    },
  };
}

function unauthorized(message: string): Response {
  return errorResponse(401, message, 'UNAUTHENTICATED', {
    'www-authenticate': 'Bearer realm="tiktok-shop-gateway"',
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
