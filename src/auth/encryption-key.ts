// TOKEN_ENCRYPTION_KEY: parsing, the sandbox key file, and keys derived from it.
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EncryptionKeyError } from './errors.js';

export const ENCRYPTION_KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;
const GENERATE_HINT = 'generate one with `openssl rand -hex 32`';

/**
 * Parses a 32-byte key given as 64 hex characters or as base64 (standard or URL-safe). Throws
 * EncryptionKeyError naming `variable`, never the value.
 */
export function parseEncryptionKey(text: string, variable = 'TOKEN_ENCRYPTION_KEY'): Buffer {
  const value = text.trim();
  if (HEX_KEY.test(value)) return Buffer.from(value, 'hex');
  if (BASE64_KEY.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === ENCRYPTION_KEY_BYTES) return key;
  }
  throw new EncryptionKeyError(
    `${variable} must be 32 bytes written as 64 hex characters or base64 (${GENERATE_HINT})`,
  );
}

export interface ResolvedEncryptionKey {
  key: Buffer;
  /** `environment`: TOKEN_ENCRYPTION_KEY; `file`: an earlier sandbox key; `generated`: new now. */
  source: 'environment' | 'file' | 'generated';
  /** The sandbox key file, when one was read or written. */
  path?: string;
}

/**
 * The key for the token store. TOKEN_ENCRYPTION_KEY wins. Without it, sandbox mode keeps a key
 * in `<dataDir>/encryption.key` (created 0600 on first run) so local tokens survive restarts;
 * tiktok mode refuses, because a key the operator does not hold would lock real tokens away
 * with the machine.
 */
export async function resolveEncryptionKey(options: {
  mode: 'sandbox' | 'tiktok';
  /** TOKEN_ENCRYPTION_KEY as the settings decoded it (AuthConfig.tokenEncryptionKey). */
  configured: Buffer | undefined;
  /** Directory of the sandbox key file. Default `.data`. */
  dataDir?: string;
}): Promise<ResolvedEncryptionKey> {
  if (options.configured) return { key: options.configured, source: 'environment' };

  if (options.mode !== 'sandbox') {
    throw new EncryptionKeyError(
      'TOKEN_ENCRYPTION_KEY is not set. Seller tokens are stored encrypted with it: ' +
        `${GENERATE_HINT}, set it in the environment and keep it safe (tokens saved under one ` +
        'key cannot be read with another)',
    );
  }

  const dataDir = options.dataDir ?? '.data';
  const path = join(dataDir, 'encryption.key');
  try {
    const text = await readFile(path, 'utf8');
    return { key: parseEncryptionKey(text, path), source: 'file', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(ENCRYPTION_KEY_BYTES);
  try {
    // 'wx': another process starting at the same moment must not overwrite the key we keep.
    await writeFile(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const text = await readFile(path, 'utf8');
    return { key: parseEncryptionKey(text, path), source: 'file', path };
  }
  return { key, source: 'generated', path };
}

/**
 * A subkey for one purpose (HKDF-SHA256), so the one secret the operator manages can also sign
 * OAuth state without the two uses sharing a key.
 */
export function deriveKey(key: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), purpose, ENCRYPTION_KEY_BYTES));
}
