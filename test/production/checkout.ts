// A throwaway copy of the repository in the OS temp directory, as a fresh clone plus `npm ci`
// would leave it: the files git tracks (and new, not ignored ones), and a copy of node_modules
// (the lockfile's tree, without a download). No dist/, .env or .data/ comes along.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export { closedPort as freePort } from '../cli/run-cli.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface Checkout {
  dir: string;
  remove(): void;
}

/** Copies the repository's files, then its node_modules (`cp -a`: about 2 s for 370 MB). */
export function createCheckout(label: string): Checkout {
  const dir = mkdtempSync(join(tmpdir(), `gateway-${label}-`));
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  for (const file of new Set(listed.split('\0').filter(Boolean))) {
    const source = join(ROOT, file);
    if (!existsSync(source)) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(source, join(dir, file), { verbatimSymlinks: true });
  }
  // The worktree's node_modules may be a symlink to a shared one: copy what it points to.
  execFileSync('cp', ['-a', realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules')]);
  return { dir, remove: () => removeTree(dir) };
}

/** `rm -rf`: node's rmSync takes ten times as long over a node_modules tree. */
export function removeTree(dir: string): void {
  execFileSync('rm', ['-rf', dir]);
}

/** The environment a user's shell would give: PATH and HOME, nothing from the test run. */
export function userEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...extra };
}

export interface Started {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout + stderr; rejects if the process ends. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `command` in `cwd`, collecting its output. `detached` gives it its own process group,
 * so `killGroup` can reach a shell and everything it started.
 */
export function start(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; detached?: boolean },
): Started {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolveMatch, reject) => {
        const stop = (settle: () => void) => {
          clearTimeout(timer);
          child.stdout?.off('data', look);
          child.stderr?.off('data', look);
          child.off('exit', ended);
          settle();
        };
        const look = () => {
          const match = pattern.exec(output);
          if (match) stop(() => resolveMatch(match));
        };
        const ended = () => stop(() => reject(new Error(`ended before ${pattern}:\n${output}`)));
        const timer = setTimeout(
          () => stop(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`))),
          timeoutMs,
        );
        child.stdout?.on('data', look);
        child.stderr?.on('data', look);
        child.on('exit', ended);
        if (child.exitCode !== null || child.signalCode !== null) ended();
        look();
      });
    },
  };
}

/** Signals a detached process's whole group (ignoring a group that is gone). */
export function killGroup(started: Started, signal: NodeJS.Signals): void {
  if (started.child.pid === undefined) return;
  try {
    process.kill(-started.child.pid, signal);
  } catch {
    // already exited
  }
}

/** Whether a process with this id still exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts connections on 127.0.0.1:port. */
export async function isListening(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}
