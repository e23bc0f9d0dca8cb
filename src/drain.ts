// Whether the gateway is draining (issue 12): createApp holds one, src/shutdown.ts begins it on
// SIGTERM or SIGINT, and what must react reads it here instead of knowing about signals: the
// readiness check answers 503 `draining`, and long-lived responses end themselves.

export interface Drain {
  /** true from `begin()` on: the process is on its way out. */
  readonly isDraining: boolean;
  /**
   * Aborted when the drain begins. A response that would otherwise stay open (issue 13's
   * subscription streams) listens to it and ends itself, so the drain does not wait out the
   * whole grace for it: `drain.signal.addEventListener('abort', end, { once: true })`, or pass it
   * where an AbortSignal is taken.
   */
  readonly signal: AbortSignal;
  /** Starts the drain (later calls do nothing). */
  begin(): void;
}

export function createDrain(): Drain {
  const controller = new AbortController();
  return {
    get isDraining() {
      return controller.signal.aborted;
    },
    signal: controller.signal,
    begin() {
      if (!controller.signal.aborted) controller.abort(new Error('The gateway is shutting down'));
    },
  };
}
