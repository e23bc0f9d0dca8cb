// The observability section of the settings (issue 12): /metrics, its access, and OpenTelemetry
// traces. src/settings.ts reads it from the environment with everything else.

export interface ObservabilityConfig {
  /** Prometheus metrics at /metrics and the upstream, cache and limiter counters (METRICS_ENABLED). */
  metricsEnabled: boolean;
  /**
   * Bearer token /metrics requires, compared in constant time (METRICS_TOKEN). Unset: /metrics is
   * open (put it behind the network instead, or use METRICS_PORT).
   */
  metricsToken: string | undefined;
  /**
   * Serve /metrics on this port, on HOST, and not on the main port (METRICS_PORT; 0 picks a free
   * one). Unset: /metrics is served on the main port.
   */
  metricsPort: number | undefined;
  /**
   * OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<url>/v1/traces`.
   * Unset: no tracing, and no OpenTelemetry module is loaded.
   */
  otlpEndpoint: string | undefined;
  /** `service.name` of the spans (OTEL_SERVICE_NAME). */
  serviceName: string;
}
