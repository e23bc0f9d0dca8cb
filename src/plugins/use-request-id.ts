// The first plugin (issue 12): every request gets its id (the caller's `x-request-id` when sane)
// and, on the GraphQL path, the trace that its logger, its span, its upstream attempts and its
// access-log line share (observability/request-traces.ts). First, so that a request the front
// door refuses (404, 401) is traced and logged too.
import type { Plugin } from 'graphql-yoga';
import type { RequestTraces } from '../observability/request-traces.js';

export interface RequestIdOptions {
  traces: RequestTraces;
  /** The GraphQL path: requests to it get a span and an access-log line. */
  graphqlPath: string;
}

export function useRequestId(options: RequestIdOptions): Plugin {
  return {
    onRequest({ request, url }) {
      options.traces.start(request, url.pathname === options.graphqlPath);
    },
  };
}
