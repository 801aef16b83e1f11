// filter_between_{i16,i32,i64,f32,f64}: lo <= column <= hi (SQL BETWEEN, inclusive) -> selection vector.
// x BETWEEN lo AND hi is x >= lo AND x <= hi (PostgreSQL rewrites it so), with NaN as the greatest float.

import { runFilter, MODE_BETWEEN, MODE_ISNAN } from './engine';

// @ts-ignore: decorator
@inline function floatBetween<E>(col: usize, valid: usize, n: i32, lo: f64, hi: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  const loNaN = lo != lo, hiNaN = hi != hi;
  if (loNaN) return hiNaN ? runFilter<E, f64>(MODE_ISNAN, col, valid, n, lo, hi, selIn, nSelIn, selOut) : 0;
  if (hiNaN) return runFilter<E, f64>(5, col, valid, n, lo, lo, selIn, nSelIn, selOut);
  if (lo > hi) return 0;
  return runFilter<E, f64>(MODE_BETWEEN, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}

export function filter_between_i16(col: usize, valid: usize, n: i32, lo: i32, hi: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (lo < -32768) lo = -32768;
  if (hi > 32767) hi = 32767;
  if (lo > hi) return 0;
  return runFilter<i16, i32>(MODE_BETWEEN, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}

export function filter_between_i32(col: usize, valid: usize, n: i32, lo: i32, hi: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (lo > hi) return 0;
  return runFilter<i32, i32>(MODE_BETWEEN, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}

export function filter_between_i64(col: usize, valid: usize, n: i32, lo: i64, hi: i64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (lo > hi) return 0;
  return runFilter<i64, i64>(MODE_BETWEEN, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}

export function filter_between_f32(col: usize, valid: usize, n: i32, lo: f64, hi: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatBetween<f32>(col, valid, n, lo, hi, selIn, nSelIn, selOut);
}

export function filter_between_f64(col: usize, valid: usize, n: i32, lo: f64, hi: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatBetween<f64>(col, valid, n, lo, hi, selIn, nSelIn, selOut);
}
