// Real HTTP on a loopback port, for tests where the socket matters (chunked bodies, a lying
// Content-Length, raw paths such as `//graphql`): the gateway behind node:http as server.ts runs
// it, and requests sent with node:http or a bare socket.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Gateway } from '../../src/gateway.js';

export interface LoopbackServer {
  port: number;
  close(): Promise<void>;
}

export async function serveOnLoopback(gateway: Gateway): Promise<LoopbackServer> {
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: assertions walk untyped reply JSON.
  json: any;
}

export interface HttpRequest {
  method?: string;
  /** Sent as written, e.g. `//graphql` or `/healthz?a=/graphql`. */
  path: string;
  headers?: Record<string, string>;
  /** A body sent with Content-Length. */
  body?: string;
  /** A body sent chunked (Transfer-Encoding: chunked), piece by piece. */
  chunks?: Iterable<string>;
}

export function send(port: number, spec: HttpRequest): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: spec.headers,
        // A socket per request: one refused mid-body is not handed to the next.
        agent: false,
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    // The server may answer (413, 401) and close before the whole body is written: the socket
    // then fails the rest of the write, also after the answer came.
    outgoing.on('socket', (socket) => socket.on('error', () => undefined));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (spec.chunks) {
      void (async () => {
        for (const chunk of spec.chunks ?? []) {
          if (outgoing.destroyed) return;
          if (!outgoing.write(chunk))
            await new Promise((drained) => outgoing.once('drain', drained));
        }
        outgoing.end();
      })();
    } else {
      outgoing.end(spec.body);
    }
  });
}

/**
 * Writes `bytes` as they are (a hand-made request) and answers everything the server sent back
 * until it closed the connection or, with `endAfterWrite`, until this side ended it.
 */
export function sendRawBytes(
  port: number,
  bytes: string,
  options: { endAfterWrite?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    socket.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
    socket.write(bytes, () => {
      if (options.endAfterWrite) socket.end();
    });
  });
}
