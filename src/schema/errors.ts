// Expected failures at the GraphQL edge: the ErrorCode enum clients branch on, helpers for bad
// arguments, and the one mapper that turns datasource errors into safe GraphQL errors.
import type { GraphQLError } from 'graphql';
// createGraphQLError, not `new GraphQLError`: it builds the error with the graphql instance Yoga
// checks with `instanceof`, even where a bundler hands this file a second copy of graphql.
import { createGraphQLError, type MaskError, maskError } from 'graphql-yoga';
import { AuthError } from '../auth/errors.js';
import {
  TikTokShopAuthError,
  TikTokShopCircuitOpenError,
  TikTokShopError,
  TikTokShopInvalidPathError,
  TikTokShopNotFoundError,
  TikTokShopPermissionError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
  TikTokShopValidationError,
} from '../datasources/tiktok/errors.js';
import { WriteLockUnavailableError } from '../datasources/tiktok/write-lock.js';
import type { Logger } from '../logger.js';
import { TokenStoreUnavailableError } from '../redis/errors.js';
import { builder } from './builder.js';

export const ERROR_CODES = {
  BAD_USER_INPUT:
    'An argument or variable is invalid, or the request exceeds a limit (`extensions.limit`: ' +
    'maxDepth, maxTokens, maxAliases, maxDirectives, maxCost; maxBodyBytes with HTTP 413; ' +
    'maxUpstreamCalls, with `extensions.estimate`, `maxUpstreamCalls` and `estimateByEndpoint`); ' +
    'fix the request. Checked before any upstream call.',
  UNAUTHENTICATED:
    'No valid gateway credential (HTTP 401), or TikTok rejected the seller token and it cannot ' +
    'be renewed: `extensions.reason` REAUTHORIZATION_REQUIRED means run `npm run oauth`; ' +
    'SELLER_DEAUTHORIZED: the seller deauthorised the app, nothing was sent, it must authorise ' +
    'again.',
  FORBIDDEN:
    'The caller lacks the gateway scope named in `extensions.scope`, or may not use the shop ' +
    'named in `extensions.shopId` (nothing was sent upstream), or the TikTok app or token ' +
    'lacks the permission for this data. With HTTP 403, a CORS preflight from an origin not in ' +
    'CORS_ORIGINS.',
  OAUTH_STATE_INVALID:
    'The OAuth state is forged, expired, replayed or malformed (`extensions.reason`); nothing ' +
    'was exchanged or stored. Start again from a new authorizationUrl.',
  OAUTH_DENIED: 'The seller refused the authorisation on TikTok.',
  RATE_LIMITED:
    'TikTok or the gateway is throttling; retry after `extensions.retryAfterMs`. ' +
    '`extensions.reason` SANDBOX_HOURLY_QUOTA: the test shop used its hourly quota (36009037); ' +
    "retrying within the hour only spends more of it. REQUEST_DEADLINE: the shop's rate budget " +
    "had no slot before the request's deadline (GRAPHQL_REQUEST_DEADLINE_MS); nothing was sent.",
  NOT_FOUND:
    'TikTok does not know the object, or it belongs to another seller; with HTTP 404, a path ' +
    'other than the GraphQL path.',
  UPSTREAM_ERROR:
    'TikTok failed or could not be reached; other fields may still have data. `reason` ' +
    'CIRCUIT_OPEN: recent calls for this shop failed, so nothing was sent; retry after ' +
    "`extensions.retryAfterMs`. REQUEST_DEADLINE: the request's deadline " +
    '(GRAPHQL_REQUEST_DEADLINE_MS) passed before the call could be sent.',
  INTERNAL_SERVER_ERROR:
    'An unexpected failure; details are logged server-side, never returned. Also a path TikTok ' +
    'does not know (36009009): a gateway bug, the message names the path.',
  BAD_REQUEST:
    'The HTTP request is not a GraphQL request (HTTP 4xx): an empty or invalid JSON body, no ' +
    '`query`, an unexpected parameter, a method other than GET and POST (405), a mutation over ' +
    'GET (405), an unsupported Content-Type (415).',
  GRAPHQL_PARSE_FAILED: 'The query is not valid GraphQL syntax; nothing ran.',
  GRAPHQL_VALIDATION_FAILED:
    'The query does not validate against the schema; nothing ran. `extensions.reason` ' +
    'INTROSPECTION_DISABLED: it asks for `__schema` or `__type` and INTROSPECTION_ENABLED is off.',
  PERSISTED_QUERY_NOT_FOUND:
    'The persisted operation id (`documentId`, or `extensions.persistedQuery.sha256Hash`) is ' +
    'not in the manifest (HTTP 400); nothing ran. With PERSISTED_OPERATIONS=allow, send the ' +
    'query instead.',
  PERSISTED_QUERY_REQUIRED:
    'PERSISTED_OPERATIONS=require and the request sent a document as text (HTTP 400); nothing ' +
    'ran. Send the id of an operation in the manifest.',
  OPERATION_RESOLUTION_FAILURE:
    'The operation to run is unclear: `operationName` names none in the document, or the ' +
    'document has several and none is named.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description:
    'Values of `errors[].extensions.code` (and of `InventoryUpdateFailed.code`). Upstream ' +
    "failures also carry `extensions.requestId` (TikTok's request id) and " +
    '`extensions.tiktokCode`.',
  values: Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }]),
  ) as Record<ErrorCode, { description: string }>,
});

