// The GraphQL documents the scenarios send. HOT_READ and ORDERS_PAGE are also what the Apollo peer
// implements, field for field, so both servers answer the same bytes of work.

/** Scenario 1: catalogue fields of one product — all from Get Product, so cacheable. */
export const HOT_READ = `query HotRead($id: ID!) {
  product(id: $id) { id title status skus { id sellerSku price { amount currency } } }
}`;

/**
 * Scenario 2: a page of orders with each line item's product, its SKUs' stock and the stocking
 * warehouses' names (issue 14's orders page).
 */
export const ORDERS_PAGE = `query OrdersPage($first: Int!) {
  orders(first: $first) {
    edges {
      node {
        id
        status
        createdAt
        payment { total { amount currency } }
        lineItems {
          id
          productId
          skuId
          salePrice { amount currency }
          product {
            id
            title
            skus {
              id
              sellerSku
              inventory {
                totalAvailableQuantity
                totalCommittedQuantity
                warehouses { availableQuantity warehouse { name } }
              }
            }
          }
        }
      }
    }
  }
}`;

/** Lists the product ids of a page of orders (to compute the theoretical minimum). */
export const ORDER_PRODUCT_IDS = `query OrderProductIds($first: Int!) {
  orders(first: $first) { edges { node { lineItems { productId } } } }
}`;

/** Scenario 3: what a seller dashboard shows, in one operation. */
export const DASHBOARD = `query Dashboard($range: DateRangeInput!) {
  shopPerformance(range: $range) {
    intervals { gmv { amount currency } orders unitsSold buyers }
  }
  topProducts: productPerformances(range: $range, first: 10) {
    edges { node { productId gmv { amount currency } unitsSold product { title } } }
  }
  recentOrders: orders(first: 10) {
    edges { node { id status createdAt payment { total { amount currency } } } }
  }
  topVideos: videos(range: $range, first: 10) {
    edges { node { id title totals { views gmv { amount currency } } } }
  }
}`;

/** Browsing mix (scenario 4 and the soak): a product page, list pages and the analytics views. */
export const PRODUCT_LIST = `query ProductList {
  products(first: 20) { edges { node { id title status } } }
}`;

export const SHOP_PERFORMANCE = `query ShopPerformance($range: DateRangeInput!) {
  shopPerformance(range: $range) { intervals { gmv { amount currency } orders unitsSold } }
}`;

export const TOP_PRODUCTS = `query TopProducts($range: DateRangeInput!) {
  productPerformances(range: $range, first: 10) {
    edges { node { productId unitsSold product { title } } }
  }
}`;

export const TOP_VIDEOS = `query TopVideos($range: DateRangeInput!) {
  videos(range: $range, first: 10) { edges { node { id title totals { views } } } }
}`;

export const WAREHOUSES = `query Warehouses { warehouses { id name isDefault } }`;

/** Product ids to build working sets from. */
export const PRODUCT_IDS = `query ProductIds($first: Int!, $after: String) {
  products(first: $first, after: $after, filter: { status: ACTIVATE }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id } }
  }
}`;

/** The bare Yoga baseline's whole schema. */
export const HELLO = '{ hello }';

/** Does the schema have this mutation, and what does its input look like? */
export const MUTATION_FIELDS = `query MutationFields {
  __schema {
    mutationType {
      fields {
        name
        args { name type { kind name ofType { kind name ofType { kind name } } } }
      }
    }
  }
}`;

export const INPUT_TYPE = `query InputType($name: String!) {
  __type(name: $name) {
    name
    inputFields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
  }
}`;

export function body(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** The last `days` full UTC days, both ends inclusive (the emulator's shops run on UTC). */
export function lastDays(days: number, nowMs = Date.now()): { start: string; end: string } {
  const dayMs = 86_400_000;
  const today = Math.floor(nowMs / dayMs) * dayMs;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(today - days * dayMs), end: day(today - dayMs) };
}
