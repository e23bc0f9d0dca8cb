// CI smoke of the bench harness: runs `bench/run.ts --smoke` for real (emulators, gateways, peers
// as separate processes) and checks that the results file has every scenario and every figure as
// a number. No thresholds: numbers from a few seconds on a shared CI machine mean little.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

let child: ChildProcess | undefined;
let workDir: string | undefined;

/** Is any process of this group still running? */
function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGoneWithin(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return true;
}

afterEach(() => {
  // The harness leads its own process group (detached), so a failed or timed-out run takes the
  // emulators and servers it started with it.
  const pgid = child?.pid;
  if (pgid !== undefined && isGroupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  child = undefined;
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
});

function valueAt(root: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined,
      root,
    );
}

/** Paths that must hold finite numbers; the message names every one that does not. */
function expectNumbers(root: unknown, paths: string[]): void {
  const missing = paths.filter((path) => {
    const value = valueAt(root, path);
    return typeof value !== 'number' || !Number.isFinite(value);
  });
  expect(missing).toEqual([]);
}

const load = (prefix: string) =>
  ['requestsPerSecond', 'p50Ms', 'p99Ms', 'operations', 'failed', 'upstreamCallsPerOperation'].map(
    (figure) => `${prefix}.${figure}`,
  );

describe('bench harness, smoke mode', () => {
  it('runs every scenario end to end and reports every figure as a number', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'bench-smoke-test-'));
    const out = join(workDir, 'results.json');
    const output: string[] = [];
    child = spawn('npx', ['tsx', 'bench/run.ts', '--smoke', '--out', out], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exitCode = await new Promise<number | null>((resolveExit) =>
      child?.once('exit', (code) => resolveExit(code)),
    );
    expect(exitCode, output.join('')).toBe(0);
    // Every emulator, gateway and peer the harness started is gone with it (allowing a moment
    // for tsx's esbuild helpers, which exit once their parent's pipe closes, to be reaped).
    expect(await groupGoneWithin(child.pid as number, 5_000)).toBe(true);

    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(results.mode).toBe('smoke');
    expect(valueAt(results, 'machine.cpuModel')).toEqual(expect.any(String));
    expect(valueAt(results, 'machine.pinning')).toEqual(expect.any(String));
    expectNumbers(results, ['machine.cpuCount', 'machine.memoryGiB', 'settings.upstreamLatencyMs']);

    const scenarios = results.scenarios as Record<string, { status?: string }>;
    for (const name of ['hotRead', 'ordersPage', 'dashboard', 'upstreamLimit']) {
      expect(scenarios[name]?.status, name).toBe('ok');
    }
    expectNumbers(scenarios, [
      ...['gateway', 'naive', 'bareYoga', 'apolloPeer'].flatMap((t) => load(`hotRead.${t}`)),
      'hotRead.ratios.gatewayToBareYoga',
      'hotRead.ratios.gatewayToApolloPeer',
      'hotRead.ratios.gatewayToNaive',
      ...['gateway', 'naive', 'apolloPeer'].flatMap((t) => [
        ...load(`ordersPage.${t}`),
        `ordersPage.cold.${t}.upstreamCalls`,
      ]),
      'ordersPage.distinctProducts',
      'ordersPage.theoreticalMinimum.total',
      'ordersPage.ratios.gatewayColdCallsToMinimum',
      ...['cold', 'warm'].flatMap((t) => [
        `ordersPage.latency.${t}.p50Ms`,
        `ordersPage.latency.${t}.roundTrips`,
        `ordersPage.latency.${t}.upstreamCalls`,
      ]),
      'ordersPage.latency.coldToPath',
      'ordersPage.latency.warmToPath',
      ...['gateway', 'naive'].flatMap((t) => [
        ...load(`dashboard.${t}.figures`),
        `dashboard.${t}.criticalPathMs`,
        `dashboard.${t}.p50ToCriticalPath`,
        `dashboard.${t}.warm.roundTrips`,
        `dashboard.${t}.cold.roundTrips`,
      ]),
      'dashboard.gateway.directUpstreamP50Ms',
      ...['gateway', 'naive'].flatMap((t) => [
        ...load(`upstreamLimit.${t}`),
        `upstreamLimit.${t}.upstreamThrottled`,
        `upstreamLimit.${t}.upstreamCallsPerSecond`,
        `upstreamLimit.${t}.cacheHitRate`,
      ]),
    ]);

    // Scenario 5 must run once the mutation exists, and say why when it does not.
    const hasBulkMutation = Boolean(schema.getMutationType()?.getFields().bulkUpdateInventory);
    if (hasBulkMutation) {
      expect(scenarios.bulkWrite?.status).toBe('ok');
      expectNumbers(scenarios, [
        'bulkWrite.seconds',
        'bulkWrite.floorSeconds',
        'bulkWrite.ratioToFloor',
        'bulkWrite.upstreamCalls',
        'bulkWrite.upstreamThrottled',
        'bulkWrite.updatedCount',
      ]);
    } else {
      expect(scenarios.bulkWrite).toEqual({
        status: 'skipped',
        reason: 'bulkUpdateInventory not in schema',
      });
    }

    const rss = valueAt(scenarios, 'memory.rssAfterScenario') as Array<{ rssMiB: unknown }>;
    expect(rss.length).toBe(hasBulkMutation ? 5 : 4);
    expectNumbers(
      rss,
      rss.map((_, index) => `${index}.rssMiB`),
    );
    expectNumbers(scenarios, ['memory.soak.slopeMiBPerMinute', 'memory.soak.startMiB']);

    const goals = results.goals as Array<{ goal: string; isMet: boolean | null }>;
    expect(goals).toHaveLength(11);
    for (const goal of goals) {
      const mayBeOpen = !hasBulkMutation && /bulk/i.test(goal.goal);
      expect(goal.isMet === null ? mayBeOpen : typeof goal.isMet === 'boolean', goal.goal).toBe(
        true,
      );
    }
  }, 300_000);
});
