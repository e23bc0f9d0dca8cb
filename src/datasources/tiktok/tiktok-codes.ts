// The one table of TikTok codes (§5, §6): what each code means. The error mapper (errors.ts)
// builds its error classes from it, and the stock writes (inventory-updates.ts) read what a code
// means for one SKU. Whether a failure is worth repeating follows from its kind and reason:
// `server_error` and a `throttled` rate limit are (TikTokShopError.retryable), every other one
// is not.
import type {
  AuthErrorReason,
  PermissionErrorReason,
  RateLimitReason,
  ValidationErrorReason,
} from './errors.js';

/** What a code says about one SKU of a stock update (§6.4). */
export type StockMeaning =
  | 'unknown_product'
  | 'unknown_sku'
  | 'unknown_warehouse'
  | 'warehouse_required'
  | 'quantity_rejected'
  | 'duplicate'
  | 'product_not_active';

/** One code's meaning: the error kind, its reason where the kind has reasons, a message hint. */
export type CodeMeaning =
  | { kind: 'rate_limited'; reason: RateLimitReason; hint: string }
  /** The path is unknown to TikTok: a gateway bug, reported with the path. */
  | { kind: 'invalid_path'; hint: string }
  | { kind: 'server_error'; hint: string }
  | { kind: 'auth'; reason: AuthErrorReason; hint: string }
  | { kind: 'permission'; reason: PermissionErrorReason; hint: string }
  | { kind: 'validation'; reason: ValidationErrorReason; hint: string; stock?: StockMeaning }
  | { kind: 'not_found'; hint: string; stock?: StockMeaning }
  /** A code this table does not know, on a status that says nothing more. */
  | { kind: 'unknown'; hint: string };

const rateLimited: CodeMeaning = {
  kind: 'rate_limited',
  reason: 'throttled',
  hint: 'rate limited by TikTok Shop',
};
const internalError: CodeMeaning = { kind: 'server_error', hint: 'TikTok Shop internal error' };
const inactive: CodeMeaning = {
  kind: 'permission',
  reason: 'inactive',
  hint: 'shop or seller inactive',
};
const badVersion: CodeMeaning = {
  kind: 'validation',
  reason: 'invalid_version',
  hint: 'API version or method not accepted',
};
const notFound = (stock?: StockMeaning): CodeMeaning => ({
  kind: 'not_found',
  hint: 'not found',
  stock,
});
const invalid = (stock?: StockMeaning): CodeMeaning => ({
  kind: 'validation',
  reason: 'invalid_parameter',
  hint: 'invalid request',
  stock,
});

/** 36009004 covers credentials and parameters alike (§5); only its message tells them apart. */
export const CATCH_ALL_CODE = 36009004;

const TIKTOK_CODES: ReadonlyMap<number, CodeMeaning> = new Map<number, CodeMeaning>([
  [36009002, rateLimited], // too many requests (§5, §7)
  [
    36009037, // the test-shop (sandbox) quota, per hour (§5): not worth repeating within seconds
    {
      kind: 'rate_limited',
      reason: 'sandbox_hourly_quota',
      hint: 'hourly test-shop (sandbox) quota used up',
    },
  ],
  [36009003, internalError], // internal error: retry
  [36009007, internalError], // gateway timeout: retry
  [105002, { kind: 'auth', reason: 'expired_token', hint: 'access token expired' }],
  // A bad signature means our signer or the configured app secret is wrong; retrying or
  // refreshing cannot fix it, so it is an auth failure the operator must act on.
  [
    106001,
    {
      kind: 'auth',
      reason: 'invalid_signature',
      hint: 'request signature rejected (check the app secret)',
    },
  ],
  [
    36004004,
    {
      kind: 'auth',
      reason: 'invalid_auth_code',
      hint: 'authorization code is invalid, used or expired',
    },
  ],
  [
    36004005,
    {
      kind: 'auth',
      reason: 'invalid_grant',
      hint: 'no authorization matches the code or refresh token',
    },
  ],
  [
    36004001,
    {
      kind: 'auth',
      reason: 'refresh_token_expired',
      hint: 'refresh token expired; the seller must authorize again',
    },
  ],
  [
    105005,
    {
      kind: 'permission',
      reason: 'scope_not_granted',
      hint: 'scope not granted to this app or token',
    },
  ],
  [
    101000,
    {
      kind: 'permission',
      reason: 'shop_not_authorized',
      hint: 'shop not authorized for this token',
    },
  ],
  [36009043, inactive],
  [36009044, inactive],
  [36009033, { kind: 'permission', reason: 'ip_not_allowed', hint: 'caller IP not allow-listed' }],
  [106013, { kind: 'validation', reason: 'missing_shop_cipher', hint: 'shop_cipher missing' }],
  [36009010, badVersion],
  [36009014, badVersion],
  [12052032, notFound('unknown_product')], // product does not exist
  [12019150, notFound()], // product id does not exist
  [12052260, notFound()], // product not found
  [12052048, notFound()], // product not in this shop
  [12052556, notFound('unknown_sku')], // SKU not found
  [12052097, notFound('unknown_warehouse')], // warehouse not found
  [21008111, notFound()], // order or package not owned by this seller
  [28001007, notFound()], // analytics: product not found
  [
    36009009, // invalid path (§5): a wrong path or version, never a missing resource
    { kind: 'invalid_path', hint: 'TikTok Shop does not know the path this gateway called' },
  ],
  [12019109, invalid()], // page size invalid
  [12052180, invalid()], // more than 10 000 search results
  [12019027, invalid()], // too many SKUs in filter
  [12019087, invalid()], // too many SKUs in filter
  [12019008, invalid()], // bad product id
  [12019015, invalid()], // too many SKUs
  [12019120, invalid()], // too many product ids
  [12019028, invalid('warehouse_required')], // update misses one of the SKU's warehouses
  [12019024, invalid('quantity_rejected')], // negative quantity
  [12052055, invalid('quantity_rejected')], // invalid quantity
  [12052553, invalid('duplicate')], // duplicate SKU id
  [12052901, invalid('product_not_active')], // product status forbids the operation
  [28001022, invalid()], // analytics: bad date range
]);

