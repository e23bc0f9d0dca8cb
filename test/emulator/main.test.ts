// `npm run emulator` end to end: starts from EMULATOR_* variables, prints how to use it, stops on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function withoutEmulatorVars(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('EMULATOR_')),
  );
}

describe('npm run emulator (src/emulator/main.ts)', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = null;
  });

  function run(env: Record<string, string>) {
    const started = spawn(TSX, ['src/emulator/main.ts'], {
      cwd: ROOT,
      env: { ...withoutEmulatorVars(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stdout = '';
    let stderr = '';
    started.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    started.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => started.on('exit', resolve));
    const printed = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const look = () => {
          const match = stdout.match(pattern);
          if (match) resolve(match);
        };
        started.stdout.on('data', look);
        started.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
        look();
      });
    return { started, exited, printed, output: () => ({ stdout, stderr }) };
  }

  it('prints the URL, app key, shops and gateway settings; stops on SIGTERM', async () => {
    const secret = 'custom-secret-never-printed';
    const emulator = run({
      EMULATOR_PORT: '0',
      EMULATOR_APP_KEY: 'mainkey',
      EMULATOR_APP_SECRET: secret,
    });
    await emulator.printed(/TIKTOK_SHOP_AUTH_BASE=\S+/);
    const [, url] =
      emulator.output().stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/) ?? [];
    expect(url).toBeDefined();
    const { stdout } = emulator.output();
    expect(stdout).toContain('mainkey');
    expect(stdout).toContain(`TIKTOK_SHOP_API_BASE=${url}`);
    expect(stdout).toContain('/__emulator/');
    expect(stdout).not.toContain(secret);

    const sellers = (await (await fetch(`${url}/__emulator/sellers`)).json()) as {
      sellers: Array<{ shops: Array<{ cipher: string }> }>;
    };
    for (const shop of sellers.sellers.flatMap((seller) => seller.shops)) {
      expect(stdout).toContain(shop.cipher);
    }

    emulator.started.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
  });

  it('refuses invalid variables, naming each, with exit status 1', async () => {
    const emulator = run({ EMULATOR_PORT: 'eighty', EMULATOR_ERROR_RATE: '3' });
    expect(await emulator.exited).toBe(1);
    const { stderr } = emulator.output();
    expect(stderr).toContain('EMULATOR_PORT');
    expect(stderr).toContain('EMULATOR_ERROR_RATE');
  });
});
