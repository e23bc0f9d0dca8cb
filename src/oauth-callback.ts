// GET /oauth/callback: where TikTok sends the seller's browser after the authorize page (§2.1). It
// has no API key to send, so the signed single-use `state` is what protects it. Answers a small
// HTML page; token values never appear in it.
import { AuthorizationDeniedError, OAuthStateError } from './auth/errors.js';
import type { SellerAuth } from './auth/seller-auth.js';
import { TikTokShopAuthError, TikTokShopError } from './datasources/tiktok/errors.js';
import type { Logger } from './logger.js';
import { describeFailure } from './schema/errors.js';

/** Text safe inside HTML elements and quoted attributes. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(status: number, title: string, body: string): Response {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title>` +
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}' +
    'code{background:#f3f3f3;padding:0 .2em}</style></head>' +
    `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The URL held a single-use code; nothing here may be cached or framed.
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
  });
}

const AGAIN =
  '<p>Nothing was stored. Start again from a new authorisation link (the ' +
  '<code>authorizationUrl</code> query or <code>npm run oauth</code>).</p>';

export function createOAuthCallbackHandler(deps: {
  sellers: Pick<SellerAuth, 'exchange'>;
  logger: Logger;
}): (request: Request) => Promise<Response> {
  return async (request) => {
    const query = new URL(request.url).searchParams;
    try {
      const result = await deps.sellers.exchange({
        code: query.get('code'),
        state: query.get('state'),
        error: query.get('error') ?? undefined,
        // A state made for another redirect (the CLI's listener, another gateway) is refused.
        callbackUrl: request.url,
      });
      const shops = result.shops
        .map(
          (shop) =>
            `<li>${escapeHtml(shop.name)} (${escapeHtml(shop.region)}) — shop id <code>${escapeHtml(shop.id)}</code></li>`,
        )
        .join('');
      const expires = new Date(result.accessTokenExpiresAt * 1000).toISOString();
      const who = escapeHtml(result.seller.name);
      if (!result.stored.tokens) {
        // The code is spent and the tokens are held here: a retry stores them (issue 10).
        return page(
          202,
          'Seller authorised, tokens not stored yet',
          `<p>${who} authorised the app, but the token store refused the tokens for now. The ` +
            'gateway keeps them in memory and stores them again until it succeeds; its log says ' +
            'when. Authorise again only if the gateway stops before that.</p>',
        );
      }
      const shopNote = result.stored.shops
        ? ''
        : '<p>The shops could not be read or stored now; the gateway reads them on first use.</p>';
      return page(
        200,
        'Seller authorised',
        `<p>${who} authorised the app for ${result.shops.length} ` +
          `shop(s):</p><ul>${shops}</ul>${shopNote}` +
          `<p>Granted scopes: ${escapeHtml(result.grantedScopes.join(', ') || 'none')}. ` +
          `The access token is renewed automatically (it expires ${escapeHtml(expires)}).</p>` +
          '<p>You can close this page.</p>',
      );
    } catch (error) {
      if (error instanceof OAuthStateError) {
        return page(
          400,
          'Authorisation link not accepted',
          `<p>${escapeHtml(error.message)}.</p>${AGAIN}`,
        );
      }
      if (error instanceof AuthorizationDeniedError) {
        return page(400, 'Authorisation declined', `<p>${escapeHtml(error.message)}.</p>${AGAIN}`);
      }
      if (error instanceof TikTokShopError) {
        deps.logger.warn({ err: error }, 'OAuth callback: TikTok refused the exchange');
        const status = error instanceof TikTokShopAuthError ? 400 : 502;
        return page(
          status,
          'Authorisation failed',
          `<p>${escapeHtml(describeFailure(error).message)}</p>${AGAIN}`,
        );
      }
      deps.logger.error({ err: error }, 'OAuth callback failed');
      return page(500, 'Authorisation failed', '<p>Unexpected error; see the gateway log.</p>');
    }
  };
}
