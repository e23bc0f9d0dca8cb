// `npm run bench:startup`: how long the gateway takes from spawn to its first 200 on /healthz,
// and its RSS then, compiled (`node --enable-source-maps dist/server.js`, what `npm start` and
// the Dockerfile run) against the same sources through tsx (`node --import tsx src/server.ts`,
// what `npm start` ran before issue 12). Sandbox mode, as on a fresh clone; the two alternate,
// `--runs` times each. Also the cost of `npm start`'s staleness check. Prints, asserts nothing.
//
//   --runs <n>   starts of each kind (default 5)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { staleReason } from '../scripts/run-compiled.js';
import { percentile } from './load.js';
import { detectPinning, freePort, REPO_ROOT, startService } from './processes.js';

const KINDS = [
  { label: 'compiled: node --enable-source-maps dist/server.js', entry: 'dist/server.js' },
  { label: 'tsx: node --import tsx src/server.ts', entry: 'src/server.ts' },
] as const;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

if (staleReason(REPO_ROOT)) {
  process.stdout.write(`Building dist/ first (${staleReason(REPO_ROOT)})\n`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
const checkStartedAt = performance.now();
staleReason(REPO_ROOT);
const checkMs = performance.now() - checkStartedAt;

const pinning = detectPinning();
const loadAtStart = loadavg()[0] ?? 0;
const workDir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
const samples = new Map<string, Array<{ ms: number; rssMiB: number }>>(
  KINDS.map((kind) => [kind.label, []]),
);
for (let run = 0; run < runs; run += 1) {
  for (const kind of run % 2 === 0 ? KINDS : [...KINDS].reverse()) {
    const port = await freePort();
    const startedAt = performance.now();
    const gateway = await startService({
      name: `gateway-${run}`,
      entry: kind.entry,
      env: { PORT: String(port), LOG_LEVEL: 'silent' },
      port,
      readyPath: '/healthz',
      core: pinning.serverCore,
      // A fresh directory each start: a new sandbox token store, no .env.
      workDir: join(workDir, `${run}-${kind.entry.replace(/\W/g, '-')}`),
      nodeArgs: kind.entry.endsWith('.js') ? ['--enable-source-maps'] : [],
    });
    const ms = performance.now() - startedAt;
    samples.get(kind.label)?.push({ ms, rssMiB: (gateway.rssBytes() ?? 0) / 1024 / 1024 });
    await gateway.stop();
  }
}
rmSync(workDir, { recursive: true, force: true });

const median = (numbers: number[]) =>
  percentile(
    [...numbers].sort((a, b) => a - b),
    0.5,
  );
const lines = [
  `Gateway start-up, sandbox mode, ${runs} starts each (${pinning.description}); ready = first`,
  `200 on /healthz, polled every 100 ms. Node ${process.version}; 1-minute load average ` +
    `${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end.`,
  '',
  '| how | median ms | min–max ms | RSS at ready, median MiB |',
  '| --- | --- | --- | --- |',
  ...KINDS.map((kind) => {
    const taken = samples.get(kind.label) ?? [];
    const times = taken.map((sample) => sample.ms);
    return (
      `| ${kind.label} | ${median(times).toFixed(0)} | ${Math.min(...times).toFixed(0)}–` +
      `${Math.max(...times).toFixed(0)} | ${median(taken.map((sample) => sample.rssMiB)).toFixed(0)} |`
    );
  }),
  '',
  `npm start's staleness check (SHA-256 of src/ and the tsconfigs): ${checkMs.toFixed(1)} ms`,
];
process.stdout.write(`${lines.join('\n')}\n`);
