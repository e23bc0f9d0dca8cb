// The process logger (pino). Secrets are redacted by key wherever they appear in logged objects.
import { type Logger, pino } from 'pino';
import type { Config } from './config.js';

/** Keys whose values never reach a log line, at the top level or one level down. */
const SECRET_KEYS = [
  'accessToken',
  'refreshToken',
  'appSecret',
  'access_token',
  'refresh_token',
  'app_secret',
  'authorization',
  'x-tts-access-token',
  'sign',
];

export function createLogger(options: { level: Config['logLevel'] }): Logger {
  return pino({
    level: options.level,
    redact: {
      paths: SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]),
      censor: '[redacted]',
    },
  });
}

export type { Logger };
