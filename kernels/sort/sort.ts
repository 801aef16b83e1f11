// sort_rows: stable sort of a row-number array by packed key rows (ORDER BY, sort-merge inputs, window partitions).
// One-word keys and n >= RADIX_MIN: LSD radix sort on bytes (8 passes at most, constant bytes skipped).
// Otherwise bottom-up merge sort over 16-row insertion-sorted runs: O(n log n) worst case. Both are stable.
// tmp: n i32 plus 8 KiB (the radix histograms) of scratch.

import { cmpRows } from './compare';

const RUN = 16;

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

const RADIX_MIN = 512;

/** Sorts idx[0..n) (row numbers into keys) so key rows ascend; equal rows keep their order.
 *  tmp: scratch of n i32 followed by 8 KiB. */
export function sort_rows(keys: usize, width: i32, idx: usize, n: i32, tmp: usize): void {
  if (n < 2) return;
  if (width == 1 && n >= RADIX_MIN) { radixSort(keys, idx, n, tmp); return; }
  mergeSort(keys, width, idx, n, tmp);
}

/** LSD radix sort of idx by the one-word keys, 8 bits per pass; histograms at tmp + 4n (8 x 256 i32). */
function radixSort(keys: usize, idx: usize, n: i32, tmp: usize): void {
  const hist = tmp + (<usize>n << 2);
  memory.fill(hist, 0, 8 * 256 * 4);
  for (let i = 0; i < n; i++) {
    const k = load<u64>(keys + (<usize>at(idx, i) << 3));
    for (let d = 0; d < 8; d++) {
      const h = hist + (<usize>(d * 256 + <i32>((k >> (<u64>d * 8)) & 0xFF)) << 2);
      store<i32>(h, load<i32>(h) + 1);
    }
  }
  let src = idx, dst = tmp;
  for (let d = 0; d < 8; d++) {
    const hd = hist + (<usize>(d * 256) << 2);
    // a byte that is the same in every key leaves the order unchanged: skip its pass
    let constant = false, sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = load<i32>(hd + (<usize>b << 2));
      if (c == n) constant = true;
      store<i32>(hd + (<usize>b << 2), sum);
      sum += c;
    }
    if (constant) continue;
    const shift = <u64>d * 8;
    for (let i = 0; i < n; i++) {
      const r = at(src, i);
      const o = hd + (<usize>(<i32>((load<u64>(keys + (<usize>r << 3)) >> shift) & 0xFF)) << 2);
      const pos = load<i32>(o);
      store<i32>(o, pos + 1);
      put(dst, pos, r);
    }
    const t = src; src = dst; dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>n << 2);
}

/** Stable bottom-up merge sort of idx (insertion-sorted runs of RUN first); tmp: n i32. */
function mergeSort(keys: usize, width: i32, idx: usize, n: i32, tmp: usize): void {
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
