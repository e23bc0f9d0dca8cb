// Seeded randomness for the generated data: no Math.random, so a seed always gives the same shop.

/** A seeded generator of floats in [0, 1) plus the helpers the generators need. */
export interface Rng {
  next(): number;
  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks a key by relative weight. */
  weighted<T extends string>(weights: ReadonlyArray<readonly [T, number]>): T;
  /** An index drawn by relative weight. */
  weightedIndex(weights: readonly number[]): number;
  /** An index drawn by weight from the running totals of the weights (a binary search). */
  cumulativeIndex(cumulative: ArrayLike<number>): number;
  chance(probability: number): boolean;
  /** `length` decimal digits, the first one non-zero. */
  digits(length: number): string;
  /** `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string;
}

/** mulberry32: tiny, fast and good enough for fixtures. A class so instances are cheap. */
class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T extends string>(weights: ReadonlyArray<readonly [T, number]>): T {
    return weights[this.weightedIndex(weights.map(([, weight]) => weight))]![0];
  }

  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) total += weight;
    let roll = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      roll -= weights[i]!;
      if (roll < 0) return i;
    }
    return weights.length - 1;
  }

  cumulativeIndex(cumulative: ArrayLike<number>): number {
    const roll = this.next() * cumulative[cumulative.length - 1]!;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > roll) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  digits(length: number): string {
    // Built from numbers (exact below 2^53) so the result is one flat string, not a rope.
    if (length <= 15) return String(this.int(10 ** (length - 1), 10 ** length - 1));
    return joinDigits(BigInt(this.digits(length - 15)), this.int(0, 10 ** 15 - 1), 15);
  }

  chars(length: number, alphabet: string): string {
    let out = '';
    while (out.length < length) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

/**
 * `prefix` followed by `value` zero-padded to `width` digits, e.g. (57n, 42, 4) → "570042". Goes
 * through BigInt so long ids come out as flat strings: V8 keeps `a + b` of 13+ characters as a
 * rope, which costs memory and re-flattening whenever the id is hashed as a Map key.
 */
export function joinDigits(prefix: bigint, value: number, width: number): string {
  let scale = POWERS_OF_TEN[width];
  if (scale === undefined) {
    scale = 10n ** BigInt(width);
    POWERS_OF_TEN[width] = scale;
  }
  return String(prefix * scale + BigInt(value));
}

const POWERS_OF_TEN: bigint[] = [];

/** 32-bit FNV-1a over a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function mix(hash: number, value: number): number {
  let h = hash ^ Math.imul(value | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Mixes up to four integers into one 32-bit hash (murmur3 finalizer per step). */
export function hashInts(a: number, b = 0, c = 0, d = 0): number {
  return mix(mix(mix(mix(0x9e3779b9, a), b), c), d) >>> 0;
}

/** Deterministic float in [0, 1) from integers, for per-day derived metrics. */
export function unitHash(a: number, b = 0, c = 0, d = 0): number {
  return hashInts(a, b, c, d) / 4294967296;
}
