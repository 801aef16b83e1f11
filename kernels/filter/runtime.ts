// filter_runtime_{i16,i32,i64}: a hash join's run-time filter (host/exec/runtime-filter.ts, ADR 0020) tested on a
// probe-side scan's key column in place in shared memory, narrowing a selection vector; no key is decoded.
//
// The filter is a 48-byte descriptor the host writes once per scan (docs/kernel-abi.md):
//   +0 i64 min, +8 i64 max      the build keys' range, clamped to i64 (integral doubles on the host)
//   +16 f64 min, +24 f64 max    the same range as the host's doubles (keys beyond 2^53 are tested as doubles)
//   +32 i32 mode                0: range only, 1: bitmap of [min, max], 2: blocked bloom, three bits per key in one u64
//   +36 u32 bloom word mask     bloom u64 words - 1 (a power of two minus one)
//   +40 u32 words               byte offset of the bitmap or bloom words (bit b of the bitmap is bit b & 31 of u32 word
//                               b >> 5; a bloom key's bits all lie in the u64 word its hash picks)
// A key passes when it is in [min, max] and its bitmap bit, or its three bloom bits, are set; a NULL never passes.

import { bitAt } from '../common';

const TWO53: i64 = 9007199254740992;

/** The blocked bloom's multiplier (runtime-filter.ts BLOOM_MUL_HI:BLOOM_MUL_LO, Fibonacci hashing). */
const BLOOM_MUL: u64 = 0x9e3779b97f4a7c15;

// @ts-ignore: decorator
@inline function wordBit(words: usize, b: u32): i32 {
  return <i32>((load<u32>(words + (<usize>(b >>> 5) << 2)) >>> (b & 31)) & 1);
}

/**
 * Whether the blocked bloom holds a 64-bit key (runtime-filter.ts bloomBits): h = key * BLOOM_MUL, bits 44-63 of h
 * pick a u64 word, which must have the three bits that bits 20-25, 26-31 and 32-37 of h pick: one multiply and one
 * memory access per key.
 */
// @ts-ignore: decorator
@inline function bloomHolds(words: usize, mask: u32, key: u64): i32 {
  const h = key * BLOOM_MUL;
  const bits = (<u64>1 << ((h >> 20) & 63)) | (<u64>1 << ((h >> 26) & 63)) | (<u64>1 << ((h >> 32) & 63));
  const w = <usize>(<u32>(h >> 44) & mask);
  return <i32>((load<u64>(words + (w << 3)) & bits) == bits);
}

/**
 * Whether the filter holds key k given exactly (|k| <= 2^53, so the host's double of it is exact): the
 * range in i64, then the bitmap bit at k - min or the bloom bits of k's words.
 */
// @ts-ignore: decorator
@inline function holdsExact(MODE: i32, k: i64, min: i64, range: u64, words: usize, mask: u32): i32 {
  // one unsigned compare for min <= k <= max (range = max - min; the caller has ruled out min > max)
  const d = <u64>(k - min);
  if (d > range) return 0;
  if (MODE == 1) return wordBit(words, <u32>d);
  if (MODE == 2) return bloomHolds(words, mask, <u64>k);
  return 1;
}

/** The same test for a key beyond 2^53, on its double as the host converts it (Number(bigint)). */
function holdsDouble(mode: i32, k: i64, filt: usize): i32 {
  const x = <f64>k;
  const min = load<f64>(filt, 16), max = load<f64>(filt, 24);
  if (!(x >= min && x <= max)) return 0;
  const words = <usize>load<u32>(filt, 40);
  if (mode == 1) return wordBit(words, <u32>(<i64>(x - min)));
  if (mode == 2) {
    // the double's low and high 32-bit words as the host takes them: x >>> 0 and floor(x / 2^32) | 0
    const hiF = Math.floor(x / 4294967296.0);
    const lo = <u32>(<i64>(x - hiF * 4294967296.0));
    const hi = <u32>(<i64>hiF);
    return bloomHolds(words, load<u32>(filt, 36), (<u64>hi << 32) | <u64>lo);
  }
  return 1;
}

