// The OpenTelemetry side of tracing.ts, imported only when tracing is on. A BasicTracerProvider of
// this app's own, never registered globally (no global context manager, propagator or provider),
// so several apps in one process keep apart and parents are passed explicitly: the request's span
// from the caller's `traceparent`, each upstream attempt's from the request's span.
import {
  type Attributes,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { RequestSpan, Tracing, TracingOptions } from './tracing.js';

const TRACER_NAME = 'tiktok-shop-gateway';
/** Attributes of our own, beside the semantic conventions'. */
const ATTR_REQUEST_ID = 'gateway.request_id';

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** Our RequestSpan, holding the OpenTelemetry span its attempts hang under. */
class OtelRequestSpan implements RequestSpan {
  constructor(readonly span: Span) {}

  setOperation(type: string, name: string | undefined) {
    this.span.updateName(name ? `${type} ${name}` : type);
    this.span.setAttributes({
      'graphql.operation.type': type,
      ...(name ? { 'graphql.operation.name': name } : {}),
    });
  }

  end(summary: Parameters<RequestSpan['end']>[0]) {
    const attributes: Attributes = {
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: summary.status,
      'gateway.outcome': summary.outcome,
      'gateway.upstream_calls': summary.upstreamCalls,
      'gateway.shop_ids': [...summary.shopIds],
      'gateway.error_codes': [...summary.errorCodes],
    };
    if (summary.caller) attributes['gateway.caller'] = summary.caller;
    this.span.setAttributes(attributes);
    // Upstream trouble and the gateway's own faults mark the span; a client's mistake does not.
    if (summary.outcome === 'upstream_error' || summary.outcome === 'gateway_error') {
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: summary.errorCodes.join(', ') });
    }
    this.span.end();
  }
}

export function createOtelTracing(options: TracingOptions): Tracing {
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint}/v1/traces` }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer(TRACER_NAME);
  const propagator = new W3CTraceContextPropagator();

  return {
    startRequest(request, requestId) {
      // An absent or malformed traceparent leaves no span in the context: this one is a root.
      const parent = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
      const span = tracer.startSpan(
        'graphql',
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            [ATTR_URL_PATH]: new URL(request.url).pathname,
            [ATTR_REQUEST_ID]: requestId,
          },
        },
        parent,
      );
      return new OtelRequestSpan(span);
    },

    startAttempt(parent, attempt, requestId) {
      const context =
        parent instanceof OtelRequestSpan ? trace.setSpan(ROOT_CONTEXT, parent.span) : ROOT_CONTEXT;
      const attributes: Attributes = {
        'tiktok.endpoint': attempt.endpoint,
        'tiktok.attempt': attempt.attempt,
        [ATTR_HTTP_REQUEST_METHOD]: attempt.method,
      };
      if (attempt.attempt > 1) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = attempt.attempt - 1;
      if (attempt.shopId) attributes['tiktok.shop_id'] = attempt.shopId;
      if (requestId) attributes[ATTR_REQUEST_ID] = requestId;
      const span = tracer.startSpan(
        `tiktok ${attempt.endpoint}`,
        { kind: SpanKind.CLIENT, attributes },
        context,
      );
      return (outcome) => {
        if (outcome.status !== null)
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
        if (outcome.code !== null) span.setAttribute('tiktok.code', outcome.code);
        if (outcome.error) {
          const { error } = outcome;
          const reason = 'reason' in error ? String(error.reason) : undefined;
          span.setAttribute(ATTR_ERROR_TYPE, reason ? `${error.name}:${reason}` : error.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
        span.end();
      };
    },

    // A collector that is down must not fail the shutdown: its spans are lost, and said so.
    close: () =>
      provider.shutdown().catch((error: unknown) => {
        options.logger?.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'Spans could not be exported at shutdown',
        );
      }),
  };
}
