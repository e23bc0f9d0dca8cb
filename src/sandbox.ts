// Sandbox mode, a mode of createApp (src/app.ts): with no TikTok credentials the gateway runs on
// the in-process emulator and authorises its demo seller through the same OAuth path a real
// seller goes through (§2): a signed state, the authorize page, the code exchange, the token store.
import { dirname, join } from 'node:path';
import type { AuthConfig } from './auth/auth-config.js';
import { DEFAULT_TOKEN_STORE_PATH } from './auth/file-token-store.js';
import type { AuthorizationResult } from './auth/oauth.js';
import type { SellerAuth } from './auth/seller-auth.js';
import { GATEWAY_EVENT_TYPES } from './cli/webhook-options.js';
import type { AuthorizedShop, ShopSession, TikTokShopClient } from './datasources/tiktok/types.js';
import { applyWebhookChanges } from './datasources/tiktok/webhook-subscriptions.js';
import type { EmulatorHandle } from './emulator/types.js';
import type { Logger } from './logger.js';
import { exampleRange } from './plugins/graphiql-options.js';
import type { Settings } from './settings.js';

/** How a process runs sandbox mode; createApp ignores it in TikTok mode. */
export interface SandboxOptions {
  /**
   * Which process this is. Each runs its own emulator, whose tokens mean nothing to another's, so
   * each keeps its own token file (unless TOKEN_STORE_PATH is set): `.data/sandbox-tokens.json`
   * for the gateway, `.data/sandbox-<name>-tokens.json` for the CLIs. Never `.data/tokens.json`,
   * so sandbox runs leave real sellers alone. Default 'gateway'.
   */
  name?: 'gateway' | 'oauth-cli' | 'doctor' | 'webhooks';
  /** Emulator data volume. Default 1. */
  scale?: number;
  /** Authorise the demo seller at start. Default true; `npm run oauth` does it itself. */
  authorizeDemoSeller?: boolean;
  /**
   * The gateway's own webhook receiver, once it listens (server.ts): the demo shops subscribe it
   * on the emulator's Event API, so the emulator's deliveries reach this process. Default: none
   * (the CLIs, and tests that listen elsewhere).
   */
  receiverUrl?: string;
}

/** The sandbox as it started. */
export interface Sandbox {
  emulator: EmulatorHandle;
  /** The demo seller's authorisation (absent when `authorizeDemoSeller` was false). */
  authorization: AuthorizationResult | undefined;
  /** The demo seller's shops, ciphers included. */
  shops: AuthorizedShop[];
  /** The receiver URL every demo shop subscribed, or undefined (none given, or it failed). */
  receiverUrl: string | undefined;
}

/** Where a sandbox process keeps its tokens (see SandboxOptions.name). */
export function sandboxTokenStorePath(
  auth: AuthConfig,
  name: NonNullable<SandboxOptions['name']>,
): string {
  if (auth.hasTokenStorePath) return auth.tokenStorePath;
  const file = name === 'gateway' ? 'sandbox-tokens.json' : `sandbox-${name}-tokens.json`;
  return join(dirname(join(process.cwd(), DEFAULT_TOKEN_STORE_PATH)), file);
}

/**
 * The settings a sandbox process runs with: the emulator's app, hosts and authorize page, no
 * Redis (this process's emulator issued the tokens, no other replica could use them).
 */
export function sandboxSettings(settings: Settings, emulator: EmulatorHandle): Settings {
  return {
    ...settings,
    credentials: { appKey: emulator.appKey, appSecret: emulator.appSecret },
    apiBase: emulator.url,
    authBase: emulator.url,
    // Env tokens are TikTok's; they mean nothing to the emulator.
    accessToken: undefined,
    refreshToken: undefined,
    auth: {
      ...settings.auth,
      authorizeBase: emulator.url,
      // The service_id form when one is configured, with the emulator's own service id.
      serviceId: settings.auth.serviceId === undefined ? undefined : emulator.serviceId,
    },
    redis: null,
  };
}

/**
 * Authorises the emulator's demo seller through its authorize page. Answers its shops, the default
 * shop (TIKTOK_SHOP_SHOP_ID when it names a demo shop, else the first, so the examples work
 * without a shopId) and real ids for GraphiQL's examples.
 */
export async function authorizeDemoSeller(input: {
  sellers: SellerAuth;
  client: TikTokShopClient;
  redirectUri: string;
  defaultShopId: string | undefined;
  nowMs: number;
}): Promise<{
  authorization: AuthorizationResult;
  shops: AuthorizedShop[];
  defaultShopId: string | undefined;
  exampleVariables: Record<string, unknown>;
}> {
  const { sellers, redirectUri } = input;
  const link = sellers.authorizationUrl({ redirectUri });
  const authorization = await sellers.exchange(await authorizeAsSeller(link.url));
  const shops = (await sellers.store.getSeller(authorization.seller.openId))?.shops ?? [];
  const defaultShop = shops.find((shop) => shop.id === input.defaultShopId) ?? shops[0];
  return {
    authorization,
    shops,
    defaultShopId: defaultShop?.id,
    exampleVariables: {
      ...(await sampleVariables(
        input.client,
        defaultShop && (await sellers.tokens.sessionFor(defaultShop)),
        input.nowMs,
      )),
      redirectUri,
    },
  };
}

/**
 * Subscribes `address` to the topics the gateway acts on in each demo shop, through the emulator's
 * Event API (§6.10) as `npm run webhooks` would for a real shop (the emulator takes http://
 * loopback addresses). Answers whether every shop took every topic; a failure is logged and the
 * sandbox runs without live events.
 */
