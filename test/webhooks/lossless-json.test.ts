// Big integers in a webhook body are kept exact (§8 samples send ids as numbers; ids have 19
// digits); everything else parses as JSON.parse would, and invalid JSON still throws.
import { describe, expect, it } from 'vitest';
import { parseJsonKeepingBigIntegers } from '../../src/webhooks/lossless-json.js';

describe('parseJsonKeepingBigIntegers', () => {
  it('reads integers beyond 2^53 as their decimal strings, and leaves the rest alone', () => {
    const text =
      '{"product_id":1729382256910270001,"neg":-9007199254740993,"safe":9007199254740991,' +
      '"float":1.5e3,"big_float":17293822569102700.5,"text":"id 1729382256910270001 \\" 1729382256910270002",' +
      '"list":[1729382256910270003, 7]}';
    expect(parseJsonKeepingBigIntegers(text)).toEqual({
      product_id: '1729382256910270001',
      neg: '-9007199254740993',
      safe: 9_007_199_254_740_991,
      float: 1500,
      big_float: Number('17293822569102700.5'),
      text: 'id 1729382256910270001 " 1729382256910270002',
      list: ['1729382256910270003', 7],
    });
  });

  it('throws on invalid JSON, also when quoting a number would make it valid', () => {
    expect(() => parseJsonKeepingBigIntegers('{12345678901234567890: 1}')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingBigIntegers('{"a": 01234567890123456789}')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingBigIntegers('')).toThrow(SyntaxError);
  });
});
