// The §8 webhook signature, written from the protocol notes alone (the gateway's verifier must
// agree with it without sharing code).
import { createHmac } from 'node:crypto';

/** `Authorization` of a delivery: lowercase hex HMAC-SHA256, key app_secret, over app_key + body. */
export function signWebhook(appKey: string, appSecret: string, body: string): string {
  return createHmac('sha256', appSecret)
    .update(Buffer.concat([Buffer.from(appKey, 'utf8'), Buffer.from(body, 'utf8')]))
    .digest('hex');
}
