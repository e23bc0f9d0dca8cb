// The bracket scan that refuses deep documents before graphql-js parses them (issue 10).
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nestingDepth } from '../../src/plugins/use-nesting-limit.js';
import { DEFAULT_QUERY_LIMITS, nestingLimitOf } from '../../src/schema/query-limits.js';

describe('nestingDepth', () => {
  it.each([
    ['{ a }', 1],
    ['{ a { b(x: [1, [2]]) { c } } }', 5],
    ['query($v: [[Int]]) { a(o: { p: { q: 1 } }) }', 4],
    ['{ a(s: "{{{{ [[[ ((( ") }', 2],
    ['{ a(s: "escaped \\" {{{{") }', 2],
    ['{ a(s: """ block " "" {{{{ \\""" {{{ """) }', 2],
    ['{ a # {{{{ a comment\n b }', 1],
    ['{ a #\r{ b } }', 2],
    ['', 0],
  ])('%j nests %i deep', (source, depth) => {
    expect(nestingDepth(source)).toBe(depth);
  });

  it('stops one past the limit, on text of any length', () => {
    expect(nestingDepth('{'.repeat(1_000_000), 32)).toBe(33);
  });

  it('stops at a closer without an opener, where the parser stops too', () => {
    expect(nestingDepth(`{ a } } ${'{'.repeat(100)}`)).toBe(1);
  });

  it('lets the introspection query and the default depth limit through', () => {
    const limit = nestingLimitOf(DEFAULT_QUERY_LIMITS);
    expect(limit).toBe(32);
    expect(nestingDepth(getIntrospectionQuery({ inputValueDeprecation: true }))).toBeLessThan(
      limit,
    );
    expect(nestingLimitOf({ maxDepth: 40 })).toBe(80);
  });
});
