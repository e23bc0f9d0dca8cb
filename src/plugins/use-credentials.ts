// Who may call (issue #4): every request that reaches GraphQL needs an API key or JWT, whatever
// its method or query string (use-graphql-path has already answered every other path), else HTTP
// 401 UNAUTHENTICATED before its body is read or anything is parsed. The caller is kept per
// request for the context; scope-auth checks the scopes per field. Yoga's GraphiQL page and CORS
// preflights are answered before this runs, and execute nothing.
import type { Plugin } from 'graphql-yoga';
import type { Caller, CallerResolver } from '../auth/caller.js';
import { UnauthenticatedError } from '../auth/errors.js';
import { errorResponse } from './error-response.js';

export interface CredentialsOptions {
  resolveCaller: CallerResolver;
  /** Where the caller of each request is kept for the context. */
  callers: WeakMap<Request, Caller>;
}

export function useCredentials(options: CredentialsOptions): Plugin {
  return {
    async onRequest({ request, endResponse }) {
      let caller: Caller | null;
      try {
        caller = await options.resolveCaller(request);
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        endResponse(unauthorized(error.message));
        return;
      }
      if (!caller) {
        endResponse(unauthorized(new UnauthenticatedError().message));
        return;
      }
      options.callers.set(request, caller);
    },
  };
}

function unauthorized(message: string): Response {
  return errorResponse(401, message, 'UNAUTHENTICATED', {
    'www-authenticate': 'Bearer realm="tiktok-shop-gateway"',
  });
}
