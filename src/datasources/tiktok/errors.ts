// TikTok Shop error classes and the one mapper that turns an upstream answer (or the lack of one)
// into them. No other module reads HTTP status codes; TikTok codes are read through the one table
// in tiktok-codes.ts.
import { type CodeMeaning, meaningOf } from './tiktok-codes.js';

/** Options shared by every TikTok Shop error. */
export interface TikTokShopErrorOptions {
  /** TikTok's envelope `code`; null when no envelope was received. */
  code: number | null;
  /** HTTP status; null when no response was received. */
  status: number | null;
  /** TikTok's `request_id`; null when absent. */
  requestId: string | null;
  /** The failed operation, e.g. `product.search`. */
  operation: string;
  /** TikTok's own message, sanitised (no secret sent, nothing shaped like a token). */
  upstreamMessage?: string;
  cause?: unknown;
}

/** Base class: any failed TikTok Shop call. Unknown non-zero codes arrive as this class itself. */
export class TikTokShopError extends Error {
  override name = 'TikTokShopError';
  readonly code: number | null;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly operation: string;
  /** TikTok's own message (sanitised); null when it sent none. */
  readonly upstreamMessage: string | null;

  constructor(message: string, options: TikTokShopErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.operation = options.operation;
    this.upstreamMessage = options.upstreamMessage || null;
  }

  /**
   * true when the same call may succeed later without any change (throttling, 5xx, network).
   * Derived from the class and its reason, so it cannot disagree with them.
   */
  get retryable(): boolean {
    return false;
  }

  /** Safe to log or return: no cause, no stack, no request data. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      status: this.status,
      requestId: this.requestId,
      operation: this.operation,
      retryable: this.retryable,
    };
  }
}

/** An error whose `reason` says which case of its class it is. */
abstract class TikTokShopReasonedError<Reason extends string> extends TikTokShopError {
  readonly reason: Reason;

  constructor(message: string, options: TikTokShopErrorOptions & { reason: Reason }) {
    super(message, options);
    this.reason = options.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

export type AuthErrorReason =
  /** No app credentials or no access token configured. */
  | 'missing_credentials'
  /** TikTok does not know the app key (36009004 'app_key'). */
  | 'invalid_app_key'
  /** TikTok does not accept the access token (36009004 'access_token'). */
  | 'invalid_token'
  /** The access token expired (105002): refreshing fixes it. */
  | 'expired_token'
  /** The request signature was wrong or missing (106001): a bug on our side or a wrong secret. */
  | 'invalid_signature'
  /** The authorization code is bad, used or expired (36004004). */
  | 'invalid_auth_code'
  /** No authorization matches the refresh token or code (36004005). */
  | 'invalid_grant'
  /** The refresh token expired (36004001): the seller must authorize again. */
  | 'refresh_token_expired';

export class TikTokShopAuthError extends TikTokShopReasonedError<AuthErrorReason> {
  override name = 'TikTokShopAuthError';
  /** true when refreshing the access token can fix this (only `expired_token`). */
  readonly canRefresh: boolean;

  constructor(
    message: string,
    options: TikTokShopErrorOptions & { reason: AuthErrorReason; canRefresh: boolean },
  ) {
    super(message, options);
    this.canRefresh = options.canRefresh;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), canRefresh: this.canRefresh };
  }
}

export type PermissionErrorReason =
  /** The token lacks the scope the endpoint needs (105005). */
  | 'scope_not_granted'
  /** The token's seller is not authorized for that shop, or wrong user type (101000). */
  | 'shop_not_authorized'
  /** The shop or seller is inactive (36009043 / 36009044). */
  | 'inactive'
  /** The caller's IP is not on the app's allow list (36009033). */
  | 'ip_not_allowed';

export class TikTokShopPermissionError extends TikTokShopReasonedError<PermissionErrorReason> {
  override name = 'TikTokShopPermissionError';
}

export type RateLimitReason =
  /** Too many requests (429 / 36009002, or our own limiter): it passes within seconds. */
  | 'throttled'
  /** The test-shop quota, counted per hour (36009037, §5): repeating only spends more of it. */
  | 'sandbox_hourly_quota'
  /** Our own limiter: the first free slot comes after the GraphQL request's deadline. */
  | 'request_deadline';

export class TikTokShopRateLimitError extends TikTokShopReasonedError<RateLimitReason> {
  override name = 'TikTokShopRateLimitError';
  /** How long to wait before trying again, ms; null when TikTok gave no hint. */
  readonly retryAfterMs: number | null;
  /** true when our own limiter refused the call before anything was sent. */
  readonly isLocal: boolean;

