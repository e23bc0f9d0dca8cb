// The planned critical path (issue 14): when a field resolves objects whose ids are known, walk
// its selection set and start, at once, every batched load the child resolvers will make —
// product details, Inventory Search by product id, the warehouse list — instead of letting each
// level wait for the one above (order search → products → inventory → warehouses). In the spirit
// of Grafast's plans: a small table says, per type and field, what the field loads and what is
// known of its children before anything loads. Loads go through the request's DataLoaders, so the
// resolvers find them already running, batches are the ones the resolvers would have sent, and
// only what the selection asks for is loaded: upstream call counts do not rise.
import {
  type FieldNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext, ShopScope } from '../context.js';

/**
 * What the plan knows of an object before its own fields resolve: its shop and, where it names
 * one, the product it belongs to (or, for an order, the products of its line items).
 */
export interface Known {
  scope: ShopScope;
  productId?: string;
  lineItems?: ReadonlyArray<{ productId: string }>;
}

interface FieldPlan {
  /** Starts the load the field's resolver will make for this parent (errors are the resolver's). */
  load?: (parent: Known) => Promise<unknown>;
  /** What is known of the field's objects from the parent alone; without it the walk stops. */
  children?: (parent: Known) => Known[];
}

/** The parent's product: what product fields load and what their children know. */
const product: FieldPlan = {
  load: ({ scope, productId }) =>
    productId ? scope.loaders.productById.load(productId) : Promise.resolve(null),
  children: (parent) => [parent],
};
const sameProduct = (parent: Known): Known[] => [parent];
const productDetail: FieldPlan = { load: product.load };

/**
 * Per GraphQL type, the fields whose resolvers load something or lead to fields that do. A field
 * not listed loads nothing the plan knows of, so nothing below it is prefetched.
 */
const PLANS: Record<string, Record<string, FieldPlan>> = {
  Order: {
    lineItems: {
      children: ({ scope, lineItems = [] }) =>
        lineItems.map(({ productId }) => ({ scope, productId })),
    },
  },
  LineItem: { product, sku: product },
  ProductPerformance: { product },
  SkuPerformance: { sku: product },
  VideoProduct: { product },
  ProductInventory: { product, skus: { children: sameProduct } },
  Product: {
    // The SKUs are unknown until the detail arrives, but their stock is searched by product id.
    skus: { children: sameProduct },
    description: productDetail,
    images: productDetail,
    categoryPath: productDetail,
    brand: productDetail,
  },
  Sku: {
    inventory: {
      load: ({ scope, productId }) =>
        productId ? scope.loaders.inventoryByProductId.load(productId) : Promise.resolve(null),
      children: ({ scope }) => [{ scope }],
    },
  },
  SkuInventory: { warehouses: { children: ({ scope }) => [{ scope }] } },
  WarehouseInventory: { warehouse: { load: ({ scope }) => scope.loaders.warehouses() } },
};

const ignore = () => {};

/** The child selections of each field of `typeName` the operation selects, fragments expanded. */
function collectFields(
  info: GraphQLResolveInfo,
  typeName: string,
  selectionSets: readonly SelectionSetNode[],
): Map<string, SelectionSetNode[]> {
  const fields = new Map<string, SelectionSetNode[]>();
  const isIncluded = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const visit = (selectionSet: SelectionSetNode, spread: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const nested = fields.get(selection.name.value) ?? [];
        if (selection.selectionSet) nested.push(selection.selectionSet);
        fields.set(selection.name.value, nested);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        if (condition === undefined || condition === typeName) {
          visit(selection.selectionSet, spread);
        }
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || spread.has(name) || fragment.typeCondition.name.value !== typeName) {
          continue;
        }
        visit(fragment.selectionSet, new Set(spread).add(name));
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet, new Set());
  return fields;
}

/**
 * Whether scope-auth will let the caller resolve the field: only plain scope maps are read (any
 * listed scope suffices); a field with a scope function is not prefetched.
 */
function isAllowed(ctx: GatewayContext, field: GraphQLField<unknown, unknown>): boolean {
  const options = field.extensions.pothosOptions as { authScopes?: unknown } | undefined;
  const scopes = options?.authScopes;
  if (scopes === undefined) return true;
  if (typeof scopes !== 'object' || scopes === null) return false;
  const held: ReadonlySet<string> | undefined = ctx.caller?.scopes;
  if (!held) return false;
  return Object.entries(scopes).some(
    ([scope, wanted]) =>
      wanted === true && (scope === 'anyScope' ? held.size > 0 : held.has(scope)),
  );
}

/** Children, one per (shop, product): the loads they start would be the same. */
function distinct(parents: Known[]): Known[] {
  const seen = new Map<ShopScope, Set<string | undefined>>();
  return parents.filter(({ scope, productId }) => {
    const products = seen.get(scope) ?? new Set();
    seen.set(scope, products);
    if (products.has(productId)) return false;
    products.add(productId);
    return true;
  });
}

function walk(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  typeName: string,
  selectionSets: readonly SelectionSetNode[],
  parents: Known[],
): void {
  const plan = PLANS[typeName];
  const type = info.schema.getType(typeName);
  if (!plan || !isObjectType(type) || parents.length === 0) return;
  const typeFields = type.getFields();
  for (const [name, nested] of collectFields(info, typeName, selectionSets)) {
    const fieldPlan = plan[name];
    const field = typeFields[name];
    if (!fieldPlan || !field || !isAllowed(ctx, field)) continue;
    // Deeper loads first: they are few batched calls (one Inventory Search, one warehouse list)
    // every SKU waits for, so they go out ahead of the many product details.
    if (fieldPlan.children && nested.length > 0) {
      const children = distinct(parents.flatMap(fieldPlan.children));
      walk(ctx, info, getNamedType(field.type).name, nested, children);
    }
    if (fieldPlan.load) for (const parent of parents) fieldPlan.load(parent).catch(ignore);
  }
}

/**
 * Starts what the selection below this field needs for `nodes`, the objects found at `path`
 * inside the field's value (e.g. `['edges', 'node']` for a connection's nodes). Call it as soon
 * as the nodes are known, before returning them.
 */
export function prefetchBelow(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  path: readonly string[],
  nodes: Known[],
): void {
  if (!ctx.config.prefetchEnabled || !ctx.config.batchingEnabled || nodes.length === 0) return;
  let type = getNamedType(info.returnType);
  let selectionSets = info.fieldNodes.flatMap((node: FieldNode) =>
    node.selectionSet ? [node.selectionSet] : [],
  );
  for (const step of path) {
    if (!isObjectType(type)) return;
    const field = type.getFields()[step];
    const nested = collectFields(info, type.name, selectionSets).get(step);
    if (!field || !nested) return;
    type = getNamedType(field.type);
    selectionSets = nested;
  }
  walk(ctx, info, type.name, selectionSets, nodes);
}
