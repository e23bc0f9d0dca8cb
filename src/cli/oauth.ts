// `npm run oauth`: the setup guide's Step 4 ("Test OAuth flow") against TikTok or, without
// credentials, against the in-process emulator. Checks credentials, prints the authorisation URL,
// catches the redirect (loopback listener) or takes the pasted code / redirect URL, exchanges it,
// tests a refresh and a signed call, and says what it stored, tokens masked.
import { parseArgs } from 'node:util';
import { type App, createApp } from '../app.js';
import { isAllowedRedirect } from '../auth/redirect-uris.js';
import { escapeHtml } from '../oauth-callback.js';
import { submitAuthorizePage } from '../sandbox.js';
import type { Settings } from '../settings.js';
import {
  createReport,
  describeExpiry,
  isLoopbackHttpUrl,
  listenForRedirect,
  loadCliSettings,
  maskSecret,
  type RedirectCapture,
  type RedirectListener,
  readLine,
  reasonOf,
  runMain,
} from './support.js';

const USAGE = `Usage: npm run oauth -- [options]

Authorises a seller (setup guide Step 4) and stores its tokens, encrypted, where the gateway reads
them. Without TIKTOK_SHOP_APP_KEY it runs against the built-in emulator (sandbox mode).

Options:
  --redirect-uri <url>  redirect URL registered for the app (default OAUTH_REDIRECT_URI, else
                        http://localhost:8000/callback); on a loopback URL the tool listens for the
                        redirect itself (port 0 picks a free port)
  --code <code|url>     use this authorization code, or the whole redirect URL, and do not wait
  --no-wait             do not listen; read the code or redirect URL from stdin
  --yes, -y             sandbox: approve on the emulator's authorize page automatically
                        (also done when stdin is not a terminal)
  --seller <openId>     sandbox: which demo seller approves (default: the first)
  --timeout <seconds>   how long to wait for the redirect (default: until the link expires)
  --help                this text`;

interface Options {
  /** --redirect-uri; default OAUTH_REDIRECT_URI. */
  redirectUri: string | undefined;
  code: string | undefined;
  isWaiting: boolean;
  isAutomatic: boolean;
  seller: string | undefined;
  timeoutMs: number | undefined;
}

