// Request signature check for API-host calls (§4), written from the protocol notes alone.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Query keys never signed (§4 step 1). */
const UNSIGNED_KEYS = new Set(['sign', 'access_token']);

export interface SignatureInput {
  /** Path exactly as it appears in the request line, without `?` and query. */
  path: string;
  /** Decoded query parameters as received, one value per key. */
  query: Record<string, string>;
  /** Raw body bytes as received; empty when there is no body. */
  body: Uint8Array;
}

/**
 * The string-to-sign before wrapping (§4 steps 1–5): path, then `key + value` for every query
 * parameter except `sign` and `access_token` in ascending byte order, then the raw body bytes.
 */
export function buildStringToSign(input: SignatureInput): Buffer {
  const keys = Object.keys(input.query)
    .filter((key) => !UNSIGNED_KEYS.has(key))
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const head = input.path + keys.map((key) => key + input.query[key]).join('');
  return Buffer.concat([Buffer.from(head, 'utf8'), input.body]);
}

/** HMAC-SHA256 keyed by the secret over `secret + stringToSign + secret`, lowercase hex (§4 6–7). */
export function computeSignature(appSecret: string, input: SignatureInput): string {
  const secret = Buffer.from(appSecret, 'utf8');
  return createHmac('sha256', secret)
    .update(Buffer.concat([secret, buildStringToSign(input), secret]))
    .digest('hex');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'mismatch' };

/** Compares the received `sign` with the expected one in constant time. */
export function verifySignature(
  appSecret: string,
  input: SignatureInput,
  receivedSign: string,
): SignatureCheck {
  const expected = Buffer.from(computeSignature(appSecret, input), 'utf8');
  const received = Buffer.from(receivedSign, 'utf8');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true };
}
