// Admin routes under /__emulator/: unsigned, unlogged, JSON in and out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, IssuedTokens, RequestLogEntry } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';

describe('admin routes', () => {
  let emulator: EmulatorHandle;
  let token: string;

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const shops = () => call(emulator, { path: '/authorization/202309/shops', accessToken: token });

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
  });
  beforeEach(async () => {
    await admin('PUT', 'faults', {});
    await admin('POST', 'reset');
  });
  afterAll(() => emulator.close());

  it('GET sellers lists the sellers and their shops', async () => {
    const result = await admin('GET', 'sellers');
    expect(result.status).toBe(200);
    expect(result.body.sellers).toEqual(emulator.sellers);
  });

  it('POST tokens issues usable tokens; bad input is a 400', async () => {
    const seller = emulator.sellers[0]!;
    const result = await admin('POST', 'tokens', {
      openId: seller.openId,
      scopes: ['seller.authorization.info'],
    });
    expect(result.status).toBe(200);
    const issued = result.body as unknown as IssuedTokens;
    expect(issued.grantedScopes).toEqual(['seller.authorization.info']);
    expect(issued.accessToken).toMatch(/^TTP_/);
    token = issued.accessToken;
    expect((await shops()).body.code).toBe(0);

    expect((await admin('POST', 'tokens', { openId: 'nobody' })).status).toBe(400);
    expect((await admin('POST', 'tokens', { openId: seller.openId, scopes: ['x'] })).status).toBe(
      400,
    );
    expect(
      (await admin('POST', 'tokens', { openId: seller.openId, accessTokenTtlSeconds: 0 })).status,
    ).toBe(400);
    expect((await admin('POST', 'tokens', 'not json')).status).toBe(400);
  });

  it('GET/PUT faults reads and replaces the fault config; invalid configs are a 400', async () => {
    const config = { errorStatus: 502, script: [{ kind: 'error', count: 1 }] };
    expect((await admin('PUT', 'faults', config)).body).toEqual({ faults: config });
    expect((await admin('GET', 'faults')).body).toEqual({ faults: config });
    expect((await shops()).status).toBe(502);
    expect((await admin('GET', 'faults')).body).toEqual({
      faults: { errorStatus: 502, script: [] },
    });

    const bad = await admin('PUT', 'faults', { errorRate: 3 });
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toContain('errorRate');
    expect((await admin('PUT', 'faults', [])).status).toBe(400);
  });

  it('GET requests and counters report API traffic only; reset clears them', async () => {
    await shops();
    await shops();
    const requests = (await admin('GET', 'requests')).body.requests as RequestLogEntry[];
    expect(requests.map((entry) => entry.endpoint)).toEqual([
      'authorization.shops',
      'authorization.shops',
    ]);
    expect((await admin('GET', 'counters')).body).toEqual({
      counters: { 'authorization.shops': 2 },
    });

    const since = requests[0]!.at;
    const later = (await admin('GET', `requests?since=${since}`)).body
      .requests as RequestLogEntry[];
    expect(later).toEqual([requests[1]]);
    expect((await admin('GET', 'requests?since=soon')).status).toBe(400);

    expect((await admin('POST', 'reset')).status).toBe(200);
    expect((await admin('GET', 'requests')).body).toEqual({ requests: [] });
    expect((await admin('GET', 'counters')).body).toEqual({ counters: {} });
    expect(emulator.requests()).toEqual([]);
  });

  it('unknown admin routes are 404, wrong methods 405', async () => {
    expect((await admin('GET', 'nothing')).status).toBe(404);
    expect((await admin('DELETE', 'faults')).status).toBe(405);
    expect((await admin('GET', 'reset')).status).toBe(405);
    // Patterned routes: a parameter takes one non-empty segment.
    const patched = await admin('GET', 'products/1');
    expect(patched.status).toBe(405);
    expect(patched.body.error).toContain('PATCH');
    expect((await admin('PATCH', 'products')).status).toBe(404);
    expect((await admin('PATCH', 'products/1/x')).status).toBe(404);
  });
});
