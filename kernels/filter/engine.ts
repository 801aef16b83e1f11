// The predicate engine behind filter_cmp_* and filter_between_*: a SIMD 16-row block loop that compacts passing row
// indices through a swizzle LUT, plus scalar loops for the tail and for an input selection vector.
// Every function is @inline and takes the predicate MODE as a literal, so Binaryen emits one tight loop per mode.

import { bitAt, LUT_COMPACT4 } from '../common';

// MODE: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge (against k1); 6 isnan, 7 not nan, 8 every row (validity only);
// 10 between k1 and k2 inclusive. Float modes follow PostgreSQL (float8.c): NaN = NaN and NaN > every number,
// which for a non-NaN constant is exactly "gt = !(x <= k)" and "ge = !(x < k)". The caller maps NaN constants
// onto modes 6-9 before calling.
export const MODE_ISNAN = 6;
export const MODE_NOTNAN = 7;
export const MODE_ALL = 8;
export const MODE_NONE = 9;
export const MODE_BETWEEN = 10;

/** Scalar predicate on a value already widened to the compare type C (i32, i64 or f64). */
// @ts-ignore: decorator
@inline export function predS<C>(MODE: i32, x: C, k1: C, k2: C): i32 {
  if (MODE == 0) return <i32>(x == k1);
  if (MODE == 1) return <i32>(x != k1);
  if (MODE == 2) return <i32>(x < k1);
  if (MODE == 3) return <i32>(x <= k1);
  if (MODE == 4) return <i32>!(x <= k1);
  if (MODE == 5) return <i32>!(x < k1);
  if (MODE == 6) return <i32>(x != x);
  if (MODE == 7) return <i32>(x == x);
  if (MODE == 8) return 1;
  if (MODE == 10) return <i32>!(x < k1) & <i32>(x <= k2);
  return 0;
}

/** Vector predicate on lanes of type L (i16 x8, i32 x4, i64 x2 or f64 x2); returns all-ones lanes where it holds. */
// @ts-ignore: decorator
@inline function predV<L>(MODE: i32, v: v128, k1: v128, k2: v128): v128 {
  if (sizeof<L>() == 2) {
    if (MODE == 0) return i16x8.eq(v, k1);
    if (MODE == 1) return i16x8.ne(v, k1);
    if (MODE == 2) return i16x8.lt_s(v, k1);
    if (MODE == 3) return i16x8.le_s(v, k1);
    if (MODE == 4) return i16x8.gt_s(v, k1);
    if (MODE == 5) return i16x8.ge_s(v, k1);
    if (MODE == 10) return v128.and(i16x8.ge_s(v, k1), i16x8.le_s(v, k2));
  } else if (isInteger<L>() && sizeof<L>() == 4) {
    if (MODE == 0) return i32x4.eq(v, k1);
    if (MODE == 1) return i32x4.ne(v, k1);
    if (MODE == 2) return i32x4.lt_s(v, k1);
    if (MODE == 3) return i32x4.le_s(v, k1);
    if (MODE == 4) return i32x4.gt_s(v, k1);
    if (MODE == 5) return i32x4.ge_s(v, k1);
    if (MODE == 10) return v128.and(i32x4.ge_s(v, k1), i32x4.le_s(v, k2));
  } else if (isInteger<L>()) {
    if (MODE == 0) return i64x2.eq(v, k1);
    if (MODE == 1) return i64x2.ne(v, k1);
    if (MODE == 2) return i64x2.lt_s(v, k1);
    if (MODE == 3) return i64x2.le_s(v, k1);
    if (MODE == 4) return i64x2.gt_s(v, k1);
    if (MODE == 5) return i64x2.ge_s(v, k1);
    if (MODE == 10) return v128.and(i64x2.ge_s(v, k1), i64x2.le_s(v, k2));
  } else {
    if (MODE == 0) return f64x2.eq(v, k1);
    if (MODE == 1) return f64x2.ne(v, k1);
    if (MODE == 2) return f64x2.lt(v, k1);
    if (MODE == 3) return f64x2.le(v, k1);
    if (MODE == 4) return v128.not(f64x2.le(v, k1));
    if (MODE == 5) return v128.not(f64x2.lt(v, k1));
    if (MODE == 6) return f64x2.ne(v, v);
    if (MODE == 7) return f64x2.eq(v, v);
    if (MODE == 10) return v128.andnot(f64x2.le(v, k2), f64x2.lt(v, k1));
  }
  return i8x16.splat(-1); // MODE_ALL (integers never reach 6/7)
}

