// The planner's "before" (issue 14): an upper bound of the upstream calls a document needs, from
// its selection set, arguments (variables and defaults applied) and the batch limits in rules.ts,
// assuming nothing is cached. Fragments and inline fragments count where they are spread; aliases
// count each time they are asked; @skip/@include are ignored (the bound assumes every field runs).
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { type CallRule, FIELD_RULES, type FieldArgs, pageSizeOf } from './rules.js';

export interface UpstreamEstimate {
  /** Calls in all. */
  calls: number;
  /** Calls per endpoint name (endpoints.ts). */
  byEndpoint: Record<string, number>;
}

interface Walk {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  perParent: Map<string, number>;
  /** Ids per batched endpoint (`endpoint|batchSize`). */
  batched: Map<string, number>;
  /** Most calls of each once-per-request endpoint. */
  perRequest: Map<string, number>;
}

/** How many objects of each enclosing type sit above a field, and what they already hold. */
interface Level {
  /** Objects of the parent type. */
  count: number;
  /** Objects of the nearest ancestor of each type (the ids a batched call collects). */
  ancestors: ReadonlyMap<string, number>;
  /** `first` of the connection above (its edges and nodes yield it). */
  pageSize: number;
  /** The parent objects hold the product detail. */
  hasDetail: boolean;
}

const add = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

const countFor = (value: number | ((args: FieldArgs) => number) | undefined, args: FieldArgs) =>
  typeof value === 'function' ? value(args) : (value ?? 1);

function charge(walk: Walk, rule: CallRule, level: Level, args: FieldArgs): void {
  if (rule.per === 'parent') {
    add(walk.perParent, rule.endpoint, level.count * countFor(rule.count, args));
  } else if (rule.per === 'batch') {
    const ids = rule.idsOf ? (level.ancestors.get(rule.idsOf) ?? level.count) : level.count;
    add(walk.batched, `${rule.endpoint}|${rule.batchSize}`, ids);
  } else if (level.count > 0) {
    const most = walk.perRequest.get(rule.endpoint) ?? 0;
    walk.perRequest.set(rule.endpoint, Math.max(most, rule.count ?? 1));
  }
}

function walkSelections(
  walk: Walk,
  parentType: GraphQLNamedType,
  selections: SelectionSetNode,
  level: Level,
): void {
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      walkField(walk, parentType, selection, level);
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection
          : walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const condition = fragment.typeCondition
        ? walk.schema.getType(fragment.typeCondition.name.value)
        : parentType;
      walkSelections(walk, condition ?? parentType, fragment.selectionSet, level);
    }
  }
}

function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || (isAbstractType(type) && 'getFields' in type)
    ? (type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name]
    : undefined;
}

function walkField(walk: Walk, parentType: GraphQLNamedType, node: FieldNode, level: Level): void {
  const field = fieldOf(parentType, node.name.value);
  if (!field) return; // __typename, or a field validation already refused
  const args = getArgumentValues(field, node, walk.variables);
  const rule = FIELD_RULES[`${parentType.name}.${field.name}`];
  const isCharged = !(rule?.needsDetail && level.hasDetail);
  for (const call of isCharged ? (rule?.calls ?? []) : []) charge(walk, call, level, args);
  if (!node.selectionSet) return;
  const isConnectionList =
    parentType.name.endsWith('Connection') && (field.name === 'edges' || field.name === 'nodes');
  const yields = rule?.yields;
  const perParent = isConnectionList
    ? level.pageSize
    : yields === 'first'
      ? 1
      : countFor(yields, args);
  const childType = getNamedType(field.type);
  const count = level.count * perParent;
  const ancestors = new Map(level.ancestors);
  if (isObjectType(childType)) ancestors.set(childType.name, count);
  walkSelections(walk, childType, node.selectionSet, {
    count,
    ancestors,
    pageSize: yields === 'first' ? pageSizeOf(args) : level.pageSize,
    hasDetail: rule?.providesDetail === true,
  });
}

/**
 * The calls `document` needs at most, with `variables`. Throws a GraphQLError when the variables
 * do not coerce (execution would refuse them the same way, before any call).
 */
export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): UpstreamEstimate {
  const operation: OperationDefinitionNode | null | undefined = getOperationAST(
    document,
    operationName ?? undefined,
  );
  const empty = { calls: 0, byEndpoint: {} };
  if (!operation) return empty;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return empty;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) throw coerced.errors[0] ?? new GraphQLError('Invalid variables');
  const walk: Walk = {
    schema,
    variables: coerced.coerced,
    fragments: new Map(
      document.definitions
        .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((definition) => [definition.name.value, definition]),
    ),
    perParent: new Map(),
    batched: new Map(),
    perRequest: new Map(),
  };
  walkSelections(walk, rootType, operation.selectionSet, {
    count: 1,
    ancestors: new Map(),
    pageSize: 0,
    hasDetail: false,
  });
  const byEndpoint = new Map(walk.perParent);
  for (const [key, ids] of walk.batched) {
    const [endpoint = key, size] = key.split('|');
    add(byEndpoint, endpoint, Math.ceil(ids / Number(size)));
  }
  for (const [endpoint, calls] of walk.perRequest) add(byEndpoint, endpoint, calls);
  const entries = [...byEndpoint].filter(([, calls]) => calls > 0);
  return {
    calls: entries.reduce((sum, [, calls]) => sum + calls, 0),
    byEndpoint: Object.fromEntries(entries),
  };
}
