// Paging shared by every paged route: `page_size`, opaque page tokens and the list answer. A token
// is base64url("<offset>:<fingerprint>"), where the fingerprint hashes the query it belongs to, so
// a token replayed against another query (or garbage) is refused with 36009004 "Invalid
// page_token". The last page answers `next_page_token: ""`.

import { hashString } from '../data/prng.js';
import type { RouteRequest } from '../route-types.js';
import { invalidParam, queryInteger, RouteFailure } from './validation.js';

/** Most items one page holds (§6.1, §6.6, §6.8). */
const MAX_PAGE_SIZE = 100;

/** Hash of everything that defines a result list (endpoint, shop, filters, sort), not the page. */
export function fingerprintOf(...parts: unknown[]): string {
  return hashString(JSON.stringify(parts)).toString(16).padStart(8, '0');
}

export function encodePageToken(offset: number, fingerprint: string): string {
  return Buffer.from(`${offset}:${fingerprint}`, 'utf8').toString('base64url');
}

/** The offset a token points at, or null when it is malformed or belongs to another query. */
export function decodePageToken(token: string, fingerprint: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) return null;
  const match = /^(\d{1,9}):([0-9a-f]{8})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match || match[2] !== fingerprint) return null;
  return Number(match[1]);
}

export interface PageRequest {
  pageSize: number;
  /** As received; undefined or "" means the first page. */
  pageToken: string | undefined;
  fingerprint: string;
}

/** Reads `page_token` into an offset (0 for the first page); throws 36009004 when invalid. */
export function offsetOf(request: PageRequest, totalCount: number): number {
  if (request.pageToken === undefined || request.pageToken === '') return 0;
  const offset = decodePageToken(request.pageToken, request.fingerprint);
  if (offset === null || offset > totalCount) throw invalidParam('Invalid page_token.');
  return offset;
}

export interface Page<T> {
  items: T[];
  /** "" on the last page. */
  nextPageToken: string;
  totalCount: number;
}

export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const offset = offsetOf(request, items.length);
  const end = Math.min(items.length, offset + request.pageSize);
  return {
    items: items.slice(offset, end),
    nextPageToken: end < items.length ? encodePageToken(end, request.fingerprint) : '',
    totalCount: items.length,
  };
}

/**
 * `page_size`, 1–100, refused with `code`. Searches require it (§6.1, §6.6); analytics lists fall
 * back on `defaultSize` (§6.8).
 */
export function readPageSize(request: RouteRequest, code: number, defaultSize?: number): number {
  const pageSize = queryInteger(request.query, 'page_size');
  if (pageSize === undefined && defaultSize !== undefined) return defaultSize;
  if (pageSize === undefined || pageSize === null || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    const rule = defaultSize === undefined ? 'it is required and must' : 'must';
    throw new RouteFailure(code, `Invalid 'page_size': ${rule} be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return pageSize;
}

/** A list answer: `total_count`, `next_page_token`, and the page's items under `key`. */
export function pageAnswer<T>(page: Page<T>, key: string, toWire: (item: T) => unknown) {
  return {
    total_count: page.totalCount,
    next_page_token: page.nextPageToken,
    [key]: page.items.map((item) => toWire(item)),
  };
}

/** Id order, the tie-break that makes every sort total so pages never overlap. */
export function compareIds(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
