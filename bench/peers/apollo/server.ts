// Baseline (c): Apollo Server 5 + @apollo/datasource-rest serving scenarios 1–2 (`product(id)` and
// a page of orders with products, stock and warehouses) against the same emulator. Kept deliberately plain:
// a data source per request, no DataLoader, product details in datasource-rest's HTTP cache.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import {
  TikTokApi,
  type TikTokApiSettings,
  type WireOrder,
  type WireProduct,
  type WireWarehouseStock,
} from './tiktok-api.js';

const typeDefs = `#graphql
  type Money { amount: String!, currency: String! }
  type Warehouse { id: ID!, name: String! }
  type WarehouseInventory { availableQuantity: Int!, warehouse: Warehouse }
  type SkuInventory {
    totalAvailableQuantity: Int!, totalCommittedQuantity: Int!, warehouses: [WarehouseInventory!]!
  }
  type Sku { id: ID!, sellerSku: String!, price: Money!, inventory: SkuInventory }
  type Product { id: ID!, title: String!, status: String!, skus: [Sku!]! }
  type LineItem {
    id: ID!, productId: ID!, skuId: ID!, salePrice: Money!, product: Product
  }
  type OrderPayment { total: Money! }
  type Order {
    id: ID!, status: String!, createdAt: String!, payment: OrderPayment!, lineItems: [LineItem!]!
  }
  type OrderEdge { node: Order! }
  type OrderConnection { edges: [OrderEdge!]! }
  type Query { product(id: ID!): Product, orders(first: Int = 20): OrderConnection }
`;

interface Context {
  api: TikTokApi;
}

type SkuWithProduct = WireProduct['skus'][number] & { productId: string };

const resolvers = {
  Query: {
    product: (_: unknown, args: { id: string }, { api }: Context) => api.product(args.id),
    orders: async (_: unknown, args: { first: number }, { api }: Context) => ({
      edges: (await api.searchOrders(args.first)).map((node) => ({ node })),
    }),
  },
  Product: {
    skus: (product: WireProduct): SkuWithProduct[] =>
      product.skus.map((sku) => ({ ...sku, productId: product.id })),
  },
  Sku: {
    sellerSku: (sku: SkuWithProduct) => sku.seller_sku,
    price: (sku: SkuWithProduct) => ({
      amount: sku.price.sale_price,
      currency: sku.price.currency,
    }),
    inventory: async (sku: SkuWithProduct, _: unknown, { api }: Context) => {
      const found = (await api.inventory(sku.productId))?.skus.find((row) => row.id === sku.id);
      return found
        ? {
            totalAvailableQuantity: found.total_available_quantity,
            totalCommittedQuantity: found.total_committed_quantity,
            warehouses: found.warehouse_inventory,
          }
        : null;
    },
  },
  WarehouseInventory: {
    availableQuantity: (stock: WireWarehouseStock) => stock.available_quantity,
    warehouse: async (stock: WireWarehouseStock, _: unknown, { api }: Context) =>
      (await api.warehouses()).find((warehouse) => warehouse.id === stock.warehouse_id) ?? null,
  },
  Order: {
    createdAt: (order: WireOrder) => new Date(order.create_time * 1000).toISOString(),
    payment: (order: WireOrder) => ({
      total: { amount: order.payment.total_amount, currency: order.payment.currency },
    }),
    lineItems: (order: WireOrder) => order.line_items,
  },
  LineItem: {
    productId: (item: WireOrder['line_items'][number]) => item.product_id,
    skuId: (item: WireOrder['line_items'][number]) => item.sku_id,
    salePrice: (item: WireOrder['line_items'][number]) => ({
      amount: item.sale_price,
      currency: item.currency,
    }),
    product: (item: WireOrder['line_items'][number], _: unknown, { api }: Context) =>
      api.product(item.product_id),
  },
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const settings: TikTokApiSettings = {
  apiBase: required('TIKTOK_SHOP_API_BASE'),
  appKey: required('TIKTOK_SHOP_APP_KEY'),
  appSecret: required('TIKTOK_SHOP_APP_SECRET'),
  accessToken: required('TIKTOK_SHOP_ACCESS_TOKEN'),
};
const shopId = required('TIKTOK_SHOP_SHOP_ID');
const shop = (await new TikTokApi(settings).authorizedShops()).find((found) => found.id === shopId);
if (!shop) throw new Error(`shop ${shopId} is not authorised`);

const server = new ApolloServer<Context>({ typeDefs, resolvers });
// The server's cache outlives a request, so product details are shared (as the gateway's LRU is).
const { cache } = server;
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(required('PORT')), host: '127.0.0.1' },
  context: async () => ({
    api: new TikTokApi({ ...settings, shopCipher: shop.cipher }, { cache }),
  }),
});
process.stdout.write(`Apollo peer listening on ${url}\n`);

const stop = () => {
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
