// The unknownEnums fault: answers carry enum values TikTok never sent before, in every other
// record, for the fields asked for only, and only where the filters let faults through.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateFaultConfig } from '../../src/emulator/faults.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';

type Rows = Array<Record<string, unknown>>;

describe('unknownEnums fault', () => {
  let emulator: EmulatorHandle;
  let token: string;
  let cipher: string;

  beforeAll(async () => {
    emulator = await createEmulator({ rateLimit: false, scale: 0.05 });
    const seller = emulator.sellers[0]!;
    token = emulator.issueTokens({ openId: seller.openId }).accessToken;
    cipher = seller.shops[0]!.cipher;
  });
  beforeEach(() => emulator.setFaults({}));
  afterAll(() => emulator.close());

  const searchOrders = async () => {
    const { body } = await call(emulator, {
      method: 'POST',
      path: '/order/202309/orders/search',
      query: { shop_cipher: cipher, page_size: '6' },
      body: '{}',
      accessToken: token,
    });
    return (body.data as { orders: Rows }).orders;
  };

  it('sends SOMETHING_NEW in the 1st, 3rd, 5th… record of a list, for the fields asked for', async () => {
    const known = await searchOrders();
    emulator.setFaults({ unknownEnums: ['order.status'] });
    const orders = await searchOrders();
    expect(orders.map((order) => order.id)).toEqual(known.map((order) => order.id));
    orders.forEach((order, index) => {
      expect(order.status).toBe(index % 2 === 0 ? 'SOMETHING_NEW' : known[index]!.status);
      expect(order.shipping_type).toBe(known[index]!.shipping_type);
    });
  });

  it('changes a single record, the shops list and the value as configured', async () => {
    emulator.setFaults({
      unknownEnums: ['product.status', 'shop.seller_type', 'order.shipping_type'],
      unknownEnumValue: 'BRAND_NEW_2',
    });
    const [order] = await searchOrders();
    expect(order!.shipping_type).toBe('BRAND_NEW_2');
    const search = await call(emulator, {
      method: 'POST',
      path: '/product/202309/products/search',
      query: { shop_cipher: cipher, page_size: '1' },
      body: '{}',
      accessToken: token,
    });
    const productId = (search.body.data as { products: Rows }).products[0]!.id as string;
    const detail = await call(emulator, {
      path: `/product/202309/products/${productId}`,
      query: { shop_cipher: cipher },
      accessToken: token,
    });
    expect((detail.body.data as { status: string }).status).toBe('BRAND_NEW_2');
    const shops = await call(emulator, { path: '/authorization/202309/shops', accessToken: token });
    expect((shops.body.data as { shops: Rows }).shops[0]!.seller_type).toBe('BRAND_NEW_2');
  });

  it('honours pathPrefixes like every fault', async () => {
    emulator.setFaults({ unknownEnums: ['order.status'], pathPrefixes: ['/product/'] });
    expect((await searchOrders()).some((order) => order.status === 'SOMETHING_NEW')).toBe(false);
  });

  it('refuses unknown fields and values that do not look like an enum value', () => {
    for (const bad of [
      { unknownEnums: ['order.colour'] },
      { unknownEnums: 'order.status' },
      { unknownEnumValue: 'lower' },
      { unknownEnumValue: '' },
    ]) {
      expect(validateFaultConfig(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(validateFaultConfig({ unknownEnums: ['order.status'] }).ok).toBe(true);
  });
});
