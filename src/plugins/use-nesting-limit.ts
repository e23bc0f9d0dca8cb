// Deep nesting is refused before parsing (issue 10). graphql-js parses recursively, a few calls per
// `{`, `(` or `[`, and with graphql-armor's token counter wrapped around the lexer a 2,000-level
// document overflowed the stack of a fresh process (HTTP 500) before any limit ran: 2,000 levels
// are only 4,000 tokens, under the token limit, and the depth limit is checked after parsing. The
// text is scanned once here, without recursion.
import type { Plugin } from 'graphql-yoga';
import { limitRefusal } from '../schema/query-limits.js';

const OPENERS = new Set(['{', '(', '[']);
const CLOSERS = new Set(['}', ')', ']']);

/**
 * The deepest nesting of `{`, `(` and `[` in a GraphQL document, outside strings and comments. It
 * stops early past `limit`, and at a closer without an opener (the parser stops there too).
 */
export function nestingDepth(source: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index] as string;
    if (character === '#') {
      index = lineEnd(source, index);
    } else if (character === '"') {
      index = stringEnd(source, index);
    } else if (OPENERS.has(character)) {
      depth += 1;
      deepest = Math.max(deepest, depth);
      if (deepest > limit) return deepest;
    } else if (CLOSERS.has(character)) {
      depth -= 1;
      if (depth < 0) return deepest;
    }
  }
  return deepest;
}

/** Index of the line terminator ending the comment at `start` (or the end of the text). */
function lineEnd(source: string, start: number): number {
  let index = start;
  while (index < source.length && source[index] !== '\n' && source[index] !== '\r') index += 1;
  return index;
}

/** Index of the last quote of the string (or block string) opening at `start`. */
function stringEnd(source: string, start: number): number {
  if (source.startsWith('"""', start)) {
    // Block strings escape only `\"""`.
    for (let index = start + 3; index < source.length; index += 1) {
      if (source.startsWith('\\"""', index)) index += 3;
      else if (source.startsWith('"""', index)) return index + 2;
    }
    return source.length;
  }
  for (let index = start + 1; index < source.length; index += 1) {
    const character = source[index];
    if (character === '\\') index += 1;
    else if (character === '"' || character === '\n' || character === '\r') return index;
  }
  return source.length;
}

/** Refuses a document nesting deeper than `maxNesting` (nestingLimitOf) before it is parsed. */
export function useNestingLimit(options: { maxNesting: number }): Plugin {
  const { maxNesting } = options;
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (nestingDepth(source, maxNesting) > maxNesting) {
        throw limitRefusal(`Query nesting limit of ${maxNesting} exceeded.`, 'maxDepth');
      }
    },
  };
}
