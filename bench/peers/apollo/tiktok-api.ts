// The peer's whole upstream client: a RESTDataSource that signs each request per §4 with the
// gateway's signer (the same way), caches product details and the warehouse list for 60 s through
// datasource-rest's HTTP cache (the gateway's TTL) and otherwise does what datasource-rest does by
// default.
import {
  type AugmentedRequest,
  type CacheOptions,
  type DataSourceConfig,
  RESTDataSource,
  type RequestOptions,
} from '@apollo/datasource-rest';
import { signRequest } from '../../../src/datasources/tiktok/signer.js';

export interface TikTokApiSettings {
  apiBase: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  /** Sent on shop-scoped calls; omitted on /authorization/* (§1). */
  shopCipher?: string;
}

interface Envelope<T> {
  code: number;
  message: string;
  data: T;
}

const PRODUCT_TTL_SECONDS = 60;
/** Product details and the warehouse list, as the gateway caches them. */
const CACHED_PATHS = [/\/product\/202309\/products\/\d+$/, /\/logistics\/202309\/warehouses$/];

export class TikTokApi extends RESTDataSource {
  private readonly inventoryByProduct = new Map<string, Promise<WireInventory | undefined>>();
  private warehouseList: Promise<WireWarehouse[]> | undefined;

  constructor(
    private readonly settings: TikTokApiSettings,
    config?: DataSourceConfig,
  ) {
    super(config);
    this.baseURL = settings.apiBase;
  }

  protected override willSendRequest(path: string, request: AugmentedRequest): void {
    const { appKey, appSecret, accessToken, shopCipher } = this.settings;
    request.params.set('app_key', appKey);
    request.params.set('timestamp', String(Math.floor(Date.now() / 1000)));
    if (shopCipher && !path.startsWith('authorization/'))
      request.params.set('shop_cipher', shopCipher);
    const body = typeof request.body === 'string' ? request.body : undefined;
    const sign = signRequest({
      appSecret,
      path: new URL(path, this.baseURL).pathname,
      query: Object.fromEntries(request.params),
      ...(body === undefined ? {} : { body }),
    });
    request.params.set('sign', sign);
    request.headers['x-tts-access-token'] = accessToken;
    request.headers['content-type'] = 'application/json';
  }

  // timestamp and sign change every call; without this no two calls would share a key.
  protected override cacheKeyFor(url: URL, request: RequestOptions): string {
    const key = new URL(url);
    key.searchParams.delete('timestamp');
    key.searchParams.delete('sign');
    return `${request.method ?? 'GET'} ${key}`;
  }

  protected override cacheOptionsFor(url: string, response: { ok: boolean }): CacheOptions {
    const { pathname } = new URL(url);
    const isCached = CACHED_PATHS.some((path) => path.test(pathname));
    return isCached && response.ok ? { ttl: PRODUCT_TTL_SECONDS } : {};
  }

  private unwrap<T>(envelope: Envelope<T>, what: string): T {
    if (envelope.code !== 0)
      throw new Error(`${what} failed: ${envelope.code} ${envelope.message}`);
    return envelope.data;
  }

  async authorizedShops(): Promise<Array<{ id: string; cipher: string }>> {
    const envelope = await this.get<Envelope<{ shops: Array<{ id: string; cipher: string }> }>>(
      'authorization/202309/shops',
    );
    return this.unwrap(envelope, 'authorization.shops').shops;
  }

  async product(id: string): Promise<WireProduct> {
    const envelope = await this.get<Envelope<WireProduct>>(
      `product/202309/products/${encodeURIComponent(id)}`,
    );
    return this.unwrap(envelope, 'product.detail');
  }

  async searchOrders(pageSize: number): Promise<WireOrder[]> {
    const envelope = await this.post<Envelope<{ orders: WireOrder[] }>>(
      'order/202309/orders/search',
      { params: { page_size: String(pageSize) }, body: '{}' },
    );
    return this.unwrap(envelope, 'order.search').orders;
  }

  warehouses(): Promise<WireWarehouse[]> {
    this.warehouseList ??= this.get<Envelope<{ warehouses: WireWarehouse[] }>>(
      'logistics/202309/warehouses',
    ).then((envelope) => this.unwrap(envelope, 'logistics.warehouses').warehouses);
    return this.warehouseList;
  }

  /** One Inventory Search per product, shared by that product's SKUs within this request. */
  inventory(productId: string): Promise<WireInventory | undefined> {
    let found = this.inventoryByProduct.get(productId);
    if (!found) {
      found = this.post<Envelope<{ inventory: WireInventory[] }>>(
        'product/202309/inventory/search',
        {
          body: JSON.stringify({ product_ids: [productId] }),
        },
      ).then((envelope) => this.unwrap(envelope, 'inventory.search').inventory[0]);
      this.inventoryByProduct.set(productId, found);
    }
    return found;
  }
}

export interface WireProduct {
  id: string;
  title: string;
  status: string;
  skus: Array<{
    id: string;
    seller_sku: string;
    price: { currency: string; sale_price: string };
  }>;
}

export interface WireOrder {
  id: string;
  status: string;
  create_time: number;
  payment: { currency: string; total_amount: string };
  line_items: Array<{
    id: string;
    product_id: string;
    sku_id: string;
    sale_price: string;
    currency: string;
  }>;
}

export interface WireWarehouseStock {
  warehouse_id: string;
  available_quantity: number;
}

export interface WireInventory {
  product_id: string;
  skus: Array<{
    id: string;
    total_available_quantity: number;
    total_committed_quantity: number;
    warehouse_inventory: WireWarehouseStock[];
  }>;
}

export interface WireWarehouse {
  id: string;
  name: string;
}
