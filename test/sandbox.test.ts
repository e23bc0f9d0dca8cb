// Sandbox mode shows live events (issue 13, item 6), on the real process: the gateway runs as a
// child (server.ts through tsx's loader, PORT=0, no credentials), its banner says to open the
// OrderStatusChanged tab and prints the curl that advances the emulator's clock; the test
// subscribes over SSE with the banner's development key, runs that curl as printed, and receives
// the orders it moved. SIGTERM then ends the stream with `complete` and the process with 0.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { subscribe } from './helpers/sse.js';
import { ROOT, removeTree, type Started, start, userEnvironment } from './production/checkout.js';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('npm start in sandbox mode', () => {
  it('streams the orders the banner’s curl moves to an OrderStatusChanged subscriber', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-sandbox-live-'));
    cleanups.push(() => removeTree(dir));
    const gateway: Started = start(
      process.execPath,
      ['--import', TSX_LOADER, join(ROOT, 'src/server.ts')],
      {
        cwd: ROOT,
        env: userEnvironment({
          PORT: '0',
          LOG_LEVEL: 'warn',
          TOKEN_STORE_PATH: join(dir, 'tokens.json'),
        }),
      },
    );
    cleanups.push(() => {
      gateway.child.kill('SIGKILL');
    });
    await gateway.waitFor(/Stop with Ctrl\+C/);
    const banner = gateway.output();
    const url = /GraphiQL: +(http:\/\/\S+)\/graphql/.exec(banner)?.[1];
    const apiKey = /API key: +(\S+)/.exec(banner)?.[1];
    const curl = /^ +(curl -s -X POST \S+\/__emulator\/clock\/advance .+)$/m.exec(banner)?.[1];
    expect(banner).toContain('open the');
    expect(banner).toContain('OrderStatusChanged tab');
    if (!url || !apiKey || !curl) throw new Error(`Unexpected banner:\n${banner}`);
    expect(banner).toContain(`${url}/webhooks/tiktok`);

    const stream = await subscribe({
      url,
      apiKey,
      query: 'subscription { orderStatusChanged { shopId orderId status order { status } } }',
    });
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.opened();
    const advanced = JSON.parse(execFileSync('sh', ['-c', curl], { encoding: 'utf8' })) as {
      transitions: Array<{ shopId: string; orderId: string; to: string }>;
    };
    const payload = await stream.nextPayload();
    const change = payload.data.orderStatusChanged;
    const moved = advanced.transitions.find((transition) => transition.orderId === change.orderId);
    expect(moved).toBeDefined();
    expect(change).toEqual({
      shopId: moved?.shopId,
      orderId: moved?.orderId,
      status: moved?.to,
      order: { status: expect.any(String) },
    });

    gateway.child.kill('SIGTERM');
    const rest = await stream.rest();
    expect(rest.at(-1)?.event).toBe('complete');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });
});