/** 36009004's messages, from the most specific to the most general; the first match wins. */
const CATCH_ALL_RULES: ReadonlyArray<{ matches: (text: string) => boolean; meaning: CodeMeaning }> =
  [
    {
      matches: (text) => text.includes('app_key') || text.includes('app key'),
      meaning: { kind: 'auth', reason: 'invalid_app_key', hint: 'app key not accepted' },
    },
    {
      matches: (text) =>
        text.includes('access_token') ||
        text.includes('access token') ||
        text.includes('x-tts-access-token'),
      meaning: { kind: 'auth', reason: 'invalid_token', hint: 'access token not accepted' },
    },
    {
      matches: (text) => text.includes('timestamp'),
      meaning: {
        kind: 'validation',
        reason: 'clock_skew',
        hint: 'timestamp outside the accepted window; check this server clock (clock skew)',
      },
    },
    {
      matches: (text) =>
        text.includes('shop_cipher') ||
        text.includes('category_asset_cipher') ||
        text.includes('unexpected identifier'),
      meaning: {
        kind: 'validation',
        reason: 'unexpected_shop_cipher',
        hint: 'shop_cipher not accepted for this endpoint',
      },
    },
    {
      matches: (text) => text.includes('version'),
      meaning: { kind: 'validation', reason: 'invalid_version', hint: 'API version not accepted' },
    },
    {
      matches: (text) =>
        /\bsign\b/.test(text) || text.includes("'sign'") || text.includes('signature'),
      meaning: {
        kind: 'auth',
        reason: 'invalid_signature',
        hint: 'request signature missing or rejected',
      },
    },
  ];

const CATCH_ALL_DEFAULT: CodeMeaning = {
  kind: 'validation',
  reason: 'invalid_parameter',
  hint: 'invalid request parameters',
};

/** Unknown codes fall back on the HTTP status, so throttling and outages still behave. */
function meaningOfStatus(status: number): CodeMeaning {
  if (status === 429) return rateLimited;
  if (status >= 500) return { kind: 'server_error', hint: `TikTok Shop answered HTTP ${status}` };
  return { kind: 'unknown', hint: 'TikTok Shop returned an error' };
}

/** What a non-zero code means, given TikTok's message and the HTTP status it came with. */
export function meaningOf(code: number, message: string, status: number): CodeMeaning {
  if (code === CATCH_ALL_CODE) {
    const text = message.toLowerCase();
    return CATCH_ALL_RULES.find((rule) => rule.matches(text))?.meaning ?? CATCH_ALL_DEFAULT;
  }
  return TIKTOK_CODES.get(code) ?? meaningOfStatus(status);
}

/** What `code` says about one SKU of a stock update, if anything (§6.4). */
export function stockMeaningOf(code: number | null): StockMeaning | undefined {
  const meaning = code === null ? undefined : TIKTOK_CODES.get(code);
  return meaning && 'stock' in meaning ? meaning.stock : undefined;
}
