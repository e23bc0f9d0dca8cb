// The slice of the one Logger (src/logger.ts) the auth modules use. Fields name sellers and shops,
// never tokens.
import type { Logger } from '../logger.js';

export type AuthLogger = Pick<Logger, 'info' | 'warn'>;

export { silentLogger } from '../logger.js';
