// dec_rescale_{up,down}_i64: change the scale of DECIMAL values stored as scaled i64 (multiply or divide by 10^d).
// Scaling down rounds half away from zero, as PostgreSQL's numeric rounding (numeric.c round_var) does.

import { isValid } from '../common';
import { mulOverflowsI64, mulHighU64 } from './overflow';

/** out[i] = a[i] * pow10. Returns 0, or 1 + the first non-null row whose product overflows i64 (22003).
 *  `valid` (optional trailing argument, 0 = no nulls) excludes null rows from that check. */
export function dec_rescale_up_i64(a: usize, out: usize, n: i32, pow10: i64, valid: usize): i32 {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const x = load<i64>(a + off);
    bad |= mulOverflowsI64(x, pow10);
    store<i64>(out + off, x * pow10);
  }
  if (bad == 0) return 0;
  for (let i = 0; i < n; i++) {
    if (mulOverflowsI64(load<i64>(a + (<usize>i << 3)), pow10) & isValid(valid, i)) return i + 1;
  }
  return 0;
}

/** out[i] = a[i] / pow10 rounded half away from zero (pow10 <= 0 is treated as 1). Never overflows. */
export function dec_rescale_down_i64(a: usize, out: usize, n: i32, pow10: i64): void {
  const p: i64 = pow10 <= 0 ? 1 : pow10;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const x = load<i64>(a + off);
    const q = x / p, r = x % p;
    const ar = r < 0 ? -r : r;
    // |r| < p <= 2^63-1, so 2|r| >= p is tested as |r| >= p - |r| to stay in range
    const up = <i64>(ar >= p - ar);
    store<i64>(out + off, q + (x < 0 ? -up : up));
  }
}

/**
 * out[i] = a[i] * pow10 / b[i] rounded half away from zero, with a 128-bit intermediate (decimal division: the
 * host picks pow10 so that the quotient gets the result scale). Returns 0, or 1 + the first non-null row that
 * divides by zero (22012) or whose quotient does not fit in i64 (22003). pow10 <= 0 acts as 1.
 */
export function dec_div_i64(a: usize, b: usize, out: usize, valid: usize, n: i32, pow10: i64): i32 {
  const p = <u64>(pow10 <= 0 ? 1 : pow10);
  let first = 0;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3;
    const x = load<i64>(a + off), y = load<i64>(b + off);
    const ux: u64 = x < 0 ? 0 - <u64>x : <u64>x, uy: u64 = y < 0 ? 0 - <u64>y : <u64>y;
    let ok = uy != 0;
    let q: u64 = 0;
    if (ok) {
      const lo = ux * p, hi = mulHighU64(ux, p);
      let r: u64;
      if (hi == 0) {
        q = lo / uy; r = lo % uy;
      } else if (hi >= uy) {
        ok = false; r = 0;
      } else {
        // 128 / 64 long division, one quotient bit per step; hi < uy keeps the quotient within 64 bits
        r = hi;
        for (let bit = 63; bit >= 0; bit--) {
          const carry = r >> 63;
          r = (r << 1) | ((lo >> <u64>bit) & 1);
          q <<= 1;
          if (carry != 0 || r >= uy) { r -= uy; q |= 1; }
        }
      }
      if (ok && r >= uy - r) { q++; if (q == 0) ok = false; }
    }
    const neg = (x < 0) != (y < 0);
    if (ok && q > (neg ? <u64>0x8000000000000000 : <u64>0x7FFFFFFFFFFFFFFF)) ok = false;
    store<i64>(out + off, ok ? (neg ? -<i64>q : <i64>q) : 0);
    if (!ok && first == 0 && isValid(valid, i)) first = i + 1;
  }
  return first;
}
