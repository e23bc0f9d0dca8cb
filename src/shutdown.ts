// Graceful shutdown (issue 12), so a rolling deploy fails no request. On SIGTERM or SIGINT: the
// listener closes (new connections are refused), the app's drain begins (/readyz answers 503
// `draining`, long-lived responses end themselves), idle keep-alive connections are closed and
// requests in flight get up to SHUTDOWN_GRACE_MS to finish, their answers carrying
// `Connection: close`. When the grace runs out the remaining connections are closed and the API
// host's calls they were waiting for are aborted. Then token writes not stored yet are flushed
// (retried until the grace's end, one attempt at least), the app closes (Redis, the upstream
// pools) and the process exits 0. A second signal exits at once with 128 + the signal's number
// (130 for SIGINT, 143 for SIGTERM), as a shell reports a process a signal ended.
import type { Server, ServerResponse } from 'node:http';
import { constants } from 'node:os';
import type { App } from './app.js';
import type { Logger } from './logger.js';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

export interface ShutdownDeps {
  /** The listening server whose requests are drained. */
  server: Server;
  app: Pick<App, 'drain' | 'flushTokenWrites' | 'abortUpstreamCalls' | 'close'>;
  /** How long requests in flight may take after the signal, ms (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  /**
   * Longest wait for `app.close()` once the requests are done or cut, ms, so that nothing (an
   * unanswered Redis QUIT, an auth-host call) holds the exit past the grace. Default 2 000.
   */
  closeTimeoutMs?: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Default process.exit. */
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Requests received and not answered yet. */
  readonly inFlight: number;
  /** Drains, closes and exits (see the header); a second call exits at once. */
  begin(signal: ShutdownSignal): Promise<void>;
  /** Calls `begin` on SIGTERM and SIGINT; returns what removes the listeners. */
  listen(): () => void;
}

/** Milliseconds since `startMs` (performance.now), rounded. */
const since = (startMs: number) => Math.round(performance.now() - startMs);

export function createShutdown(deps: ShutdownDeps): Shutdown {
  const { server, app, graceMs, logger } = deps;
  const closeTimeoutMs = deps.closeTimeoutMs ?? 2_000;
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const inFlight = new Set<ServerResponse>();
  let isDraining = false;
  let whenIdle: (() => void) | undefined;

  // Before the app's handler, so every request is counted and, once draining, told to close.
  server.prependListener('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    if (isDraining) response.setHeader('connection', 'close');
    response.once('close', () => {
      inFlight.delete(response);
      if (!isDraining) return;
      // Its keep-alive connection is idle now: closed rather than kept for a next request.
      server.closeIdleConnections();
      if (inFlight.size === 0) whenIdle?.();
    });
  });

  /** true when every request in flight finished within the grace, false when it ran out. */
  function requestsFinished(): Promise<boolean> {
    if (inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      whenIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  async function closeApp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), closeTimeoutMs);
    });
    try {
      return await Promise.race([app.close().then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function drain(signal: ShutdownSignal): Promise<void> {
    const startMs = performance.now();
    const untilMs = Date.now() + graceMs;
    const inFlightAtSignal = inFlight.size;
    app.drain.begin();
    server.close();
    server.closeIdleConnections();
    for (const response of inFlight) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    // Logged once the listener is closed: whoever reads it may rely on new connections failing.
    logger.info(
      { signal, inFlight: inFlightAtSignal, graceMs },
      'Shutting down: refusing new connections, letting requests in flight finish',
    );

    const isFinished = await requestsFinished();
    const drainMs = since(startMs);
    const cutOff = inFlight.size;
    if (!isFinished) {
      logger.warn(
        { graceMs, cutOff },
        'Shutdown grace ran out: closing the connections of requests still in flight',
      );
      server.closeAllConnections();
      await app.abortUpstreamCalls();
    }

    const flushStartMs = performance.now();
    const flushed = await app.flushTokenWrites(untilMs);
    const flushMs = since(flushStartMs);
    if (flushed.unsaved.length > 0 || flushed.heldWrites > 0) {
      logger.error(
        { unsaved: flushed.unsaved, heldWrites: flushed.heldWrites, rounds: flushed.rounds },
        'Exiting with new seller tokens the store never took: those sellers must re-authorise',
      );
    }

    const closeStartMs = performance.now();
    const isClosed = await closeApp().catch((error: unknown) => {
      logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        'Closing failed',
      );
      return true;
    });
    if (!isClosed) {
      logger.warn({ closeTimeoutMs }, 'Closing the app took too long: exiting anyway');
    }
    logger.info(
      {
        signal,
        inFlightAtSignal,
        cutOff,
        drainMs,
        flushMs,
        closeMs: since(closeStartMs),
        totalMs: since(startMs),
      },
      'Shut down',
    );
    exit(0);
  }

  let draining: Promise<void> | undefined;
  const shutdown: Shutdown = {
    get inFlight() {
      return inFlight.size;
    },
    begin(signal) {
      if (draining) {
        logger.warn({ signal }, 'Second signal: exiting at once');
        exit(128 + constants.signals[signal]);
        return draining;
      }
      isDraining = true;
      draining = drain(signal).catch((error: unknown) => {
        logger.error(
          { signal, error: error instanceof Error ? error.message : String(error) },
          'Shutdown failed',
        );
        exit(1);
      });
      return draining;
    },
    listen() {
      const listeners = SHUTDOWN_SIGNALS.map((signal) => {
        const listener = () => void shutdown.begin(signal);
        process.on(signal, listener);
        return () => process.off(signal, listener);
      });
      return () => {
        for (const remove of listeners) remove();
      };
    },
  };
  return shutdown;
}
