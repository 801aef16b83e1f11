// filter_cmp_col_{i16,i32,i64,f32,f64}: column <op> column -> selection vector (join residuals, a < b predicates).
// A row passes when both sides are not null and the comparison holds in PostgreSQL order (NaN = NaN, NaN > all).

import { bitAt, pgCmpF64, opHolds } from '../common';
import { block16cols, compact16 } from './engine';

// @ts-ignore: decorator
@inline function cmp3<E>(x: E, y: E): i32 {
  if (isFloat<E>()) return pgCmpF64(<f64>x, <f64>y);
  return <i32>(x > y) - <i32>(x < y);
}

// @ts-ignore: decorator
@inline function runColOp<E>(OP: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  const m = selIn != 0 ? nSelIn : n;
  let j = 0;
  if (ASC_FEATURE_SIMD && isInteger<E>() && selIn == 0) {
    // 16 rows per step; as in runFilter, cnt <= j keeps the 16-byte stores inside selOut[0..n)
    const end = n & ~15;
    for (; j < end; j += 16) {
      const off = <usize>j << alignof<E>();
      let bits = block16cols<E>(OP, a + off, b + off);
      if (aValid != 0) bits &= <i32>load<u16>(aValid + (<usize>j >>> 3));
      if (bValid != 0) bits &= <i32>load<u16>(bValid + (<usize>j >>> 3));
      if (bits != 0) {
        compact16(selOut + (<usize>cnt << 2), j, bits);
        cnt += popcnt(bits);
      }
    }
  }
  for (; j < m; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const off = <usize>r << alignof<E>();
    let p = opHolds(OP, cmp3<E>(load<E>(a + off), load<E>(b + off)));
    if (aValid != 0) p &= bitAt(aValid, r);
    if (bValid != 0) p &= bitAt(bValid, r);
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}

// @ts-ignore: decorator
@inline function runCol<E>(op: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  switch (op) {
    case 0: return runColOp<E>(0, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
    case 1: return runColOp<E>(1, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
    case 2: return runColOp<E>(2, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
    case 3: return runColOp<E>(3, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
    case 4: return runColOp<E>(4, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
    case 5: return runColOp<E>(5, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
    default: return 0;
  }
}

export function filter_cmp_col_i16(op: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runCol<i16>(op, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
}
export function filter_cmp_col_i32(op: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runCol<i32>(op, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
}
export function filter_cmp_col_i64(op: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runCol<i64>(op, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
}
export function filter_cmp_col_f32(op: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runCol<f32>(op, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
}
export function filter_cmp_col_f64(op: i32, a: usize, aValid: usize, b: usize, bValid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runCol<f64>(op, a, aValid, b, bValid, n, selIn, nSelIn, selOut);
}
