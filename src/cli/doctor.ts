// `npm run doctor`: the setup guide's Step 5 ("Validate integration") as one ✓/✗ line per check,
// against TikTok or, without credentials, the in-process emulator. Exits 1 when any check fails.
import { parseArgs } from 'node:util';
import { type App, createApp } from '../app.js';
import type { SellerRecord } from '../auth/token-store.js';
import { signRequest } from '../datasources/tiktok/signer.js';
import type { AuthorizedShop, ShopSession } from '../datasources/tiktok/types.js';
import { createReport, describeExpiry, loadCliSettings, reasonOf, runMain } from './support.js';

const USAGE = `Usage: npm run doctor -- [--shop <id>]

Checks the setup (guide Step 5): config, request signing, the seller token, authorised shops,
5 products, 5 orders and the last 7 days of analytics. One ✓/✗ line each; exit code 1 on any ✗.
A seller that deauthorised the app (webhook) is a ✗ too; an upcoming expiry a ⚠ line.
Without TIKTOK_SHOP_APP_KEY it checks against the built-in emulator (sandbox mode).

Options:
  --shop <id>  shop to read (default TIKTOK_SHOP_SHOP_ID, else the first authorised shop)
  --help       this text`;

/**
 * §4 worked by hand: POST /product/202309/products/search with app_key=abc123,
 * timestamp=1700000000, shop_cipher=ROW_Xt9qAAAA, page_size=5, body {"status":"ACTIVATE"},
 * secret test_secret_5f2a. `sign` and `access_token` are left out; keys in byte order; the body
 * appended; wrapped in the secret. Expected value computed with
 * `printf '%s' "$S$P$S" | openssl dgst -sha256 -hmac "$S"`.
 */
const SIGNATURE_VECTOR = {
  appSecret: 'test_secret_5f2a',
  path: '/product/202309/products/search',
  query: {
    timestamp: '1700000000',
    shop_cipher: 'ROW_Xt9qAAAA',
    page_size: '5',
    app_key: 'abc123',
    sign: 'not-signed',
    access_token: 'not-signed',
  },
  body: '{"status":"ACTIVATE"}',
  expected: '0a693fe46922db5d01ea5075857f78ab745ec06383273a916a99e47a4797d577',
};

const DAY_MS = 86_400_000;

