// The API-host admission checks (§1, §4, §5), in TikTok's order; each failure is one envelope.
import { type ApiFailure, CODES, failure } from './envelope.js';
import { parseQuery } from './http-io.js';
import type { RouteDefinition, StoreSeller, StoreShop } from './route-types.js';
import type { Router } from './router.js';
import { verifySignature } from './signature.js';
import type { TokenStore } from './tokens.js';

/** Oldest accepted timestamp, seconds behind the emulator clock (§4). */
export const TIMESTAMP_MAX_AGE_SECONDS = 5 * 60;
/** Furthest accepted timestamp, seconds ahead of the emulator clock (§4). */
export const TIMESTAMP_MAX_AHEAD_SECONDS = 30;

export interface ApiCheckDeps {
  router: Router;
  appKey: string;
  appSecret: string;
  tokens: TokenStore;
  sellersByOpenId: ReadonlyMap<string, StoreSeller>;
  shopsByCipher: ReadonlyMap<string, StoreShop>;
}

export interface ApiCheckInput {
  method: string;
  /** Raw path as sent. */
  path: string;
  search: URLSearchParams;
  contentType: string | undefined;
  accessToken: string | undefined;
  body: Buffer;
  /** Emulator clock, ms since the epoch. */
  nowMs: number;
}

export interface AdmittedRequest {
  route: RouteDefinition;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  seller: StoreSeller;
  shop: StoreShop | null;
}

export type ApiCheckResult =
  | { ok: true; request: AdmittedRequest }
  | {
      ok: false;
      failure: ApiFailure;
      /** Route name for the log: `unknown` until a route matched. */
      endpoint: string;
      shopId: string | null;
    };

const MESSAGES = {
  invalidPath: 'Invalid path. The requested API does not exist.',
  badContentType: "Invalid request. The 'content-type' header must be 'application/json'.",
  badAppKey: "Invalid credentials. Invalid 'app_key' query parameter.",
  missingSign: "Invalid credentials. Missing 'sign' query parameter.",
  timestampFormat: "Invalid timestamp. 'timestamp' must be a 10-digit Unix time in seconds.",
  timestampOld: "Invalid timestamp. 'timestamp' is more than 5 minutes in the past.",
  timestampAhead: "Invalid timestamp. 'timestamp' is more than 30 seconds in the future.",
  badSign: "Invalid signature. The 'sign' query parameter does not match the request.",
  missingToken: "Invalid credentials. Missing 'x-tts-access-token' header.",
  badToken: "Invalid credentials. Invalid 'x-tts-access-token' header.",
  expiredToken: 'Access token is expired. Refresh the access token and retry.',
  missingCipher: "Missing 'shop_cipher' query parameter. This API is shop-scoped.",
  unexpectedCipher:
    "Unexpected shop_cipher. The 'shop_cipher' query parameter is not accepted by this API.",
  shopNotAuthorized: "The shop in 'shop_cipher' is not authorized for this access token.",
  bodyNotObject: 'Invalid request body. The body must be a JSON object.',
  bodyOnGet: 'Invalid request body. GET requests must not carry a body.',
} as const;

