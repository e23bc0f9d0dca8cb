// CPU per request on the hot path (issue 14): starts the emulator, the gateway and bare Yoga as
// child processes (bench/stack.ts, as the bench does), warms one cached product read, sends N
// identical requests with C in flight and prints the CPU the server process spent per request
// (/proc, the process and its children), next to bare Yoga answering `{ hello }`. CPU time, not
// wall time, so a busy machine changes the figure little.
//
//   npx tsx scripts/hot-path-cpu.ts [--requests 5000] [--concurrency 8] [--env KEY=VALUE]…
//                                   [--operation hot-read|orders-page]
//
// --operation orders-page: the bench's orders page (50 orders), warm, instead of the product read.
// --env sets the gateway's environment (repeatable), e.g. RESPONSE_CACHE_ENABLED=false.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { body, HELLO, HOT_READ, ORDERS_PAGE } from '../bench/operations.js';
import { detectPinning, readTreeCpuSeconds } from '../bench/processes.js';
import { activeProductIds } from '../bench/scenarios/working-set.js';
import { createStack, type Target } from '../bench/stack.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    env: { type: 'string', multiple: true, default: [] },
    operation: { type: 'string', default: 'hot-read' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const gatewayEnv = Object.fromEntries(
  values.env.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

const agent = new Agent({ connections: concurrency, pipelining: 1 });

async function send(target: Target, payload: string): Promise<void> {
  const reply = await request(target.graphqlUrl, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json', ...target.headers },
    body: payload,
  });
  const text = await reply.body.text();
  if (reply.statusCode !== 200 || text.includes('"errors"')) {
    throw new Error(`${target.name}: HTTP ${reply.statusCode} ${text.slice(0, 300)}`);
  }
}

/** µs of server CPU per request over `count` requests, `concurrency` in flight; and req/s. */
async function cpuPerRequest(target: Target, payload: string, count: number) {
  let next = 0;
  const run = () =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next += 1;
          await send(target, payload);
        }
      }),
    );
  // Warm-up: Node's JIT and the caches settle first.
  await run();
  next = 0;
  const before = readTreeCpuSeconds(target.service.pid) ?? Number.NaN;
  const startedAt = performance.now();
  await run();
  const elapsedS = (performance.now() - startedAt) / 1000;
  const after = readTreeCpuSeconds(target.service.pid) ?? Number.NaN;
  return { cpuUs: ((after - before) * 1e6) / count, requestsPerSecond: count / elapsedS };
}

const workDir = mkdtempSync(join(tmpdir(), 'hot-path-cpu-'));
const stack = createStack({ pinning: detectPinning(), workDir, budgetScale: 1 });
try {
  const gateway = await stack.gatewayVariant('gateway', 'latency', gatewayEnv);
  const bareYoga = await stack.bareYoga();
  const payload =
    values.operation === 'orders-page'
      ? body(ORDERS_PAGE, { first: 50 })
      : body(HOT_READ, { id: (await activeProductIds(gateway, 1))[0] });
  const hot = await cpuPerRequest(gateway, payload, requests);
  const hello = await cpuPerRequest(bareYoga, body(HELLO), requests);
  const line = (name: string, figures: { cpuUs: number; requestsPerSecond: number }) =>
    `${name.padEnd(22)} ${figures.cpuUs.toFixed(0).padStart(6)} µs CPU/request  ` +
    `${figures.requestsPerSecond.toFixed(0).padStart(6)} req/s (${concurrency} in flight)`;
  console.log(line(`gateway ${values.operation}`, hot));
  console.log(line('bare Yoga { hello }', hello));
  console.log(`gateway CPU ÷ bare Yoga CPU: ${(hot.cpuUs / hello.cpuUs).toFixed(2)}×`);
} finally {
  await stack.close();
  await agent.close();
  rmSync(workDir, { recursive: true, force: true });
}
