// createGateway(deps): the Yoga instance (schema, context, error masking, GraphiQL). Never listens;
// server.ts and the tests decide where requests come from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createContext, type GatewayContext } from './context.js';
import { createSharedCache, type SharedCache } from './datasources/tiktok/cache.js';
import type { TikTokShopClient } from './datasources/tiktok/types.js';
import { createMaskError } from './schema/errors.js';
import { schema } from './schema/index.js';

export interface GatewayDeps {
  config: Config;
  client: TikTokShopClient;
  logger: Logger;
  /** Shared across requests; default: a new cache from `config.cache`. */
  cache?: SharedCache;
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
  const { config, client, logger } = deps;
  const now = deps.now ?? Date.now;
  const cache = deps.cache ?? createSharedCache({ config: config.cache, now });
  const examples = readExampleOperations();
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    graphiql: () => ({
      title: 'TikTok Shop gateway',
      ...exampleTabs(examples, deps.exampleVariables ?? {}, now),
    }),
    maskedErrors: { maskError: createMaskError(logger) },
    // TODO(#4): query depth and cost limits. No maintained envelop depth-limit plugin is installed
    // (e.g. @escape.tech/graphql-armor-max-depth); connection sizes are capped at 100 meanwhile.
    logging: {
      debug: (...args) => logger.debug({ detail: args.slice(1) }, String(args[0])),
      info: (...args) => logger.info({ detail: args.slice(1) }, String(args[0])),
      warn: (...args) => logger.warn({ detail: args.slice(1) }, String(args[0])),
      error: (...args) => logger.error({ detail: args.slice(1) }, String(args[0])),
    },
    context: () => createContext({ config, client, cache, logger }),
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
) {
  const { start, end } = exampleRange(now());
  const values: Record<string, unknown> = { range: { start, end }, ...offered };
  const defaultTabs = operations.map((operation) => {
    const variables = Object.fromEntries(
      operation.variableNames.filter((name) => name in values).map((name) => [name, values[name]]),
    );
    return { query: operation.query, variables: JSON.stringify(variables, null, 2) };
  });
  return operations.length > 0
    ? {
        defaultQuery: operations[0]?.query,
        defaultTabs,
        defaultEditorToolsVisibility: 'variables' as const,
      }
    : {};
}
