// webhookSubscriptions and updateWebhookSubscriptions against the emulator's Event API (§6.10):
// the round trip (set, read, move, delete, per shop), the checks made before anything is sent
// (0 upstream calls), and per-topic failures beside the list read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSubscriptionsDocument } from '../generated/graphql.js';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const LIST = `query ($shopId: ID) {
  webhookSubscriptions(shopId: $shopId) { eventType eventTypeRaw address createdAt updatedAt }
}`;

const UPDATE = `mutation ($input: UpdateWebhookSubscriptionsInput!) {
  updateWebhookSubscriptions(input: $input) {
    shopId
    results { eventType outcome code reason }
    subscriptions { eventType eventTypeRaw address createdAt updatedAt }
  }
}`;

const ADDRESS = 'https://hooks.example.com/webhooks/tiktok';

describe('webhook subscriptions', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(async () => {
    await t.close();
  });

  const update = async (input: Json) => {
    t.resetCalls();
    const reply = await t.executeText(UPDATE, { input });
    return { ...reply, calls: t.calls() };
  };
  const list = async (shopId?: string) => {
    const { body } = await t.executeText(LIST, { shopId });
    expect(body.errors).toBeUndefined();
    return (body.data as Json).webhookSubscriptions as Json[];
  };
  const byType = (subscriptions: Json[]) =>
    Object.fromEntries(subscriptions.map((s) => [s.eventType, s.address]));

  it('sets, reads, moves and deletes subscriptions, one call per topic plus one read', async () => {
    const us = t.shopIn('US').id;
    expect(await list()).toEqual([]);

    const set = await update({ address: ADDRESS, set: ['ORDER_STATUS_CHANGE', 'PACKAGE_UPDATE'] });
    expect(set.body.errors).toBeUndefined();
    const payload = (set.body.data as Json).updateWebhookSubscriptions;
    expect(payload.shopId).toBe(us);
    expect(payload.results).toEqual([
      { eventType: 'ORDER_STATUS_CHANGE', outcome: 'SET', code: null, reason: null },
      { eventType: 'PACKAGE_UPDATE', outcome: 'SET', code: null, reason: null },
    ]);
    expect(byType(payload.subscriptions)).toEqual({
      ORDER_STATUS_CHANGE: ADDRESS,
      PACKAGE_UPDATE: ADDRESS,
    });
    expect(payload.subscriptions[0].eventTypeRaw).toBe(payload.subscriptions[0].eventType);
    expect(set.calls).toEqual({ 'event.webhooks.update': 2, 'event.webhooks.list': 1 });

    t.resetCalls();
    const read = await list();
    expect(read).toEqual(payload.subscriptions);
    expect(t.calls()).toEqual({ 'event.webhooks.list': 1 });
    // The example operation (operations/18-webhook-subscriptions.graphql) reads the same.
    const example = await t.execute(WebhookSubscriptionsDocument, {});
    expect(example.body.data?.webhookSubscriptions).toEqual(read);
    // Another shop of the same seller has its own subscriptions.
    expect(await list(t.shopIn('GB').id)).toEqual([]);

    const moved = 'https://other.example.com/hooks?source=tiktok';
    const change = await update({
      address: moved,
      set: ['ORDER_STATUS_CHANGE'],
      delete: ['PACKAGE_UPDATE'],
    });
    const changed = (change.body.data as Json).updateWebhookSubscriptions;
    expect(changed.results.map((r: Json) => [r.eventType, r.outcome])).toEqual([
      ['ORDER_STATUS_CHANGE', 'SET'],
      ['PACKAGE_UPDATE', 'DELETED'],
    ]);
    expect(byType(changed.subscriptions)).toEqual({ ORDER_STATUS_CHANGE: moved });
    // Moving keeps the subscription's creation time.
    expect(changed.subscriptions[0].createdAt).toBe(read[0]!.createdAt);
    expect(change.calls).toEqual({
      'event.webhooks.update': 1,
      'event.webhooks.delete': 1,
      'event.webhooks.list': 1,
    });

    // The same mutation again leaves the same subscriptions.
    const again = await update({ delete: ['PACKAGE_UPDATE', 'ORDER_STATUS_CHANGE'] });
    expect(
      (again.body.data as Json).updateWebhookSubscriptions.results.map((r: Json) => r.outcome),
    ).toEqual(['DELETED', 'DELETED']);
    expect(await list()).toEqual([]);
  });

  it('takes an address of exactly 255 characters', async () => {
    const prefix = 'https://hooks.example.com/';
    const address = prefix + 'a'.repeat(255 - prefix.length);
    const { body } = await update({ address, set: ['PRODUCT_CREATION'] });
    expect(body.errors).toBeUndefined();
    expect(byType((body.data as Json).updateWebhookSubscriptions.subscriptions)).toEqual({
      PRODUCT_CREATION: address,
    });
    await update({ delete: ['PRODUCT_CREATION'] });
  });

  it.each([
    ['nothing to do', {}, 'input.set', /name at least one event type/],
    ['empty lists', { set: [], delete: [] }, 'input.set', /name at least one event type/],
    ['set without an address', { set: ['ORDER_STATUS_CHANGE'] }, 'input.address', /required/],
    [
      'an address with only deletions',
      { address: ADDRESS, delete: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /only set uses it/,
    ],
    [
      'plain http',
      { address: 'http://hooks.example.com/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /not https/,
    ],
    [
      'an IP address',
      { address: 'https://203.0.113.7/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /an IP address/,
    ],
    [
      'an IPv6 address',
      { address: 'https://[2001:db8::1]/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /an IP address/,
    ],
    [
      'a port',
      { address: 'https://hooks.example.com:8443/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /names a port/,
    ],
    [
      'the default port written out',
      { address: 'https://hooks.example.com:443/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /names a port/,
    ],
    [
      'a host that is no domain name',
      { address: 'https://localhost/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /not a domain name/,
    ],
    [
      'credentials in the URL',
      { address: 'https://user:hunter2@hooks.example.com/x', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /carries credentials/,
    ],
    [
      'a space',
      { address: 'https://hooks.example.com/a b', set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /not a URL as sent/,
    ],
    [
      '256 characters',
      { address: `https://hooks.example.com/${'a'.repeat(230)}`, set: ['ORDER_STATUS_CHANGE'] },
      'input.address',
      /256 characters/,
    ],
    [
      'a topic twice',
      { address: ADDRESS, set: ['ORDER_STATUS_CHANGE', 'ORDER_STATUS_CHANGE'] },
      'input.set',
      /ORDER_STATUS_CHANGE is listed twice/,
    ],
    [
      'a topic both set and deleted',
      { address: ADDRESS, set: ['PACKAGE_UPDATE'], delete: ['PACKAGE_UPDATE'] },
      'input.delete',
      /PACKAGE_UPDATE is also in set/,
    ],
    [
      'UNKNOWN',
      { delete: ['UNKNOWN'] },
      'input.delete',
      /UNKNOWN is not an event type TikTok is known to take/,
    ],
  ])(
    'refuses %s with BAD_USER_INPUT and sends nothing',
    async (_name, input, argument, message) => {
      const { status, body, calls } = await update(input);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        argumentName: argument,
      });
      expect(body.errors![0]!.message).toMatch(message);
      expect(body.errors![0]!.message).not.toContain('hunter2');
      expect(calls).toEqual({});
    },
  );

  it('refuses a shop the seller did not authorise before anything is sent', async () => {
    const { body, calls } = await update({
      shopId: '1234567890',
      address: ADDRESS,
      set: ['ORDER_STATUS_CHANGE'],
    });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(calls).toEqual({});
  });

  it('reports a topic TikTok failed, beside the others and the list read back', async () => {
    // The next Event API call answers 500 (the harness does not retry): the first PUT sent.
    t.emulator.setFaults({ script: [{ kind: 'error', count: 1 }], pathPrefixes: ['/event/'] });
    try {
      const { body, calls } = await update({ address: ADDRESS, set: ['PRODUCT_STATUS_CHANGE'] });
      expect(body.errors).toBeUndefined();
      const payload = (body.data as Json).updateWebhookSubscriptions;
      expect(payload.results).toEqual([
        {
          eventType: 'PRODUCT_STATUS_CHANGE',
          outcome: 'FAILED',
          code: 'UPSTREAM_ERROR',
          reason: expect.stringContaining('event.webhooks.update'),
        },
      ]);
      expect(payload.subscriptions).toEqual([]);
      expect(calls).toEqual({ 'event.webhooks.update': 1, 'event.webhooks.list': 1 });

      // The read back failing leaves the results and puts the error on `subscriptions`.
      t.emulator.setFaults({ errorRate: 1, pathPrefixes: ['/event/'] });
      const failed = await update({ delete: ['PRODUCT_STATUS_CHANGE'] });
      const both = (failed.body.data as Json).updateWebhookSubscriptions;
      expect(both.results[0].outcome).toBe('FAILED');
      expect(both.subscriptions).toBeNull();
      expect(failed.body.errors).toEqual([
        expect.objectContaining({
          path: ['updateWebhookSubscriptions', 'subscriptions'],
          extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }),
        }),
      ]);
    } finally {
      t.emulator.setFaults({});
    }
  });
});
