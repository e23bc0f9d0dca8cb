// Test-side request signer written straight from docs/tiktok-shop-api.md §4 with node:crypto, so
// the emulator's verifier is checked against an independent implementation.
import { createHmac } from 'node:crypto';

export function signTikTok(
  appSecret: string,
  path: string,
  query: Record<string, string>,
  body: string | Buffer = '',
): string {
  let text = path;
  for (const key of Object.keys(query).sort()) {
    if (key === 'sign' || key === 'access_token') continue;
    text += key + query[key];
  }
  const message = Buffer.concat([
    Buffer.from(appSecret + text, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    Buffer.from(appSecret, 'utf8'),
  ]);
  return createHmac('sha256', appSecret).update(message).digest('hex');
}
