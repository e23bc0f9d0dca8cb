// TikTok Shop error classes and the one mapper that turns an upstream answer (or the lack of one)
// into them. No other module reads HTTP status codes or TikTok codes.

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
  /** true when the same call may succeed later without any change (throttling, 5xx, network). */
  retryable: boolean;
  cause?: unknown;
}

/** Base class: any failed TikTok Shop call. Unknown non-zero codes arrive as this class itself. */
export class TikTokShopError extends Error {
  override name = 'TikTokShopError';
  readonly code: number | null;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly operation: string;
  readonly retryable: boolean;

  constructor(message: string, options: TikTokShopErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.operation = options.operation;
    this.retryable = options.retryable;
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

export class TikTokShopAuthError extends TikTokShopError {
  override name = 'TikTokShopAuthError';
  readonly reason: AuthErrorReason;
  /** true when refreshing the access token can fix this (only `expired_token`). */
  readonly canRefresh: boolean;

  constructor(
    message: string,
    options: TikTokShopErrorOptions & { reason: AuthErrorReason; canRefresh: boolean },
  ) {
    super(message, options);
    this.reason = options.reason;
    this.canRefresh = options.canRefresh;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, canRefresh: this.canRefresh };
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

export class TikTokShopPermissionError extends TikTokShopError {
  override name = 'TikTokShopPermissionError';
  readonly reason: PermissionErrorReason;

  constructor(
    message: string,
    options: TikTokShopErrorOptions & { reason: PermissionErrorReason },
  ) {
    super(message, options);
    this.reason = options.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

export class TikTokShopRateLimitError extends TikTokShopError {
  override name = 'TikTokShopRateLimitError';
  /** How long to wait before trying again, ms; null when TikTok gave no hint. */
  readonly retryAfterMs: number | null;
  /** true when our own limiter refused the call before anything was sent. */
  readonly isLocal: boolean;

  constructor(
    message: string,
    options: TikTokShopErrorOptions & { retryAfterMs: number | null; isLocal?: boolean },
  ) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
    this.isLocal = options.isLocal ?? false;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs, isLocal: this.isLocal };
  }
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

export class TikTokShopValidationError extends TikTokShopError {
  override name = 'TikTokShopValidationError';
  readonly reason: ValidationErrorReason;

  constructor(
    message: string,
    options: TikTokShopErrorOptions & { reason: ValidationErrorReason },
  ) {
    super(message, options);
    this.reason = options.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

export class TikTokShopNotFoundError extends TikTokShopError {
  override name = 'TikTokShopNotFoundError';
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
  /** An answer that is not a TikTok JSON envelope. */
  | 'malformed_response';

export class TikTokShopUpstreamError extends TikTokShopError {
  override name = 'TikTokShopUpstreamError';
  readonly reason: UpstreamErrorReason;

  constructor(message: string, options: TikTokShopErrorOptions & { reason: UpstreamErrorReason }) {
    super(message, options);
    this.reason = options.reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

// --- The mapper --------------------------------------------------------------------------------

/** What went wrong with one upstream attempt, as the HTTP layer saw it. */
export type UpstreamFailure =
  | {
      type: 'response';
      operation: string;
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

const NOT_FOUND_CODES = new Set([
  12052032, // product does not exist
  12019150, // product id does not exist
  12052260, // product not found
  12052048, // product not in this shop
  12052556, // SKU not found
  12052097, // warehouse not found
  21008111, // order or package not owned by this seller
  28001007, // analytics: product not found
  36009009, // invalid path
]);

const VALIDATION_CODES = new Set([
  12019109, // page size invalid
  12052180, // more than 10 000 search results
  12019027, // too many SKUs in filter
  12019087, // too many SKUs in filter
  12019008, // bad product id
  12019015, // too many SKUs
  12019120, // too many product ids
  12019028, // inventory update misses one of the SKU's warehouses
  12019024, // negative quantity
  12052055, // invalid quantity
  12052553, // duplicate SKU id
  12052901, // product status forbids the operation
  28001022, // analytics: bad date range
]);

/** Longest slice of TikTok's message we repeat, so a huge upstream text cannot flood logs. */
const MAX_UPSTREAM_MESSAGE_CHARS = 300;

function sanitize(text: string, secrets: string[] | undefined): string {
  let safe =
    text.length > MAX_UPSTREAM_MESSAGE_CHARS
      ? `${text.slice(0, MAX_UPSTREAM_MESSAGE_CHARS)}…`
      : text;
  for (const secret of secrets ?? []) {
    // Short values (e.g. empty strings) would mangle ordinary words and are no secret anyway.
    if (secret.length >= 6) safe = safe.split(secret).join('[redacted]');
  }
  return safe;
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

const NETWORK_CONNECT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const NETWORK_TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
const NETWORK_BROKEN_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
]);

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
  if (code !== undefined && NETWORK_CONNECT_CODES.has(code)) {
    return new TikTokShopUpstreamError(`${operation}: could not connect to TikTok Shop (${code})`, {
      ...base,
      retryable: true,
      reason: 'connect_failed',
    });
  }
  if (code !== undefined && NETWORK_TIMEOUT_CODES.has(code)) {
    const phase =
      code === 'UND_ERR_BODY_TIMEOUT' ? 'the response body stalled' : 'no response in time';
    return new TikTokShopUpstreamError(`${operation}: TikTok Shop timed out, ${phase} (${code})`, {
      ...base,
      retryable: true,
      reason: 'timeout',
    });
  }
  if (code !== undefined && NETWORK_BROKEN_CODES.has(code)) {
    return new TikTokShopUpstreamError(`${operation}: connection to TikTok Shop broke (${code})`, {
      ...base,
      retryable: true,
      reason: 'network',
    });
  }
  // Anything else (an aborted request, a bug in how we called undici) is not worth repeating.
  return new TikTokShopError(
    `${operation}: request to TikTok Shop failed (${code ?? 'unknown error'})`,
    {
      ...base,
      retryable: false,
    },
  );
}

/**
 * The one place that turns an upstream failure into an error class. Branches on TikTok's `code`
 * first (§5: clients must branch on code, not status), then on the HTTP status for answers
 * without a known code. Messages carry the operation and TikTok's message, never request data.
 */
export function toTikTokShopError(failure: UpstreamFailure): TikTokShopError {
  const { operation } = failure;
  if (failure.type === 'network') return mapNetworkFailure(operation, failure.cause);

  const { status, retryAfterMs } = failure;
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
        retryable: isServerError,
        reason: isServerError ? 'server_error' : 'malformed_response',
      },
    );
  }

  const { code, requestId } = envelope;
  const upstreamMessage = sanitize(envelope.message, failure.secrets);
  const base = { code, status, requestId, operation };
  const describe = (what: string) =>
    `${operation}: ${what} (TikTok code ${code}${upstreamMessage ? `: ${upstreamMessage}` : ''})`;

  if (code === 0) {
    // A success code on a failed status is not something TikTok documents; treat as upstream.
    return new TikTokShopUpstreamError(describe(`unexpected HTTP ${status} with a success code`), {
      ...base,
      retryable: status >= 500,
      reason: status >= 500 ? 'server_error' : 'malformed_response',
    });
  }

  switch (code) {
    case 36009002: // too many requests (§5, §7)
    case 36009037: // rate limit on test shops
      return new TikTokShopRateLimitError(describe('rate limited by TikTok Shop'), {
        ...base,
        retryable: true,
        retryAfterMs,
      });
    case 36009003: // internal error: retry
    case 36009007: // gateway timeout: retry
      return new TikTokShopUpstreamError(describe('TikTok Shop internal error'), {
        ...base,
        retryable: true,
        reason: 'server_error',
      });
    case 105002:
      return new TikTokShopAuthError(describe('access token expired'), {
        ...base,
        retryable: false,
        reason: 'expired_token',
        canRefresh: true,
      });
    case 106001:
      // A bad signature means our signer or the configured app secret is wrong; retrying or
      // refreshing cannot fix it, so it is an auth failure the operator must act on.
      return new TikTokShopAuthError(
        describe('request signature rejected (check the app secret)'),
        {
          ...base,
          retryable: false,
          reason: 'invalid_signature',
          canRefresh: false,
        },
      );
    case 36004004:
      return new TikTokShopAuthError(describe('authorization code is invalid, used or expired'), {
        ...base,
        retryable: false,
        reason: 'invalid_auth_code',
        canRefresh: false,
      });
    case 36004005:
      return new TikTokShopAuthError(
        describe('no authorization matches the code or refresh token'),
        {
          ...base,
          retryable: false,
          reason: 'invalid_grant',
          canRefresh: false,
        },
      );
    case 36004001:
      return new TikTokShopAuthError(
        describe('refresh token expired; the seller must authorize again'),
        {
          ...base,
          retryable: false,
          reason: 'refresh_token_expired',
          canRefresh: false,
        },
      );
    case 105005:
      return new TikTokShopPermissionError(describe('scope not granted to this app or token'), {
        ...base,
        retryable: false,
        reason: 'scope_not_granted',
      });
    case 101000:
      return new TikTokShopPermissionError(describe('shop not authorized for this token'), {
        ...base,
        retryable: false,
        reason: 'shop_not_authorized',
      });
    case 36009043:
    case 36009044:
      return new TikTokShopPermissionError(describe('shop or seller inactive'), {
        ...base,
        retryable: false,
        reason: 'inactive',
      });
    case 36009033:
      return new TikTokShopPermissionError(describe('caller IP not allow-listed'), {
        ...base,
        retryable: false,
        reason: 'ip_not_allowed',
      });
    case 106013:
      return new TikTokShopValidationError(describe('shop_cipher missing'), {
        ...base,
        retryable: false,
        reason: 'missing_shop_cipher',
      });
    case 36009010:
    case 36009014:
      return new TikTokShopValidationError(describe('API version or method not accepted'), {
        ...base,
        retryable: false,
        reason: 'invalid_version',
      });
    case 36009004:
      return mapCatchAll(envelope.message, describe, base);
  }

  if (NOT_FOUND_CODES.has(code)) {
    return new TikTokShopNotFoundError(describe('not found'), { ...base, retryable: false });
  }
  if (VALIDATION_CODES.has(code)) {
    return new TikTokShopValidationError(describe('invalid request'), {
      ...base,
      retryable: false,
      reason: 'invalid_parameter',
    });
  }
  // Unknown codes: fall back on the status so throttling and outages still behave.
  if (status === 429) {
    return new TikTokShopRateLimitError(describe('rate limited by TikTok Shop'), {
      ...base,
      retryable: true,
      retryAfterMs,
    });
  }
  if (status >= 500) {
    return new TikTokShopUpstreamError(describe(`TikTok Shop answered HTTP ${status}`), {
      ...base,
      retryable: true,
      reason: 'server_error',
    });
  }
  return new TikTokShopError(describe('TikTok Shop returned an error'), {
    ...base,
    retryable: false,
  });
}

/**
 * 36009004 covers credentials and parameters alike (§5); only the message tells them apart.
 * The checks run from the most specific to the most general.
 */
function mapCatchAll(
  rawMessage: string,
  describe: (what: string) => string,
  base: { code: number; status: number; requestId: string | null; operation: string },
): TikTokShopError {
  const text = rawMessage.toLowerCase();
  const common = { ...base, retryable: false };
  if (text.includes('app_key') || text.includes('app key')) {
    return new TikTokShopAuthError(describe('app key not accepted'), {
      ...common,
      reason: 'invalid_app_key',
      canRefresh: false,
    });
  }
  if (
    text.includes('access_token') ||
    text.includes('access token') ||
    text.includes('x-tts-access-token')
  ) {
    return new TikTokShopAuthError(describe('access token not accepted'), {
      ...common,
      reason: 'invalid_token',
      canRefresh: false,
    });
  }
  if (text.includes('timestamp')) {
    return new TikTokShopValidationError(
      describe('timestamp outside the accepted window; check this server clock (clock skew)'),
      { ...common, reason: 'clock_skew' },
    );
  }
  if (
    text.includes('shop_cipher') ||
    text.includes('category_asset_cipher') ||
    text.includes('unexpected identifier')
  ) {
    return new TikTokShopValidationError(describe('shop_cipher not accepted for this endpoint'), {
      ...common,
      reason: 'unexpected_shop_cipher',
    });
  }
  if (text.includes('version')) {
    return new TikTokShopValidationError(describe('API version not accepted'), {
      ...common,
      reason: 'invalid_version',
    });
  }
  if (/\bsign\b/.test(text) || text.includes("'sign'") || text.includes('signature')) {
    return new TikTokShopAuthError(describe('request signature missing or rejected'), {
      ...common,
      reason: 'invalid_signature',
      canRefresh: false,
    });
  }
  return new TikTokShopValidationError(describe('invalid request parameters'), {
    ...common,
    reason: 'invalid_parameter',
  });
}
