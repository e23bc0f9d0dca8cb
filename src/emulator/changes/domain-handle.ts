// The handle's world-changing methods: Seller Center product edits, raw events and the order
// lifecycle clock, each raising what TikTok would send.
import type { ProductRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { DomainHandle, RaisedEvent } from '../types.js';
import type { OrderLifecycle } from './order-lifecycle.js';
import { applyProductEdit, checkProductEdit } from './product-edits.js';
import type { RaiseEvent } from './shop-events.js';

export function createDomainHandle(
  store: EmulatorStore,
  raise: RaiseEvent,
  lifecycle: OrderLifecycle,
): DomainHandle {
  function findProduct(productId: string): { shopId: string; product: ProductRecord } {
    for (const shop of store.shops) {
      const product = store.shopData(shop.id).productById.get(productId);
      if (product) return { shopId: shop.id, product };
    }
    throw new RangeError(`product ${productId} is not a product of the emulator`);
  }

  return {
    advanceClock: (ms) => lifecycle.advance(ms),
    advanceOrder: (orderId) => lifecycle.advanceOrder(orderId),
    lifecycleClock: () => lifecycle.clock(),
    setClockTimer: (timer) => lifecycle.setTimer(timer),
    editProduct(productId, edit) {
      if (typeof edit !== 'object' || edit === null) throw new RangeError('edit must be an object');
      const checked = checkProductEdit(edit as Record<string, unknown>);
      const { shopId, product } = findProduct(productId);
      const events = applyProductEdit(product, checked, Math.floor(store.now() / 1000));
      return events.map(({ type, data }) => raise(shopId, type, data));
    },
    raiseEvent({ type, shopId, data = {} }): RaisedEvent {
      if (!(Number.isSafeInteger(type) && type > 0)) {
        throw new RangeError('type must be a positive integer');
      }
      if (typeof shopId !== 'string' || !store.shopById(shopId)) {
        throw new RangeError('shopId must be one of the emulator shops');
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new RangeError('data must be a JSON object');
      }
      return raise(shopId, type, data);
    },
  };
}
