// sort_rows and topn_rows: SIMD and scalar WASM against the JS reference (a stable Array.prototype.sort), with
// many ties, several widths, and an adversarial (reverse sorted) input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';

const h = new Harness();

test('sort_rows is a stable sort of idx by key rows', () => {
  for (const n of [...LENGTHS, 511, 512, 5000]) {
    for (const width of [1, 2, 3]) {
      for (const small of [true, false]) {
        const keys = h.put('u64', h.values('u64', n * width, small));
        const idxInit = h.subset(n, 0.8).reverse();
        const r = h.agree(`sort_rows w ${width} n ${n}`, (k) => {
          const idx = h.put('i32', idxInit), tmp = h.alloc(4 * idxInit.length + 8192);
          k.sort_rows(keys, width, idx, idxInit.length, tmp);
          return h.read('i32', idx, idxInit.length);
        });
        assert.deepEqual([...r].sort((a, b) => (a as number) - (b as number)), [...idxInit].sort((a, b) => a - b));
      }
      h.reset();
    }
  }
  const n = 10000;
  const keys = h.put('u64', Array.from({ length: n }, (_, i) => BigInt(n - i)));
  for (const { k } of h.impls) {
    const idx = h.put('i32', Array.from({ length: n }, (_, i) => i)), tmp = h.alloc(4 * n + 8192);
    k.sort_rows(keys, 1, idx, n, tmp);
    assert.deepEqual(h.read('i32', idx, n), Array.from({ length: n }, (_, i) => n - 1 - i));
  }
  h.reset();
});

test('topn_rows returns the first k rows in order, ties by row number', () => {
  for (const n of LENGTHS) {
    for (const width of [1, 2]) {
      const keys = h.put('u64', h.values('u64', n * width, true));
      for (const kk of [0, 1, 5, n, n + 3]) {
        h.agree(`topn_rows w ${width} n ${n} k ${kk}`, (k) => {
          const out = h.alloc(4 * Math.max(1, kk));
          const c = k.topn_rows(keys, width, n, kk, out);
          return h.read('i32', out, c);
        });
      }
      h.reset();
    }
  }
});
