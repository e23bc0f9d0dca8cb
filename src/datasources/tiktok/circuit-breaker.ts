// A circuit breaker per (app, shop, rate class), so that during an outage a call fails at once
// instead of waiting out its whole retry schedule (issue 10). After `failureThreshold`
// consecutive failed calls a circuit opens: calls fail with TikTokShopCircuitOpenError, nothing
// sent, for `cooldownMs`; then it is half-open and lets one probe through, whose success closes it
// and whose failure opens it again. State lives in memory, per replica.
import type { RateClass } from './endpoints.js';
import {
  TikTokShopCircuitOpenError,
  TikTokShopError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
} from './errors.js';
import { rateLimitKey } from './rate-limiter.js';

/** pino-compatible subset; the fields logged are the circuit key, counts and durations. */
export interface CircuitLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CircuitBreakerOptions {
  /** Consecutive failed calls (after their retries) that open a circuit; 0 turns it off. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one probe may go, ms. */
  cooldownMs: number;
  /** Clock, ms. Default Date.now. */
  now?: () => number;
  logger?: CircuitLogger;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/** One circuit as readiness checks and metrics see it. */
export interface CircuitSnapshot {
  /** `${appKey}:${shopId}:${rateClass}` (`seller` for seller-level calls). */
  circuit: string;
  state: CircuitState;
  consecutiveFailures: number;
  /** While open, ms until a probe may go; 0 otherwise. */
  retryAfterMs: number;
}

export interface CircuitBreaker {
  /**
   * Runs `call` unless `circuit` is open, or half-open with its probe still out: then rejects at
   * once with TikTokShopCircuitOpenError. The call's outcome moves the circuit.
   */
  run<T>(circuit: string, operation: string, call: () => Promise<T>): Promise<T>;
  /** Every circuit that is open, half-open or has failures counted; the others are closed. */
  states(): CircuitSnapshot[];
}

/** The circuit of a call: TikTok's isolation unit (§7, the rate limiter's key) and its class. */
export function circuitKey(
  appKey: string,
  shopId: string | undefined,
  rateClass: RateClass,
): string {
  return rateLimitKey(appKey, shopId, rateClass);
}

/** The rate class a circuit key ends with (see circuitKey), e.g. for a metric's label. */
export function rateClassOfCircuit(circuit: string): string {
  return circuit.slice(circuit.lastIndexOf(':') + 1);
}

/** Lets every call through: the breaker turned off. */
export const NO_CIRCUIT_BREAKER: CircuitBreaker = {
  run: (_circuit, _operation, call) => call(),
  states: () => [],
};

/** What one call's end says about TikTok for its circuit. */
type Outcome = 'failure' | 'success' | 'neutral';

function outcomeOf(error: unknown): Outcome {
  // The request ran out of time before this call was sent: nothing learnt about TikTok.
  if (error instanceof TikTokShopUpstreamError && error.reason === 'request_deadline')
    return 'neutral';
  // Unreachable, 5xx, timed out or garbled, after the retries: what the breaker counts.
  if (error instanceof TikTokShopUpstreamError) return 'failure';
  // Our own limiter refused before sending: nothing learnt about TikTok.
  if (error instanceof TikTokShopRateLimitError && error.isLocal) return 'neutral';
  // TikTok answered (a business code, a 4xx, a 429): it is up.
  if (error instanceof TikTokShopError && error.status !== null) return 'success';
  // Nothing reached TikTok (no token, a bug): nothing learnt either.
  return 'neutral';
}

interface Circuit {
  state: CircuitState;
  consecutiveFailures: number;
  /** When an open circuit turns half-open, ms. */
  openUntilMs: number;
  isProbing: boolean;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { failureThreshold, cooldownMs, logger } = options;
  if (failureThreshold === 0) return NO_CIRCUIT_BREAKER;
  const now = options.now ?? Date.now;
  // Only circuits with something to remember; a success forgets its circuit.
  const circuits = new Map<string, Circuit>();

  const refusal = (circuit: string, operation: string, retryAfterMs: number) =>
    new TikTokShopCircuitOpenError(
      `${operation}: not sent, recent calls for ${circuit} failed (circuit open); retry in ${retryAfterMs} ms`,
      { operation, circuit, retryAfterMs },
    );

  const open = (key: string, circuit: Circuit, operation: string) => {
    const wasProbe = circuit.state === 'half_open';
    circuit.state = 'open';
    circuit.openUntilMs = now() + cooldownMs;
    logger?.warn(
      {
        circuit: key,
        operation,
        consecutiveFailures: circuit.consecutiveFailures,
        cooldownMs,
      },
      wasProbe
        ? 'TikTok Shop circuit open again: the probe failed'
        : 'TikTok Shop circuit open: calls fail at once until a probe succeeds',
    );
  };

  /** Admits a call or throws; answers whether the call is the half-open circuit's probe. */
  const admit = (key: string, operation: string): boolean => {
    const circuit = circuits.get(key);
    if (!circuit || circuit.state === 'closed') return false;
    if (circuit.state === 'open') {
      const leftMs = circuit.openUntilMs - now();
      if (leftMs > 0) throw refusal(key, operation, leftMs);
      circuit.state = 'half_open';
      logger?.info({ circuit: key, operation }, 'TikTok Shop circuit half-open: one probe may go');
    }
    // While the probe is out its outcome is unknown; a full cooldown is the honest hint.
    if (circuit.isProbing) throw refusal(key, operation, cooldownMs);
    circuit.isProbing = true;
    return true;
  };

  const settle = (key: string, operation: string, outcome: Outcome, isProbe: boolean) => {
    const circuit = circuits.get(key);
    if (isProbe && circuit) circuit.isProbing = false;
    if (outcome === 'success') {
      if (circuit && circuit.state !== 'closed') {
        logger?.info({ circuit: key, operation }, 'TikTok Shop circuit closed');
      }
      circuits.delete(key);
    } else if (outcome === 'failure') {
      const failing = circuit ?? {
        state: 'closed',
        consecutiveFailures: 0,
        openUntilMs: 0,
        isProbing: false,
      };
      circuits.set(key, failing);
      failing.consecutiveFailures += 1;
      const isTripped =
        failing.state === 'half_open' ||
        (failing.state === 'closed' && failing.consecutiveFailures >= failureThreshold);
      if (isTripped) open(key, failing, operation);
    }
  };

  return {
    async run(key, operation, call) {
      const isProbe = admit(key, operation);
      let outcome: Outcome = 'neutral';
      try {
        const result = await call();
        outcome = 'success';
        return result;
      } catch (error) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        settle(key, operation, outcome, isProbe);
      }
    },

    states() {
      const atMs = now();
      return [...circuits].map(([key, circuit]) => {
        const leftMs = circuit.state === 'open' ? Math.max(0, circuit.openUntilMs - atMs) : 0;
        // An open circuit past its cooldown lets the next call through as its probe.
        const isDue = circuit.state === 'open' && leftMs === 0;
        return {
          circuit: key,
          state: isDue ? 'half_open' : circuit.state,
          consecutiveFailures: circuit.consecutiveFailures,
          retryAfterMs: leftMs,
        };
      });
    },
  };
}
