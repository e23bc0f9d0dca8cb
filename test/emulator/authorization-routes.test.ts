// Seller-level routes (§3): authorized shops, active shops and permissions for the token's seller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';

describe('authorization and seller routes', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false });
  });
  afterAll(() => emulator.close());

  it('GET /authorization/202309/shops lists the token seller’s shops in §3’s shape', async () => {
    for (const seller of emulator.sellers) {
      const token = emulator.issueTokens({ openId: seller.openId }).accessToken;
      const result = await call(emulator, {
        path: '/authorization/202309/shops',
        accessToken: token,
      });
      expect(result.body.code).toBe(0);
      const { shops } = result.body.data as { shops: Array<Record<string, unknown>> };
      expect(
        shops.map(({ id, name, region, cipher, code }) => ({ id, name, region, cipher, code })),
      ).toEqual(seller.shops);
      for (const shop of shops) {
        expect(Object.keys(shop).sort()).toEqual([
          'cipher',
          'code',
          'id',
          'name',
          'region',
          'seller_type',
        ]);
        expect(['LOCAL', 'CROSS_BORDER']).toContain(shop.seller_type);
      }
    }
    expect(emulator.sellers[0]!.shops.length).toBeGreaterThanOrEqual(2);
  });

  it('GET /seller/202309/shops and /permissions answer for the seller (scope seller.shop.info)', async () => {
    const seller = emulator.sellers[0]!;
    const token = emulator.issueTokens({ openId: seller.openId }).accessToken;
    const shops = await call(emulator, { path: '/seller/202309/shops', accessToken: token });
    expect(shops.body.data).toEqual({
      shops: seller.shops.map(({ id, region }) => ({ id, region })),
    });
    const permissions = await call(emulator, {
      path: '/seller/202309/permissions',
      accessToken: token,
    });
    expect(permissions.body.code).toBe(0);
    const list = (permissions.body.data as { permissions: unknown }).permissions;
    expect(Array.isArray(list)).toBe(true);

    const narrow = emulator.issueTokens({
      openId: seller.openId,
      scopes: ['seller.authorization.info'],
    });
    const denied = await call(emulator, {
      path: '/seller/202309/shops',
      accessToken: narrow.accessToken,
    });
    expect(denied.body.code).toBe(105005);
  });
});
