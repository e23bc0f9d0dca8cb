// Traces (issue 12): one span per GraphQL request, a child of the caller's W3C `traceparent`, and
// one per upstream attempt under it; exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is
// set. This file is the seam only: the OpenTelemetry SDK and API (otel-tracing.ts) are imported
// dynamically when tracing is on, so without the variable no @opentelemetry module is loaded.
// No span per resolver: published benchmarks put their cost at 75–87 % of throughput.
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type {
  UpstreamAttempt,
  UpstreamAttemptOutcome,
} from '../datasources/tiktok/upstream-observer.js';
import type { Logger } from '../logger.js';
import type { RequestOutcome } from './request-outcome.js';

/** What a finished GraphQL request was: the access log's fields and the span's last attributes. */
export interface RequestSummary {
  operationName: string | undefined;
  operationType: string | undefined;
  /** The caller's name (GATEWAY_API_KEYS entry or JWT subject); undefined before authentication. */
  caller: string | undefined;
  /** The shops the request used. */
  shopIds: readonly string[];
  /** Upstream attempts it sent (a call shared with an identical one in flight counts once). */
  upstreamCalls: number;
  /** The `extensions.code` of every error answered, in order. */
  errorCodes: readonly string[];
  status: number;
  outcome: RequestOutcome;
  durationMs: number;
}

export interface RequestSpan {
  /** Names the span after its operation once the document is parsed (`query Dashboard`). */
  setOperation(type: string, name: string | undefined): void;
  end(summary: RequestSummary): void;
}

export interface Tracing {
  /** The span of one GraphQL request: a child of the caller's `traceparent` when it is valid. */
  startRequest(request: Request, requestId: string): RequestSpan;
  /**
   * The span of one upstream attempt, a child of `parent` (a root span outside any request);
   * the function returned ends it.
   */
  startAttempt(
    parent: RequestSpan | undefined,
    attempt: UpstreamAttempt,
    requestId: string | undefined,
  ): (outcome: UpstreamAttemptOutcome) => void;
  /** Exports the spans still pending (a failure is logged, not thrown) and stops. */
  close(): Promise<void>;
}

export interface TracingOptions {
  /** OTLP/HTTP base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans are posted to `<url>/v1/traces`. */
  otlpEndpoint: string | undefined;
  /** `service.name` (OTEL_SERVICE_NAME). */
  serviceName: string;
  /** Export here instead, each span as it ends (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** Told when the spans still pending at close could not be exported (collector down). */
  logger?: Pick<Logger, 'warn'>;
}

/** The tracing to run with, or undefined (nothing loaded) when neither an endpoint nor an exporter. */
export async function loadTracing(options: TracingOptions): Promise<Tracing | undefined> {
  if (!options.exporter && !options.otlpEndpoint) return undefined;
  const { createOtelTracing } = await import('./otel-tracing.js');
  return createOtelTracing(options);
}
