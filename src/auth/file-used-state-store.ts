// Used OAuth states that survive a restart (issue 10): a small file beside the token file, kept
// like it (createStoreDocument), so a `state` used once is refused until it expires, whichever
// process or start of the gateway sees it again.
import { resolve } from 'node:path';
import { createEntriesDocument, pathBeside } from './file-store-document.js';
import type { UsedStateStore } from './oauth.js';

/** The file's format tag; its entries are used nonces and when their state expires, ms. */
const FORMAT = 'tiktok-shop-gateway.oauth-states';

/** The used-state file beside a token file: `.data/tokens.json` → `.data/tokens.oauth-states.json`. */
export function usedStatesPathBeside(tokenStorePath: string): string {
  return pathBeside(tokenStorePath, 'oauth-states');
}

/**
 * A UsedStateStore in the file beside the token file (usedStatesPathBeside). The nonces are not secret
 * (they only make a state single-use), so the file is plain JSON, mode 0600. Entries are pruned
 * once their state has expired.
 */
export function createFileUsedStateStore(options: {
  /** The token file (TOKEN_STORE_PATH) the used states are kept beside. */
  tokenStorePath: string;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: (() => number) | undefined;
}): UsedStateStore {
  const path = resolve(usedStatesPathBeside(options.tokenStorePath));
  const now = options.now ?? Date.now;
  // Never reset when it is not one: that would accept the states it holds again. Moving it away
  // does that once.
  const document = createEntriesDocument<number>({
    path,
    format: FORMAT,
    field: 'used',
    isEntry: (expiry): expiry is number => typeof expiry === 'number',
    what: 'a used OAuth state file',
  });
  return {
    markUsed(nonce, expiresAtMs) {
      return document.update((used) => {
        const nowMs = now();
        const live = Object.entries(used).filter(([, expiry]) => expiry > nowMs);
        if (live.some(([key]) => key === nonce)) return { state: used, result: false };
        return { state: Object.fromEntries([...live, [nonce, expiresAtMs]]), result: true };
      });
    },
  };
}
