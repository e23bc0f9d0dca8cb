// The drain's last step before exit (issue 12): seller tokens whose save failed are written back,
// retried until the grace's end. In process, so the test can hold the token file's lock: the
// gateway serves over real HTTP and src/shutdown.ts runs with the exit captured.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import type { Logger } from '../../src/logger.js';
import { createShutdown } from '../../src/shutdown.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface LogLine {
  level: keyof Logger;
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger() {
  const lines: LogLine[] = [];
  const waiters: Array<() => void> = [];
  const record = (level: keyof Logger) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
    for (const waiter of waiters.splice(0)) waiter();
  };
  const logger: Logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  /** Resolves once a line whose message matches has been logged. */
  const logged = (pattern: RegExp) =>
    new Promise<void>((done) => {
      const check = () =>
        lines.some((line) => pattern.test(line.message)) ? done() : waiters.push(check);
      check();
    });
  return { logger, lines, logged };
}

/**
 * A gateway on a token file, listening on a port, whose seller's tokens were just renewed while
 * the file's lock path was taken by a directory: the save failed and is kept in memory.
 */
async function gatewayWithUnsavedTokens() {
  const directory = await mkdtemp(join(tmpdir(), 'drain-flush-'));
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  const path = join(directory, 'tokens.json');
  // Every save waits out the 100 ms lock timeout and fails while the lock path is a directory.
  const store = createFileTokenStore({
    path,
    encryptionKey: randomBytes(32),
    staleLockMs: 50,
    lockTimeoutMs: 100,
  });
  const log = recordingLogger();
  const t: TestGateway = await startTestGateway({ store, logger: log.logger });
  cleanups.push(() => t.close());
  const server = createServer(t.gateway);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const before = (await store.getSeller(t.seller.openId))?.tokens.accessToken;
  await mkdir(`${path}.lock`);
  const unblock = () => rmdir(`${path}.lock`);
  cleanups.push(() => unblock().catch(() => undefined));

  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` },
    body: JSON.stringify({ query: 'mutation { refreshAccessToken { openId } }' }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  expect(t.tokens.saves.pending).toEqual([`refresh:${t.seller.openId}`]);
  expect((await store.getSeller(t.seller.openId))?.tokens.accessToken).toBe(before);
  return { t, server, store, log, before, unblock };
}

/** The drain with the process exit replaced by a promise of its code. */
function drainOf(
  server: ReturnType<typeof createServer>,
  t: TestGateway,
  graceMs: number,
  logger: Logger,
) {
  let exited: (code: number) => void = () => undefined;
  const exitCode = new Promise<number>((done) => {
    exited = done;
  });
  const shutdown = createShutdown({ server, app: t.app, graceMs, logger, exit: exited });
  return { shutdown, exitCode };
}

describe('the drain flushes token writes', () => {
  it('retries a failed save until the store takes it, then exits 0', async ({ annotate }) => {
    const { t, server, store, log, before, unblock } = await gatewayWithUnsavedTokens();
    const { shutdown, exitCode } = drainOf(server, t, 10_000, log.logger);
    const startMs = performance.now();
    void shutdown.begin('SIGTERM');
    // The first round fails (the lock is still held); then the lock goes away.
    await log.logged(/failed again/);
    await unblock();
    expect(await exitCode).toBe(0);

    const stored = (await store.getSeller(t.seller.openId))?.tokens.accessToken;
    expect(stored).not.toBe(before);
    expect(stored).toBe(await t.tokens.getAccessToken(t.seller.shops[0]?.id));
    expect(t.tokens.saves.pending).toEqual([]);
    expect(log.lines.filter((line) => line.level === 'error')).toEqual([]);
    const done = log.lines.find((line) => line.message === 'Shut down');
    await annotate(
      `token save blocked, then unblocked: flush ${done?.fields.flushMs} ms, signal → exit ` +
        `${Math.round(performance.now() - startMs)} ms`,
    );
  });

  it('gives up at the end of the grace, says which sellers lost their tokens, exits 0', async () => {
    const { t, server, store, log, before } = await gatewayWithUnsavedTokens();
    const { shutdown, exitCode } = drainOf(server, t, 500, log.logger);
    void shutdown.begin('SIGTERM');
    expect(await exitCode).toBe(0);
    expect((await store.getSeller(t.seller.openId))?.tokens.accessToken).toBe(before);
    const lost = log.lines.find((line) => /never took/.test(line.message));
    expect(lost).toMatchObject({
      level: 'error',
      fields: { unsaved: [`refresh:${t.seller.openId}`], heldWrites: 0 },
    });
    expect((lost?.fields.rounds as number) > 1).toBe(true);
    expect(JSON.stringify(log.lines)).not.toContain(t.accessToken);
  });
});
