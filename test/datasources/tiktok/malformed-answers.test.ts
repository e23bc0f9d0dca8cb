// Malformed 200 answers (issue 10, defect 7): retried like 5xx for calls that are safe to repeat,
// never for a non-idempotent write, counted in the emulator's request log.
import { afterEach, describe, expect, it } from 'vitest';
import { TikTokShopUpstreamError } from '../../../src/datasources/tiktok/errors.js';
import type { FaultConfig } from '../../../src/emulator/types.js';
import { WarehousesDocument } from '../../generated/graphql.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { failureOf, type Harness, startHarness } from './helpers/harness.js';

const WAREHOUSES = '/logistics/202309/warehouses';

describe('malformed answers beside 5xx through the gateway', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** Sends `reads` warehouse queries one after another; answers how many came back with errors. */
  const erroredReads = async (gateway: TestGateway, reads: number) => {
    let errored = 0;
    for (let read = 0; read < reads; read += 1) {
      const reply = await gateway.execute(WarehousesDocument, {});
      if (reply.body.errors) errored += 1;
    }
    return errored;
  };

  it('200 reads at 20 % malformed fail exactly as often as 200 reads at 20 % 5xx', async () => {
    t = await startTestGateway({
      env: {
        // The defaults' attempt budget, fast backoff, no cache (every read goes upstream) and no
        // breaker (this measures retries alone).
        TIKTOK_SHOP_MAX_ATTEMPTS: '4',
        TIKTOK_SHOP_RETRY_BASE_MS: '1',
        TIKTOK_SHOP_RETRY_MAX_MS: '5',
        TIKTOK_SHOP_BREAKER_FAILURES: '0',
        CACHE_ENABLED: 'false',
      },
    });
    const reads = 200;
    // Setting faults re-seeds the emulator's random source, and malformedRate is rolled on the
    // same draws as errorRate: sequential reads see the same fault sequence in both runs.
    const run = async (faults: FaultConfig) => {
      t?.emulator.setFaults({ ...faults, pathPrefixes: [WAREHOUSES] });
      t?.resetCalls();
      const errored = await erroredReads(t as TestGateway, reads);
      const log = (t as TestGateway).emulator.requests();
      return { errored, requests: log.length, faulted: log.filter((e) => e.fault).length };
    };
    const malformed = await run({ malformedRate: 0.2 });
    const serverError = await run({ errorRate: 0.2 });
    console.info(
      `${reads} reads: 20 % malformed → ${malformed.errored} with errors ` +
        `(${malformed.requests} upstream requests, ${malformed.faulted} faulted); ` +
        `20 % 5xx → ${serverError.errored} (${serverError.requests}, ${serverError.faulted})`,
    );
    expect(malformed.faulted).toBeGreaterThan(reads * 0.1);
    expect(malformed).toEqual(serverError);
    expect(malformed.errored).toBeLessThan(reads * 0.05);
  });
});

describe('which calls repeat after a malformed answer', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  const once: FaultConfig = { script: [{ kind: 'malformed', count: 1 }] };

  it('a read is retried and succeeds', async () => {
    harness = await startHarness({ emulator: { faults: once } });
    const warehouses = await harness.client.getWarehouses(harness.shop);
    expect(warehouses.length).toBeGreaterThan(0);
    const calls = harness.emulator.requests().filter((entry) => entry.path === WAREHOUSES);
    expect(calls.map((entry) => [entry.status, entry.fault])).toEqual([
      [200, 'malformed'],
      [200, null],
    ]);
  });

  it('a non-idempotent write is sent once and fails as malformed_response', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;
    const [product] = (await client.searchProducts(shop, { pageSize: 1 })).items;
    const detail = await client.getProduct(shop, product!.id);
    const sku = detail.skus[0]!;
    const path = `/product/202309/products/${detail.id}/inventory/update`;
    emulator.setFaults(once);
    emulator.resetRequests();
    const error = await failureOf(
      client.call(shop, {
        method: 'POST',
        path,
        idempotent: false,
        body: {
          skus: [
            {
              id: sku.id,
              inventory: sku.inventory.map((entry) => ({
                warehouse_id: entry.warehouseId,
                quantity: entry.quantity,
              })),
            },
          ],
        },
      }),
    );
    expect(error).toBeInstanceOf(TikTokShopUpstreamError);
    expect(error).toMatchObject({ reason: 'malformed_response', status: 200 });
    expect(emulator.requests().map((entry) => [entry.path, entry.fault])).toEqual([
      [path, 'malformed'],
    ]);
  });
});
