// Every domain route of the emulator, over one seeded store. The core (server.ts) checks auth,
// shop and scope before calling a handler; handlers validate arguments and do the work.

import { type RaiseEvent, raiseNothing } from '../changes/shop-events.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { createAnalyticsRoutes } from './analytics.js';
import { createContentRoutes } from './content.js';
import { createEventRoutes } from './events.js';
import { createInventoryRoutes } from './inventory.js';
import { createLogisticsRoutes } from './logistics.js';
import { createOrderRoutes } from './orders.js';
import { createProductRoutes } from './products.js';

/** @param raise Raises the §8 events writes cause (default: none, for handler-level tests). */
export function createDomainRoutes(
  store: EmulatorStore,
  raise: RaiseEvent = raiseNothing,
): RouteDefinition[] {
  return [
    ...createProductRoutes(store),
    ...createInventoryRoutes(store, raise),
    ...createLogisticsRoutes(store),
    ...createOrderRoutes(store),
    ...createAnalyticsRoutes(store),
    ...createContentRoutes(store),
    ...createEventRoutes(store),
  ];
}
