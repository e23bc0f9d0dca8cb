// Ids the scenarios read, discovered through the target itself so every figure is about real data.
import { ORDER_PRODUCT_IDS, PRODUCT_IDS } from '../operations.js';
import type { Target } from '../stack.js';
import { mustQuery } from './common.js';

interface ProductIdsPage {
  products: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string } }>;
  };
}

/** The first `count` active products (newest first) that are not in `exclude`. */
export async function activeProductIds(
  target: Target,
  count: number,
  exclude: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  while (ids.length < count) {
    const { data }: { data: ProductIdsPage } = await mustQuery<ProductIdsPage>(
      target,
      PRODUCT_IDS,
      { first: 100, after },
    );
    for (const edge of data.products.edges) {
      if (!exclude.has(edge.node.id) && ids.length < count) ids.push(edge.node.id);
    }
    if (!data.products.pageInfo.hasNextPage) break;
    after = data.products.pageInfo.endCursor;
  }
  if (ids.length < count) throw new Error(`only ${ids.length} of ${count} active products found`);
  return ids;
}

/** Line items and distinct products of the first page of `first` orders (Order Search only). */
export async function orderPageProducts(
  target: Target,
  first: number,
): Promise<{ orders: number; lineItems: number; productIds: string[] }> {
  const { data } = await mustQuery<{
    orders: { edges: Array<{ node: { lineItems: Array<{ productId: string }> } }> };
  }>(target, ORDER_PRODUCT_IDS, { first });
  const lineItems = data.orders.edges.flatMap((edge) => edge.node.lineItems);
  return {
    orders: data.orders.edges.length,
    lineItems: lineItems.length,
    productIds: [...new Set(lineItems.map((item) => item.productId))],
  };
}
