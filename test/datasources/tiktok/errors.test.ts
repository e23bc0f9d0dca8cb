// The one response-to-error mapper, fed sample envelopes shaped like §5 and real undici errors.
import { errors as undiciErrors } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  TikTokShopAuthError,
  TikTokShopError,
  TikTokShopInvalidPathError,
  TikTokShopNotFoundError,
  TikTokShopPermissionError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
  TikTokShopValidationError,
  toTikTokShopError,
} from '../../../src/datasources/tiktok/errors.js';

const APP_SECRET = 'sk_live_9f8e7d6c5b4a';
const ACCESS_TOKEN = 'TTP_aBcDeFgHiJkLmNoPqRsTuV';
const SIGN = 'a'.repeat(64);
const REQUEST_ID = '202203070749000101890810281E8C70B7';
const SEARCH_REQUEST = { method: 'POST', path: '/product/202309/products/search' };

function fromEnvelope(
  code: number,
  message: string,
  status = 200,
  retryAfterMs: number | null = null,
) {
  return toTikTokShopError({
    type: 'response',
    operation: 'product.search',
    request: SEARCH_REQUEST,
    status,
    body: { code, message, request_id: REQUEST_ID, data: null },
    retryAfterMs,
    secrets: [APP_SECRET, ACCESS_TOKEN, SIGN],
  });
}

function expectNoSecrets(error: TikTokShopError) {
  const exposed = `${error.message} ${JSON.stringify(error)} ${String(error)}`;
  for (const secret of [APP_SECRET, ACCESS_TOKEN, SIGN]) expect(exposed).not.toContain(secret);
}

describe('toTikTokShopError: 36009004 is branched on its message', () => {
  it.each([
    [
      "Invalid credentials. Invalid 'app_key' query parameter.",
      TikTokShopAuthError,
      'invalid_app_key',
    ],
    [
      "Invalid credentials. Invalid 'x-tts-access-token' header.",
      TikTokShopAuthError,
      'invalid_token',
    ],
    ['Invalid access_token.', TikTokShopAuthError, 'invalid_token'],
    ['Invalid timestamp: too old.', TikTokShopValidationError, 'clock_skew'],
    [
      "Unexpected identifier 'shop_cipher' in query.",
      TikTokShopValidationError,
      'unexpected_shop_cipher',
    ],
    ["Invalid params: missing 'sign'.", TikTokShopAuthError, 'invalid_signature'],
    ["Invalid 'version'.", TikTokShopValidationError, 'invalid_version'],
    ['page_size must be between 1 and 100', TikTokShopValidationError, 'invalid_parameter'],
  ] as const)('%s', (message, errorClass, reason) => {
    const error = fromEnvelope(36009004, message, 400);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      code: 36009004,
      status: 400,
      requestId: REQUEST_ID,
      reason,
      retryable: false,
    });
    if (error instanceof TikTokShopAuthError) expect(error.canRefresh).toBe(false);
    expect(error.message).toContain('product.search');
    expect(error.message).toContain(message);
  });

  it('says clock skew for a timestamp problem', () => {
    expect(fromEnvelope(36009004, 'Invalid timestamp', 400).message).toMatch(/clock/);
  });
});