function lastSevenDays(nowMs: number) {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { startDateGe: day(today - 7 * DAY_MS), endDateLt: day(today) };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { shop: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const report = createReport();
  report.info('TikTok Shop integration check (setup guide Step 5)\n');

  let app: App;
  try {
    app = await createApp(loadCliSettings(), {
      redirectUri: 'http://127.0.0.1/oauth/callback',
      sandbox: { name: 'doctor', scale: 0.2 },
    });
  } catch (error) {
    report.fail('Config', reasonOf(error));
    return 1;
  }
  const { settings, client, sellers, sandbox } = app;
  if (sandbox) {
    report.ok(
      'Config',
      `sandbox mode (no TIKTOK_SHOP_APP_KEY): emulator at ${sandbox.emulator.url}, demo seller ` +
        `authorised through its authorize page; tokens in ${app.tokenStorePath}`,
    );
  } else {
    report.ok(
      'Config',
      `TikTok mode: app key ${settings.credentials?.appKey}, API ${settings.apiBase}, auth ` +
        `${settings.authBase}; tokens in ${app.tokenStorePath ?? 'Redis'}` +
        (app.seeded?.seeded ? ' (seeded from TIKTOK_SHOP_ACCESS_TOKEN)' : ''),
    );
  }

  try {
    const sign = signRequest(SIGNATURE_VECTOR);
    if (sign === SIGNATURE_VECTOR.expected) {
      report.ok('Signature', 'self-test matches the hand-worked §4 vector');
    } else {
      report.fail(
        'Signature',
        `self-test gave ${sign.slice(0, 12)}…, expected ${SIGNATURE_VECTOR.expected.slice(0, 12)}…`,
      );
    }

    const shopId = values.shop ?? settings.defaultShopId;
    let seller: SellerRecord | undefined;
    try {
      seller = await sellers.tokens.sellerFor(shopId);
      await sellers.tokens.getAccessToken(shopId);
      seller = (await sellers.store.getSeller(seller.openId)) ?? seller;
      const { accessTokenExpiresAt, refreshTokenExpiresAt } = seller.tokens;
      report.ok(
        'Token',
        accessTokenExpiresAt === null
          ? `seller ${seller.name || seller.openId}: access token stored, expiry unknown ` +
              '(seeded from TIKTOK_SHOP_ACCESS_TOKEN; the calls below prove it)'
          : `seller ${seller.name || seller.openId}: access token valid until ` +
              `${describeExpiry(accessTokenExpiresAt)}; refresh token until ` +
              `${describeExpiry(refreshTokenExpiresAt)}`,
      );
    } catch (error) {
      report.fail('Token', reasonOf(error));
    }

    await checkAuthorizationNotices(app, report);

    let shop: AuthorizedShop | undefined;
    if (seller) {
      try {
        const shops = await app.listShops(sellers.tokens.credentialsFor(seller));
        shop = shopId === undefined ? shops[0] : shops.find((candidate) => candidate.id === shopId);
        if (!shop) {
          report.fail('Authorised shops', `${shops.length} shop(s), none is ${shopId ?? 'usable'}`);
        } else {
          report.ok(
            'Authorised shops',
            shops.map((entry) => `${entry.name} ${entry.id} (${entry.region})`).join(', '),
          );
        }
      } catch (error) {
        report.fail('Authorised shops', reasonOf(error));
      }
    } else {
      report.fail('Authorised shops', 'skipped: no usable seller token');
    }

    const checks: Array<[string, (target: ShopSession) => Promise<string>]> = [
      [
        'Products',
        async (target) => {
          const page = await client.searchProducts(target, { pageSize: 5 });
          return `${page.items.length} of ${page.totalCount} read${page.items[0] ? `, e.g. "${page.items[0].title}"` : ''}`;
        },
      ],
      [
        'Orders',
        async (target) => {
          const page = await client.searchOrders(target, { pageSize: 5 });
          return `${page.items.length} of ${page.totalCount} read${page.items[0] ? `, newest ${page.items[0].id} (${page.items[0].status})` : ''}`;
        },
      ],
      [
        'Analytics',
        async (target) => {
          const range = lastSevenDays(Date.now());
          const performance = await client.getShopPerformance(target, { range });
          const interval = performance.intervals[0];
          return interval
            ? `last 7 days (${range.startDateGe} to ${range.endDateLt}, end exclusive): GMV ${interval.gmv.amount} ${interval.gmv.currency}, ${interval.orders} orders`
            : `last 7 days: no data (latest available ${performance.latestAvailableDate ?? 'unknown'})`;
        },
      ],
    ];
    for (const [label, run] of checks) {
      if (!shop) {
        report.fail(label, 'skipped: no authorised shop to read');
        continue;
      }
      try {
        report.ok(label, await run(await sellers.tokens.sessionFor(shop)));
      } catch (error) {
        report.fail(label, reasonOf(error));
      }
    }
  } finally {
    await app.close();
  }
  report.info(
    report.failures === 0 ? '\nAll checks passed.' : `\n${report.failures} check(s) failed.`,
  );
  return report.failures === 0 ? 0 : 1;
}

/** What TikTok's webhooks said about the sellers (issue 13): one line per seller concerned. */
async function checkAuthorizationNotices(app: App, report: ReturnType<typeof createReport>) {
  try {
    for (const warning of await app.authorizationWarnings()) {
      const who = `seller ${warning.sellerName || warning.openId} (shops ${warning.shopIds.join(', ') || 'none'})`;
      if (warning.deauthorizedAt) {
        report.fail(
          'Authorisation',
          `${who} deauthorised the app at ${warning.deauthorizedAt} (SELLER_DEAUTHORIZATION ` +
            'webhook): its shops answer UNAUTHENTICATED until it authorises again (npm run oauth)',
        );
      } else if (warning.expiresAt) {
        report.warn(
          'Authorisation',
          `${who}: the authorisation expires ${describeExpiry(Date.parse(warning.expiresAt) / 1000)} ` +
            '(UPCOMING_AUTHORIZATION_EXPIRATION webhook): have the seller authorise again before ' +
            'then (npm run oauth)',
        );
      }
    }
  } catch (error) {
    report.fail('Authorisation', reasonOf(error));
  }
}

runMain(main);
