// Public contract of the TikTok Shop emulator: what tests, the sandbox gateway and bench/ rely on.

/** Faults applied to matching API-host requests. All rates are probabilities 0..1 per request. */
import type { RateLimits } from './rate-limit.js';
export interface FaultConfig {
  /** Extra latency before answering, ms (default 0). */
  latencyMs?: number;
  /** Uniform ± jitter around latencyMs, ms (default 0). */
  latencyJitterMs?: number;
  /** Share answered HTTP 500 with code 36009003 (internal error). */
  errorRate?: number;
  /** Status used for errorRate answers (500, 502, 503 or 504; default 500). */
  errorStatus?: number;
  /** Share answered HTTP 429 / 36009002 with a Retry-After header. */
  rateLimitRate?: number;
  /** Retry-After, in seconds, sent with injected and real 429s (default 1). */
  retryAfterSeconds?: number;
  /** Share whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Share answered 200 with a body that is not valid JSON. */
  malformedRate?: number;
  /** Share that send headers and part of the body, then stall until the client gives up. */
  stallRate?: number;
  /** Share answered with `codeAnswer`. */
  codeRate?: number;
  /**
   * What `code` faults answer: any TikTok error, e.g. 404 / `36009009` (invalid path) or 429 /
   * `36009037` (sandbox quota). Required when `codeRate` or a `code` script step is set.
   */
  codeAnswer?: { status: number; code: number; message?: string };
  /**
   * Deterministic faults: the next N matching requests get this fault, in order, before the rates
   * above are considered. Each entry is consumed as it is used.
   */
  script?: Array<{ kind: FaultKind; count: number }>;
  /** Only requests whose path starts with one of these prefixes are affected (default: all). */
  pathPrefixes?: string[];
  /** Only requests for these shop ids are affected (default: all). */
  shopIds?: string[];
  /**
   * Enum fields whose clean answers carry a value TikTok never sent before, as when it adds one
   * without notice (§6): the 1st, 3rd, 5th… record of each list, and a single record, get
   * `unknownEnumValue` instead of their own (issue 11). Faulted requests are not answered at all.
   */
  unknownEnums?: UnknownEnumField[];
  /** The value `unknownEnums` sends (default `SOMETHING_NEW`); upper-case letters, digits, `_`. */
  unknownEnumValue?: string;
  /**
   * Get Product leaves `status` out for these product ids, as TikTok does for some sellers
   * (§6.2). It changes the answer's shape, not its outcome, so `pathPrefixes` and `shopIds` do
   * not apply.
   */
  productsWithoutStatus?: string[];
  /**
   * Run the route before the latency and the fault (default false): a write takes effect, then
   * its answer comes late (latencyMs), never (stall, drop), garbled (malformed) or as an error.
   */
  handleFirst?: boolean;
  /** Share of webhook deliveries never sent, logged with outcome `dropped` (§8: not guaranteed). */
  webhookDropRate?: number;
  /** Share of webhook deliveries sent twice with the same `tts_notification_id`. */
  webhookDuplicateRate?: number;
  /** Share of webhook deliveries held back, then sent after later ones (newest first). */
  webhookReorderRate?: number;
  /** How long the first held delivery waits before the held ones go out, ms (default 1000). */
  webhookReorderWindowMs?: number;
  /** Delay before every delivery's first attempt, ms (default 0). */
  webhookDelayMs?: number;
  /**
   * Multiplies TikTok's retry delays (2 min, 30 min, 3 h, 12 h; §8), 0 < scale ≤ 1 (default 1):
   * 0.001 gives 120 ms, 1.8 s, 10.8 s, 43.2 s.
   */
  webhookRetryScale?: number;
}

/** How a webhook delivery was faulted (FaultConfig `webhook…Rate`). */
export type WebhookFaultKind = 'drop' | 'duplicate' | 'reorder';

/** An enum field of an answer, named `<record>.<wire key>`, that `unknownEnums` can change. */
export type UnknownEnumField =
  | 'order.status'
  | 'order.shipping_type'
  | 'product.status'
  | 'shop.seller_type';

export type FaultKind = 'error' | 'rate_limit' | 'drop' | 'malformed' | 'stall' | 'code';

