// The response cache for reads (issue 14): a repeated read of cached upstream data (a product's
// catalogue fields, the warehouses) is answered before it is parsed, with Yoga's response cache.
// - Only documents every field of which comes from data the shared cache holds (CACHEABLE below,
//   an allow-list) are cached; orders, stock, analytics, mutations and anything else never are.
// - Entries are per caller: the session is the caller's name, kind, scopes and shops, so two
//   callers that differ in any of them never share one.
// - The TTL is RESPONSE_CACHE_TTL_MS, never above CACHE_TTL_MS (the data's own lifetime).
// - Evicted with the shared cache (withResponseEvictions): a stock write, a webhook, another
//   replica's eviction; all of it when a seller changes (their shops and authorisations).
// Per replica, in memory: with Redis, other replicas' writes reach it through the bus's evictions.
import { createHash } from 'node:crypto';
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import {
  BREAK,
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../auth/caller.js';
import { type SharedCache, withEvictionHook } from '../datasources/tiktok/cache.js';

/**
 * Fields whose values come from the shared cache (Get Product, Get Warehouses) and nothing else:
 * `Type.field`, or `Type.*` for every field of the type but those in UNCACHEABLE.
 */
const CACHEABLE = new Set([
  'Query.product',
  'Query.warehouses',
  'Product.*',
  'Sku.*',
  'Money.*',
  'SalesAttribute.*',
  'ProductImage.*',
  'Brand.*',
  'Category.*',
  'Warehouse.*',
  'WarehouseAddress.*',
]);

/** Fields of the types above that read fresh or differently cached data. */
const UNCACHEABLE = new Set([
  // Inventory Search: stock is always read fresh.
  'Sku.inventory',
  // Analytics: their own TTLs, by range.
  'Product.performance',
  'Product.videos',
]);

function isCacheableField(typeName: string, fieldName: string): boolean {
  if (fieldName === '__typename') return true;
  const coordinate = `${typeName}.${fieldName}`;
  if (UNCACHEABLE.has(coordinate)) return false;
  return CACHEABLE.has(coordinate) || CACHEABLE.has(`${typeName}.*`);
}

/** Whether every field `document` selects is in the allow-list (queries only). */
export function isCacheableDocument(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let cacheable = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation !== 'query') cacheable = false;
      },
      Field(node) {
        const parent = typeInfo.getParentType();
        const parentName = parent ? getNamedType(parent).name : undefined;
        if (!parentName || !isCacheableField(parentName, node.name.value)) {
          cacheable = false;
          return BREAK;
        }
        return undefined;
      },
      Directive(node) {
        // @defer / @stream answers come in parts: not worth the care here.
        if (node.name.value === 'defer' || node.name.value === 'stream') cacheable = false;
      },
    }),
  );
  return cacheable && document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION);
}

/** The cache entries, with what evicts them. */
export interface ResponseCacheStore {
  /** What the plugin reads and writes. */
  readonly entries: ReturnType<typeof createInMemoryCache>;
  /** Drops every answer that holds this product. */
  invalidateProduct(productId: string): void;
  /** Drops every answer. */
  clear(): void;
}

export function createResponseCacheStore(options: { maxEntries: number }): ResponseCacheStore {
  let inner = createInMemoryCache({ max: options.maxEntries });
  // Delegates, so clear() can start an empty cache under the plugin.
  const entries: ReturnType<typeof createInMemoryCache> = {
    get: (key) => inner.get(key),
    set: (key, data, entities, ttl) => inner.set(key, data, entities, ttl),
    invalidate: (entities) => inner.invalidate(entities),
  };
  return {
    entries,
    invalidateProduct(productId) {
      void inner.invalidate([{ typename: 'Product', id: productId }]);
    },
    clear() {
      inner = createInMemoryCache({ max: options.maxEntries });
    },
  };
}

/**
 * `cache` that also evicts the answers built on what it evicts. Wrap the replica's own cache
 * (before createCacheInvalidator), so other replicas' evictions reach the answers too.
 */
export function withResponseEvictions(
  cache: SharedCache,
  responses: ResponseCacheStore | undefined,
): SharedCache {
  if (!responses) return cache;
  return withEvictionHook(cache, (eviction) => {
    if (eviction.kind === 'product') responses.invalidateProduct(eviction.productId);
    // Answers do not say which shop they came from: a shop-wide eviction (rare) drops them all.
    else responses.clear();
  });
}

/** Who the answer is for: every part of a caller that decides what it may see. */
function sessionOf(caller: Caller): string {
  const shops = caller.shops === '*' ? '*' : [...caller.shops].sort().join(',');
  return JSON.stringify([caller.kind, caller.name, [...caller.scopes].sort(), shops]);
}

export interface ReadCacheOptions {
  schema: GraphQLSchema;
  responses: ResponseCacheStore;
  /** Lifetime of an answer, ms (≤ CACHE_TTL_MS). */
  ttlMs: number;
  /** The request's caller (set by useCredentials before any GraphQL work). */
  callerOf(request: Request): Caller | undefined;
}

export function useReadCache(options: ReadCacheOptions): Plugin[] {
  const { schema, responses, ttlMs, callerOf } = options;
  const verdicts = new WeakMap<DocumentNode, boolean>();
  /** Per request, once its document is known: whether the answer may be cached. */
  const verdictByContext = new WeakMap<object, boolean>();
  const sessions = new WeakMap<Caller, string>();
  const session = (caller: Caller) => {
    let found = sessions.get(caller);
    if (found === undefined) {
      found = sessionOf(caller);
      sessions.set(caller, found);
    }
    return found;
  };
  const decide: Plugin = {
    onExecute({ args }) {
      let verdict = verdicts.get(args.document);
      if (verdict === undefined) {
        verdict = isCacheableDocument(schema, args.document);
        verdicts.set(args.document, verdict);
      }
      verdictByContext.set(args.contextValue as object, verdict);
    },
  };
  return [
    decide,
    useResponseCache({
      cache: responses.entries,
      ttl: ttlMs,
      // No caller, no cache (the front door answers 401 before this anyway). Before execution
      // (the lookup by key) every request may hit; at execution a document that is not cacheable
      // turns the plugin off, or it would walk the whole answer for entities it never stores
      // (55 ms of CPU on a 50-order page: scripts/hot-path-cpu.ts --operation orders-page).
      enabled: (request, context) =>
        callerOf(request) !== undefined && verdictByContext.get(context as object) !== false,
      session: (request) => {
        const caller = callerOf(request);
        return caller ? session(caller) : null;
      },
      // Evictions are explicit (withResponseEvictions): a mutation's own answer names no product.
      invalidateViaMutation: false,
      // The same answers in every environment (the default adds hit/miss metadata in development).
      includeExtensionMetadata: false,
      // Synchronous node:crypto rather than the default's WebCrypto promise on every request.
      // Each part is length-prefixed, so no two different requests hash the same text; variables
      // in another key order only miss. The key is also the answer's ETag.
      buildResponseCacheKey: ({ documentString, operationName, variableValues, sessionId }) => {
        const hash = createHash('sha256');
        for (const part of [
          documentString,
          operationName ?? '',
          JSON.stringify(variableValues ?? {}),
          sessionId ?? '',
        ]) {
          hash.update(`${part.length}:`).update(part);
        }
        return hash.digest('hex');
      },
      onTtl: ({ ttl, context }) => (verdictByContext.get(context as object) === true ? ttl : 0),
    }),
  ];
}