  constructor(
    message: string,
    options: TikTokShopErrorOptions & {
      retryAfterMs: number | null;
      isLocal?: boolean;
      /** Default `throttled`. */
      reason?: RateLimitReason;
    },
  ) {
    super(message, { ...options, reason: options.reason ?? 'throttled' });
    this.retryAfterMs = options.retryAfterMs;
    this.isLocal = options.isLocal ?? false;
  }

  /** A throttle passes within seconds (so does a slot missed by a deadline); an hourly quota does not. */
  override get retryable(): boolean {
    return this.reason !== 'sandbox_hourly_quota';
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs, isLocal: this.isLocal };
  }
}

/** Our own limiter refused `operation` before anything was sent: wait `retryAfterMs`. */
export function localRateLimitError(
  message: string,
  operation: string,
  retryAfterMs: number | null,
  reason: RateLimitReason = 'throttled',
): TikTokShopRateLimitError {
  return new TikTokShopRateLimitError(message, {
    code: null,
    status: null,
    requestId: null,
    operation,
    retryAfterMs,
    isLocal: true,
    reason,
  });
}

export type ValidationErrorReason =
  /** Our timestamp is outside TikTok's window (5 min before .. 30 s after): check the clock. */
  | 'clock_skew'
  /** shop_cipher sent where the endpoint takes none (36009004 'Unexpected identifier'). */
  | 'unexpected_shop_cipher'
  /** shop_cipher missing on a shop-scoped endpoint (106013). */
  | 'missing_shop_cipher'
  /** Retired or unknown API version, or wrong method (36009014 / 36009010). */
  | 'invalid_version'
  /** Any other parameter problem. */
  | 'invalid_parameter';

export class TikTokShopValidationError extends TikTokShopReasonedError<ValidationErrorReason> {
  override name = 'TikTokShopValidationError';
}

export class TikTokShopNotFoundError extends TikTokShopError {
  override name = 'TikTokShopNotFoundError';
}

/**
 * TikTok does not serve the path we called (36009009, §5): a wrong path or a retired version, so
 * a bug of this gateway, never a missing resource. Names the request; paths hold no secrets.
 */
export class TikTokShopInvalidPathError extends TikTokShopError {
  override name = 'TikTokShopInvalidPathError';
  readonly method: string;
  /** The path as sent, without the query. */
  readonly path: string;

  constructor(message: string, options: TikTokShopErrorOptions & SentRequest) {
    super(message, options);
    this.method = options.method;
    this.path = options.path;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, path: this.path };
  }
}

export type UpstreamErrorReason =
  /** 5xx, or TikTok's internal error / timeout codes 36009003 / 36009007. */
  | 'server_error'
  /** No connection could be made (refused, DNS, connect timeout): nothing was sent. */
  | 'connect_failed'
  /** The connection broke after the request may have been sent. */
  | 'network'
  /** No headers, or a body that stalled, within the configured timeouts. */
  | 'timeout'
  /** An answer that is not a TikTok JSON envelope (cut short or garbled on the way). */
  | 'malformed_response'
  /** Nothing was sent: recent calls of this shop and class failed (TikTokShopCircuitOpenError). */
  | 'circuit_open'
  /** Nothing was sent: the GraphQL request's deadline had passed (GRAPHQL_REQUEST_DEADLINE_MS). */
  | 'request_deadline';

export class TikTokShopUpstreamError extends TikTokShopReasonedError<UpstreamErrorReason> {
  override name = 'TikTokShopUpstreamError';

  /** Every upstream failure is one an unchanged call may get past later. */
  override get retryable(): boolean {
    return true;
  }
}

/** The circuit breaker refused `operation` before anything was sent (circuit-breaker.ts). */
export class TikTokShopCircuitOpenError extends TikTokShopUpstreamError {
  override name = 'TikTokShopCircuitOpenError';
  /** How long until the circuit lets a call through again, ms. */
  readonly retryAfterMs: number;
  /** The circuit: `${appKey}:${shopId}:${rateClass}`. */
  readonly circuit: string;

