// Auth-host routes (§2): the seller authorization page and the token get/refresh endpoints.
import { timingSafeEqual } from 'node:crypto';
import type { AuthCodeStore } from './auth-codes.js';
import { renderAuthorizePage, renderErrorPage } from './authorize-page.js';
import { type ApiFailure, CODES, createRequestId, failure, sendEnvelope } from './envelope.js';
import { type ArrivedRequest, parseQuery, redirect, sendHtml, splitUrl } from './http-io.js';
import { answerLogger, type RequestLog } from './request-log.js';
import type { StoreDirectory, StoreSeller, StoreShop } from './route-types.js';
import type { TokenStore } from './tokens.js';
import type { IssuedTokens } from './types.js';

/** Paths served as the auth host (§2), on the same listener as the API host. */
export const AUTH_HOST_PATHS = new Set([
  '/oauth/authorize',
  '/open/authorize',
  '/api/v2/token/get',
  '/api/v2/token/refresh',
]);

export interface OAuthDeps {
  appKey: string;
  appSecret: string;
  serviceId: string;
  /** Registered redirect URIs; empty means any explicit loopback http URI is accepted. */
  redirectUris: readonly string[];
  /** Every scope the emulator knows; granted when the authorize URL names none. */
  allScopes: readonly string[];
  directory: StoreDirectory;
  tokens: TokenStore;
  authCodes: AuthCodeStore;
  log: RequestLog;
  /** Emulator clock, ms since the epoch. */
  now: () => number;
}

type TokenOutcome = ApiFailure | { data: Record<string, unknown> };

type Resolved<T> = { ok: true; value: T } | { ok: false; message: string };

