// filter_cmp_{i16,i32,i64,f32,f64}: column <op> constant -> selection vector. The first operator of most scans.
// op: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge; null rows never pass; NaN follows PostgreSQL (NaN = NaN, NaN > all).

import { runFilter, allValid, MODE_ISNAN, MODE_NOTNAN } from './engine';

// @ts-ignore: decorator
@inline function byOp<E, C>(op: i32, col: usize, valid: usize, n: i32, k: C, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  switch (op) {
    case 0: return runFilter<E, C>(0, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 1: return runFilter<E, C>(1, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 2: return runFilter<E, C>(2, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 3: return runFilter<E, C>(3, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 4: return runFilter<E, C>(4, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 5: return runFilter<E, C>(5, col, valid, n, k, k, selIn, nSelIn, selOut);
    default: return 0;
  }
}

// @ts-ignore: decorator
@inline function floatOp<E>(op: i32, col: usize, valid: usize, n: i32, k: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (k != k) {
    // Against NaN: = and >= hold for NaN rows only, <> and < for every other row, <= for all rows, > for none.
    if (op == 0 || op == 5) return runFilter<E, f64>(MODE_ISNAN, col, valid, n, k, k, selIn, nSelIn, selOut);
    if (op == 1 || op == 2) return runFilter<E, f64>(MODE_NOTNAN, col, valid, n, k, k, selIn, nSelIn, selOut);
    if (op == 3) return allValid(valid, n, selIn, nSelIn, selOut);
    return 0;
  }
  return byOp<E, f64>(op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_i16(op: i32, col: usize, valid: usize, n: i32, k: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (k > 32767 || k < -32768) {
    // The constant lies outside int2: every row is below it (k > max) or above it (k < min).
    const below = k > 0;
    const holds = op == 1 || (below ? (op == 2 || op == 3) : (op == 4 || op == 5));
    return holds ? allValid(valid, n, selIn, nSelIn, selOut) : 0;
  }
  return byOp<i16, i32>(op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_i32(op: i32, col: usize, valid: usize, n: i32, k: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return byOp<i32, i32>(op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_i64(op: i32, col: usize, valid: usize, n: i32, k: i64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return byOp<i64, i64>(op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_f32(op: i32, col: usize, valid: usize, n: i32, k: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatOp<f32>(op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_f64(op: i32, col: usize, valid: usize, n: i32, k: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatOp<f64>(op, col, valid, n, k, selIn, nSelIn, selOut);
}
