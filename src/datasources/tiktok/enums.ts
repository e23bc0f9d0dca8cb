// The enums the gateway maps from TikTok, their known values, and what becomes of a value not
// known yet (issue 11). TikTok adds values without notice (§6), so a record carrying one is kept:
// its field reads UNKNOWN, TikTok's own string stays beside it, and the value is logged once.

/** Stands for a value this gateway does not know yet; the record keeps TikTok's string too. */
export const UNKNOWN = 'UNKNOWN';

/** The values each enum field is known to take, keyed `<record>.<wire key>` as they are logged. */
export const TIKTOK_ENUMS = {
  // §6.6
  'order.status': [
    'UNPAID',
    'ON_HOLD',
    'AWAITING_SHIPMENT',
    'PARTIALLY_SHIPPING',
    'AWAITING_COLLECTION',
    'IN_TRANSIT',
    'DELIVERED',
    'COMPLETED',
    'CANCELLED',
  ],
  'order.shipping_type': ['TIKTOK', 'SELLER'],
  // §6.1
  'product.status': [
    'DRAFT',
    'PENDING',
    'FAILED',
    'ACTIVATE',
    'SELLER_DEACTIVATED',
    'PLATFORM_DEACTIVATED',
    'FREEZE',
    'DELETED',
  ],
  // §3
  'shop.seller_type': ['LOCAL', 'CROSS_BORDER'],
  // §8 type 27 (INVENTORY_STATUS_CHANGE)
  'inventory.current_inventory_status': ['SUFFICIENT_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK'],
  // §6.10 subscriptions name the §8 topics by their Event API names; type 27 has none known.
  'webhook.event_type': [
    'ORDER_STATUS_CHANGE',
    'REVERSE_ORDER_STATUS_UPDATE',
    'REVERSE_STATUS_UPDATE',
    'RECIPIENT_ADDRESS_UPDATE',
    'PACKAGE_UPDATE',
    'PRODUCT_STATUS_CHANGE',
    'SELLER_DEAUTHORIZATION',
    'UPCOMING_AUTHORIZATION_EXPIRATION',
    'CANCELLATION_STATUS_CHANGE',
    'RETURN_STATUS_CHANGE',
    'NEW_CONVERSATION',
    'NEW_MESSAGE',
    'PRODUCT_INFORMATION_CHANGE',
    'PRODUCT_CREATION',
    'PRODUCT_CATEGORY_CHANGE',
    'NEW_MESSAGE_LISTENER',
    'INVOICE_STATUS_CHANGE',
    'PRODUCT_AUDIT_STATUS_CHANGE',
  ],
} as const;

export type TikTokEnumField = keyof typeof TIKTOK_ENUMS;

/** What a field of the domain holds: one of its known values, or UNKNOWN. */
export type EnumValue<F extends TikTokEnumField> =
  | (typeof TIKTOK_ENUMS)[F][number]
  | typeof UNKNOWN;

/** A value without UNKNOWN: what can be sent to TikTok, e.g. as a search filter. */
export type Known<T extends string> = Exclude<T, typeof UNKNOWN>;

/** Told of a value a mapper did not know (wire.ts); the clients log each one once. */
export type UnknownValueReporter = (field: TikTokEnumField, raw: string) => void;

/** `raw` if it is one of the field's known values, else UNKNOWN. */
export function knownValueOf<F extends TikTokEnumField>(field: F, raw: string): EnumValue<F> {
  const known: readonly string[] = TIKTOK_ENUMS[field];
  return (known.includes(raw) ? raw : UNKNOWN) as EnumValue<F>;
}

/** Distinct (field, value) pairs remembered; TikTok's enums grow by a few values a year. */
const MAX_REMEMBERED = 1_000;

/**
 * The reporter a client hands its mappers: one warning per (field, value) for the life of the
 * client, so an operator learns of the value without a line per record.
 */
export function createUnknownValueLog(logger?: {
  warn(fields: Record<string, unknown>, message?: string): void;
}): UnknownValueReporter {
  const seen = new Set<string>();
  return (field, raw) => {
    const key = `${field}\n${raw}`;
    if (seen.has(key) || seen.size >= MAX_REMEMBERED) return;
    seen.add(key);
    logger?.warn(
      { field, value: raw.slice(0, 100) },
      'TikTok sent a value this gateway does not know; the field reads UNKNOWN, the raw value is kept',
    );
  };
}
