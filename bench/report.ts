// The results file's shape, the goal verdicts (the issue's targets) and the printed table.

import type { BulkWriteResult } from './scenarios/bulk-write.js';
import type { BenchSettings } from './scenarios/common.js';
import type { DashboardResult } from './scenarios/dashboard.js';
import type { HotReadResult } from './scenarios/hot-read.js';
import type { LatencyProbe } from './scenarios/latency-probe.js';
import { FLAT_SLOPE_MIB_PER_MINUTE, type MemoryResult } from './scenarios/memory.js';
import type { OrdersPageResult } from './scenarios/orders-page.js';
import type { UpstreamLimitResult } from './scenarios/upstream-limit.js';

export type Outcome<T> = ({ status: 'ok' } & T) | { status: 'failed'; error: string };

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** What was pinned where, or why nothing was. */
  pinning: string;
  /** 1, 5 and 15 minute load averages when the run started: other work disturbs figures. */
  loadAverageAtStart: number[];
  /**
   * CPU time the machine spent on anything but this run's processes while it ran, s (Linux;
   * null elsewhere). Near 0 on a quiet machine.
   */
  otherCpuSeconds: number | null;
}

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  /** null when the figure is missing (scenario skipped, failed or not run). */
  isMet: boolean | null;
}

export interface BenchResults {
  schemaVersion: 1;
  command: string;
  mode: 'full' | 'smoke';
  startedAt: string;
  durationSeconds: number;
  machine: Machine;
  settings: BenchSettings & {
    upstreamLatencyMs: number;
    upstreamJitterMs: number;
    budgetPerSecond: number;
    upstreamPolicy: string;
  };
  scenarios: {
    hotRead?: Outcome<HotReadResult>;
    ordersPage?: Outcome<OrdersPageResult>;
    dashboard?: Outcome<DashboardResult>;
    upstreamLimit?: Outcome<UpstreamLimitResult>;
    bulkWrite?: Outcome<BulkWriteResult> | BulkWriteResult;
    memory: MemoryResult;
  };
  goals: Goal[];
}

const ok = <T>(outcome: Outcome<T> | undefined): T | undefined =>
  outcome && outcome.status === 'ok' ? (outcome as T) : undefined;

const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);

const thousands = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : Math.round(value).toLocaleString('en-US');

/** Issue 14: the orders page and the dashboard within 10 % of their critical paths. */
const PATH_GOAL = 1.1;

