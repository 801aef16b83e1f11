// filter_codes: a predicate on a dictionary-coded string column, already evaluated once per distinct word by the host
// (host/exec/kernel-filter.ts), expanded to rows through the column's codes in shared memory -> selection vector.

import { bitAt } from '../common';

/**
 * Rows r (of selIn, or all n) whose word passes: pass[codes[r]] (one byte per word, 0 or 1) for a non-null row,
 * nullPass (0 or 1) for a NULL one.
 */
export function filter_codes(codes: usize, valid: usize, n: i32, pass: usize, nullPass: i32, selIn: usize, nSelIn: i32, selOut: usize): i32 {
  let cnt = 0;
  if (selIn == 0 && valid == 0) {
    // the common case: every row, no NULLs; the store is unconditional and the count moves by the word's byte
    for (let r = 0; r < n; r++) {
      store<i32>(selOut + (<usize>cnt << 2), r);
      cnt += <i32>load<u8>(pass + <usize>load<i32>(codes + (<usize>r << 2)));
    }
    return cnt;
  }
  const m = selIn != 0 ? nSelIn : n;
  for (let j = 0; j < m; j++) {
    const r = selIn != 0 ? load<i32>(selIn + (<usize>j << 2)) : j;
    const p = valid != 0 && bitAt(valid, r) == 0 ? nullPass : <i32>load<u8>(pass + <usize>load<i32>(codes + (<usize>r << 2)));
    store<i32>(selOut + (<usize>cnt << 2), r);
    cnt += p;
  }
  return cnt;
}
