// The documented production path (README "Running in production", issue 12 item 1), in a temporary
// copy: `npm run build`, then a runtime directory made as the Dockerfile's runtime stage makes it
// (its COPY lines, its ENV, its CMD), whose node_modules holds production dependencies only
// (`npm prune --omit=dev` on the lockfile's tree stands in for `npm ci --omit=dev`: the same tree,
// no download). The gateway runs in TikTok mode against an emulator, as it would against TikTok.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import {
  type Checkout,
  createCheckout,
  isListening,
  killGroup,
  ROOT,
  removeTree,
  type Started,
  start,
  userEnvironment,
} from './checkout.js';

const API_KEY = 'production-path-key-0123456789';

/** The runtime stage of the Dockerfile: what it copies, sets and runs. */
interface RuntimeStage {
  copies: Array<{ from: 'context' | 'build'; source: string; target: string }>;
  env: Record<string, string>;
  command: string[];
}

function readRuntimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile.split('\n').map((line) => line.trim());
  const stage = lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));
  const copies = stage
    .filter((line) => line.startsWith('COPY '))
    .flatMap((line) => {
      const words = line.split(/\s+/).slice(1);
      const from = words[0]?.startsWith('--from=') ? 'build' : 'context';
      const paths = words.filter((word) => !word.startsWith('--'));
      const target = paths.pop() ?? '';
      return paths.map((source) => ({
        from,
        // The build stage works in /app, as the checkout is the build directory here.
        source: from === 'build' ? source.replace(/^\/app\//, '') : source,
        target: paths.length > 1 || target.endsWith('/') ? join(target, source) : target,
      }));
    }) as RuntimeStage['copies'];
  const env = Object.fromEntries(
    stage
      .filter((line) => line.startsWith('ENV '))
      .flatMap((line) => line.slice(4).trim().split(/\s+/))
      .map((pair) => pair.split('=') as [string, string]),
  );
  const cmd = stage.find((line) => line.startsWith('CMD '));
  return { copies, env, command: JSON.parse(cmd?.slice(4) ?? '[]') as string[] };
}

describe('the production path: build, production dependencies only, node dist/server.js', () => {
  let checkout: Checkout;
  let runtimeDir: string;
  let stage: RuntimeStage;
  let emulator: EmulatorHandle;
  /** One environment for every run: the token store is encrypted under its key. */
  let env: Record<string, string>;
  const running: Started[] = [];

  beforeAll(async () => {
    checkout = createCheckout('production');
    stage = readRuntimeStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    emulator = await createEmulator({ scale: 0.05 });
    env = productionEnvironment();

    let startedAt = Date.now();
    execFileSync('npm', ['run', 'build'], { cwd: checkout.dir, stdio: 'pipe' });
    console.log(`npm run build (type-checked): ${Date.now() - startedAt} ms`);
    runtimeDir = mkdtempSync(join(tmpdir(), 'gateway-runtime-'));
    for (const copy of stage.copies) {
      mkdirSync(dirname(join(runtimeDir, copy.target)), { recursive: true });
      cpSync(join(checkout.dir, copy.source), join(runtimeDir, copy.target), { recursive: true });
    }
    // The build is done with them: the lockfile's full tree moves over, to be pruned.
    renameSync(join(checkout.dir, 'node_modules'), join(runtimeDir, 'node_modules'));
    startedAt = Date.now();
    execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: runtimeDir,
      env: userEnvironment(),
      stdio: 'pipe',
    });
    console.log(`npm prune --omit=dev: ${Date.now() - startedAt} ms`);
  }, 300_000);
  afterAll(async () => {
    for (const started of running) killGroup(started, 'SIGKILL');
    await emulator?.close();
    checkout?.remove();
    if (runtimeDir) removeTree(runtimeDir);
  }, 60_000);

  /** TikTok mode against the emulator: app credentials, tokens, a caller, an encrypted store. */
  function productionEnvironment(): Record<string, string> {
    const seller = emulator.sellers[0]!;
    const tokens = emulator.issueTokens({ openId: seller.openId });
    return userEnvironment({
      ...stage.env,
      HOST: '127.0.0.1',
      PORT: '0',
      TIKTOK_SHOP_APP_KEY: emulator.appKey,
      TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
      TIKTOK_SHOP_API_BASE: emulator.url,
      TIKTOK_SHOP_AUTH_BASE: emulator.url,
      TIKTOK_SHOP_ACCESS_TOKEN: tokens.accessToken,
      TIKTOK_SHOP_REFRESH_TOKEN: tokens.refreshToken,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      GATEWAY_API_KEYS: `operator:${API_KEY}:*`,
    });
  }

  it('leaves no dev dependency and no source in the runtime directory', () => {
    for (const devOnly of [
      'typescript',
      'tsx',
      'vitest',
      '@biomejs/biome',
      '@graphql-codegen/cli',
    ]) {
      expect(existsSync(join(runtimeDir, 'node_modules', devOnly)), devOnly).toBe(false);
    }
    expect(existsSync(join(runtimeDir, 'src'))).toBe(false);
  });

  it('serves GraphQL from dist/ under NODE_ENV=production and exits 0 on SIGTERM', async () => {
    expect(stage.env.NODE_ENV).toBe('production');
    const [command, ...args] = stage.command;
    expect([command, ...args]).toEqual(['node', '--enable-source-maps', 'dist/server.js']);
    const gateway = start(command!, args, { cwd: runtimeDir, env, detached: true });
    running.push(gateway);
    const [, port] = await gateway.waitFor(/Health: +http:\/\/127\.0\.0\.1:(\d+)\/healthz/);
    expect(gateway.output()).toContain('TikTok mode');

    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: '{ shops { id name } }' }),
    });
    const body = (await response.json()) as { data?: { shops: unknown[] }; errors?: unknown };
    expect(response.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data?.shops.length).toBeGreaterThan(0);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(await isListening(Number(port))).toBe(false);
  }, 120_000);

  it('maps stack traces of the compiled code to the TypeScript sources', () => {
    const stack = execFileSync(
      'node',
      [
        '--enable-source-maps',
        '--input-type=module',
        '-e',
        "const { loadSettings } = await import('./dist/settings.js');" +
          "try { loadSettings({ PORT: 'not-a-port' }); } catch (error) { console.log(error.stack); }",
      ],
      { cwd: runtimeDir, env: userEnvironment(), encoding: 'utf8' },
    );
    expect(stack).toMatch(/src\/settings\.ts:\d+:\d+/);
  });

  it('runs the CLIs compiled: npm run doctor passes against the emulator', async () => {
    // Spawned, not execFileSync: the emulator answers from this process's event loop.
    const doctor = start('npm', ['run', '--silent', 'doctor'], { cwd: runtimeDir, env });
    running.push(doctor);
    expect(await doctor.exited).toEqual({ code: 0, signal: null });
    expect(doctor.output()).toMatch(/^✓ /mu);
    expect(doctor.output()).not.toMatch(/^✗ /mu);
  }, 120_000);

  it('says how to build when sources are newer than dist/ and TypeScript is absent', () => {
    cpSync(join(checkout.dir, 'src'), join(runtimeDir, 'src'), { recursive: true });
    const started = start('npm', ['start'], { cwd: runtimeDir, env });
    return started.exited.then(({ code }) => {
      expect(code).toBe(1);
      expect(started.output()).toContain('TypeScript is not installed');
      rmSync(join(runtimeDir, 'src'), { recursive: true, force: true });
    });
  }, 60_000);
});
