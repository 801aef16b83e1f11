// filter_in_{i16,i32,i64,f64}: column IN (constant list) -> selection vector. The list is an array of the column's
// own type in shared memory; a NULL in the list never matches (the host handles "x NOT IN (.., NULL)").

import { runIn } from './engine';

export function filter_in_i16(col: usize, valid: usize, n: i32, list: usize, nlist: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runIn<i16, i32>(col, valid, n, list, nlist, selIn, nSelIn, selOut);
}
export function filter_in_i32(col: usize, valid: usize, n: i32, list: usize, nlist: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runIn<i32, i32>(col, valid, n, list, nlist, selIn, nSelIn, selOut);
}
export function filter_in_i64(col: usize, valid: usize, n: i32, list: usize, nlist: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runIn<i64, i64>(col, valid, n, list, nlist, selIn, nSelIn, selOut);
}
export function filter_in_f64(col: usize, valid: usize, n: i32, list: usize, nlist: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return runIn<f64, f64>(col, valid, n, list, nlist, selIn, nSelIn, selOut);
}
