// A subscription asked for with an Accept header that allows no event stream: refused at once with
// 406 and a GraphQL error naming the header to send, rather than a request left open (issue 13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const SUBSCRIPTION = 'subscription { productChanged { productId } }';

describe('a subscription asked for as JSON', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  for (const accept of ['application/json', 'application/graphql-response+json']) {
    it(`Accept: ${accept} → 406 naming text/event-stream, nothing upstream`, async () => {
      t.resetCalls();
      const reply = await t.executeText(SUBSCRIPTION, undefined, { headers: { accept } });
      expect(reply.status).toBe(406);
      expect(reply.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      expect(reply.body.errors?.[0]?.message).toContain('text/event-stream');
      expect(t.totalCalls()).toBe(0);
    });
  }

  it('a query asked for as JSON still answers', async () => {
    const reply = await t.executeText('{ shops { id } }', undefined, {
      headers: { accept: 'application/json' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
  });
});
