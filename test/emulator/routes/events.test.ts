import { describe, expect, it } from 'vitest';
import { createHarness, NOW_MS } from './call-route.js';

describe('event webhooks', () => {
  it('stores, replaces, lists and deletes subscriptions per shop', () => {
    const h = createHarness({ scale: 0.01 });
    const put = (body: unknown, nowMs = NOW_MS) => h.data('event.webhooks.update', { body, nowMs });
    expect(
      put({ event_type: 'ORDER_STATUS_CHANGE', address: 'https://a.example.invalid/x' }),
    ).toEqual({});
    put({ event_type: 'PACKAGE_UPDATE', address: 'https://b.example.invalid/y' });
    put(
      { event_type: 'ORDER_STATUS_CHANGE', address: 'https://c.example.invalid/z' },
      NOW_MS + 60_000,
    );

    const list = h.data<{ total_count: number; webhooks: Array<Record<string, unknown>> }>(
      'event.webhooks.list',
    );
    expect(list.total_count).toBe(2);
    expect(list.webhooks).toContainEqual({
      event_type: 'ORDER_STATUS_CHANGE',
      address: 'https://c.example.invalid/z',
      create_time: NOW_MS / 1000,
      update_time: NOW_MS / 1000 + 60,
    });
    expect(
      h.data<{ total_count: number }>('event.webhooks.list', { shop: h.store.shops[1]! })
        .total_count,
    ).toBe(0);

    expect(h.data('event.webhooks.delete', { body: { event_type: 'PACKAGE_UPDATE' } })).toEqual({});
    expect(h.data<{ total_count: number }>('event.webhooks.list').total_count).toBe(1);
  });

  it.each([
    [{ event_type: 'ORDER_STATUS_CHANGE' }],
    [{ event_type: 'ORDER_STATUS_CHANGE', address: 'http://plain.example.invalid/' }],
    [
      {
        event_type: 'ORDER_STATUS_CHANGE',
        address: `https://x.example.invalid/${'a'.repeat(250)}`,
      },
    ],
    [{ event_type: 'NOT_A_TOPIC', address: 'https://a.example.invalid/' }],
    [{ address: 'https://a.example.invalid/' }],
  ])('rejects %o with 36009004', (body) => {
    const h = createHarness({ scale: 0.01 });
    expect(h.error('event.webhooks.update', { body })).toMatchObject({
      code: 36009004,
      httpStatus: 400,
    });
  });
});