describe('toTikTokShopError: codes', () => {
  it('105002 expired token: auth error a refresh can fix', () => {
    const error = fromEnvelope(105002, 'Access token is expired', 401);
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(error).toMatchObject({ reason: 'expired_token', canRefresh: true, retryable: false });
  });

  it('106001 bad signature: auth error, not refreshable (our bug or a wrong secret)', () => {
    const error = fromEnvelope(106001, 'Invalid sign', 401);
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(error).toMatchObject({ reason: 'invalid_signature', canRefresh: false });
  });

  it.each([
    [36004001, 'refresh_token_expired'],
    [36004004, 'invalid_auth_code'],
    [36004005, 'invalid_grant'],
  ] as const)('token host %i: auth error, not refreshable', (code, reason) => {
    const error = fromEnvelope(code, 'rt has expired');
    expect(error).toBeInstanceOf(TikTokShopAuthError);
    expect(error).toMatchObject({ code, reason, canRefresh: false });
  });

  it('105005 and 101000: permission errors', () => {
    expect(fromEnvelope(105005, 'scope not granted', 403)).toBeInstanceOf(
      TikTokShopPermissionError,
    );
    expect(fromEnvelope(105005, 'x', 403)).toMatchObject({ reason: 'scope_not_granted' });
    expect(fromEnvelope(101000, 'shop not authorized', 403)).toMatchObject({
      name: 'TikTokShopPermissionError',
      reason: 'shop_not_authorized',
    });
  });

  it('106013 missing shop_cipher: validation error', () => {
    expect(fromEnvelope(106013, 'shop_cipher is required', 400)).toMatchObject({
      name: 'TikTokShopValidationError',
      reason: 'missing_shop_cipher',
    });
  });

  it('36009002 with Retry-After: rate limit error carrying retryAfterMs', () => {
    const error = fromEnvelope(36009002, 'Too many requests', 429, 2_000);
    expect(error).toBeInstanceOf(TikTokShopRateLimitError);
    expect(error).toMatchObject({
      reason: 'throttled',
      retryAfterMs: 2_000,
      retryable: true,
      isLocal: false,
      status: 429,
    });
  });

  it.each([12052032, 12019150, 12052260, 12052048, 21008111, 28001007])('%i: not found', (code) => {
    const error = fromEnvelope(code, 'does not exist');
    expect(error).toBeInstanceOf(TikTokShopNotFoundError);
    expect(error).toMatchObject({ code, retryable: false });
  });

  it('36009009: an invalid path naming the request, never not found (§5)', () => {
    const error = fromEnvelope(36009009, 'Invalid path.', 404);
    expect(error).toBeInstanceOf(TikTokShopInvalidPathError);
    expect(error).not.toBeInstanceOf(TikTokShopNotFoundError);
    expect(error).toMatchObject({ code: 36009009, ...SEARCH_REQUEST, retryable: false });
    expect(error.message).toContain('POST /product/202309/products/search');
    expect(error.toJSON()).toMatchObject(SEARCH_REQUEST);
  });

  it('36009037: the hourly sandbox quota, a rate limit that is not retryable (§5)', () => {
    const error = fromEnvelope(36009037, 'Test shop limit reached.', 429, 1_000);
    expect(error).toBeInstanceOf(TikTokShopRateLimitError);
    expect(error).toMatchObject({ reason: 'sandbox_hourly_quota', retryable: false });
    expect(error.toJSON()).toMatchObject({ reason: 'sandbox_hourly_quota' });
  });

  it('28001022 bad analytics date range: validation error', () => {
    expect(fromEnvelope(28001022, 'invalid date range')).toMatchObject({
      name: 'TikTokShopValidationError',
      reason: 'invalid_parameter',
    });
  });

  it('36009003 / 36009007: retryable upstream errors', () => {
    for (const code of [36009003, 36009007]) {
      const error = fromEnvelope(code, 'internal error', 500);
      expect(error).toBeInstanceOf(TikTokShopUpstreamError);
      expect(error).toMatchObject({ reason: 'server_error', retryable: true });
    }
  });

  it('unknown non-zero code: the base class with code, message and request id', () => {
    const error = fromEnvelope(99999999, 'Something new', 400);
    expect(error.constructor).toBe(TikTokShopError);
    expect(error).toMatchObject({ code: 99999999, requestId: REQUEST_ID, retryable: false });
    expect(error.message).toContain('Something new');
  });

  it('unknown code on a 5xx or 429 still behaves like an outage or a throttle', () => {
    expect(fromEnvelope(99999999, 'x', 503)).toBeInstanceOf(TikTokShopUpstreamError);
    expect(fromEnvelope(99999999, 'x', 429, 1_000)).toMatchObject({
      name: 'TikTokShopRateLimitError',
      retryAfterMs: 1_000,
    });
  });
});

describe('toTikTokShopError: no envelope', () => {
  it('5xx without JSON: retryable upstream error', () => {
    const error = toTikTokShopError({
      type: 'response',
      operation: 'order.detail',
      request: { method: 'GET', path: '/order/202309/orders' },
      status: 502,
      body: undefined,
      retryAfterMs: null,
    });
    expect(error).toBeInstanceOf(TikTokShopUpstreamError);
    expect(error).toMatchObject({
      reason: 'server_error',
      status: 502,
      code: null,
      retryable: true,
    });
  });

  it('200 with a malformed body: a retryable upstream error', () => {
    for (const body of [undefined, 'text', [1, 2], { message: 'no code' }]) {
      const error = toTikTokShopError({
        type: 'response',
        operation: 'order.detail',
        request: { method: 'GET', path: '/order/202309/orders' },
        status: 200,
        body,
        retryAfterMs: null,
      });
      expect(error).toBeInstanceOf(TikTokShopUpstreamError);
      expect(error).toMatchObject({ reason: 'malformed_response', retryable: true });
    }
  });

  it('network failures from undici: connect, timeout, reset', () => {
    const map = (cause: unknown) =>
      toTikTokShopError({ type: 'network', operation: 'product.detail', cause });
    expect(map(new undiciErrors.ConnectTimeoutError())).toMatchObject({
      reason: 'connect_failed',
      retryable: true,
    });
    expect(
      map(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toMatchObject({
      reason: 'connect_failed',
    });
    expect(map(new undiciErrors.HeadersTimeoutError())).toMatchObject({
      reason: 'timeout',
      retryable: true,
    });
    expect(map(new undiciErrors.BodyTimeoutError())).toMatchObject({ reason: 'timeout' });
    expect(map(new undiciErrors.SocketError('other side closed'))).toMatchObject({
      reason: 'network',
    });
    const unknown = map(new undiciErrors.RequestAbortedError());
    expect(unknown.constructor).toBe(TikTokShopError);
    expect(unknown.retryable).toBe(false);
    expect(unknown.cause).toBeInstanceOf(undiciErrors.RequestAbortedError);
  });
});

describe('errors never carry secrets', () => {
  it('redacts a token, secret or sign that TikTok echoes in its message', () => {
    const error = fromEnvelope(
      36009004,
      `Invalid access_token ${ACCESS_TOKEN}; sign ${SIGN}; ${APP_SECRET}`,
      400,
    );
    expectNoSecrets(error);
    expect(error.message).toContain('[redacted]');
  });

  it('JSON has the documented fields and nothing else', () => {
    const error = fromEnvelope(105002, 'expired', 401);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'TikTokShopAuthError',
      message: error.message,
      code: 105002,
      status: 401,
      requestId: REQUEST_ID,
      operation: 'product.search',
      retryable: false,
      reason: 'expired_token',
      canRefresh: true,
    });
  });

  it('truncates very long upstream messages', () => {
    const error = fromEnvelope(99999999, 'x'.repeat(5_000), 400);
    expect(error.message.length).toBeLessThan(500);
  });
});
