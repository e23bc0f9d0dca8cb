// Authorization codes from the authorize page (§2.1): single-use, valid 30 minutes.
import { randomBytes } from 'node:crypto';

/** Lifetime of an auth code, seconds (§2.1). */
export const AUTH_CODE_TTL_SECONDS = 30 * 60;

export type AuthCodeResult =
  | { ok: true; openId: string; scopes: string[] }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface AuthCodeStore {
  issue(input: { openId: string; scopes: string[] }): string;
  /** Redeems a code once; any later attempt fails with `used`. */
  consume(code: string): AuthCodeResult;
}

interface CodeRecord {
  openId: string;
  scopes: string[];
  expiresAtMs: number;
  isUsed: boolean;
}

/** @param now Emulator clock, ms since the epoch. */
export function createAuthCodeStore(now: () => number): AuthCodeStore {
  const codes = new Map<string, CodeRecord>();

  // Records are kept a while past expiry so a late reuse still reads as `used`, then dropped.
  function sweep(): void {
    const cutoffMs = now() - AUTH_CODE_TTL_SECONDS * 1000;
    for (const [code, record] of codes) {
      if (record.expiresAtMs < cutoffMs) codes.delete(code);
    }
  }

  return {
    issue({ openId, scopes }) {
      sweep();
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        openId,
        scopes: [...scopes],
        expiresAtMs: now() + AUTH_CODE_TTL_SECONDS * 1000,
        isUsed: false,
      });
      return code;
    },
    consume(code) {
      const record = codes.get(code);
      if (!record) return { ok: false, reason: 'unknown' };
      if (record.isUsed) return { ok: false, reason: 'used' };
      record.isUsed = true;
      if (now() >= record.expiresAtMs) return { ok: false, reason: 'expired' };
      return { ok: true, openId: record.openId, scopes: [...record.scopes] };
    },
  };
}
