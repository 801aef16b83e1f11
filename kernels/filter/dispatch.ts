// Dispatch shared by filter_cmp_*, filter_between_* and mask_*: maps an operator code and a constant (NaN, or
// outside int2) onto an engine MODE, and runs it either as a filter (selection out) or as a byte mask.

import { runFilter, runMask, allValid, MODE_ISNAN, MODE_NOTNAN, MODE_ALL, MODE_BETWEEN } from './engine';

/** Runs MODE as a filter (selection out) or, when MASK, as a byte mask written to `out` (then returns 0). */
// @ts-ignore: decorator
@inline export function run<E, C>(MASK: bool, MODE: i32, col: usize, valid: usize, n: i32, k1: C, k2: C, selIn: usize, nSelIn: i32, out: usize): i32 {
  if (MASK) { runMask<E, C>(MODE, col, valid, n, k1, k2, out); return 0; }
  return runFilter<E, C>(MODE, col, valid, n, k1, k2, selIn, nSelIn, out);
}

/** No row passes: an empty selection, or an all-zero mask. */
// @ts-ignore: decorator
@inline export function none(MASK: bool, n: i32, out: usize): i32 {
  if (MASK && n > 0) memory.fill(out, 0, <usize>n);
  return 0;
}

/** Every non-null row passes. */
// @ts-ignore: decorator
@inline export function all(MASK: bool, valid: usize, n: i32, selIn: usize, nSelIn: i32, out: usize): i32 {
  if (MASK) { runMask<i32, i32>(MODE_ALL, 0, valid, n, 0, 0, out); return 0; }
  return allValid(valid, n, selIn, nSelIn, out);
}

// @ts-ignore: decorator
@inline function byOp<E, C>(MASK: bool, op: i32, col: usize, valid: usize, n: i32, k: C, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  switch (op) {
    case 0: return run<E, C>(MASK, 0, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 1: return run<E, C>(MASK, 1, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 2: return run<E, C>(MASK, 2, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 3: return run<E, C>(MASK, 3, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 4: return run<E, C>(MASK, 4, col, valid, n, k, k, selIn, nSelIn, selOut);
    case 5: return run<E, C>(MASK, 5, col, valid, n, k, k, selIn, nSelIn, selOut);
    default: return none(MASK, n, selOut);
  }
}

// @ts-ignore: decorator
@inline export function floatOp<E>(MASK: bool, op: i32, col: usize, valid: usize, n: i32, k: f64, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (k != k) {
    // Against NaN: = and >= hold for NaN rows only, <> and < for every other row, <= for all rows, > for none.
    if (op == 0 || op == 5) return run<E, f64>(MASK, MODE_ISNAN, col, valid, n, k, k, selIn, nSelIn, selOut);
    if (op == 1 || op == 2) return run<E, f64>(MASK, MODE_NOTNAN, col, valid, n, k, k, selIn, nSelIn, selOut);
    if (op == 3) return all(MASK, valid, n, selIn, nSelIn, selOut);
    return none(MASK, n, selOut);
  }
  return byOp<E, f64>(MASK, op, col, valid, n, k, selIn, nSelIn, selOut);
}

/** int2 column against an int4 constant: a constant outside int2 makes every row below it or above it. */
// @ts-ignore: decorator
@inline export function i16Op(MASK: bool, op: i32, col: usize, valid: usize, n: i32, k: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  if (k > 32767 || k < -32768) {
    const below = k > 0;
    const holds = op == 1 || (below ? (op == 2 || op == 3) : (op == 4 || op == 5));
    return holds ? all(MASK, valid, n, selIn, nSelIn, selOut) : none(MASK, n, selOut);
  }
  return byOp<i16, i32>(MASK, op, col, valid, n, k, selIn, nSelIn, selOut);
}

// @ts-ignore: decorator
@inline export function intOp<E, C>(MASK: bool, op: i32, col: usize, valid: usize, n: i32, k: C, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  return byOp<E, C>(MASK, op, col, valid, n, k, selIn, nSelIn, selOut);
}


// @ts-ignore: decorator
@inline export function floatBetween<E>(MASK: bool, col: usize, valid: usize, n: i32, lo: f64, hi: f64, selIn: usize, nSelIn: i32, out: usize): i32 {
  const loNaN = lo != lo, hiNaN = hi != hi;
  if (loNaN) return hiNaN ? run<E, f64>(MASK, MODE_ISNAN, col, valid, n, lo, hi, selIn, nSelIn, out) : none(MASK, n, out);
  if (hiNaN) return run<E, f64>(MASK, 5, col, valid, n, lo, lo, selIn, nSelIn, out);
  if (lo > hi) return none(MASK, n, out);
  return run<E, f64>(MASK, MODE_BETWEEN, col, valid, n, lo, hi, selIn, nSelIn, out);
}

// @ts-ignore: decorator
@inline export function intBetween<E, C>(MASK: bool, col: usize, valid: usize, n: i32, lo: C, hi: C, selIn: usize, nSelIn: i32, out: usize): i32 {
  if (sizeof<E>() == 2) {
    // clamp to int2 so the 16-bit lanes can hold the bounds
    if (lo < <C>-32768) lo = <C>-32768;
    if (hi > <C>32767) hi = <C>32767;
  }
  if (lo > hi) return none(MASK, n, out);
  return run<E, C>(MASK, MODE_BETWEEN, col, valid, n, lo, hi, selIn, nSelIn, out);
}

