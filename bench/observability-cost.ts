// What metrics, the access log and traces cost (issue 12): throughput of a cached read (scenario
// 1's `product(id)` over 20 cached products, so no upstream call) against gateways on the same
// emulator: `off` (METRICS_ENABLED=false, LOG_LEVEL=warn: no access-log line), `on` (metrics, and
// one access-log line per request at info, written to the log file as in production), `metrics`
// and `log` (one of the two), and `traced` (`on` plus spans to an OTLP collector on loopback that
// discards them). Rounds alternate the variants so that drift of a shared machine hits them alike.
// Prints per round and as medians req/s, p50/p99 and the gateway process's CPU time per request
// (its /proc counters over the window): on a busy shared machine throughput swings with the
// neighbours, CPU per request less.
//
//   npx tsx bench/observability-cost.ts [--seconds 10] [--rounds 3] [--connections 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './load.js';
import { body, HOT_READ } from './operations.js';
import { detectPinning, readTreeCpuSeconds } from './processes.js';
import { type LoadFigures, measure, mustQuery, round } from './scenarios/common.js';
import { activeProductIds } from './scenarios/working-set.js';
import { createStack, type Target } from './stack.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);

/** An OTLP/HTTP collector that accepts every export and keeps nothing. */
async function startSink(): Promise<{ url: string; close(): void }> {
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
    close: () => {
      sink.closeAllConnections();
      sink.close();
    },
  };
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function main() {
  const pinning = detectPinning();
  const workDir = mkdtempSync(join(tmpdir(), 'observability-cost-'));
  const stack = createStack({ pinning, workDir, budgetScale: 1 });
  const sink = await startSink();
  try {
    process.stdout.write(`pinning: ${pinning.description}\n`);
    // An hour of cache, so the 20 products stay cached for the whole run.
    const cached = { CACHE_TTL_MS: '3600000' };
    const variants: Array<[string, Record<string, string>]> = [
      ['off', { ...cached, METRICS_ENABLED: 'false', LOG_LEVEL: 'warn' }],
      ['on', { ...cached, METRICS_ENABLED: 'true', LOG_LEVEL: 'info' }],
      ['metrics', { ...cached, METRICS_ENABLED: 'true', LOG_LEVEL: 'warn' }],
      ['log', { ...cached, METRICS_ENABLED: 'false', LOG_LEVEL: 'info' }],
      [
        'traced',
        {
          ...cached,
          METRICS_ENABLED: 'true',
          LOG_LEVEL: 'info',
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        },
      ],
    ];
    const targets: Array<[string, Target]> = [];
    for (const [name, env] of variants) {
      targets.push([name, await stack.gatewayVariant(name, 'latency', env)]);
    }
    const ids = await activeProductIds(targets[0]?.[1] as Target, 20);
    const mix = ids.map((id) => ({ name: 'product', body: body(HOT_READ, { id }) }));
    for (const [, target] of targets) {
      for (const id of ids) await mustQuery(target, HOT_READ, { id });
    }
    const figures = new Map<string, Array<LoadFigures & { cpuMicrosPerRequest: number }>>(
      targets.map(([name]) => [name, []]),
    );
    for (let roundNumber = 1; roundNumber <= rounds; roundNumber += 1) {
      for (const [name, target] of targets) {
        const load = { url: target.graphqlUrl, headers: target.headers, mix, connections };
        await runLoad({ ...load, durationSeconds: 3, seed: 7 });
        const cpuBefore = readTreeCpuSeconds(target.service.pid) ?? Number.NaN;
        const measured = await measure(target, {
          mix,
          connections,
          durationSeconds: seconds,
          warmupSeconds: 0,
        });
        const cpuSeconds = (readTreeCpuSeconds(target.service.pid) ?? Number.NaN) - cpuBefore;
        const cpuMicrosPerRequest = round((cpuSeconds * 1e6) / measured.figures.operations, 1);
        figures.get(name)?.push({ ...measured.figures, cpuMicrosPerRequest });
        const { requestsPerSecond, p50Ms, p99Ms, failed, upstreamCalls } = measured.figures;
        process.stdout.write(
          `round ${roundNumber}  ${name.padEnd(7)} ${requestsPerSecond.toFixed(0).padStart(6)} req/s` +
            `  p50 ${p50Ms.toFixed(2)} ms  p99 ${p99Ms.toFixed(2)} ms` +
            `  CPU ${cpuMicrosPerRequest.toFixed(0)} µs/request  failed ${failed}` +
            `  upstream ${upstreamCalls}\n`,
        );
      }
    }
    const medianOf = (
      name: string,
      pick: (entry: LoadFigures & { cpuMicrosPerRequest: number }) => number,
    ) => median((figures.get(name) ?? []).map(pick));
    const offRate = medianOf('off', (entry) => entry.requestsPerSecond);
    const offCpu = medianOf('off', (entry) => entry.cpuMicrosPerRequest);
    process.stdout.write(
      `\nmedians over ${rounds} rounds of ${seconds} s, ${connections} connections:\n`,
    );
    for (const [name] of targets) {
      const rate = medianOf(name, (entry) => entry.requestsPerSecond);
      const cpu = medianOf(name, (entry) => entry.cpuMicrosPerRequest);
      const versusOff =
        name === 'off'
          ? ''
          : `  (throughput ${round((rate / offRate - 1) * 100, 1)} %, CPU per request ` +
            `+${round(cpu - offCpu, 1)} µs = ${round((cpu / offCpu - 1) * 100, 1)} % vs off)`;
      process.stdout.write(
        `  ${name.padEnd(7)} ${rate.toFixed(0).padStart(6)} req/s` +
          `  p50 ${medianOf(name, (entry) => entry.p50Ms).toFixed(2)} ms` +
          `  p99 ${medianOf(name, (entry) => entry.p99Ms).toFixed(2)} ms` +
          `  CPU ${cpu.toFixed(0)} µs/request${versusOff}\n`,
      );
    }
  } finally {
    sink.close();
    await stack.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
