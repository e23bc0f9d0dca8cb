// Spawns a CLI (`npm run oauth` / `doctor` / `webhooks`) as a child process with a clean environment:
// no TIKTOK_* or other variables from the test run, a temporary working directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createFileTokenStore } from '../../src/auth/file-token-store.js';
import type { StoredState } from '../../src/auth/token-store.js';

const root = resolve(import.meta.dirname, '../..');

export interface RunningCli {
  child: ChildProcess;
  cwd: string;
  /** Everything printed so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in stdout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<number>;
  cleanup(): void;
}

export function runCli(
  name: 'oauth' | 'doctor' | 'webhooks',
  args: string[],
  env: Record<string, string> = {},
  options: { stdin?: 'pipe' | 'ignore' } = {},
): RunningCli {
  const cwd = mkdtempSync(join(tmpdir(), `cli-${name}-`));
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, `src/cli/${name}.ts`), ...args],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = once(child, 'exit').then(([code]) => code as number);
  return {
    child,
    cwd,
    output: () => output,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolveMatch, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          const match = pattern.exec(output);
          if (match) {
            clearInterval(timer);
            resolveMatch(match);
          } else if (Date.now() - started > timeoutMs || child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`${pattern} not printed:\n${output}`));
          }
        }, 25);
      });
    },
    exited,
    cleanup() {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The decrypted token file a CLI wrote, with the key it used (the sandbox key file by default). */
export async function readStore(path: string, keyHex?: string): Promise<StoredState> {
  const key = keyHex ?? readFileSync(join(path, '..', 'encryption.key'), 'utf8').trim();
  return createFileTokenStore({ path, encryptionKey: Buffer.from(key, 'hex') }).load();
}

/** ✓/✗ lines of the output, by label. */
export function statusLines(output: string): Array<{ ok: boolean; label: string }> {
  return [...output.matchAll(/^([✓✗]) ([^:]+):/gmu)].map((match) => ({
    ok: match[1] === '✓',
    label: match[2] ?? '',
  }));
}
