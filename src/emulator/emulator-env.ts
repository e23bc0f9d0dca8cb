// Reads the EMULATOR_* environment variables into EmulatorOptions, reporting every problem at once.
import { validateFaultConfig } from './faults.js';
import type { EmulatorOptions, FaultConfig } from './types.js';

/** Port `npm run emulator` listens on when EMULATOR_PORT is unset. */
export const DEFAULT_EMULATOR_PORT = 8787;

export type EmulatorEnv =
  | { ok: true; options: EmulatorOptions }
  | { ok: false; problems: string[] };

type Env = Record<string, string | undefined>;

/** Every EMULATOR_* variable read, in the order docs/emulator.md lists them. */
export const EMULATOR_ENV_VARS = [
  'EMULATOR_PORT',
  'EMULATOR_HOST',
  'EMULATOR_SEED',
  'EMULATOR_SCALE',
  'EMULATOR_APP_KEY',
  'EMULATOR_APP_SECRET',
  'EMULATOR_SERVICE_ID',
  'EMULATOR_REDIRECT_URIS',
  'EMULATOR_ACCESS_TOKEN_TTL_SECONDS',
  'EMULATOR_REFRESH_TOKEN_TTL_SECONDS',
  'EMULATOR_RATE_LIMIT',
  'EMULATOR_RATE_BURST',
  'EMULATOR_ANALYTICS_RATE_LIMIT',
  'EMULATOR_ANALYTICS_RATE_BURST',
  'EMULATOR_LATENCY_MS',
  'EMULATOR_LATENCY_JITTER_MS',
  'EMULATOR_ERROR_RATE',
  'EMULATOR_RATE_LIMIT_RATE',
  'EMULATOR_DROP_RATE',
  'EMULATOR_MALFORMED_RATE',
  'EMULATOR_STALL_RATE',
] as const;

const FAULT_RATE_VARS = {
  EMULATOR_ERROR_RATE: 'errorRate',
  EMULATOR_RATE_LIMIT_RATE: 'rateLimitRate',
  EMULATOR_DROP_RATE: 'dropRate',
  EMULATOR_MALFORMED_RATE: 'malformedRate',
  EMULATOR_STALL_RATE: 'stallRate',
} as const;

export function readEmulatorEnv(env: Env): EmulatorEnv {
  const problems: string[] = [];
  // An empty value (`KEY=` in .env) means "use the default".
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (
    name: string,
    check: (n: number) => boolean,
    rule: string,
  ): number | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || !check(value)) {
      problems.push(`${name}: must be ${rule}`);
      return undefined;
    }
    return value;
  };
  const isInteger =
    (min: number, max = Number.MAX_SAFE_INTEGER) =>
    (n: number) =>
      Number.isInteger(n) && n >= min && n <= max;

  const options: EmulatorOptions = {
    port:
      number('EMULATOR_PORT', isInteger(0, 65_535), 'an integer from 0 to 65535') ??
      DEFAULT_EMULATOR_PORT,
  };
  const host = text('EMULATOR_HOST');
  if (host !== undefined) options.host = host;
  const seed = number('EMULATOR_SEED', isInteger(Number.MIN_SAFE_INTEGER), 'an integer');
  if (seed !== undefined) options.seed = seed;
  const scale = number('EMULATOR_SCALE', (n) => n > 0, 'a number > 0');
  if (scale !== undefined) options.scale = scale;
  const appKey = text('EMULATOR_APP_KEY');
  if (appKey !== undefined) options.appKey = appKey;
  const appSecret = text('EMULATOR_APP_SECRET');
  if (appSecret !== undefined) options.appSecret = appSecret;
  const serviceId = text('EMULATOR_SERVICE_ID');
  if (serviceId !== undefined) options.serviceId = serviceId;
  const redirectUris = text('EMULATOR_REDIRECT_URIS');
  if (redirectUris !== undefined) {
    options.redirectUris = redirectUris
      .split(',')
      .map((uri) => uri.trim())
      .filter(Boolean);
  }
  const accessTtl = number('EMULATOR_ACCESS_TOKEN_TTL_SECONDS', isInteger(1), 'an integer >= 1');
  if (accessTtl !== undefined) options.accessTokenTtlSeconds = accessTtl;
  const refreshTtl = number('EMULATOR_REFRESH_TOKEN_TTL_SECONDS', isInteger(1), 'an integer >= 1');
  if (refreshTtl !== undefined) options.refreshTokenTtlSeconds = refreshTtl;

  const rate = number('EMULATOR_RATE_LIMIT', (n) => n >= 0, 'a number of requests per second >= 0');
  const burst = number('EMULATOR_RATE_BURST', isInteger(1), 'an integer >= 1');
  if (rate === 0) options.rateLimit = false;
  else if (rate !== undefined || burst !== undefined) {
    options.rateLimit = { requestsPerSecond: rate ?? 10, burst: burst ?? 10 };
  }
  const analyticsRate = number(
    'EMULATOR_ANALYTICS_RATE_LIMIT',
    (n) => n >= 0,
    'a number of requests per second >= 0',
  );
  const analyticsBurst = number('EMULATOR_ANALYTICS_RATE_BURST', isInteger(1), 'an integer >= 1');
  if (analyticsRate === 0) options.analyticsRateLimit = false;
  else if (analyticsRate !== undefined || analyticsBurst !== undefined) {
    options.analyticsRateLimit = {
      requestsPerSecond: analyticsRate ?? 1,
      burst: analyticsBurst ?? 1,
    };
  }

  const faults: FaultConfig = {};
  const latencyMs = number('EMULATOR_LATENCY_MS', (n) => n >= 0, 'a number of ms >= 0');
  if (latencyMs !== undefined) faults.latencyMs = latencyMs;
  const jitterMs = number('EMULATOR_LATENCY_JITTER_MS', (n) => n >= 0, 'a number of ms >= 0');
  if (jitterMs !== undefined) faults.latencyJitterMs = jitterMs;
  for (const [name, key] of Object.entries(FAULT_RATE_VARS)) {
    const share = number(name, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
    if (share !== undefined) faults[key] = share;
  }
  const checked = validateFaultConfig(faults);
  if (!checked.ok) problems.push(`EMULATOR_*_RATE: ${checked.reason}`);
  if (Object.keys(faults).length > 0) options.faults = faults;

  return problems.length > 0 ? { ok: false, problems } : { ok: true, options };
}
