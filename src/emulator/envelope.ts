// TikTok's response envelope (§5): request ids, success/error bodies and the gateway-level codes.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

/** Gateway-level codes the core answers with (§5; HTTP statuses are listed in docs/emulator.md). */
export const CODES = {
  success: 0,
  invalidParameter: 36009004,
  tooManyRequests: 36009002,
  internalError: 36009003,
  invalidPath: 36009009,
  methodNotAllowed: 36009010,
  bodyTooLarge: 36009021,
  shopNotAuthorized: 101000,
  accessTokenExpired: 105002,
  scopeNotGranted: 105005,
  invalidSignature: 106001,
  shopCipherMissing: 106013,
  authCodeInvalid: 36004004,
  authRecordNotFound: 36004005,
  refreshTokenExpired: 36004001,
} as const;

/** An error answer: HTTP status plus TikTok's body code and message. */
export interface ApiFailure {
  httpStatus: number;
  code: number;
  message: string;
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
}

export interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data: unknown;
}

/**
 * A request id shaped like TikTok's: `YYYYMMDDhhmmss` (UTC) followed by 20 uppercase hex digits,
 * 34 characters in all.
 */
export function createRequestId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return stamp + randomBytes(10).toString('hex').toUpperCase();
}

export function successEnvelope(data: unknown, requestId: string, message = 'Success'): Envelope {
  return { code: CODES.success, message, request_id: requestId, data };
}

function errorEnvelope(failure: ApiFailure, requestId: string): Envelope {
  return { code: failure.code, message: failure.message, request_id: requestId, data: null };
}

export function failure(
  httpStatus: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): ApiFailure {
  return headers ? { httpStatus, code, message, headers } : { httpStatus, code, message };
}

/** Sends `outcome` in the envelope; returns the HTTP status and body code the log records. */
export function sendEnvelope(
  res: ServerResponse,
  requestId: string,
  outcome: ApiFailure | { data: unknown },
  successMessage?: string,
): { status: number; code: number } {
  if ('data' in outcome) {
    sendJson(res, 200, successEnvelope(outcome.data, requestId, successMessage));
    return { status: 200, code: CODES.success };
  }
  sendJson(res, outcome.httpStatus, errorEnvelope(outcome, requestId), outcome.headers);
  return { status: outcome.httpStatus, code: outcome.code };
}
