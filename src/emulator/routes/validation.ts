// Argument checks shared by the domain routes. A failed check throws RouteFailure, which the
// route (shop-route.ts) answers as TikTok's error.

import type { ProductRecord, ShopData } from '../data/records.js';
import type { RouteRequest } from '../route-types.js';

/** TikTok codes the domain routes answer with (reference §5 and §6). */
export const CODES = {
  /** Gateway catch-all for parameter problems (§5); ours for every malformed argument. */
  invalidParams: 36009004,
  productPageSizeInvalid: 12019109,
  productFilterTooManySkus: 12019027,
  productSearchWindowExceeded: 12052180,
  productNotFound: 12052032,
  productIdInvalid: 12019008,
  inventoryTooManySkus: 12019015,
  inventoryTooManyProducts: 12019120,
  productStatusForbidsUpdate: 12052901,
  skuDuplicated: 12052553,
  skuNotInProduct: 12052556,
  warehouseInvalid: 12052097,
  warehouseRequired: 12019028,
  quantityNegative: 12019024,
  quantityInvalid: 12052055,
  orderNotOwned: 21008111,
  analyticsDateInvalid: 28001022,
  analyticsNotFound: 28001007,
} as const;

export class RouteFailure extends Error {
  override readonly name = 'RouteFailure';

  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

export function invalidParam(message: string): RouteFailure {
  return new RouteFailure(CODES.invalidParams, message, 400);
}

/** The product the path's `:product_id` names; 12052032 when the shop has none (§6.2, §6.4). */
export function pathProduct(request: RouteRequest, data: ShopData): ProductRecord {
  const productId = request.params.product_id ?? '';
  const product = data.productById.get(productId);
  if (!product) {
    throw new RouteFailure(
      CODES.productNotFound,
      `Product ${shownId(productId)} does not exist in this shop.`,
      404,
    );
  }
  return product;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON body as an object; no body (or `null`) reads as `{}`. */
export function readBody(request: RouteRequest): Record<string, unknown> {
  if (request.body === undefined || request.body === null) return {};
  if (!isRecord(request.body)) throw invalidParam('The request body must be a JSON object.');
  return request.body;
}

const DIGITS = /^\d+$/;

/** An id from the request, cut short so a huge or odd value cannot bloat an error message. */
export function shownId(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** TikTok ids are decimal strings. */
export function isDecimalId(value: string): boolean {
  return DIGITS.test(value) && value.length <= 30;
}

/** A non-negative integer query parameter; undefined when absent or empty, null when malformed. */
export function queryInteger(
  query: Record<string, string>,
  key: string,
): number | undefined | null {
  const raw = query[key];
  if (raw === undefined || raw === '') return undefined;
  return DIGITS.test(raw) && raw.length < 16 ? Number(raw) : null;
}

export function queryEnum<T extends string>(
  query: Record<string, string>,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = query[key];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidParam(`Invalid '${key}': must be one of ${allowed.join(', ')}.`);
  }
  return raw as T;
}

export function queryBoolean(query: Record<string, string>, key: string): boolean {
  const raw = query[key];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw invalidParam(`Invalid '${key}': must be true or false.`);
}

export function bodyString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(`Invalid '${key}': must be a string.`);
  return value;
}

export function bodyEnum<T extends string>(
  body: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
): T | undefined {
  const value = bodyString(body, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParam(`Invalid '${key}': must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A Unix-seconds (or other non-negative integer) body field. */
export function bodyInteger(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParam(`Invalid '${key}': must be a non-negative integer.`);
  }
  return value;
}

export function bodyBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParam(`Invalid '${key}': must be true or false.`);
  return value;
}

export function bodyStringArray(body: Record<string, unknown>, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidParam(`Invalid '${key}': must be an array of strings.`);
  }
  return value as string[];
}
