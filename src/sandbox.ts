// Sandbox bootstrap: with no TikTok credentials the gateway runs on the in-process emulator and
// authorises a demo seller through the same OAuth path a real seller goes through (§2): a signed
// state, the authorize page, the code exchange, the token store.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AuthConfig } from './auth/auth-config.js';
import type { ResolvedEncryptionKey } from './auth/encryption-key.js';
import type { AuthorizationResult } from './auth/oauth.js';
import { openSellerAuth, type SellerAuth } from './auth/seller-auth.js';
import type { Config } from './config.js';
import type { AuthorizedShop, TikTokShopClient } from './datasources/tiktok/types.js';
import { createEmulator } from './emulator/server.js';
import type { EmulatorHandle } from './emulator/types.js';

export interface SandboxOptions {
  config: Config;
  authConfig: AuthConfig;
  /** Environment TOKEN_ENCRYPTION_KEY is read from. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Where the authorize page sends the seller back; registered as the app's redirect URI. */
  redirectUri: string;
  /** Token file; see sandboxTokenStorePath. The generated key is kept beside it. */
  tokenStorePath: string;
  /** Emulator data volume (default 1). */
  scale?: number;
}

export interface Sandbox {
  emulator: EmulatorHandle;
  /** The emulator's app, hosts and the demo default shop: what the gateway runs with. */
  config: Config;
  client: TikTokShopClient;
  sellers: SellerAuth;
  authorization: AuthorizationResult;
  shops: AuthorizedShop[];
  encryptionKey: ResolvedEncryptionKey;
  tokenStorePath: string;
  close(): Promise<void>;
}

/**
 * Where a sandbox process keeps its tokens: TOKEN_STORE_PATH when set, else a file of its own in
 * the data directory. Never `.data/tokens.json`, so sandbox runs leave real sellers alone; and one
 * per kind of process, since each runs its own emulator whose tokens mean nothing to another's.
 */
export function sandboxTokenStorePath(
  env: NodeJS.ProcessEnv,
  authConfig: AuthConfig,
  name: 'gateway' | 'oauth-cli' | 'doctor',
): string {
  if (env.TOKEN_STORE_PATH?.trim()) return authConfig.tokenStorePath;
  const file = name === 'gateway' ? 'sandbox-tokens.json' : `sandbox-${name}-tokens.json`;
  return join(process.cwd(), '.data', file);
}

/** The config a sandbox process runs with: the emulator's app and hosts. */
export function sandboxConfig(config: Config, emulator: EmulatorHandle): Config {
  return {
    ...config,
    credentials: { appKey: emulator.appKey, appSecret: emulator.appSecret },
    apiBase: emulator.url,
    authBase: emulator.url,
    // Env tokens are TikTok's; they mean nothing to the emulator.
    accessToken: undefined,
    refreshToken: undefined,
  };
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { authConfig, logger, redirectUri } = options;
  const emulator = await createEmulator({
    redirectUris: [redirectUri],
    ...(options.scale === undefined ? {} : { scale: options.scale }),
  });
  let opened: Awaited<ReturnType<typeof openSellerAuth>> | undefined;
  try {
    let config = sandboxConfig(options.config, emulator);
    opened = await openSellerAuth({
      config,
      authConfig: {
        ...authConfig,
        authorizeBase: emulator.url,
        // The service_id form when one is configured, with the emulator's own service id.
        serviceId: authConfig.serviceId === undefined ? undefined : emulator.serviceId,
      },
      env: options.env,
      mode: 'sandbox',
      tokenStorePath: options.tokenStorePath,
      // Never Redis: this process's emulator issued the tokens, no other replica could use them.
      redis: null,
      seed: false,
      logger,
    });
    const { sellers } = opened;
    const link = sellers.authorizationUrl({ redirectUri });
    const authorization = await sellers.exchange(await authorizeAsSeller(link.url));
    const shops = (await sellers.store.getSeller(authorization.seller.openId))?.shops ?? [];
    // Several demo shops: unless TIKTOK_SHOP_SHOP_ID names one of them, the first is the default
    // so the examples work without a shopId.
    const isDemoShop = shops.some((shop) => shop.id === config.defaultShopId);
    config = { ...config, defaultShopId: isDemoShop ? config.defaultShopId : shops[0]?.id };
    const { client } = opened;
    const sellerSide = opened;
    return {
      emulator,
      config,
      client,
      sellers,
      authorization,
      shops,
      encryptionKey: opened.encryptionKey,
      tokenStorePath: options.tokenStorePath,
      async close() {
        await sellerSide.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await opened?.close();
    await emulator.close();
    throw error;
  }
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
