// dec_rescale_{up,down}_i64: change the scale of DECIMAL values stored as scaled i64 (multiply or divide by 10^d).
// Scaling down rounds half away from zero, as PostgreSQL's numeric rounding (numeric.c round_var) does.

import { isValid } from '../common';
import { mulOverflowsI64 } from './overflow';

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
