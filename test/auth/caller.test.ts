import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCallerResolver,
  createDevelopmentKey,
  DEFAULT_JWT_MAX_LIFETIME_S,
  hashApiKey,
  parseApiKeys,
  readApiKeys,
  requireScope,
  scopeGrants,
} from '../../src/auth/caller.js';
import { ForbiddenError, UnauthenticatedError } from '../../src/auth/errors.js';
import { GATEWAY_SCOPES } from '../../src/auth/scopes.js';
import { ConfigError } from '../../src/config.js';

const DASHBOARD_KEY = 'k_dashboard_0123456789abcdef';
const OPS_KEY = 'k_ops_0123456789abcdef0123';
const HASHED_KEY = 'k_hashed_0123456789abcdef01';
const JWT_SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

function request(headers: Record<string, string>): Request {
  return new Request('http://gateway.test/graphql', { method: 'POST', headers });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function resolverWith(env: { keys?: string; jwt?: boolean; now?: number } = {}) {
  return createCallerResolver({
    apiKeys: parseApiKeys(
      env.keys ??
        `dashboard:${DASHBOARD_KEY}:product.read+order.read,ops:${OPS_KEY}:*,` +
          `audit:${hashApiKey(HASHED_KEY)}:analytics.read`,
    ),
    jwt: env.jwt === false ? undefined : { secret: new TextEncoder().encode(JWT_SECRET) },
    now: () => env.now ?? NOW_MS,
  });
}

function signHs256(
  claims: Record<string, unknown>,
  options: { secret?: string; expiresAt?: number; issuer?: string; audience?: string } = {},
) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('reporting-service')
    .setIssuedAt(Math.floor(NOW_MS / 1000) - 60)
    .setExpirationTime(options.expiresAt ?? Math.floor(NOW_MS / 1000) + 600);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

describe('GATEWAY_API_KEYS parsing', () => {
  it('reads plain, sha256: and * entries into hashed keys with scopes', () => {
    const entries = parseApiKeys(
      ` dashboard:${DASHBOARD_KEY}:product.read+order.read , ops:${OPS_KEY}:*,` +
        `audit:${hashApiKey(HASHED_KEY)}:analytics.read,`,
    );
    expect(entries.map((entry) => entry.name)).toEqual(['dashboard', 'ops', 'audit']);
    expect([...(entries[0]?.scopes ?? [])]).toEqual(['product.read', 'order.read']);
    expect([...(entries[1]?.scopes ?? [])]).toEqual([...GATEWAY_SCOPES]);
    expect(entries[2]?.keyHash.toString('hex')).toBe(
      createHash('sha256').update(HASHED_KEY).digest('hex'),
    );
    // Only hashes are kept.
    expect(JSON.stringify(entries)).not.toContain(DASHBOARD_KEY);
  });

  it('reports every malformed entry by index and name without echoing keys', () => {
    const shortKey = 'short1';
    const value = [
      `good:${DASHBOARD_KEY}:product.read`,
      `tiny:${shortKey}:product.read`,
      `noscope:${OPS_KEY}:`,
      `typo:${HASHED_KEY}:product.raed`,
      'justaname',
      'hashy:sha256:abc123:product.read',
      `good:${OPS_KEY}x:order.read`,
      `dup:${DASHBOARD_KEY}:order.read`,
      `mixed:${OPS_KEY}yy:*+order.read`,
    ].join(',');
    const { entries, problems } = readApiKeys(value);
    expect(entries).toEqual([]);
    expect(problems).toEqual([
      expect.stringMatching(/^GATEWAY_API_KEYS: entry 2 \(tiny\): key must be at least 16/),
      'GATEWAY_API_KEYS: entry 3 (noscope): no scopes given (use * for all)',
      expect.stringMatching(/^GATEWAY_API_KEYS: entry 4 \(typo\): unknown scope "product\.raed"/),
      'GATEWAY_API_KEYS: entry 5 (justaname): expected name:key:scopes[:shops] (or name:sha256:<hex>:scopes[:shops])',
      'GATEWAY_API_KEYS: entry 6 (hashy): a sha256: key must be 64 hex characters',
      'GATEWAY_API_KEYS: entry 7 (good): name is used by an earlier entry',
      'GATEWAY_API_KEYS: entry 8 (dup): same key as entry 1 (good)',
      'GATEWAY_API_KEYS: entry 9 (mixed): * must stand alone',
    ]);
    const text = problems.join('\n');
    for (const secret of [shortKey, DASHBOARD_KEY, OPS_KEY, HASHED_KEY]) {
      expect(text).not.toContain(secret);
    }
    expect(() => parseApiKeys(value)).toThrow(ConfigError);
  });

  it('reads an optional fourth part: shop ids joined by +, * or nothing for every shop', () => {
    const entries = parseApiKeys(
      `agency-a:${DASHBOARD_KEY}:*:7400000000000000001+7400000000000000002,` +
        `everything:${OPS_KEY}:order.read:*,old:${OPS_KEY}xx:order.read,` +
        `hashed:${hashApiKey(HASHED_KEY)}:*:7400000000000000003`,
    );
    expect(entries.map((entry) => [entry.name, entry.shops])).toEqual([
      ['agency-a', new Set(['7400000000000000001', '7400000000000000002'])],
      ['everything', '*'],
      ['old', '*'],
      ['hashed', new Set(['7400000000000000003'])],
    ]);
    expect([...(entries[0]?.scopes ?? [])]).toEqual([...GATEWAY_SCOPES]);
  });

  it('reports a malformed shops part by entry name, never echoing the key or the shops', () => {
    const { entries, problems } = readApiKeys(
      [
        `empty:${DASHBOARD_KEY}:*:`,
        `letters:${OPS_KEY}:*:shop-one`,
        `mixed:${HASHED_KEY}:*:*+7400000000000000001`,
        `hashy:${hashApiKey('another-key-0123456789')}:*:7400000000000000001:extra`,
      ].join(','),
    );
    expect(entries).toEqual([]);
    expect(problems).toEqual([
      'GATEWAY_API_KEYS: entry 1 (empty): no shops given (use * for all)',
      'GATEWAY_API_KEYS: entry 2 (letters): shops must be shop ids (decimal digits) or * alone, joined by +',
      'GATEWAY_API_KEYS: entry 3 (mixed): shops must be shop ids (decimal digits) or * alone, joined by +',
      'GATEWAY_API_KEYS: entry 4 (hashy): expected name:key:scopes[:shops] (or name:sha256:<hex>:scopes[:shops])',
    ]);
    const text = problems.join('\n');
    for (const secret of [DASHBOARD_KEY, OPS_KEY, HASHED_KEY, 'shop-one']) {
      expect(text).not.toContain(secret);
    }
  });

  it('treats an empty variable as no keys', () => {
    expect(parseApiKeys(undefined)).toEqual([]);
    expect(parseApiKeys('  ')).toEqual([]);
  });
});

describe('createCallerResolver: API keys', () => {
  it('returns null when the request carries no credentials', async () => {
    expect(await resolverWith()(request({}))).toBeNull();
  });

  it('accepts a key as Bearer or x-api-key, plain or configured as sha256:', async () => {
    const resolve = resolverWith();
    const viaBearer = await resolve(request({ authorization: `Bearer ${DASHBOARD_KEY}` }));
    expect(viaBearer).toEqual({
      name: 'dashboard',
      kind: 'api_key',
      scopes: new Set(['product.read', 'order.read']),
      shops: '*',
    });
    const viaHeader = await resolve(request({ 'x-api-key': OPS_KEY }));
    expect(viaHeader?.name).toBe('ops');
    expect(viaHeader?.scopes.has('oauth.manage')).toBe(true);
    const hashed = await resolve(request({ authorization: `bearer  ${HASHED_KEY}` }));
    expect(hashed?.name).toBe('audit');
    expect([...(hashed?.scopes ?? [])]).toEqual(['analytics.read']);
  });

  it('refuses unknown keys, other schemes and doubled credentials without echoing them', async () => {
    const resolve = resolverWith();
    const unknownKey = 'k_not_configured_0123456789';
    const error = await rejection(resolve(request({ 'x-api-key': unknownKey })));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe('Unknown API key');
    expect(error.message).not.toContain(unknownKey);
    expect((error as UnauthenticatedError).extensions.code).toBe('UNAUTHENTICATED');

    const basic = await rejection(resolve(request({ authorization: `Basic ${DASHBOARD_KEY}` })));
    expect(basic.message).toMatch(/use Bearer/);
    expect(basic.message).not.toContain(DASHBOARD_KEY);

    const both = await rejection(
      resolve(request({ authorization: `Bearer ${DASHBOARD_KEY}`, 'x-api-key': OPS_KEY })),
    );
    expect(both).toBeInstanceOf(UnauthenticatedError);
    const empty = await rejection(resolve(request({ 'x-api-key': ' ' })));
    expect(empty).toBeInstanceOf(UnauthenticatedError);
  });

  it("gives the caller its entry's shops", async () => {
    const resolve = resolverWith({ keys: `agency:${DASHBOARD_KEY}:*:7400000000000000001` });
    const caller = await resolve(request({ 'x-api-key': DASHBOARD_KEY }));
    expect(caller?.shops).toEqual(new Set(['7400000000000000001']));
  });

  it('accepts a development key with every scope', async () => {
    const development = createDevelopmentKey();
    const resolve = createCallerResolver({ apiKeys: [development.entry] });
    const caller = await resolve(request({ authorization: `Bearer ${development.key}` }));
    expect(caller?.name).toBe('development');
    expect([...(caller?.scopes ?? [])].sort()).toEqual([...GATEWAY_SCOPES].sort());
    expect(createDevelopmentKey().key).not.toBe(development.key);
  });
});

describe('createCallerResolver: JWT', () => {
  it('accepts a valid HS256 token and reads its space-separated scope claim', async () => {
    const token = await signHs256({ scope: 'order.read inventory.write other:scope' });
    const caller = await resolverWith()(request({ authorization: `Bearer ${token}` }));
    expect(caller).toEqual({
      name: 'reporting-service',
      kind: 'jwt',
      scopes: new Set(['order.read', 'inventory.write']),
      shops: '*',
      expiresAtMs: (Math.floor(NOW_MS / 1000) + 600) * 1000,
    });
  });

  it('gives a token without a scope claim no scopes', async () => {
    const token = await signHs256({});
    const caller = await resolverWith()(request({ authorization: `Bearer ${token}` }));
    expect(caller?.scopes.size).toBe(0);
  });

  it('refuses an expired token, a wrong secret and a tampered payload', async () => {
    const resolve = resolverWith();
    const expired = await signHs256(
      { scope: 'order.read' },
      { expiresAt: Math.floor(NOW_MS / 1000) - 120 },
    );
    const expiredError = await rejection(resolve(request({ authorization: `Bearer ${expired}` })));
    expect(expiredError).toBeInstanceOf(UnauthenticatedError);
    expect(expiredError.message).toBe('Bearer token has expired');

    const forged = await signHs256(
      { scope: 'order.read' },
      { secret: 'another-secret-that-is-also-32-bytes-long!' },
    );
    const forgedError = await rejection(resolve(request({ authorization: `Bearer ${forged}` })));
    expect(forgedError.message).toBe('Bearer token signature is invalid');

    const valid = await signHs256({ scope: 'order.read' });
    const [header, , signature] = valid.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', scope: 'oauth.manage' })).toString(
      'base64url',
    );
    const tampered = `${header}.${payload}.${signature}`;
    const tamperedError = await rejection(
      resolve(request({ authorization: `Bearer ${tampered}` })),
    );
    expect(tamperedError).toBeInstanceOf(UnauthenticatedError);
    expect(tamperedError.message).not.toContain(tampered);
  });

  it('reads the shops claim as an array or a space-separated string; absent means every shop', async () => {
    const resolve = resolverWith();
    const callerFor = async (claims: Record<string, unknown>) =>
      (await resolve(request({ authorization: `Bearer ${await signHs256(claims)}` })))?.shops;
    const both = new Set(['7400000000000000001', '7400000000000000002']);
    expect(await callerFor({ shops: ['7400000000000000001', '7400000000000000002'] })).toEqual(
      both,
    );
    expect(await callerFor({ shops: ' 7400000000000000001  7400000000000000002 ' })).toEqual(both);
    expect(await callerFor({ shops: '*' })).toBe('*');
    expect(await callerFor({ shops: [] })).toEqual(new Set());
    expect(await callerFor({})).toBe('*');
  });

  it('refuses a malformed shops claim, and a missing one when it is required', async () => {
    const resolve = resolverWith();
    // Numbers are refused: a JSON number loses the digits of a 19-digit shop id.
    for (const shops of [[740000000], 'shop-one', ['*', '7400000000000000001'], {}]) {
      const token = await signHs256({ shops });
      const error = await rejection(resolve(request({ authorization: `Bearer ${token}` })));
      expect(error).toBeInstanceOf(UnauthenticatedError);
      expect(error.message).toMatch(/^Bearer token claim "shops" is not accepted/);
    }
    const strict = createCallerResolver({
      apiKeys: [],
      jwt: { secret: new TextEncoder().encode(JWT_SECRET), requireShops: true },
      now: () => NOW_MS,
    });
    const unclaimed = await signHs256({ scope: 'order.read' });
    const error = await rejection(strict(request({ authorization: `Bearer ${unclaimed}` })));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toMatch(/no "shops" claim.*GATEWAY_JWT_REQUIRE_SHOPS/);
    const claimed = await signHs256({ shops: ['7400000000000000001'] });
    expect((await strict(request({ authorization: `Bearer ${claimed}` })))?.shops).toEqual(
      new Set(['7400000000000000001']),
    );
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ scope: 'order.read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(NOW_MS / 1000))
      .sign(new TextEncoder().encode(JWT_SECRET));
    const error = await rejection(resolverWith()(request({ authorization: `Bearer ${token}` })));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe(
      'Bearer token has no "exp" claim: only tokens that expire are accepted',
    );
  });

  it('refuses a lifetime over the bound: exp - iat, or exp - now without iat', async () => {
    const nowSeconds = Math.floor(NOW_MS / 1000);
    const sign = (times: { iat?: number; exp: number }) =>
      new SignJWT({ ...times, scope: 'order.read' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(JWT_SECRET));
    const resolve = resolverWith();
    const verdict = async (times: { iat?: number; exp: number }) =>
      resolve(request({ authorization: `Bearer ${await sign(times)}` })).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    const refused = "Bearer token lifetime exceeds the gateway's limit of 86400 s";
    const day = DEFAULT_JWT_MAX_LIFETIME_S;
    expect(day).toBe(86_400);
    expect(await verdict({ iat: nowSeconds - 60, exp: nowSeconds - 60 + day })).toBe('accepted');
    expect(await verdict({ iat: nowSeconds - 60, exp: nowSeconds + day })).toBe(refused);
    expect(await verdict({ exp: nowSeconds + day })).toBe('accepted');
    expect(await verdict({ exp: nowSeconds + 10 * 365 * day })).toBe(refused);
    // An iat in the future does not stretch the bound: what is left counts.
    expect(await verdict({ iat: nowSeconds + 365 * day, exp: nowSeconds + 366 * day })).toBe(
      refused,
    );
    const hourly = createCallerResolver({
      apiKeys: [],
      jwt: { secret: new TextEncoder().encode(JWT_SECRET), maxLifetimeSeconds: 3600 },
      now: () => NOW_MS,
    });
    const twoHours = await sign({ iat: nowSeconds, exp: nowSeconds + 7200 });
    const error = await rejection(hourly(request({ authorization: `Bearer ${twoHours}` })));
    expect(error.message).toBe("Bearer token lifetime exceeds the gateway's limit of 3600 s");
  });

  it('checks issuer and audience when configured', async () => {
    const resolve = createCallerResolver({
      apiKeys: [],
      jwt: {
        secret: new TextEncoder().encode(JWT_SECRET),
        issuer: 'https://idp.example',
        audience: 'tiktok-gateway',
      },
      now: () => NOW_MS,
    });
    const good = await signHs256(
      { scope: 'product.read' },
      { issuer: 'https://idp.example', audience: 'tiktok-gateway' },
    );
    expect((await resolve(request({ authorization: `Bearer ${good}` })))?.kind).toBe('jwt');
    const wrongAudience = await signHs256(
      { scope: 'product.read' },
      { issuer: 'https://idp.example', audience: 'someone-else' },
    );
    const error = await rejection(resolve(request({ authorization: `Bearer ${wrongAudience}` })));
    expect(error.message).toBe('Bearer token claim "aud" is not accepted');
  });

  it('says JWTs are not accepted when no JWT verification is configured', async () => {
    const token = await signHs256({ scope: 'order.read' });
    const error = await rejection(
      resolverWith({ jwt: false })(request({ authorization: `Bearer ${token}` })),
    );
    expect(error.message).toMatch(/GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL/);
  });

  describe('with a JWKS on loopback', () => {
    let server: Server | undefined;
    afterEach(async () => {
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
    });

    it('verifies RS256 tokens against the JWKS and refuses an unknown key', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const other = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      let fetches = 0;
      server = createServer((_req, res) => {
        fetches += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const resolve = createCallerResolver({
        apiKeys: [],
        jwt: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` },
        now: () => NOW_MS,
      });
      const sign = (key: CryptoKey, kid: string) =>
        new SignJWT({ scope: 'content.read' })
          .setProtectedHeader({ alg: 'RS256', kid })
          .setSubject('idp-client')
          .setExpirationTime(Math.floor(NOW_MS / 1000) + 600)
          .sign(key);

      const caller = await resolve(
        request({ authorization: `Bearer ${await sign(privateKey, 'k1')}` }),
      );
      expect(caller).toEqual({
        name: 'idp-client',
        kind: 'jwt',
        scopes: new Set(['content.read']),
        shops: '*',
        expiresAtMs: (Math.floor(NOW_MS / 1000) + 600) * 1000,
      });
      expect(fetches).toBe(1);

      const stranger = await sign(other.privateKey, 'k1');
      const error = await rejection(resolve(request({ authorization: `Bearer ${stranger}` })));
      expect(error.message).toBe('Bearer token signature is invalid');

      // HS256 is not accepted when only a JWKS is configured.
      const symmetric = await signHs256({ scope: 'content.read' });
      const algError = await rejection(resolve(request({ authorization: `Bearer ${symmetric}` })));
      expect(algError.message).toBe('Bearer token algorithm is not accepted');
    });
  });
});

describe('scope helpers', () => {
  it('requireScope distinguishes no caller from a caller without the scope', () => {
    const caller = {
      name: 'dashboard',
      kind: 'api_key' as const,
      scopes: new Set(['order.read']),
      shops: '*' as const,
    };
    expect(requireScope(caller, 'order.read')).toBe(caller);
    expect(() => requireScope(null, 'order.read')).toThrow(UnauthenticatedError);
    let error: unknown;
    try {
      requireScope(caller, 'inventory.write');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).extensions).toEqual({
      code: 'FORBIDDEN',
      scope: 'inventory.write',
    });
    expect(scopeGrants(caller)['order.read']).toBe(true);
    expect(scopeGrants(caller)['oauth.manage']).toBe(false);
    expect(Object.values(scopeGrants(null)).every((granted) => !granted)).toBe(true);
  });
});
