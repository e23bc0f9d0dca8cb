// Wire mapping: tolerant of the alternatives the protocol notes list, exact with 19-digit ids.
import { describe, expect, it } from 'vitest';
import type { TikTokEnumField } from '../../../src/datasources/tiktok/enums.js';
import {
  mapAuthorizedShops,
  mapInventoryUpdate,
  mapLiveSessions,
  mapOrder,
  mapProduct,
  mapProductPerformanceList,
  mapProductSearch,
  mapShopPerformance,
  mapTokenGrant,
  mapWebhooks,
  parseJsonPreservingIds,
  toId,
  toInventoryUpdateBody,
  toOrderSearchBody,
  toPageToken,
  toProductSearchBody,
  toWebhookDeleteBody,
  toWebhookPutBody,
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

/** The values the mappers told of, in order. */
function collectUnknown() {
  const told: Array<[TikTokEnumField, string]> = [];
  return { told, report: (field: TikTokEnumField, raw: string) => told.push([field, raw]) };
}

describe('mappers', () => {
  const { report } = collectUnknown();

  it('maps a §6.1 search page and fills missing optionals', () => {
    const page = mapProductSearch(
      {
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
      },
      report,
    );
    expect(page.nextPageToken).toBeNull();
    expect(page.totalCount).toBe(200);
    expect(page.items[0]).toEqual({
      id: '1729592969712207008',
      title: 'Short Boat Invisible Socks',
      status: 'ACTIVATE',
      statusRaw: 'ACTIVATE',
      skus: [
        {
          id: '1729592969712207012',
          sellerSku: 'Color-Red-XM01',
          price: { amount: '121.11', currency: 'USD' },
          taxExclusivePrice: { amount: '111.01', currency: 'USD' },
          inventory: [{ warehouseId: '7068517275539719942', quantity: 999 }],
          salesAttributes: [],
          externalSkuId: null,
        },
      ],
      salesRegions: ['US'],
      createdAt: new Date(1234567890 * 1000),
      updatedAt: new Date(1234567800 * 1000),
    });
  });

  it('maps an empty or null data to an empty page', () => {
    expect(mapProductSearch(null, report)).toEqual({
      items: [],
      nextPageToken: null,
      totalCount: 0,
    });
  });

  it('withholds the recipient address while UNPAID (§6.6)', () => {
    const order = mapOrder(
      {
        id: '576461413038785752',
        status: 'UNPAID',
        line_items: [{ id: '1', package_id: '' }],
      },
      report,
    );
    expect(order.recipient).toBeNull();
    expect(order.paidAt).toBeNull();
    expect(order.lineItems[0]?.packageId).toBeNull();
  });

  it('order amounts as Money in the order currency, times as Dates (§6.6)', () => {
    const order = mapOrder(
      {
        id: '576461413038785752',
        create_time: 1700000000,
        paid_time: '1700000060',
        payment: {
          currency: 'GBP',
          sub_total: '10.00',
          seller_discount: '1.50',
          total_amount: '8.50',
        },
        line_items: [{ id: '1', currency: 'GBP', sale_price: '8.50' }],
      },
      report,
    );
    expect(order.createdAt).toEqual(new Date(1700000000 * 1000));
    expect(order.paidAt).toEqual(new Date(1700000060 * 1000));
    expect(order.payment).toEqual({
      subTotal: { amount: '10.00', currency: 'GBP' },
      shipping: { amount: '0', currency: 'GBP' },
      discounts: {
        seller: { amount: '1.50', currency: 'GBP' },
        platform: { amount: '0', currency: 'GBP' },
      },
      tax: { amount: '0', currency: 'GBP' },
      total: { amount: '8.50', currency: 'GBP' },
    });
    expect(order.lineItems[0]).toMatchObject({
      salePrice: { amount: '8.50', currency: 'GBP' },
      originalPrice: { amount: '0', currency: 'GBP' },
    });
  });

  it('keeps a record whose enum value is new: UNKNOWN beside the raw string, told once per value', () => {
    const unknown = collectUnknown();
    const order = mapOrder(
      { id: '1', status: 'SOMETHING_NEW', shipping_type: 'DRONE' },
      unknown.report,
    );
    expect(order).toMatchObject({
      status: 'UNKNOWN',
      statusRaw: 'SOMETHING_NEW',
      shippingType: 'UNKNOWN',
      shippingTypeRaw: 'DRONE',
    });
    const known = mapOrder(
      { id: '2', status: 'DELIVERED', shipping_type: 'TIKTOK' },
      unknown.report,
    );
    expect(known).toMatchObject({ status: 'DELIVERED', shippingType: 'TIKTOK' });
    const [shop] = mapAuthorizedShops(
      { shops: [{ id: '3', seller_type: 'FRANCHISE' }] },
      unknown.report,
    );
    expect(shop!.sellerType).toBe('FRANCHISE');
    expect(unknown.told).toEqual([
      ['order.status', 'SOMETHING_NEW'],
      ['order.shipping_type', 'DRONE'],
      ['shop.seller_type', 'FRANCHISE'],
    ]);
  });

  it('webhook subscriptions (§6.10): times as Dates, a topic added since kept as UNKNOWN', () => {
    const unknown = collectUnknown();
    const subscriptions = mapWebhooks(
      {
        webhooks: [
          {
            event_type: 'ORDER_STATUS_CHANGE',
            address: 'https://a.example.com/x',
            create_time: 1700000000,
            update_time: '1700000060',
          },
          { event_type: 'SHOP_CHANGE', address: 'https://a.example.com/y' },
        ],
        total_count: 2,
      },
      unknown.report,
    );
    expect(subscriptions).toEqual([
      {
        eventType: 'ORDER_STATUS_CHANGE',
        eventTypeRaw: 'ORDER_STATUS_CHANGE',
        address: 'https://a.example.com/x',
        createdAt: new Date(1700000000_000),
        updatedAt: new Date(1700000060_000),
      },
      {
        eventType: 'UNKNOWN',
        eventTypeRaw: 'SHOP_CHANGE',
        address: 'https://a.example.com/y',
        createdAt: new Date(0),
        updatedAt: new Date(0),
      },
    ]);
    expect(unknown.told).toEqual([['webhook.event_type', 'SHOP_CHANGE']]);
    expect(mapWebhooks(null, unknown.report)).toEqual([]);
  });

  it('a product without status (§6.2): UNKNOWN, raw null, nothing told', () => {
    const unknown = collectUnknown();
    expect(mapProduct({ id: '1' }, unknown.report)).toMatchObject({
      status: 'UNKNOWN',
      statusRaw: null,
    });
    expect(unknown.told).toEqual([]);
  });

  it('analytics intervals end on their last day, inclusive (§6.8)', () => {
    const performance = mapShopPerformance({
      latest_available_date: '2024-05-31',
      performance: {
        intervals: [
          { start_date: '2024-05-01', end_date: '2024-06-01' },
          { start_date: '2024-03-01', end_date: '2024-03-01' },
          { start_date: '2024-05-01', end_date: 'soon' },
        ],
      },
    });
    expect(performance.intervals.map(({ startDate, endDate }) => [startDate, endDate])).toEqual([
      ['2024-05-01', '2024-05-31'],
      ['2024-03-01', '2024-02-29'],
      // Unreadable: left as sent, for the Date scalar to refuse.
      ['2024-05-01', 'soon'],
    ]);
    expect(performance.comparisonIntervals).toEqual([]);
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
          productId: '1729592969712207008',
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
    const product = mapProduct(
      {
        id: '1',
        category_chains: [
          { id: '602118', parent_id: '0', local_name: 'Phones & Electronics', is_leaf: false },
          { id: '909320', parent_id: '602118', local_name: 'Phone Cases', is_leaf: true },
        ],
        brand: null,
      },
      report,
    );
    expect(product.categoryPath).toEqual([
      { id: '602118', name: 'Phones & Electronics', parentId: null, isLeaf: false },
      { id: '909320', name: 'Phone Cases', parentId: '602118', isLeaf: true },
    ]);
    expect(product.brand).toBeNull();
    expect(product.images).toEqual([]);
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
      startedAt: new Date(1794693734 * 1000),
      endedAt: new Date(1794700874 * 1000),
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
    expect(
      toProductSearchBody({ status: 'ACTIVATE', updatedFrom: new Date(1694309208 * 1000) }),
    ).toEqual({
      status: 'ACTIVATE',
      update_time_ge: 1694309208,
    });
  });

  it('search bodies: none at all without a condition (§4), an empty list being none', () => {
    for (const filter of [undefined, {}, { status: null, sellerSkus: [], skuIds: null }]) {
      expect(toProductSearchBody(filter)).toBeUndefined();
    }
    expect(toOrderSearchBody(undefined)).toBeUndefined();
    expect(toOrderSearchBody({ warehouseIds: [], buyerUserId: null })).toBeUndefined();
    expect(toProductSearchBody({ skuIds: ['1'], sellerSkus: [] })).toEqual({ sku_ids: ['1'] });
  });

  it('order search body: times as Unix seconds, null conditions left out', () => {
    expect(
      toOrderSearchBody({
        status: 'AWAITING_SHIPMENT',
        createdFrom: new Date(1694309208_500),
        createdBefore: null,
        buyerUserId: null,
        warehouseIds: ['7068517275539719942'],
      }),
    ).toEqual({
      order_status: 'AWAITING_SHIPMENT',
      create_time_ge: 1694309208,
      warehouse_ids: ['7068517275539719942'],
    });
  });

  it('webhook bodies (§6.10): the address and topic, snake_case', () => {
    expect(
      toWebhookPutBody({ eventType: 'PACKAGE_UPDATE', address: 'https://a.example.com/x' }),
    ).toEqual({ address: 'https://a.example.com/x', event_type: 'PACKAGE_UPDATE' });
    expect(toWebhookDeleteBody('PACKAGE_UPDATE')).toEqual({ event_type: 'PACKAGE_UPDATE' });
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
