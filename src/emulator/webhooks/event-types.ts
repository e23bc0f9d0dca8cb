// The §8 webhook topics: the numeric `type` a delivery carries and the Event API name a shop
// subscribes with (§6.10).

/** Event API names by `type` (§8). Type 2 has a current and a legacy name. */
export const EVENT_NAMES_BY_TYPE: ReadonlyMap<number, readonly string[]> = new Map([
  [1, ['ORDER_STATUS_CHANGE']],
  [2, ['REVERSE_ORDER_STATUS_UPDATE', 'REVERSE_STATUS_UPDATE']],
  [3, ['RECIPIENT_ADDRESS_UPDATE']],
  [4, ['PACKAGE_UPDATE']],
  [5, ['PRODUCT_STATUS_CHANGE']],
  [6, ['SELLER_DEAUTHORIZATION']],
  [7, ['UPCOMING_AUTHORIZATION_EXPIRATION']],
  [11, ['CANCELLATION_STATUS_CHANGE']],
  [12, ['RETURN_STATUS_CHANGE']],
  [13, ['NEW_CONVERSATION']],
  [14, ['NEW_MESSAGE']],
  [15, ['PRODUCT_INFORMATION_CHANGE']],
  [16, ['PRODUCT_CREATION']],
  [18, ['PRODUCT_CATEGORY_CHANGE']],
  [33, ['NEW_MESSAGE_LISTENER']],
  [36, ['INVOICE_STATUS_CHANGE']],
  [37, ['PRODUCT_AUDIT_STATUS_CHANGE']],
]);

/** Every Event API name of the §8 topics, as `PUT /event/202309/webhooks` accepts them. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [...EVENT_NAMES_BY_TYPE.values()].flat();

/** The topics the emulator itself raises (the rest come only from the raw-event admin route). */
export const EVENT_TYPE = {
  orderStatusChange: 1,
  productStatusChange: 5,
  productInformationChange: 15,
  inventoryStatusChange: 27,
  productAuditStatusChange: 37,
} as const;

/**
 * The addresses a delivery of `type` goes to, given a shop's subscriptions (event name → address).
 * A type §8 names goes to the addresses subscribed under its names. A type without an Event API
 * name (27, or one TikTok adds without notice) goes to every address the shop subscribed: the
 * emulator has no Partner Center app URL, so the shop's addresses stand in for it.
 */
export function addressesFor(type: number, subscriptions: ReadonlyMap<string, string>): string[] {
  const names = EVENT_NAMES_BY_TYPE.get(type);
  const addresses = names
    ? names.flatMap((name) => {
        const address = subscriptions.get(name);
        return address === undefined ? [] : [address];
      })
    : [...subscriptions.values()];
  return [...new Set(addresses)];
}
