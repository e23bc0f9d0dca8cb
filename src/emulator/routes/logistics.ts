// Get Warehouses (§6.5).

import type { WarehouseRecord } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import { shopRoutes } from './shop-route.js';

export function warehouseToWire(warehouse: WarehouseRecord) {
  return {
    id: warehouse.id,
    name: warehouse.name,
    effect_status: warehouse.effectStatus,
    type: warehouse.type,
    sub_type: warehouse.subType,
    is_default: warehouse.isDefault,
    address: {
      region: warehouse.address.region,
      state: warehouse.address.state,
      city: warehouse.address.city,
      postal_code: warehouse.address.postalCode,
      full_address: warehouse.address.fullAddress,
      region_code: warehouse.address.regionCode,
      contact_person: warehouse.address.contactPerson,
      phone_number: warehouse.address.phoneNumber,
    },
  };
}

export function createLogisticsRoutes(store: EmulatorStore): RouteDefinition[] {
  const route = shopRoutes(store, SCOPES.logistics);
  return [
    route('logistics.warehouses', 'GET /logistics/202309/warehouses', (_request, data) => ({
      warehouses: data.warehouses.map(warehouseToWire),
    })),
  ];
}
