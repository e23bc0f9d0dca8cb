// Pure request and webhook signing for TikTok Shop (protocol notes §4 and §8).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Query keys never signed: §4 step 1, plus the stray header-named key one SDK drops. */
const UNSIGNED_QUERY_KEYS = new Set(['sign', 'access_token', 'x-tts-access-token']);

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The string §4 wraps and signs: path, then `key + value` for every signed query parameter in
 * byte order, then the body exactly as sent. An undefined or empty body appends nothing; `{}` is
 * appended like any other body (we sign the bytes we send).
 */
export function stringToSign(input: {
  path: string;
  query: Record<string, string>;
  body?: string;
}): string {
  const keys = Object.keys(input.query)
    .filter((key) => !UNSIGNED_QUERY_KEYS.has(key))
    .sort(compareBytes);
  let text = input.path;
  for (const key of keys) text += key + input.query[key];
  if (input.body !== undefined && input.body !== '') text += input.body;
  return text;
}

/** §4: lowercase hex HMAC-SHA256 of `secret + stringToSign + secret`, keyed by the app secret. */
export function signRequest(input: {
  appSecret: string;
  path: string;
  query: Record<string, string>;
  body?: string;
}): string {
  const wrapped = input.appSecret + stringToSign(input) + input.appSecret;
  return createHmac('sha256', input.appSecret).update(wrapped, 'utf8').digest('hex');
}

/** §8: the `Authorization` value TikTok sends with a webhook: HMAC(secret, appKey + rawBody). */
export function signWebhook(input: { appKey: string; appSecret: string; rawBody: string }): string {
  return createHmac('sha256', input.appSecret)
    .update(input.appKey + input.rawBody, 'utf8')
    .digest('hex');
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * Checks a webhook `Authorization` header in constant time. Returns false, never throws, for a
 * signature of the wrong length, non-hex text or a non-string.
 */
export function verifyWebhook(input: {
  appKey: string;
  appSecret: string;
  rawBody: string;
  signature: string;
}): boolean {
  const { signature } = input;
  if (typeof signature !== 'string' || !HEX_SHA256.test(signature.trim())) return false;
  const expected = Buffer.from(signWebhook(input), 'hex');
  const given = Buffer.from(signature.trim(), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