/** A client mistake, reported before any upstream call; `details` add to its extensions. */
export function badUserInput(
  message: string,
  argumentName?: string,
  details?: Record<string, string>,
): GraphQLError {
  return createGraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}), ...details },
  });
}

const REQUEST_DEADLINE_WHAT =
  "it could not be sent before the request's deadline (GRAPHQL_REQUEST_DEADLINE_MS)";

/** Why a call was refused as rate-limited, by reason. */
const RATE_LIMIT_WHAT: Record<TikTokShopRateLimitError['reason'], string> = {
  throttled: 'requests are being throttled',
  sandbox_hourly_quota: 'the hourly test-shop (sandbox) quota is used up',
  request_deadline: `the shop's rate budget had no slot before the request's deadline (GRAPHQL_REQUEST_DEADLINE_MS)`,
};

function classify(error: TikTokShopError): { code: ErrorCode; what: string } {
  if (error instanceof TikTokShopAuthError) {
    return { code: 'UNAUTHENTICATED', what: 'the access token was rejected' };
  }
  if (error instanceof TikTokShopPermissionError) {
    return { code: 'FORBIDDEN', what: 'the app lacks permission for it' };
  }
  if (error instanceof TikTokShopRateLimitError) {
    return { code: 'RATE_LIMITED', what: RATE_LIMIT_WHAT[error.reason] };
  }
  if (error instanceof TikTokShopInvalidPathError) {
    return {
      code: 'INTERNAL_SERVER_ERROR',
      what: `the gateway called a path TikTok Shop does not know (${error.method} ${error.path}), a gateway bug`,
    };
  }
  if (error instanceof TikTokShopValidationError) {
    return { code: 'BAD_USER_INPUT', what: 'TikTok rejected the request as invalid' };
  }
  if (error instanceof TikTokShopNotFoundError) {
    return { code: 'NOT_FOUND', what: 'TikTok does not know the object' };
  }
  if (error instanceof TikTokShopCircuitOpenError) {
    return {
      code: 'UPSTREAM_ERROR',
      what: 'recent calls for this shop failed, so it was not sent',
    };
  }
  if (error instanceof TikTokShopUpstreamError && error.reason === 'request_deadline') {
    return { code: 'UPSTREAM_ERROR', what: REQUEST_DEADLINE_WHAT };
  }
  return { code: 'UPSTREAM_ERROR', what: 'TikTok failed or could not be reached' };
}

/** Where in the operation an error happened, as graphql-js located it. */
type ErrorLocation = Pick<GraphQLError, 'nodes' | 'source' | 'positions' | 'path'>;

/** A safe error at the place `located` names (nowhere when it is absent). */
function locatedError(
  message: string,
  located: ErrorLocation | undefined,
  extensions: Record<string, unknown>,
): GraphQLError {
  return createGraphQLError(message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions,
  });
}

/**
 * The message is built here from the error's class and fields, so no token, secret or raw body
 * can reach a client. The one piece of upstream text is TikTok's message on an invalid request,
 * sanitised where it was read (no value we sent as a secret, nothing token-like), capped at 300
 * characters, and also in `extensions.tiktokMessage`.
 */
