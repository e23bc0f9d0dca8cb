// The in-memory TokenStore against the shared contract battery.
import { createMemoryTokenStore } from '../../src/auth/token-store.js';
import { batteryOfTests } from './token-store-battery.js';

batteryOfTests('memory', {
  isEncrypted: false,
  async create(now) {
    // One process, one memory: every `open` is the same store.
    const store = createMemoryTokenStore({ now });
    return { open: async () => store, close: async () => undefined };
  },
});
