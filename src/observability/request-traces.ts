// What one request carries from its first plugin to its access-log line (issue 12): its id, a
// logger that writes the id on every line, its span, and the observer its upstream attempts report
// to (the metrics, a span each under the request's, the count in the access log). Kept per
// Request object, so the plugins, the context and the datasource see the same one.
import type { UpstreamAttempt, UpstreamObserver } from '../datasources/tiktok/upstream-observer.js';
import { childLogger, type Logger } from '../logger.js';
import { requestIdOf } from './request-id.js';
import { outcomeOf } from './request-outcome.js';
import type { RequestSpan, RequestSummary, Tracing } from './tracing.js';

export interface RequestTrace {
  /** The caller's sane `x-request-id`, else a new UUID. */
  readonly requestId: string;
  /** true on the GraphQL path: the requests the access log writes a line for. */
  readonly isGraphQL: boolean;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  /** The gateway's logger with `requestId` on every line. */
  readonly logger: Logger;
  /** This request's upstream observer (give it to the request's ShopSessions). */
  readonly upstream: UpstreamObserver;
  /** Its span, when tracing is on and it is a GraphQL request. */
  readonly span: RequestSpan | undefined;
  operationName: string | undefined;
  operationType: string | undefined;
  shopIds: readonly string[];
  upstreamCalls: number;
  /** The codes of the answer's errors; undefined until a GraphQL result was processed. */
  errorCodes: string[] | undefined;
}

export interface RequestTracesDeps {
  logger: Logger;
  /** The metrics' observer of upstream attempts (GatewayMetrics.upstream); none when off. */
  metrics: UpstreamObserver | undefined;
  tracing: Tracing | undefined;
}

export interface RequestTraces {
  /** Starts the trace of `request` (the first plugin does, before anything can refuse it). */
  start(request: Request, isGraphQL: boolean): RequestTrace;
  of(request: Request): RequestTrace | undefined;
  /** Ends the trace: the summary the access log writes; the span ends with it. */
  finish(
    trace: RequestTrace,
    answer: { status: number; errorCodes: readonly string[]; caller: string | undefined },
  ): RequestSummary;
}

/**
 * An observer of upstream attempts that reports to the metrics and opens a span for each, under
 * `parent` when given: a request's, or (without one) the app's for calls outside any request.
 */
export function combinedUpstreamObserver(
  deps: Pick<RequestTracesDeps, 'metrics' | 'tracing'>,
  request?: { span: RequestSpan | undefined; requestId: string; onAttempt(): void },
): UpstreamObserver {
  const { metrics, tracing } = deps;
  return {
    attemptStarted(attempt: UpstreamAttempt) {
      request?.onAttempt();
      const measured = metrics?.attemptStarted(attempt);
      const traced = tracing?.startAttempt(request?.span, attempt, request?.requestId);
      return (outcome) => {
        measured?.(outcome);
        traced?.(outcome);
      };
    },
  };
}

export function createRequestTraces(deps: RequestTracesDeps): RequestTraces {
  const traces = new WeakMap<Request, RequestTrace>();

  return {
    start(request, isGraphQL) {
      const requestId = requestIdOf(request.headers);
      const span = isGraphQL ? deps.tracing?.startRequest(request, requestId) : undefined;
      const logger = childLogger(deps.logger, { requestId });
      const { attemptStarted } = combinedUpstreamObserver(deps, {
        span,
        requestId,
        onAttempt: () => {
          trace.upstreamCalls += 1;
        },
      });
      const trace: RequestTrace = {
        requestId,
        isGraphQL,
        startedAt: performance.now(),
        logger,
        upstream: { logger, attemptStarted },
        span,
        operationName: undefined,
        operationType: undefined,
        shopIds: [],
        upstreamCalls: 0,
        errorCodes: undefined,
      };
      traces.set(request, trace);
      return trace;
    },

    of: (request) => traces.get(request),

    finish(trace, answer) {
      const summary: RequestSummary = {
        operationName: trace.operationName,
        operationType: trace.operationType,
        caller: answer.caller,
        shopIds: trace.shopIds,
        upstreamCalls: trace.upstreamCalls,
        errorCodes: answer.errorCodes,
        status: answer.status,
        outcome: outcomeOf(answer.errorCodes, answer.status),
        durationMs: Math.round((performance.now() - trace.startedAt) * 100) / 100,
      };
      trace.span?.end(summary);
      return summary;
    },
  };
}
