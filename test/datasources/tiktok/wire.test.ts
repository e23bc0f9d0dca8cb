// Wire mapping: tolerant of the alternatives the protocol notes list, exact with 19-digit ids.
import { describe, expect, it } from 'vitest';
import {
  mapInventoryUpdate,
  mapLiveSessions,
  mapOrder,
  mapProduct,
  mapProductPerformanceList,
  mapProductSearch,
  mapTokenGrant,
  parseJsonPreservingIds,
  toId,
  toInventoryUpdateBody,
  toPageToken,
  toProductSearchBody,
} from '../../../src/datasources/tiktok/wire.js';

describe('parseJsonPreservingIds', () => {
  it('keeps unquoted 19-digit ids exact as strings', () => {
    const parsed = parseJsonPreservingIds(
      '{"products":[{"id":1729592969712207008,"orders":3},{"id": -1729592969712207009 }],"n":[1729592969712207010]}',
    ) as { products: Array<{ id: unknown; orders: unknown }>; n: unknown[] };
    expect(parsed.products[0]).toEqual({ id: '1729592969712207008', orders: 3 });
    expect(parsed.products[1]?.id).toBe('-1729592969712207009');
    expect(parsed.n).toEqual(['1729592969712207010']);
  });

  it('leaves string contents, safe numbers and decimals alone', () => {
    const text =
      '{"title":"Order: 17295929697122070081, ok","id":"1729592969712207008","x":9007199254740991,"r":0.0528}';
    expect(parseJsonPreservingIds(text)).toEqual({
      title: 'Order: 17295929697122070081, ok',
      id: '1729592969712207008',
      x: 9007199254740991,
      r: 0.0528,
    });
  });

  it('handles escaped quotes inside strings', () => {
    const text = '{"t":"a \\"q\\": 17295929697122070081,","id":17295929697122070081}';
    expect(parseJsonPreservingIds(text)).toEqual({
      t: 'a "q": 17295929697122070081,',
      id: '17295929697122070081',
    });
  });

  it('throws on invalid JSON like JSON.parse', () => {
    expect(() => parseJsonPreservingIds('{"code":0,')).toThrow(SyntaxError);
    expect(() => parseJsonPreservingIds('<html>')).toThrow(SyntaxError);
  });
});

describe('readers', () => {
  it('ids: strings as is, safe numbers as decimal text, missing as ""', () => {
    expect(toId('7000714532876273420')).toBe('7000714532876273420');
    expect(toId(12345)).toBe('12345');
    expect(toId(undefined)).toBe('');
  });

  it('page tokens: "" and absent both mean the last page', () => {
    expect(toPageToken('b2Zmc2V0PTAK')).toBe('b2Zmc2V0PTAK');
    expect(toPageToken('')).toBeNull();
    expect(toPageToken(undefined)).toBeNull();
    expect(toPageToken(null)).toBeNull();
  });
});

