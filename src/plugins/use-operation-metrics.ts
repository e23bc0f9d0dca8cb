// Operation metrics (issue 12) from Yoga's Prometheus plugin, into the app's own registry: each
// GraphQL request by operation name, type, outcome and HTTP status, with its duration. That one
// histogram only: its count is the operations, its outcome label the errors; each further metric
// hooks every request (the per-resolver histogram would cost most of the throughput, the summary
// cannot be aggregated across replicas, the deprecated-field counter walks every document).
// Operation names are the callers' own words, so the label keeps a bounded number of them
// (label-guard.ts). /metrics itself is served by the front door.
import {
  createHistogram,
  type FillLabelsFnParams,
  usePrometheus,
} from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { createLabelGuard } from '../observability/label-guard.js';

export interface OperationMetricsOptions {
  registry: Registry;
  /** The request's outcome (observability/request-outcome.ts), read as its response leaves. */
  outcomeOf(request: Request, response: Response): string;
}

export function useOperationMetrics(options: OperationMetricsOptions): Plugin {
  const { registry } = options;
  const operationName = createLabelGuard();
  return usePrometheus({
    registry,
    endpoint: false,
    metrics: {
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help:
            'GraphQL requests from arrival to response, seconds, by operation, outcome (success, ' +
            'client_error, upstream_error, gateway_error) and HTTP status.',
          labelNames: ['operationName', 'operationType', 'outcome', 'statusCode'],
        },
        fillLabelsFn: (
          params: FillLabelsFnParams,
          context: { request: Request; response: Response },
        ) => ({
          operationName: operationName(params.operationName ?? 'Anonymous'),
          operationType: params.operationType ?? 'unknown',
          outcome: options.outcomeOf(context.request, context.response),
          statusCode: context.response.status,
        }),
      }),
      graphql_envelop_phase_execute: false,
      graphql_envelop_error_result: false,
      graphql_envelop_request: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
    },
  });
}
