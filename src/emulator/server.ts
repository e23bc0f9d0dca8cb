// createEmulator: the TikTok Shop emulator over the seeded store and the domain: its routes, the
// order lifecycle, Seller Center edits and the events they raise, wired to the protocol core.
import { createChangeAdminRoutes } from './changes/change-admin-routes.js';
import { createDomainHandle } from './changes/domain-handle.js';
import { createOrderLifecycle } from './changes/order-lifecycle.js';
import { createEventRaiser } from './changes/shop-events.js';
import { createStore } from './data.js';
import { startEmulator } from './emulator-core.js';
import { createDomainRoutes } from './routes/index.js';
import type { EmulatorHandle, EmulatorOptions } from './types.js';

export { DEMO_APP } from './demo-app.js';

/** Starts an emulator on loopback (port 0 by default); close the handle when done. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const now = options.now ?? Date.now;
  const store = createStore({ seed: options.seed ?? 1, scale: options.scale ?? 1, now });
  return startEmulator(
    store,
    ({ deliverWebhook }) => {
      const raise = createEventRaiser(store, deliverWebhook);
      const lifecycle = createOrderLifecycle({ store, raise, now, timer: options.clockTimer });
      const handle = createDomainHandle(store, raise, lifecycle);
      return {
        routes: createDomainRoutes(store, raise),
        adminRoutes: createChangeAdminRoutes(handle),
        handle,
        close: () => lifecycle.close(),
      };
    },
    options,
  );
}
