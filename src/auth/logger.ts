// The slice of the one Logger (src/logger.ts) the auth modules use. Fields name sellers and shops,
// never tokens.
import type { Logger } from '../logger.js';

export type AuthLogger = Pick<Logger, 'info' | 'warn'>;

export { silentLogger } from '../logger.js';

/** The message of an error, for a log field; auth errors never hold tokens or secrets. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
