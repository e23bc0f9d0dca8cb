// One front door (issue 10): Yoga treats any URL that merely ends with its endpoint as GraphQL
// (`/x/graphql`, `//graphql`, `/graphql/`, `/healthz?a=/graphql`), and those requests walked past
// the credential check and the body limit. Here the URL's pathname must equal the GraphQL path
// exactly; a few other exact paths answer GET, and everything else is 404 before any body is read.
import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './error-response.js';

export interface GraphQLPathOptions {
  /** The one pathname GraphQL is served at, e.g. `/graphql` (compared exactly). */
  graphqlPath: string;
  /** Other pathnames answered on GET, e.g. the health check and the OAuth callback. */
  routes: Record<string, (request: Request) => Response | Promise<Response>>;
}

export function useGraphQLPath(options: GraphQLPathOptions): Plugin {
  const routes = new Map(Object.entries(options.routes));
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === options.graphqlPath) return;
      const route = request.method === 'GET' ? routes.get(url.pathname) : undefined;
      endResponse(
        route
          ? await route(request)
          : errorResponse(
              404,
              `Not found: GraphQL is served at ${options.graphqlPath}`,
              'NOT_FOUND',
            ),
      );
    },
  };
}