describe('mappers', () => {
  it('maps a §6.1 search page and fills missing optionals', () => {
    const page = mapProductSearch({
      total_count: 200,
      next_page_token: '',
      products: [
        {
          id: '1729592969712207008',
          title: 'Short Boat Invisible Socks',
          status: 'ACTIVATE',
          skus: [
            {
              id: '1729592969712207012',
              seller_sku: 'Color-Red-XM01',
              price: { currency: 'USD', tax_exclusive_price: '111.01', sale_price: '121.11' },
              inventory: [{ warehouse_id: '7068517275539719942', quantity: 999 }],
            },
          ],
          sales_regions: ['US'],
          create_time: 1234567890,
          update_time: 1234567800,
        },
      ],
    });
    expect(page.nextPageToken).toBeNull();
    expect(page.totalCount).toBe(200);
    expect(page.items[0]).toEqual({
      id: '1729592969712207008',
      title: 'Short Boat Invisible Socks',
      status: 'ACTIVATE',
      skus: [
        {
          id: '1729592969712207012',
          sellerSku: 'Color-Red-XM01',
          price: { currency: 'USD', salePrice: '121.11', taxExclusivePrice: '111.01' },
          inventory: [{ warehouseId: '7068517275539719942', quantity: 999 }],
          salesAttributes: [],
          externalSkuId: null,
        },
      ],
      salesRegions: ['US'],
      createTime: 1234567890,
      updateTime: 1234567800,
    });
  });

  it('maps an empty or null data to an empty page', () => {
    expect(mapProductSearch(null)).toEqual({ items: [], nextPageToken: null, totalCount: 0 });
  });

  it('withholds the recipient address while UNPAID (§6.6)', () => {
    const order = mapOrder({
      id: '576461413038785752',
      status: 'UNPAID',
      line_items: [{ id: '1', package_id: '' }],
    });
    expect(order.recipientAddress).toBeNull();
    expect(order.paidTime).toBeNull();
    expect(order.lineItems[0]?.packageId).toBeNull();
  });

  it('analytics rows with numeric ids', () => {
    const page = mapProductPerformanceList(
      parseJsonPreservingIds(
        '{"products":[{"id":1729592969712207008,"gmv":{"amount":"11","currency":"USD"},"orders":"3","units_sold":4,"click_through_rate":"0.0528"}],"next_page_token":"t2"}',
      ),
    );
    expect(page).toEqual({
      items: [
        {
          id: '1729592969712207008',
          gmv: { amount: '11', currency: 'USD' },
          orders: 3,
          unitsSold: 4,
          clickThroughRate: '0.0528',
        },
      ],
      nextPageToken: 't2',
      totalCount: 1,
    });
  });

  it('category chains: local_name, root parent "0" as null', () => {
    const product = mapProduct({
      id: '1',
      category_chains: [
        { id: '602118', parent_id: '0', local_name: 'Phones & Electronics', is_leaf: false },
        { id: '909320', parent_id: '602118', local_name: 'Phone Cases', is_leaf: true },
      ],
      brand: null,
    });
    expect(product.categoryChains).toEqual([
      { id: '602118', name: 'Phones & Electronics', parentId: null, isLeaf: false },
      { id: '909320', name: 'Phone Cases', parentId: '602118', isLeaf: true },
    ]);
    expect(product.brand).toBeNull();
    expect(product.mainImages).toEqual([]);
  });

  it('LIVE sessions: string times, unit_sold, interaction absent → zeros', () => {
    const page = mapLiveSessions({
      next_page_token: '',
      live_stream_sessions: [
        {
          id: '7320886630000001713',
          start_time: '1794693734',
          end_time: '1794700874',
          sales_performance: {
            gmv: { amount: '754.79', currency: 'USD' },
            sku_orders: 37,
            unit_sold: 38,
            customers: 27,
          },
        },
      ],
    });
    expect(page.nextPageToken).toBeNull();
    expect(page.items[0]).toMatchObject({
      startTime: 1794693734,
      endTime: 1794700874,
      sales: {
        gmv: { amount: '754.79', currency: 'USD' },
        skuOrders: 37,
        unitsSold: 38,
        customers: 27,
      },
      interaction: { viewers: 0, views: 0, likes: 0, comments: 0, shares: 0 },
    });
  });

  it('inventory update partial failures (§6.4)', () => {
    expect(mapInventoryUpdate({})).toEqual({ errors: [] });
    expect(
      mapInventoryUpdate({
        errors: [
          {
            code: 12019028,
            message: 'missing warehouse',
            detail: {
              sku_id: '17',
              extra_errors: [{ warehouse_id: '70', code: 12052097, message: 'no such warehouse' }],
            },
          },
        ],
      }),
    ).toEqual({
      errors: [
        {
          code: 12019028,
          message: 'missing warehouse',
          skuId: '17',
          warehouseErrors: [{ warehouseId: '70', code: 12052097, message: 'no such warehouse' }],
        },
      ],
    });
  });

  it('token grant keeps absolute expiry timestamps (§2.4)', () => {
    expect(
      mapTokenGrant({
        access_token: 'TTP_a',
        access_token_expire_in: 1660556783,
        refresh_token: 'TTP_r',
        refresh_token_expire_in: 1691487031,
        open_id: '7010736057180325637',
        seller_name: 'Jjj test shop',
        seller_base_region: 'ID',
        user_type: 0,
        granted_scopes: ['seller.authorization.info'],
      }),
    ).toEqual({
      accessToken: 'TTP_a',
      accessTokenExpiresAt: 1660556783,
      refreshToken: 'TTP_r',
      refreshTokenExpiresAt: 1691487031,
      openId: '7010736057180325637',
      sellerName: 'Jjj test shop',
      sellerBaseRegion: 'ID',
      userType: 0,
      grantedScopes: ['seller.authorization.info'],
    });
  });
});

describe('request builders', () => {
  it('search body: snake_case, undefined filters left out', () => {
    expect(toProductSearchBody({ status: 'ACTIVATE', updateTimeGe: 1694309208 })).toEqual({
      status: 'ACTIVATE',
      update_time_ge: 1694309208,
    });
    expect(toProductSearchBody(undefined)).toEqual({});
  });

  it('inventory update body: warehouse_id only when given', () => {
    expect(
      toInventoryUpdateBody([
        { skuId: '1', inventory: [{ quantity: 5 }, { warehouseId: 'w', quantity: 6 }] },
      ]),
    ).toEqual({
      skus: [{ id: '1', inventory: [{ quantity: 5 }, { warehouse_id: 'w', quantity: 6 }] }],
    });
  });
});
