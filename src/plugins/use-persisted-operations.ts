// Persisted operations (issue 12), with Yoga's plugin over the manifest (persisted-manifest.ts).
// A request names an operation by `documentId` ("sha256:<hex>", the client preset's hash; GraphQL
// over HTTP's persisted documents) in the body or the query string, or by Apollo's
// `extensions.persistedQuery.sha256Hash` (the bare hex, `version: 1`). PERSISTED_OPERATIONS:
// - allow: an id from the manifest, or a plain document as before;
// - require: only ids from the manifest; any document sent as text is refused, for production
//   frontends whose operations are known in advance.
// Every refusal is HTTP 400 with `extensions.code`, before anything is parsed or run.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import type { PersistedManifest } from './persisted-manifest.js';

/** The request body parameter beside query, variables, operationName and extensions. */
export const DOCUMENT_ID_PARAM = 'documentId';

export interface PersistedOperationsOptions {
  mode: 'allow' | 'require';
  manifest: PersistedManifest;
}

export function usePersistedOperationsManifest(options: PersistedOperationsOptions): Plugin {
  const refusal = (message: string, code: string) => ({
    message,
    extensions: { code, http: { status: 400 } },
  });
  return usePersistedOperations({
    allowArbitraryOperations: options.mode === 'allow',
    extractPersistedOperationId: operationIdOf,
    getPersistedOperation: (id) => options.manifest.get(id) ?? null,
    customErrors: {
      notFound: ({ params, request }) =>
        createGraphQLError(
          `Persisted operation ${operationIdOf(params, request)} is not in the manifest.`,
          { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
        ),
      persistedQueryOnly: refusal(
        'Only persisted operations are accepted here (PERSISTED_OPERATIONS=require): send ' +
          `\`${DOCUMENT_ID_PARAM}\` (or extensions.persistedQuery.sha256Hash) instead of the query.`,
        'PERSISTED_QUERY_REQUIRED',
      ),
      keyNotFound: refusal(
        `Send a query, or a persisted operation id in \`${DOCUMENT_ID_PARAM}\` or ` +
          'extensions.persistedQuery.sha256Hash.',
        'BAD_REQUEST',
      ),
    },
  });
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** `sha256:<lowercase hex>` from whichever form the request uses; null when it names none. */
function operationIdOf(params: GraphQLParams, request: Request): string | null {
  const fromBody = (params as GraphQLParams & { [DOCUMENT_ID_PARAM]?: unknown })[DOCUMENT_ID_PARAM];
  const documentId =
    typeof fromBody === 'string'
      ? fromBody
      : new URL(request.url).searchParams.get(DOCUMENT_ID_PARAM);
  if (documentId) {
    const hex = documentId.replace(/^sha256:/i, '');
    return SHA256_HEX.test(hex) ? `sha256:${hex.toLowerCase()}` : documentId;
  }
  const apollo = params.extensions?.persistedQuery as
    | { version?: unknown; sha256Hash?: unknown }
    | undefined;
  if (apollo?.version === 1 && typeof apollo.sha256Hash === 'string') {
    return `sha256:${apollo.sha256Hash.toLowerCase()}`;
  }
  return null;
}
