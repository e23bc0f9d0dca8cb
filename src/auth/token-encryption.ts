// AES-256-GCM envelopes for stored seller tokens, and the one codec (JSON in an envelope) that
// the file store and the Redis store both write and read through.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { ENCRYPTION_KEY_BYTES } from './encryption-key.js';
import { EncryptionKeyError, type TokenStoreCorruptReason } from './errors.js';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const FORMAT_VERSION = 1;

/** The JSON text written to storage: an authenticated header plus the encrypted data. */
interface Envelope {
  format: string;
  version: number;
  cipher: string;
  /** HMAC of a constant under the key: tells "wrong key" from "altered data" without the key. */
  keyCheck: string;
  iv: string;
  tag: string;
  data: string;
}

type DecryptResult =
  | { ok: true; plain: string }
  | { ok: false; reason: TokenStoreCorruptReason; cause?: unknown };

interface TokenCipher {
  /**
   * Encrypts `plain` into a JSON envelope with a fresh random IV. `context` (e.g. the record's
   * storage key) is authenticated but not stored: decrypting under another context fails, so a
   * ciphertext cannot be moved to another place unnoticed.
   */
  encrypt(plain: string, context?: string): string;
  /** The plain text, or why the envelope cannot be read (never throws). */
  decrypt(text: string, context?: string): DecryptResult;
}

/** A cipher for one key and one envelope `format` name. */
function createTokenCipher(key: Uint8Array, format: string): TokenCipher {
  const keyBytes = Buffer.from(key);
  if (keyBytes.length !== ENCRYPTION_KEY_BYTES) {
    throw new EncryptionKeyError(`The token store key must be ${ENCRYPTION_KEY_BYTES} bytes`);
  }
  const keyCheck = createHmac('sha256', keyBytes)
    .update('tiktok-shop-gateway token store key check')
    .digest('hex')
    .slice(0, 16);

  // The header is authenticated too, so editing it fails like editing the data.
  const additionalData = (header: object, context: string | undefined) =>
    Buffer.from(context === undefined ? JSON.stringify(header) : JSON.stringify([header, context]));

  return {
    encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const header = { format, version: FORMAT_VERSION, cipher: CIPHER, keyCheck };
      const cipher = createCipheriv(CIPHER, keyBytes, iv);
      cipher.setAAD(additionalData(header, context));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const envelope: Envelope = {
        ...header,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      return JSON.stringify(envelope);
    },

    decrypt(text, context) {
      let envelope: Envelope;
      try {
        envelope = JSON.parse(text) as Envelope;
      } catch (error) {
        return { ok: false, reason: 'unreadable', cause: error };
      }
      if (
        typeof envelope !== 'object' ||
        envelope === null ||
        envelope.format !== format ||
        envelope.version !== FORMAT_VERSION ||
        envelope.cipher !== CIPHER ||
        ![envelope.keyCheck, envelope.iv, envelope.tag, envelope.data].every(
          (field) => typeof field === 'string',
        )
      ) {
        return { ok: false, reason: 'unreadable' };
      }
      if (envelope.keyCheck !== keyCheck) return { ok: false, reason: 'wrong_key' };
      const header = {
        format: envelope.format,
        version: envelope.version,
        cipher: envelope.cipher,
        keyCheck: envelope.keyCheck,
      };
      try {
        const decipher = createDecipheriv(CIPHER, keyBytes, Buffer.from(envelope.iv, 'base64'));
        decipher.setAAD(additionalData(header, context));
        decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
        const plain = Buffer.concat([
          decipher.update(Buffer.from(envelope.data, 'base64')),
          decipher.final(),
        ]).toString('utf8');
        return { ok: true, plain };
      } catch (error) {
        return { ok: false, reason: 'altered', cause: error };
      }
    },
  };
}

/** How a store reports data it cannot read back; `subject` names where it lives (path, open_id). */
export type TokenStoreCorruptErrorClass = new (
  subject: string,
  reason: TokenStoreCorruptReason,
  options?: { cause?: unknown },
) => Error;

export interface RecordCodec<T> {
  /** `value` as JSON in an envelope; `context` is authenticated, not stored (see TokenCipher). */
  encode(value: T, context?: string): string;
  /** The value in `text`; throws the store's corrupt error for `subject` when it is not one. */
  decode(text: string, subject: string, context?: string): T;
}

export interface RecordCodecOptions<T> {
  /** 32-byte AES key (TOKEN_ENCRYPTION_KEY). */
  key: Uint8Array;
  /**
   * Envelope format name: each store picks its own (`tiktok-shop-gateway.tokens` for the file,
   * `tiktok-shop-gateway.redis-seller` for Redis) so their envelopes cannot be mistaken for each
   * other.
   */
  format: string;
  /** Whether decrypted JSON is a `T` stored for `subject`. */
  isValid: (value: unknown, subject: string) => value is T;
  /** The TokenStoreCorruptError (sub)class the store throws. */
  corruptError: TokenStoreCorruptErrorClass;
}

/**
 * Encrypted JSON for one store. A value that does not decrypt, does not parse or is not a `T`
 * throws `corruptError`; a store never resets what it cannot read.
 */
export function createRecordCodec<T>(options: RecordCodecOptions<T>): RecordCodec<T> {
  const cipher = createTokenCipher(options.key, options.format);
  const { isValid, corruptError: CorruptError } = options;
  return {
    encode(value, context) {
      return cipher.encrypt(JSON.stringify(value), context);
    },

    decode(text, subject, context) {
      const decrypted = cipher.decrypt(text, context);
      if (!decrypted.ok) {
        throw new CorruptError(
          subject,
          decrypted.reason,
          decrypted.cause === undefined ? undefined : { cause: decrypted.cause },
        );
      }
      let value: unknown;
      try {
        value = JSON.parse(decrypted.plain);
      } catch (error) {
        throw new CorruptError(subject, 'altered', { cause: error });
      }
      if (!isValid(value, subject)) throw new CorruptError(subject, 'altered');
      return value;
    },
  };
}
