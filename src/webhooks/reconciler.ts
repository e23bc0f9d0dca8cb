// The reconciler for missed deliveries (issue 13): TikTok does not guarantee a webhook (§8: "poll as
// well"), so every interval each authorised shop's orders and products updated since its cursor
// are searched (`update_time_ge`, every page), and a change no webhook reported is published
// through the webhooks' own processor: the same event shape, the same evictions, deduplicated
// against delivered events by object and update_time (update-order.ts). Its calls take the
// lowest priority in the rate limiter (idle-slot.ts), so a caller never waits behind them; one
// replica at a time reconciles a shop (the lock), and consecutive runs of a shop, on any replica,
// are at least 90 % of an interval apart (the cursor's `ranAtMs`).
import type { ShopOwner } from '../auth/seller-auth.js';
import type { SellerRecord } from '../auth/token-store.js';
import { TikTokShopRateLimitError } from '../datasources/tiktok/errors.js';
import { forEachLimited } from '../datasources/tiktok/for-each-limited.js';
import type {
  Page,
  SellerCredentials,
  ShopSession,
  TikTokShopClient,
} from '../datasources/tiktok/types.js';
import type { Logger } from '../logger.js';
import type { EventProcessor } from './event-processor.js';
import type { ReconcileCursorStore } from './reconcile-cursors.js';
import { orderEvent, productEvent } from './reconciled-events.js';
import type { TikTokEvent } from './tiktok-event.js';

/** Largest page both searches take (§6.1, §6.6): fewest calls. */
const PAGE_SIZE = 100;
/** Shops reconciled at once: each has its own budget, and a pass over many must fit an interval. */
const SHOPS_AT_ONCE = 4;
/**
 * Each run searches again from this many seconds before the last one began: a change TikTok
 * stamped just before a run but could not find until after it, or a clock slightly behind
 * TikTok's, is still found. The gateway's margin, not a TikTok figure; what is found twice is
 * published once (update-order.ts).
 */
const OVERLAP_SECONDS = 2;
/** A shop reconciled less than this share of an interval ago (by any replica) is left alone. */
const RECENT_SHARE = 0.9;
/** How long a run may wait for idle slots, at least, ms: a shop busy with callers defers it. */
const MIN_RUN_DEADLINE_MS = 30_000;
/** Shop runs kept for recentRuns(). */
const KEPT_RUNS = 100;

/** One replica at a time per shop. */
export interface ReconcileLock {
  /**
   * Runs `work` holding the shop's lock. `held`: another replica holds it (work not run);
   * `unavailable`: whether one does cannot be told (Redis down; not run either).
   */
  runAlone(shopId: string, work: () => Promise<void>): Promise<'ran' | 'held' | 'unavailable'>;
}

/** One process reconciles every shop: there is nobody to exclude. */
const IN_PROCESS_LOCK: ReconcileLock = {
  async runAlone(_shopId, work) {
    await work();
    return 'ran';
  },
};

export type ShopRunOutcome =
  /** Searched; the cursor moved on. */
  | 'ran'
  /** Another replica holds the shop's lock. */
  | 'held'
  /** The shop was reconciled less than 90 % of an interval ago (by another replica). */
  | 'recent'
  /** The lock could not be taken: Redis does not answer. */
  | 'unavailable'
  /** Callers kept the shop's bucket busy until the run's deadline; the next interval tries again. */
  | 'deferred'
  /** Stopped by close() or the drain. */
  | 'stopped'
  | 'failed';

/** What one run did for one shop (the log line, recentRuns()). */
export interface ShopRun {
  shopId: string;
  outcome: ShopRunOutcome;
  /** When it began, ms since the epoch: for a run that searched, the `ranAtMs` it stamped. */
  startedAtMs: number;
  /** The cursor it searched from, Unix seconds; null when it did not search. */
  sinceSeconds: number | null;
  /** Search calls it sent (one per page). */
  calls: number;
  /** Orders and products updated since the cursor. */
  changes: number;
  /** Events it published: changes no webhook, and no earlier run, reported. */
  events: number;
  /** Why it failed (a TikTok error's message: no secret). */
  error?: string;
}

