// Seller Center edits to a product (title, description, status) and the events TikTok raises for
// them: PRODUCT_STATUS_CHANGE (5), PRODUCT_AUDIT_STATUS_CHANGE (37), PRODUCT_INFORMATION_CHANGE
// (15), from TikTok's pages for those webhooks.
import { PRODUCT_STATUSES, type ProductRecord, type ProductStatus } from '../data/records.js';
import type { ProductEdit } from '../types.js';
import { EVENT_TYPE } from '../webhooks/event-types.js';

/** Longest title accepted; TikTok's listing rule. */
const MAX_TITLE_LENGTH = 255;
const EDIT_KEYS = new Set(['title', 'description', 'status']);

export interface ProductEvent {
  type: number;
  data: Record<string, unknown>;
}

/** Checks an edit from code or JSON; RangeError naming the first problem. */
export function checkProductEdit(value: Record<string, unknown>): ProductEdit {
  const unknownKey = Object.keys(value).find((key) => !EDIT_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new RangeError(
      `unknown product field '${unknownKey}' (accepted: title, description, status)`,
    );
  }
  const { title, description, status } = value;
  if (
    title !== undefined &&
    !(typeof title === 'string' && title.trim() !== '' && title.length <= MAX_TITLE_LENGTH)
  ) {
    throw new RangeError(
      `title must be a non-empty string of at most ${MAX_TITLE_LENGTH} characters`,
    );
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new RangeError('description must be a string');
  }
  if (status !== undefined && !PRODUCT_STATUSES.includes(status as ProductStatus)) {
    throw new RangeError(`status must be one of ${PRODUCT_STATUSES.join(', ')}`);
  }
  return value as ProductEdit;
}

/** §6.2's product status seen from the audit: what type 37 reports. */
function auditStatusOf(status: ProductStatus): string {
  if (status === 'ACTIVATE') return 'APPROVED';
  if (status === 'PENDING') return 'AUDITING';
  if (status === 'FAILED') return 'FAILED';
  return 'NONE';
}

/** Type 5's `status`: the first audit passed, the audit failed, or any other change. */
function statusEventOf(from: ProductStatus, to: ProductStatus): string {
  if (from === 'PENDING' && to === 'ACTIVATE') return 'PRODUCT_FIRST_PASS_REVIEW';
  if (to === 'FAILED') return 'PRODUCT_AUDIT_FAILURE';
  return 'PRODUCT_STATUS_CHANGED';
}

function suspendedReasonOf(product: ProductRecord): string {
  if (product.status === 'FAILED') {
    return product.auditFailedReasons[0]?.reasons[0] ?? 'The product failed the audit.';
  }
  if (product.status === 'FREEZE' || product.status === 'PLATFORM_DEACTIVATED') {
    return 'The product was suspended by the platform.';
  }
  return '';
}

/**
 * Applies the edit (an already checked one) and answers the events it raises, in order. The
 * product's update_time moves to `nowSeconds` (never back) when anything changed.
 */
export function applyProductEdit(
  product: ProductRecord,
  edit: ProductEdit,
  nowSeconds: number,
): ProductEvent[] {
  const changedFields = (['title', 'description'] as const).filter(
    (field) => edit[field] !== undefined && edit[field] !== product[field],
  );
  const from = product.status;
  const to = (edit.status as ProductStatus | undefined) ?? from;
  if (changedFields.length === 0 && to === from) return [];

  for (const field of changedFields) product[field] = edit[field]!;
  product.status = to;
  product.updateTime = Math.max(product.updateTime, nowSeconds);
  const updateTime = product.updateTime;
  const events: ProductEvent[] = [];
  if (to !== from) {
    events.push({
      type: EVENT_TYPE.productStatusChange,
      data: {
        product_id: product.id,
        status: statusEventOf(from, to),
        suspended_reason: suspendedReasonOf(product),
        update_time: updateTime,
      },
    });
    if (auditStatusOf(to) !== auditStatusOf(from)) {
      events.push({
        type: EVENT_TYPE.productAuditStatusChange,
        data: {
          product_id: product.id,
          audit: { status: auditStatusOf(to) },
          update_time: updateTime,
        },
      });
    }
  }
  // TikTok sends type 15 only for changes to a live product.
  if (changedFields.length > 0 && product.status === 'ACTIVATE') {
    events.push({
      type: EVENT_TYPE.productInformationChange,
      data: {
        product_id: product.id,
        change_source: 'SELLER_CENTER',
        changed_fields: changedFields,
        update_time: updateTime,
      },
    });
  }
  return events;
}
