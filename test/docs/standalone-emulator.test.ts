// The README's recipe for pointing a gateway at a standalone emulator, run as written (issue 12,
// item 8): the three bash blocks after the marker comment, in a fresh checkout, each in bash.
// Only the ports change: the emulator's 8787 and the gateway's 4000 become free ports (in the
// URLs of the blocks, and as EMULATOR_PORT / PORT), so the test runs beside anything listening.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Checkout,
  createCheckout,
  freePort,
  killGroup,
  ROOT,
  removeTree,
  type Started,
  start,
  userEnvironment,
} from '../production/checkout.js';

const MARKER = '<!-- test/docs/standalone-emulator.test.ts runs the next three blocks';

/** The first `count` ```bash blocks after the marker. */
function blocksAfterMarker(markdown: string, count: number): string[] {
  const after = markdown.slice(markdown.indexOf(MARKER));
  const blocks = [...after.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.slice(0, count);
}

describe('README: pointing a gateway at a standalone emulator', () => {
  let checkout: Checkout;
  let scratch: string;
  const running: Started[] = [];

  beforeAll(() => {
    checkout = createCheckout('emulator-recipe');
    scratch = mkdtempSync(join(tmpdir(), 'emulator-recipe-tmp-'));
  }, 60_000);
  afterAll(async () => {
    for (const started of running) {
      killGroup(started, 'SIGKILL');
      await started.exited;
    }
    checkout?.remove();
    if (scratch) removeTree(scratch);
  }, 60_000);

  it('serves the emulator’s shops through the gateway', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(MARKER);
    const [emulatorPort, gatewayPort] = [await freePort(), await freePort()];
    const onFreePorts = (block: string) =>
      block
        .replaceAll('127.0.0.1:8787', `127.0.0.1:${emulatorPort}`)
        .replaceAll('127.0.0.1:4000', `127.0.0.1:${gatewayPort}`);
    const [emulatorBlock, gatewayBlock, queryBlock] = blocksAfterMarker(readme, 3).map(onFreePorts);
    expect(emulatorBlock).toMatch(/^npm run emulator/);
    expect(gatewayBlock).toMatch(/npm start\n$/);
    expect(queryBlock).toMatch(/^curl /);

    // `mktemp -d` in the recipe lands in the scratch directory, removed afterwards.
    const env = userEnvironment({
      EMULATOR_PORT: String(emulatorPort),
      PORT: String(gatewayPort),
      TMPDIR: scratch,
    });
    const run = (script: string) => {
      const started = start('bash', ['-c', script], { cwd: checkout.dir, env, detached: true });
      running.push(started);
      return started;
    };

    const emulator = run(emulatorBlock!);
    await emulator.waitFor(/TikTok Shop emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    const gateway = run(gatewayBlock!);
    await gateway.waitFor(/Health: +http:\/\/127\.0\.0\.1:\d+\/healthz/);
    expect(gateway.output()).toContain(`TikTok mode (http://127.0.0.1:${emulatorPort})`);

    const query = run(queryBlock!);
    expect(await query.exited).toEqual({ code: 0, signal: null });
    const answer = JSON.parse(query.output()) as {
      data?: { shops: Array<{ id: string; name: string; region: string }> };
      errors?: unknown;
    };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.shops.length).toBeGreaterThan(0);
    expect(gateway.output()).not.toContain('emulator-demo-key-not-secret');

    // Ctrl+C in each terminal: SIGINT to its whole process group.
    for (const started of [gateway, emulator]) {
      killGroup(started, 'SIGINT');
      await started.exited;
    }
  }, 240_000);
});