export interface ReconcilerCounts {
  /** Passes over every shop. */
  passes: number;
  calls: number;
  changes: number;
  events: number;
}

export interface ReconcilerOptions {
  /** RECONCILE_INTERVAL_MS: between two passes, ms (> 0). */
  intervalMs: number;
  /** Every authorised shop with its seller (SellerAuth.shopOwners). */
  shopOwners(): Promise<ShopOwner[]>;
  /** The seller's credentials for the searches (TokenManager.credentialsFor). */
  credentialsFor(seller: SellerRecord): SellerCredentials;
  client: Pick<TikTokShopClient, 'searchOrders' | 'searchProducts'>;
  /** The webhooks' processor (event-processor.ts): deduplicates, evicts, publishes. */
  process: EventProcessor;
  cursors: ReconcileCursorStore;
  /** Shared by the replicas (Redis). Default: this process is the only one. */
  lock?: ReconcileLock | undefined;
  /** Told of every shop run as it ends (the metrics). */
  onRun?: ((run: ShopRun) => void) | undefined;
  /** The drain (app.drain.signal): once aborted no run starts and the one under way stops. */
  signal?: AbortSignal | undefined;
  logger: Logger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: (() => number) | undefined;
}

export interface Reconciler {
  /** One pass over every shop now (what the timer runs every interval). */
  runOnce(): Promise<ShopRun[]>;
  /** The last 100 shop runs, oldest first. */
  recentRuns(): ShopRun[];
  /** Totals since the start. */
  counts(): ReconcilerCounts;
  /** Stops the timer and the run under way, and waits for it. */
  close(): Promise<void>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const { intervalMs, client, cursors, logger } = options;
  const lock = options.lock ?? IN_PROCESS_LOCK;
  const now = options.now ?? Date.now;
  const stopping = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([stopping.signal, options.signal])
    : stopping.signal;
  const runs: ShopRun[] = [];
  const counts: ReconcilerCounts = { passes: 0, calls: 0, changes: 0, events: 0 };

