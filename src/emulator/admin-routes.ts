// Admin routes under /__emulator/: request log, counters, faults, rate limits, tokens, webhook
// deliveries, plus the ones the domain adds (clock, product edits, raw events). Unsigned and not
// logged.

import type { FaultInjector } from './faults.js';
import { type ArrivedRequest, sendJson, splitUrl } from './http-io.js';
import type { RateLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import { matchSegments } from './router.js';
import type { EmulatorSeller, FaultConfig, IssuedTokens } from './types.js';
import type { WebhookDeliverer } from './webhooks/webhook-deliverer.js';

export const ADMIN_PREFIX = '/__emulator/';
/** How long `POST webhook-deliveries/settle` waits by default, ms. */
export const DEFAULT_SETTLE_TIMEOUT_MS = 10_000;

export type AdminAnswer = { status: number; body: unknown };

type AdminMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface AdminRoute {
  method: AdminMethod;
  /** Segments after /__emulator/, `:name` for a parameter, e.g. `products/:product_id`. */
  segments: string[];
  handle(
    arrived: ArrivedRequest,
    params: Record<string, string>,
  ): AdminAnswer | Promise<AdminAnswer>;
}

/** An admin route in one line: `adminRoute('PATCH products/:product_id', handler)`. */
export function adminRoute(
  line: `${AdminMethod} ${string}`,
  handle: AdminRoute['handle'],
): AdminRoute {
  const [method, pattern] = line.split(' ') as [AdminMethod, string];
  return { method, segments: pattern.split('/'), handle };
}

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
  webhooks: WebhookDeliverer;
  /** Routes the domain adds (data edits, the lifecycle clock, raw events). */
  domainRoutes: readonly AdminRoute[];
}

export function createAdminHandler(deps: AdminDeps) {
  const routes: AdminRoute[] = [
    adminRoute('GET requests', ({ req }) => {
      const since = readSince(req.url);
      return 'error' in since ? since.error : ok({ requests: deps.log.entries(since.ms) });
    }),
    adminRoute('GET counters', () => ok({ counters: deps.log.counters() })),
    adminRoute('POST reset', () => {
      deps.log.reset();
      return ok({ ok: true });
    }),
    adminRoute('GET faults', () => ok({ faults: deps.faults.get() })),
    adminRoute('PUT faults', ({ body }) =>
      withJsonObject(body, (value) => {
        deps.setFaults(value as FaultConfig);
        return ok({ faults: deps.faults.get() });
      }),
    ),
    adminRoute('GET rate-limits', () => ok({ rateLimits: deps.rateLimiter.limits() })),
    adminRoute('PUT rate-limits', ({ body }) =>
      withJsonObject(body, (value) => {
        deps.rateLimiter.setLimits(value);
        return ok({ rateLimits: deps.rateLimiter.limits() });
      }),
    ),
    adminRoute('POST tokens', ({ body }) =>
      withJsonObject(body, (value) =>
        ok(deps.issueTokens(value as { openId: string; scopes?: string[] })),
      ),
    ),
    adminRoute('GET sellers', () => ok({ sellers: deps.sellers })),
    adminRoute('GET webhook-deliveries', ({ req }) => {
      const since = readSince(req.url);
      return 'error' in since
        ? since.error
        : ok({ deliveries: deps.webhooks.deliveries(since.ms) });
    }),
    adminRoute('POST webhook-deliveries/settle', ({ body }) =>
      withJsonObject(body.length === 0 ? Buffer.from('{}') : body, async (value) => {
        const timeoutMs = value.timeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS;
        if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0 && timeoutMs <= 600_000)) {
          return bad(400, 'timeoutMs must be a number of ms from 0 to 600000');
        }
        return ok({ settled: await deps.webhooks.settle(timeoutMs) });
      }),
    ),
    ...deps.domainRoutes,
  ];

  return async function handleAdminRequest(arrived: ArrivedRequest): Promise<void> {
    const segments = splitUrl(arrived.req.url).path.slice(ADMIN_PREFIX.length).split('/');
    const method = arrived.req.method ?? 'GET';
    const allowed = new Set<string>();
    let best: { route: AdminRoute; params: Record<string, string>; score: number } | null = null;
    for (const route of routes) {
      const matched = matchSegments(route.segments, segments);
      if (!matched) continue;
      allowed.add(route.method);
      if (route.method === method && (!best || matched.score > best.score)) {
        best = { route, ...matched };
      }
    }
    let answer: AdminAnswer;
    if (best) answer = await best.route.handle(arrived, best.params);
    else if (allowed.size === 0) answer = bad(404, 'unknown admin route');
    else answer = bad(405, `method not allowed; use ${[...allowed].join(', ')}`);
    sendJson(arrived.res, answer.status, answer.body);
  };
}

export function ok(body: unknown): AdminAnswer {
  return { status: 200, body };
}

export function bad(status: number, message: string): AdminAnswer {
  return { status, body: { error: message } };
}

/** `?since=<ms>`: only entries strictly later; absent means all. */
function readSince(
  rawUrl: string | undefined,
): { ms: number | undefined } | { error: AdminAnswer } {
  const since = splitUrl(rawUrl).search.get('since');
  if (since === null) return { ms: undefined };
  const sinceMs = Number(since);
  if (since.trim() === '' || !Number.isFinite(sinceMs)) {
    return { error: bad(400, 'since must be a time in ms since the epoch') };
  }
  return { ms: sinceMs };
}

/** Parses the body as a JSON object and hands it to `use` (see refusingRangeErrors). */
export async function withJsonObject(
  raw: Buffer,
  use: (value: Record<string, unknown>) => AdminAnswer | Promise<AdminAnswer>,
): Promise<AdminAnswer> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return bad(400, 'body must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad(400, 'body must be a JSON object');
  }
  return refusingRangeErrors(() => use(value as Record<string, unknown>));
}

/** Runs an admin action; a RangeError it throws is the caller's mistake: 400 with its message. */
export async function refusingRangeErrors(
  run: () => AdminAnswer | Promise<AdminAnswer>,
): Promise<AdminAnswer> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RangeError) return bad(400, error.message);
    throw error;
  }
}
