// PERSISTED_OPERATIONS (issue 12), over real HTTP on a loopback port, with the manifest codegen
// writes from operations/ (operations/persisted-documents.json): each mode, each way of naming an
// operation (`documentId` as the client preset's `sha256:<hex>` or bare hex, in the body or the
// query string; Apollo's `extensions.persistedQuery.sha256Hash`), and every refusal with its code,
// HTTP 400 and no upstream call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import {
  persistedOperationId,
  readPersistedManifest,
} from '../../src/plugins/persisted-manifest.js';
import { ERROR_CODES } from '../../src/schema/errors.js';
import { loadSettings } from '../../src/settings.js';
import { OrdersDocument, ShopsDocument } from '../generated/graphql.js';
import { startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';
import { type LoopbackServer, send, serveOnLoopback } from '../helpers/http.js';

/** What the client preset put on the generated document: the manifest key. */
const hashOf = (document: unknown) => (document as { __meta__: { hash: string } }).__meta__.hash;
const SHOPS_ID = hashOf(ShopsDocument);
const SHOPS_HEX = SHOPS_ID.replace('sha256:', '');
const UNKNOWN_ID = `sha256:${'0'.repeat(64)}`;
const PLAIN = '{ orders(first: 1) { totalCount } }';

const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` };

let t: TestGateway;
let server: LoopbackServer;

async function serve(env: Record<string, string>) {
  t = await startTestGateway({ env: { CACHE_ENABLED: 'false', ...env } });
  server = await serveOnLoopback(t.gateway);
}
async function stop() {
  await server.close();
  await t.close();
}

const postBody = (body: Record<string, unknown>) =>
  send(server.port, {
    method: 'POST',
    path: '/graphql',
    headers: HEADERS,
    body: JSON.stringify(body),
  });
const getQuery = (query: string) =>
  send(server.port, {
    path: `/graphql?${query}`,
    headers: { authorization: HEADERS.authorization },
  });

/** The shop names of a Shops answer (the emulator's first seller has two). */
const shopNames = (reply: Awaited<ReturnType<typeof send>>) => {
  expect(reply.json.errors).toBeUndefined();
  expect(reply.status).toBe(200);
  return (reply.json.data.shops as Array<{ name: string }>).map((shop) => shop.name);
};

/** Sends, then checks the refusal: HTTP 400, one error with `code`, no data, no upstream call. */
const expectRefused = async (
  ask: () => Promise<Awaited<ReturnType<typeof send>>>,
  code: string,
  message: RegExp,
) => {
  t.resetCalls();
  const answer = await ask();
  expect(answer.status).toBe(400);
  expect(answer.json.data).toBeUndefined();
  expect(answer.json.errors).toHaveLength(1);
  expect(answer.json.errors[0].extensions.code).toBe(code);
  expect(Object.keys(ERROR_CODES)).toContain(code);
  expect(answer.json.errors[0].message).toMatch(message);
  expect(t.totalCalls()).toBe(0);
};

const expectNotFound = (body: Record<string, unknown>) =>
  expectRefused(() => postBody(body), 'PERSISTED_QUERY_NOT_FOUND', /not in the manifest/);

describe('PERSISTED_OPERATIONS=allow', () => {
  beforeAll(() => serve({ PERSISTED_OPERATIONS: 'allow' }));
  afterAll(stop);

  it('runs a manifest operation named every way', async () => {
    const expected = t.seller.shops.map((shop) => shop.name).sort();
    const answers = await Promise.all([
      postBody({ documentId: SHOPS_ID }),
      postBody({ documentId: SHOPS_HEX.toUpperCase() }),
      postBody({ extensions: { persistedQuery: { version: 1, sha256Hash: SHOPS_HEX } } }),
      getQuery(`documentId=${encodeURIComponent(SHOPS_ID)}`),
      getQuery(
        `extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: SHOPS_HEX } }))}`,
      ),
    ]);
    for (const answer of answers) expect(shopNames(answer).sort()).toEqual(expected);
  });

  it('runs the variables sent with an id', async () => {
    t.resetCalls();
    const reply = await postBody({ documentId: hashOf(OrdersDocument), variables: { first: 2 } });
    expect(reply.status).toBe(200);
    expect(reply.json.data.orders.edges).toHaveLength(2);
    expect(t.calls()['order.search']).toBe(1);
  });

  it('still runs a plain document', async () => {
    const reply = await postBody({ query: PLAIN });
    expect(reply.status).toBe(200);
    expect(reply.json.data.orders.totalCount).toBeGreaterThan(0);
  });

  it('refuses an id the manifest does not hold', async () => {
    await expectNotFound({ documentId: UNKNOWN_ID });
    await expectNotFound({
      extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    });
  });

  it('refuses a request naming nothing', async () => {
    await expectRefused(() => postBody({ variables: {} }), 'BAD_REQUEST', /persisted operation id/);
  });
});

describe('PERSISTED_OPERATIONS=require', () => {
  beforeAll(() => serve({ PERSISTED_OPERATIONS: 'require' }));
  afterAll(stop);

  it('runs a manifest operation', async () => {
    const reply = await postBody({ documentId: SHOPS_ID });
    expect(shopNames(reply)).toHaveLength(t.seller.shops.length);
  });

  it('refuses any document sent as text, even one in the manifest', async () => {
    const required = /Only persisted operations.*PERSISTED_OPERATIONS=require/;
    await expectRefused(() => postBody({ query: PLAIN }), 'PERSISTED_QUERY_REQUIRED', required);
    const manifestText = readPersistedManifest().get(SHOPS_ID);
    expect(manifestText).toMatch(/^query Shops /);
    await expectRefused(
      () => postBody({ query: manifestText }),
      'PERSISTED_QUERY_REQUIRED',
      required,
    );
    await expectRefused(
      () => getQuery(`query=${encodeURIComponent(PLAIN)}`),
      'PERSISTED_QUERY_REQUIRED',
      required,
    );
    await expectRefused(
      () => postBody({ query: '{ __schema { types { name } } }' }),
      'PERSISTED_QUERY_REQUIRED',
      required,
    );
  });

  it('refuses an id the manifest does not hold', async () => {
    await expectNotFound({ documentId: UNKNOWN_ID });
  });

  it('serves no GraphiQL by default', async () => {
    const reply = await send(server.port, { path: '/graphql', headers: { accept: 'text/html' } });
    expect(reply.text).not.toContain('GraphiQL');
    expect(reply.status).toBe(401);
  });
});

describe('PERSISTED_OPERATIONS=off (the default)', () => {
  beforeAll(() => serve({}));
  afterAll(stop);

  it('knows no ids, and runs plain documents', async () => {
    await expectRefused(
      () => postBody({ documentId: SHOPS_ID }),
      'BAD_REQUEST',
      /Unexpected parameter "documentId"/,
    );
    const reply = await postBody({ query: PLAIN });
    expect(reply.json.data.orders.totalCount).toBeGreaterThan(0);
  });
});

describe('PERSISTED_OPERATIONS_MANIFEST', () => {
  let dir: string;
  const frontendQuery = 'query FrontendShops { shops { id } }';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    const manifest = join(dir, 'frontend.json');
    writeFileSync(
      manifest,
      JSON.stringify({ [persistedOperationId(frontendQuery)]: frontendQuery }),
    );
    await serve({ PERSISTED_OPERATIONS: 'require', PERSISTED_OPERATIONS_MANIFEST: manifest });
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves a frontend's manifest instead of the built-in one", async () => {
    const reply = await postBody({ documentId: persistedOperationId(frontendQuery) });
    expect(reply.json.data.shops).toHaveLength(t.seller.shops.length);
    await expectNotFound({ documentId: SHOPS_ID });
  });
});

describe('a manifest that cannot be trusted stops the start', () => {
  let dir: string;
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'persisted-bad-'));
    emulator = await createEmulator({ port: 0, scale: 0.05 });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['missing', undefined, /missing\.json does not exist/],
    ['not JSON', 'nope', /cannot be read as JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['an edited entry', JSON.stringify({ [SHOPS_ID]: '{ shops { id } }' }), /whose key is not/],
  ])('%s', async (name, content, message) => {
    const path = join(dir, `${name}.json`);
    if (content !== undefined) writeFileSync(path, content);
    const start = startTestGateway({
      sharedEmulator: emulator,
      env: { PERSISTED_OPERATIONS: 'allow', PERSISTED_OPERATIONS_MANIFEST: path },
    });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(message);
    await expect(start).rejects.toThrow(
      /^Invalid configuration:\n {2}- PERSISTED_OPERATIONS_MANIFEST: /,
    );
  });
});

describe('settings', () => {
  const env = { TIKTOK_SHOP_APP_KEY: 'k', TIKTOK_SHOP_APP_SECRET: 's' };

  it('refuses an unknown mode by name', () => {
    expect(() => loadSettings({ ...env, PERSISTED_OPERATIONS: 'on' })).toThrow(
      /PERSISTED_OPERATIONS: must be one of off, allow, require/,
    );
  });

  it('refuses GraphiQL with require: it sends documents outside the manifest', () => {
    expect(() =>
      loadSettings({ ...env, PERSISTED_OPERATIONS: 'require', GRAPHIQL_ENABLED: 'true' }),
    ).toThrow(/GRAPHIQL_ENABLED: GraphiQL cannot run with PERSISTED_OPERATIONS=require/);
    const { clientAccess } = loadSettings({ ...env, PERSISTED_OPERATIONS: 'require' });
    expect(clientAccess.graphiql).toBe(false);
  });
});
