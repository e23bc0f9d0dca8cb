// Query limits (graphql-armor): depth, size in tokens, aliases, directives and a cost estimate,
// checked while parsing and validating, before anything resolves; bracket nesting is checked on the
// text before parsing (src/plugins/use-nesting-limit.ts). Defaults fit every operation in
// operations/ with room to spare; each can be changed by an environment variable (src/settings.ts).
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface QueryLimits {
  /** Deepest field nesting (GRAPHQL_MAX_DEPTH). Default 10 (the deepest example is 8). */
  maxDepth: number;
  /**
   * Lexical tokens in the query text, variables excluded (GRAPHQL_MAX_TOKENS). Default 5 000
   * (the largest example has 112; GraphiQL's introspection query about 180).
   */
  maxTokens: number;
  /** Aliased fields per operation (GRAPHQL_MAX_ALIASES). Default 15. */
  maxAliases: number;
  /** Directives per operation (GRAPHQL_MAX_DIRECTIVES). Default 20. */
  maxDirectives: number;
  /**
   * graphql-armor's cost estimate (GRAPHQL_MAX_COST): 2 per object field and 1 per scalar field,
   * children weighted by 1.5 per level, and a field's subtree multiplied by a literal `first`
   * (a `first` passed as a variable counts as 1). Default 50 000: every example operation fits
   * even with `first: 100` written literally (the costliest, `Orders`, then scores about 27 600).
   */
  maxCost: number;
  /**
   * Request body size, bytes (GRAPHQL_MAX_BODY_BYTES): counted as they are read, chunked or not;
   * a larger body gets 413 and is read no further. Default 1 000 000.
   */
  maxBodyBytes: number;
}

/** The limits unless GRAPHQL_MAX_* say otherwise (the settings' defaults). */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxTokens: 5_000,
  maxAliases: 15,
  maxDirectives: 20,
  maxCost: 50_000,
  maxBodyBytes: 1_000_000,
};

/**
 * How deep `{`, `(` and `[` may nest in the query text: twice the depth limit (a field level is one
 * `{`; the rest leaves room for inline input objects and lists), and at least 32, so the
 * introspection query, which the depth limit ignores and which nests 10 deep, always fits.
 */
export function nestingLimitOf(limits: Pick<QueryLimits, 'maxDepth'>): number {
  return Math.max(32, 2 * limits.maxDepth);
}

/** A query refused by a limit: HTTP 400, BAD_USER_INPUT, `extensions.limit` naming it. */
export function limitRefusal(message: string, limit: keyof QueryLimits): GraphQLError {
  return createGraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', limit, http: { status: 400 } },
  });
}

/**
 * The graphql-armor envelop plugin. A refused query gets HTTP 400 with one error, code
 * BAD_USER_INPUT and `extensions.limit` naming the limit, whose message gives its value (e.g.
 * "Query depth limit of 10 exceeded, found 11."). Nothing is executed. Field suggestions ("Did
 * you mean …") are removed so the schema cannot be mapped by guessing; introspection stays
 * available. The token counter runs inside the (recursive) parser, so it cannot stop deep nesting
 * of few tokens: that is the nesting limit's job, before parsing.
 */
export function queryLimitPlugin(limits: QueryLimits): Plugin {
  const rejectedAs = (limit: keyof QueryLimits) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refusal = limitRefusal(error.message.replace(/^Syntax Error: /, ''), limit);
        // Validation rules report; the token counter runs while parsing, where throwing is how
        // a parse error is raised.
        if (context) context.reportError(refusal);
        else throw refusal;
      },
    ],
  });
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...rejectedAs('maxDepth') },
    maxTokens: { n: limits.maxTokens, ...rejectedAs('maxTokens') },
    maxAliases: { n: limits.maxAliases, ...rejectedAs('maxAliases') },
    maxDirectives: { n: limits.maxDirectives, ...rejectedAs('maxDirectives') },
    costLimit: { maxCost: limits.maxCost, ...rejectedAs('maxCost') },
    blockFieldSuggestion: { enabled: true },
  }) as Plugin;
}
