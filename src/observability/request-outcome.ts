// How a finished GraphQL request is classified, in one place for the access log's level, the
// operation metrics' `outcome` label and the span's status: by the worst error code it answered
// (schema/errors.ts's logLevelOfCode) and its HTTP status.
import { logLevelOfCode } from '../schema/errors.js';

/**
 * `success`: no error; `client_error`: refusals and the caller's mistakes (FORBIDDEN,
 * BAD_USER_INPUT, NOT_FOUND, …); `upstream_error`: TikTok failed or throttled (UPSTREAM_ERROR,
 * RATE_LIMITED); `gateway_error`: the gateway's own fault (INTERNAL_SERVER_ERROR, HTTP 5xx).
 */
export type RequestOutcome = 'success' | 'client_error' | 'upstream_error' | 'gateway_error';

const OUTCOME_OF_LEVEL = {
  info: 'client_error',
  warn: 'upstream_error',
  error: 'gateway_error',
} as const satisfies Record<ReturnType<typeof logLevelOfCode>, RequestOutcome>;
const RANK: Record<RequestOutcome, number> = {
  success: 0,
  client_error: 1,
  upstream_error: 2,
  gateway_error: 3,
};

export function outcomeOf(errorCodes: readonly string[], status: number): RequestOutcome {
  let outcome: RequestOutcome = status >= 500 ? 'gateway_error' : 'success';
  for (const code of errorCodes) {
    const candidate = OUTCOME_OF_LEVEL[logLevelOfCode(code)];
    if (RANK[candidate] > RANK[outcome]) outcome = candidate;
  }
  return outcome === 'success' && status >= 400 ? 'client_error' : outcome;
}

/** Client mistakes at info, upstream failures at warn, the gateway's own faults at error. */
export function logLevelOfOutcome(outcome: RequestOutcome): 'info' | 'warn' | 'error' {
  if (outcome === 'gateway_error') return 'error';
  return outcome === 'upstream_error' ? 'warn' : 'info';
}
