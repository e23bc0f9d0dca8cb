// GET /readyz (issue 12): 200 only when every check passes, 503 naming the failing one otherwise;
// against the emulator and real Redis (the shared server, a closed port, a private server stopped
// and started again).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileTokenStore } from '../src/auth/file-token-store.js';
import { createMemoryTokenStore, type TokenStore } from '../src/auth/token-store.js';
import type { ReadinessReport } from '../src/readiness.js';
import { closedPort } from './cli/run-cli.js';
import { type Json, startTestGateway, type TestGateway } from './helpers/gateway.js';
import { SHARED_REDIS_URL, startPrivateRedis, uniquePrefix } from './redis/helpers/redis.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options?: Parameters<typeof startTestGateway>[0]): Promise<TestGateway> {
  const t = await startTestGateway(options);
  cleanups.push(() => t.close());
  return t;
}

interface Probe {
  status: number;
  text: string;
  report: ReadinessReport;
}

/** GET /readyz with no credential, as a load balancer sends it. */
async function probe(t: TestGateway): Promise<Probe> {
  const response = await t.gateway.fetch('http://127.0.0.1/readyz');
  const text = await response.text();
  return { status: response.status, text, report: JSON.parse(text) as ReadinessReport };
}

/** Probes until `isDone` holds (past the answer cache), at most `timeoutMs`. */
async function probeUntil(
  t: TestGateway,
  isDone: (probe: Probe) => boolean,
  timeoutMs = 10_000,
): Promise<Probe> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe(t);
    if (isDone(answer) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The names of the checks that failed. */
const failing = (report: ReadinessReport) =>
  Object.entries(report.checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);

describe('/readyz', () => {
  it("shows TikTok's authorisation webhooks as counts: an expiry soon warns, a deauthorised seller is not authorised", async () => {
    const t = await start();
    const inTenDays = Math.floor(Date.now() / 1000) + 10 * 86_400;
    await t.store.noteAuthorization(t.seller.openId, { expiresAt: inTenDays });
    const expiring = await probe(t);
    expect(expiring.status).toBe(200);
    expect(expiring.report.checks.authorizations).toEqual({
      ok: true,
      deauthorized: 0,
      expiringSoon: 1,
      nextExpiryAt: new Date(inTenDays * 1000).toISOString(),
    });
    expect(expiring.text).not.toContain(t.seller.openId);

    await t.store.noteAuthorization(t.seller.openId, { deauthorizedAt: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // past the 1 s answer cache
    const gone = await probe(t);
    expect(gone.status).toBe(503);
    expect(failing(gone.report)).toEqual(['sellers']);
    expect(gone.report.checks.sellers).toEqual({ ok: false, stored: 1, authorised: 0 });
    expect(gone.report.checks.authorizations).toMatchObject({ deauthorized: 1, expiringSoon: 0 });
  });

  it('answers 200 ready with every check named, no credential needed, nothing secret', async () => {
    const t = await start();
    const { status, text, report } = await probe(t);
    expect(status).toBe(200);
    expect(report).toEqual({
      status: 'ready',
      checks: {
        draining: { ok: true },
        tokenStore: { ok: true },
        redis: { ok: true, configured: false },
        sellers: { ok: true, stored: 1, authorised: 1 },
        upstream: { ok: true, shops: t.seller.shops.length, down: 0 },
        authorizations: { ok: true, deauthorized: 0, expiringSoon: 0, nextExpiryAt: null },
      },
    });
    expect(text).not.toContain(t.accessToken);
    for (const shop of t.seller.shops) expect(text).not.toContain(shop.id);
    // /healthz stays the liveness answer: the process answers.
    expect((await t.gateway.fetch('http://127.0.0.1/healthz')).status).toBe(200);
  });

  it('answers 503 draining once the drain has begun', async () => {
    const t = await start();
    expect((await probe(t)).status).toBe(200);
    t.app.drain.begin();
    const { status, report } = await probe(t);
    expect(status).toBe(503);
    expect(report.status).toBe('not ready');
    expect(failing(report)).toEqual(['draining']);
    expect(t.app.drain.signal.aborted).toBe(true);
  });

  it('answers 503 when no seller is stored, or none has a usable token', async () => {
    const t = await start({ withoutSeller: true });
    const empty = await probe(t);
    expect(empty.status).toBe(503);
    expect(failing(empty.report)).toEqual(['sellers']);
    expect(empty.report.checks.sellers).toEqual({ ok: false, stored: 0, authorised: 0 });

    const expired = await start({ withoutSeller: true });
    const pastSeconds = Math.floor(Date.now() / 1000) - 60;
    await expired.store.saveSeller({
      openId: expired.seller.openId,
      source: 'oauth',
      name: expired.seller.name,
      baseRegion: 'US',
      userType: 0,
      grantedScopes: [],
      tokens: {
        accessToken: 'expired-access-token',
        accessTokenExpiresAt: pastSeconds,
        refreshToken: 'expired-refresh-token',
        refreshTokenExpiresAt: pastSeconds,
      },
      shops: [],
    });
    const { status, report } = await probe(expired);
    expect(status).toBe(503);
    expect(report.checks.sellers).toEqual({ ok: false, stored: 1, authorised: 0 });
  });

  it('answers 503 naming the token store when it cannot be read', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'readiness-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'tokens.json');
    const store = createFileTokenStore({ path, encryptionKey: randomBytes(32) });
    const t = await start({ store });
    expect((await probe(t)).status).toBe(200);
    // Altered on disk (or the wrong TOKEN_ENCRYPTION_KEY): it no longer decrypts.
    await writeFile(path, 'not the token file\n');
    const { status, text, report } = await probeUntil(t, (answer) => answer.status === 503);
    expect(status).toBe(503);
    expect(report.checks.tokenStore).toEqual({ ok: false, error: 'TokenStoreCorruptError' });
    expect(failing(report)).toEqual(['tokenStore', 'sellers', 'upstream']);
    expect(text).not.toContain(directory);
  });

  it('reuses one check for the probes of a moment: the store is not read per probe', async () => {
    const memory = createMemoryTokenStore();
    let loads = 0;
    const store: TokenStore = {
      ...memory,
      load: () => {
        loads += 1;
        return memory.load();
      },
    };
    const t = await start({ store });
    loads = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => probe(t)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    for (let i = 0; i < 20; i += 1) expect((await probe(t)).status).toBe(200);
    // 40 probes; without the cache and the shared check that would be 40 reads.
    expect(loads).toBeLessThanOrEqual(2);
  });

  it('answers 503 once TikTok is known to be down for every shop, not for only one', async () => {
    const t = await start({ env: { TIKTOK_SHOP_BREAKER_FAILURES: '1' } });
    // From now on every call to the API host fails with a 500; one failure opens a shop's circuit.
    t.emulator.setFaults({ errorRate: 1 });
    const [first, second] = t.seller.shops;
    if (!first || !second) throw new Error('The emulator seller needs two shops.');
    const productsOf = (shopId: string) =>
      t.executeText('query ($shopId: ID) { products(first: 1, shopId: $shopId) { totalCount } }', {
        shopId,
      });
    const ofFirst = await productsOf(first.id);
    expect(ofFirst.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    const one = await probe(t);
    expect(one.status).toBe(200);
    expect(one.report.checks.upstream).toEqual({ ok: true, shops: 2, down: 1 });

    await productsOf(second.id);
    const every = await probeUntil(t, (answer) => answer.status === 503);
    expect(every.status).toBe(503);
    expect(failing(every.report)).toEqual(['upstream']);
    expect(every.report.checks.upstream).toEqual({ ok: false, shops: 2, down: 2 });
    expect(every.text).not.toContain(t.config.credentials?.appKey ?? 'no app key');
  });

  describe('with Redis', () => {
    it('is ready when Redis answers (the shared server)', async () => {
      const t = await start({
        env: { REDIS_URL: SHARED_REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix('readiness') },
      });
      const { status, report } = await probe(t);
      expect(status).toBe(200);
      expect(report.checks.redis).toEqual({ ok: true, configured: true });
    });

    it('answers 503 naming Redis when REDIS_URL points at a closed port', async () => {
      const port = await closedPort();
      const t = await start({
        env: {
          REDIS_URL: `redis://:secret-password@127.0.0.1:${port}`,
          REDIS_CONNECT_TIMEOUT_MS: '200',
        },
      });
      const { status, text, report } = await probe(t);
      expect(status).toBe(503);
      expect(failing(report)).toEqual(['redis']);
      expect(report.checks.redis).toMatchObject({ ok: false, configured: true });
      expect((report.checks.redis as Json).error).toMatch(/^connection (connecting|reconnecting)$/);
      expect(text).not.toContain('secret-password');
      expect(text).not.toContain(String(port));
    });

    it('turns not ready while Redis is down and ready again once it is back', async () => {
      const redis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      const t = await start({
        env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix('readiness-outage') },
      });
      expect((await probe(t)).status).toBe(200);
      await redis.stop();
      const down = await probeUntil(t, (answer) => answer.status === 503);
      expect(failing(down.report)).toEqual(['redis']);
      await redis.start();
      const back = await probeUntil(t, (answer) => answer.status === 200);
      expect(back.report.status).toBe('ready');
    });
  });
});