export function createOAuthHandler(deps: OAuthDeps) {
  const sellersByOpenId = new Map(deps.directory.sellers.map((seller) => [seller.openId, seller]));
  const shopsById = new Map<string, StoreShop>(deps.directory.shops.map((shop) => [shop.id, shop]));

  return function handleAuthHostRequest(arrived: ArrivedRequest): void {
    const { path } = splitUrl(arrived.req.url);
    if (path === '/api/v2/token/get' || path === '/api/v2/token/refresh') {
      handleToken(arrived, path === '/api/v2/token/get' ? 'get' : 'refresh');
    } else {
      handleAuthorize(arrived);
    }
  };

  function handleToken(arrived: ArrivedRequest, kind: 'get' | 'refresh'): void {
    const requestId = createRequestId(deps.now());
    const outcome = tokenOutcome(
      arrived.req.method ?? 'GET',
      splitUrl(arrived.req.url).search,
      kind,
    );
    // §2.4: message is lowercase `success` on the auth host; `*_expire_in` are absolute seconds.
    const answered = sendEnvelope(arrived.res, requestId, outcome, 'success');
    answerLogger(
      deps.log,
      arrived,
    )({
      endpoint: `token.${kind}`,
      shopId: null,
      ...answered,
      fault: null,
    });
  }

  function tokenOutcome(
    method: string,
    search: URLSearchParams,
    kind: 'get' | 'refresh',
  ): TokenOutcome {
    if (method !== 'GET') {
      return rejected(405, CODES.methodNotAllowed, 'Method not allowed. This API accepts GET.');
    }
    const parsed = parseQuery(search);
    if (!parsed.ok) {
      return invalid(
        `Invalid request. Query parameter '${parsed.duplicateKey}' is sent more than once.`,
      );
    }
    const { query } = parsed;
    if (query.app_key !== deps.appKey || !secretMatches(query.app_secret)) {
      return invalid("Invalid credentials. Invalid 'app_key' or 'app_secret' query parameter.");
    }
    if (kind === 'get') {
      if (query.grant_type !== 'authorized_code') {
        return invalid("Invalid request. 'grant_type' must be 'authorized_code'.");
      }
      if (!query.auth_code) return invalid("Invalid request. Missing 'auth_code' query parameter.");
      const redeemed = deps.authCodes.consume(query.auth_code);
      if (!redeemed.ok) {
        return rejected(
          400,
          CODES.authCodeInvalid,
          "Invalid auth code. The 'auth_code' is unknown, expired or already used.",
        );
      }
      const seller = sellersByOpenId.get(redeemed.openId);
      if (!seller) return rejected(400, CODES.authCodeInvalid, 'Invalid auth code.');
      return tokenData(
        deps.tokens.issue({ openId: seller.openId, scopes: redeemed.scopes }),
        seller,
      );
    }
    if (query.grant_type !== 'refresh_token') {
      return invalid("Invalid request. 'grant_type' must be 'refresh_token'.");
    }
    if (!query.refresh_token) {
      return invalid("Invalid request. Missing 'refresh_token' query parameter.");
    }
    const refreshed = deps.tokens.refresh(query.refresh_token);
    if (!refreshed.ok) {
      return refreshed.reason === 'expired'
        ? rejected(
            400,
            CODES.refreshTokenExpired,
            'Refresh token has expired. Authorize the app again.',
          )
        : rejected(
            400,
            CODES.authRecordNotFound,
            'Can not find related auth record for this refresh token.',
          );
    }
    const seller = sellersByOpenId.get(refreshed.openId);
    if (!seller)
      return rejected(400, CODES.authRecordNotFound, 'Can not find related auth record.');
    return tokenData(refreshed.tokens, seller);
  }

  function secretMatches(received: string | undefined): boolean {
    if (received === undefined) return false;
    const want = Buffer.from(deps.appSecret, 'utf8');
    const got = Buffer.from(received, 'utf8');
    return want.length === got.length && timingSafeEqual(want, got);
  }

  function handleAuthorize(arrived: ArrivedRequest): void {
    const { req, res, body } = arrived;
    const { search } = splitUrl(req.url);
    const method = req.method ?? 'GET';
    const isPage = method === 'GET';
    const endpoint = isPage ? 'oauth.authorize' : 'oauth.authorize.submit';
    let status: number;
    if (method !== 'GET' && method !== 'POST') {
      status = 405;
      sendHtml(res, status, renderErrorPage('Use GET for the page and POST for its form.'));
    } else {
      const outcome = isPage
        ? authorizePage(search)
        : formDecision(req.headers['content-type'], body);
      if (!outcome.ok) {
        status = 400;
        sendHtml(res, status, renderErrorPage(outcome.message));
      } else if (isPage) {
        status = 200;
        sendHtml(res, status, outcome.value);
      } else {
        status = 302;
        redirect(res, outcome.value);
      }
    }
    answerLogger(deps.log, arrived)({ endpoint, shopId: null, status, code: null, fault: null });
  }

  function formDecision(contentType: string | undefined, body: Buffer): Resolved<string> {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
      return {
        ok: false,
        message: 'The form must be posted as application/x-www-form-urlencoded.',
      };
    }
    return decision(new URLSearchParams(body.toString('utf8')));
  }

  /** Checks the authorize URL's parameters and renders the page. */
  function authorizePage(search: URLSearchParams): Resolved<string> {
    const parsed = parseQuery(search);
    if (!parsed.ok)
      return { ok: false, message: `Parameter '${parsed.duplicateKey}' is sent more than once.` };
    const fields = parsed.query;
    const common = checkCommonFields(fields);
    if (!common.ok) return common;
    const hiddenFields: Record<string, string> = {};
    for (const key of ['app_key', 'service_id', 'state', 'scope'] as const) {
      const value = fields[key];
      if (value !== undefined) hiddenFields[key] = value;
    }
    hiddenFields.redirect_uri = common.value.redirectUri;
    return {
      ok: true,
      value: renderAuthorizePage({
        appName: `App ${deps.appKey}`,
        sellers: deps.directory.sellers,
        shopsById,
        hiddenFields,
        scopes: common.value.scopes,
        action: '/oauth/authorize',
      }),
    };
  }

  /** Turns the posted form into the redirect Location (§2.1). */
  function decision(form: URLSearchParams): Resolved<string> {
    const fields: Record<string, string> = {};
    for (const [key, value] of form) fields[key] = value;
    const common = checkCommonFields(fields);
    if (!common.ok) return common;
    const target = new URL(common.value.redirectUri);
    const choice = fields.decision;
    if (choice === 'deny') {
      target.searchParams.set('code', 'null');
      target.searchParams.set('error', 'auth_denied');
    } else if (choice === 'authorize') {
      const seller: StoreSeller | undefined = sellersByOpenId.get(fields.open_id ?? '');
      if (!seller) return { ok: false, message: 'Choose one of the listed seller accounts.' };
      const code = deps.authCodes.issue({ openId: seller.openId, scopes: common.value.scopes });
      target.searchParams.set('code', code);
    } else {
      return { ok: false, message: "The form's decision must be authorize or deny." };
    }
    // State is echoed only when the authorize URL carried one (App Store installs carry none).
    if (fields.state !== undefined) target.searchParams.set('state', fields.state);
    return { ok: true, value: target.toString() };
  }

  function checkCommonFields(
    fields: Record<string, string>,
  ): Resolved<{ redirectUri: string; scopes: string[] }> {
    const hasAppKey = fields.app_key !== undefined;
    const hasServiceId = fields.service_id !== undefined;
    if (hasAppKey === hasServiceId) {
      return { ok: false, message: 'Give exactly one of app_key or service_id.' };
    }
    if (hasAppKey && fields.app_key !== deps.appKey) {
      return { ok: false, message: 'Unknown app_key: no app is registered with it.' };
    }
    if (hasServiceId && fields.service_id !== deps.serviceId) {
      return { ok: false, message: 'Unknown service_id: no app is registered with it.' };
    }
    const redirectUri = resolveRedirectUri(fields.redirect_uri);
    if (!redirectUri.ok) return redirectUri;
    const scopes = resolveScopes(fields.scope);
    if (!scopes.ok) return scopes;
    return { ok: true, value: { redirectUri: redirectUri.value, scopes: scopes.value } };
  }

  function resolveRedirectUri(given: string | undefined): Resolved<string> {
    if (deps.redirectUris.length > 0) {
      if (given === undefined) return { ok: true, value: deps.redirectUris[0] as string };
      if (deps.redirectUris.includes(given)) return { ok: true, value: given };
      return {
        ok: false,
        message: 'redirect_uri does not match any redirect URI registered for the app.',
      };
    }
    if (given === undefined) {
      return {
        ok: false,
        message: 'No redirect URI is registered for the app; pass a loopback http redirect_uri.',
      };
    }
    if (!isLoopbackHttpUrl(given)) {
      return {
        ok: false,
        message: 'With no registered redirect URIs, redirect_uri must be a loopback http URL.',
      };
    }
    return { ok: true, value: given };
  }

  function resolveScopes(given: string | undefined): Resolved<string[]> {
    if (given === undefined) return { ok: true, value: [...deps.allScopes] };
    const scopes = [...new Set(given.split(',').map((scope) => scope.trim()))];
    if (scopes.length === 0 || scopes.some((scope) => scope === '')) {
      return { ok: false, message: 'scope must be a comma-separated list of scope names.' };
    }
    const unknown = scopes.find((scope) => !deps.allScopes.includes(scope));
    if (unknown !== undefined) return { ok: false, message: `Unknown scope '${unknown}'.` };
    return { ok: true, value: scopes };
  }
}

function invalid(message: string): TokenOutcome {
  return rejected(400, CODES.invalidParameter, message);
}

function rejected(httpStatus: number, code: number, message: string): TokenOutcome {
  return failure(httpStatus, code, message);
}

function tokenData(tokens: IssuedTokens, seller: StoreSeller): TokenOutcome {
  return {
    data: {
      access_token: tokens.accessToken,
      access_token_expire_in: tokens.accessTokenExpiresAt,
      refresh_token: tokens.refreshToken,
      refresh_token_expire_in: tokens.refreshTokenExpiresAt,
      open_id: seller.openId,
      seller_name: seller.name,
      seller_base_region: seller.baseRegion,
      user_type: 0,
      granted_scopes: tokens.grantedScopes,
    },
  };
}

/** An absolute http URL on 127.0.0.1, ::1 or localhost, with no fragment or credentials. */
export function isLoopbackHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) &&
    url.hash === '' &&
    url.username === '' &&
    url.password === ''
  );
}
