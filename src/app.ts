// createApp(settings, overrides?): the one composition root. From the settings it builds the whole
// gateway: the upstream client, the rate limiter, the token store and the token manager, the OAuth
// flow, the shared cache and its cross-replica invalidations, who may call, and the Yoga instance;
// on Redis when REDIS_URL is set (issue #6), on the in-process emulator in sandbox mode. server.ts,
// both CLIs, the bench (through server.ts) and the test harness all build through it.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createCallerResolver, createDevelopmentKey } from './auth/caller.js';
import { type ResolvedEncryptionKey, resolveEncryptionKey } from './auth/encryption-key.js';
import { createFileTokenStore, DEFAULT_TOKEN_STORE_PATH } from './auth/file-token-store.js';
import { createFileUsedStateStore } from './auth/file-used-state-store.js';
import { createOAuthFlow, deriveStateSecret } from './auth/oauth.js';
import { gatewayCallbackUrl } from './auth/redirect-uris.js';
import { createSellerAuth, createSellerClient, type SellerAuth } from './auth/seller-auth.js';
import { createSellerSnapshot, trackSellerWrites } from './auth/seller-snapshot.js';
import { type SeedResult, seedFromEnvironment } from './auth/token-manager.js';
import type { TokenStore } from './auth/token-store.js';
import {
  createCacheInvalidator,
  createSharedCache,
  type SharedCache,
} from './datasources/tiktok/cache.js';
import {
  type CircuitSnapshot,
  createCircuitBreaker,
} from './datasources/tiktok/circuit-breaker.js';
import {
  createTokenBucketRateLimiter,
  type RateLimiter,
} from './datasources/tiktok/rate-limiter.js';
import { createStaticCredentials } from './datasources/tiktok/static-credentials.js';
import type {
  AuthorizedShop,
  SellerCredentials,
  TikTokShopClient,
} from './datasources/tiktok/types.js';
import { createInProcessWriteLock } from './datasources/tiktok/write-lock.js';
import { createDrain, type Drain } from './drain.js';
import { createEmulator } from './emulator/server.js';
import { type FlushTokenWritesResult, flushTokenWrites } from './flush-token-writes.js';
import { createGateway, type Gateway } from './gateway.js';
import { createLogger, type Logger } from './logger.js';
import { createObservability, type Observability } from './observability/observability.js';
import {
  createResponseCacheStore,
  type ResponseCacheStore,
  withResponseEvictions,
} from './plugins/use-read-cache.js';
import { createReadiness, type Readiness } from './readiness.js';
import { TokenStoreUnavailableError } from './redis/errors.js';
import { describeRedisUrl } from './redis/redis-config.js';
import { importSellers } from './redis/redis-token-store.js';
import { createRedisScaleOut, type RedisScaleOut } from './redis/scale-out.js';
import {
  authorizeDemoSeller,
  type Sandbox,
  type SandboxOptions,
  sandboxSettings,
  sandboxTokenStorePath,
  subscribeSandboxWebhooks,
} from './sandbox.js';
import type { Settings } from './settings.js';
import type { AuthorizationWarning } from './webhooks/authorization-notices.js';
import { feedEndingWith } from './webhooks/event-bus.js';
import { createLiveUpdates, type LiveUpdates } from './webhooks/live-updates.js';
import {
  createFileReconcileCursors,
  createMemoryReconcileCursors,
} from './webhooks/reconcile-cursors.js';

/** What tests, the bench and the CLIs may set beyond the settings. */
export interface AppOverrides {
  /**
   * Where the seller's browser comes back after the authorize page: registered with the sandbox
   * emulator and offered to GraphiQL's examples. Default `http://<HOST>:<PORT><callback path>`.
   */
  redirectUri?: string;
  /** How this process runs sandbox mode (ignored in TikTok mode). */
  sandbox?: SandboxOptions;
  /** The token store instead of the file (or Redis) one; its owner closes it. */
  store?: TokenStore;
  /** Every seller's credentials instead of the token manager's (tests: a bogus or failing token). */
  sellerCredentials?: SellerCredentials;
  /** Clock of the client, token manager, cache and OAuth state, ms since the epoch. */
  now?: () => number;
  /** Default: pino at LOG_LEVEL. */
  logger?: Logger;
  /**
   * Spans go here, each as it ends, and tracing is on even without OTEL_EXPORTER_OTLP_ENDPOINT
   * (tests: an InMemorySpanExporter). Default: OTLP when the endpoint is set, else no tracing.
   */
  spanExporter?: SpanExporter;
}

