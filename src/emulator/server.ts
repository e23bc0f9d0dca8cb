// createEmulator: the TikTok Shop emulator over the seeded store and the domain routes.
import { createStore } from './data.js';
import { startEmulator } from './emulator-core.js';
import { createDomainRoutes } from './routes/index.js';
import type { EmulatorHandle, EmulatorOptions } from './types.js';

export { DEMO_APP } from './demo-app.js';

/** Starts an emulator on loopback (port 0 by default); close the handle when done. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const store = createStore({
    seed: options.seed ?? 1,
    scale: options.scale ?? 1,
    now: options.now ?? Date.now,
  });
  return startEmulator(store, createDomainRoutes(store), options);
}