/** Narrows four 4-lane masks (rows 0-3, 4-7, 8-11, 12-15) to 16 i8 lanes. */
// @ts-ignore: decorator
@inline function lanes4x4(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

/** Picks the low 32 bits of each 64-bit lane of two 2-lane masks: a 4-lane mask. */
// @ts-ignore: decorator
@inline function pair(a: v128, b: v128): v128 {
  return i32x4.shuffle(a, b, 0, 2, 4, 6);
}

/** Pass lanes (i8 x16, -1 = pass) of rows p[0..16) for element type E compared as C. */
// @ts-ignore: decorator
@inline function block16v<E, C>(MODE: i32, p: usize, k1: v128, k2: v128): v128 {
  if (sizeof<E>() == 2) {
    return i8x16.narrow_i16x8_s(predV<i16>(MODE, v128.load(p), k1, k2), predV<i16>(MODE, v128.load(p, 16), k1, k2));
  } else if (isInteger<E>() && sizeof<E>() == 4) {
    return lanes4x4(
      predV<i32>(MODE, v128.load(p), k1, k2), predV<i32>(MODE, v128.load(p, 16), k1, k2),
      predV<i32>(MODE, v128.load(p, 32), k1, k2), predV<i32>(MODE, v128.load(p, 48), k1, k2));
  } else if (isFloat<E>() && sizeof<E>() == 4) {
    return lanes4x4(
      pair(predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p)), k1, k2),
        predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 8)), k1, k2)),
      pair(predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 16)), k1, k2),
        predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 24)), k1, k2)),
      pair(predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 32)), k1, k2),
        predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 40)), k1, k2)),
      pair(predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 48)), k1, k2),
        predV<f64>(MODE, f64x2.promote_low_f32x4(v128.load_zero<i64>(p, 56)), k1, k2)));
  } else {
    return lanes4x4(
      pair(predV<E>(MODE, v128.load(p), k1, k2), predV<E>(MODE, v128.load(p, 16), k1, k2)),
      pair(predV<E>(MODE, v128.load(p, 32), k1, k2), predV<E>(MODE, v128.load(p, 48), k1, k2)),
      pair(predV<E>(MODE, v128.load(p, 64), k1, k2), predV<E>(MODE, v128.load(p, 80), k1, k2)),
      pair(predV<E>(MODE, v128.load(p, 96), k1, k2), predV<E>(MODE, v128.load(p, 112), k1, k2)));
  }
}

/** 16-bit pass mask of rows p[0..16). */
// @ts-ignore: decorator
@inline function block16<E, C>(MODE: i32, p: usize, k1: v128, k2: v128): i32 {
  return i8x16.bitmask(block16v<E, C>(MODE, p, k1, k2));
}

