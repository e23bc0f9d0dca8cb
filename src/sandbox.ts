// Sandbox bootstrap: with no TikTok credentials the gateway runs on the in-process emulator and
// authorises a demo seller through the same OAuth steps a real seller goes through (§2).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createTikTokShopClient } from './datasources/tiktok/client.js';
import { createTokenBucketRateLimiter } from './datasources/tiktok/rate-limiter.js';
import type {
  AccessTokenProvider,
  AuthorizedShop,
  TikTokShopClient,
  TokenGrant,
} from './datasources/tiktok/types.js';
import { createEmulator } from './emulator/server.js';
import type { EmulatorHandle } from './emulator/types.js';

export interface SandboxOptions {
  config: Config;
  logger: Logger;
  /** Where the authorize page sends the seller back; registered as the app's redirect URI. */
  redirectUri: string;
  /** Emulator data volume (default 1). */
  scale?: number;
}

export interface Sandbox {
  emulator: EmulatorHandle;
  client: TikTokShopClient;
  grant: TokenGrant;
  shops: AuthorizedShop[];
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { config, logger, redirectUri } = options;
  const emulator = await createEmulator({
    redirectUris: [redirectUri],
    ...(options.scale === undefined ? {} : { scale: options.scale }),
  });
  let accessToken: string | undefined;
  // Holds the token this bootstrap obtains; issue #4's token store replaces it.
  const tokens: AccessTokenProvider = {
    async getAccessToken() {
      if (accessToken === undefined) throw new Error('The sandbox seller is not authorised yet.');
      return accessToken;
    },
  };
  const client = createTikTokShopClient({
    credentials: { appKey: emulator.appKey, appSecret: emulator.appSecret },
    apiBase: emulator.url,
    authBase: emulator.url,
    http: config.http,
    rateLimiter: createTokenBucketRateLimiter(config.rateLimit),
    tokens,
    logger,
  });
  try {
    const code = await authorizeAsSeller(
      authorizeUrlFor(emulator.url, emulator.appKey, redirectUri),
    );
    const grant = await client.getAccessToken(code);
    accessToken = grant.accessToken;
    const shops = await client.getAuthorizedShops();
    return {
      emulator,
      client,
      grant,
      shops,
      async close() {
        await client.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await client.close();
    await emulator.close();
    throw error;
  }
}

/** The authorize page for the app, with a fresh random state (§2.1). */
function authorizeUrlFor(base: string, appKey: string, redirectUri: string) {
  const url = new URL('/oauth/authorize', base);
  url.searchParams.set('app_key', appKey);
  url.searchParams.set('state', randomBytes(16).toString('hex'));
  url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}

/**
 * What the seller's browser does: load the authorize page, submit its form with "Authorize",
 * and read the code from the redirect. The state must come back unchanged (§2.1, CSRF).
 */
export async function authorizeAsSeller(authorizeUrl: string): Promise<string> {
  const state = new URL(authorizeUrl).searchParams.get('state');
  const page = await fetch(authorizeUrl);
  if (!page.ok) throw new Error(`Authorize page answered HTTP ${page.status}.`);
  const form = readForm(await page.text());
  form.fields.set('decision', 'authorize');
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
  const back = new URL(location);
  if (back.searchParams.get('state') !== state) {
    throw new Error('OAuth state mismatch: the redirect does not belong to this authorization.');
  }
  const code = back.searchParams.get('code');
  if (!code || code === 'null') {
    throw new Error(`Authorization refused (${back.searchParams.get('error') ?? 'no code'}).`);
  }
  return code;
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
