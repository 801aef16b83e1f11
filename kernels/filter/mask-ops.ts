// mask_*: predicates as u8 byte masks (1 = true, 0 = false or NULL) over rows [0, n), and their AND / OR / NOT, for
// WHERE clauses with OR that a single selection vector cannot express; filter_mask turns the result into a selection.
// A NULL comparison writes 0, which is right for AND and OR at the top of a WHERE clause (unknown is not true) but
// not under NOT: the host pushes NOT into the comparison (NOT a < k is a >= k) or masks nulls itself.

import { floatOp, i16Op, intOp, floatBetween, intBetween } from './dispatch';

export function mask_cmp_i16(op: i32, col: usize, valid: usize, n: i32, k: i32, maskOut: usize): void { i16Op(true, op, col, valid, n, k, 0, 0, maskOut); }
export function mask_cmp_i32(op: i32, col: usize, valid: usize, n: i32, k: i32, maskOut: usize): void { intOp<i32, i32>(true, op, col, valid, n, k, 0, 0, maskOut); }
export function mask_cmp_i64(op: i32, col: usize, valid: usize, n: i32, k: i64, maskOut: usize): void { intOp<i64, i64>(true, op, col, valid, n, k, 0, 0, maskOut); }
export function mask_cmp_f32(op: i32, col: usize, valid: usize, n: i32, k: f64, maskOut: usize): void { floatOp<f32>(true, op, col, valid, n, k, 0, 0, maskOut); }
export function mask_cmp_f64(op: i32, col: usize, valid: usize, n: i32, k: f64, maskOut: usize): void { floatOp<f64>(true, op, col, valid, n, k, 0, 0, maskOut); }

export function mask_between_i16(col: usize, valid: usize, n: i32, lo: i32, hi: i32, maskOut: usize): void { intBetween<i16, i32>(true, col, valid, n, lo, hi, 0, 0, maskOut); }
export function mask_between_i32(col: usize, valid: usize, n: i32, lo: i32, hi: i32, maskOut: usize): void { intBetween<i32, i32>(true, col, valid, n, lo, hi, 0, 0, maskOut); }
export function mask_between_i64(col: usize, valid: usize, n: i32, lo: i64, hi: i64, maskOut: usize): void { intBetween<i64, i64>(true, col, valid, n, lo, hi, 0, 0, maskOut); }
export function mask_between_f32(col: usize, valid: usize, n: i32, lo: f64, hi: f64, maskOut: usize): void { floatBetween<f32>(true, col, valid, n, lo, hi, 0, 0, maskOut); }
export function mask_between_f64(col: usize, valid: usize, n: i32, lo: f64, hi: f64, maskOut: usize): void { floatBetween<f64>(true, col, valid, n, lo, hi, 0, 0, maskOut); }

// OP: 0 and, 1 or, 2 not (b unused); masks hold 0/1 bytes so bitwise ops are the logical ones.
// @ts-ignore: decorator
@inline function combine(OP: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const one = i8x16.splat(1);
    for (; i + 16 <= n; i += 16) {
      const x = v128.load(a + <usize>i);
      const r = OP == 0 ? v128.and(x, v128.load(b + <usize>i)) : OP == 1 ? v128.or(x, v128.load(b + <usize>i)) : v128.xor(x, one);
      v128.store(out + <usize>i, r);
    }
  }
  for (; i < n; i++) {
    const x = load<u8>(a + <usize>i);
    store<u8>(out + <usize>i, OP == 0 ? x & load<u8>(b + <usize>i) : OP == 1 ? x | load<u8>(b + <usize>i) : x ^ 1);
  }
}

/** out = a AND b (0/1 byte masks; out may alias a or b). */
export function mask_and(a: usize, b: usize, out: usize, n: i32): void { combine(0, a, b, out, n); }
/** out = a OR b. */
export function mask_or(a: usize, b: usize, out: usize, n: i32): void { combine(1, a, b, out, n); }
/** out = NOT a (see the NULL caveat above). */
export function mask_not(a: usize, out: usize, n: i32): void { combine(2, a, 0, out, n); }
