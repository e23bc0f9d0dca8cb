// Scenario 5: `bulkUpdateInventory` of 500 SKUs over 100 products at 10 req/s — time against the
// floor: the upstream calls the write needs ÷ the rate. Skipped, with the reason, when the schema
// has no such mutation (it arrives with issue #4).
import { postGraphQL } from '../load.js';
import { INPUT_TYPE, MUTATION_FIELDS } from '../operations.js';
import { sleep } from '../processes.js';
import { BUDGET_REQUESTS_PER_SECOND, type Target } from '../stack.js';
import { summarize } from '../upstream-counters.js';
import { mustQuery, round, type ScenarioContext } from './common.js';

const SKUS_PER_PRODUCT = 5;

export type BulkWriteResult =
  | { status: 'skipped'; reason: string }
  | {
      status: 'ok';
      products: number;
      skus: number;
      budgetPerSecond: number;
      seconds: number;
      /** One Update Inventory per product (§6.4): the fewest calls that can do the write. */
      minimumCalls: number;
      /** minimumCalls ÷ budget. Goal: seconds ≤ 1.1 × this. */
      floorSeconds: number;
      ratioToFloor: number;
      /** What the gateway sent: the updates, and Inventory Searches to validate and read back. */
      upstreamCalls: number;
      upstreamByEndpoint: Record<string, number>;
      /** upstreamCalls ÷ budget: how well the calls actually sent were paced. */
      actualCallsFloorSeconds: number;
      ratioToActualCallsFloor: number;
      upstreamThrottled: number;
      updatedCount: number;
      problemCount: number;
      errors: string[];
    };

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}

const namedType = (type: TypeRef | null | undefined): string | null => {
  let current = type;
  while (current && !current.name) current = current.ofType;
  return current?.name ?? null;
};

/** Why the mutation cannot be driven, or null when the schema has what the scenario sends. */
async function schemaProblem(target: Target): Promise<string | null> {
  const { data } = await mustQuery<{
    __schema: {
      mutationType: {
        fields: Array<{ name: string; args: Array<{ name: string; type: TypeRef }> }>;
      } | null;
    };
  }>(target, MUTATION_FIELDS);
  const field = data.__schema.mutationType?.fields.find(
    (candidate) => candidate.name === 'bulkUpdateInventory',
  );
  if (!field) return 'bulkUpdateInventory not in schema';
  const inputName = namedType(field.args.find((arg) => arg.name === 'input')?.type);
  if (!inputName) return 'bulkUpdateInventory has no input argument';
  const inputFields = async (name: string) =>
    (
      await mustQuery<{
        __type: { inputFields: Array<{ name: string; type: TypeRef }> } | null;
      }>(target, INPUT_TYPE, { name })
    ).data.__type?.inputFields ?? [];
  const items = (await inputFields(inputName)).find((candidate) => candidate.name === 'items');
  const itemName = namedType(items?.type);
  if (!itemName) return `${inputName} has no items list`;
  const names = new Set((await inputFields(itemName)).map((candidate) => candidate.name));
  const missing = ['productId', 'skuId', 'warehouseId', 'quantity'].filter((n) => !names.has(n));
  return missing.length > 0 ? `${itemName} lacks ${missing.join(', ')}` : null;
}

// Two cheap queries rather than one deep one: the gateway's query cost limit counts depth.
const CANDIDATES = `query BulkCandidates($after: String) {
  products(first: 100, after: $after, filter: { status: ACTIVATE }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id skus { id } } }
  }
}`;

const WAREHOUSES_OF = `query BulkWarehouses($productIds: [ID!]!) {
  inventory(productIds: $productIds) { productId skus { id warehouses { warehouseId } } }
}`;

interface CandidatePage {
  products: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; skus: Array<{ id: string }> } }>;
  };
}

interface Item {
  productId: string;
  skuId: string;
  warehouseId: string;
  quantity: number;
}

