// What GraphiQL opens with: one tab per example operation in operations/ with the variables it
// declares filled in, the title, and the sandbox's development key in the headers, only for a
// page requested from the gateway's own loopback origin (sandbox-origin.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { findProjectPath } from '../project-files.js';
import { isLoopbackHost, isOwnLoopbackOrigin } from './sandbox-origin.js';

export interface GraphiQLOptionsInput {
  /** The exact pathname GraphiQL answers at (other URLs ending with it get no page). */
  graphqlPath: string;
  /** HOST: the headers are preloaded only while it is a loopback name. */
  host: string;
  /** Headers GraphiQL starts with, e.g. the sandbox's development key. Default: none. */
  headers?: Record<string, string>;
  /** Values offered to the example tabs, by variable name; `range` is always offered. */
  exampleVariables: Record<string, unknown>;
  /** Clock in ms since the epoch, for the example `range`. */
  now: () => number;
}

const DAY_MS = 86_400_000;

/** Yoga's `graphiql` option: the options per page request, or false for no page. */
export function createGraphiQLOptions(
  input: GraphiQLOptionsInput,
): (request: Request) => GraphiQLOptions | false {
  const examples = readExampleOperations();
  const keyHeaders =
    input.headers && isLoopbackHost(input.host)
      ? JSON.stringify(input.headers, null, 2)
      : undefined;
  return (request) => {
    if (new URL(request.url).pathname !== input.graphqlPath) return false;
    const headers = keyHeaders && isOwnLoopbackOrigin(request) ? keyHeaders : undefined;
    return {
      title: 'TikTok Shop gateway',
      ...exampleTabs(examples, input.exampleVariables, input.now, headers),
      ...(headers ? { headers, defaultHeaders: headers, shouldPersistHeaders: false } : {}),
    };
  };
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

/** operations/*.graphql, in file-name order. */
function readExampleOperations(): ExampleOperation[] {
  const directory = findProjectPath('operations');
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
