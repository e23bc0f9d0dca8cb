// Unit tests of src/datasources/tiktok/cache.ts and shop-resolver.ts (kept beside the schema tests
// that rely on them).
import { describe, expect, it } from 'vitest';
import { createSharedCache, shopKey } from '../../src/datasources/tiktok/cache.js';
import { type AllowedShops, selectShop } from '../../src/datasources/tiktok/shop-resolver.js';
import type { AuthorizedShop } from '../../src/datasources/tiktok/types.js';

const config = { enabled: true, ttlMs: 1_000, historicalTtlMs: 60_000, maxEntries: 10 };

describe('createSharedCache', () => {
  it('loads once per key within the TTL, again after it, and never caches failures', async () => {
    let nowMs = 1_000_000;
    const cache = createSharedCache({ config, now: () => nowMs });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOrLoad('k', 1_000, load)).toBe(1);
    expect(await cache.getOrLoad('k', 1_000, load)).toBe(1);
    nowMs += 1_001;
    expect(await cache.getOrLoad('k', 1_000, load)).toBe(2);
    await expect(
      cache.getOrLoad('bad', 1_000, async () => {
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');
    expect(await cache.getOrLoad('bad', 1_000, load)).toBe(3);
  });

  it('passes straight through when disabled', async () => {
    const cache = createSharedCache({ config: { ...config, enabled: false } });
    let loads = 0;
    await cache.getOrLoad('k', 1_000, async () => ++loads);
    await cache.getOrLoad('k', 1_000, async () => ++loads);
    expect(loads).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('keeps closed analytics ranges for the historical TTL', () => {
    const now = () => Date.parse('2024-06-10T15:00:00Z');
    const cache = createSharedCache({ config, now });
    // Last day June 9: still running west of UTC at 15:00 UTC on June 10.
    expect(cache.analyticsTtlMs({ startDateGe: '2024-06-01', endDateLt: '2024-06-10' })).toBe(
      1_000,
    );
    // Last day June 8: over everywhere.
    expect(cache.analyticsTtlMs({ startDateGe: '2024-06-01', endDateLt: '2024-06-09' })).toBe(
      60_000,
    );
  });

  it('prefixes keys with the shop id', () => {
    expect(shopKey('123', 'product', '9')).toBe('shop:123:product:9');
  });
});

describe('selectShop', () => {
  const shop = (id: string): AuthorizedShop => ({
    id,
    name: `Shop ${id}`,
    region: 'US',
    sellerType: 'LOCAL',
    cipher: `ROW_${id}`,
    code: `C${id}`,
  });

  const select = (
    shops: AuthorizedShop[],
    requestedShopId: string | undefined,
    defaultShopId: string | undefined,
    allowed: AllowedShops = '*',
  ) => selectShop({ shops: async () => shops, requestedShopId, defaultShopId, allowed });

  it('uses the requested shop, then the default, then the only shop', async () => {
    const shops = [shop('1'), shop('2')];
    expect(await select(shops, '2', '1')).toMatchObject({ ok: true, shop: { id: '2' } });
    expect(await select(shops, undefined, '1')).toMatchObject({ ok: true, shop: { id: '1' } });
    expect(await select([shop('3')], undefined, undefined)).toMatchObject({
      ok: true,
      shop: { id: '3' },
    });
  });

  it('explains what to pass when it cannot choose, without ciphers', async () => {
    const shops = [shop('1'), shop('2')];
    const ambiguous = await select(shops, undefined, undefined);
    expect(ambiguous).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(!ambiguous.ok && 'message' in ambiguous && ambiguous.message).toContain(
      'pass shopId, one of: 1, 2',
    );
    expect(await select(shops, '9', undefined)).toMatchObject({
      ok: false,
      reason: 'unknown-shop',
    });
    expect(await select(shops, undefined, '9')).toMatchObject({
      ok: false,
      reason: 'unknown-default',
    });
    expect(await select([], undefined, undefined)).toMatchObject({
      ok: false,
      reason: 'no-shops',
    });
    expect(JSON.stringify(ambiguous)).not.toContain('ROW_');
  });

  it("chooses among the caller's shops only, and names no other", async () => {
    const shops = [shop('1'), shop('2'), shop('3')];
    const only2 = new Set(['2']);
    // Outside the caller's shops: refused before the shops are read.
    let reads = 0;
    const forbidden = await selectShop({
      shops: async () => {
        reads += 1;
        return shops;
      },
      requestedShopId: '1',
      defaultShopId: undefined,
      allowed: only2,
    });
    expect(forbidden).toEqual({ ok: false, reason: 'forbidden', shopId: '1' });
    expect(reads).toBe(0);
    // The default when the caller may use it, else the caller's only shop, else ask.
    expect(await select(shops, undefined, '2', new Set(['2', '3']))).toMatchObject({
      ok: true,
      shop: { id: '2' },
    });
    expect(await select(shops, undefined, '1', only2)).toMatchObject({
      ok: true,
      shop: { id: '2' },
    });
    const several = await select(shops, undefined, '1', new Set(['2', '3']));
    expect(several).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(JSON.stringify(several)).toContain('one of: 2, 3.');
    // A shop in the caller's set that no seller authorised is unknown, listing only its shops.
    const unknown = await select(shops, '9', undefined, new Set(['2', '9']));
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown-shop' });
    expect(JSON.stringify(unknown)).toContain('authorised shops: 2.');
    expect(await select(shops, undefined, undefined, new Set(['9']))).toMatchObject({
      ok: false,
      reason: 'no-shops',
    });
  });
});
