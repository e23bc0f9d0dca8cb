// One front door (issue 10), over real HTTP on a loopback port: GraphQL executes only at the
// configured path and only with a credential, whatever the path variant, query string or method;
// the body limit counts bytes read (chunked or with a lying Content-Length); documents nested too
// deep or too long are refused with a code; every request error Yoga raises carries a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, startTestGateway, TEST_API_KEY, type TestGateway } from '../helpers/gateway.js';
import { type LoopbackServer, send, sendRawBytes, serveOnLoopback } from '../helpers/http.js';

/** Costs one upstream call (order.search; not cached), so execution shows in the emulator log. */
const QUERY = '{ orders(first: 1) { totalCount } }';
const KEY = { authorization: `Bearer ${TEST_API_KEY}` };
const JSON_TYPE = { 'content-type': 'application/json' };

let t: TestGateway;
let server: LoopbackServer;
beforeAll(async () => {
  t = await startTestGateway({ env: { CACHE_ENABLED: 'false' } });
  server = await serveOnLoopback(t.gateway);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

const http = (spec: Parameters<typeof send>[1]) => send(server.port, spec);

/** `chunks` of 64 KiB that make one JSON body of about `bytes` bytes. */
function* paddedBody(bytes: number): Generator<string> {
  yield `{"query":"${QUERY}","variables":{"padding":"`;
  for (let sent = 0; sent < bytes; sent += 65_536) yield 'x'.repeat(65_536);
  yield '"}}';
}

describe('the GraphQL path', () => {
  const paths = [
    '/graphql',
    '/graphql?x',
    '/graphql/',
    '//graphql',
    '/x/graphql',
    '/healthz?a=/graphql',
  ];
  const request = (path: string, method: string, withKey: boolean) => {
    const headers = { ...JSON_TYPE, accept: 'application/json', ...(withKey ? KEY : {}) };
    if (method === 'POST') return { method, path, headers, body: JSON.stringify({ query: QUERY }) };
    const query = `query=${encodeURIComponent(QUERY)}`;
    return { method, path: `${path}${path.includes('?') ? '&' : '?'}${query}`, headers };
  };

  it.each(
    paths.flatMap((path) =>
      ['GET', 'POST', 'OPTIONS'].flatMap((method) =>
        [true, false].map((withKey) => [path, method, withKey] as const),
      ),
    ),
  )('%s %s (key: %s) executes only at /graphql with a key', async (path, method, withKey) => {
    t.resetCalls();
    const reply = await http(request(path, method, withKey));
    const isGraphQLPath = new URL(path, 'http://x').pathname === '/graphql';
    if (method === 'OPTIONS') {
      // A CORS preflight: answered before anything else, with nothing run.
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');
    } else if (isGraphQLPath && withKey) {
      expect(reply.status).toBe(200);
      expect(reply.json.data.orders.totalCount).toEqual(expect.any(Number));
    } else if (isGraphQLPath) {
      expect(reply.status).toBe(401);
      expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    } else if (path === '/healthz?a=/graphql' && method === 'GET') {
      // The health check, by its pathname; no body.
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('');
    } else {
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({
        errors: [
          {
            message: 'Not found: GraphQL is served at /graphql',
            extensions: { code: 'NOT_FOUND' },
          },
        ],
      });
    }
    expect(t.totalCalls()).toBe(isGraphQLPath && withKey && method !== 'OPTIONS' ? 1 : 0);
  });

  it('serves GraphiQL at /graphql only', async () => {
    const page = (path: string) => http({ path, headers: { accept: 'text/html' } });
    expect((await page('/graphql')).text).toContain('GraphiQL');
    for (const path of ['/graphql/', '//graphql', '/x/graphql']) {
      expect((await page(path)).status).toBe(404);
    }
  });

  it('needs a key for every method that reaches GraphQL', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'HEAD']) {
      const body = method === 'PUT' || method === 'PATCH' ? '{}' : undefined;
      const reply = await http({ method, path: '/graphql', headers: JSON_TYPE, body });
      expect(reply.status, method).toBe(401);
    }
  });
});