export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one (default 0). */
  port?: number;
  /** Interface to bind; loopback only (default 127.0.0.1). */
  host?: string;
  /** Seed for the generated data; same seed, same data (default 1). */
  seed?: number;
  /** Multiplies the default data volume (500 products, 5 000 orders per shop…); default 1. */
  scale?: number;
  /** The registered app (defaults: the demo app, see DEMO_APP). */
  appKey?: string;
  appSecret?: string;
  /** The app's service id, named by the `/open/authorize?service_id=…` page (default: the demo app's). */
  serviceId?: string;
  /** Redirect URIs registered for the app; the authorize page redirects to the first by default. */
  redirectUris?: string[];
  /** Access-token lifetime, seconds (default 7 days), so expiry can be tested in seconds. */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime, seconds (default 365 days). */
  refreshTokenTtlSeconds?: number;
  /**
   * Standard-class limit per (app, shop) answered with 429 / 36009002; false turns it off
   * (default 10/s, burst 10).
   */
  rateLimit?: { requestsPerSecond: number; burst: number } | false;
  /** Analytics-class limit per (app, shop) (paths with `/analytics/`); default: as `rateLimit`. */
  analyticsRateLimit?: { requestsPerSecond: number; burst: number } | false;
  /** Faults active from the start. */
  faults?: FaultConfig;
  /** Clock in ms since the epoch, for timestamp checks and token expiry (default Date.now). */
  now?: () => number;
  /**
   * Advances the order lifecycle clock by `advanceMs` every `everyMs` of real time, so orders
   * move on their own (default: off; `PUT /__emulator/clock` changes it at runtime).
   */
  clockTimer?: ClockTimer | null;
}

/** The lifecycle clock's timer knob: every `everyMs` real ms, advance it by `advanceMs`. */
export interface ClockTimer {
  everyMs: number;
  advanceMs: number;
}

export interface RequestLogEntry {
  /** Arrival time, ms since the epoch with sub-ms precision. */
  at: number;
  method: string;
  path: string;
  /** Route name, e.g. `product.search`, `order.detail`, `token.get`; `unknown` for 404s. */
  endpoint: string;
  /** Shop the request resolved to via shop_cipher, if any. */
  shopId: string | null;
  status: number;
  /** Envelope code answered (0 on success); null when no envelope was sent (drop, stall). */
  code: number | null;
  /** The fault injected, if any. */
  fault: FaultKind | null;
  /**
   * What an API-host request carried, so tests can check the bytes a client signed and sent: the
   * decoded query as received (`sign` included) and the raw body as text (`''` when none).
   * Absent on auth-host requests, whose query carries the app secret.
   */
  received?: { query: Record<string, string>; body: string };
}

/** Where a webhook delivery ended; `pending` while an attempt or a retry is still to come. */
export type WebhookOutcome =
  | 'pending'
  | 'delivered'
  | 'refused'
  | 'failed'
  | 'dropped'
  | 'skipped'
  | 'cancelled';

export interface WebhookAttempt {
  /** When the POST started, ms since the epoch (sub-ms precision). */
  startedAtMs: number;
  durationMs: number;
  /** The HTTP status answered; null when none arrived. */
  status: number | null;
  /** Why the attempt did not count as delivered; null when it did. */
  error: string | null;
}

/** One event posted to one address (a duplicated delivery is two of these). */
export interface WebhookDelivery {
  id: string;
  notificationId: string;
  type: number;
  shopId: string;
  url: string;
  /** The exact bytes posted and signed (§8 payload). */
  body: string;
  outcome: WebhookOutcome;
  /** The webhook fault applied, if any. */
  fault: WebhookFaultKind | null;
  attempts: WebhookAttempt[];
  /** When the event was raised, ms since the epoch. */
  createdAtMs: number;
  /** When the next attempt is due; null unless a retry is waiting. */
  nextAttemptAtMs: number | null;
  /** When the outcome became final; null while pending. */
  settledAtMs: number | null;
  /** Why it ended without a delivery (`refused`, `skipped`, `cancelled`), else null. */
  note: string | null;
}

