// GET /metrics (issue 12): the Prometheus text of GatewayMetrics, behind `Authorization: Bearer
// <METRICS_TOKEN>` when the token is set (compared in constant time; 401 otherwise). Served as a
// route of the front door on the main port, or by a listener of its own on METRICS_PORT.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorResponse } from '../plugins/error-response.js';
import type { GatewayMetrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

export interface MetricsEndpointOptions {
  metrics: GatewayMetrics;
  /** METRICS_TOKEN; undefined: open. */
  token: string | undefined;
}

/** Equal lengths for timingSafeEqual, whatever was sent: both sides hashed first. */
const digest = (text: string) => createHash('sha256').update(text).digest();

function isAuthorized(authorization: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

/** The /metrics answer to `request` (its path and method are the caller's to check). */
export function createMetricsHandler(
  options: MetricsEndpointOptions,
): (request: Request) => Promise<Response> {
  const { metrics, token } = options;
  return async (request) => {
    if (token !== undefined && !isAuthorized(request.headers.get('authorization'), token)) {
      return errorResponse(
        401,
        'Metrics need Authorization: Bearer <METRICS_TOKEN>',
        'UNAUTHENTICATED',
        {
          'www-authenticate': 'Bearer realm="metrics"',
        },
      );
    }
    return new Response(await metrics.text(), {
      status: 200,
      headers: { 'content-type': metrics.contentType },
    });
  };
}

export interface MetricsListener {
  /** http://<host>:<port> */
  url: string;
  close(): Promise<void>;
}

/** A listener on `port` that answers GET /metrics with `handler` and 404 to anything else. */
export async function listenForMetrics(options: {
  handler: (request: Request) => Promise<Response>;
  host: string;
  port: number;
}): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metrics');
    const answer =
      req.method === 'GET' && url.pathname === METRICS_PATH
        ? options.handler(
            new Request(url, { headers: { authorization: req.headers.authorization ?? '' } }),
          )
        : Promise.resolve(
            errorResponse(404, `Not found: metrics are at ${METRICS_PATH}`, 'NOT_FOUND'),
          );
    answer
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(await response.text());
      })
      .catch(() => {
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
