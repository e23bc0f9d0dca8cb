// Every error a client can see carries `extensions.code` (issue 10), in one place. Yoga's own
// request errors mostly have one (BAD_REQUEST, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
// OPERATION_RESOLUTION_FAILURE); here the rest get theirs:
// - variable coercion errors, which graphql-js reports without a code or path: BAD_USER_INPUT;
// - an error at a path without a code (graphql-js's null for a non-null field): a gateway fault,
//   INTERNAL_SERVER_ERROR, logged at error;
// - Yoga's body limit (REQUEST_ENTITY_TOO_LARGE): BAD_USER_INPUT with `limit: maxBodyBytes`, like
//   the other limits;
// - Yoga's 415 (unsupported media type) gets a body;
// - an Accept header no result processor serves gets JSON, as GraphQL over HTTP allows: Yoga
//   negotiates only after executing, so its 406 reported a mutation that had in fact run.
// A request refused before execution (BAD_REQUEST, a limit) answers its HTTP status whatever the
// Accept header: GraphQL over HTTP would let `application/json` clients see 200 for some of them.
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin, processRegularResult } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { errorResponse } from './error-response.js';

const UNSUPPORTED_MEDIA_TYPE =
  'Unsupported Content-Type: send application/json (or application/graphql, ' +
  'application/x-www-form-urlencoded, multipart/form-data).';

export interface ErrorCodesOptions {
  /** GRAPHQL_MAX_BODY_BYTES, named in the 413 message. */
  maxBodyBytes: number;
  logger: Pick<Logger, 'error'>;
}

export function useErrorCodes(options: ErrorCodesOptions): Plugin {
  const coded = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map(withCode) } : result;

  function withCode(error: GraphQLError): GraphQLError {
    const { extensions } = error;
    if (extensions.code === 'REQUEST_ENTITY_TOO_LARGE') {
      return createGraphQLError(`Request body is larger than ${options.maxBodyBytes} bytes.`, {
        extensions: { code: 'BAD_USER_INPUT', limit: 'maxBodyBytes', http: { status: 413 } },
      });
    }
    if (extensions.code === undefined) {
      if (error.path) {
        options.logger.error({ path: error.path.join('.') }, error.message);
      }
      return copy(error, {
        ...extensions,
        code: error.path ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT',
      });
    }
    const http = extensions.http as Record<string, unknown> | undefined;
    if (http?.spec && (extensions.code === 'BAD_REQUEST' || extensions.limit !== undefined)) {
      return copy(error, { ...extensions, http: { ...http, spec: false } });
    }
    return error;
  }

  return {
    onResultProcess({ result, setResult, resultProcessor, setResultProcessor }) {
      if (Array.isArray(result)) setResult(result.map(coded));
      else if (!(Symbol.asyncIterator in result)) setResult(coded(result as ExecutionResult));
      if (!resultProcessor) setResultProcessor(processRegularResult, 'application/json');
    },
    onResponse({ response, setResponse }) {
      if (response.status === 415 && response.body === null) {
        setResponse(errorResponse(415, UNSUPPORTED_MEDIA_TYPE, 'BAD_REQUEST'));
      }
    },
  };
}

function copy(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions,
  });
}