/** What raising one event gave: its id and one delivery per address it went to. */
export interface RaisedEvent {
  type: number;
  shopId: string;
  notificationId: string;
  deliveryIds: string[];
}

/** One order moved one step along its lifecycle. */
export interface OrderTransition {
  shopId: string;
  orderId: string;
  from: string;
  to: string;
  /** The order's new update_time, Unix seconds. */
  updateTime: number;
  /** The ORDER_STATUS_CHANGE event raised for it. */
  notificationId: string;
}

export interface EmulatorSeller {
  /** open_id of the seller. */
  openId: string;
  name: string;
  shops: Array<{ id: string; name: string; region: string; cipher: string; code: string }>;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** Absolute Unix seconds. */
  accessTokenExpiresAt: number;
  refreshTokenExpiresAt: number;
  grantedScopes: string[];
}

/** Edits an admin route can make to a product, as a seller would in Seller Center. */
export interface ProductEdit {
  title?: string;
  description?: string;
  /** One of the §6.1 product statuses. */
  status?: string;
}

/** The lifecycle clock: how far it was advanced and its timer. */
export interface LifecycleClock {
  /** The emulator clock when the store was created, ms since the epoch. */
  startedAtMs: number;
  /** Total advance so far, ms. */
  advancedMs: number;
  timer: ClockTimer | null;
}

/** State changes driven from outside, each raising the §8 events TikTok would send. */
export interface DomainHandle {
  /**
   * Moves the order lifecycle clock forward: orders whose next status falls due move, one
   * ORDER_STATUS_CHANGE each step, oldest due first. RangeError for a bad `ms`.
   */
  advanceClock(ms: number): OrderTransition[];
  /** Moves one order one step now, whatever the clock; RangeError if unknown or final. */
  advanceOrder(orderId: string): OrderTransition;
  lifecycleClock(): LifecycleClock;
  /** Changes the timer knob (null stops it); RangeError if invalid. */
  setClockTimer(timer: ClockTimer | null): void;
  /** Applies a Seller Center edit; answers the events raised. RangeError if invalid or unknown. */
  editProduct(productId: string, edit: ProductEdit): RaisedEvent[];
  /** Raises any event, known type or not, for a shop; RangeError for an unknown shop. */
  raiseEvent(input: { type: number; shopId: string; data?: Record<string, unknown> }): RaisedEvent;
}

export interface EmulatorHandle extends DomainHandle {
  /** Base URL of the API host, e.g. http://127.0.0.1:54321 (also serves the auth-host routes). */
  url: string;
  appKey: string;
  appSecret: string;
  /** Service id accepted by `/open/authorize?service_id=…`. */
  serviceId: string;
  /** The sellers and their shops, from the seed. sellers[0] owns at least two shops. */
  sellers: EmulatorSeller[];
  /** Every request received, in arrival order (admin routes excluded). */
  requests(): RequestLogEntry[];
  /** Counts by endpoint (and by `endpoint shopId`), successful or not. */
  counters(): Record<string, number>;
  /** Clears the request log and counters. */
  resetRequests(): void;
  /**
   * Requests received and not yet answered (admin routes excluded), e.g. waiting out injected
   * latency: 0 means no write the emulator received can still take effect.
   */
  pendingRequests(): number;
  /** Replaces the active faults. */
  setFaults(faults: FaultConfig): void;
  /** Changes the per-class limits at runtime (as PUT /__emulator/rate-limits); RangeError if invalid. */
  setRateLimits(limits: Partial<RateLimits>): void;
  /**
   * Issues tokens for a seller without the browser step (what the authorize page + token/get
   * would produce). Scopes default to every scope the emulator knows.
   */
  issueTokens(input: {
    openId: string;
    scopes?: string[];
    accessTokenTtlSeconds?: number;
  }): IssuedTokens;
  /** Every webhook delivery, oldest first; with `sinceMs`, those created after it. */
  webhookDeliveries(sinceMs?: number): WebhookDelivery[];
  /** Resolves true once no delivery is pending (default wait 10 s), false on timeout. */
  settleWebhooks(timeoutMs?: number): Promise<boolean>;
  /** Stops the lifecycle timer, cancels pending deliveries and retries, ends every socket. */
  close(): Promise<void>;
}
