// Shared pieces of the CLIs: their settings, ✓/✗ lines, masked secrets, and the loopback listener
// that catches TikTok's redirect.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { ConfigError } from '../config.js';
import { loadSettings, readEnvironment, type Settings } from '../settings.js';

/** `TTP_ab…(42 chars)`: enough to recognise a token, never enough to use it. */
export function maskSecret(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '(none)';
  const shown = value.length >= 16 ? value.slice(0, 6) : '';
  return `${shown}…(${value.length} chars)`;
}

/** Unix seconds → ISO time plus how far away it is, e.g. `2025-03-01T10:00:00Z (in 6.9 days)`. */
export function describeExpiry(unixSeconds: number | null, nowMs = Date.now()): string {
  if (unixSeconds === null) return 'unknown';
  const deltaMs = unixSeconds * 1000 - nowMs;
  const abs = Math.abs(deltaMs);
  const span =
    abs >= 86_400_000
      ? `${(abs / 86_400_000).toFixed(1)} days`
      : abs >= 3_600_000
        ? `${(abs / 3_600_000).toFixed(1)} hours`
        : `${Math.round(abs / 60_000)} minutes`;
  const iso = new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
  return `${iso} (${deltaMs >= 0 ? `in ${span}` : `${span} ago`})`;
}

/** Prints ✓/✗ lines and remembers whether anything failed. */
export function createReport(write: (line: string) => void = (line) => console.log(line)) {
  let failures = 0;
  return {
    ok(label: string, detail: string) {
      write(`✓ ${label}: ${detail}`);
    },
    fail(label: string, detail: string) {
      failures += 1;
      write(`✗ ${label}: ${detail}`);
    },
    /** Something to act on soon that does not fail the check. */
    warn(label: string, detail: string) {
      write(`⚠ ${label}: ${detail}`);
    },
    info(line: string) {
      write(line);
    },
    get failures() {
      return failures;
    },
  };
}

/** A failure's message for a ✗ line: our errors' messages never carry secrets. */
export function reasonOf(error: unknown): string {
  if (error instanceof ConfigError) return error.problems.join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** Runs a CLI's main and exits with its code; a throw is one ✗ line and exit 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`✗ ${reasonOf(error)}`);
      process.exit(1);
    },
  );
}

/** The settings, with the log silent unless LOG_LEVEL is set: the CLIs speak in ✓/✗ lines. */
export function loadCliSettings(): Settings {
  const env = readEnvironment();
  return loadSettings(env.LOG_LEVEL ? env : { ...env, LOG_LEVEL: 'silent' });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHttpUrl(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export interface RedirectCapture {
  /** The query of the redirect TikTok sent the browser to. */
  params: URLSearchParams;
  /** Answers the browser (once the code was exchanged). */
  respond(status: number, html: string): void;
}

export interface RedirectListener {
  /** The redirect URI with the port actually bound (port 0 picks a free one). */
  redirectUri: URL;
  next: Promise<RedirectCapture>;
  close(): Promise<void>;
}

/**
 * Listens on the redirect URI's loopback host, port and path for TikTok's redirect (setup guide
 * Step 4: `http://localhost:8000/callback`). Other paths get 404.
 */
export async function listenForRedirect(redirectUri: URL): Promise<RedirectListener> {
  let deliver: (capture: RedirectCapture) => void = () => {};
  const next = new Promise<RedirectCapture>((resolve) => {
    deliver = resolve;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (req.method !== 'GET' || url.pathname !== redirectUri.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    deliver({
      params: url.searchParams,
      respond(status, html) {
        res
          .writeHead(status, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
          })
          .end(html);
      },
    });
  });
  const host = redirectUri.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(redirectUri.port || 80), host, () => resolve());
  });
  const bound = new URL(redirectUri);
  bound.port = String((server.address() as AddressInfo).port);
  return {
    redirectUri: bound,
    next,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The first non-empty line on stdin, or never when stdin ends first. */
export function readLine(input: NodeJS.ReadableStream = process.stdin): {
  line: Promise<string>;
  close(): void;
} {
  const reader = createInterface({ input, terminal: false });
  const line = new Promise<string>((resolve) => {
    reader.on('line', (text) => {
      if (text.trim() !== '') {
        resolve(text.trim());
        reader.close();
      }
    });
  });
  return { line, close: () => reader.close() };
}
