// Child processes of the bench: CPU pinning, spawning a TypeScript entry as its own Node process,
// waiting until it answers, reading its RSS, and stopping every child on exit or Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (bench/ lives directly under it). */
export const REPO_ROOT = resolve(import.meta.dirname, '..');

export interface Pinning {
  /** true when every process below was started under `taskset`. */
  isEnabled: boolean;
  /** Core of the process under test (gateway, naive gateway, bare Yoga, Apollo peer). */
  serverCore: number | null;
  /** Core of the emulator and of this process (the load generator). */
  loadCore: number | null;
  /** What was done, or why nothing was. */
  description: string;
}

/**
 * Pins the server under test to one core and everything else (emulator, load generator) to
 * another, when the platform has `taskset` and this process may use at least two cores.
 * Degrades to no pinning, and says why, anywhere else.
 */
export function detectPinning(): Pinning {
  const none = (why: string): Pinning => ({
    isEnabled: false,
    serverCore: null,
    loadCore: null,
    description: `none (${why})`,
  });
  if (process.platform !== 'linux') return none(`platform ${process.platform} has no taskset`);
  const probe = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return none('taskset not available');
  const cores = parseCpuList(probe.stdout.split(':').at(-1) ?? '');
  if (cores.length < 2) return none(`only ${cores.length} usable core(s)`);
  const [serverCore, loadCore] = cores as [number, number, ...number[]];
  // -a: every thread of this process (libuv pool, V8 helpers), not just the main one.
  const self = spawnSync('taskset', ['-a', '-pc', String(loadCore), String(process.pid)], {
    encoding: 'utf8',
  });
  if (self.error || self.status !== 0) return none('taskset could not pin this process');
  return {
    isEnabled: true,
    serverCore,
    loadCore,
    description:
      `taskset: server under test on core ${serverCore}; emulator and load generator on core ` +
      `${loadCore} (of ${cores.length} usable: ${cores.join(',')})`,
  };
}

/** "0-2,5" → [0, 1, 2, 5]. */
export function parseCpuList(text: string): number[] {
  const cores: number[] = [];
  for (const part of text.trim().split(',')) {
    const [from, to] = part.split('-').map((value) => Number(value.trim()));
    if (from === undefined || !Number.isInteger(from)) continue;
    const last = to !== undefined && Number.isInteger(to) ? to : from;
    for (let core = from; core <= last; core += 1) cores.push(core);
  }
  return cores;
}

/** Ports this process has handed out: two services started side by side must not get the same one. */
const portsHandedOut = new Set<number>();

/** A port that was free a moment ago on 127.0.0.1 and not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await portFreeNow();
    if (portsHandedOut.has(port)) continue;
    portsHandedOut.add(port);
    return port;
  }
}

function portFreeNow(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServiceOptions {
  /** Short label used in logs and errors, e.g. `gateway`. */
  name: string;
  /** Entry, relative to the repository root: a `.ts` file runs through tsx's loader, a `.js` one
   * (dist/) as it is. */
  entry: string;
  /** The whole environment of the child (nothing is inherited except PATH, HOME, LANG). */
  env: Record<string, string>;
  port: number;
  /** Path answered with 2xx once the service is ready. */
  readyPath: string;
  /** 'any': any HTTP answer means ready (servers that listen only once ready). Default 'ok'. */
  readyStatus?: 'ok' | 'any';
  /** Core to pin to, or null. */
  core: number | null;
  /** Directory for this service's log file and working directory. */
  workDir: string;
  /** Extra Node flags, e.g. `--cpu-prof` when profiling a run by hand. */
  nodeArgs?: string[];
  /** Longest wait for readiness, ms (default 60 000). */
  readyTimeoutMs?: number;
}

export interface Service {
  name: string;
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  logPath: string;
  /** Resident set size now, bytes; null when the process is gone or unreadable. */
  rssBytes(): number | null;
  stop(): Promise<void>;
  /** False once the child has exited. */
  isRunning(): boolean;
}

const running = new Set<ChildProcess>();
let isCleanupInstalled = false;

/** Kills every child still running (SIGKILL) — used on exit, where nothing can be awaited. */
export function killAllNow(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

/** SIGTERM to every child, SIGKILL to those still running after `graceMs`; waits for all. */
async function stopAll(graceMs: number): Promise<void> {
  const children = [...running];
  const exits = children.map(
    (child) =>
      new Promise<void>((resolveExit) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveExit();
        child.once('exit', () => resolveExit());
        child.kill('SIGTERM');
      }),
  );
  const timer = setTimeout(killAllNow, graceMs);
  await Promise.all(exits);
  clearTimeout(timer);
}

/** Stops children on normal exit, on an uncaught error, and on Ctrl-C / SIGTERM / SIGHUP. */
export function installCleanup(): void {
  if (isCleanupInstalled) return;
  isCleanupInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
      void stopAll(2_000).finally(() => process.exit(130));
    });
  }
}

