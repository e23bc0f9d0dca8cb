// JSON.parse that keeps big integers exact. §8 samples give `product_id` both as a string and as a
// number, and TikTok's ids are 19 digits: past 2^53 a number loses its last digits, so an id read
// that way names another product. (Node 20's JSON.parse has no access to the source text.)

/** Integer literals of more digits than this may be unsafe; 9007199254740991 has 16. */
const SAFE_DIGITS = 15;

/**
 * Parses `text` as JSON; an integer literal beyond Number.MAX_SAFE_INTEGER becomes its decimal
 * string. Throws SyntaxError like JSON.parse.
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  // Parsed as it is first: only valid JSON is accepted (a quoted literal could pass for a key).
  const parsed: unknown = JSON.parse(text);
  const quoted = quoteBigIntegers(text);
  return quoted === text ? parsed : JSON.parse(quoted);
}

/** The text with every unsafe integer literal outside strings wrapped in quotes. */
function quoteBigIntegers(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (character === '"') {
      index = closingQuote(text, index);
    } else if (character === '-' || isDigit(character)) {
      const end = numberEnd(text, index);
      const literal = text.slice(index, end);
      if (isUnsafeInteger(literal)) {
        result += `${text.slice(copiedUpTo, index)}"${literal}"`;
        copiedUpTo = end;
      }
      index = end - 1;
    }
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/** Index of the quote closing the string that opens at `start` (or the end of the text). */
function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '"') return index;
  }
  return text.length;
}

/** End (exclusive) of the number token at `start`: sign, digits, fraction, exponent. */
function numberEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length && /[-+0-9.eE]/.test(text[index] as string)) index += 1;
  return index;
}

function isUnsafeInteger(literal: string): boolean {
  if (!/^-?\d+$/.test(literal)) return false;
  return literal.replace('-', '').length > SAFE_DIGITS && !Number.isSafeInteger(Number(literal));
}
