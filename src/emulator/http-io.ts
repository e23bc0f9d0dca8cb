// Small node:http helpers shared by the emulator's handlers: body buffering, query parsing, replies.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request whose body has been read in full. */
export interface ArrivedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Arrival time, ms since the epoch with sub-ms precision. */
  atMs: number;
  /** Raw body bytes as received. */
  body: Buffer;
}

/** Largest request body read, bytes; more is answered 413 (the emulator has no upload routes). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/** Buffers the raw body bytes exactly as received; the signature is checked over these (§4). */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) isTooLarge = true;
      // Keep draining so the reply can still be written on this connection, but stop storing.
      if (!isTooLarge) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        isTooLarge ? { ok: false, reason: 'too_large' } : { ok: true, body: Buffer.concat(chunks) },
      ),
    );
    req.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ ok: false, reason: 'aborted' });
    });
  });
}

export type QueryParse =
  | { ok: true; query: Record<string, string> }
  | { ok: false; duplicateKey: string };

/**
 * Decodes the query string. A key sent twice is refused: the string-to-sign (§4) has one value
 * per key, so a repeated key has no single reading.
 */
export function parseQuery(search: URLSearchParams): QueryParse {
  const query: Record<string, string> = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(query, key)) return { ok: false, duplicateKey: key };
    query[key] = value;
  }
  return { ok: true, query };
}

/** Splits `req.url` into the raw path (as sent, not decoded) and its query parameters. */
export function splitUrl(rawUrl: string | undefined): { path: string; search: URLSearchParams } {
  const url = rawUrl ?? '/';
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return { path: url, search: new URLSearchParams() };
  return { path: url.slice(0, queryStart), search: new URLSearchParams(url.slice(queryStart + 1)) };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': 0, 'cache-control': 'no-store' });
  res.end();
}

/** Arrival time, ms since the epoch with sub-ms precision. */
export function arrivalTimeMs(): number {
  return performance.timeOrigin + performance.now();
}