/** Validity bits of rows i..i+15 as i8 x16 lanes (-1 = not null). */
// @ts-ignore: decorator
@inline export function validLanes(valid: usize, i: i32): v128 {
  const bits = i16x8.splat(<i16>load<u16>(valid + (<usize>i >>> 3)));
  const spread = i8x16.swizzle(bits, i8x16(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
  const sel = i8x16(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
  return i8x16.ne(v128.and(spread, sel), i8x16.splat(0));
}

/** Splats a compare constant into the lane layout block16 uses for element type E. */
// @ts-ignore: decorator
@inline function splatK<E, C>(k: C): v128 {
  if (sizeof<E>() == 2) return i16x8.splat(<i16>k);
  if (isInteger<E>() && sizeof<E>() == 4) return i32x4.splat(<i32>k);
  if (isInteger<E>()) return i64x2.splat(<i64>k);
  return f64x2.splat(<f64>k);
}

/** Writes the row indices base+lane for the set bits of the 4-bit mask `m` at out, 16 bytes at a time. */
// @ts-ignore: decorator
@inline export function compact4(out: usize, idx: v128, m: i32): void {
  v128.store(out, i8x16.swizzle(idx, v128.load(LUT_COMPACT4 + (<usize>m << 4))));
}

/**
 * Filters rows [0, n) (selIn == 0) or rows selIn[0..nSelIn) into selOut; returns the count.
 * E is the column element type, C the type values are compared in (i32 for i16/i32, i64, f64 for f32/f64).
 */
// @ts-ignore: decorator
@inline export function runFilter<E, C>(MODE: i32, col: usize, valid: usize, n: i32, k1: C, k2: C,
  selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  if (selIn != 0) {
    for (let j = 0; j < nSelIn; j++) {
      const r = load<i32>(selIn + (<usize>j << 2));
      let p = predS<C>(MODE, <C>load<E>(col + (<usize>r << alignof<E>())), k1, k2);
      if (valid != 0) p &= bitAt(valid, r);
      store<i32>(selOut + (<usize>cnt << 2), r);
      cnt += p;
    }
    return cnt;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Each 16-row block writes at most 16 indices at selOut[cnt..], and cnt <= i, so no store passes selOut[n).
    const kv1 = splatK<E, C>(k1), kv2 = splatK<E, C>(k2);
    let idx = i32x4(0, 1, 2, 3);
    const four = i32x4.splat(4);
    const end = n & ~15;
    for (; i < end; i += 16) {
      let m = MODE == MODE_ALL ? 0xFFFF : block16<E, C>(MODE, col + (<usize>i << alignof<E>()), kv1, kv2);
      if (valid != 0) m &= <i32>load<u16>(valid + (<usize>i >>> 3));
      if (m != 0) {
        let o = selOut + (<usize>cnt << 2);
        compact4(o, idx, m & 15); o += <usize>popcnt(m & 15) << 2; idx = i32x4.add(idx, four);
        compact4(o, idx, (m >> 4) & 15); o += <usize>popcnt((m >> 4) & 15) << 2; idx = i32x4.add(idx, four);
        compact4(o, idx, (m >> 8) & 15); o += <usize>popcnt((m >> 8) & 15) << 2; idx = i32x4.add(idx, four);
        compact4(o, idx, (m >> 12) & 15); idx = i32x4.add(idx, four);
        cnt += popcnt(m);
      } else {
        idx = i32x4.add(idx, i32x4.splat(16));
      }
    }
  }
  for (; i < n; i++) {
    let p = predS<C>(MODE, <C>load<E>(col + (<usize>i << alignof<E>())), k1, k2);
    if (valid != 0) p &= bitAt(valid, i);
    store<i32>(selOut + (<usize>cnt << 2), i);
    cnt += p;
  }
  return cnt;
}

/** Rows whose validity bit is set (every row when valid == 0): the result of a predicate that is always true. */
// @ts-ignore: decorator
@inline export function allValid(valid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runFilter<i32, i32>(MODE_ALL, 0, valid, n, 0, 0, selIn, nSelIn, selOut);
}


/**
 * Writes maskOut[r] = 1 where the predicate holds and row r is not null, else 0, for rows [0, n): the byte-mask
 * form of runFilter, for predicates that the host combines with AND/OR before filter_mask.
 */
// @ts-ignore: decorator
@inline export function runMask<E, C>(MODE: i32, col: usize, valid: usize, n: i32, k1: C, k2: C, maskOut: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const kv1 = splatK<E, C>(k1), kv2 = splatK<E, C>(k2);
    const one = i8x16.splat(1);
    const end = n & ~15;
    for (; i < end; i += 16) {
      let m = MODE == MODE_ALL ? i8x16.splat(-1) : block16v<E, C>(MODE, col + (<usize>i << alignof<E>()), kv1, kv2);
      if (valid != 0) m = v128.and(m, validLanes(valid, i));
      v128.store(maskOut + <usize>i, v128.and(m, one));
    }
  }
  for (; i < n; i++) {
    let p = MODE == MODE_ALL ? 1 : predS<C>(MODE, <C>load<E>(col + (<usize>i << alignof<E>())), k1, k2);
    if (valid != 0) p &= bitAt(valid, i);
    store<u8>(maskOut + <usize>i, <u8>p);
  }
}

/** 16-bit mask of rows where a[r] OP b[r] for 16 integer rows at pa and pb (OP 0-5). */
// @ts-ignore: decorator
@inline export function block16cols<E>(OP: i32, pa: usize, pb: usize): i32 {
  const z = i8x16.splat(0);
  if (sizeof<E>() == 2) {
    return i8x16.bitmask(i8x16.narrow_i16x8_s(predV<i16>(OP, v128.load(pa), v128.load(pb), z), predV<i16>(OP, v128.load(pa, 16), v128.load(pb, 16), z)));
  } else if (sizeof<E>() == 4) {
    return i8x16.bitmask(lanes4x4(
      predV<i32>(OP, v128.load(pa), v128.load(pb), z), predV<i32>(OP, v128.load(pa, 16), v128.load(pb, 16), z),
      predV<i32>(OP, v128.load(pa, 32), v128.load(pb, 32), z), predV<i32>(OP, v128.load(pa, 48), v128.load(pb, 48), z)));
  } else {
    return i8x16.bitmask(lanes4x4(
      pair(predV<i64>(OP, v128.load(pa), v128.load(pb), z), predV<i64>(OP, v128.load(pa, 16), v128.load(pb, 16), z)),
      pair(predV<i64>(OP, v128.load(pa, 32), v128.load(pb, 32), z), predV<i64>(OP, v128.load(pa, 48), v128.load(pb, 48), z)),
      pair(predV<i64>(OP, v128.load(pa, 64), v128.load(pb, 64), z), predV<i64>(OP, v128.load(pa, 80), v128.load(pb, 80), z)),
      pair(predV<i64>(OP, v128.load(pa, 96), v128.load(pb, 96), z), predV<i64>(OP, v128.load(pa, 112), v128.load(pb, 112), z))));
  }
}

/** Writes the indices base + lane of the 16-bit mask m to out (16-byte stores; out must have room for 16). */
// @ts-ignore: decorator
@inline export function compact16(out: usize, base: i32, m: i32): void {
  let idx = i32x4.add(i32x4.splat(base), i32x4(0, 1, 2, 3));
  const four = i32x4.splat(4);
  let o = out;
  compact4(o, idx, m & 15); o += <usize>popcnt(m & 15) << 2; idx = i32x4.add(idx, four);
  compact4(o, idx, (m >> 4) & 15); o += <usize>popcnt((m >> 4) & 15) << 2; idx = i32x4.add(idx, four);
  compact4(o, idx, (m >> 8) & 15); o += <usize>popcnt((m >> 8) & 15) << 2; idx = i32x4.add(idx, four);
  compact4(o, idx, (m >> 12) & 15);
}

/**
 * Rows whose value equals one of list[0..nlist) (SQL IN), not null; selection in and out as in runFilter.
 * Integers run 16 rows per SIMD step, OR-ing one equality mask per list value; floats compare in PostgreSQL
 * order (NaN IN (NaN) holds).
 */
// @ts-ignore: decorator
@inline export function runIn<E, C>(col: usize, valid: usize, n: i32, list: usize, nlist: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  const m = selIn != 0 ? nSelIn : n;
  let j = 0;
  if (ASC_FEATURE_SIMD && isInteger<E>() && selIn == 0) {
    const end = n & ~15;
    for (; j < end; j += 16) {
      const p = col + (<usize>j << alignof<E>());
      let bits = 0;
      for (let t = 0; t < nlist; t++) {
        const kv = splatK<E, C>(<C>load<E>(list + (<usize>t << alignof<E>())));
        bits |= block16<E, C>(0, p, kv, kv);
      }
      if (valid != 0) bits &= <i32>load<u16>(valid + (<usize>j >>> 3));
      if (bits != 0) {
        compact16(selOut + (<usize>cnt << 2), j, bits);
        cnt += popcnt(bits);
      }
    }
  }
  for (; j < m; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const x = load<E>(col + (<usize>r << alignof<E>()));
    let p = 0;
    for (let t = 0; t < nlist; t++) {
      const y = load<E>(list + (<usize>t << alignof<E>()));
      if (isFloat<E>()) p |= <i32>(x == y || (x != x && y != y));
      else p |= <i32>(x == y);
    }
    if (valid != 0) p &= bitAt(valid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}
