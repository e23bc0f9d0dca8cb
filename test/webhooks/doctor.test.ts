// `npm run doctor` (a child process) reads what the webhooks wrote to the token file (issue 13): an
// upcoming authorisation expiry is a ⚠ line, a deauthorisation a ✗ line and exit code 1.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningCli, runCli, statusLines } from '../cli/run-cli.js';
import { REPLICA_ENCRYPTION_KEY, startReplica } from '../helpers/scale-out.js';
import { deliveryBody, serveWebhooks, startSellerFile } from './helpers.js';

describe('npm run doctor after authorisation webhooks', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('warns of an upcoming expiry, and fails on a deauthorised seller', async () => {
    const { emulator, tokenStorePath, file, shopId } = await startSellerFile(cleanups);
    const replica = await startReplica({
      emulator,
      name: 'doctor',
      redisUrl: null,
      keyPrefix: '',
      tokenStorePath,
      defaultShopId: shopId,
    });
    cleanups.push(() => replica.close());
    const target = await serveWebhooks(replica.stack);
    cleanups.push(() => target.close());
    const doctor = async () => {
      const cli: RunningCli = runCli('doctor', [], {
        TIKTOK_SHOP_APP_KEY: emulator.appKey,
        TIKTOK_SHOP_APP_SECRET: emulator.appSecret,
        TIKTOK_SHOP_API_BASE: emulator.url,
        TIKTOK_SHOP_AUTH_BASE: emulator.url,
        TIKTOK_SHOP_SHOP_ID: shopId,
        TOKEN_ENCRYPTION_KEY: REPLICA_ENCRYPTION_KEY,
        TOKEN_STORE_PATH: tokenStorePath,
      });
      cleanups.push(() => cli.cleanup());
      return { code: await cli.exited, output: cli.output() };
    };

    const expiresAt = Math.floor(Date.now() / 1000) + 5 * 86_400;
    await target.deliver(
      deliveryBody({ type: 7, shopId, data: { message: 'expires', expiration_time: expiresAt } }),
    );
    await target.settled();
    const warned = await doctor();
    expect(warned.code).toBe(0);
    const expiry = new Date(expiresAt * 1000).toISOString().replace('.000Z', 'Z');
    expect(warned.output).toMatch(
      new RegExp(
        `^⚠ Authorisation: seller ${file.seller.name} .*expires ${expiry} \\(in 5\\.0 days\\)`,
        'm',
      ),
    );
    expect(statusLines(warned.output).every((line) => line.ok)).toBe(true);

    await target.deliver(deliveryBody({ type: 6, shopId, data: { message: 'deauthorised' } }));
    await target.settled();
    const failed = await doctor();
    expect(failed.code).toBe(1);
    expect(statusLines(failed.output)).toContainEqual({ ok: false, label: 'Authorisation' });
    expect(failed.output).toMatch(
      /^✗ Authorisation: seller .* deauthorised the app at .*answer UNAUTHENTICATED.*npm run oauth/m,
    );
  }, 90_000);
});
