import { describe, expect, it } from 'vitest';
import {
  TikTokShopAuthError,
  TikTokShopError,
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
  });
});
