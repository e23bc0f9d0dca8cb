// A shop-scoped domain route in one line: its log name, `METHOD /path` (the way Octokit names an
// endpoint) and a handler that answers the `data` of a success envelope, or throws RouteFailure
// for TikTok's error answer.

import type { ShopData } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition, RouteRequest } from '../route-types.js';
import type { Scope } from '../scopes.js';
import { RouteFailure } from './validation.js';

export type RouteLine = `${RouteDefinition['method']} /${string}`;

/** Answers the route's `data`, given the request and the shop it is about. */
export type ShopRouteHandler = (request: RouteRequest, data: ShopData) => unknown;

/**
 * Declares routes that need `shop_cipher` (§1) and one scope: `route(endpoint, 'METHOD /path',
 * handler, options?)`. The core resolves the shop before a handler runs.
 */
export function shopRoutes(store: EmulatorStore, scope: Scope) {
  return (
    endpoint: string,
    line: RouteLine,
    handler: ShopRouteHandler,
    options: Pick<RouteDefinition, 'isBodyOptional'> = {},
  ): RouteDefinition => {
    const [method, pattern] = line.split(' ') as [RouteDefinition['method'], string];
    return {
      method,
      pattern,
      endpoint,
      isShopScoped: true,
      scope,
      isBodyOptional: options.isBodyOptional ?? false,
      handle(request) {
        if (!request.shop) throw new Error('Shop-scoped route called without a resolved shop');
        try {
          return { data: handler(request, store.shopData(request.shop.id)) };
        } catch (error) {
          if (!(error instanceof RouteFailure)) throw error;
          return {
            error: { code: error.code, message: error.message, httpStatus: error.httpStatus },
          };
        }
      },
    };
  };
}
