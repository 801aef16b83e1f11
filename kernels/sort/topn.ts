// topn_rows: the first k rows of 0..n-1 in key-row order (ties by row number), sorted: ORDER BY ... LIMIT k.
// A bounded max-heap of k row numbers: O(n log k) time, no scratch beyond outIdx.

import { cmpRows } from './compare';

// @ts-ignore: decorator
@inline function before(keys: usize, width: i32, a: i32, b: i32): bool {
  const c = cmpRows(keys, width, a, b);
  return c < 0 || (c == 0 && a < b);
}

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function put(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

/** Restores the max-heap (the last row in order at the root) below position i of heap h[0..m). */
function siftDown(keys: usize, width: i32, h: usize, m: i32, i: i32): void {
  const v = at(h, i);
  while (true) {
    let c = 2 * i + 1;
    if (c >= m) break;
    if (c + 1 < m && before(keys, width, at(h, c), at(h, c + 1))) c++;
    if (!before(keys, width, v, at(h, c))) break;
    put(h, i, at(h, c));
    i = c;
  }
  put(h, i, v);
}

/** Writes min(n, k) row numbers to outIdx in ascending (key row, row number) order; returns that count. */
export function topn_rows(keys: usize, width: i32, n: i32, k: i32, outIdx: usize): i32 {
  const m = n < k ? n : k;
  if (m <= 0) return 0;
  for (let i = 0; i < m; i++) put(outIdx, i, i);
  for (let i = (m >> 1) - 1; i >= 0; i--) siftDown(keys, width, outIdx, m, i);
  for (let r = m; r < n; r++) {
    if (before(keys, width, r, at(outIdx, 0))) { put(outIdx, 0, r); siftDown(keys, width, outIdx, m, 0); }
  }
  for (let end = m - 1; end > 0; end--) {
    const t = at(outIdx, 0); put(outIdx, 0, at(outIdx, end)); put(outIdx, end, t);
    siftDown(keys, width, outIdx, end, 0);
  }
  return m;
}
