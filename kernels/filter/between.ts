// filter_between_{i16,i32,i64,f32,f64}: lo <= column <= hi (SQL BETWEEN, inclusive) -> selection vector.
// x BETWEEN lo AND hi is x >= lo AND x <= hi (PostgreSQL rewrites it so), with NaN as the greatest float.

import { floatBetween, intBetween } from './dispatch';

export function filter_between_i16(col: usize, valid: usize, n: i32, lo: i32, hi: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return intBetween<i16, i32>(false, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}
export function filter_between_i32(col: usize, valid: usize, n: i32, lo: i32, hi: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return intBetween<i32, i32>(false, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}
export function filter_between_i64(col: usize, valid: usize, n: i32, lo: i64, hi: i64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return intBetween<i64, i64>(false, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}
export function filter_between_f32(col: usize, valid: usize, n: i32, lo: f64, hi: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatBetween<f32>(false, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}
export function filter_between_f64(col: usize, valid: usize, n: i32, lo: f64, hi: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return floatBetween<f64>(false, col, valid, n, lo, hi, selIn, nSelIn, selOut);
}
