// The webhook receiver's answer time (issue 13): the gateway as its own process (pinned as the
// bench pins it), rounds of concurrent signed deliveries (§8) from this one, each on a new
// connection as TikTok's would be, and the time until each 200 came back; beside it the same
// rounds of GET /healthz, what any answer costs on that machine. Two rounds of each warm up first.
//
//   npx tsx bench/webhook-receiver.ts [--concurrent 100] [--rounds 10]
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { summarizeLatency } from './load.js';
import { detectPinning } from './processes.js';
import { createStack } from './stack.js';

/** Sends one request on its own connection (a POST when `body` is given); answers the status. */
function send(url: URL, body?: { text: string; signature: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: body ? 'POST' : 'GET',
        agent: false,
        headers: body ? { 'content-type': 'application/json', authorization: body.signature } : {},
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body?.text);
  });
}

/** Rounds before the measured ones, not counted: the first requests warm up the JIT and caches. */
const WARM_UP_ROUNDS = 2;

/** `rounds` × `concurrent` requests made by `one(round, index)`: times and statuses. */
async function measure(
  rounds: number,
  concurrent: number,
  one: (round: number, index: number) => Promise<number>,
) {
  const answerMs: number[] = [];
  const statuses: Record<number, number> = {};
  for (let round = -WARM_UP_ROUNDS; round < rounds; round += 1) {
    await Promise.all(
      Array.from({ length: concurrent }, async (_, index) => {
        const started = performance.now();
        const status = await one(round, index);
        if (round < 0) return;
        answerMs.push(performance.now() - started);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  const { p50, p99, max } = summarizeLatency(answerMs);
  return (
    `${concurrent} concurrent × ${rounds} rounds: p50 ${p50.toFixed(1)} ms, ` +
    `p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; answers by status ${JSON.stringify(statuses)}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrent: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '10' },
    },
  });
  const concurrent = Number(values.concurrent);
  const rounds = Number(values.rounds);
  const workDir = mkdtempSync(join(tmpdir(), 'bench-webhooks-'));
  const pinning = detectPinning();
  const stack = createStack({ pinning, workDir, budgetScale: 0.2 });
  try {
    const target = await stack.gateway('gateway', 'latency');
    const upstream = target.upstream;
    if (!upstream) throw new Error('the gateway has no upstream');
    const { appKey, appSecret } = upstream.app;
    const url = new URL('/webhooks/tiktok', target.service.url);
    const deliveries = await measure(rounds, concurrent, (round, index) => {
      const text = JSON.stringify({
        type: 1,
        tts_notification_id: randomUUID(),
        shop_id: upstream.shopId,
        timestamp: Math.floor(Date.now() / 1000),
        data: { order_id: `${round}:${index}`, order_status: 'UNPAID', update_time: 1 },
      });
      const signature = createHmac('sha256', appSecret)
        .update(appKey + text)
        .digest('hex');
      return send(url, { text, signature });
    });
    const health = await measure(rounds, concurrent, () =>
      send(new URL('/healthz', target.service.url)),
    );
    console.log(`pinning: ${pinning.description}`);
    console.log(`POST /webhooks/tiktok, ${deliveries}`);
    console.log(`GET /healthz,          ${health}`);
  } finally {
    await stack.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
