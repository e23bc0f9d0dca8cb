// `npm run bench`: starts the emulator and the servers under test as separate processes, drives
// load from this one (autocannon), prints a table and writes bench/results/latest.json.
//
//   --smoke             a few seconds per scenario (CI): exercises the harness, numbers mean little
//   --duration <s>      measurement window of scenarios 1–3 (default 10)
//   --soak <s>          length of the RSS soak (default 120; 0 skips it)
//   --scenario <name>   run only this scenario (repeatable): hot-read, orders-page, dashboard,
//                       upstream-limit, bulk-write, memory
//   --out <path>        results file (default bench/results/latest.json)
//   --markdown          print the tables as Markdown (for docs/performance.md)
//   --from <path>       print the tables of an earlier results file and exit (runs nothing)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, type as osType, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  detectPinning,
  installCleanup,
  REPO_ROOT,
  readMachineBusySeconds,
  readTreeCpuSeconds,
} from './processes.js';
import {
  type BenchResults,
  buildGoals,
  type Outcome,
  type ReportFormat,
  renderReport,
} from './report.js';
import { runBulkWrite } from './scenarios/bulk-write.js';
import type { BenchSettings, ScenarioContext } from './scenarios/common.js';
import { round } from './scenarios/common.js';
import { runDashboard } from './scenarios/dashboard.js';
import { runHotRead } from './scenarios/hot-read.js';
import { type RssPoint, runSoak } from './scenarios/memory.js';
import { runOrdersPage } from './scenarios/orders-page.js';
import { runUpstreamLimit } from './scenarios/upstream-limit.js';
import {
  BUDGET_REQUESTS_PER_SECOND,
  createStack,
  type Stack,
  UPSTREAM_JITTER_MS,
  UPSTREAM_LATENCY_MS,
} from './stack.js';

const SCENARIOS = [
  'hot-read',
  'orders-page',
  'dashboard',
  'upstream-limit',
  'bulk-write',
  'memory',
] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const USAGE = `Usage: npm run bench -- [--smoke] [--duration <s>] [--soak <s>] [--scenario <name>]…
                       [--out <path>] [--markdown] [--from <results.json>]
Scenarios: ${SCENARIOS.join(', ')}`;

function positiveSeconds(name: string, text: string | undefined, fallback: number, min = 1) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} takes a whole number of seconds ≥ ${min}\n${USAGE}`);
  }
  return value;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      duration: { type: 'string' },
      soak: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      out: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      from: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const isSmoke = values.smoke ?? false;
  const chosen = values.scenario ?? [...SCENARIOS];
  const unknown = chosen.filter((name) => !SCENARIOS.includes(name as ScenarioName));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  const settings: BenchSettings = isSmoke
    ? {
        isSmoke,
        warmupSeconds: 0,
        // Long enough for the slowest operation (the naive orders page, ~1 s on a loaded CI
        // machine) to complete at least once: a window with no response has no p50.
        measureSeconds: positiveSeconds('duration', values.duration, 3),
        // Low enough that the naive gateway's queue drains in a few seconds.
        budgetSeconds: 1,
        budgetRatePerSecond: 50,
        hotReadConnections: 16,
        ordersConnections: 4,
        dashboardConnections: 2,
        latencySamples: 2,
        hotReadProducts: 5,
        browseProducts: 10,
        bulkProducts: 10,
        soakSeconds: positiveSeconds('soak', values.soak, 3, 0),
        soakRatePerSecond: 50,
      }
    : {
        isSmoke,
        warmupSeconds: 5,
        measureSeconds: positiveSeconds('duration', values.duration, 10),
        budgetSeconds: 30,
        budgetRatePerSecond: 200,
        hotReadConnections: 16,
        ordersConnections: 4,
        dashboardConnections: 2,
        latencySamples: 21,
        hotReadProducts: 20,
        browseProducts: 50,
        bulkProducts: 100,
        soakSeconds: positiveSeconds('soak', values.soak, 120, 0),
        soakRatePerSecond: 100,
      };
  const out = resolve(values.out ?? join(REPO_ROOT, 'bench', 'results', 'latest.json'));
  const format: ReportFormat = values.markdown ? 'markdown' : 'text';
  if (values.from) {
    const earlier = JSON.parse(readFileSync(resolve(values.from), 'utf8')) as BenchResults;
    process.stdout.write(`${renderReport(earlier, format)}\n`);
    process.exit(0);
  }
  return { settings, scenarios: new Set(chosen as ScenarioName[]), out, format };
}

/** Starts, in parallel, every process the chosen scenarios use. */
async function startNeeded(stack: Stack, scenarios: Set<ScenarioName>): Promise<void> {
  const starts: Array<Promise<unknown>> = [];
  const latency = ['hot-read', 'orders-page', 'dashboard', 'memory'] as const;
  if (latency.some((name) => scenarios.has(name))) starts.push(stack.gateway('gateway', 'latency'));
  if (['hot-read', 'orders-page', 'dashboard'].some((name) => scenarios.has(name as ScenarioName)))
    starts.push(stack.gateway('naive', 'latency'));
  if (scenarios.has('hot-read')) starts.push(stack.bareYoga());
  if (scenarios.has('hot-read') || scenarios.has('orders-page')) starts.push(stack.apolloPeer());
  if (scenarios.has('upstream-limit') || scenarios.has('bulk-write'))
    starts.push(stack.gateway('gateway', 'budget'));
  if (scenarios.has('upstream-limit')) starts.push(stack.gateway('naive', 'budget'));
  await Promise.all(starts);
}

async function attempt<T>(
  name: string,
  log: (line: string) => void,
  run: () => Promise<T>,
): Promise<Outcome<T>> {
  log(`${name}…`);
  try {
    return { status: 'ok', ...(await run()) } as Outcome<T>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${name} FAILED: ${message}`);
    return { status: 'failed', error: message.split('\n')[0] ?? message };
  }
}