  constructor(
    message: string,
    options: { operation: string; circuit: string; retryAfterMs: number },
  ) {
    super(message, {
      code: null,
      status: null,
      requestId: null,
      operation: options.operation,
      reason: 'circuit_open',
    });
    this.retryAfterMs = options.retryAfterMs;
    this.circuit = options.circuit;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs, circuit: this.circuit };
  }
}

/** `operation` was not sent: the GraphQL request it belongs to ran out of time first. */
export function deadlinePassedError(operation: string): TikTokShopUpstreamError {
  return new TikTokShopUpstreamError(
    `${operation}: not sent, the request's deadline has passed (GRAPHQL_REQUEST_DEADLINE_MS)`,
    { code: null, status: null, requestId: null, operation, reason: 'request_deadline' },
  );
}

/** Failures after which the call may have reached TikTok and taken effect, with no answer to say. */
const UNANSWERED_REASONS: ReadonlySet<UpstreamErrorReason> = new Set([
  'network',
  'timeout',
  'server_error',
  'malformed_response',
]);

/**
 * true when a failed call may still have been applied: it may have been sent and no answer says
 * what TikTok did (a reset, a timeout, a 5xx, a garbled answer). Every other failure is an answer
 * refusing the call, or happened before anything was sent.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  return error instanceof TikTokShopUpstreamError && UNANSWERED_REASONS.has(error.reason);
}

// --- The mapper --------------------------------------------------------------------------------

/** The request an answer belongs to: its method and its path as sent, without the query. */
export interface SentRequest {
  method: string;
  path: string;
}

/** What went wrong with one upstream attempt, as the HTTP layer saw it. */
export type UpstreamFailure =
  | {
      type: 'response';
      operation: string;
      request: SentRequest;
      /** HTTP status of the answer. */
      status: number;
      /** The parsed JSON body, or undefined when it was not JSON. */
      body: unknown;
      /** Parsed Retry-After, ms; null when absent or unreadable. */
      retryAfterMs: number | null;
      /** Strings that must never appear in a message: token, secret, sign, codes. */
      secrets?: string[];
    }
  | {
      type: 'network';
      operation: string;
      /** The error the HTTP client threw. */
      cause: unknown;
      secrets?: string[];
    };

/** Longest slice of TikTok's message we repeat, so a huge upstream text cannot flood logs. */
const MAX_UPSTREAM_MESSAGE_CHARS = 300;

/** A run that looks like a token, signature or key: 24+ letters, digits and `-_=+/.`. */
const TOKEN_LIKE = /[A-Za-z0-9+/=_.-]{24,}/g;

function sanitize(text: string, secrets: string[] | undefined): string {
  let safe =
    text.length > MAX_UPSTREAM_MESSAGE_CHARS
      ? `${text.slice(0, MAX_UPSTREAM_MESSAGE_CHARS)}…`
      : text;
  for (const secret of secrets ?? []) {
    // Short values (e.g. empty strings) would mangle ordinary words and are no secret anyway.
    if (secret.length >= 6) safe = safe.split(secret).join('[redacted]');
  }
  // TikTok's messages hold no secrets, but one may echo a value we sent: strip anything token-like.
  return safe.replace(TOKEN_LIKE, '[redacted]');
}

interface Envelope {
  code: number;
  message: string;
  requestId: string | null;
}

function readEnvelope(body: unknown): Envelope | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const code = typeof record.code === 'string' ? Number(record.code) : record.code;
  if (typeof code !== 'number' || !Number.isInteger(code)) return null;
  return {
    code,
    message: typeof record.message === 'string' ? record.message : '',
    requestId:
      typeof record.request_id === 'string' && record.request_id ? record.request_id : null,
  };
}

/** undici / Node error codes by what they mean for the call. */
const NETWORK_REASONS = new Map<string, 'connect_failed' | 'timeout' | 'network'>([
  ['UND_ERR_CONNECT_TIMEOUT', 'connect_failed'],
  ['ECONNREFUSED', 'connect_failed'],
  ['ENOTFOUND', 'connect_failed'],
  ['EAI_AGAIN', 'connect_failed'],
  ['EHOSTUNREACH', 'connect_failed'],
  ['ENETUNREACH', 'connect_failed'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['ETIMEDOUT', 'timeout'],
  ['UND_ERR_SOCKET', 'network'],
  ['UND_ERR_CLOSED', 'network'],
  ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'network'],
  ['ECONNRESET', 'network'],
  ['EPIPE', 'network'],
  ['ECONNABORTED', 'network'],
]);

