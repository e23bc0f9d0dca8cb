// The order lifecycle clock: orders move UNPAID → (ON_HOLD →) AWAITING_SHIPMENT →
// AWAITING_COLLECTION → IN_TRANSIT → DELIVERED → COMPLETED as it is advanced, each step raising
// ORDER_STATUS_CHANGE (type 1) and moving the order's update_time. Apart from the protocol clock:
// advancing it by hours must not push client timestamps out of the §4 window.

import { hashInts } from '../data/prng.js';
import type { OrderRecord, OrderStatus } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { ClockTimer, LifecycleClock, OrderTransition } from '../types.js';
import { EVENT_TYPE } from '../webhooks/event-types.js';
import type { RaiseEvent } from './shop-events.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How long an order stays in each moving status, on the lifecycle clock. */
export const DWELL_MS: Readonly<Partial<Record<OrderStatus, number>>> = {
  UNPAID: 10 * MINUTE_MS,
  ON_HOLD: HOUR_MS,
  AWAITING_SHIPMENT: 12 * HOUR_MS,
  PARTIALLY_SHIPPING: 12 * HOUR_MS,
  AWAITING_COLLECTION: 6 * HOUR_MS,
  IN_TRANSIT: 2 * DAY_MS,
  DELIVERED: 3 * DAY_MS,
};

const NEXT_STATUS: Readonly<Partial<Record<OrderStatus, OrderStatus>>> = {
  ON_HOLD: 'AWAITING_SHIPMENT',
  AWAITING_SHIPMENT: 'AWAITING_COLLECTION',
  PARTIALLY_SHIPPING: 'IN_TRANSIT',
  AWAITING_COLLECTION: 'IN_TRANSIT',
  IN_TRANSIT: 'DELIVERED',
  DELIVERED: 'COMPLETED',
};

/** A 32-bit hash of an order id, for the per-order choices below. */
function orderHash(order: OrderRecord, salt: number): number {
  return hashInts(Number(order.id.slice(-9)), salt);
}

/** Half the paid orders pass through ON_HOLD (the US/UK remorse period), chosen by id. */
function passesOnHold(order: OrderRecord): boolean {
  return orderHash(order, 1) % 2 === 0;
}

function nextStatusOf(order: OrderRecord, status: OrderStatus): OrderStatus | undefined {
  if (status === 'UNPAID') return passesOnHold(order) ? 'ON_HOLD' : 'AWAITING_SHIPMENT';
  return NEXT_STATUS[status];
}

/**
 * When a generated order takes its first step: a share of its status' dwell in (0, 1], fixed by
 * its id, so orders of one status do not all move at the same instant.
 */
function firstDueMs(order: OrderRecord): number {
  const dwell = DWELL_MS[order.status] ?? Number.POSITIVE_INFINITY;
  return (dwell * ((orderHash(order, 2) % 1000) + 1)) / 1000;
}

/** Line items and packages follow the order: shipped items get a package (ids from the order's). */
function applyStep(order: OrderRecord, to: OrderStatus, updateTime: number): void {
  if (order.status === 'UNPAID') order.paidTime = updateTime;
  const isShipping = to === 'AWAITING_COLLECTION' || order.status === 'PARTIALLY_SHIPPING';
  if (isShipping && order.lineItems.some((item) => item.packageId === null)) {
    const packageId = `1${order.packages.length + 1}${order.id.slice(2)}`;
    order.packages.push({ id: packageId });
    for (const item of order.lineItems) item.packageId ??= packageId;
  }
  for (const item of order.lineItems) item.displayStatus = to;
  order.status = to;
  order.updateTime = updateTime;
}

export interface OrderLifecycleOptions {
  store: EmulatorStore;
  raise: RaiseEvent;
  /** Emulator clock, ms: update_time and the clock's start. */
  now: () => number;
  timer?: ClockTimer | null;
}

export interface OrderLifecycle {
  advance(ms: number): OrderTransition[];
  advanceOrder(orderId: string): OrderTransition;
  clock(): LifecycleClock;
  setTimer(timer: ClockTimer | null): void;
  close(): void;
}

