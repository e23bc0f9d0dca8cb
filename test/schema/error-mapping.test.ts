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
} from '../../src/datasources/tiktok/errors.js';
import { toGraphQLError } from '../../src/schema/errors.js';

const base = {
  code: 12345678,
  status: 400,
  requestId: '20240501120000ABCDEF0123456789ABCD',
  operation: 'product.detail',
  retryable: false,
};
// What an upstream message could carry; none of it may reach the client.
const leaky = 'TikTok said: token=TTP_secret-token sign=abcdef0123456789';

describe('toGraphQLError', () => {
  it.each([
    [
      new TikTokShopAuthError(leaky, { ...base, reason: 'expired_token', canRefresh: true }),
      'UNAUTHENTICATED',
    ],
    [new TikTokShopPermissionError(leaky, { ...base, reason: 'scope_not_granted' }), 'FORBIDDEN'],
    [new TikTokShopRateLimitError(leaky, { ...base, retryAfterMs: 1500 }), 'RATE_LIMITED'],
    [
      new TikTokShopValidationError(leaky, { ...base, reason: 'invalid_parameter' }),
      'BAD_USER_INPUT',
    ],
    [new TikTokShopNotFoundError(leaky, base), 'NOT_FOUND'],
    [new TikTokShopUpstreamError(leaky, { ...base, reason: 'timeout' }), 'UPSTREAM_ERROR'],
    [new TikTokShopError(leaky, base), 'UPSTREAM_ERROR'],
    [
      new TikTokShopInvalidPathError(leaky, { ...base, method: 'GET', path: '/product/1/x' }),
      'INTERNAL_SERVER_ERROR',
    ],
  ])('maps %s to %s with a safe message and TikTok request id', (error, code) => {
    const mapped = toGraphQLError(error);
    expect(mapped.extensions).toMatchObject({
      code,
      requestId: base.requestId,
      tiktokCode: base.code,
    });
    expect(mapped.message).toMatch(/^TikTok Shop product\.detail failed: /);
    expect(mapped.message).not.toContain('secret');
    expect(mapped.message).not.toContain('abcdef');
  });

  it('passes retryAfterMs on for throttling', () => {
    const mapped = toGraphQLError(
      new TikTokShopRateLimitError('x', { ...base, retryAfterMs: 1500 }),
    );
    expect(mapped.extensions.retryAfterMs).toBe(1500);
    expect(mapped.extensions.reason).toBe('THROTTLED');
  });

  it('says why a rate limit will not pass soon: the hourly sandbox quota (36009037)', () => {
    const mapped = toGraphQLError(
      new TikTokShopRateLimitError('x', {
        ...base,
        code: 36009037,
        retryAfterMs: null,
        reason: 'sandbox_hourly_quota',
      }),
    );
    expect(mapped.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      reason: 'SANDBOX_HOURLY_QUOTA',
    });
    expect(mapped.message).toContain('hourly test-shop (sandbox) quota');
  });

  it('names the path TikTok does not know (36009009): a gateway bug, not a missing object', () => {
    const error = new TikTokShopInvalidPathError('x', {
      ...base,
      code: 36009009,
      method: 'GET',
      path: '/product/202309/products/1729',
    });
    expect(toGraphQLError(error).message).toBe(
      'TikTok Shop product.detail failed: the gateway called a path TikTok Shop does not know ' +
        '(GET /product/202309/products/1729), a gateway bug.',
    );
  });
});
