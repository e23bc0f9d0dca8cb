// The upstream cost of a query (issue 14). Before: a document whose estimate (the planner in
// src/schema/upstream-estimate) exceeds GRAPHQL_MAX_UPSTREAM_CALLS is refused with BAD_USER_INPUT
// before anything executes. After: an answer asked with `x-upstream-cost: 1` (or every answer
// with GRAPHQL_REPORT_UPSTREAM_COST=true) carries `extensions.upstream`, counted by the request's
// own observer (src/observability/upstream-cost.ts); subscription streams carry none.
import type { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { UpstreamCostConfig } from '../config.js';
import type { UpstreamObserver } from '../datasources/tiktok/upstream-observer.js';
import {
  createUpstreamCostCounter,
  type UpstreamCostCounter,
} from '../observability/upstream-cost.js';
import {
  estimateUpstreamCalls,
  type UpstreamEstimate,
} from '../schema/upstream-estimate/estimate.js';

export const UPSTREAM_COST_HEADER = 'x-upstream-cost';

export interface UpstreamCost {
  plugin: Plugin;
  /** The observer a request's sessions report to: `base`, counted when the request is reported. */
  observerFor(request: Request, base: UpstreamObserver | undefined): UpstreamObserver | undefined;
}

/** The refusal of a document above the limit: HTTP 400, like the other query limits. */
export function upstreamCallsRefusal(estimate: UpstreamEstimate, maxCalls: number): GraphQLError {
  return createGraphQLError(
    `This query would make about ${estimate.calls} upstream calls; the limit is ${maxCalls} ` +
      '(GRAPHQL_MAX_UPSTREAM_CALLS).',
    {
      extensions: {
        code: 'BAD_USER_INPUT',
        limit: 'maxUpstreamCalls',
        estimate: estimate.calls,
        maxUpstreamCalls: maxCalls,
        estimateByEndpoint: estimate.byEndpoint,
        http: { status: 400 },
      },
    },
  );
}

/** Estimates kept per parsed document (Yoga reuses one per query text) and variables. */
const ESTIMATES_PER_DOCUMENT = 64;

/** The planner's estimate, remembered: the hot path sends the same few documents and variables. */
function createEstimates() {
  const byDocument = new WeakMap<DocumentNode, Map<string, UpstreamEstimate>>();
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
  ): UpstreamEstimate => {
    let known = byDocument.get(document);
    if (!known) {
      known = new Map();
      byDocument.set(document, known);
    }
    const key = `${operationName ?? ''}|${JSON.stringify(variables ?? {})}`;
    let estimate = known.get(key);
    if (!estimate) {
      estimate = estimateUpstreamCalls(schema, document, variables, operationName);
      if (known.size >= ESTIMATES_PER_DOCUMENT) known.clear();
      known.set(key, estimate);
    }
    return estimate;
  };
}

interface Reported {
  counter: UpstreamCostCounter;
  estimate?: number;
}

export function createUpstreamCost(config: UpstreamCostConfig): UpstreamCost {
  // Only requests that are reported get a counter: the others pay nothing for it.
  const reported = new WeakMap<Request, Reported>();
  const estimateOf = createEstimates();
  const withUpstream = (result: ExecutionResult, entry: Reported): ExecutionResult => {
    const isAnswered = !result.errors?.length || result.data != null;
    const report = {
      ...entry.counter.report(),
      ...(entry.estimate !== undefined && isAnswered ? { estimate: entry.estimate } : {}),
    };
    return { ...result, extensions: { ...result.extensions, upstream: report } };
  };

  return {
    observerFor(request, base) {
      const entry = reported.get(request);
      return entry ? entry.counter.observe(base) : base;
    },
    plugin: {
      onRequest({ request }) {
        if (config.report || request.headers.get(UPSTREAM_COST_HEADER) === '1') {
          reported.set(request, { counter: createUpstreamCostCounter() });
        }
      },
      onExecute({ args, setResultAndStopExecution }) {
        const request = (args.contextValue as { request?: Request }).request;
        let estimate: UpstreamEstimate;
        try {
          estimate = estimateOf(
            args.schema,
            args.document,
            args.variableValues as Record<string, unknown> | undefined,
            args.operationName,
          );
        } catch {
          return; // variables that do not coerce: execution refuses them with its own error
        }
        const entry = request ? reported.get(request) : undefined;
        if (entry) entry.estimate = estimate.calls;
        if (estimate.calls > config.maxCalls) {
          setResultAndStopExecution({ errors: [upstreamCallsRefusal(estimate, config.maxCalls)] });
        }
      },
      onResultProcess({ request, result, setResult }) {
        const entry = reported.get(request);
        if (!entry || Array.isArray(result) || Symbol.asyncIterator in result) return;
        setResult(withUpstream(result as ExecutionResult, entry));
      },
    },
  };
}
