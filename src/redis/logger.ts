// The slice of a pino logger the scale-out modules use. Fields never hold tokens or REDIS_URL.

export interface RedisLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  /** Outages: the gateway keeps working but in a degraded mode an operator must know about. */
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentRedisLogger: RedisLogger = {
  info() {},
  warn() {},
  error() {},
};

/** The message of an error, for a log field; Redis errors carry no secrets. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
