// Top-N selection for ORDER BY ... LIMIT k (host/exec/operators.ts sortIndices): the first k rows of
// a batch in sort order through a bounded max-heap, O(n log k) comparisons instead of sorting all n
// rows. Each slice's sort under a LIMIT and the leader's merge above the gather both keep k rows.

/**
 * The first `k` of the rows 0..n-1 in the order `cmp` defines, sorted. `cmp` must be a strict
 * total order (ties broken by row number), so the result equals sorting all rows and keeping k.
 */
export function topNIndices(n: number, k: number, cmp: (a: number, b: number) => number): Int32Array {
  const m = Math.min(n, Math.max(0, k));
  if (m === 0) return new Int32Array(0);
  // heap[0] is the last row (in order) of the k kept so far.
  const heap = new Int32Array(m);
  const siftDown = (i: number, size: number): void => {
    const v = heap[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && cmp(heap[c]!, heap[c + 1]!) < 0) c++;
      if (cmp(v, heap[c]!) >= 0) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = v;
  };
  for (let i = 0; i < m; i++) heap[i] = i;
  for (let i = (m >> 1) - 1; i >= 0; i--) siftDown(i, m);
  for (let r = m; r < n; r++) {
    if (cmp(r, heap[0]!) < 0) { heap[0] = r; siftDown(0, m); }
  }
  // Pop the largest to the end: the heap becomes sorted ascending.
  for (let size = m - 1; size > 0; size--) {
    const top = heap[0]!;
    heap[0] = heap[size]!;
    heap[size] = top;
    siftDown(0, size);
  }
  return heap;
}
