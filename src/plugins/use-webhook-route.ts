// The webhook receiver's route (issue 13): one exact path that takes POST with its raw body,
// before the front door (use-graphql-path answers only GET on its other routes and 404s the rest)
// and before the credential check: TikTok signs its deliveries instead of sending a key.
import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './error-response.js';

export interface WebhookRouteOptions {
  /** The pathname, compared exactly (WEBHOOK_PATH). */
  path: string;
  /** Answers a POST to it; reads the body itself. */
  handle(request: Request): Promise<Response>;
}

export function useWebhookRoute(options: WebhookRouteOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== options.path) return;
      endResponse(
        request.method === 'POST'
          ? await options.handle(request)
          : errorResponse(405, `Only POST is served at ${options.path}.`, 'BAD_REQUEST', {
              allow: 'POST',
            }),
      );
    },
  };
}