export function toGraphQLError(error: TikTokShopError, located?: ErrorLocation): GraphQLError {
  const { code, what } = classify(error);
  const retryAfterMs =
    error instanceof TikTokShopRateLimitError || error instanceof TikTokShopCircuitOpenError
      ? error.retryAfterMs
      : undefined;
  // An invalid request is the client's to fix: TikTok's own words say how (issue 11).
  const tiktokMessage = error instanceof TikTokShopValidationError ? error.upstreamMessage : null;
  const summary = `TikTok Shop ${error.operation} failed: ${what}.`;
  return locatedError(tiktokMessage ? `${summary} TikTok: ${tiktokMessage}` : summary, located, {
    code,
    ...(tiktokMessage ? { tiktokMessage } : {}),
    requestId: error.requestId ?? null,
    tiktokCode: error.code,
    retryable: error.retryable,
    ...(error instanceof TikTokShopCircuitOpenError ? { reason: 'CIRCUIT_OPEN' } : {}),
    ...(error instanceof TikTokShopUpstreamError && error.reason === 'request_deadline'
      ? { reason: 'REQUEST_DEADLINE' }
      : {}),
    ...(retryAfterMs !== undefined && retryAfterMs !== null ? { retryAfterMs } : {}),
    ...(error instanceof TikTokShopRateLimitError ? { reason: error.reason.toUpperCase() } : {}),
  });
}

/**
 * The Redis token store could not answer and this replica holds no copy of what was asked (issue
 * #6). UPSTREAM_ERROR, not UNAUTHENTICATED: the seller need not re-authorise, the same request
 * succeeds once Redis answers. (A refused token refresh, RefreshUnavailableError, is an AuthError
 * with the same code and `reason: TOKEN_REFRESH_UNAVAILABLE`.)
 */
const TOKEN_STORE_UNAVAILABLE = {
  code: 'UPSTREAM_ERROR',
  message: 'The token store is unavailable (Redis does not answer); retry shortly.',
  extensions: { code: 'UPSTREAM_ERROR', reason: 'TOKEN_STORE_UNAVAILABLE', retryable: true },
} as const;

/** A resolver error as graphql-js hands it over: located, with the thrown error inside. */
function isLocatedError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'path' in error;
}

/**
 * The code and a safe message for any failure, as a client would see it in `errors`: known
 * classes are mapped, anything else is INTERNAL_SERVER_ERROR without details.
 */
export function describeFailure(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof TikTokShopError) {
    return { code: classify(error).code, message: toGraphQLError(error).message };
  }
  if (error instanceof AuthError) {
    const code = error.extensions.code;
    return {
      code: code in ERROR_CODES ? (code as ErrorCode) : 'INTERNAL_SERVER_ERROR',
      message: error.message,
    };
  }
  if (error instanceof TokenStoreUnavailableError) {
    return { code: TOKEN_STORE_UNAVAILABLE.code, message: TOKEN_STORE_UNAVAILABLE.message };
  }
  // Its message names no key and no upstream text.
  if (error instanceof WriteLockUnavailableError) {
    return { code: 'UPSTREAM_ERROR', message: error.message };
  }
  return { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' };
}

/**
 * How loudly a failure a client sees is logged: a refusal or a client's mistake (FORBIDDEN,
 * UNAUTHENTICATED, BAD_USER_INPUT, NOT_FOUND…) at info, upstream trouble at warn, the gateway's own
 * faults at error.
 */
export function logLevelOf(error: unknown): 'info' | 'warn' | 'error' {
  const { code } = describeFailure(isLocatedError(error) ? (error.originalError ?? error) : error);
  return logLevelOfCode(code);
}

/** The same by `extensions.code` (the access log reads the codes of the answer, issue 12). */
export function logLevelOfCode(code: string): 'info' | 'warn' | 'error' {
  if (code === 'INTERNAL_SERVER_ERROR') return 'error';
  return code === 'UPSTREAM_ERROR' || code === 'RATE_LIMITED' ? 'warn' : 'info';
}

/** Auth errors carry a safe message and ready `extensions` (docs/auth.md). */
export function authErrorToGraphQLError(error: AuthError, located?: ErrorLocation): GraphQLError {
  return locatedError(error.message, located, { ...error.extensions });
}

/**
 * Yoga's maskError with our known classes mapped first. Everything else unexpected is logged and
 * masked as INTERNAL_SERVER_ERROR, without details even when NODE_ENV=development.
 */
export function createMaskError(logger: Logger): MaskError {
  return (error, message) => {
    const located = isLocatedError(error) ? error : undefined;
    const original = located ? located.originalError : error;
    if (original instanceof TikTokShopError) return toGraphQLError(original, located);
    if (original instanceof AuthError) return authErrorToGraphQLError(original, located);
    if (original instanceof TokenStoreUnavailableError) {
      return locatedError(TOKEN_STORE_UNAVAILABLE.message, located, {
        ...TOKEN_STORE_UNAVAILABLE.extensions,
      });
    }
    const masked = maskError(error, message, false);
    if (masked !== error) logger.error({ err: original ?? error }, 'unexpected error masked');
    return masked;
  };
}