async function main(): Promise<number> {
  const { settings, scenarios, out, format } = readOptions();
  installCleanup();
  const startedMs = Date.now();
  const log = (line: string) => {
    const elapsed = ((Date.now() - startedMs) / 1000).toFixed(0).padStart(4);
    process.stderr.write(`${elapsed}s ${line}\n`);
  };
  const loadAtStart = loadavg().map((value) => round(value, 2));
  if ((loadAtStart[0] ?? 0) > 0.5) {
    log(
      `bench: warning: load average ${loadAtStart.join(' ')}: other work will disturb the figures`,
    );
  }
  const pinning = detectPinning();
  const workDir = mkdtempSync(join(tmpdir(), 'tiktok-shop-bench-'));
  const stack = createStack({ pinning, workDir, budgetScale: settings.isSmoke ? 1 : 3 });
  const rssAfterScenario: RssPoint[] = [];
  const context: ScenarioContext = {
    stack,
    settings,
    log,
    recordRss(scenario, target) {
      const rss = target.service.rssBytes();
      if (rss === null) return;
      const upstream = target.upstream?.kind === 'budget' ? '10 req/s upstream' : 'unthrottled';
      rssAfterScenario.push({
        scenario,
        process: `${target.name}, ${upstream}`,
        rssMiB: round(rss / 1024 / 1024, 1),
      });
    },
  };
  log(`bench: ${settings.isSmoke ? 'smoke' : 'full'} run; pinning: ${pinning.description}`);
  log(`bench: logs of the child processes under ${workDir}`);

  const results: BenchResults['scenarios'] = { memory: { rssAfterScenario, soak: null } };
  let hasFailed = false;
  const busyAtStart = readMachineBusySeconds();
  const oursAtStart = readTreeCpuSeconds(process.pid);
  let otherCpuSeconds: number | null = null;
  try {
    log('starting the emulators and the servers under test…');
    await startNeeded(stack, scenarios);
    if (scenarios.has('hot-read'))
      results.hotRead = await attempt('1 hot read', log, () => runHotRead(context));
    if (scenarios.has('orders-page'))
      results.ordersPage = await attempt('2 orders page', log, () => runOrdersPage(context));
    if (scenarios.has('dashboard'))
      results.dashboard = await attempt('3 dashboard', log, () => runDashboard(context));
    if (scenarios.has('upstream-limit'))
      results.upstreamLimit = await attempt('4 under the upstream limit', log, () =>
        runUpstreamLimit(context),
      );
    if (scenarios.has('bulk-write')) {
      const bulk = await attempt('5 bulk write', log, () => runBulkWrite(context));
      // A skip is not a failure: keep its own status and reason.
      results.bulkWrite =
        bulk.status === 'ok' ? (bulk as unknown as typeof results.bulkWrite) : bulk;
    }
    if (scenarios.has('memory') && settings.soakSeconds > 0) {
      const soak = await attempt('6 memory soak', log, () => runSoak(context));
      if (soak.status === 'ok') results.memory.soak = soak;
      else hasFailed = true;
    }
    // Everything the machine did that was not this run: other work disturbs the figures.
    const busyAtEnd = readMachineBusySeconds();
    const ours = readTreeCpuSeconds(process.pid);
    if (busyAtStart !== null && busyAtEnd !== null && ours !== null && oursAtStart !== null) {
      otherCpuSeconds = round(Math.max(0, busyAtEnd - busyAtStart - (ours - oursAtStart)), 1);
    }
  } finally {
    await stack.close();
  }
  hasFailed ||= [results.hotRead, results.ordersPage, results.dashboard, results.upstreamLimit]
    .concat(results.bulkWrite?.status === 'failed' ? [results.bulkWrite] : [])
    .some((outcome) => outcome?.status === 'failed');

  const cpuList = cpus();
  const report: BenchResults = {
    schemaVersion: 1,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: settings.isSmoke ? 'smoke' : 'full',
    startedAt: new Date(startedMs).toISOString(),
    durationSeconds: round((Date.now() - startedMs) / 1000, 1),
    machine: {
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      cpuCount: cpuList.length,
      memoryGiB: round(totalmem() / 1024 ** 3, 1),
      node: process.version,
      platform: `${osType()} ${release()} ${process.arch}`,
      pinning: pinning.description,
      loadAverageAtStart: loadAtStart,
      otherCpuSeconds,
    },
    settings: {
      ...settings,
      upstreamLatencyMs: UPSTREAM_LATENCY_MS,
      upstreamJitterMs: UPSTREAM_JITTER_MS,
      budgetPerSecond: BUDGET_REQUESTS_PER_SECOND,
      upstreamPolicy:
        `emulator latency ${UPSTREAM_LATENCY_MS} ± ${UPSTREAM_JITTER_MS} ms on every call; ` +
        'scenarios 1–3 unthrottled (emulator limit off, gateway limiter 100 000/s) so they ' +
        `measure latency and batching; 4–5 at ${BUDGET_REQUESTS_PER_SECOND} req/s per shop in ` +
        'the emulator (burst 10) and the gateway (burst 5)',
    },
    scenarios: results,
    goals: buildGoals(results),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${renderReport(report, format)}\n\nResults: ${out}\n`);
  if (!hasFailed) rmSync(workDir, { recursive: true, force: true });
  else log(`bench: kept the child processes' logs in ${workDir}`);
  return hasFailed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