/** `count` (≤ 100) active products with exactly five SKUs each, every SKU stocked somewhere. */
async function bulkItems(target: Target, count: number): Promise<Item[]> {
  const candidates: string[] = [];
  let after: string | null = null;
  while (candidates.length < count) {
    const { data }: { data: CandidatePage } = await mustQuery<CandidatePage>(target, CANDIDATES, {
      after,
    });
    for (const { node } of data.products.edges) {
      if (node.skus.length === SKUS_PER_PRODUCT) candidates.push(node.id);
    }
    if (!data.products.pageInfo.hasNextPage) break;
    after = data.products.pageInfo.endCursor;
  }
  const { data } = await mustQuery<{
    inventory: Array<{
      productId: string;
      skus: Array<{ id: string; warehouses: Array<{ warehouseId: string }> }>;
    }> | null;
  }>(target, WAREHOUSES_OF, { productIds: candidates.slice(0, count) });
  const items: Item[] = [];
  let products = 0;
  for (const product of data.inventory ?? []) {
    if (products >= count || product.skus.length !== SKUS_PER_PRODUCT) continue;
    if (product.skus.some((sku) => sku.warehouses.length === 0)) continue;
    products += 1;
    for (const sku of product.skus) {
      // One entry per SKU; its other warehouses keep their stock (the gateway re-sends it).
      items.push({
        productId: product.productId,
        skuId: sku.id,
        warehouseId: sku.warehouses[0]?.warehouseId as string,
        quantity: 10 + (items.length % 90),
      });
    }
  }
  if (products < count) throw new Error(`only ${products} of ${count} five-SKU products found`);
  return items;
}

const BULK = `mutation Bulk($input: BulkUpdateInventoryInput!) {
  bulkUpdateInventory(input: $input) { updatedCount problemCount }
}`;

export async function runBulkWrite(context: ScenarioContext): Promise<BulkWriteResult> {
  const { stack, settings, log } = context;
  const gateway = await stack.gateway('gateway', 'budget');
  const problem = await schemaProblem(gateway);
  if (problem) {
    log(`  bulk      skipped: ${problem}`);
    return { status: 'skipped', reason: problem };
  }
  const admin = gateway.upstream?.admin;
  if (!admin) throw new Error('the gateway has no upstream');
  const items = await bulkItems(gateway, settings.bulkProducts);
  const products = new Set(items.map((item) => item.productId)).size;
  // Start from full buckets (gateway and emulator) with nothing else in flight.
  await admin.waitUntilQuiet(1_000, 30_000);
  await sleep(1_500);
  await admin.reset();
  const reply = await postGraphQL<{
    bulkUpdateInventory: { updatedCount: number; problemCount: number } | null;
  }>(gateway.graphqlUrl, { query: BULK, variables: { input: { items } } }, gateway.headers);
  await admin.waitUntilQuiet(300, 15_000);
  const upstream = summarize(await admin.requests());
  context.recordRss('5 bulk write', gateway);

  const seconds = reply.elapsedMs / 1000;
  const minimumCalls = products;
  const floorSeconds = minimumCalls / BUDGET_REQUESTS_PER_SECOND;
  const actualCallsFloorSeconds = upstream.total / BUDGET_REQUESTS_PER_SECOND;
  const payload = reply.data?.bulkUpdateInventory;
  const errors = reply.errors.map(
    (error) => `${String(error.extensions?.code ?? 'ERROR')}: ${error.message}`,
  );
  if (reply.status !== 200) errors.unshift(`HTTP ${reply.status}`);
  const result: BulkWriteResult = {
    status: 'ok',
    products,
    skus: items.length,
    budgetPerSecond: BUDGET_REQUESTS_PER_SECOND,
    seconds: round(seconds, 3),
    minimumCalls,
    floorSeconds: round(floorSeconds, 3),
    ratioToFloor: round(seconds / floorSeconds, 3),
    upstreamCalls: upstream.total,
    upstreamByEndpoint: upstream.byEndpoint,
    actualCallsFloorSeconds: round(actualCallsFloorSeconds, 3),
    ratioToActualCallsFloor:
      actualCallsFloorSeconds > 0 ? round(seconds / actualCallsFloorSeconds, 3) : Number.NaN,
    upstreamThrottled: upstream.throttled,
    updatedCount: payload?.updatedCount ?? 0,
    problemCount: payload?.problemCount ?? 0,
    errors,
  };
  log(
    `  bulk      ${result.skus} SKUs / ${products} products in ${result.seconds} s; floor ` +
      `${result.floorSeconds} s (${minimumCalls} updates ÷ ${BUDGET_REQUESTS_PER_SECOND}/s); ` +
      `${upstream.total} calls sent ${JSON.stringify(upstream.byEndpoint)}; 429s ` +
      `${upstream.throttled}; updated ${result.updatedCount}, problems ${result.problemCount}` +
      (errors.length > 0 ? `; errors: ${errors.join(' | ')}` : ''),
  );
  return result;
}
