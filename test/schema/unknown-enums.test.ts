// Enum values TikTok adds without notice (issue 11): with the emulator sending one in every other
// record, every page keeps every record, the field reads UNKNOWN beside TikTok's string, the value
// is logged once, and UNKNOWN is refused as a filter before anything goes upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnknownEnumField } from '../../src/emulator/types.js';
import type { Logger } from '../../src/logger.js';
import { type Json, startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** A logger that keeps its warnings, to count what an operator would see. */
function recordWarnings() {
  const warnings: Array<Record<string, unknown>> = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (fields) => void warnings.push(fields),
    error() {},
  };
  return {
    logger,
    /** Warnings about `field`'s unknown values, as `field value`. */
    about: (field: UnknownEnumField) =>
      warnings.filter((line) => line.field === field).map((line) => `${line.field} ${line.value}`),
  };
}

const ORDERS = `{ orders(first: 20) { totalCount edges { node {
  id status statusRaw shippingType shippingTypeRaw payment { total { amount } } } } } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { id status statusRaw shippingType shippingTypeRaw } }`;
const PRODUCTS = `{ products(first: 20) { totalCount edges { node { id title status statusRaw } } } }`;
const PRODUCT = `query ($id: ID!) { product(id: $id) { id status statusRaw description } }`;
const SHOPS = '{ shops { id region sellerType sellerTypeRaw } }';

type Node = Record<string, string>;
const nodesOf = (body: Json, list: string): Node[] =>
  body.data[list].edges.map((edge: { node: Node }) => edge.node);

describe('enum values the gateway does not know yet', () => {
  let t: TestGateway;
  const log = recordWarnings();
  /** The same lists with no fault: what every record really says. */
  let knownOrders: Node[];
  let knownProducts: Node[];

  beforeAll(async () => {
    t = await startTestGateway({ logger: log.logger, env: { CACHE_ENABLED: 'false' } });
    knownOrders = nodesOf((await t.executeText(ORDERS)).body as Json, 'orders');
    knownProducts = nodesOf((await t.executeText(PRODUCTS)).body as Json, 'products');
  });
  afterAll(async () => {
    await t.close();
  });

  /** Reads `query` twice with `field` faulted: both replies, and the warnings about the field. */
  async function readWithUnknown(field: UnknownEnumField, query: string, variables?: Json) {
    t.emulator.setFaults({ unknownEnums: [field] });
    try {
      const first = await t.executeText(query, variables);
      const second = await t.executeText(query, variables);
      expect(second.body).toEqual(first.body);
      return first.body as Json;
    } finally {
      t.emulator.setFaults({});
    }
  }

  it.each([
    ['order.status', 'status', 'statusRaw'],
    ['order.shipping_type', 'shippingType', 'shippingTypeRaw'],
  ] as const)('%s: the orders page keeps every order', async (field, key, rawKey) => {
    const body = await readWithUnknown(field, ORDERS);
    expect(body.errors).toBeUndefined();
    const orders = nodesOf(body, 'orders');
    expect(orders.map((order) => order.id)).toEqual(knownOrders.map((order) => order.id));
    expect(body.data.orders.totalCount).toBeGreaterThan(orders.length);
    orders.forEach((order, index) => {
      const known = knownOrders[index]!;
      if (index % 2 === 0) {
        expect(order).toEqual({ ...known, [key]: 'UNKNOWN', [rawKey]: 'SOMETHING_NEW' });
      } else {
        expect(order).toEqual(known);
        expect(order[rawKey]).toBe(order[key]);
      }
    });
    expect(log.about(field)).toEqual([`${field} SOMETHING_NEW`]);
  });

  it('order.status: one order by id (Get Order Detail) reads UNKNOWN with the raw value', async () => {
    const [order] = knownOrders;
    const body = await readWithUnknown('order.status', ORDER, { id: order!.id });
    expect(body).toEqual({
      data: {
        order: { ...order, payment: undefined, statusRaw: 'SOMETHING_NEW', status: 'UNKNOWN' },
      },
    });
  });

  it('product.status: the products page and Get Product keep every product', async () => {
    const body = await readWithUnknown('product.status', PRODUCTS);
    expect(body.errors).toBeUndefined();
    const products = nodesOf(body, 'products');
    expect(products.map((product) => product.id)).toEqual(
      knownProducts.map((product) => product.id),
    );
    products.forEach((product, index) => {
      const known = knownProducts[index]!;
      expect(product).toEqual(
        index % 2 === 0 ? { ...known, status: 'UNKNOWN', statusRaw: 'SOMETHING_NEW' } : known,
      );
    });
    const detail = await readWithUnknown('product.status', PRODUCT, { id: products[1]!.id });
    expect(detail.errors).toBeUndefined();
    expect(detail.data.product).toMatchObject({ status: 'UNKNOWN', statusRaw: 'SOMETHING_NEW' });
    expect(log.about('product.status')).toEqual(['product.status SOMETHING_NEW']);
  });

  it('logs each new value once: a second value is a second line, repeats none', async () => {
    t.emulator.setFaults({ unknownEnums: ['order.status'], unknownEnumValue: 'ANOTHER_NEW' });
    try {
      await t.executeText(ORDERS);
      await t.executeText(ORDERS);
    } finally {
      t.emulator.setFaults({});
    }
    expect(log.about('order.status')).toEqual([
      'order.status SOMETHING_NEW',
      'order.status ANOTHER_NEW',
    ]);
  });

  it.each([
    ['orders', 'status', '{ orders(first: 1, filter: { status: UNKNOWN }) { totalCount } }'],
    [
      'orders',
      'shippingType',
      '{ orders(first: 1, filter: { shippingType: UNKNOWN }) { totalCount } }',
    ],
    ['products', 'status', '{ products(first: 1, filter: { status: UNKNOWN }) { totalCount } }'],
  ])('refuses UNKNOWN as a %s filter.%s before any upstream call', async (list, key, query) => {
    t.resetCalls();
    const { body } = await t.executeText(query);
    expect(body.data).toEqual({ [list]: null });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0]!.message).toContain(`filter.${key}: UNKNOWN`);
    expect(t.totalCalls()).toBe(0);
  });
});

describe('a seller type the gateway does not know yet', () => {
  it('keeps every shop, reads UNKNOWN beside the raw value, logs it once', async () => {
    const log = recordWarnings();
    const t = await startTestGateway({
      logger: log.logger,
      faults: { unknownEnums: ['shop.seller_type'] },
    });
    try {
      const { body } = await t.executeText<Json>(SHOPS);
      expect(body.errors).toBeUndefined();
      const shops = body.data!.shops as Node[];
      expect(shops.map((shop) => shop.id)).toEqual(t.seller.shops.map((shop) => shop.id));
      expect(shops[0]).toMatchObject({ sellerType: 'UNKNOWN', sellerTypeRaw: 'SOMETHING_NEW' });
      expect(shops[1]!.sellerType).toBe(shops[1]!.sellerTypeRaw);
      expect(['LOCAL', 'CROSS_BORDER']).toContain(shops[1]!.sellerType);
      expect(log.about('shop.seller_type')).toEqual(['shop.seller_type SOMETHING_NEW']);
    } finally {
      await t.close();
    }
  });
});
