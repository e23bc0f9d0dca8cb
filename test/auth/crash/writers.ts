// Child processes running store-writer.ts or seller-process.ts (one process each, no tsx wrapper,
// so SIGKILL hits the child itself), and a pool of them started ahead so a kill cycle does not
// wait for a start.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../../..');
const WRITER = join(root, 'test/auth/crash/store-writer.ts');
const SELLER_PROCESS = join(root, 'test/auth/crash/seller-process.ts');

export interface Writer {
  child: ChildProcess;
  /** Every line printed so far. */
  lines: string[];
  /** Resolves once a printed line matches (at once if one did). */
  waitFor(pattern: RegExp): Promise<string>;
  /** Starts the work (after `ready`). */
  go(): void;
  /** Writes one line to its stdin. */
  send(line: string): void;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

export function startWriter(args: string[], storeKey: Uint8Array): Writer {
  return startChild(WRITER, args, { STORE_KEY: Buffer.from(storeKey).toString('hex') });
}

/** seller-process.ts with `args` and the environment it reads (see its header). */
export function startSellerProcess(args: string[], env: Record<string, string>): Writer {
  return startChild(SELLER_PROCESS, args, env);
}

function startChild(script: string, args: string[], env: Record<string, string>): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  return {
    child,
    lines,
    waitFor(pattern) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolveLine, reject) => {
        waiters.push({ pattern, resolve: resolveLine });
        exited.then(() => reject(new Error(`writer exited before ${pattern}:\n${errors}`)));
      });
    },
    go() {
      this.send('go');
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Writers started `size` ahead of use, each ready (stores loaded) when taken. */
export function createWriterPool(size: number, start: (index: number) => Writer) {
  let next = 0;
  const started: Writer[] = [];
  const ahead: Array<Promise<Writer>> = [];
  const launch = () => {
    const writer = start(next);
    next += 1;
    started.push(writer);
    const ready = writer.waitFor(/^ready$/).then(() => writer);
    // A writer killed before it was taken never becomes ready: nobody waits for it then.
    ready.catch(() => undefined);
    ahead.push(ready);
  };
  for (let index = 0; index < size; index += 1) launch();
  return {
    async take(): Promise<Writer> {
      const writer = ahead.shift() as Promise<Writer>;
      launch();
      return writer;
    },
    async close(): Promise<void> {
      await Promise.all(started.map((writer) => writer.kill()));
    },
  };
}
