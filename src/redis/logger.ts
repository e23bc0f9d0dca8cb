// The slice of the one Logger (src/logger.ts) the scale-out modules use. Fields never hold tokens
// or REDIS_URL; `error` is for outages (the gateway keeps working, degraded, and an operator must
// know).
import type { Logger } from '../logger.js';

export type RedisLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export { silentLogger as silentRedisLogger } from '../logger.js';

/** The message of an error, for a log field; Redis errors carry no secrets. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * An outage logged once when it starts (at error: the gateway runs degraded and an operator must
 * know) and once when it ends, however many operations fail in between.
 */
export function createOutageLog(logger: RedisLogger, messages: { down: string; up: string }) {
  let isDown = false;
  return {
    down(fields: Record<string, unknown>, error: unknown): void {
      if (isDown) return;
      isDown = true;
      logger.error({ ...fields, error: describeError(error) }, messages.down);
    },
    up(): void {
      if (!isDown) return;
      isDown = false;
      logger.warn({}, messages.up);
    },
  };
}
