// sort_rows: stable sort of a row-number array by packed key rows (ORDER BY, sort-merge inputs, window partitions).
// Bottom-up merge sort over 16-row insertion-sorted runs: O(n log n) worst case, stable, tmp = n i32 of scratch.

import { cmpRows } from './compare';

const RUN = 16;

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

/** Sorts idx[0..n) (row numbers into keys) so key rows ascend; equal rows keep their order. tmp: n i32 scratch. */
export function sort_rows(keys: usize, width: i32, idx: usize, n: i32, tmp: usize): void {
  if (n < 2) return;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = lo + RUN < n ? lo + RUN : n;
    for (let i = lo + 1; i < hi; i++) {
      const v = at(idx, i);
      let j = i - 1;
      while (j >= lo && cmpRows(keys, width, at(idx, j), v) > 0) { put(idx, j + 1, at(idx, j)); j--; }
      put(idx, j + 1, v);
    }
  }
  let src = idx, dst = tmp;
  for (let w = RUN; w < n; w <<= 1) {
    for (let lo = 0; lo < n; lo += w << 1) {
      const mid = lo + w < n ? lo + w : n;
      const hi = lo + (w << 1) < n ? lo + (w << 1) : n;
      if (mid >= hi || cmpRows(keys, width, at(src, mid - 1), at(src, mid)) <= 0) {
        memory.copy(dst + (<usize>lo << 2), src + (<usize>lo << 2), <usize>(hi - lo) << 2);
        continue;
      }
      let i = lo, j = mid, o = lo;
      while (i < mid && j < hi) {
        const a = at(src, i), b = at(src, j);
        if (cmpRows(keys, width, b, a) < 0) { put(dst, o++, b); j++; } else { put(dst, o++, a); i++; }
      }
      if (i < mid) memory.copy(dst + (<usize>o << 2), src + (<usize>i << 2), <usize>(mid - i) << 2);
      else if (j < hi) memory.copy(dst + (<usize>o << 2), src + (<usize>j << 2), <usize>(hi - j) << 2);
    }
    const t = src; src = dst; dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>n << 2);
}