export function createOrderLifecycle(options: OrderLifecycleOptions): OrderLifecycle {
  const { store, raise, now } = options;
  const startedAtMs = now();
  let advancedMs = 0;
  let timer: ClockTimer | null = null;
  let interval: NodeJS.Timeout | null = null;
  /** When each order that has moved takes its next step, on the lifecycle clock. */
  const dueMs = new Map<string, number>();
  /** Orders that went through ON_HOLD here: `is_on_hold_order` stays true for them (§8). */
  const wasOnHold = new Set<string>();

  const dueOf = (order: OrderRecord) => dueMs.get(order.id) ?? firstDueMs(order);

  /** One step, stamped now: update_time never repeats or goes back for an order. */
  function step(shopId: string, order: OrderRecord, to: OrderStatus): OrderTransition {
    const from = order.status;
    const updateTime = Math.max(Math.floor(now() / 1000), order.updateTime + 1);
    applyStep(order, to, updateTime);
    if (from === 'ON_HOLD' || to === 'ON_HOLD') wasOnHold.add(order.id);
    const event = raise(shopId, EVENT_TYPE.orderStatusChange, {
      order_id: order.id,
      order_status: to,
      is_on_hold_order: wasOnHold.has(order.id),
      update_time: updateTime,
    });
    return {
      shopId,
      orderId: order.id,
      from,
      to,
      updateTime,
      notificationId: event.notificationId,
    };
  }

  function advance(ms: number): OrderTransition[] {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError('ms must be a number >= 0');
    advancedMs += ms;
    // Every step that fell due, oldest first across shops, so events go out in clock order.
    const due: Array<{ shopId: string; order: OrderRecord; to: OrderStatus; atMs: number }> = [];
    for (const shop of store.shops) {
      for (const order of store.shopData(shop.id).orders) {
        let status = order.status;
        let atMs = dueOf(order);
        for (let to = nextStatusOf(order, status); to && atMs <= advancedMs; ) {
          due.push({ shopId: shop.id, order, to, atMs });
          status = to;
          atMs += DWELL_MS[to] ?? Number.POSITIVE_INFINITY;
          to = nextStatusOf(order, status);
        }
        if (status !== order.status) dueMs.set(order.id, atMs);
      }
    }
    due.sort((a, b) => a.atMs - b.atMs);
    return due.map(({ shopId, order, to }) => step(shopId, order, to));
  }

  function advanceOrder(orderId: string): OrderTransition {
    for (const shop of store.shops) {
      const order = store.shopData(shop.id).orderById.get(orderId);
      if (!order) continue;
      const to = nextStatusOf(order, order.status);
      if (!to) throw new RangeError(`order ${orderId} is ${order.status}: it has no next status`);
      dueMs.set(order.id, advancedMs + (DWELL_MS[to] ?? Number.POSITIVE_INFINITY));
      return step(shop.id, order, to);
    }
    throw new RangeError(`order ${orderId} is not an order of the emulator`);
  }

  function setTimer(next: ClockTimer | null): void {
    if (next !== null) checkTimer(next);
    if (interval) clearInterval(interval);
    interval = null;
    timer = next && { everyMs: next.everyMs, advanceMs: next.advanceMs };
    if (timer) interval = setInterval(advance, timer.everyMs, timer.advanceMs);
  }

  setTimer(options.timer ?? null);
  return {
    advance,
    advanceOrder,
    clock: () => ({ startedAtMs, advancedMs, timer: timer && { ...timer } }),
    setTimer,
    close: () => setTimer(null),
  };
}

/** Refuses a timer that would spin (below 10 ms) or never move the clock. */
function checkTimer(timer: ClockTimer): void {
  const isPlain = typeof timer === 'object' && timer !== null;
  const keys = isPlain ? Object.keys(timer) : [];
  if (
    !isPlain ||
    keys.some((key) => key !== 'everyMs' && key !== 'advanceMs') ||
    !(Number.isInteger(timer.everyMs) && timer.everyMs >= 10) ||
    !(Number.isFinite(timer.advanceMs) && timer.advanceMs > 0)
  ) {
    throw new RangeError('timer is { everyMs: integer >= 10, advanceMs: number > 0 } or null');
  }
}
