// HTML for the emulator's seller authorization page (§2.1) and its error page.
import type { StoreSeller, StoreShop } from './route-types.js';

export interface AuthorizePageInput {
  appName: string;
  sellers: StoreSeller[];
  shopsById: ReadonlyMap<string, StoreShop>;
  /** Hidden form fields carried to the POST (app identity, state, redirect_uri, scope). */
  hiddenFields: Record<string, string>;
  scopes: string[];
  /** Where the form posts. */
  action: string;
}

export function renderAuthorizePage(input: AuthorizePageInput): string {
  const hidden = Object.entries(input.hiddenFields)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n    ');
  const sellers = input.sellers
    .map((seller, index) => {
      const shops = seller.shopIds
        .map((id) => input.shopsById.get(id))
        .filter((shop): shop is StoreShop => shop !== undefined)
        .map((shop) => `${esc(shop.name)} (${esc(shop.region)})`)
        .join(', ');
      const checked = index === 0 ? ' checked' : '';
      return (
        `<li><label><input type="radio" name="open_id" value="${esc(seller.openId)}"${checked}> ` +
        `${esc(seller.name)}</label> <small>${shops}</small></li>`
      );
    })
    .join('\n      ');
  const scopes = input.scopes.map((scope) => `<li><code>${esc(scope)}</code></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorize ${esc(input.appName)} — TikTok Shop emulator</title></head>
<body>
  <h1>Authorize ${esc(input.appName)}</h1>
  <p>This local TikTok Shop emulator asks which seller account grants access.</p>
  <form method="post" action="${esc(input.action)}">
    ${hidden}
    <fieldset><legend>Seller account</legend><ul>
      ${sellers}
    </ul></fieldset>
    <p>Scopes requested:</p><ul>${scopes}</ul>
    <button type="submit" name="decision" value="authorize">Authorize</button>
    <button type="submit" name="decision" value="deny">Deny</button>
  </form>
</body>
</html>
`;
}

export function renderErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorization error — TikTok Shop emulator</title></head>
<body><h1>Authorization error</h1><p>${esc(message)}</p></body>
</html>
`;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attribute values. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);
}
