// filter_mask: a u8 mask (1 = keep, as computed by an expression evaluator) plus validity -> selection vector.

import { bitAt } from '../common';
import { compact4 } from './engine';

/** Rows r (all of [0, n), or selIn[0..nSelIn)) whose mask byte mask[r] is non-zero and that are not null. */
export function filter_mask(mask: usize, valid: usize, n: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  if (selIn != 0) {
    for (let j = 0; j < nSelIn; j++) {
      const r = load<i32>(selIn + (<usize>j << 2));
      let p = <i32>(load<u8>(mask + <usize>r) != 0);
      if (valid != 0) p &= bitAt(valid, r);
      store<i32>(selOut + (<usize>cnt << 2), r);
      cnt += p;
    }
    return cnt;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let idx = i32x4(0, 1, 2, 3);
    const four = i32x4.splat(4);
    const end = n & ~15;
    for (; i < end; i += 16) {
      let m = i8x16.bitmask(i8x16.ne(v128.load(mask + <usize>i), i8x16.splat(0)));
      if (valid != 0) m &= <i32>load<u16>(valid + (<usize>i >>> 3));
      let o = selOut + (<usize>cnt << 2);
      compact4(o, idx, m & 15); o += <usize>popcnt(m & 15) << 2; idx = i32x4.add(idx, four);
      compact4(o, idx, (m >> 4) & 15); o += <usize>popcnt((m >> 4) & 15) << 2; idx = i32x4.add(idx, four);
      compact4(o, idx, (m >> 8) & 15); o += <usize>popcnt((m >> 8) & 15) << 2; idx = i32x4.add(idx, four);
      compact4(o, idx, (m >> 12) & 15); idx = i32x4.add(idx, four);
      cnt += popcnt(m);
    }
  }
  for (; i < n; i++) {
    let p = <i32>(load<u8>(mask + <usize>i) != 0);
    if (valid != 0) p &= bitAt(valid, i);
    store<i32>(selOut + (<usize>cnt << 2), i);
    cnt += p;
  }
  return cnt;
}
