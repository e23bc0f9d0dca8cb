// The gateway's own Prometheus metrics (issue 12), in a registry per app (not prom-client's global
// one, so several apps in one process keep apart): upstream attempts, the rate limiter, the
// shared cache, token refreshes and the circuits. The operation metrics come from Yoga's
// Prometheus plugin into the same registry (plugins/use-operation-metrics.ts), Node's own from
// process-metrics.ts. No label ever holds a shop id or a request id.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TokenRefreshOutcome } from '../auth/token-manager.js';
import { type CircuitSnapshot, rateClassOfCircuit } from '../datasources/tiktok/circuit-breaker.js';
import { ENDPOINTS, type RateClass } from '../datasources/tiktok/endpoints.js';
import { TikTokShopRateLimitError } from '../datasources/tiktok/errors.js';
import {
  type BackgroundCounts,
  NO_BACKGROUND_COUNTS,
  type RateLimiter,
} from '../datasources/tiktok/rate-limiter.js';
import type { UpstreamObserver } from '../datasources/tiktok/upstream-observer.js';
import type { ShopRun } from '../webhooks/reconciler.js';
import { createLabelGuard } from './label-guard.js';
import { processMetrics } from './process-metrics.js';

export interface GatewayMetrics {
  /** This app's registry (the operation metrics of Yoga's plugin go here too). */
  readonly registry: Registry;
  /** Counts and times every upstream attempt by endpoint, HTTP status and TikTok code. */
  readonly upstream: UpstreamObserver;
  /** The shared cache's lookups (createSharedCache's `onLookup`). */
  cacheLookup(kind: string, isHit: boolean): void;
  /** A token refresh asked of TikTok ended (createTokenManager's `onRefresh`). */
  tokenRefreshed(outcome: TokenRefreshOutcome): void;
  /** `limiter`, with its waits and its waiting callers measured per rate class. */
  observeRateLimiter(limiter: RateLimiter): RateLimiter;
  /** Reads the circuits' states at every scrape. */
  watchCircuits(states: () => CircuitSnapshot[]): void;
  /** One shop run of the reconciler ended (createReconciler's `onRun`, issue 13). */
  reconcilerRun(run: ShopRun): void;
  /** The Prometheus text exposition of this app's metrics and the process's. */
  text(): Promise<string>;
  readonly contentType: string;
}

/** Endpoint names a label may hold: the table's; a raw call's path would be one series per id. */
const KNOWN_ENDPOINTS = new Set<string>(Object.values(ENDPOINTS).map((entry) => entry.operation));
/** The classes the limiter and the breaker keep apart (auth-host calls have neither). */
const LIMITED_CLASSES: RateClass[] = ['standard', 'analytics'];
/** Circuit states as numbers, worst last. */
const CIRCUIT_STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