function readOptions(): Options | 'help' {
  const { values } = parseArgs({
    options: {
      'redirect-uri': { type: 'string' },
      code: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      yes: { type: 'boolean', short: 'y', default: false },
      seller: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0))
    throw new Error('--timeout must be a number of seconds');
  return {
    redirectUri: values['redirect-uri'],
    code: values.code,
    isWaiting: !values['no-wait'],
    isAutomatic: values.yes || !process.stdin.isTTY,
    seller: values.seller,
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  };
}

/** A pasted redirect URL gives code, state and error; a bare code goes with this run's state. */
function readAnswer(text: string, state: string) {
  if (/^https?:\/\//i.test(text)) {
    const params = new URL(text).searchParams;
    return fromParams(params);
  }
  return { code: text, state };
}

function fromParams(params: URLSearchParams) {
  return {
    code: params.get('code'),
    state: params.get('state'),
    error: params.get('error') ?? undefined,
  };
}

async function main(): Promise<number> {
  const report = createReport();
  const options = readOptions();
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  let settings: Settings;
  try {
    settings = loadCliSettings();
  } catch (error) {
    report.fail('Credentials', reasonOf(error));
    return 1;
  }
  report.info('TikTok Shop seller authorisation (setup guide Step 4)\n');

  let listener: RedirectListener | undefined;
  let app: App | undefined;
  let capture: RedirectCapture | undefined;
  try {
    if (settings.mode === 'sandbox') {
      report.ok(
        'Credentials',
        'no TIKTOK_SHOP_APP_KEY: sandbox mode, the built-in emulator plays TikTok',
      );
    } else {
      const { appKey, appSecret } = settings.credentials ?? { appKey: '', appSecret: '' };
      report.ok('Credentials', `app key ${appKey}, app secret set (${appSecret.length} chars)`);
    }

    // Only an allowed redirect gets a signed state (issue 10); a loopback one on any port.
    const requested = options.redirectUri ?? settings.auth.oauthRedirectUri;
    if (!isAllowedRedirect(settings.auth.oauthRedirectUris, requested)) {
      report.fail(
        'Redirect URI',
        'not an allowed redirect URI: give an absolute http(s) URL listed in OAUTH_REDIRECT_URIS ' +
          '(or add it there)',
      );
      return 1;
    }
    // Listen before building the URL: the port actually bound goes into the redirect URI.
    let redirectUri = new URL(requested);
    if (options.code === undefined && options.isWaiting && isLoopbackHttpUrl(redirectUri)) {
      listener = await listenForRedirect(redirectUri);
      redirectUri = listener.redirectUri;
    }

    // This run authorises a seller itself: the environment's tokens are not seeded.
    app = await createApp(
      { ...settings, accessToken: undefined, refreshToken: undefined },
      {
        redirectUri: redirectUri.toString(),
        sandbox: { name: 'oauth-cli', authorizeDemoSeller: false },
      },
    );
    const { sellers, client, sandbox } = app;
    if (sandbox) report.info(`  (emulator at ${sandbox.emulator.url})`);

    // TikTok redirects to the URL registered in Partner Center; the emulator takes redirect_uri.
    const link = sellers.authorizationUrl(sandbox ? { redirectUri: redirectUri.toString() } : {});
    report.ok(
      'Authorization URL',
      `open it, log in as the seller and approve (valid until ${new Date(link.expiresAt).toISOString()}):`,
    );
    report.info(`\n  ${link.url}\n`);

    let answer: { code: string | null; state: string | null; error?: string };
    if (options.code !== undefined) {
      answer = readAnswer(options.code, link.state);
    } else if (sandbox && options.isAutomatic) {
      const back = await submitAuthorizePage(link.url, { openId: options.seller });
      report.ok(
        'Authorize page',
        `approved on the emulator; redirected to ${back.origin}${back.pathname}`,
      );
      if (listener) {
        // Deliver the redirect to our own listener, as the browser would.
        void fetch(back).catch(() => undefined);
        capture = await listener.next;
        answer = fromParams(capture.params);
      } else {
        answer = fromParams(back.searchParams);
      }
    } else {
      report.info(
        listener
          ? `Waiting for the redirect to ${redirectUri} … (or paste the redirect URL or code here)`
          : 'Paste the redirect URL (or just the code) and press Enter:',
      );
      const stdin = readLine();
      const waits: Array<
        Promise<{ kind: 'redirect'; capture: RedirectCapture } | { kind: 'line'; text: string }>
      > = [stdin.line.then((text) => ({ kind: 'line' as const, text }))];
      if (listener)
        waits.push(listener.next.then((got) => ({ kind: 'redirect' as const, capture: got })));
      const timeoutMs = options.timeoutMs ?? Math.max(0, link.expiresAt - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('No redirect or code arrived in time')),
          timeoutMs,
        );
      });
      try {
        const got = await Promise.race([...waits, timedOut]);
        if (got.kind === 'redirect') {
          capture = got.capture;
          answer = fromParams(got.capture.params);
        } else {
          answer = readAnswer(got.text, link.state);
        }
      } finally {
        clearTimeout(timer);
        stdin.close();
      }
    }

    let result: Awaited<ReturnType<typeof sellers.exchange>>;
    try {
      result = await sellers.exchange(answer);
    } catch (error) {
      capture?.respond(400, `<h1>Authorisation failed</h1><p>${escapeHtml(reasonOf(error))}</p>`);
      throw error;
    }
    capture?.respond(
      200,
      `<h1>Seller authorised</h1><p>${escapeHtml(result.seller.name)}: ${result.shops.length} shop(s). You can close this page.</p>`,
    );
    report.ok(
      'Code exchanged',
      `seller "${result.seller.name}" (open_id ${result.seller.openId}) authorised ` +
        `${result.shops.length} shop(s): ${result.shops.map((shop) => `${shop.name} ${shop.id} (${shop.region})`).join(', ') || 'none'}`,
    );
    report.info(`  granted TikTok scopes: ${result.grantedScopes.join(', ') || 'none'}`);
    if (!result.stored.tokens) {
      // Closing the app tries once more; the seller must authorise again if that fails too.
      report.fail('Stored', 'the token store refused the tokens; see the log');
      return 1;
    }

    const shop = (await sellers.store.getSeller(result.seller.openId))?.shops[0];
    const refreshed = await sellers.refresh(shop?.id);
    report.ok(
      'Token refresh',
      `renewed; the access token now expires ${describeExpiry(refreshed.accessTokenExpiresAt)}`,
    );

    if (shop) {
      const page = await client.searchProducts(await sellers.tokens.sessionFor(shop), {
        pageSize: 1,
      });
      report.ok(
        'Signed call',
        `Search Products in shop ${shop.id} answered (${page.totalCount} products)`,
      );
    } else {
      report.fail('Signed call', 'the seller authorised no shops');
    }

    const stored = await sellers.store.getSeller(result.seller.openId);
    report.ok(
      'Stored',
      `${app.tokenStorePath ?? 'the token store'} (AES-256-GCM, key ${app.encryptionKey.source === 'environment' ? 'TOKEN_ENCRYPTION_KEY' : app.encryptionKey.path})`,
    );
    if (stored) {
      report.info(
        `  seller ${stored.name} (${stored.openId}), ${stored.shops.length} shop(s)\n` +
          `  access token  ${maskSecret(stored.tokens.accessToken)}, expires ${describeExpiry(stored.tokens.accessTokenExpiresAt)}\n` +
          `  refresh token ${maskSecret(stored.tokens.refreshToken)}, expires ${describeExpiry(stored.tokens.refreshTokenExpiresAt)}\n` +
          '  The gateway reads this store and renews the access token itself: nothing to copy into .env.',
      );
    }
    return report.failures > 0 ? 1 : 0;
  } catch (error) {
    report.fail('OAuth', reasonOf(error));
    return 1;
  } finally {
    await listener?.close();
    await app?.close();
  }
}

runMain(main);