describe('the body limit (GRAPHQL_MAX_BODY_BYTES, 1 MB)', () => {
  it('answers 413 to a chunked 10 MB body after reading about 1 MB, and stays up', async () => {
    t.resetCalls();
    const reply = await http({
      method: 'POST',
      path: '/graphql',
      headers: { ...JSON_TYPE, ...KEY, accept: 'application/json' },
      chunks: paddedBody(10_000_000),
    });
    expect(reply.status).toBe(413);
    expect(reply.json.errors).toEqual([
      {
        message: 'Request body is larger than 1000000 bytes.',
        extensions: { code: 'BAD_USER_INPUT', limit: 'maxBodyBytes' },
      },
    ]);
    expect(t.totalCalls()).toBe(0);
    const after = await http({
      method: 'POST',
      path: '/graphql',
      headers: { ...JSON_TYPE, ...KEY },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(after.status).toBe(200);
  });

  it('answers 401 to a chunked 10 MB body without a key', async () => {
    const reply = await http({
      method: 'POST',
      path: '/graphql',
      headers: JSON_TYPE,
      chunks: paddedBody(10_000_000),
    });
    expect(reply.status).toBe(401);
  });

  it('refuses a declared Content-Length over the limit unread', async () => {
    const head =
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${TEST_API_KEY}\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n`;
    const answer = await sendRawBytes(server.port, `${head}{"query":"${QUERY}"}`, {
      endAfterWrite: true,
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('reads no more than a Content-Length smaller than the body: the rest is not a body', async () => {
    t.resetCalls();
    const body = `{"query":"${QUERY}","variables":{"padding":"${'x'.repeat(2_000_000)}"}}`;
    const head =
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${TEST_API_KEY}\r\nContent-Length: 10\r\n\r\n`;
    const answer = await sendRawBytes(server.port, `${head}${body}`);
    // The 10 bytes are not JSON, and the bytes after them no HTTP request: 400, closed.
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(t.totalCalls()).toBe(0);
  });

  it('runs nothing when a Content-Length larger than the body never arrives', async () => {
    t.resetCalls();
    const body = JSON.stringify({ query: QUERY });
    const head =
      'POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${TEST_API_KEY}\r\nContent-Length: ${body.length + 100}\r\n\r\n`;
    const answer = await sendRawBytes(server.port, `${head}${body}`, { endAfterWrite: true });
    expect(answer).not.toMatch(/^HTTP\/1\.1 2/);
    expect(t.totalCalls()).toBe(0);
    expect((await http({ path: '/healthz' })).status).toBe(200);
  });
});

describe('documents too deep or too long', () => {
  const post = (query: string, variables?: Json) =>
    http({
      method: 'POST',
      path: '/graphql',
      // application/json: GraphQL over HTTP would allow 200 here; a refusal is 400 all the same.
      headers: { ...JSON_TYPE, ...KEY, accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });

  it.each([
    ['selections', `${'{ a '.repeat(2_000)}${'}'.repeat(2_000)}`],
    ['list values', `{ orders(first: ${'['.repeat(2_000)}1${']'.repeat(2_000)}) { totalCount } }`],
    ['list types', `query($a: ${'['.repeat(2_000)}Int${']'.repeat(2_000)}) { shops { id } }`],
    [
      'object values',
      `{ orders(filter: ${'{ a: '.repeat(2_000)}1${' }'.repeat(2_000)}) { totalCount } }`,
    ],
  ])(
    'refuses 2,000 levels of nested %s before parsing: 400 BAD_USER_INPUT',
    async (_kind, query) => {
      t.resetCalls();
      const reply = await post(query);
      expect(reply.status).toBe(400);
      expect(reply.json.errors).toEqual([
        {
          message: 'Query nesting limit of 32 exceeded.',
          extensions: { code: 'BAD_USER_INPUT', limit: 'maxDepth' },
        },
      ]);
      expect(t.totalCalls()).toBe(0);
    },
  );

  it('refuses 200,000 tokens: 400 BAD_USER_INPUT naming maxTokens', async () => {
    const reply = await post(`{ shops { ${'id '.repeat(200_000)} } }`);
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'maxTokens' });
  });

  it('refuses a chain of fragments as long as the token limit allows, without a 500', async () => {
    const length = 500;
    const fragments = Array.from(
      { length },
      (_, index) =>
        `fragment F${index} on Query { ${index + 1 < length ? `...F${index + 1}` : 'shops { id }'} }`,
    );
    const reply = await post(`{ ...F0 } ${fragments.join(' ')}`);
    expect(reply.status).toBe(400);
    expect(reply.json.errors).toContainEqual({
      message: expect.stringMatching(/^Query depth limit of 10 exceeded/),
      extensions: { code: 'BAD_USER_INPUT', limit: 'maxDepth' },
    });
  });
});

describe('request errors carry extensions.code', () => {
  const post = (body: string, headers: Record<string, string> = JSON_TYPE) =>
    http({
      method: 'POST',
      path: '/graphql',
      headers: { accept: 'application/json', ...KEY, ...headers },
      body,
    });
  const get = (query: string) =>
    http({ path: `/graphql?${query}`, headers: { accept: 'application/json', ...KEY } });

  it.each([
    ['an empty body', () => post(''), 400, 'BAD_REQUEST'],
    ['a body that is not JSON', () => post('{"query":'), 400, 'BAD_REQUEST'],
    ['a JSON number', () => post('42'), 400, 'BAD_REQUEST'],
    ['a JSON object without a query', () => post('{}'), 400, 'BAD_REQUEST'],
    ['a query that is not a string', () => post('{"query":1}'), 400, 'BAD_REQUEST'],
    ['an unexpected parameter', () => post(`{"query":"${QUERY}","x":1}`), 400, 'BAD_REQUEST'],
    [
      'variables that are not an object',
      () => post(`{"query":"${QUERY}","variables":"x"}`),
      400,
      'BAD_REQUEST',
    ],
    ['a batch (batching is off)', () => post(`[{"query":"${QUERY}"}]`), 400, 'BAD_REQUEST'],
    ['text/plain', () => post(QUERY, { 'content-type': 'text/plain' }), 415, 'BAD_REQUEST'],
    ['no Content-Type', () => post(`{"query":"${QUERY}"}`, {}), 415, 'BAD_REQUEST'],
    ['GET without a query', () => get(''), 400, 'BAD_REQUEST'],
    [
      'a mutation over GET',
      () => get(`query=${encodeURIComponent('mutation { __typename }')}`),
      405,
      'BAD_REQUEST',
    ],
    [
      'PUT',
      () =>
        http({ method: 'PUT', path: '/graphql', headers: { ...JSON_TYPE, ...KEY }, body: '{}' }),
      405,
      'BAD_REQUEST',
    ],
    ['a syntax error', () => post('{"query":"{ shops { id "}'), 200, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', () => post('{"query":"{ nope }"}'), 200, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a variable of the wrong type',
      () =>
        post(
          JSON.stringify({
            query: 'query($n: Int!) { orders(first: $n) { totalCount } }',
            variables: { n: 'x' },
          }),
        ),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a missing variable',
      () => post(JSON.stringify({ query: 'query($n: Int!) { orders(first: $n) { totalCount } }' })),
      400,
      'BAD_USER_INPUT',
    ],
    [
      'an unknown operationName',
      () => post(JSON.stringify({ query: `query A ${QUERY}`, operationName: 'B' })),
      400,
      'OPERATION_RESOLUTION_FAILURE',
    ],
  ] as const)('%s → %i %s, nothing run', async (_name, ask, status, code) => {
    t.resetCalls();
    const reply = await ask();
    expect(reply.status).toBe(status);
    expect(reply.json.data ?? undefined).toBeUndefined();
    expect(reply.json.errors.length).toBeGreaterThan(0);
    for (const error of reply.json.errors) expect(error.extensions.code).toBe(code);
    expect(t.totalCalls()).toBe(0);
  });

  it('answers JSON to an Accept header it cannot serve (the query ran: no 406 after the fact)', async () => {
    const reply = await post(`{"query":"${QUERY}"}`, { ...JSON_TYPE, accept: 'image/png' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/json');
    expect(reply.json.data.orders.totalCount).toEqual(expect.any(Number));
  });

  it('answers parse and validation errors with 400 to application/graphql-response+json', async () => {
    const reply = await post('{"query":"{ nope }"}', {
      ...JSON_TYPE,
      accept: 'application/graphql-response+json',
    });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
