// A fresh `npm start` process in sandbox mode (issue 10): its very first request, 2,000 levels of
// nesting, answers 400 with a code (it was a stack overflow, HTTP 500, on a fresh process); then
// who gets the GraphiQL page with the development key in it, over real HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../helpers/http.js';

const root = resolve(import.meta.dirname, '../..');

let child: ChildProcess;
let workDir: string;
let port: number;
let key: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'fresh-gateway-'));
  child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/server.ts')], {
    cwd: workDir,
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  [port, key] = await new Promise<[number, string]>((resolveStart, reject) => {
    const timer = setInterval(() => {
      const url = /GraphiQL:\s+http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(output);
      const printed = /API key:\s+(gwdev_\S+)/.exec(output);
      if (url?.[1] && printed?.[1]) {
        clearInterval(timer);
        resolveStart([Number(url[1]), printed[1]]);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited early (${code}): ${output}`));
    });
  });
}, 60_000);

afterAll(() => {
  child?.kill('SIGKILL');
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('a fresh gateway process', () => {
  it('answers 2,000 levels of nesting, as its first request, with 400 and a code', async () => {
    const reply = await send(port, {
      method: 'POST',
      path: '/graphql',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${key}`,
      },
      body: JSON.stringify({ query: `${'{ a '.repeat(2_000)}${'}'.repeat(2_000)}` }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'maxDepth' });
    expect((await send(port, { path: '/healthz' })).status).toBe(200);
  });

  const page = (headers: Record<string, string>) =>
    send(port, { path: '/graphql', headers: { accept: 'text/html', ...headers } });

  it.each([
    ['typed in the address bar', {}],
    ['asked for by its own page', { origin: '', 'sec-fetch-site': 'same-origin' }],
    ['addressed as localhost', { host: 'localhost:PORT', 'sec-fetch-site': 'none' }],
  ])('serves the key-bearing page %s', async (_name, headers) => {
    const reply = await page(withPort(headers));
    expect(reply.status).toBe(200);
    expect(reply.text).toContain(key);
  });

  it.each([
    ['to a foreign origin', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['to a cross-site navigation', { 'sec-fetch-site': 'cross-site' }],
    [
      'to another port of the machine',
      { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' },
    ],
    ['under a DNS-rebound name', { host: 'evil.example:PORT' }],
  ])('serves the page without the key and without CORS %s', async (_name, headers) => {
    const reply = await page(withPort(headers));
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('GraphiQL');
    expect(reply.text).not.toContain(key);
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** `PORT` in a header value → the gateway's port; an empty `origin` → its own origin. */
function withPort(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      name === 'origin' && value === ''
        ? `http://127.0.0.1:${port}`
        : value.replace('PORT', String(port)),
    ]),
  );
}
