import { describe, expect, it } from 'vitest';
import {
  decodePageToken,
  encodePageToken,
  fingerprintOf,
  paginate,
} from '../../../src/emulator/routes/pagination.js';
import { RouteFailure } from '../../../src/emulator/routes/validation.js';

describe('page tokens', () => {
  const fingerprint = fingerprintOf('order.search', 'shop', { status: 'UNPAID' });

  it('round-trip an offset for the same query only', () => {
    const token = encodePageToken(40, fingerprint);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, fingerprint)).toBe(40);
    expect(decodePageToken(token, fingerprintOf('order.search', 'shop', {}))).toBeNull();
  });

  it('reject garbage', () => {
    for (const token of ['', 'abc', '!!!', encodePageToken(1, 'zzzzzzzz'), 'x'.repeat(100)]) {
      expect(decodePageToken(token, fingerprint)).toBeNull();
    }
  });

  it('chain pages to an empty token on the last page', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const seen: number[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, { pageSize: 10, pageToken, fingerprint });
      expect(page.totalCount).toBe(23);
      seen.push(...page.items);
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== '');
    expect(pages).toBe(3);
    expect(seen).toEqual(items);
  });

  it('refuse a token pointing past the end with an invalid page_token error', () => {
    const token = encodePageToken(50, fingerprint);
    expect(() => paginate([1, 2, 3], { pageSize: 10, pageToken: token, fingerprint })).toThrow(
      RouteFailure,
    );
  });
});