/**
 * One row's test: exact for keys within 2^53, else on the key's double as the host converts it. A key beyond 2^53
 * can only be an i64's (sizeof<E>() == 8), so the narrower columns compile without the check, and so does an i64
 * column tested against a filter whose range lies strictly within +-2^53 (WIDE false): every build key was exact
 * as a double there, and a key beyond 2^53 falls outside [min, max] in the exact test as in the double one.
 */
// @ts-ignore: decorator
@inline function rowHolds<E>(MODE: i32, WIDE: bool, k: i64, min: i64, range: u64, words: usize, mask: u32, filt: usize): i32 {
  if (sizeof<E>() == 8 && WIDE && <u64>(k + TWO53) > <u64>(TWO53 + TWO53)) return holdsDouble(MODE, k, filt);
  return holdsExact(MODE, k, min, range, words, mask);
}

/**
 * The selection loop, compiled once per mode, input form (SEL: a selection vector, else rows 0..n-1) and NULLS
 * (a validity bitmap, else none): the loop body has no test that is the same for every row. Every row is stored
 * and the count advanced by the test's 0 or 1, so the loop has no data-dependent branch.
 */
// @ts-ignore: decorator
@inline function runRuntime<E>(MODE: i32, WIDE: bool, SEL: bool, NULLS: bool, col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  const min = load<i64>(filt, 0), max = load<i64>(filt, 8);
  if (min > max) return 0;
  const range = <u64>(max - min);
  const words = <usize>load<u32>(filt, 40);
  const mask = load<u32>(filt, 36);
  const m = SEL ? nSelIn : n;
  let cnt = 0;
  for (let j = 0; j < m; j++) {
    const r = SEL ? load<i32>(selIn + (<usize>j << 2)) : j;
    let p = rowHolds<E>(MODE, WIDE, <i64>load<E>(col + (<usize>r << alignof<E>())), min, range, words, mask, filt);
    if (NULLS) p &= bitAt(valid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}

// @ts-ignore: decorator
@inline function byForm<E>(MODE: i32, WIDE: bool, col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (selIn != 0) {
    if (valid != 0) return runRuntime<E>(MODE, WIDE, true, true, col, valid, n, filt, selIn, nSelIn, selOut);
    return runRuntime<E>(MODE, WIDE, true, false, col, valid, n, filt, selIn, nSelIn, selOut);
  }
  if (valid != 0) return runRuntime<E>(MODE, WIDE, false, true, col, valid, n, filt, selIn, nSelIn, selOut);
  return runRuntime<E>(MODE, WIDE, false, false, col, valid, n, filt, selIn, nSelIn, selOut);
}

// @ts-ignore: decorator
@inline function byWidth<E>(MODE: i32, col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  // an i64 column needs the per-row 2^53 test only when the filter's range reaches +-2^53 (rowHolds)
  if (sizeof<E>() == 8 && !(load<i64>(filt, 0) > -TWO53 && load<i64>(filt, 8) < TWO53)) return byForm<E>(MODE, true, col, valid, n, filt, selIn, nSelIn, selOut);
  return byForm<E>(MODE, false, col, valid, n, filt, selIn, nSelIn, selOut);
}

// @ts-ignore: decorator
@inline function byMode<E>(col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  const mode = load<i32>(filt, 32);
  if (mode == 1) return byWidth<E>(1, col, valid, n, filt, selIn, nSelIn, selOut);
  if (mode == 2) return byWidth<E>(2, col, valid, n, filt, selIn, nSelIn, selOut);
  return byWidth<E>(0, col, valid, n, filt, selIn, nSelIn, selOut);
}

export function filter_runtime_i16(col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return byMode<i16>(col, valid, n, filt, selIn, nSelIn, selOut);
}
export function filter_runtime_i32(col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return byMode<i32>(col, valid, n, filt, selIn, nSelIn, selOut);
}
export function filter_runtime_i64(col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return byMode<i64>(col, valid, n, filt, selIn, nSelIn, selOut);
}
