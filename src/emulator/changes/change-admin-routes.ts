// Admin routes that change the emulator's world from outside, as TikTok's side would: the order
// lifecycle clock, one order's next step, Seller Center product edits and raw events.
import {
  type AdminRoute,
  adminRoute,
  bad,
  ok,
  refusingRangeErrors,
  withJsonObject,
} from '../admin-routes.js';
import type { ClockTimer, DomainHandle, ProductEdit } from '../types.js';

export function createChangeAdminRoutes(handle: DomainHandle): AdminRoute[] {
  return [
    adminRoute('GET clock', () => ok({ clock: handle.lifecycleClock() })),
    adminRoute('PUT clock', ({ body }) =>
      withJsonObject(body, (value) => {
        if (!('timer' in value))
          return bad(400, 'body is { timer: { everyMs, advanceMs } | null }');
        handle.setClockTimer(value.timer as ClockTimer | null);
        return ok({ clock: handle.lifecycleClock() });
      }),
    ),
    adminRoute('POST clock/advance', ({ body }) =>
      withJsonObject(body, (value) => {
        const transitions = handle.advanceClock(value.ms as number);
        return ok({ clock: handle.lifecycleClock(), transitions });
      }),
    ),
    adminRoute('POST orders/:order_id/advance', (_arrived, params) =>
      refusingRangeErrors(() => ok({ transition: handle.advanceOrder(params.order_id ?? '') })),
    ),
    adminRoute('PATCH products/:product_id', ({ body }, params) =>
      withJsonObject(body, (value) =>
        ok({ events: handle.editProduct(params.product_id ?? '', value as ProductEdit) }),
      ),
    ),
    adminRoute('POST events', ({ body }) =>
      withJsonObject(body, (value) => {
        const { type, shopId, data } = value;
        return ok({
          event: handle.raiseEvent({
            type: type as number,
            shopId: shopId as string,
            data: data as Record<string, unknown> | undefined,
          }),
        });
      }),
    ),
  ];
}
