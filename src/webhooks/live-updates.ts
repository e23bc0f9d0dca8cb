// Builds the webhook side of issue 13 for createApp: the event bus, deduplication and ordering
// (in Redis when scaled out), the processor, the receiver the gateway routes to, and the
// reconciler that publishes through the same processor what no webhook reported.
import type { SellerAuth } from '../auth/seller-auth.js';
import type { TikTokCredentials } from '../config.js';
import type { SharedCache } from '../datasources/tiktok/cache.js';
import type { Logger } from '../logger.js';
import type { Redis } from '../redis/redis-connection.js';
import { type AuthorizationWarning, authorizationWarnings } from './authorization-notices.js';
import { createDeliveryDedup } from './delivery-dedup.js';
import {
  createTikTokEventBus,
  type TikTokEventBus,
  type TikTokEventBusOptions,
} from './event-bus.js';
import { createEventProcessor } from './event-processor.js';
import { evictStale } from './freshness.js';
import { createKnownShops } from './known-shops.js';
import { createWebhookReceiver, type WebhookReceiver } from './receiver.js';
import type { ReconcileCursorStore } from './reconcile-cursors.js';
import {
  createReconciler,
  type ReconcileLock,
  type Reconciler,
  type ReconcilerOptions,
} from './reconciler.js';
import { createUpdateOrder } from './update-order.js';

/** The receiver's settings (WEBHOOK_*). */
export interface WebhookConfig {
  /** Pathname deliveries are POSTed to (WEBHOOK_PATH). */
  path: string;
  /**
   * How long notification ids and the last update_time per object are remembered, ms
   * (WEBHOOK_DEDUP_TTL_MS): longer than TikTok's retries (§8, about 15.5 h).
   */
  dedupTtlMs: number;
  /** Between two reconciler passes, ms (RECONCILE_INTERVAL_MS); 0: no reconciler. */
  reconcileIntervalMs: number;
}

/** What the reconciler needs besides the processor (reconciler.ts). */
export interface ReconcileDeps {
  client: ReconcilerOptions['client'];
  cursors: ReconcileCursorStore;
  /** Shared by the replicas (Redis). Default: this process only. */
  lock?: ReconcileLock | undefined;
  /** The drain's: the reconciler stops when it begins. */
  signal?: AbortSignal | undefined;
  /** Told of every shop run (the metrics). */
  onRun?: ReconcilerOptions['onRun'];
}

export interface LiveUpdatesOptions {
  config: WebhookConfig;
  /** The app whose key and secret sign the deliveries. */
  credentials: TikTokCredentials;
  sellers: Pick<SellerAuth, 'store' | 'authorizedShops' | 'shopOwners' | 'tokens'>;
  /** The invalidator's cache (createCacheInvalidator), so evictions reach every replica. */
  cache: SharedCache;
  /** Shared deduplication and ordering; without it, this process only. */
  redis?: { connection: Redis; keyPrefix: string } | undefined;
  /** The reconciler's pieces; without them there is no reconciler. */
  reconcile?: ReconcileDeps | undefined;
  /** Where events go between replicas (see event-bus.ts). Default: in process. */
  eventTarget?: TikTokEventBusOptions['eventTarget'];
  /**
   * This replica's own cache (createSharedCache, evicting here only), for events arriving from
   * the shared target; see below.
   */
  localCache?: Pick<SharedCache, 'invalidateProduct'> | undefined;
  logger: Logger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: (() => number) | undefined;
}

export interface LiveUpdates {
  /** The receiver's pathname. */
  path: string;
  /** Every accepted event, for subscriptions and the reconciler. */
  events: TikTokEventBus;
  receiver: WebhookReceiver;
  /** Undefined when RECONCILE_INTERVAL_MS is 0. */
  reconciler: Reconciler | undefined;
  /** Sellers that deauthorised the app or whose authorisation expires (from the token store). */
  authorizationWarnings(): Promise<AuthorizationWarning[]>;
  /** Stops the reconciler, refuses new deliveries and waits for those being processed. */
  close(): Promise<void>;
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const { config, sellers, logger, now } = options;
  const redis = options.redis;
  const events = createTikTokEventBus({ eventTarget: options.eventTarget });
  // The evictions an event caused and the event itself reach another replica on two Redis
  // channels, in either order: evicting here as the event arrives, before any subscriber reads
  // it, makes what a subscription reads next (e.g. `productChanged { product }`) fresh.
  const { localCache } = options;
  const stopEvicting =
    options.eventTarget && localCache
      ? events.onEvent((event) => evictStale(localCache, event))
      : undefined;
  const process = createEventProcessor({
    dedup: createDeliveryDedup({ ttlMs: config.dedupTtlMs, redis, logger, now }),
    updateOrder: createUpdateOrder({ ttlMs: config.dedupTtlMs, redis, logger, now }),
    shops: createKnownShops({ authorizedShops: () => sellers.authorizedShops(), now }),
    cache: options.cache,
    store: sellers.store,
    bus: events,
    logger,
  });
  const receiver = createWebhookReceiver({ credentials: options.credentials, logger, process });
  const { reconcile } = options;
  const reconciler =
    reconcile && config.reconcileIntervalMs > 0
      ? createReconciler({
          ...reconcile,
          intervalMs: config.reconcileIntervalMs,
          shopOwners: () => sellers.shopOwners(),
          credentialsFor: (seller) => sellers.tokens.credentialsFor(seller),
          process,
          logger,
          now,
        })
      : undefined;
  return {
    path: config.path,
    events,
    receiver,
    reconciler,
    authorizationWarnings: async () => authorizationWarnings((await sellers.store.load()).sellers),
    async close() {
      stopEvicting?.();
      await reconciler?.close();
      await receiver.close();
    },
  };
}