const UPSTREAM_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];
const WAIT_BUCKETS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  const codeLabel = createLabelGuard();

  const upstreamRequests = new Counter({
    name: 'tiktok_upstream_requests_total',
    help:
      'Attempts sent to TikTok Shop by endpoint (endpoints.ts name, `other` for raw calls), HTTP ' +
      'status (`none`: no answer came) and TikTok code (`none`: the answer carried none).',
    labelNames: ['endpoint', 'status', 'code'],
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'tiktok_upstream_request_duration_seconds',
    help: 'Time from sending an attempt to TikTok Shop to its answer read, or its failure.',
    labelNames: ['endpoint'],
    buckets: UPSTREAM_BUCKETS_S,
    registers,
  });
  const rateLimitWait = new Histogram({
    name: 'tiktok_rate_limit_wait_seconds',
    help: 'Time a call waited for a slot of the rate limiter before it was sent, by rate class.',
    labelNames: ['class'],
    buckets: WAIT_BUCKETS_S,
    registers,
  });
  const rateLimitQueue = new Gauge({
    name: 'tiktok_rate_limit_queue_depth',
    help: 'Calls waiting for a slot of the rate limiter on this replica, by rate class.',
    labelNames: ['class'],
    registers,
  });
  const rateLimitRefusals = new Counter({
    name: 'tiktok_rate_limit_refusals_total',
    help: 'Calls the rate limiter refused (queue full or wait too long): RATE_LIMITED, not sent.',
    labelNames: ['class'],
    registers,
  });
  const cacheHits = new Counter({
    name: 'gateway_cache_hits_total',
    help: 'Shared-cache lookups answered from the cache, by kind of entry.',
    labelNames: ['kind'],
    registers,
  });
  const cacheMisses = new Counter({
    name: 'gateway_cache_misses_total',
    help: 'Shared-cache lookups that had to load (upstream), by kind of entry.',
    labelNames: ['kind'],
    registers,
  });
  const tokenRefreshes = new Counter({
    name: 'tiktok_token_refreshes_total',
    help:
      'Token refreshes asked of TikTok: success, rejected (the seller must re-authorise) or ' +
      'failed (no answer or another error).',
    labelNames: ['outcome'],
    registers,
  });
  const idleSlots = new Counter({
    name: 'tiktok_rate_limit_idle_slots_total',
    help:
      "The reconciler's lowest-priority asks for a slot (only from a full bucket nobody waits " +
      'on), by rate class and outcome: granted or refused.',
    labelNames: ['class', 'outcome'],
    registers,
  });
  let limiterCounts: () => BackgroundCounts = () => NO_BACKGROUND_COUNTS;
  let delayedSoFar = 0;
  new Counter({
    name: 'tiktok_rate_limit_callers_delayed_by_background_total',
    help:
      'Callers that waited for a slot while their bucket still lacked one the reconciler took ' +
      '(a burst over the burst size within its refill): what the lowest priority cost callers.',
    registers,
    collect() {
      const { callersDelayed } = limiterCounts();
      this.inc(Math.max(0, callersDelayed - delayedSoFar));
      delayedSoFar = Math.max(delayedSoFar, callersDelayed);
    },
  });
  const reconcilerRuns = new Counter({
    name: 'tiktok_reconciler_runs_total',
    help:
      'Reconciler runs, one per shop and interval, by outcome (ran, held, recent, unavailable, ' +
      'deferred, stopped, failed).',
    labelNames: ['outcome'],
    registers,
  });
  const reconcilerCounts = new Counter({
    name: 'tiktok_reconciler_total',
    help:
      'What the reconciler did, by kind: calls (searches sent), changes (orders and products ' +
      'updated since the cursor), events (published: no webhook had reported them).',
    labelNames: ['kind'],
    registers,
  });
  let circuitStates: () => CircuitSnapshot[] = () => [];
  const byClass = () => {
    const worst = new Map<string, number>(LIMITED_CLASSES.map((rateClass) => [rateClass, 0]));
    const open = new Map<string, number>(LIMITED_CLASSES.map((rateClass) => [rateClass, 0]));
    for (const snapshot of circuitStates()) {
      const rateClass = rateClassOfCircuit(snapshot.circuit);
      const value = CIRCUIT_STATE_VALUES[snapshot.state];
      worst.set(rateClass, Math.max(worst.get(rateClass) ?? 0, value));
      if (snapshot.state === 'open') open.set(rateClass, (open.get(rateClass) ?? 0) + 1);
    }
    return { worst, open };
  };
  new Gauge({
    name: 'tiktok_circuit_state',
    help:
      'Worst circuit-breaker state among the shops of a rate class on this replica: 0 closed, ' +
      '1 half-open, 2 open.',
    labelNames: ['class'],
    registers,
    collect() {
      for (const [rateClass, value] of byClass().worst) this.set({ class: rateClass }, value);
    },
  });
  new Gauge({
    name: 'tiktok_circuits_open',
    help: 'Open circuits (one per shop and rate class) on this replica, by rate class.',
    labelNames: ['class'],
    registers,
    collect() {
      for (const [rateClass, count] of byClass().open) this.set({ class: rateClass }, count);
    },
  });
  // Series that exist before anything happened, so rates and alerts see a zero, not a gap.
  for (const outcome of ['success', 'rejected', 'failed'] satisfies TokenRefreshOutcome[]) {
    tokenRefreshes.inc({ outcome }, 0);
  }
  for (const rateClass of LIMITED_CLASSES) {
    rateLimitQueue.set({ class: rateClass }, 0);
    rateLimitRefusals.inc({ class: rateClass }, 0);
  }
  for (const kind of ['calls', 'changes', 'events']) reconcilerCounts.inc({ kind }, 0);

  return {
    registry,
    upstream: {
      attemptStarted(attempt) {
        const endpoint = KNOWN_ENDPOINTS.has(attempt.endpoint) ? attempt.endpoint : 'other';
        return (outcome) => {
          upstreamRequests.inc({
            endpoint,
            status: outcome.status === null ? 'none' : String(outcome.status),
            code: outcome.code === null ? 'none' : codeLabel(String(outcome.code)),
          });
          upstreamDuration.observe({ endpoint }, outcome.durationMs / 1000);
        };
      },
    },
    cacheLookup(kind, isHit) {
      (isHit ? cacheHits : cacheMisses).inc({ kind });
    },
    tokenRefreshed(outcome) {
      tokenRefreshes.inc({ outcome });
    },
    observeRateLimiter(limiter) {
      limiterCounts = () => limiter.backgroundCounts();
      return {
        report: (key, rateClass, throttled) => limiter.report(key, rateClass, throttled),
        backgroundCounts: () => limiter.backgroundCounts(),
        async tryAcquireIdle(key, rateClass = 'standard') {
          const slot = await limiter.tryAcquireIdle(key, rateClass);
          idleSlots.inc({ class: rateClass, outcome: slot.isGranted ? 'granted' : 'refused' });
          return slot;
        },
        async acquire(key, rateClass = 'standard', maxWaitMs) {
          const labels = { class: rateClass };
          const startedAt = performance.now();
          rateLimitQueue.inc(labels);
          try {
            await limiter.acquire(key, rateClass, maxWaitMs);
            rateLimitWait.observe(labels, (performance.now() - startedAt) / 1000);
          } catch (error) {
            if (error instanceof TikTokShopRateLimitError) rateLimitRefusals.inc(labels);
            throw error;
          } finally {
            rateLimitQueue.dec(labels);
          }
        },
      };
    },
    watchCircuits(states) {
      circuitStates = states;
    },
    reconcilerRun(run) {
      reconcilerRuns.inc({ outcome: run.outcome });
      reconcilerCounts.inc({ kind: 'calls' }, run.calls);
      reconcilerCounts.inc({ kind: 'changes' }, run.changes);
      reconcilerCounts.inc({ kind: 'events' }, run.events);
    },
    async text() {
      return `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    },
    contentType: registry.contentType,
  };
}
