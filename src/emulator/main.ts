// `npm run emulator`: runs the emulator alone, configured from EMULATOR_* variables (and .env).
import { config as loadDotenv } from 'dotenv';
import { DEMO_APP } from './demo-app.js';
import { readEmulatorEnv } from './emulator-env.js';
import { createEmulator } from './server.js';

loadDotenv({ override: false });

const env = readEmulatorEnv(process.env);
if (!env.ok) {
  process.stderr.write(`Emulator configuration is invalid:\n  ${env.problems.join('\n  ')}\n`);
  process.exit(1);
}

let emulator: Awaited<ReturnType<typeof createEmulator>>;
try {
  emulator = await createEmulator(env.options);
} catch (error) {
  process.stderr.write(
    `Emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}

const { url } = emulator;
// The demo secret is public; a secret supplied through the environment is never printed.
const secretLine =
  emulator.appSecret === DEMO_APP.appSecret
    ? `${emulator.appSecret}  (public demo value)`
    : '(from EMULATOR_APP_SECRET, not shown)';
// With no registered redirect URI the page needs an explicit loopback one (docs/emulator.md).
const redirectHint =
  (env.options.redirectUris ?? []).length > 0 ? '' : '&redirect_uri=<http://localhost:…/callback>';
const shopLines = emulator.sellers.flatMap((seller) => [
  `  ${seller.name}  open_id=${seller.openId}`,
  ...seller.shops.map(
    (shop) => `    - ${shop.name} (${shop.region})  id=${shop.id}  cipher=${shop.cipher}`,
  ),
]);
process.stdout.write(
  [
    `TikTok Shop emulator listening on ${url}`,
    '',
    `App key:     ${emulator.appKey}`,
    `App secret:  ${secretLine}`,
    `Service id:  ${emulator.serviceId}`,
    '',
    'Sellers and shops:',
    ...shopLines,
    '',
    `Authorize:   ${url}/oauth/authorize?app_key=${emulator.appKey}&state=<state>${redirectHint}`,
    `Admin:       ${url}/__emulator/requests | counters | faults | tokens | sellers | reset`,
    `             ${url}/__emulator/webhook-deliveries | clock | clock/advance | events`,
    '',
    'Point the gateway at it:',
    `  TIKTOK_SHOP_API_BASE=${url}`,
    `  TIKTOK_SHOP_AUTH_BASE=${url}`,
    `  TIKTOK_SHOP_APP_KEY=${emulator.appKey}  (and TIKTOK_SHOP_APP_SECRET = the app secret)`,
    '',
  ].join('\n'),
);

let isClosing = false;
const stop = (): void => {
  if (isClosing) return;
  isClosing = true;
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
