// Where the reconciler keeps, per shop, how far it has searched (issue 13): the contract, an
// in-memory backend (a sandbox, a store passed in) and a file beside the token file, replaced
// whole on each write (createStoreDocument: a crash leaves the old file or the new one). Redis
// keeps them when scaled out (src/redis/redis-reconcile-cursors.ts).
import { resolve } from 'node:path';
import { createEntriesDocument, pathBeside } from '../auth/file-store-document.js';

export interface ReconcileCursor {
  /** The next run searches changes whose update_time is this Unix second or later. */
  sinceSeconds: number;
  /** When the last run for the shop began, ms since the epoch (any replica's). */
  ranAtMs: number;
}

export interface ReconcileCursorStore {
  /** The shop's cursor; undefined before its first run. */
  read(shopId: string): Promise<ReconcileCursor | undefined>;
  write(shopId: string, cursor: ReconcileCursor): Promise<void>;
}

export function createMemoryReconcileCursors(): ReconcileCursorStore {
  const cursors = new Map<string, ReconcileCursor>();
  return {
    read: async (shopId) => cursors.get(shopId),
    async write(shopId, cursor) {
      cursors.set(shopId, { ...cursor });
    },
  };
}

const FORMAT = 'tiktok-shop-gateway.reconcile-cursors';

/** A cursor as stored: two whole numbers. */
export function isReconcileCursor(value: unknown): value is ReconcileCursor {
  const { sinceSeconds, ranAtMs } = (value ?? {}) as Partial<ReconcileCursor>;
  return Number.isSafeInteger(sinceSeconds) && Number.isSafeInteger(ranAtMs);
}

/** The cursor file beside a token file: `.data/tokens.json` → `.data/tokens.reconcile-cursors.json`. */
export function reconcileCursorsPathBeside(tokenStorePath: string): string {
  return pathBeside(tokenStorePath, 'reconcile-cursors');
}

/** Cursors in the file beside the token file (plain JSON, mode 0600: shop ids and times only). */
export function createFileReconcileCursors(options: {
  /** The token file (TOKEN_STORE_PATH) the cursors are kept beside. */
  tokenStorePath: string;
}): ReconcileCursorStore {
  const path = resolve(reconcileCursorsPathBeside(options.tokenStorePath));
  // Not reset when it is not one: an operator who moves it away restarts every shop from one
  // interval back.
  const document = createEntriesDocument<ReconcileCursor>({
    path,
    format: FORMAT,
    field: 'cursors',
    isEntry: isReconcileCursor,
    what: 'a reconciler cursor file',
  });
  return {
    read: async (shopId) => (await document.read())[shopId],
    write: (shopId, cursor) =>
      document.update((cursors) => ({
        state: { ...cursors, [shopId]: cursor },
        result: undefined,
      })),
  };
}
