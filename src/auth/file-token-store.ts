// The default TokenStore: one JSON document, AES-256-GCM encrypted, replaced atomically on write.
import { resolve } from 'node:path';
import { TokenStoreCorruptError } from './errors.js';
import { createStoreDocument } from './file-store-document.js';
import { createRecordCodec } from './token-encryption.js';
import {
  createDocumentBackend,
  createTokenStore,
  EMPTY_STATE,
  type StoredState,
  type TokenStore,
} from './token-store.js';

export const DEFAULT_TOKEN_STORE_PATH = '.data/tokens.json';
const FORMAT = 'tiktok-shop-gateway.tokens';

export interface FileTokenStoreOptions {
  /** File to keep the tokens in. Default `.data/tokens.json`. */
  path?: string;
  /** 32-byte AES key (TOKEN_ENCRYPTION_KEY, see resolveEncryptionKey). */
  encryptionKey: Uint8Array;
  /** Clock for `updatedAt`, ms since the epoch. Default Date.now. */
  now?: () => number;
  /** Longest wait for another process's write lock, ms. Default twice staleLockMs. */
  lockTimeoutMs?: number;
  /**
   * A lock held this long is taken over even though its owner looks alive, ms. Default 30 000.
   * A lock whose owner is gone is taken over at once.
   */
  staleLockMs?: number;
}

function isStoredState(value: unknown): value is StoredState {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { sellers?: unknown }).sellers)
  );
}

/**
 * A TokenStore in one encrypted file (createStoreDocument): mode 0600, a fresh random IV per
 * write, written to a temp file, fsynced and renamed so a crash leaves the old or the new file,
 * never half of one. Other processes on the file (the OAuth CLI next to the gateway) are kept out
 * by `<path>.lock`, which names its owner and is taken over at once when that process is gone;
 * every write re-reads the file first so it never overwrites what another process saved. A file
 * that does not decrypt throws TokenStoreCorruptError on every call; it is never reset.
 */
export function createFileTokenStore(options: FileTokenStoreOptions): TokenStore {
  const path = resolve(options.path ?? DEFAULT_TOKEN_STORE_PATH);
  const codec = createRecordCodec({
    key: options.encryptionKey,
    format: FORMAT,
    isValid: isStoredState,
    corruptError: TokenStoreCorruptError,
  });
  const document = createStoreDocument<StoredState>({
    path,
    empty: EMPTY_STATE,
    decode: (text) => codec.decode(text, path),
    encode: (state) => `${codec.encode(state)}\n`,
    staleLockMs: options.staleLockMs,
    lockTimeoutMs: options.lockTimeoutMs,
  });
  return createTokenStore(createDocumentBackend(document), { now: options.now });
}
