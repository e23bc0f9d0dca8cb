// Admin routes under /__emulator/: request log, counters, faults, rate limits, tokens. Unsigned
// and not logged.
import type { FaultInjector } from './faults.js';
import { type ArrivedRequest, sendJson, splitUrl } from './http-io.js';
import type { RateLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import type { EmulatorSeller, FaultConfig, IssuedTokens } from './types.js';

export const ADMIN_PREFIX = '/__emulator/';

export interface AdminDeps {
  log: RequestLog;
  faults: FaultInjector;
  /** Validates and applies a fault config; throws RangeError when it is invalid. */
  setFaults(config: FaultConfig): void;
  /** The per-class limits, changed at runtime by PUT rate-limits. */
  rateLimiter: RateLimiter;
  /** Issues tokens; throws RangeError for an unknown seller, scope or TTL. */
  issueTokens(input: {
    openId: string;
    scopes?: string[];
    accessTokenTtlSeconds?: number;
  }): IssuedTokens;
  sellers: EmulatorSeller[];
}

type AdminAnswer = { status: number; body: unknown };

export function createAdminHandler(deps: AdminDeps) {
  const routes: Record<
    string,
    Partial<Record<string, (arrived: ArrivedRequest) => AdminAnswer>>
  > = {
    requests: {
      GET: ({ req }) => {
        const since = splitUrl(req.url).search.get('since');
        if (since === null) return ok({ requests: deps.log.entries() });
        const sinceMs = Number(since);
        if (since.trim() === '' || !Number.isFinite(sinceMs)) {
          return bad(400, 'since must be a time in ms since the epoch');
        }
        return ok({ requests: deps.log.entries(sinceMs) });
      },
    },
    counters: { GET: () => ok({ counters: deps.log.counters() }) },
    reset: {
      POST: () => {
        deps.log.reset();
        return ok({ ok: true });
      },
    },
    faults: {
      GET: () => ok({ faults: deps.faults.get() }),
      PUT: ({ body }) =>
        withJsonObject(body, (value) => {
          deps.setFaults(value as FaultConfig);
          return ok({ faults: deps.faults.get() });
        }),
    },
    'rate-limits': {
      GET: () => ok({ rateLimits: deps.rateLimiter.limits() }),
      PUT: ({ body }) =>
        withJsonObject(body, (value) => {
          deps.rateLimiter.setLimits(value);
          return ok({ rateLimits: deps.rateLimiter.limits() });
        }),
    },
    tokens: {
      POST: ({ body }) =>
        withJsonObject(body, (value) =>
          ok(deps.issueTokens(value as { openId: string; scopes?: string[] })),
        ),
    },
    sellers: { GET: () => ok({ sellers: deps.sellers }) },
  };

  return function handleAdminRequest(arrived: ArrivedRequest): void {
    const { path } = splitUrl(arrived.req.url);
    const methods = routes[path.slice(ADMIN_PREFIX.length)];
    const handler = methods?.[arrived.req.method ?? 'GET'];
    let answer: AdminAnswer;
    if (!methods) answer = bad(404, 'unknown admin route');
    else if (!handler)
      answer = bad(405, `method not allowed; use ${Object.keys(methods).join(', ')}`);
    else answer = handler(arrived);
    sendJson(arrived.res, answer.status, answer.body);
  };
}

function ok(body: unknown): AdminAnswer {
  return { status: 200, body };
}

function bad(status: number, message: string): AdminAnswer {
  return { status, body: { error: message } };
}

function withJsonObject(
  raw: Buffer,
  use: (value: Record<string, unknown>) => AdminAnswer,
): AdminAnswer {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return bad(400, 'body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad(400, 'body must be a JSON object');
  }
  try {
    return use(value as Record<string, unknown>);
  } catch (error) {
    if (error instanceof RangeError) return bad(400, error.message);
    throw error;
  }
}
