// Date and timestamp kernels: SIMD and scalar WASM against the JS reference (built on the JS Date object, an
// independent calendar), plus PostgreSQL facts stated directly (no year 0, ISO weeks, month-end clamping).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';

const h = new Harness();
const EDGES = [0, -1, 1, 59, 60, 10956, 10957, 11016, 11017, -25567, -719162, -719163, -719528, -719529, 47482, 2932896, -3000000];

function days(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < EDGES.length ? EDGES[i]! : h.int(-3_000_000, 3_000_000)));
}

test('date_part_i32, date_trunc_i32, date_add_months_i32 equal the JS reference', () => {
  for (const n of [...LENGTHS, 5000]) {
    const col = h.put('i32', days(n));
    for (let field = 0; field <= 12; field++) {
      h.agree(`date_part field ${field} n ${n}`, (k) => { const o = h.alloc(4 * n); k.date_part_i32(field, col, o, n); return h.read('i32', o, n); });
    }
    for (const field of [0, 1, 2, 3, 4, 7]) {
      h.agree(`date_trunc field ${field} n ${n}`, (k) => { const o = h.alloc(4 * n); k.date_trunc_i32(field, col, o, n); return h.read('i32', o, n); });
    }
    for (const months of [0, 1, -1, 11, 13, -25, 1200]) {
      h.agree(`date_add_months ${months} n ${n}`, (k) => { const o = h.alloc(4 * n); k.date_add_months_i32(col, months, o, n); return h.read('i32', o, n); });
    }
    h.reset();
  }
});

test('ts_part_i64, ts_trunc_i64, ts_date_i64 equal the JS reference', () => {
  for (const n of [...LENGTHS, 5000]) {
    const ts = days(n).map((d) => BigInt(d) * 86400000000n + BigInt(h.int(0, 86399999)) * 1000n + BigInt(h.int(-5, 5)));
    const col = h.put('i64', ts);
    for (let field = 0; field <= 12; field++) {
      h.agree(`ts_part field ${field} n ${n}`, (k) => { const o = h.alloc(4 * n); k.ts_part_i64(field, col, o, n); return h.read('i32', o, n); });
    }
    for (const field of [0, 1, 2, 3, 4, 7, 8, 9]) {
      h.agree(`ts_trunc field ${field} n ${n}`, (k) => { const o = h.alloc(8 * n); k.ts_trunc_i64(field, col, o, n); return h.read('i64', o, n); });
    }
    h.agree(`ts_date n ${n}`, (k) => { const o = h.alloc(4 * n); k.ts_date_i64(col, o, n); return h.read('i32', o, n); });
    h.reset();
  }
});

test('calendar facts: 2000-02-29, 1 BC, ISO week 1, Jan 31 + 1 month', () => {
  const d = (y: number, m: number, day: number): number => Date.UTC(y, m - 1, day) / 86400000;
  const bc1 = -719163; // 0000-12-31 (1 BC), the day before 0001-01-01 (day -719162)
  const col = h.put('i32', [d(2000, 2, 29), bc1, d(2021, 1, 3), d(2021, 1, 4), d(2023, 1, 31)]);
  for (const { k } of h.impls) {
    const o = h.alloc(32);
    k.date_part_i32(0, col, o, 5);
    assert.deepEqual(h.read('i32', o, 2), [2000, -1]);
    k.date_part_i32(10, col + 8, o, 2);
    assert.deepEqual(h.read('i32', o, 2), [53, 1], '2021-01-03 is in ISO week 53 of 2020, 2021-01-04 in week 1');
    k.date_part_i32(4, col, o, 1);
    assert.deepEqual(h.read('i32', o, 1), [60]);
    k.date_add_months_i32(col + 16, 1, o, 1);
    assert.deepEqual(h.read('i32', o, 1), [d(2023, 2, 28)]);
    const ts = h.put('i64', [-1n]);
    k.ts_date_i64(ts, o, 1);
    assert.deepEqual(h.read('i32', o, 1), [-1], '1969-12-31 23:59:59.999999');
    k.ts_part_i64(7, ts, o, 1);
    assert.deepEqual(h.read('i32', o, 1), [23]);
  }
  h.reset();
});
