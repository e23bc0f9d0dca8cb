// `npm start` on a fresh checkout (issue 12, item 1): builds dist/ when there is none, runs the
// compiled gateway as npm's own child, and a SIGTERM or SIGINT sent to the npm process reaches
// it: the whole tree exits 0 and the port is free. A second start reuses the build, and its
// sandbox streams live order events the way its banner tells a user to watch them (issue 13).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from '../helpers/sse.js';
import {
  type Checkout,
  createCheckout,
  isListening,
  isRunning,
  killGroup,
  ROOT,
  type Started,
  start,
  userEnvironment,
} from './checkout.js';

/** The processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): Array<{ pid: number; args: string }> {
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), args: match[2] ?? '' }));
}

async function healthStatus(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
}

describe('npm start', () => {
  let checkout: Checkout;
  const running: Started[] = [];

  beforeAll(() => {
    checkout = createCheckout('npm-start');
  }, 60_000);
  afterAll(() => {
    // Its own process group: a gateway orphaned by a failed run goes too.
    for (const started of running) killGroup(started, 'SIGKILL');
    checkout?.remove();
  }, 60_000);

  async function startGateway() {
    const npm = start('npm', ['start'], {
      cwd: checkout.dir,
      env: userEnvironment({ PORT: '0' }),
      detached: true,
    });
    running.push(npm);
    const [, port] = await npm.waitFor(/Health: +http:\/\/127\.0\.0\.1:(\d+)\/healthz/);
    return { npm, port: Number(port) };
  }

  it('builds dist/ when missing, runs it compiled, and exits 0 on SIGTERM to npm', async () => {
    const startedAt = Date.now();
    const { npm, port } = await startGateway();
    console.log(`npm start with no dist/: first banner after ${Date.now() - startedAt} ms`);
    expect(npm.output()).toContain('Building dist/ (dist/ has not been built yet)');
    expect(npm.output()).toContain('SANDBOX mode');
    expect(await healthStatus(port)).toBe(200);

    // No shell or wrapper between npm and the gateway: the signal npm forwards lands on it.
    const children = childrenOf(npm.child.pid!);
    expect(children.map((child) => child.args)).toEqual([
      'node --enable-source-maps scripts/run-compiled.js server.js',
    ]);
    const gatewayPid = children[0]!.pid;

    npm.child.kill('SIGTERM');
    expect(await npm.exited).toEqual({ code: 0, signal: null });
    expect(isRunning(gatewayPid)).toBe(false);
    expect(await isListening(port)).toBe(false);
  }, 240_000);

  it('reuses a current build, streams live order events as its banner says, and exits 0 on SIGINT to npm', async () => {
    const { npm, port } = await startGateway();
    expect(npm.output()).not.toContain('Building dist/');
    expect(await healthStatus(port)).toBe(200);

    // Issue 13: the OrderStatusChanged tab's operation, then the banner's clock `curl`.
    const [, apiKey] = npm.output().match(/API key: +(gwdev_\S+)/) ?? [];
    const [, advanceUrl] =
      npm.output().match(/curl -s -X POST (\S+\/__emulator\/clock\/advance)/) ?? [];
    expect(apiKey && advanceUrl).toBeTruthy();
    const stream = await subscribe({
      url: `http://127.0.0.1:${port}`,
      query: readFileSync(join(ROOT, 'operations/19-order-status-changed.graphql'), 'utf8'),
      apiKey: apiKey ?? null,
    });
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    const event = stream.nextPayload();
    // The stream may not listen yet when its headers arrive: move the clock until an event comes.
    let received = false;
    const settled = () => {
      received = true;
    };
    void event.then(settled, settled);
    for (let advances = 0; advances < 20 && !received; advances += 1) {
      await fetch(advanceUrl ?? '', { method: 'POST', body: JSON.stringify({ ms: 3_600_000 }) });
      await Promise.race([event, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    const payload = await event;
    expect(payload.errors).toBeUndefined();
    expect(payload.data.orderStatusChanged).toMatchObject({
      orderId: expect.any(String),
      status: expect.any(String),
      order: { id: payload.data.orderStatusChanged.orderId },
    });
    stream.close();
    const [gateway] = childrenOf(npm.child.pid!);

    npm.child.kill('SIGINT');
    expect(await npm.exited).toEqual({ code: 0, signal: null });
    expect(isRunning(gateway!.pid)).toBe(false);
    expect(await isListening(port)).toBe(false);
  }, 120_000);
});
