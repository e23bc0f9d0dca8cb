// The `unknownEnums` fault (issue 11): clean answers whose enum fields carry a value TikTok never
// sent before, as it does when it adds one without notice (§6), so a client's tolerance of new
// values can be tested.
import type { UnknownEnumField } from './types.js';

export const DEFAULT_UNKNOWN_ENUM_VALUE = 'SOMETHING_NEW';

type RecordsOf = (data: Record<string, unknown>) => unknown;

const listAt =
  (key: string): RecordsOf =>
  (data) =>
    data[key];
const itself: RecordsOf = (data) => [data];
const ORDERS = { 'order.search': listAt('orders'), 'order.detail': listAt('orders') };

/** Where each field sits: its wire key, and the records of each endpoint's `data` that carry it. */
const PLACES: Record<UnknownEnumField, { key: string; endpoints: Record<string, RecordsOf> }> = {
  'order.status': { key: 'status', endpoints: ORDERS },
  'order.shipping_type': { key: 'shipping_type', endpoints: ORDERS },
  'product.status': {
    key: 'status',
    endpoints: { 'product.search': listAt('products'), 'product.detail': itself },
  },
  'shop.seller_type': { key: 'seller_type', endpoints: { 'authorization.shops': listAt('shops') } },
};

export const UNKNOWN_ENUM_FIELDS = Object.keys(PLACES) as UnknownEnumField[];

/**
 * Gives the 1st, 3rd, 5th… record of `endpoint`'s answer `value` for each of `fields`, so a page
 * mixes known and unknown values. Edits `data` in place: route answers are built per request.
 */
export function applyUnknownEnums(
  endpoint: string,
  data: unknown,
  fields: readonly UnknownEnumField[],
  value: string,
): void {
  if (typeof data !== 'object' || data === null) return;
  for (const field of fields) {
    const { key, endpoints } = PLACES[field];
    const records = endpoints[endpoint]?.(data as Record<string, unknown>);
    if (!Array.isArray(records)) continue;
    records.forEach((record, index) => {
      if (index % 2 === 0 && typeof record === 'object' && record !== null) {
        (record as Record<string, unknown>)[key] = value;
      }
    });
  }
}
