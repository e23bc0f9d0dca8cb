// One JSON access-log line per GraphQL request (issue 12), and the `x-request-id` header on every
// answer: operation, caller, shops, duration, upstream attempts, error codes and HTTP status, at
// info for successes and client mistakes, warn for upstream failures, error for the gateway's own
// faults. The last plugin, so it sees the codes and the response the others settled on.
import { type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { REQUEST_ID_HEADER } from '../observability/request-id.js';
import { logLevelOfOutcome } from '../observability/request-outcome.js';
import type { RequestTraces } from '../observability/request-traces.js';

export interface AccessLogOptions {
  traces: RequestTraces;
  /** Where the lines go: the gateway's logger, unredacted (no field of a line can hold a secret). */
  logger: Logger;
  /** The authenticated caller's name (use-credentials keeps it per request). */
  callerOf(request: Request): string | undefined;
}

/** What the access log needs of the context: the shops the request used (context.ts). */
interface ShopsUsed {
  shopIds?: () => readonly string[];
}

function codesOf(results: readonly ExecutionResult[]): string[] {
  return results.flatMap((result) =>
    (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN')),
  );
}

/** The codes of an answer no GraphQL result made (the front door's 401 and 404, a 415). */
async function codesOfBody(response: Response): Promise<string[]> {
  if (response.status < 400 || !response.headers.get('content-type')?.includes('json')) return [];
  try {
    return codesOf([(await response.clone().json()) as ExecutionResult]);
  } catch {
    return [];
  }
}

export function useAccessLog(options: AccessLogOptions): Plugin<ShopsUsed> {
  const { traces } = options;
  return {
    onParse({ context }) {
      const trace = traces.of(context.request);
      if (!trace) return undefined;
      return ({ result }) => {
        if (!result || result instanceof Error) return;
        const operation = getOperationAST(result, context.params.operationName);
        if (!operation) return;
        trace.operationName = operation.name?.value;
        trace.operationType = operation.operation;
        trace.span?.setOperation(operation.operation, operation.name?.value);
      };
    },
    onExecute({ args }) {
      const trace = traces.of(args.contextValue.request);
      const { shopIds } = args.contextValue;
      if (!trace || !shopIds) return undefined;
      return {
        onExecuteDone() {
          trace.shopIds = shopIds();
        },
      };
    },
    onResultProcess({ request, result }) {
      const trace = traces.of(request);
      if (!trace || Symbol.asyncIterator in result) return;
      trace.errorCodes = codesOf(Array.isArray(result) ? result : [result as ExecutionResult]);
    },
    async onResponse({ request, response }) {
      const trace = traces.of(request);
      if (!trace) return;
      response.headers.set(REQUEST_ID_HEADER, trace.requestId);
      if (!trace.isGraphQL) return;
      const summary = traces.finish(trace, {
        status: response.status,
        errorCodes: trace.errorCodes ?? (await codesOfBody(response)),
        caller: options.callerOf(request),
      });
      options.logger[logLevelOfOutcome(summary.outcome)](
        { requestId: trace.requestId, ...summary },
        'graphql request',
      );
    },
  };
}
