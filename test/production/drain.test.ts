// Graceful drain (issue 12), on the real process: the gateway runs as a child (node with tsx's
// loader, PORT=0, TikTok mode against an emulator this test owns, so it can slow the API host
// and see when a call is in flight) and gets real signals. Timings are measured and annotated,
// never asserted (shared machines).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import type { Json } from '../helpers/gateway.js';

const root = resolve(import.meta.dirname, '..', '..');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const API_KEY = 'drain-test-key-0123456789abcdef';
/** One order search: slowed by the emulator's latency on `/order/` paths. */
const SLOW_QUERY = '{ orders(first: 1) { totalCount } }';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface RunningGateway {
  child: ChildProcess;
  port: number;
  /** The pino lines printed so far. */
  logs(): Json[];
  /** Resolves with the first log line whose message matches. */
  logged(message: RegExp): Promise<Json>;
  /** Resolves when the process has exited, with when (performance.now). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
}

async function startEmulator(): Promise<EmulatorHandle> {
  const emulator = await createEmulator({ port: 0, scale: 0.05, rateLimit: false });
  cleanups.push(() => emulator.close());
  return emulator;
}

/** The gateway in TikTok mode on `emulator`, its seller seeded from the environment. */
async function startGateway(
  emulator: EmulatorHandle,
  env: Record<string, string> = {},
): Promise<RunningGateway> {
  const seller = emulator.sellers[0];
  if (!seller) throw new Error('The emulator has no sellers.');
  const issued = emulator.issueTokens({ openId: seller.openId });
  const workDir = mkdtempSync(join(tmpdir(), 'gateway-drain-'));
  cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(root, 'src/server.ts')], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      LOG_LEVEL: 'info',
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_ACCESS_TOKEN: issued.accessToken,
      TIKTOK_SHOP_REFRESH_TOKEN: issued.refreshToken,
      TIKTOK_SHOP_SHOP_ID: seller.shops[0]?.id ?? '',
      TIKTOK_SHOP_MAX_ATTEMPTS: '1',
      TIKTOK_SHOP_HEADERS_TIMEOUT_MS: '60000',
      GATEWAY_API_KEYS: `drain:${API_KEY}:*`,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      TOKEN_STORE_PATH: join(workDir, 'tokens.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  const waiters: Array<() => void> = [];
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>(
    (resolveExit) => {
      child.once('exit', (code, signal) => {
        resolveExit({ code, signal, atMs: performance.now() });
        for (const waiter of waiters.splice(0)) waiter();
      });
    },
  );
  /** Resolves with `find()` once it answers, after each chunk of output; fails on exit. */
  const when = <T>(find: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolveFound, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) return resolveFound(found);
        if (child.exitCode !== null || child.signalCode !== null) {
          return reject(new Error(`gateway exited before ${what}:\n${output}`));
        }
        waiters.push(check);
      };
      check();
    });
  const logs = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Json);
  const port = await when(() => {
    const match = /GraphiQL:\s+http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(output);
    return match?.[1] ? Number(match[1]) : undefined;
  }, 'listening');
  return {
    child,
    port,
    logs,
    logged: (message) =>
      when(() => logs().find((line) => message.test(String(line.msg))), `logging ${message}`),
    exited,
  };
}

interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** POST /graphql on a connection of its own. */
function postGraphQL(port: number, query: string): Promise<HttpReply> {
  return new Promise((resolveReply, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      },
      (incoming) => {
        let body = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          body += chunk;
        });
        incoming.on('end', () =>
          resolveReply({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify({ query }));
  });
}

/** A raw TCP connection: what it received, and when the server closed it. */
async function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((done, reject) => {
    socket.once('connect', () => done());
    socket.once('error', reject);
  });
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  cleanups.push(() => void socket.destroy());
  return { socket, received: () => received, closed };
}

/** The error code of a new TCP connection to `port` (undefined when it was accepted). */
function connectError(port: number): Promise<string | undefined> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code));
  });
}

/** What the test measured and the gateway's `Shut down` line reported, for annotations. */
function figures(gateway: RunningGateway, signalAtMs: number, exitAtMs: number): string {
  const done = gateway.logs().find((line) => line.msg === 'Shut down');
  return (
    `signal → exit ${Math.round(exitAtMs - signalAtMs)} ms; gateway: drain ${done?.drainMs} ms, ` +
    `flush ${done?.flushMs} ms, close ${done?.closeMs} ms`
  );
}

/** Resolves once the emulator holds a request (waiting out its latency). */
async function inFlightUpstream(emulator: EmulatorHandle): Promise<void> {
  while (emulator.pendingRequests() === 0) await new Promise((done) => setTimeout(done, 10));
}

