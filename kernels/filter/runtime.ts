// filter_runtime_{i16,i32,i64}: a hash join's run-time filter (host/exec/runtime-filter.ts, ADR 0020) tested on a
// probe-side scan's key column in place in shared memory, narrowing a selection vector; no key is decoded.
//
// The filter is a 48-byte descriptor the host writes once per scan (docs/kernel-abi.md):
//   +0 i64 min, +8 i64 max      the build keys' range, clamped to i64 (integral doubles on the host)
//   +16 f64 min, +24 f64 max    the same range as the host's doubles (keys beyond 2^53 are tested as doubles)
//   +32 i32 mode                0: range only, 1: bitmap of [min, max], 2: bloom of two bits per key
//   +36 u32 bloom mask          bloom bits - 1 (a power of two minus one)
//   +40 u32 words               byte offset of the bitmap or bloom words (u32, bit b of word w is bit 32w + b)
// A key passes when it is in [min, max] and its bitmap bit, or both of its bloom bits, are set; a NULL never passes.

import { bitAt } from '../common';

const TWO53: i64 = 9007199254740992;

/** The host's 32-bit hash of a 64-bit integer given as its low and high words (runtime-filter.ts hashWords). */
// @ts-ignore: decorator
@inline function hashWords(lo: u32, hi: u32): u32 {
  let h: u32 = (lo ^ (hi * 0x85ebca6b)) * 0x9e3779b1;
  h ^= h >>> 16;
  return h * 0x7feb352d;
}

/** The second bloom position's hash (runtime-filter.ts rehash). */
// @ts-ignore: decorator
@inline function rehash(h: u32): u32 {
  const g: u32 = (h ^ (h >>> 15)) * 0x846ca68b;
  return g ^ (g >>> 16);
}

// @ts-ignore: decorator
@inline function wordBit(words: usize, b: u32): i32 {
  return <i32>((load<u32>(words + (<usize>(b >>> 5) << 2)) >>> (b & 31)) & 1);
}

// @ts-ignore: decorator
@inline function bloomHolds(words: usize, mask: u32, h: u32): i32 {
  return wordBit(words, h & mask) & wordBit(words, rehash(h) & mask);
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
  if (MODE == 2) return bloomHolds(words, mask, hashWords(<u32>k, <u32>(k >> 32)));
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
    return bloomHolds(words, load<u32>(filt, 36), hashWords(lo, hi));
  }
  return 1;
}

// @ts-ignore: decorator
@inline function runRuntime<E>(MODE: i32, col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  const min = load<i64>(filt, 0), max = load<i64>(filt, 8);
  if (min > max) return 0;
  const range = <u64>(max - min);
  const words = <usize>load<u32>(filt, 40);
  const mask = load<u32>(filt, 36);
  const m = selIn != 0 ? nSelIn : n;
  let cnt = 0;
  for (let j = 0; j < m; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const k = <i64>load<E>(col + (<usize>r << alignof<E>()));
    let p: i32;
    if (sizeof<E>() == 8 && <u64>(k + TWO53) > <u64>(TWO53 + TWO53)) p = holdsDouble(MODE, k, filt);
    else p = holdsExact(MODE, k, min, range, words, mask);
    if (valid != 0) p &= bitAt(valid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}

// @ts-ignore: decorator
@inline function byMode<E>(col: usize, valid: usize, n: i32, filt: usize, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  const mode = load<i32>(filt, 32);
  if (mode == 1) return runRuntime<E>(1, col, valid, n, filt, selIn, nSelIn, selOut);
  if (mode == 2) return runRuntime<E>(2, col, valid, n, filt, selIn, nSelIn, selOut);
  return runRuntime<E>(0, col, valid, n, filt, selIn, nSelIn, selOut);
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