const NETWORK_MESSAGES = {
  connect_failed: (code: string) => `could not connect to TikTok Shop (${code})`,
  timeout: (code: string) =>
    `TikTok Shop timed out, ${code === 'UND_ERR_BODY_TIMEOUT' ? 'the response body stalled' : 'no response in time'} (${code})`,
  network: (code: string) => `connection to TikTok Shop broke (${code})`,
};

function errorCodeOf(cause: unknown): string | undefined {
  if (typeof cause === 'object' && cause !== null && 'code' in cause) {
    const code = (cause as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function mapNetworkFailure(operation: string, cause: unknown): TikTokShopError {
  const code = errorCodeOf(cause);
  const base = { code: null, status: null, requestId: null, operation, cause };
  const reason = code === undefined ? undefined : NETWORK_REASONS.get(code);
  if (code !== undefined && reason !== undefined) {
    return new TikTokShopUpstreamError(`${operation}: ${NETWORK_MESSAGES[reason](code)}`, {
      ...base,
      reason,
    });
  }
  // Anything else (an aborted request, a bug in how we called undici) is not worth repeating.
  return new TikTokShopError(
    `${operation}: request to TikTok Shop failed (${code ?? 'unknown error'})`,
    base,
  );
}

/** The error class a code's meaning stands for (tiktok-codes.ts). */
function fromMeaning(
  meaning: CodeMeaning,
  message: string,
  base: TikTokShopErrorOptions,
  failure: Extract<UpstreamFailure, { type: 'response' }>,
): TikTokShopError {
  switch (meaning.kind) {
    case 'rate_limited':
      return new TikTokShopRateLimitError(message, {
        ...base,
        reason: meaning.reason,
        retryAfterMs: failure.retryAfterMs,
      });
    case 'invalid_path':
      return new TikTokShopInvalidPathError(message, { ...base, ...failure.request });
    case 'server_error':
      return new TikTokShopUpstreamError(message, { ...base, reason: 'server_error' });
    case 'auth':
      return new TikTokShopAuthError(message, {
        ...base,
        reason: meaning.reason,
        canRefresh: meaning.reason === 'expired_token',
      });
    case 'permission':
      return new TikTokShopPermissionError(message, { ...base, reason: meaning.reason });
    case 'validation':
      return new TikTokShopValidationError(message, { ...base, reason: meaning.reason });
    case 'not_found':
      return new TikTokShopNotFoundError(message, base);
    case 'unknown':
      return new TikTokShopError(message, base);
  }
}

/**
 * The one place that turns an upstream failure into an error class. Branches on TikTok's `code`
 * first (§5: clients must branch on code, not status), then on the HTTP status for answers
 * without a known code. Messages carry the operation and TikTok's message, never request data.
 */
export function toTikTokShopError(failure: UpstreamFailure): TikTokShopError {
  const { operation } = failure;
  if (failure.type === 'network') return mapNetworkFailure(operation, failure.cause);

  const { status } = failure;
  const envelope = readEnvelope(failure.body);
  if (envelope === null) {
    const isServerError = status >= 500;
    return new TikTokShopUpstreamError(
      isServerError
        ? `${operation}: TikTok Shop answered HTTP ${status} without a valid envelope`
        : `${operation}: TikTok Shop answered HTTP ${status} with a body that is not a JSON envelope`,
      {
        code: null,
        status,
        requestId: null,
        operation,
        reason: isServerError ? 'server_error' : 'malformed_response',
      },
    );
  }

  const { code, requestId } = envelope;
  const upstreamMessage = sanitize(envelope.message, failure.secrets);
  const base = { code, status, requestId, operation, upstreamMessage };
  const describe = (what: string) =>
    `${operation}: ${what} (TikTok code ${code}${upstreamMessage ? `: ${upstreamMessage}` : ''})`;

  if (code === 0) {
    // A success code on a failed status is not something TikTok documents; treat as upstream.
    return new TikTokShopUpstreamError(describe(`unexpected HTTP ${status} with a success code`), {
      ...base,
      reason: status >= 500 ? 'server_error' : 'malformed_response',
    });
  }
  const meaning = meaningOf(code, envelope.message, status);
  // For an unknown path the path itself is the finding (§5: a client or version bug).
  const what =
    meaning.kind === 'invalid_path'
      ? `${meaning.hint}: ${failure.request.method} ${failure.request.path}`
      : meaning.hint;
  return fromMeaning(meaning, describe(what), base, failure);
}