export interface App {
  /**
   * The settings the app runs with: in sandbox mode the emulator's app, hosts and authorize page,
   * the demo default shop and no Redis.
   */
  settings: Settings;
  gateway: Gateway;
  client: TikTokShopClient;
  /** The token store, the token manager, the OAuth flow and the seller operations. */
  sellers: SellerAuth;
  /** The cache requests use; with Redis, a stock write also evicts on the other replicas. */
  cache: SharedCache;
  logger: Logger;
  encryptionKey: ResolvedEncryptionKey;
  /** The token file; undefined when Redis keeps the tokens or a store was passed in. */
  tokenStorePath: string | undefined;
  /** The Redis pieces, when scaled out. */
  scaleOut: RedisScaleOut | undefined;
  /** The upstream circuits that are not closed and clean (for readiness and metrics). */
  circuitStates(): CircuitSnapshot[];
  /** The limiter every upstream call goes through (its backgroundCounts: the reconciler's share). */
  rateLimiter: RateLimiter;
  /** Begun by src/shutdown.ts on SIGTERM/SIGINT; long-lived responses end on its `signal`. */
  drain: Drain;
  /** What GET /readyz answers (src/readiness.ts). */
  readiness: Readiness;
  /**
   * Before exit: waits for token refreshes under way and writes back token saves not stored yet
   * (failed ones, and those Redis missed during an outage), retrying until stored or `untilMs`
   * (ms since the epoch); one attempt is always made.
   */
  flushTokenWrites(untilMs: number): Promise<FlushTokenWritesResult>;
  /**
   * Aborts the API host's calls still in flight, whose requests a shutdown cut: they would hold
   * its pool open. The auth host's are left to finish: a refresh whose answer is lost spends the
   * seller's refresh token.
   */
  abortUpstreamCalls(): Promise<void>;
  /** TikTok's webhooks: the receiver, its counts, and the bus of accepted events (issue 13). */
  liveUpdates: LiveUpdates;
  /** Sellers that deauthorised the app or whose authorisation expires soon (for /readyz). */
  authorizationWarnings(): Promise<AuthorizationWarning[]>;
  /**
   * Metrics, traces and /metrics (issue 12); `observability.listen()` opens METRICS_PORT when it
   * is set (server.ts does).
   */
  observability: Observability;
  /** Sellers copied from the token file into Redis at this start (empty without Redis). */
  readonly imported: string[];
  /** The environment seed; undefined while Redis has not answered since the start. */
  readonly seeded: SeedResult | undefined;
  /** Get Authorized Shops (§3) with a given access token or one seller's credentials. */
  listShops(seller: string | SellerCredentials): Promise<AuthorizedShop[]>;
  /** Sandbox mode: the emulator and the demo seller. */
  sandbox: Sandbox | undefined;
  /**
   * Sandbox mode without GATEWAY_API_KEYS or a JWT verifier: a key with every scope for this run
   * only, preloaded into GraphiQL (the server prints it once).
   */
  developmentKey: string | undefined;
  /** Closes everything this app opened, in reverse order; a second call waits for the first. */
  close(): Promise<void>;
}