export async function subscribeSandboxWebhooks(input: {
  sellers: SellerAuth;
  client: TikTokShopClient;
  shops: AuthorizedShop[];
  address: string;
  logger: Logger;
}): Promise<boolean> {
  const set = GATEWAY_EVENT_TYPES.map((eventType) => ({ eventType, address: input.address }));
  const reports = await Promise.all(
    input.shops.map(async (shop) => {
      const session = await input.sellers.tokens.sessionFor(shop);
      return applyWebhookChanges(input.client, session, { set, delete: [] });
    }),
  );
  const failed = reports.flatMap((report) => report.outcomes.filter((outcome) => outcome.error));
  if (failed.length > 0) {
    input.logger.warn(
      { address: input.address, failed: failed.map((outcome) => outcome.eventType) },
      "Sandbox: the emulator did not take every webhook subscription; some live events won't come",
    );
  }
  return failed.length === 0;
}

/** Real ids from the emulator, so every GraphiQL example runs as loaded. */
async function sampleVariables(
  client: TikTokShopClient,
  shop: ShopSession | undefined,
  nowMs: number,
): Promise<Record<string, unknown>> {
  if (!shop) return {};
  const range = exampleRange(nowMs);
  const [products, live, orders, videos] = await Promise.all([
    client.searchProducts(shop, { pageSize: 1 }),
    client.searchProducts(shop, { pageSize: 1, filter: { status: 'ACTIVATE' } }),
    client.searchOrders(shop, { pageSize: 1 }),
    client.listVideoPerformance(shop, {
      range: { startDateGe: range.start, endDateLt: range.endExclusive },
      pageSize: 1,
    }),
  ]);
  const productId = products.items[0]?.id;
  // A live product's first SKU and warehouse, set to what it holds: the stock examples run as
  // loaded and change nothing until edited.
  const target = live.items[0];
  const sku = target?.skus[0];
  const stock = sku?.inventory[0];
  const update =
    target && sku && stock
      ? {
          productId: target.id,
          skus: [{ skuId: sku.id, warehouseId: stock.warehouseId, quantity: stock.quantity }],
        }
      : undefined;
  return {
    productId,
    productIds: productId ? [productId] : [],
    orderId: orders.items[0]?.id,
    videoId: videos.items[0]?.id,
    update,
    bulk: update && {
      items: update.skus.map((entry) => ({ productId: update.productId, ...entry })),
    },
  };
}

/**
 * What the seller's browser does: load the authorize page, submit its form, and return where the
 * redirect goes (TikTok appends `code` and `state`, §2.1). `openId` picks one of the emulator's
 * seller accounts (default: the one preselected).
 */
export async function submitAuthorizePage(
  authorizeUrl: string,
  options: { decision?: 'authorize' | 'deny'; openId?: string } = {},
): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (!page.ok) throw new Error(`Authorize page answered HTTP ${page.status}.`);
  const form = readForm(await page.text());
  form.fields.set('decision', options.decision ?? 'authorize');
  if (options.openId !== undefined) form.fields.set('open_id', options.openId);
  const submitted = await fetch(new URL(form.action, authorizeUrl), {
    method: form.method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...form.fields]).toString(),
    redirect: 'manual',
  });
  const location = submitted.headers.get('location');
  if (submitted.status !== 302 || !location) {
    throw new Error(`Authorize form answered HTTP ${submitted.status} without a redirect.`);
  }
  return new URL(location);
}

/**
 * Authorises through the page and reads `code` and `state` from the redirect; the state must come
 * back unchanged (§2.1, CSRF). The gateway verifies its signature when exchanging.
 */
export async function authorizeAsSeller(
  authorizeUrl: string,
  options: { openId?: string } = {},
): Promise<{ code: string; state: string }> {
  const state = new URL(authorizeUrl).searchParams.get('state');
  const back = await submitAuthorizePage(authorizeUrl, options);
  if (back.searchParams.get('state') !== state || state === null) {
    throw new Error('OAuth state mismatch: the redirect does not belong to this authorization.');
  }
  const code = back.searchParams.get('code');
  if (!code || code === 'null') {
    throw new Error(`Authorization refused (${back.searchParams.get('error') ?? 'no code'}).`);
  }
  return { code, state };
}

interface HtmlForm {
  method: string;
  action: string;
  fields: Map<string, string>;
}

/** The first form of the page: its hidden inputs and checked radios, as a browser would post. */
function readForm(html: string): HtmlForm {
  const formTag = /<form\b([^>]*)>/i.exec(html);
  if (!formTag) throw new Error('Authorize page has no form.');
  const attributes = (tag: string) => {
    const found = new Map<string, string>();
    for (const match of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
      found.set((match[1] ?? '').toLowerCase(), decodeEntities(match[2] ?? ''));
    }
    return found;
  };
  const form = attributes(formTag[1] ?? '');
  const fields = new Map<string, string>();
  for (const input of html.matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = attributes(input[1] ?? '');
    const type = attrs.get('type') ?? 'text';
    const name = attrs.get('name');
    if (!name) continue;
    if (type === 'hidden' || (type === 'radio' && attrs.has('checked'))) {
      fields.set(name, attrs.get('value') ?? '');
    }
  }
  return {
    method: (form.get('method') ?? 'get').toUpperCase(),
    action: form.get('action') ?? '',
    fields,
  };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
