// SELLER_DEAUTHORIZATION and UPCOMING_AUTHORIZATION_EXPIRATION (§8 types 6 and 7) written to the
// token store (issue 13), where every replica, `npm run doctor` and /readyz read them: a
// deauthorised seller's shops answer UNAUTHENTICATED (context.ts) until it authorises again.
import type { AuthorizationNotice, SellerRecord, TokenStore } from '../auth/token-store.js';
import type { Logger } from '../logger.js';
import { SELLER_DEAUTHORIZATION, UPCOMING_AUTHORIZATION_EXPIRATION } from './event-types.js';
import type { TikTokEvent } from './tiktok-event.js';

/** A seller the operator must look at, as doctor and /readyz show it. */
export interface AuthorizationWarning {
  openId: string;
  sellerName: string;
  shopIds: string[];
  /** When TikTok said the seller deauthorised the app, ISO 8601. */
  deauthorizedAt?: string;
  /** When TikTok says the authorisation expires, ISO 8601. */
  expiresAt?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The sellers with a notice, one warning each. */
export function authorizationWarnings(sellers: SellerRecord[]): AuthorizationWarning[] {
  return sellers.flatMap(({ openId, name, shops, authorization }) => {
    if (authorization?.deauthorizedAt === undefined && authorization?.expiresAt === undefined) {
      return [];
    }
    return [
      {
        openId,
        sellerName: name,
        shopIds: shops.map((shop) => shop.id),
        ...(authorization.deauthorizedAt === undefined
          ? {}
          : { deauthorizedAt: iso(authorization.deauthorizedAt) }),
        ...(authorization.expiresAt === undefined
          ? {}
          : { expiresAt: iso(authorization.expiresAt * 1000) }),
      },
    ];
  });
}

/** TikTok's free-text `message`, bounded (for the log and subscriptions). */
export const messageOf = (event: TikTokEvent) =>
  typeof event.data.message === 'string' ? event.data.message.slice(0, 300) : undefined;

/** The notice `event` gives, or undefined (another type, no usable expiration_time). */
export function noticeOf(event: TikTokEvent): AuthorizationNotice | undefined {
  if (event.type === SELLER_DEAUTHORIZATION) return { deauthorizedAt: event.timestamp * 1000 };
  if (event.type !== UPCOMING_AUTHORIZATION_EXPIRATION) return undefined;
  const expiresAt = Number(event.data.expiration_time);
  return Number.isSafeInteger(expiresAt) && expiresAt > 0 ? { expiresAt } : undefined;
}

/**
 * Writes what a type 6 or 7 event says onto the seller of its shop and logs it at warn. An event
 * sent before the seller's record was last written (a new authorisation, a token renewal that
 * TikTok still granted) is older than what that write set, and is ignored.
 */
export async function applyAuthorizationNotice(
  event: TikTokEvent,
  deps: { store: TokenStore; logger: Logger },
): Promise<void> {
  if (event.type !== SELLER_DEAUTHORIZATION && event.type !== UPCOMING_AUTHORIZATION_EXPIRATION) {
    return;
  }
  const { store, logger } = deps;
  const seller = await store.findSellerByShop(event.shopId);
  if (!seller) return;
  const fields = { shopId: event.shopId, openId: seller.openId, message: messageOf(event) };
  if (event.timestamp < Math.floor(seller.updatedAt / 1000)) {
    logger.info(
      { ...fields, type: event.type },
      'Authorisation webhook older than the seller stored since: ignored',
    );
    return;
  }
  const notice = noticeOf(event);
  if (notice) await store.noteAuthorization(seller.openId, notice);
  if (event.type === SELLER_DEAUTHORIZATION) {
    logger.warn(
      fields,
      'The seller deauthorised the app (SELLER_DEAUTHORIZATION): its shops answer ' +
        'UNAUTHENTICATED until it authorises again (`npm run oauth`)',
    );
  } else {
    logger.warn(
      {
        ...fields,
        expiresAt: notice?.expiresAt === undefined ? 'unknown' : iso(notice.expiresAt * 1000),
      },
      'The seller authorisation expires soon (UPCOMING_AUTHORIZATION_EXPIRATION): have the ' +
        'seller authorise again before then (`npm run oauth`)',
    );
  }
}
