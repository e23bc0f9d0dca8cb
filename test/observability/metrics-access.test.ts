// Issue 12, item 4: who may read /metrics. Open without METRICS_TOKEN; with it, only
// `Authorization: Bearer <token>` (401 otherwise); with METRICS_PORT, only on that port (over real
// loopback HTTP) and no longer on the main one; METRICS_ENABLED=false serves none.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { loadSettings } from '../../src/settings.js';
import { dataOf, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('access to /metrics', () => {
  let t: TestGateway | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const metricsOf = (gateway: TestGateway, headers: Record<string, string> = {}) =>
    gateway.gateway.fetch('http://127.0.0.1/metrics', { headers });

  it('is open when METRICS_TOKEN is unset', async () => {
    t = await startTestGateway();
    const response = await metricsOf(t);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toContain('# TYPE tiktok_upstream_requests_total counter');
  });

  it('needs the bearer token when METRICS_TOKEN is set: 401 without it or with another', async () => {
    t = await startTestGateway({ env: { METRICS_TOKEN } });
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer metrics-token-0123456789abcdeX' },
      { authorization: `Basic ${METRICS_TOKEN}` },
      { authorization: `Bearer ${METRICS_TOKEN} extra` },
      { 'x-api-key': METRICS_TOKEN },
    ];
    for (const headers of refused) {
      const response = await metricsOf(t, headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await response.text();
      expect(JSON.parse(body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body).not.toContain(METRICS_TOKEN);
    }
    const allowed = await metricsOf(t, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('tiktok_upstream_requests_total');
  });

  it('is served on METRICS_PORT only, over real HTTP, when that is set', async () => {
    t = await startTestGateway({ env: { METRICS_PORT: '0', METRICS_TOKEN } });
    dataOf(await t.executeText('{ products(first: 1) { totalCount } }'));
    const main = await metricsOf(t, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(main.status).toBe(404);
    const url = await t.observability.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await t.observability.listen()).toBe(url);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const allowed = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(
      /tiktok_upstream_requests_total\{endpoint="product.search"/,
    );
    expect((await fetch(`${url}/graphql`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('is not served when METRICS_ENABLED is false; queries still answer', async () => {
    t = await startTestGateway({ env: { METRICS_ENABLED: 'false', METRICS_PORT: '0' } });
    expect((await metricsOf(t)).status).toBe(404);
    expect(await t.observability.listen()).toBeUndefined();
    dataOf(await t.executeText('{ products(first: 1) { totalCount } }'));
  });
});

describe('metrics settings', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadSettings(env);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems;
    }
  };

  it('refuses a short METRICS_TOKEN, a METRICS_PORT equal to PORT, a bad OTLP endpoint', () => {
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([
      'METRICS_TOKEN: must be at least 16 characters',
    ]);
    expect(problemsOf({ METRICS_PORT: '4000' })).toEqual([
      'METRICS_PORT: must differ from PORT (unset it to serve /metrics on PORT)',
    ]);
    expect(problemsOf({ PORT: '5000', METRICS_PORT: '5000' })).toHaveLength(1);
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual(['METRICS_PORT: must be at most 65535']);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an absolute http(s) URL',
    ]);
  });

  it('defaults: metrics on, open, on the main port; no tracing', () => {
    expect(loadSettings({}).observability).toEqual({
      metricsEnabled: true,
      metricsToken: undefined,
      metricsPort: undefined,
      otlpEndpoint: undefined,
      serviceName: 'tiktok-shop-gateway',
    });
    expect(
      loadSettings({ METRICS_PORT: '9464', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })
        .observability,
    ).toMatchObject({ metricsPort: 9464, otlpEndpoint: 'http://127.0.0.1:4318' });
  });
});
