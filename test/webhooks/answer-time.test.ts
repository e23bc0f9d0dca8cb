// The receiver's answer time under 100 concurrent signed deliveries (issue 13), over real HTTP,
// a new connection each, as TikTok's would be. Logged, not asserted (shared machines): what is
// asserted is that every delivery was answered 200 and processed exactly once.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeLatency } from '../../bench/load.js';
import { startTestGateway } from '../helpers/gateway.js';
import { deliveryBody, serveWebhooks } from './helpers.js';

const CONCURRENT = 100;
const ROUNDS = 5;

describe('receiver answer time', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it(`answers ${CONCURRENT} concurrent deliveries, ${ROUNDS} rounds, and processes each once`, async ({
    annotate,
  }) => {
    const t = await startTestGateway();
    cleanups.push(() => t.close());
    const target = await serveWebhooks(t.app);
    cleanups.push(() => target.close());
    const shopId = t.seller.shops[0]?.id ?? '';
    const answerMs: number[] = [];
    const statuses = new Set<number>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const bodies = Array.from({ length: CONCURRENT }, (_, index) =>
        deliveryBody({
          type: 1,
          shopId,
          data: { order_id: `${round}${index}`, order_status: 'UNPAID', update_time: 1 },
        }),
      );
      await Promise.all(
        bodies.map(async (body) => {
          const started = performance.now();
          const reply = await target.deliver(body);
          answerMs.push(performance.now() - started);
          statuses.add(reply.status);
        }),
      );
      await target.settled();
    }
    expect([...statuses]).toEqual([200]);
    expect(target.events).toHaveLength(CONCURRENT * ROUNDS);
    expect(t.app.liveUpdates.receiver.counts()).toMatchObject({
      published: CONCURRENT * ROUNDS,
      duplicate: 0,
    });

    const { p50, p99, max } = summarizeLatency(answerMs);
    const figure =
      `receiver answer time, ${CONCURRENT} concurrent deliveries × ${ROUNDS} rounds: ` +
      `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`;
    console.log(figure);
    await annotate(figure);
  }, 60_000);
});
