// The Pothos builder: plugins, scalars, connection conventions and who may read what (scope-auth).
// Types live in the domain files.
import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth';
import {
  CurrencyResolver,
  DateResolver,
  DateTimeResolver,
  JSONResolver,
  NonNegativeIntResolver,
  URLResolver,
} from 'graphql-scalars';
import {
  ForbiddenError,
  type GatewayScope,
  scopeGrants,
  UnauthenticatedError,
} from '../auth/index.js';
import type { GatewayContext } from '../context.js';

export interface SchemaTypes {
  Context: GatewayContext;
  /**
   * The gateway scopes of the caller (API key or JWT, docs/auth.md), plus `anyScope`: the caller
   * holds at least one of them.
   */
  AuthScopes: Record<GatewayScope, boolean> & { anyScope: boolean };
  Scalars: {
    /** Analytics dates in the shop's timezone; inputs arrive as UTC-midnight Dates. */
    Date: { Input: Date; Output: Date | string };
    DateTime: { Input: Date; Output: Date };
    URL: { Input: URL; Output: string };
    NonNegativeInt: { Input: number; Output: number };
    Currency: { Input: string; Output: string };
    /** TikTok's event `data` as sent (subscriptions); never taken as input. */
    JSON: { Input: unknown; Output: unknown };
  };
  /** Fields are non-null unless marked `nullable: true`. */
  DefaultFieldNullability: false;
  /** Every connection resolver returns TikTok's total alongside the page. */
  Connection: { totalCount: number };
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}

/** The builder's resolved type map, for helpers that take field or argument builders. */
export type BuilderTypes = PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>;

/** The scopes a failed check asked for, in the order they were listed. */
function missingScopes(failure: AuthFailure): string[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return [failure.scope];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(missingScopes);
    default:
      return [];
  }
}

export const builder = new SchemaBuilder<SchemaTypes>({
  // Scope-auth first, so no other plugin's wrapper runs before the check.
  plugins: [ScopeAuthPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // A subscription field's scopes are checked once, before its stream starts, not per event.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      ...scopeGrants(context.caller),
      anyScope: (context.caller?.scopes.size ?? 0) > 0,
    }),
    // A denied field is null with one error naming the scope it needs (docs/auth.md).
    unauthorizedError: (_parent, context, _info, result) => {
      if (!context.caller) return new UnauthenticatedError();
      const [scope = 'anyScope'] = missingScopes(result.failure);
      return new ForbiddenError(
        scope === 'anyScope' ? 'any gateway scope' : scope,
        context.caller.name,
      );
    },
  },
  relay: {
    // TikTok ids stay as they are (decimal strings): no Node interface, no global ids, no
    // node/nodes root fields. The plugin is used for connections only.
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    pageInfoTypeOptions: {
      description: 'Where a page sits in its list. Lists page forward only (`first` + `after`).',
    },
    hasNextPageFieldOptions: {
      description: 'Whether more items follow; pass `endCursor` as `after` to fetch them.',
    },
    hasPreviousPageFieldOptions: {
      description: 'Always false: lists page forward only.',
    },
    startCursorFieldOptions: {
      description: 'Cursor of the first item on this page; null when the page is empty.',
    },
    endCursorFieldOptions: {
      description: 'Cursor of the last item on this page; null when the page is empty.',
    },
    pageInfoFieldOptions: { description: 'Where this page sits in the list.' },
    edgesFieldOptions: {
      nullable: { list: false, items: false },
      description: 'The items on this page, in order.',
    },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    cursorFieldOptions: {
      description: 'Opaque position of this item; pass it as `after` to continue after it.',
    },
  },
});

builder.addScalarType('Date', DateResolver);
builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('URL', URLResolver);
builder.addScalarType('NonNegativeInt', NonNegativeIntResolver);
builder.addScalarType('Currency', CurrencyResolver);
builder.addScalarType('JSON', JSONResolver);
