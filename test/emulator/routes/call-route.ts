// Builds emulator stores and calls domain route handlers directly, the way the core would after
// its auth / shop / scope checks. No HTTP here: those tests belong to the core.

import { createStore, type EmulatorStore } from '../../../src/emulator/data.js';
import type { RouteResult, StoreShop } from '../../../src/emulator/route-types.js';
import { createDomainRoutes } from '../../../src/emulator/routes/index.js';
import type { FaultConfig } from '../../../src/emulator/types.js';

/** A fixed emulator clock: 2025-06-15 12:00 UTC. */
export const NOW_MS = Date.UTC(2025, 5, 15, 12, 0, 0);
/** The UTC date of NOW_MS, and the day after (the latest end_date_lt analytics accept). */
export const TODAY = '2025-06-15';
export const TOMORROW = '2025-06-16';

export interface CallInput {
  shop?: StoreShop;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  nowMs?: number;
  faults?: FaultConfig;
}

export interface RouteHarness {
  store: EmulatorStore;
  /** The first shop (US, LOCAL, USD, 3 warehouses). */
  shop: StoreShop;
  call(endpoint: string, input?: CallInput): RouteResult;
  /** Calls and returns `data`, failing the test when the route answered an error. */
  data<T = Record<string, unknown>>(endpoint: string, input?: CallInput): T;
  /** Calls and returns the error, failing the test when the route succeeded. */
  error(endpoint: string, input?: CallInput): { code: number; message: string; httpStatus: number };
}

export function createHarness(options: { seed?: number; scale?: number } = {}): RouteHarness {
  const store = createStore({
    seed: options.seed ?? 7,
    scale: options.scale ?? 0.2,
    now: () => NOW_MS,
  });
  const routes = createDomainRoutes(store);
  const shop = store.shops[0]!;
  const call = (endpoint: string, input: CallInput = {}): RouteResult => {
    const route = routes.find((candidate) => candidate.endpoint === endpoint);
    if (!route) throw new Error(`No route named ${endpoint}`);
    const target = input.shop ?? shop;
    const seller = store.sellers.find((candidate) => candidate.openId === target.sellerOpenId)!;
    return route.handle({
      params: input.params ?? {},
      query: input.query ?? {},
      body: input.body,
      shop: target,
      seller,
      now: input.nowMs ?? NOW_MS,
      faults: input.faults ?? {},
    });
  };
  return {
    store,
    shop,
    call,
    data<T>(endpoint: string, input?: CallInput): T {
      const result = call(endpoint, input);
      if ('error' in result) {
        throw new Error(`${endpoint} failed: ${result.error.code} ${result.error.message}`);
      }
      return result.data as T;
    },
    error(endpoint: string, input?: CallInput) {
      const result = call(endpoint, input);
      if (!('error' in result)) throw new Error(`${endpoint} succeeded but an error was expected`);
      return result.error;
    },
  };
}