describe('graceful drain', () => {
  it('SIGTERM during a slow request: it gets 200 with data, new connections are refused, exit 0', async ({
    annotate,
  }) => {
    const emulator = await startEmulator();
    const gateway = await startGateway(emulator);
    // A keep-alive connection that served a request and sits idle: closed when the drain begins.
    const idle = await rawConnection(gateway.port);
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // A request still arriving when the signal comes (headers not finished): it is answered.
    const arriving = await rawConnection(gateway.port);
    arriving.socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    emulator.setFaults({ latencyMs: 1_500, pathPrefixes: ['/order/'] });
    const slow = postGraphQL(gateway.port, SLOW_QUERY);
    // Awaited below; a failure before that must not surface as an unhandled rejection.
    slow.catch(() => undefined);
    await inFlightUpstream(emulator);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200/);
    const signalAtMs = performance.now();
    gateway.child.kill('SIGTERM');
    await gateway.logged(/^Shutting down/);

    expect(await connectError(gateway.port)).toBe('ECONNREFUSED');
    await idle.closed;
    arriving.socket.write('\r\n');
    await arriving.closed;
    expect(arriving.received()).toMatch(/^HTTP\/1\.1 503/);
    expect(arriving.received()).toMatch(/\r\nconnection: close\r\n/i);
    expect(arriving.received()).toContain('"draining":{"ok":false}');

    const reply = await slow;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    const body = JSON.parse(reply.body) as Json;
    expect(body.errors).toBeUndefined();
    expect(body.data.orders.totalCount).toBeGreaterThan(0);

    const exit = await gateway.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    const done = gateway.logs().find((line) => line.msg === 'Shut down');
    expect(done).toMatchObject({ signal: 'SIGTERM', inFlightAtSignal: 1, cutOff: 0 });
    // pino's error level is 50: nothing failed on the way out.
    expect(gateway.logs().filter((line) => line.level >= 50)).toEqual([]);
    await annotate(
      `SIGTERM, one request in flight (1500 ms upstream): ${figures(gateway, signalAtMs, exit.atMs)}`,
    );
  }, 60_000);

  it('SIGINT with nothing in flight: exits 0 at once', async ({ annotate }) => {
    const emulator = await startEmulator();
    const gateway = await startGateway(emulator);
    expect((await postGraphQL(gateway.port, SLOW_QUERY)).status).toBe(200);
    const signalAtMs = performance.now();
    gateway.child.kill('SIGINT');
    const exit = await gateway.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    const done = gateway.logs().find((line) => line.msg === 'Shut down');
    expect(done).toMatchObject({ signal: 'SIGINT', inFlightAtSignal: 0, cutOff: 0 });
    await annotate(`SIGINT, nothing in flight: ${figures(gateway, signalAtMs, exit.atMs)}`);
  }, 60_000);

  it('when SHUTDOWN_GRACE_MS runs out, closes what is still in flight and exits 0', async ({
    annotate,
  }) => {
    const emulator = await startEmulator();
    const gateway = await startGateway(emulator, { SHUTDOWN_GRACE_MS: '1000' });
    emulator.setFaults({ latencyMs: 20_000, pathPrefixes: ['/order/'] });
    const slow = postGraphQL(gateway.port, SLOW_QUERY).then(
      (reply) => ({ reply, error: undefined }),
      (error: NodeJS.ErrnoException) => ({ reply: undefined, error }),
    );
    await inFlightUpstream(emulator);
    const signalAtMs = performance.now();
    gateway.child.kill('SIGTERM');

    const outcome = await slow;
    expect(outcome.reply).toBeUndefined();
    expect(outcome.error?.code).toBe('ECONNRESET');
    const exit = await gateway.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(gateway.logs().find((line) => /grace ran out/.test(String(line.msg)))).toMatchObject({
      graceMs: 1000,
      cutOff: 1,
    });
    const done = gateway.logs().find((line) => line.msg === 'Shut down');
    expect(done).toMatchObject({ inFlightAtSignal: 1, cutOff: 1 });
    await annotate(
      `grace 1000 ms run out (request needing 20 s): ${figures(gateway, signalAtMs, exit.atMs)}`,
    );
  }, 60_000);

  it('a second signal exits at once, with 128 + its number', async ({ annotate }) => {
    const emulator = await startEmulator();
    const gateway = await startGateway(emulator);
    emulator.setFaults({ latencyMs: 20_000, pathPrefixes: ['/order/'] });
    const slow = postGraphQL(gateway.port, SLOW_QUERY).catch((error: Error) => error);
    await inFlightUpstream(emulator);
    gateway.child.kill('SIGTERM');
    await gateway.logged(/^Shutting down/);
    const secondAtMs = performance.now();
    gateway.child.kill('SIGTERM');
    const exit = await gateway.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 143, signal: null });
    expect(gateway.logs().some((line) => /^Second signal/.test(String(line.msg)))).toBe(true);
    expect(gateway.logs().some((line) => line.msg === 'Shut down')).toBe(false);
    expect(await slow).toBeInstanceOf(Error);
    await annotate(
      `second SIGTERM during the drain: → exit ${Math.round(exit.atMs - secondAtMs)} ms (code 143)`,
    );
  }, 60_000);
});
