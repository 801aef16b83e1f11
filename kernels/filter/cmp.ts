// filter_cmp_{i16,i32,i64,f32,f64}: column <op> constant -> selection vector. The first operator of most scans.
// op: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge; null rows never pass; NaN follows PostgreSQL (NaN = NaN, NaN > all).

import { floatOp, i16Op, intOp } from './dispatch';

export function filter_cmp_i16(op: i32, col: usize, valid: usize, n: i32, k: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return i16Op(false, op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_i32(op: i32, col: usize, valid: usize, n: i32, k: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return intOp<i32, i32>(false, op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_i64(op: i32, col: usize, valid: usize, n: i32, k: i64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return intOp<i64, i64>(false, op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_f32(op: i32, col: usize, valid: usize, n: i32, k: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatOp<f32>(false, op, col, valid, n, k, selIn, nSelIn, selOut);
}

export function filter_cmp_f64(op: i32, col: usize, valid: usize, n: i32, k: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatOp<f64>(false, op, col, valid, n, k, selIn, nSelIn, selOut);
}
