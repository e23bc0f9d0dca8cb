// Node's own metrics (CPU, memory, heap spaces, event-loop lag, GC, handles, version): one set per
// process, however many apps it builds (a test file builds several). prom-client's
// collectDefaultMetrics starts a GC observer and an event-loop monitor on each call that nothing
// stops, so it runs once, into a registry of its own that every app's /metrics appends.
import { collectDefaultMetrics, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