export function buildGoals(scenarios: BenchResults['scenarios']): Goal[] {
  const goals: Goal[] = [];
  const orders = ok(scenarios.ordersPage);
  goals.push({
    goal: 'Upstream calls = minimum (2: orders page, cold)',
    target: orders ? `${orders.theoreticalMinimum.total}` : 'minimum',
    measured: orders ? `${orders.cold.gateway.upstreamCalls}` : '–',
    isMet: orders ? orders.cold.gateway.upstreamCalls <= orders.theoreticalMinimum.total : null,
  });
  const latency = orders?.latency;
  for (const temperature of ['cold', 'warm'] as const) {
    const probe = latency?.[temperature];
    const ratio = latency?.[temperature === 'cold' ? 'coldToPath' : 'warmToPath'];
    goals.push({
      goal: `Orders page p50 ≤ 1.1 × 2 round trips, ${temperature} (2)`,
      target: latency ? `≤ ${fixed(latency.pathMs * PATH_GOAL, 1)} ms` : `≤ ${PATH_GOAL}×`,
      measured:
        probe && ratio !== undefined
          ? `${fixed(probe.p50Ms, 1)} ms (${fixed(ratio, 2)}×; ${probe.roundTrips} round trips)`
          : '–',
      isMet: ratio === undefined ? null : ratio <= PATH_GOAL,
    });
  }
  const dashboard = ok(scenarios.dashboard);
  goals.push({
    goal: `p50 ≤ ${PATH_GOAL} × critical path (3: dashboard)`,
    target: dashboard
      ? `≤ ${fixed(dashboard.gateway.criticalPathMs * PATH_GOAL, 2)} ms`
      : `≤ ${PATH_GOAL}×`,
    measured: dashboard
      ? `${fixed(dashboard.gateway.figures.p50Ms, 2)} ms (${fixed(dashboard.gateway.p50ToCriticalPath, 2)}×)`
      : '–',
    isMet: dashboard ? dashboard.gateway.p50ToCriticalPath <= PATH_GOAL : null,
  });
  const hot = ok(scenarios.hotRead);
  goals.push({
    goal: 'Hot read ≥ 1.0 × bare Yoga req/s (1)',
    target: '≥ 1.00×',
    measured: hot ? `${fixed(hot.ratios.gatewayToBareYoga, 2)}×` : '–',
    isMet: hot ? hot.ratios.gatewayToBareYoga >= 1 : null,
  });
  goals.push({
    goal: 'Hot read ≥ 2 × Apollo peer req/s (1)',
    target: '≥ 2.00×',
    measured: hot ? `${fixed(hot.ratios.gatewayToApolloPeer, 2)}×` : '–',
    isMet: hot ? hot.ratios.gatewayToApolloPeer >= 2 : null,
  });
  const budget = ok(scenarios.upstreamLimit);
  goals.push({
    goal: '0 upstream 429s at 200 req/s over 10 req/s (4)',
    target: '0',
    measured: budget ? `${budget.gateway.upstreamThrottled}` : '–',
    isMet: budget ? budget.gateway.upstreamThrottled === 0 : null,
  });
  goals.push({
    goal: '0 failed operations (4)',
    target: '0',
    measured: budget ? `${budget.gateway.failed} of ${budget.gateway.operations}` : '–',
    isMet: budget ? budget.gateway.failed === 0 : null,
  });
  const bulk = scenarios.bulkWrite;
  const bulkOk = bulk && bulk.status === 'ok' ? bulk : undefined;
  goals.push({
    goal: 'Bulk write ≤ 1.1 × floor (5)',
    target: bulkOk ? `≤ ${fixed(bulkOk.floorSeconds * 1.1, 2)} s` : '≤ 1.1×',
    measured: bulkOk
      ? `${fixed(bulkOk.seconds, 2)} s (${fixed(bulkOk.ratioToFloor, 2)}×)`
      : bulk?.status === 'skipped'
        ? `skipped: ${bulk.reason}`
        : '–',
    isMet: bulkOk ? bulkOk.ratioToFloor <= 1.1 && bulkOk.errors.length === 0 : null,
  });
  goals.push({
    goal: '0 upstream 429s during the bulk write (5)',
    target: '0',
    measured: bulkOk ? `${bulkOk.upstreamThrottled}` : '–',
    isMet: bulkOk ? bulkOk.upstreamThrottled === 0 : null,
  });
  const soak = scenarios.memory.soak;
  goals.push({
    goal: 'Flat RSS (6: soak slope)',
    target: `≤ ${FLAT_SLOPE_MIB_PER_MINUTE} MiB/min`,
    measured: soak ? `${fixed(soak.slopeMiBPerMinute, 2)} MiB/min over ${soak.seconds} s` : '–',
    isMet: soak ? soak.slopeMiBPerMinute <= FLAT_SLOPE_MIB_PER_MINUTE : null,
  });
  return goals;
}

type Row = [string, string, string, string, string, string];

export type ReportFormat = 'text' | 'markdown';

