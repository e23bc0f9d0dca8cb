// CORS from an allowlist (issue 12): Yoga's default echoed every Origin, so any web page could
// read the gateway's answers with a credential it held. Now only an origin in CORS_ORIGINS (any
// for `*`; by default in sandbox mode, any loopback origin) gets CORS headers; the gateway's own
// origin needs none. A preflight from another origin is refused (403 FORBIDDEN, nothing runs); an
// actual request from one is answered without the headers, so the browser keeps the answer from
// the page. No GraphiQL page is ever shared cross-origin (it may carry the development key).
// Credentials are headers (Authorization, x-api-key), never cookies: no Allow-Credentials.
import { type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';
import type { CorsAllowlist } from '../config.js';
import { errorResponse } from './error-response.js';
import { isLoopbackHost } from './sandbox-origin.js';

/** How long a browser may reuse a preflight answer, s (Chromium caps it at 7200). */
const PREFLIGHT_MAX_AGE_S = 600;

export function isAllowedOrigin(allowlist: CorsAllowlist, origin: string): boolean {
  if (allowlist.anyOrigin || allowlist.origins.includes(origin)) return true;
  if (!allowlist.loopbackOrigins) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

export function useCorsAllowlist(allowlist: CorsAllowlist): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const origin = request.headers.get('origin');
      if (origin !== null && !isAllowedOrigin(allowlist, origin)) {
        endResponse(
          errorResponse(
            403,
            `Origin ${origin} may not call this gateway from a browser: add it to CORS_ORIGINS.`,
            'FORBIDDEN',
          ),
        );
        return;
      }
      // Safari waits for a body on a 204 without Content-Length.
      endResponse(new Response(null, { status: 204, headers: { 'content-length': '0' } }));
    },
    onResponse({ request, response }) {
      response.headers.append('vary', 'Origin');
      const origin = request.headers.get('origin');
      if (origin === null || !isAllowedOrigin(allowlist, origin)) return;
      if (shouldRenderGraphiQL(request)) return;
      response.headers.set('access-control-allow-origin', origin);
      if (request.method !== 'OPTIONS') return;
      response.headers.set('access-control-allow-methods', 'GET, POST');
      const requested = request.headers.get('access-control-request-headers');
      if (requested) response.headers.set('access-control-allow-headers', requested);
      response.headers.append('vary', 'Access-Control-Request-Headers');
      response.headers.set('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
    },
  };
}
