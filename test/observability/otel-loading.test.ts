// Issue 12, item 5: without OTEL_EXPORTER_OTLP_ENDPOINT nothing from OpenTelemetry is loaded, not
// even @opentelemetry/api (tracing.ts imports the SDK dynamically). A child process builds the app
// and answers a query while module hooks record every module it resolves; with the variable set,
// the same run loads the SDK, which shows the recording works.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const helpers = join(root, 'test/observability/helpers');
const workDir = mkdtempSync(join(tmpdir(), 'otel-loading-'));

/** The @opentelemetry packages a sandbox run resolved, by name. */
async function openTelemetryLoaded(endpoint?: string): Promise<string[]> {
  const file = join(workDir, `resolved-${endpoint ? 'on' : 'off'}.txt`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      join(helpers, 'record-resolved.mjs'),
      '--import',
      // Named by path: the child runs in a directory of its own, where `tsx` does not resolve.
      pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href,
      join(helpers, 'sandbox-query.ts'),
      ...(endpoint ? [endpoint] : []),
    ],
    {
      // Sandbox mode keeps its tokens under .data/ of the working directory.
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        RESOLVED_MODULES_FILE: file,
        TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = await once(child, 'exit');
  expect(output).toMatch(/^200 \{"data":\{"products":\{"totalCount":\d+\}\}\}/);
  expect(code).toBe(0);
  const packages = readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((url) => /node_modules\/(@opentelemetry\/[^/]+)\//.exec(url)?.[1] ?? []);
  return [...new Set(packages)].sort();
}

describe('OpenTelemetry loading', () => {
  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('loads no @opentelemetry module without OTEL_EXPORTER_OTLP_ENDPOINT, the SDK with it', async () => {
    expect(await openTelemetryLoaded()).toEqual([]);
    const collector = createServer((_req, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((done) => collector.listen(0, '127.0.0.1', done));
    const { port } = collector.address() as AddressInfo;
    const loaded = await openTelemetryLoaded(`http://127.0.0.1:${port}`).finally(() => {
      collector.closeAllConnections();
      collector.close();
    });
    expect(loaded).toEqual(
      expect.arrayContaining([
        '@opentelemetry/api',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/sdk-trace-base',
      ]),
    );
  }, 60_000);
});
