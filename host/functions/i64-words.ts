// Allocation-free access to 64-bit integer columns (int8, numeric(p<=18), timestamp) as pairs of
// 32-bit words: group keys hash the words (host/exec/group-index.ts), and counts and integer sums
// kept as exact doubles (below 2^53) are written out without a BigInt per value (host/exec/aggregates.ts).

/** Magnitudes at or below this are exact in a double, and so is any sum or product that stays there. */
export const EXACT_MAX = 9007199254740991;
export const TWO32 = 4294967296;
/** Largest high word (and smallest, negated plus one) of a value whose magnitude is below 2^53. */
export const HI_LIMIT = 2097152;

/** The little-endian 32-bit words of a BigInt64Array: row i is (w[2i] low, w[2i+1] high). */
export function wordsOf(d: BigInt64Array): Int32Array {
  return new Int32Array(d.buffer, d.byteOffset, d.length * 2);
}

/** Row i as an exact double, or NaN when |value| >= 2^53 (the caller then takes the BigInt path). */
export function exactAt(w: Int32Array, i: number): number {
  const hi = w[2 * i + 1]!;
  if (hi >= HI_LIMIT || hi < -HI_LIMIT) return NaN;
  return hi * TWO32 + (w[2 * i]! >>> 0);
}

/** Stores an integral double of magnitude <= 2^53 at row i without making a BigInt. */
export function setExact(w: Int32Array, i: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  w[2 * i] = (v - hi * TWO32) | 0;
  w[2 * i + 1] = hi;
}

/** A BigInt64Array holding integral doubles (each of magnitude <= 2^53). */
export function bigInt64FromExact(vals: ArrayLike<number>, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const w = wordsOf(out);
  for (let i = 0; i < n; i++) setExact(w, i, vals[i]!);
  return out;
}
