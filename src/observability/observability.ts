// createObservability: the metrics, the tracing and the /metrics endpoint of one app (issue 12),
// built by createApp from ObservabilityConfig and handed to the datasource (observers), the cache,
// the limiter and the gateway (plugins, route).
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { UpstreamObserver } from '../datasources/tiktok/upstream-observer.js';
import type { Logger } from '../logger.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import {
  createMetricsHandler,
  listenForMetrics,
  type MetricsListener,
} from './metrics-endpoint.js';
import type { ObservabilityConfig } from './observability-config.js';
import { combinedUpstreamObserver } from './request-traces.js';
import { loadTracing, type Tracing } from './tracing.js';

export interface Observability {
  /** undefined when METRICS_ENABLED is false. */
  readonly metrics: GatewayMetrics | undefined;
  /** undefined without OTEL_EXPORTER_OTLP_ENDPOINT (and without an exporter passed in). */
  readonly tracing: Tracing | undefined;
  /**
   * Upstream attempts made outside a request's own observer (start-up, seller-level and token
   * calls): counted, and traced as root spans.
   */
  readonly upstream: UpstreamObserver;
  /** GET /metrics for the main port's front door; undefined when off or on METRICS_PORT. */
  readonly metricsRoute: ((request: Request) => Promise<Response>) | undefined;
  /** Opens METRICS_PORT when it is set; resolves to that listener's URL, else undefined. */
  listen(): Promise<string | undefined>;
  /** Closes the METRICS_PORT listener and exports the spans still pending. */
  close(): Promise<void>;
}

export interface ObservabilityOptions {
  config: ObservabilityConfig;
  /** HOST: where METRICS_PORT listens too. */
  host: string;
  /** Tests: spans go here (each as it ends) instead of OTLP, and tracing is on. */
  spanExporter?: SpanExporter;
  logger: Logger;
}

export async function createObservability(options: ObservabilityOptions): Promise<Observability> {
  const { config } = options;
  const metrics = config.metricsEnabled ? createGatewayMetrics() : undefined;
  const tracing = await loadTracing({
    otlpEndpoint: config.otlpEndpoint,
    serviceName: config.serviceName,
    exporter: options.spanExporter,
    logger: options.logger,
  });
  const handler = metrics && createMetricsHandler({ metrics, token: config.metricsToken });
  let listener: Promise<MetricsListener> | undefined;

  return {
    metrics,
    tracing,
    upstream: combinedUpstreamObserver({ metrics: metrics?.upstream, tracing }),
    metricsRoute: config.metricsPort === undefined ? handler : undefined,
    async listen() {
      if (!handler || config.metricsPort === undefined) return undefined;
      listener ??= listenForMetrics({ handler, host: options.host, port: config.metricsPort });
      return (await listener).url;
    },
    async close() {
      const opened = listener;
      listener = undefined;
      // A listener that never opened (its port was taken) has nothing to close.
      await Promise.all([
        opened?.then(
          (open) => open.close(),
          () => undefined,
        ),
        tracing?.close(),
      ]);
    },
  };
}
