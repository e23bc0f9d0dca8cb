// createAuthHostClient: token get and refresh on the auth host (§2.2–2.3), the entries of
// endpoints.ts whose host is 'auth'. Unsigned GETs with the app credentials in the query: the
// token manager and the code exchange call it directly, and it needs no seller token.
import type { TikTokCredentials } from '../../config.js';
import { ENDPOINTS, type Endpoint, toWireRequest } from './endpoints.js';
import { createUnknownValueLog } from './enums.js';
import { createTikTokHttp, type TikTokHttpOptions } from './http.js';
import type { AuthHostClient } from './types.js';

export interface AuthHostClientDeps extends TikTokHttpOptions {
  credentials: TikTokCredentials;
  /** Auth host base URL (Config.authBase). */
  authBase: string;
}

export function createAuthHostClient(deps: AuthHostClientDeps): AuthHostClient {
  const { credentials } = deps;
  const http = createTikTokHttp(deps.authBase, deps);
  const reportUnknownValue = createUnknownValueLog(deps.logger);

  /** The auth host's call path. No rate limit and no signature (§2.2). */
  const send = <Args extends unknown[], Output>(
    entry: Endpoint<Args, Output, false, 'auth'>,
    ...args: Args
  ): Promise<Output> => {
    const wire = toWireRequest(entry, args);
    // The URL holds the app secret, so it is never logged and never part of an error; only the
    // operation and the path are.
    const secrets = [credentials.appSecret, ...(entry.secretsOf?.(...args) ?? [])];
    return http
      .send({
        operation: entry.operation,
        method: entry.method,
        path: wire.path,
        bodyText: wire.bodyText,
        idempotent: entry.isIdempotent,
        prepare: async () => ({
          query: { ...wire.query, app_key: credentials.appKey, app_secret: credentials.appSecret },
          headers: {},
          secrets,
        }),
      })
      .then((data) => entry.fromWire(data, reportUnknownValue));
  };

  return {
    getAccessToken: (authCode) => send(ENDPOINTS.tokenGet, authCode),
    refreshAccessToken: (refreshToken) => send(ENDPOINTS.tokenRefresh, refreshToken),
    close: () => http.close(),
  };
}
