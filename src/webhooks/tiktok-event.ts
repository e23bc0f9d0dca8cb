// A webhook delivery (§8) read into the gateway's one event shape, TikTokEvent: what the receiver
// publishes, what subscriptions and the reconciler (issue 13) consume. snake_case stays in `data`,
// as TikTok sent it (ids that came as big numbers read as their exact decimal strings).
import { z } from 'zod';
import { parseJsonKeepingBigIntegers } from './lossless-json.js';

export interface TikTokEvent {
  /** TikTok's topic number (§8 table; event-types.ts names the known ones). */
  type: number;
  /** The shop it is about; '' for creator-side topics, which name a creator instead (dropped). */
  shopId: string;
  /** `tts_notification_id`: the same for every retry of one notification. */
  notificationId: string;
  /** When TikTok sent it, Unix seconds. */
  timestamp: number;
  /** The topic's fields as TikTok sent them. */
  data: Record<string, unknown>;
  /** `data.update_time`, Unix seconds, when the topic carries one. */
  updateTime?: number;
  /**
   * `reconciler`: no webhook reported it; the reconciler found the change in a search
   * (reconciler.ts), and `notificationId` is its own (`reconciled:<type>:<id>:<update_time>`).
   * Absent on webhook deliveries.
   */
  source?: 'reconciler';
}

export type DeliveryReading = { ok: true; event: TikTokEvent } | { ok: false; problem: string };

/** An id TikTok sends as a string or as a number. */
const idText = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().min(1).max(200));

/** Unix seconds, as a number or a string of digits. */
const unixSeconds = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform(Number)
  .pipe(z.number().int().nonnegative());

const deliverySchema = z.object({
  type: z.number().int().nonnegative(),
  tts_notification_id: idText,
  shop_id: idText.optional(),
  timestamp: unixSeconds,
  data: z.record(z.unknown()).default({}),
});

/** The raw body of a delivery whose signature checked out, read into a TikTokEvent. */
export function readDelivery(rawBody: string): DeliveryReading {
  let parsed: unknown;
  try {
    parsed = parseJsonKeepingBigIntegers(rawBody);
  } catch {
    return { ok: false, problem: 'the body is not JSON' };
  }
  const delivery = deliverySchema.safeParse(parsed);
  if (!delivery.success) {
    const problems = delivery.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    return { ok: false, problem: problems.join('; ') };
  }
  const { type, tts_notification_id, shop_id, timestamp, data } = delivery.data;
  const updateTime = unixSeconds.safeParse(data.update_time);
  return {
    ok: true,
    event: {
      type,
      shopId: shop_id ?? '',
      notificationId: tts_notification_id,
      timestamp,
      data,
      ...(updateTime.success ? { updateTime: updateTime.data } : {}),
    },
  };
}