  /** Every page of one search, each handed to `found` before the next is asked for. */
  async function eachPage<T>(
    run: ShopRun,
    search: (pageToken: string | undefined) => Promise<Page<T>>,
    found: (items: T[]) => Promise<void>,
  ): Promise<void> {
    let pageToken: string | undefined;
    do {
      signal.throwIfAborted();
      run.calls += 1;
      const page = await search(pageToken);
      await found(page.items);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
  }

  /** Hands one change to the processor; counts it, and the event when it was published. */
  async function report(run: ShopRun, event: TikTokEvent): Promise<void> {
    run.changes += 1;
    if ((await options.process(event)) === 'published') run.events += 1;
  }

  /** Searches the shop from its cursor and moves the cursor on; under the shop's lock. */
  async function search(owner: ShopOwner, run: ShopRun): Promise<void> {
    const shopId = owner.shop.id;
    const startedAtMs = now();
    run.startedAtMs = startedAtMs;
    const cursor = await cursors.read(shopId);
    if (cursor && startedAtMs - cursor.ranAtMs < RECENT_SHARE * intervalMs) {
      run.outcome = 'recent';
      return;
    }
    // First run: from one interval back, not the whole history.
    const sinceSeconds = cursor?.sinceSeconds ?? Math.floor((startedAtMs - intervalMs) / 1000);
    run.sinceSeconds = sinceSeconds;
    // Stamped first: another replica finding the shop free after this one skips it still.
    await cursors.write(shopId, { sinceSeconds, ranAtMs: startedAtMs });
    const session: ShopSession = {
      id: shopId,
      cipher: owner.shop.cipher,
      seller: options.credentialsFor(owner.seller),
      deadlineAt: startedAtMs + Math.max(intervalMs, MIN_RUN_DEADLINE_MS),
      background: { signal },
    };
    const updatedFrom = new Date(sinceSeconds * 1000);
    const nowSeconds = () => Math.floor(now() / 1000);
    await eachPage(
      run,
      (pageToken) =>
        client.searchOrders(session, {
          pageSize: PAGE_SIZE,
          ...(pageToken ? { pageToken } : {}),
          sortField: 'update_time',
          sortOrder: 'ASC',
          filter: { updatedFrom },
        }),
      async (orders) => {
        for (const order of orders) await report(run, orderEvent(shopId, order, nowSeconds()));
      },
    );
    await eachPage(
      run,
      (pageToken) =>
        client.searchProducts(session, {
          pageSize: PAGE_SIZE,
          ...(pageToken ? { pageToken } : {}),
          filter: { updatedFrom },
        }),
      async (products) => {
        for (const product of products) {
          await report(run, productEvent(shopId, product, sinceSeconds, nowSeconds()));
        }
      },
    );
    await cursors.write(shopId, {
      sinceSeconds: Math.max(sinceSeconds, Math.floor(startedAtMs / 1000) - OVERLAP_SECONDS),
      ranAtMs: startedAtMs,
    });
  }

  async function reconcileShop(owner: ShopOwner): Promise<ShopRun> {
    const run: ShopRun = {
      shopId: owner.shop.id,
      outcome: 'ran',
      startedAtMs: now(),
      sinceSeconds: null,
      calls: 0,
      changes: 0,
      events: 0,
    };
    try {
      const locked = await lock.runAlone(run.shopId, () => search(owner, run));
      if (locked !== 'ran') run.outcome = locked;
    } catch (error) {
      if (signal.aborted) {
        run.outcome = 'stopped';
      } else if (error instanceof TikTokShopRateLimitError && error.reason === 'request_deadline') {
        run.outcome = 'deferred';
      } else {
        run.outcome = 'failed';
        run.error = messageOf(error);
      }
    }
    return run;
  }

  async function runOnce(): Promise<ShopRun[]> {
    const startedAtMs = now();
    // A deauthorised seller's shops answer nothing (context.ts): not searched either.
    const owners = (await options.shopOwners()).filter(
      (owner) => owner.seller.authorization?.deauthorizedAt === undefined,
    );
    const pass: ShopRun[] = [];
    await forEachLimited(owners, SHOPS_AT_ONCE, async (owner) => {
      if (signal.aborted) return;
      const run = await reconcileShop(owner);
      pass.push(run);
      options.onRun?.(run);
      logger.debug({ ...run }, 'Reconciled a shop');
      if (run.outcome === 'failed') {
        logger.warn(
          { shopId: run.shopId, error: run.error },
          'Reconciling a shop failed; its next run searches from the same cursor',
        );
      }
    });
    runs.push(...pass);
    runs.splice(0, Math.max(0, runs.length - KEPT_RUNS));
    const sum = (field: 'calls' | 'changes' | 'events') =>
      pass.reduce((total, run) => total + run[field], 0);
    counts.passes += 1;
    counts.calls += sum('calls');
    counts.changes += sum('changes');
    counts.events += sum('events');
    const outcomes: Partial<Record<ShopRunOutcome, number>> = {};
    for (const run of pass) outcomes[run.outcome] = (outcomes[run.outcome] ?? 0) + 1;
    logger.info(
      {
        shops: owners.length,
        ...outcomes,
        calls: sum('calls'),
        changes: sum('changes'),
        events: sum('events'),
        durationMs: now() - startedAtMs,
      },
      'Reconciler run: changes no webhook reported are published as events',
    );
    return pass;
  }

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const schedule = (delayMs: number) => {
    if (signal.aborted) return;
    timer = setTimeout(() => {
      const startedAtMs = now();
      current = runOnce()
        .catch((error: unknown) => {
          // The shops could not be read (the token store is down): the next interval tries again.
          logger.warn({ error: messageOf(error) }, 'Reconciler run failed');
        })
        .finally(() => schedule(Math.max(0, intervalMs - (now() - startedAtMs))));
    }, delayMs);
    // Never what keeps the process alive.
    timer.unref();
  };
  // The first pass after one interval: a start is not a reason to search.
  schedule(intervalMs);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  return {
    runOnce,
    recentRuns: () => runs.map((run) => ({ ...run })),
    counts: () => ({ ...counts }),
    async close() {
      stopping.abort(new Error('The reconciler is stopping'));
      await current.catch(() => undefined);
    },
  };
}
