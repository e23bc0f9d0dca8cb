// Issue 12, item 5: spans, read from an InMemorySpanExporter handed to the app. One SERVER span per
// GraphQL request, a child of the caller's `traceparent`; one CLIENT span per upstream attempt under
// it, with endpoint, status, TikTok code and attempt; none per resolver. And with
// OTEL_EXPORTER_OTLP_ENDPOINT the spans reach an OTLP/HTTP collector (here one on loopback).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('spans', () => {
  const exporter = new InMemorySpanExporter();
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      spanExporter: exporter,
      env: { TIKTOK_SHOP_MAX_ATTEMPTS: '2', TIKTOK_SHOP_RETRY_BASE_MS: '1' },
    });
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    exporter.reset();
    t.resetCalls();
  });

  it('makes one span per operation and one per upstream attempt under it, none per resolver', async () => {
    dataOf(
      await t.executeText(
        `query Browse {
          products(first: 3) { edges { node { id title skus { id inventory { totalAvailableQuantity } } } } }
        }`,
        {},
        { headers: { 'x-request-id': 'req-traced' } },
      ),
    );
    const spans = exporter.getFinishedSpans();
    const [operation, ...others] = spans.filter((span) => span.kind === SpanKind.SERVER);
    expect(others).toEqual([]);
    expect(operation?.name).toBe('query Browse');
    expect(operation?.attributes).toMatchObject({
      'graphql.operation.name': 'Browse',
      'graphql.operation.type': 'query',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'gateway.request_id': 'req-traced',
      'gateway.caller': 'test',
      'gateway.outcome': 'success',
      'gateway.upstream_calls': t.totalCalls(),
      'gateway.shop_ids': [t.seller.shops[0]?.id],
    });
    expect(parentOf(operation as ReadableSpan)).toBeUndefined();

    const attempts = spans.filter((span) => span.kind === SpanKind.CLIENT);
    // Nothing but the operation and its attempts: no span per resolver.
    expect(spans).toHaveLength(1 + attempts.length);
    expect(attempts.length).toBe(t.totalCalls());
    const byEndpoint: Record<string, number> = {};
    for (const attempt of attempts) {
      expect(parentOf(attempt)).toBe(operation?.spanContext().spanId);
      expect(attempt.spanContext().traceId).toBe(operation?.spanContext().traceId);
      expect(attempt.attributes).toMatchObject({
        'http.response.status_code': 200,
        'tiktok.code': 0,
        'tiktok.attempt': 1,
        'tiktok.shop_id': t.seller.shops[0]?.id,
        'gateway.request_id': 'req-traced',
      });
      const endpoint = String(attempt.attributes['tiktok.endpoint']);
      expect(attempt.name).toBe(`tiktok ${endpoint}`);
      byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
    }
    expect(byEndpoint).toEqual(t.calls());
  });

  it("continues the caller's trace from a W3C traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    dataOf(
      await t.executeText(
        'query Continued { products(first: 1) { totalCount } }',
        {},
        { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
      ),
    );
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(operation?.spanContext().traceId).toBe(traceId);
    expect(parentOf(operation as ReadableSpan)).toBe(callerSpanId);
    expect(spans.every((span) => span.spanContext().traceId === traceId)).toBe(true);
  });

  it('starts a trace of its own when the traceparent is malformed', async () => {
    dataOf(
      await t.executeText(
        '{ products(first: 1) { totalCount } }',
        {},
        { headers: { traceparent: '00-not-a-trace-01' } },
      ),
    );
    const operation = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(operation?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parentOf(operation as ReadableSpan)).toBeUndefined();
  });

  it('marks a failed attempt and its retry, and the operation as an upstream error', async () => {
    t.emulator.setFaults({ errorRate: 1, pathPrefixes: ['/product'] });
    try {
      const { body } = await t.executeText('query Failing { products(first: 1) { totalCount } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    } finally {
      t.emulator.setFaults({});
    }
    const spans = exporter.getFinishedSpans();
    const attempts = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(attempts.map((span) => span.attributes['tiktok.attempt'])).toEqual([1, 2]);
    expect(attempts[1]?.attributes['http.request.resend_count']).toBe(1);
    for (const attempt of attempts) {
      expect(attempt.attributes).toMatchObject({
        'tiktok.endpoint': 'product.search',
        'http.response.status_code': 500,
        'tiktok.code': 36009003,
        'error.type': 'TikTokShopUpstreamError:server_error',
      });
      expect(attempt.status.code).toBe(SpanStatusCode.ERROR);
    }
    const operation = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(operation?.status.code).toBe(SpanStatusCode.ERROR);
    expect(operation?.attributes['gateway.error_codes']).toEqual(['UPSTREAM_ERROR']);
  });

  it('leaves a client mistake unmarked', async () => {
    const { body } = await t.executeText('{ product(id: "") { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const operation = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    expect(operation?.attributes['gateway.outcome']).toBe('client_error');
    expect(operation?.status.code).toBe(SpanStatusCode.UNSET);
  });
});

describe('OTLP export', () => {
  it('posts the spans to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces', async () => {
    const received: Array<{ path: string; type: string; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      const t = await startTestGateway({
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_SERVICE_NAME: 'gateway-under-test',
        },
      });
      dataOf(await t.executeText('query Exported { products(first: 1) { totalCount } }'));
      // Closing the app exports what the batch still holds.
      await t.close();
      expect(received.map((request) => request.path)).toContain('/v1/traces');
      const sent = received.map((request) => request.body).join('\n');
      expect(sent).toContain('query Exported');
      expect(sent).toContain('tiktok product.search');
      expect(sent).toContain('gateway-under-test');
    } finally {
      collector.closeAllConnections();
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});