export async function createApp(settings: Settings, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: settings.logLevel });
  const { now } = overrides;
  const redirectUri =
    overrides.redirectUri ??
    gatewayCallbackUrl(settings.host, settings.port, settings.auth.oauthCallbackPath);
  // What has been opened so far, closed in reverse order (also when the start fails half-way).
  const cleanups: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  };

  try {
    // First opened, last closed: the spans of everything closed before it are still exported.
    const observability = await createObservability({
      config: settings.observability,
      host: settings.host,
      spanExporter: overrides.spanExporter,
      logger,
    });
    cleanups.push(() => observability.close());
    const { metrics } = observability;
    let running = settings;
    let emulator: Sandbox['emulator'] | undefined;
    let filePath = settings.auth.tokenStorePath;
    if (settings.mode === 'sandbox') {
      if (settings.redis) {
        // Each sandbox process runs its own emulator, whose tokens mean nothing to another's.
        logger.warn(
          {},
          'REDIS_URL is ignored in sandbox mode: the emulator belongs to this process',
        );
      }
      const started = await createEmulator({
        redirectUris: [redirectUri],
        scale: overrides.sandbox?.scale,
      });
      emulator = started;
      cleanups.push(() => started.close());
      running = sandboxSettings(settings, started);
      filePath = sandboxTokenStorePath(settings.auth, overrides.sandbox?.name ?? 'gateway');
    }
    const credentials = running.credentials;
    if (!credentials) throw new Error('TikTok app credentials are missing');

    const {
      store: storedSellers,
      encryptionKey,
      scaleOut,
      prepared,
    } = await openTokenStore({
      settings: running,
      filePath,
      store: overrides.store,
      now,
      logger,
      cleanups,
    });
    // Requests list their shops from memory (issue 14). Re-read at most once a second for the
    // token file (the OAuth CLI writes it without telling us), after a notice or 30 s with Redis;
    // a store passed in (tests) may be written behind our back, so it is read every time.
    // Whole answers to reads (issue 14); dropped with what the shared cache drops, and all of
    // them when a seller changes (its shops, its authorisation).
    const responseConfig = running.cache.responses;
    const responses: ResponseCacheStore | undefined =
      running.cache.enabled && responseConfig?.enabled
        ? createResponseCacheStore({ maxEntries: responseConfig.maxEntries })
        : undefined;
    const sellerSnapshot = createSellerSnapshot({
      store: storedSellers,
      maxAgeMs: overrides.store ? 0 : scaleOut ? 30_000 : 1_000,
    });
    const store = trackSellerWrites(storedSellers, () => {
      sellerSnapshot.invalidate();
      responses?.clear();
      // Only that something changed, never what: tokens stay out of pub/sub.
      scaleOut?.invalidation.publish({ kind: 'seller' }).catch((error: unknown) => {
        logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'Seller change was not broadcast',
        );
      });
    });
    if (scaleOut) {
      // `all` comes after a reconnection, when notices may have been missed.
      const stopListening = await scaleOut.invalidation.subscribe((event) => {
        if (event.kind === 'seller' || event.kind === 'all') {
          sellerSnapshot.invalidate();
          responses?.clear();
        }
      });
      cleanups.push(stopListening);
    }

    const limiter = scaleOut?.rateLimiter ?? createTokenBucketRateLimiter(running.rateLimit);
    const rateLimiter = metrics?.observeRateLimiter(limiter) ?? limiter;
    // Per replica, in memory: each replica learns of an outage from its own calls.
    const circuitBreaker = createCircuitBreaker({ ...running.breaker, now, logger });
    metrics?.watchCircuits(() => circuitBreaker.states());
    const upstream = createSellerClient({
      credentials,
      apiBase: running.apiBase,
      authBase: running.authBase,
      http: running.http,
      rateLimiter,
      circuitBreaker,
      store,
      refreshMarginMs: running.auth.tokenRefreshMarginMs,
      defaultShopId: running.defaultShopId,
      refreshLock: scaleOut?.refreshLock,
      logger,
      now,
      observer: observability.upstream,
      onTokenRefresh: metrics?.tokenRefreshed,
    });
    cleanups.push(() => upstream.close());
    const { client } = upstream;
    // Tests: every seller's credentials replaced (a bogus or failing token); shops still come
    // from the token store.
    const tokens = overrides.sellerCredentials
      ? {
          ...upstream.tokens,
          credentialsFor: () => overrides.sellerCredentials as SellerCredentials,
        }
      : upstream.tokens;
    const sellers = createSellerAuth({
      store,
      tokens,
      oauth: createOAuthFlow({
        appKey: credentials.appKey,
        serviceId: running.auth.serviceId,
        authorizeBase: running.auth.authorizeBase,
        authorizeRegion: running.auth.authorizeRegion,
        stateSecret: deriveStateSecret(encryptionKey.key),
        stateTtlMs: running.auth.oauthStateTtlMs,
        // Used states outlive a restart (issue 10): in Redis, else beside the token file. A
        // sandbox's states are its own emulator's, which a restart does not bring back.
        usedStates:
          scaleOut?.usedStates ??
          (overrides.store || emulator
            ? undefined
            : createFileUsedStateStore({ tokenStorePath: filePath, now })),
        // OAUTH_REDIRECT_URIS; a sandbox also signs for the one redirect its emulator knows.
        redirectUris: emulator
          ? [...running.auth.oauthRedirectUris, redirectUri]
          : running.auth.oauthRedirectUris,
        now,
      }),
      client,
      authHost: upstream.authHost,
      snapshot: sellerSnapshot,
      logger,
    });

    let sandbox: Sandbox | undefined;
    let exampleVariables: Record<string, unknown> = {};
    if (emulator) {
      const demo =
        overrides.sandbox?.authorizeDemoSeller === false
          ? undefined
          : await authorizeDemoSeller({
              sellers,
              client,
              redirectUri,
              defaultShopId: running.defaultShopId,
              nowMs: (now ?? Date.now)(),
            });
      const receiverUrl = overrides.sandbox?.receiverUrl;
      const isSubscribed =
        demo && receiverUrl
          ? await subscribeSandboxWebhooks({
              sellers,
              client,
              shops: demo.shops,
              address: receiverUrl,
              logger,
            })
          : false;
      sandbox = {
        emulator,
        authorization: demo?.authorization,
        shops: demo?.shops ?? [],
        receiverUrl: isSubscribed ? receiverUrl : undefined,
      };
      if (demo) {
        running = { ...running, defaultShopId: demo.defaultShopId };
        exampleVariables = demo.exampleVariables;
      }
    }

    // Sandbox without GATEWAY_API_KEYS: a development key with every scope, so GraphiQL works as
    // opened.
    const { apiKeys, jwt } = running.auth;
    const development =
      sandbox && apiKeys.length === 0 && !jwt ? createDevelopmentKey() : undefined;
    const callers = createCallerResolver({
      apiKeys: development ? [development.entry] : apiKeys,
      jwt,
    });

    const cache = withResponseEvictions(
      createSharedCache({ config: running.cache, now, onLookup: metrics?.cacheLookup }),
      responses,
    );
    // A stock write on this replica evicts here and on every other replica (issue #6).
    const invalidator = createCacheInvalidator({ cache, bus: scaleOut?.invalidation, logger });
    await invalidator.listen();
    cleanups.push(() => invalidator.close());
    const drain = createDrain();
    // Webhooks evict through the invalidator's cache, so every replica drops what they made stale.
    const liveUpdates = createLiveUpdates({
      config: running.webhooks,
      credentials,
      sellers,
      cache: invalidator.cache,
      redis:
        scaleOut && running.redis
          ? { connection: scaleOut.redis, keyPrefix: running.redis.keyPrefix }
          : undefined,
      reconcile: {
        client,
        // In Redis, else beside the token file; a sandbox's (its emulator ends with the process)
        // and a store passed in keep them in memory.
        cursors:
          scaleOut?.reconcileCursors ??
          (overrides.store || emulator
            ? createMemoryReconcileCursors()
            : createFileReconcileCursors({ tokenStorePath: filePath })),
        lock: scaleOut?.reconcileLock,
        signal: drain.signal,
        onRun: metrics?.reconcilerRun,
      },
      // With Redis, an event received by one replica reaches the subscribers of all of them.
      eventTarget: scaleOut?.events.target,
      localCache: cache,
      logger,
      now,
    });
    cleanups.push(() => liveUpdates.close());
    // One stock write at a time per product: across the replicas when scaled out (issue 10).
    const writeLock =
      scaleOut?.writeLock ?? createInProcessWriteLock({ waitMs: running.inventoryWrites.waitMs });
    // Subscription streams end (`complete`) when the drain begins or the app closes.
    const closing = new AbortController();
    const streamsEnd = AbortSignal.any([drain.signal, closing.signal]);
    const readiness = createReadiness({
      drain,
      store,
      redis: scaleOut?.redis,
      circuitStates: () => circuitBreaker.states(),
      appKey: credentials.appKey,
      now,
      logger,
    });
    const gateway = createGateway({
      config: running,
      client,
      logger,
      sellers,
      callers,
      cache: invalidator.cache,
      writeLock,
      readiness,
      oauthCallbackPath: running.auth.oauthCallbackPath,
      webhooks: { path: liveUpdates.path, handle: liveUpdates.receiver.handle },
      events: feedEndingWith(liveUpdates.events, streamsEnd),
      queryLimits: running.queryLimits,
      upstreamCost: running.upstreamCost,
      clientAccess: running.clientAccess,
      graphiqlHeaders: development && { Authorization: `Bearer ${development.key}` },
      exampleVariables,
      now,
      observability,
      responseCache: responses && {
        responses,
        ttlMs: Math.min(responseConfig?.ttlMs ?? 0, running.cache.ttlMs),
      },
    });
    cleanups.push(() => gateway.dispose());
    cleanups.push(() => closing.abort());

    let closed: Promise<void> | undefined;
    return {
      settings: running,
      gateway,
      client,
      sellers,
      cache: invalidator.cache,
      logger,
      encryptionKey,
      tokenStorePath: overrides.store || scaleOut ? undefined : filePath,
      scaleOut,
      circuitStates: () => circuitBreaker.states(),
      rateLimiter,
      drain,
      readiness,
      flushTokenWrites: (untilMs) =>
        flushTokenWrites({ tokens: upstream.tokens, held: scaleOut?.tokenStore, untilMs }),
      abortUpstreamCalls: () => client.destroy(),
      liveUpdates,
      authorizationWarnings: () => liveUpdates.authorizationWarnings(),
      observability,
      get imported() {
        return prepared.imported;
      },
      get seeded() {
        return prepared.seeded;
      },
      listShops: (seller) =>
        client.getAuthorizedShops(
          typeof seller === 'string' ? createStaticCredentials(seller) : seller,
        ),
      sandbox,
      developmentKey: development?.key,
      close() {
        closed ??= closeAll();
        return closed;
      },
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

interface OpenedTokenStore {
  store: TokenStore;
  encryptionKey: ResolvedEncryptionKey;
  scaleOut: RedisScaleOut | undefined;
  /** What the start-up read did; filled in later when Redis did not answer at start. */
  prepared: { imported: string[]; seeded: SeedResult | undefined };
}

/**
 * The encryption key, the Redis pieces when scaled out, and the token store (`store`, else Redis,
 * else the file), read once now: a wrong key or an altered file stops the start
 * (TokenStoreCorruptError) instead of failing later per request. A Redis holding no seller first
 * gets the token file's (the move from one process to several); then the environment tokens seed
 * an empty store. When Redis does not answer at start, both happen once it does.
 */
async function openTokenStore(input: {
  settings: Settings;
  filePath: string;
  store: TokenStore | undefined;
  now: (() => number) | undefined;
  logger: Logger;
  cleanups: Array<() => Promise<void> | void>;
}): Promise<OpenedTokenStore> {
  const { settings, filePath, now, logger } = input;
  // Outside sandbox mode TOKEN_ENCRYPTION_KEY is required: a generated key the operator does
  // not hold would lock real tokens away with the machine.
  const encryptionKey = await resolveEncryptionKey({
    mode: settings.mode,
    configured: settings.auth.tokenEncryptionKey,
    dataDir: dirname(input.store ? resolve(DEFAULT_TOKEN_STORE_PATH) : filePath),
  });
  const openFileStore = () =>
    createFileTokenStore({ path: filePath, encryptionKey: encryptionKey.key, now });
  const { redis } = settings;
  const scaleOut = redis
    ? await createRedisScaleOut({
        config: redis,
        rateLimit: settings.rateLimit,
        inventoryWrites: settings.inventoryWrites,
        encryptionKey: encryptionKey.key,
        logger,
      })
    : undefined;
  if (scaleOut) {
    input.cleanups.push(async () => {
      // Tokens saved while Redis was down exist only here: one last try to write them back.
      if (scaleOut.tokenStore.pendingWrites > 0) {
        await scaleOut.tokenStore.sync().catch(() => undefined);
      }
      await scaleOut.close();
    });
  }
  const store = input.store ?? scaleOut?.tokenStore ?? openFileStore();

  const prepared: OpenedTokenStore['prepared'] = { imported: [], seeded: undefined };
  /** Reads the store, imports and seeds; answers how many sellers it then holds. */
  const prepare = async () => {
    const { sellers } = await store.load();
    if (scaleOut && !input.store && sellers.length === 0 && existsSync(filePath)) {
      prepared.imported = await importSellers(openFileStore(), store);
      if (prepared.imported.length > 0) {
        logger.info(
          { sellers: prepared.imported.length, redis: redis && describeRedisUrl(redis.url) },
          'Sellers copied from the token file into Redis',
        );
      }
    }
    prepared.seeded = await seedFromEnvironment(store, settings);
    return sellers.length + prepared.imported.length + (prepared.seeded.seeded ? 1 : 0);
  };
  try {
    if ((await prepare()) === 0 && settings.mode === 'tiktok') {
      logger.warn(
        {},
        'No seller is authorised yet: run `npm run oauth` (every upstream call fails).',
      );
    }
  } catch (error) {
    // Redis down at start: the replica runs in the fallbacks and catches up once it answers.
    if (!(scaleOut && error instanceof TokenStoreUnavailableError)) throw error;
    logger.warn(
      {},
      'Redis did not answer at start: the token file is imported and the environment tokens ' +
        'seeded once it does',
    );
    const retryWhenReady = (connection: RedisScaleOut['redis']) => {
      connection.once('ready', () => {
        prepare().catch((retryError: unknown) => {
          if (retryError instanceof TokenStoreUnavailableError) return retryWhenReady(connection);
          logger.error(
            { error: retryError instanceof Error ? retryError.message : String(retryError) },
            'Preparing the Redis token store failed',
          );
        });
      });
    };
    retryWhenReady(scaleOut.redis);
  }
  return { store, encryptionKey, scaleOut, prepared };
}
