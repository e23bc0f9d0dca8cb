// The last thing before exit (issue 12): seller tokens TikTok handed out that have not reached the
// store yet. Their refresh token or code is spent, so losing them makes the seller re-authorise:
// wait for refreshes under way, then write back the saves the token manager keeps (a failed
// save, issue 10) and those the Redis store holds from an outage (issue #6), again and again with
// backoff until they are stored or the deadline passes.
import type { TokenManager } from './auth/token-manager.js';

/** Saves a store took while its backend was down (the Redis token store's outage cache). */
export interface HeldWrites {
  readonly pendingWrites: number;
  /** Writes them back; rejects while the backend is still down. */
  sync(): Promise<void>;
}

export interface FlushTokenWritesInput {
  tokens: Pick<TokenManager, 'saves' | 'settled'>;
  /** The Redis token store, when scaled out. */
  held?: HeldWrites | undefined;
  /** Stop retrying at this time, ms since the epoch; one attempt is always made. */
  untilMs: number;
  /** Pause after the first failed round, ms; doubles per round. Default 100. */
  retryBaseMs?: number;
  /** Longest pause between rounds, ms. Default 1 000. */
  retryMaxMs?: number;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

export interface FlushTokenWritesResult {
  /** Keys of token saves still not stored (the token manager's `refresh:<openId>`, …). */
  unsaved: string[];
  /** Saves the Redis store still holds. */
  heldWrites: number;
  /** Rounds tried. */
  rounds: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function flushTokenWrites(
  input: FlushTokenWritesInput,
): Promise<FlushTokenWritesResult> {
  const { tokens, held, untilMs } = input;
  const now = input.now ?? Date.now;
  const retryBaseMs = input.retryBaseMs ?? 100;
  const retryMaxMs = input.retryMaxMs ?? 1_000;
  // A refresh under way ends in a save (or a kept one); it may wait on the auth host, so bounded.
  let deadline: NodeJS.Timeout | undefined;
  await Promise.race([
    tokens.settled(),
    new Promise<void>((resolve) => {
      deadline = setTimeout(resolve, Math.max(0, untilMs - now()));
    }),
  ]);
  clearTimeout(deadline);
  for (let rounds = 1; ; rounds += 1) {
    const unsaved = await tokens.saves.flush();
    if (held && held.pendingWrites > 0) await held.sync().catch(() => undefined);
    const heldWrites = held?.pendingWrites ?? 0;
    const leftMs = untilMs - now();
    if ((unsaved.length === 0 && heldWrites === 0) || leftMs <= 0) {
      return { unsaved, heldWrites, rounds };
    }
    await sleep(Math.min(leftMs, retryMaxMs, retryBaseMs * 2 ** (rounds - 1)));
  }
}
