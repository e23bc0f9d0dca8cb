// Relay connections over TikTok page tokens. A cursor is an opaque encoding of (upstream page
// token, offset within that page, page size), so `after` resumes exactly where a page ended.
import type { ArgBuilder, ObjectRef } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import type { Loaders } from '../datasources/tiktok/loaders.js';
import type { Page } from '../datasources/tiktok/types.js';
import { type BuilderTypes, builder } from './builder.js';
import { resolveShopScope, type Scoped, scoped } from './common.js';
import { badUserInput } from './errors.js';

export const DEFAULT_PAGE_SIZE = 20;
/** TikTok's page_size limit on every paged endpoint (§6.1, §6.6, §6.8). */
export const MAX_PAGE_SIZE = 100;
/** Upper bound on upstream pages read to fill one GraphQL page. */
export const MAX_UPSTREAM_PAGES_PER_PAGE = 5;
const MAX_CURSOR_LENGTH = 2_000;

interface CursorPosition {
  /** The upstream page to read; null for the first page. */
  pageToken: string | null;
  /** Items of that page already seen. */
  offset: number;
  /** Page size the token was issued for; reused so tokens stay valid. */
  pageSize: number;
}

/** The upstream page a connection reads next. */
export interface PagePosition {
  pageToken?: string;
  pageSize: number;
}

export interface PageRequest {
  kind: string;
  first: number;
  after: CursorPosition | undefined;
}

export interface ConnectionShape<N> {
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

export function encodeCursor(kind: string, position: CursorPosition): string {
  const payload = { k: kind, t: position.pageToken, o: position.offset, s: position.pageSize };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function decodeCursor(kind: string, cursor: string): CursorPosition {
  const malformed = () =>
    badUserInput('after: malformed cursor; pass a cursor this list returned.', 'after');
  if (
    cursor.length === 0 ||
    cursor.length > MAX_CURSOR_LENGTH ||
    !/^[A-Za-z0-9_-]+$/.test(cursor)
  ) {
    throw malformed();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof payload !== 'object' || payload === null) throw malformed();
  const { k, t, o, s } = payload as Record<string, unknown>;
  const isSize = typeof s === 'number' && Number.isInteger(s) && s >= 1 && s <= MAX_PAGE_SIZE;
  const isOffset = typeof o === 'number' && Number.isInteger(o) && o >= 0;
  if (!isSize || !isOffset || o > s || (t !== null && typeof t !== 'string')) throw malformed();
  if (k !== kind) {
    throw badUserInput(`after: this cursor belongs to another list, not ${kind}.`, 'after');
  }
  return { pageToken: t, offset: o, pageSize: s };
}

/** Validates `first` and `after` before anything goes upstream. */
export function parsePageArgs(
  kind: string,
  args: { first?: number | null; after?: string | null },
): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first: must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  const after =
    args.after === null || args.after === undefined ? undefined : decodeCursor(kind, args.after);
  return { kind, first, after };
}

/**
 * Reads upstream pages until `first` items are collected or the list ends. The page size is the
 * one the cursor was issued with (or `first` on the first page), so keeping `first` constant
 * while paging costs one upstream call per page.
 */
export async function fetchConnection<T, N>(
  request: PageRequest,
  fetchPage: (page: PagePosition) => Promise<Page<T>>,
  toNode: (item: T) => N,
): Promise<ConnectionShape<N>> {
  const pageSize = request.after?.pageSize ?? Math.max(1, request.first);
  let pageToken = request.after?.pageToken ?? null;
  let offset = request.after?.offset ?? 0;
  const edges: ConnectionShape<N>['edges'] = [];
  let totalCount = 0;
  let hasNextPage = false;

  for (let pagesRead = 0; pagesRead < MAX_UPSTREAM_PAGES_PER_PAGE; pagesRead += 1) {
    const page = await fetchPage(pageToken === null ? { pageSize } : { pageToken, pageSize });
    totalCount = page.totalCount;
    const cursorAfter = (index: number) =>
      encodeCursor(
        request.kind,
        index + 1 < page.items.length || page.nextPageToken === null
          ? { pageToken, offset: index + 1, pageSize }
          : { pageToken: page.nextPageToken, offset: 0, pageSize },
      );
    let index = offset;
    for (; index < page.items.length && edges.length < request.first; index += 1) {
      edges.push({ cursor: cursorAfter(index), node: toNode(page.items[index] as T) });
    }
    const isPageLeft = index < page.items.length;
    if (edges.length >= request.first || page.nextPageToken === null) {
      hasNextPage = isPageLeft || page.nextPageToken !== null;
      break;
    }
    pageToken = page.nextPageToken;
    offset = 0;
    // Stopping early is allowed: the page is shorter and hasNextPage says to continue.
    hasNextPage = true;
  }

  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

/**
 * A root list of one shop, once its arguments are checked: the shop is chosen, then pages are
 * read through its loaders, and each node carries the shop for its own fields.
 */
export async function shopConnection<T extends object>(
  ctx: GatewayContext,
  shopId: string | number | null | undefined,
  page: PageRequest,
  fetchPage: (loaders: Loaders, position: PagePosition) => Promise<Page<T>>,
): Promise<ConnectionShape<Scoped<T>>> {
  const scope = await resolveShopScope(ctx, shopId);
  return fetchConnection(
    page,
    (position) => fetchPage(scope.loaders, position),
    (item) => scoped(scope, item),
  );
}

/** The nodes of a connection's page, in order. */
export const nodesOf = <N>(connection: ConnectionShape<N>): N[] =>
  connection.edges.map((edge) => edge.node);

/** `first` and `after` arguments, described once. */
export const pageArgs = (arg: ArgBuilder<BuilderTypes>) => ({
  first: arg.int({
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `Items to return, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  }),
  after: arg.string({
    description: 'Return items after this cursor (an `endCursor` or edge `cursor` from this list).',
  }),
});

/** The `XConnection` and `XEdge` types for a node type. */
export function connectionType<T>(node: ObjectRef<BuilderTypes, T>, name: string, items: string) {
  return builder.connectionObject(
    {
      type: node,
      name: `${name}Connection`,
      description: `A page of ${items}. Forward pagination only: \`first\` + \`after\`.`,
    },
    { name: `${name}Edge`, description: `One of the ${items} and its cursor.` },
  );
}

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: "TikTok's count of matching items across all pages.",
    resolve: (connection) => connection.totalCount,
  }),
);