/** Runs every check before the rate limit; the order is the one documented in docs/emulator.md. */
export function checkApiRequest(deps: ApiCheckDeps, input: ApiCheckInput): ApiCheckResult {
  let endpoint = 'unknown';
  let shopId: string | null = null;
  const reject = (httpStatus: number, code: number, message: string): ApiCheckResult => ({
    ok: false,
    failure: failure(httpStatus, code, message),
    endpoint,
    shopId,
  });

  const match = deps.router.match(input.method, input.path);
  if (match.kind === 'not_found') return reject(404, CODES.invalidPath, MESSAGES.invalidPath);
  if (match.kind === 'wrong_method') {
    const allowed = match.allowed.join(', ');
    return {
      ok: false,
      failure: failure(
        405,
        CODES.methodNotAllowed,
        `Method not allowed. This API accepts ${allowed}.`,
        { allow: allowed },
      ),
      endpoint,
      shopId,
    };
  }
  const { route, params } = match;
  endpoint = route.endpoint;

  // §1: content-type application/json is required on every call, GET included.
  if (!isJsonContentType(input.contentType)) {
    return reject(400, CODES.invalidParameter, MESSAGES.badContentType);
  }

  const parsed = parseQuery(input.search);
  if (!parsed.ok) {
    return reject(
      400,
      CODES.invalidParameter,
      `Invalid request. Query parameter '${parsed.duplicateKey}' is sent more than once.`,
    );
  }
  const { query } = parsed;

  if (query.app_key !== deps.appKey) return reject(400, CODES.invalidParameter, MESSAGES.badAppKey);
  if (!query.sign) return reject(400, CODES.invalidParameter, MESSAGES.missingSign);

  const timestampProblem = checkTimestamp(query.timestamp, input.nowMs);
  if (timestampProblem) return reject(400, CODES.invalidParameter, timestampProblem);

  const signature = verifySignature(
    deps.appSecret,
    { path: input.path, query, body: input.body },
    query.sign,
  );
  if (!signature.ok) return reject(401, CODES.invalidSignature, MESSAGES.badSign);

  if (!input.accessToken) return reject(401, CODES.invalidParameter, MESSAGES.missingToken);
  const token = deps.tokens.lookupAccessToken(input.accessToken);
  if (token.status === 'unknown') return reject(401, CODES.invalidParameter, MESSAGES.badToken);
  if (token.status === 'expired') {
    return reject(401, CODES.accessTokenExpired, MESSAGES.expiredToken);
  }
  const seller = deps.sellersByOpenId.get(token.grant.openId);
  if (!seller) return reject(401, CODES.invalidParameter, MESSAGES.badToken);

  let shop: StoreShop | null = null;
  if (route.isShopScoped) {
    // An empty `shop_cipher=` names no shop, so it counts as missing.
    if (!query.shop_cipher) return reject(400, CODES.shopCipherMissing, MESSAGES.missingCipher);
    const candidate = deps.shopsByCipher.get(query.shop_cipher);
    if (!candidate || candidate.sellerOpenId !== seller.openId) {
      return reject(403, CODES.shopNotAuthorized, MESSAGES.shopNotAuthorized);
    }
    shop = candidate;
    shopId = candidate.id;
  } else if (Object.hasOwn(query, 'shop_cipher')) {
    return reject(400, CODES.invalidParameter, MESSAGES.unexpectedCipher);
  }

  if (!token.grant.scopes.includes(route.scope)) {
    return reject(
      403,
      CODES.scopeNotGranted,
      `Access denied. The access token has not been granted scope '${route.scope}'.`,
    );
  }

  const body = parseBody(route, input.body);
  if (!body.ok) return reject(400, CODES.invalidParameter, body.message);

  return { ok: true, request: { route, params, query, body: body.value, seller, shop } };
}

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const mediaType = header.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/** Returns the problem with the timestamp, or null when it is inside the window (§4). */
function checkTimestamp(value: string | undefined, nowMs: number): string | null {
  if (value === undefined || !/^\d{10}$/.test(value)) return MESSAGES.timestampFormat;
  const skewSeconds = Number(value) - nowMs / 1000;
  if (skewSeconds < -TIMESTAMP_MAX_AGE_SECONDS) return MESSAGES.timestampOld;
  if (skewSeconds > TIMESTAMP_MAX_AHEAD_SECONDS) return MESSAGES.timestampAhead;
  return null;
}

type BodyParse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * POST and PUT must carry a JSON object, unless the route's body is optional (the searches, §4);
 * DELETE may carry one; GET must carry none (§4: "GET requests have no body"). The strict
 * reading, since TikTok's tolerance here is unconfirmed.
 */
function parseBody(route: RouteDefinition, raw: Buffer): BodyParse {
  const { method } = route;
  if (raw.length === 0) {
    const isRequired = (method === 'POST' || method === 'PUT') && !route.isBodyOptional;
    if (isRequired) return { ok: false, message: MESSAGES.bodyNotObject };
    return { ok: true, value: undefined };
  }
  if (method === 'GET') return { ok: false, message: MESSAGES.bodyOnGet };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return { ok: false, message: MESSAGES.bodyNotObject };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: MESSAGES.bodyNotObject };
  }
  return { ok: true, value };
}