/**
 * Starts `node [--import tsx] <entry>` (under `taskset -c <core>` when pinned; taskset execs, so
 * the pid is Node's). Runs in `workDir` so no developer `.env` in the repository leaks in.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  installCleanup();
  mkdirSync(options.workDir, { recursive: true });
  const logPath = join(options.workDir, `${options.name}.log`);
  // The child writes its log file itself: a log line per request (the access log) must not pass
  // through this process, whose event loop is busy driving the load.
  const logFd = openSync(logPath, 'w');
  const tsxLoader = import.meta.resolve('tsx');
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    ...(options.entry.endsWith('.ts') ? ['--import', tsxLoader] : []),
    join(REPO_ROOT, options.entry),
  ];
  const [command, args] =
    options.core === null
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', String(options.core), process.execPath, ...nodeArgs]];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LANG: process.env.LANG ?? 'C.UTF-8',
    // tsx looks for tsconfig in the working directory; point it at the repository's.
    TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json'),
    ...options.env,
  };
  const child = spawn(command, args, {
    cwd: options.workDir,
    env,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  running.add(child);
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      running.delete(child);
      resolveExit();
    });
  });
  const url = `http://127.0.0.1:${options.port}`;
  const service: Service = {
    name: options.name,
    pid: child.pid ?? -1,
    url,
    logPath,
    rssBytes: () => readRssBytes(child.pid),
    isRunning: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitUntilReady({
      url: `${url}${options.readyPath}`,
      exited,
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      name: options.name,
      isAnyAnswerReady: options.readyStatus === 'any',
    });
  } catch (error) {
    await service.stop();
    const tail = readTail(logPath);
    throw new Error(
      `${options.name} did not start: ${error instanceof Error ? error.message : String(error)}` +
        (tail ? `\n--- last lines of ${logPath} ---\n${tail}` : ''),
    );
  }
  return service;
}

/**
 * `startService` on a port chosen here, passed in `portVariable`. Another process (a test running
 * beside the bench, say) can take a free port before the child binds it; the child then exits
 * with EADDRINUSE and whatever answered the ready check was not it, so it is started again on a
 * new port.
 */
export async function startOnFreePort(
  portVariable: string,
  options: Omit<ServiceOptions, 'port'>,
): Promise<Service> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      const service = await startService({
        ...options,
        env: { ...options.env, [portVariable]: String(port) },
        port,
      });
      await sleep(300);
      if (service.isRunning()) return service;
      throw new Error(`${options.name} exited right after start-up\n${readTail(service.logPath)}`);
    } catch (error) {
      const portTaken = String(error).includes('EADDRINUSE');
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}

async function waitUntilReady(input: {
  url: string;
  exited: Promise<void>;
  timeoutMs: number;
  name: string;
  isAnyAnswerReady: boolean;
}): Promise<void> {
  const { url, exited, timeoutMs, name } = input;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`${name} exited during start-up`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok || input.isAnyAnswerReady) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** VmRSS from /proc (Linux), else `ps -o rss=`; bytes. */
export function readRssBytes(pid: number | undefined): number | null {
  if (pid === undefined || pid <= 0) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // Not Linux, or the process is gone: try ps.
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(ps.stdout?.trim());
  return ps.status === 0 && Number.isFinite(kb) && kb > 0 ? kb * 1024 : null;
}

let clockTicksPerSecond: number | undefined;

function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    const getconf = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const value = Number(getconf.stdout?.trim());
    clockTicksPerSecond = getconf.status === 0 && value > 0 ? value : 100;
  }
  return clockTicksPerSecond;
}

/** ppid, utime and stime from /proc/<pid>/stat (Linux); null when unreadable. */
function readStat(pid: number): { ppid: number; cpuSeconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: ppid is the 4th field, utime and stime the
    // 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond(),
    };
  } catch {
    return null;
  }
}

/**
 * CPU time of a process and all its descendants still running (servers, tsx's esbuild helpers),
 * s; null when the process cannot be read.
 */
export function readTreeCpuSeconds(pid: number): number | null {
  const own = readStat(pid);
  if (!own) return null;
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (!stat) continue;
      cpu.set(Number(entry), stat.cpuSeconds);
      children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
    }
  } catch {
    return own.cpuSeconds;
  }
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop() as number;
    total += cpu.get(next) ?? 0;
    pending.push(...(children.get(next) ?? []));
  }
  return total;
}

/** CPU time all cores spent busy since boot (/proc/stat: everything but idle and iowait), s. */
export function readMachineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (sum, value) => sum + (value ?? 0),
      0,
    );
    return busy / ticksPerSecond();
  } catch {
    return null;
  }
}

function readTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