function markdownTable(rows: string[][], header: string[]): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function table(rows: string[][], header: string[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const pair = (a: number | undefined, b: number | undefined, digits = 1) =>
  a === undefined ? '–' : `${fixed(a, digits)} / ${fixed(b, digits)}`;

export function renderReport(results: BenchResults, format: ReportFormat = 'text'): string {
  const { scenarios, machine, settings } = results;
  const rows: Row[] = [];
  const hot = ok(scenarios.hotRead);
  const orders = ok(scenarios.ordersPage);
  const dashboard = ok(scenarios.dashboard);
  const budget = ok(scenarios.upstreamLimit);
  const bulk = scenarios.bulkWrite;
  const failed = (name: string, outcome: { status: string; error?: string } | undefined) => {
    if (outcome?.status === 'failed')
      rows.push([name, `FAILED: ${outcome.error ?? ''}`, '', '', '', '']);
  };

  if (hot) {
    const name = `1 Hot read (${hot.workingSetProducts} ids)`;
    rows.push([
      name,
      'req/s',
      thousands(hot.gateway.requestsPerSecond),
      thousands(hot.naive.requestsPerSecond),
      thousands(hot.bareYoga.requestsPerSecond),
      thousands(hot.apolloPeer.requestsPerSecond),
    ]);
    rows.push([
      '',
      'p50 / p99 ms',
      pair(hot.gateway.p50Ms, hot.gateway.p99Ms, 2),
      pair(hot.naive.p50Ms, hot.naive.p99Ms, 2),
      pair(hot.bareYoga.p50Ms, hot.bareYoga.p99Ms, 2),
      pair(hot.apolloPeer.p50Ms, hot.apolloPeer.p99Ms, 2),
    ]);
    rows.push([
      '',
      'upstream calls / op',
      fixed(hot.gateway.upstreamCallsPerOperation, 2),
      fixed(hot.naive.upstreamCallsPerOperation, 2),
      '–',
      fixed(hot.apolloPeer.upstreamCallsPerOperation, 2),
    ]);
    rows.push([
      '',
      'gateway req/s ÷ this',
      '',
      `${fixed(hot.ratios.gatewayToNaive, 2)}×`,
      `${fixed(hot.ratios.gatewayToBareYoga, 2)}×`,
      `${fixed(hot.ratios.gatewayToApolloPeer, 2)}×`,
    ]);
  } else failed('1 Hot read', scenarios.hotRead);

  if (orders) {
    rows.push([
      `2 Orders page (${orders.orders} orders, ${orders.distinctProducts} products)`,
      `p50 / p99 ms under load (${orders.connections} connections)`,
      pair(orders.gateway.p50Ms, orders.gateway.p99Ms),
      pair(orders.naive.p50Ms, orders.naive.p99Ms),
      '–',
      pair(orders.apolloPeer.p50Ms, orders.apolloPeer.p99Ms),
    ]);
    rows.push([
      '',
      `upstream calls / op, cold (min ${orders.theoreticalMinimum.total})`,
      `${orders.cold.gateway.upstreamCalls}`,
      `${orders.cold.naive.upstreamCalls}`,
      '–',
      `${orders.cold.apolloPeer.upstreamCalls}`,
    ]);
    const { latency } = orders;
    if (latency) {
      const alone = (probe: LatencyProbe) =>
        `${fixed(probe.p50Ms, 1)} (${probe.roundTrips} rt, ${probe.upstreamCalls} calls)`;
      rows.push([
        '',
        'one page alone, p50 ms, cold / warm',
        `${alone(latency.cold)} / ${alone(latency.warm)}`,
        '–',
        '–',
        '–',
      ]);
      rows.push([
        '',
        `one page ÷ ${latency.goalRoundTrips} round trips × ${settings.upstreamLatencyMs} ms, cold / warm`,
        `${fixed(latency.coldToPath, 2)}× / ${fixed(latency.warmToPath, 2)}×`,
        '–',
        '–',
        '–',
      ]);
    }
    rows.push([
      '',
      'upstream calls / op, warm (under load)',
      fixed(orders.gateway.upstreamCallsPerOperation, 2),
      fixed(orders.naive.upstreamCallsPerOperation, 2),
      '–',
      fixed(orders.apolloPeer.upstreamCallsPerOperation, 2),
    ]);
  } else failed('2 Orders page', scenarios.ordersPage);

  if (dashboard) {
    rows.push([
      '3 Dashboard (4 root fields)',
      'p50 / p99 ms',
      pair(dashboard.gateway.figures.p50Ms, dashboard.gateway.figures.p99Ms),
      pair(dashboard.naive.figures.p50Ms, dashboard.naive.figures.p99Ms),
      '–',
      '–',
    ]);
    rows.push([
      '',
      `critical path ms (round trips × ${dashboard.upstreamLatencyMs})`,
      `${dashboard.gateway.criticalPathMs} (${dashboard.gateway.warm.roundTrips}; cold ${dashboard.gateway.cold.roundTrips})`,
      `${dashboard.naive.criticalPathMs} (${dashboard.naive.warm.roundTrips})`,
      '–',
      '–',
    ]);
    rows.push([
      '',
      'same upstream call sent directly, p50 ms',
      fixed(dashboard.gateway.directUpstreamP50Ms ?? undefined, 1),
      '–',
      '–',
      '–',
    ]);
    rows.push([
      '',
      'p50 ÷ critical path (÷ measured path)',
      `${fixed(dashboard.gateway.p50ToCriticalPath, 2)}× (${fixed(dashboard.gateway.p50ToMeasuredPath ?? undefined, 2)}×)`,
      `${fixed(dashboard.naive.p50ToCriticalPath, 2)}×`,
      '–',
      '–',
    ]);
  } else failed('3 Dashboard', scenarios.dashboard);

  if (budget) {
    const name = `4 ${budget.ratePerSecond} req/s for ${budget.seconds} s, budget ${budget.budgetPerSecond}/s`;
    rows.push([
      name,
      'achieved req/s (requests not sent)',
      `${fixed(budget.gateway.requestsPerSecond, 0)} (${budget.gateway.unsent})`,
      `${fixed(budget.naive.requestsPerSecond, 0)} (${budget.naive.unsent})`,
      '–',
      '–',
    ]);
    rows.push([
      '',
      'upstream 429s',
      `${budget.gateway.upstreamThrottled}`,
      `${budget.naive.upstreamThrottled}`,
      '–',
      '–',
    ]);
    rows.push([
      '',
      'failed operations',
      `${budget.gateway.failed} of ${budget.gateway.operations}`,
      `${budget.naive.failed} of ${budget.naive.operations}`,
      '–',
      '–',
    ]);
    rows.push([
      '',
      'p50 / p99 ms',
      pair(budget.gateway.p50Ms, budget.gateway.p99Ms),
      pair(budget.naive.p50Ms, budget.naive.p99Ms),
      '–',
      '–',
    ]);
    rows.push([
      '',
      'cache hit rate / upstream req/s',
      `${fixed(budget.gateway.cacheHitRate * 100)} % / ${fixed(budget.gateway.upstreamCallsPerSecond)}`,
      `${fixed(budget.naive.cacheHitRate * 100)} % / ${fixed(budget.naive.upstreamCallsPerSecond)}`,
      '–',
      '–',
    ]);
  } else failed('4 Under the upstream limit', scenarios.upstreamLimit);

  if (bulk?.status === 'ok') {
    rows.push([
      `5 Bulk write (${bulk.skus} SKUs / ${bulk.products} products)`,
      `time s / floor s (${bulk.minimumCalls} ÷ ${bulk.budgetPerSecond}/s)`,
      `${fixed(bulk.seconds, 2)} / ${fixed(bulk.floorSeconds, 2)} (${fixed(bulk.ratioToFloor, 2)}×)`,
      '–',
      '–',
      '–',
    ]);
    rows.push([
      '',
      'upstream calls sent / 429s',
      `${bulk.upstreamCalls} (${fixed(bulk.ratioToActualCallsFloor, 2)}× their floor) / ${bulk.upstreamThrottled}`,
      '–',
      '–',
      '–',
    ]);
  } else if (bulk?.status === 'skipped') {
    rows.push(['5 Bulk write', `skipped: ${bulk.reason}`, '', '', '', '']);
  } else failed('5 Bulk write', bulk as { status: string; error?: string } | undefined);

  const rss = scenarios.memory.rssAfterScenario;
  rss.forEach((point, index) => {
    rows.push([
      index === 0 ? '6 Memory (gateway RSS)' : '',
      `after ${point.scenario} (${point.process})`,
      `${fixed(point.rssMiB)} MiB`,
      '',
      '',
      '',
    ]);
  });
  const soak = scenarios.memory.soak;
  rows.push([
    rss.length === 0 ? '6 Memory' : '',
    soak ? `soak ${soak.seconds} s at ${soak.ratePerSecond} req/s: post-GC floor slope` : 'soak',
    soak
      ? `${fixed(soak.slopeMiBPerMinute, 2)} MiB/min (floors ${soak.floors.map((f) => fixed(f.rssMiB, 0)).join(', ')} MiB)`
      : 'not run (--soak <s>)',
    '',
    '',
    '',
  ]);

  const goals = results.goals.map((goal) => [
    goal.goal,
    goal.target,
    goal.measured,
    goal.isMet === null ? 'n/a' : goal.isMet ? 'met' : 'MISSED',
  ]);
  const intro = [
    `Run: ${results.mode}, ${results.startedAt}, ${Math.round(results.durationSeconds)} s (\`${results.command}\`)`,
    `Machine: ${machine.cpuModel}, ${machine.cpuCount} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`,
    `Pinning: ${machine.pinning}`,
    `Other work during the run: ${machine.otherCpuSeconds === null ? 'unknown' : `${machine.otherCpuSeconds} CPU-s (${fixed((machine.otherCpuSeconds / results.durationSeconds) * 100)} % of one core on average)`}; load average at start ${machine.loadAverageAtStart.join(' ')}`,
    `Upstream: ${settings.upstreamPolicy}`,
  ];
  const scenarioHeader = [
    'Scenario',
    'Figure',
    'Gateway',
    'Naive (b)',
    'Bare Yoga (a)',
    'Apollo peer (c)',
  ];
  const goalHeader = ['Goal', 'Target', 'Measured', 'Verdict'];
  return format === 'markdown'
    ? [
        intro.map((line) => `- ${line}`).join('\n'),
        markdownTable(rows, scenarioHeader),
        markdownTable(goals, goalHeader),
      ].join('\n\n')
    : [...intro, '', table(rows, scenarioHeader), '', table(goals, goalHeader)].join('\n');
}
