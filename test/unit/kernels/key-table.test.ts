// key_gids / key_rehash (kernels/agg/key-table.ts) through host/exec/key-table.ts: SIMD, scalar and the JS reference
// give the same group ids as a Map of first-seen keys over one and several integer columns, NULLs, ordered runs (the
// ordered mode and its switch to the table past 16 runs or at a first NULL; the direct mode over a narrow range of
// values, its widening and its switch to the table), random order, selection vectors, growth past 2^17 groups,
// batch vectors copied in, and the key values read back per group.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness } from './harness.js';
import { KeyTable, keyTableTakes, type ValueRange } from '../../../host/exec/key-table.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import type { Vector } from '../../../host/batch/vector.js';

const h = new Harness();

type Col = { type: SqlType; values: (number | bigint)[]; valid: boolean[] | null };

/** First-seen ids of the rows' key tuples (NULL equal to NULL), by a Map of their printed values. */
function oracle(cols: Col[], rows: number[]): { gids: number[]; keys: (string | null)[][] } {
  const ids = new Map<string, number>();
  const keys: (string | null)[][] = [];
  const gids = rows.map((r) => {
    const tuple = cols.map((c) => (c.valid && !c.valid[r] ? null : String(c.values[r])));
    const k = JSON.stringify(tuple);
    let g = ids.get(k);
    if (g === undefined) { g = ids.size; ids.set(k, g); keys.push(tuple); }
    return g;
  });
  return { gids, keys };
}

const kindOf = (t: SqlType): 'i16' | 'i32' | 'i64' => (t.id === 'int2' ? 'i16' : t.id === 'int4' || t.id === 'date' ? 'i32' : 'i64');
const widthOf = (t: SqlType): number => ({ i16: 2, i32: 4, i64: 8 })[kindOf(t)];

/**
 * The range a caller would pass for the rows of one column (their values, widened at random: a zone map covers
 * more rows than pass), or null (several columns, a value past int32, or unknown at random).
 */
function rangeOfRows(cols: Col[], rows: number[], exact: boolean): ValueRange | null {
  if (cols.length !== 1 || rows.length === 0 || (!exact && h.rand() < 0.1)) return null;
  const xs = rows.map((r) => Number(cols[0]!.values[r]!));
  let min = Math.min(...xs.slice(0, 1e5)), max = Math.max(...xs.slice(0, 1e5));
  for (const x of xs) { if (x < min) min = x; if (x > max) max = x; }
  if (!exact && h.rand() < 0.3) { min -= h.int(0, 50); max += h.int(0, 50); }
  return { min, max };
}

/** Printed key values of a table's groups, from keyVectors. */
function keysOf(vs: Vector[], ng: number): (string | null)[][] {
  return Array.from({ length: ng }, (_, g) => vs.map((v) => (v.valid && !((v.valid[g >> 3]! >> (g & 7)) & 1) ? null : String(v.data[g]))));
}

/**
 * Numbers `rows` of the columns in batches of `batch` rows through a KeyTable per implementation (chunk-style, in
 * place, with a selection vector when `withSel`), asserts agreement and the oracle, and returns the group count.
 */
function check(what: string, cols: Col[], rows: number[], batch: number, withSel: boolean, modes?: string[]): number {
  const n = cols[0]!.values.length;
  const descs: number[] = [];
  for (const c of cols) {
    const values = h.put(kindOf(c.type), c.values);
    let valid = 0;
    if (c.valid) {
      const bytes = new Uint8Array(Math.ceil(n / 8) + 8);
      c.valid.forEach((b, i) => { if (b) bytes[i >>> 3]! |= 1 << (i & 7); });
      valid = h.put('u8', bytes);
    }
    descs.push(values, valid, widthOf(c.type));
  }
  const colsAt = h.put('i32', descs);
  const want = oracle(cols, rows);
  const got = h.agree(what, (k) => {
    const t = new KeyTable({ k, memory: h.memory }, cols.map((c) => c.type));
    try {
      const gids: number[] = [];
      const seen: string[] = [];
      for (let s = 0; s < rows.length; s += batch) {
        const part = rows.slice(s, s + batch);
        const out = h.alloc(4 * part.length);
        if (withSel) t.assignAt(colsAt, h.put('i32', part), part.length, out, rangeOfRows(cols, part, modes !== undefined));
        else {
          // Rows s.. as a run of their own: the columns' addresses advanced (validity only at byte boundaries).
          assert.equal(s % 8, 0);
          const shifted = descs.map((x, i) => (i % 3 === 2 || x === 0 ? x : i % 3 === 0 ? x + s * descs[i + 2]! : x + s / 8));
          t.assignAt(h.put('i32', shifted), 0, part.length, out, rangeOfRows(cols, part, modes !== undefined));
        }
        gids.push(...(h.read('i32', out, part.length) as number[]));
        if (seen[seen.length - 1] !== t.numbering) seen.push(t.numbering);
      }
      if (modes) assert.deepEqual(seen, modes, `${what}: modes`);
      return { gids, keys: keysOf(t.keyVectors(), t.count) };
    } finally {
      t.free();
    }
  });
  assert.deepEqual(got.gids, want.gids, `${what}: group ids`);
  assert.deepEqual(got.keys, want.keys, `${what}: key values per group`);
  h.reset();
  return want.keys.length;
}

/** Values in `runs` increasing runs over a shared range (each run holds every key with key % runs == its number, repeated). */
function runsOf(n: number, runs: number, repeat: number): bigint[] {
  const out: bigint[] = [];
  for (let r = 0; r < runs && out.length < n; r++) {
    for (let k = r; out.length < n && k < 8 * n; k += runs) for (let x = 0; x < repeat && out.length < n; x++) out.push(BigInt(3 * k - 1000));
  }
  return out;
}

test('key_gids, one column: ordered runs, more runs than ordered mode follows, random order, NULLs, sel', () => {
  const n = 20000;
  const all = Array.from({ length: n }, (_, i) => i);
  for (const type of [T.int8, T.int4, T.int2]) {
    const fit = (x: bigint): number | bigint => (type === T.int8 ? x : Number(BigInt.asIntN(widthOf(type) * 8, x)));
    const cases: [string, (number | bigint)[]][] = [
      ['2 runs', runsOf(n, 2, 3).map(fit)],
      ['16 runs', runsOf(n, 16, 2).map(fit)],
      ['40 runs', runsOf(n, 40, 1).map(fit)],
      ['descending', Array.from({ length: n }, (_, i) => fit(BigInt(n - i)))],
      ['random', h.values(kindOf(type), n, false)],
      ['few values', h.values(kindOf(type), n, true)],
    ];
    for (const [name, values] of cases) {
      for (const nulls of [false, true]) {
        const valid = nulls ? Array.from({ length: n }, (_, i) => i < 3000 || h.rand() >= 0.05) : null;
        const col: Col = { type, values, valid };
        check(`${type.id} ${name} nulls ${nulls}`, [col], all, 4096, false);
        check(`${type.id} ${name} nulls ${nulls} sel`, [col], h.subset(n, 0.6), 3000, true);
      }
    }
  }
});

test('key_gids, several columns: int4/int8/int2 tuples with NULLs, repeats, sel and many batches', () => {
  const n = 12000;
  const a = Array.from({ length: n }, () => h.int(0, 40));
  const b = h.values('i64', n, true);
  const c = h.values('i16', n, true);
  const cols: Col[] = [
    { type: T.int4, values: a, valid: Array.from({ length: n }, () => h.rand() >= 0.1) },
    { type: T.int8, values: b, valid: null },
    { type: T.int2, values: c, valid: Array.from({ length: n }, () => h.rand() >= 0.2) },
  ];
  const all = Array.from({ length: n }, (_, i) => i);
  assert.ok(check('3 columns', cols, all, 1000, false) > 1000);
  check('3 columns sel', cols, h.subset(n, 0.5), 777, true);
  check('2 columns', cols.slice(0, 2), all, 4096, false);
  // Repeats of one tuple in a row, and a tuple equal but for a NULL (0 with and without the NULL bit).
  const z: Col[] = [{ type: T.int4, values: [0, 0, 0, 1, 0, 0], valid: [true, false, false, true, true, false] }, { type: T.int8, values: [0n, 0n, 0n, 0n, 0n, 0n], valid: null }];
  assert.equal(check('NULL against zero', z, [0, 1, 2, 3, 4, 5], 8, false), 3);
});

test('key_gids: growth past 2^17 groups in one column and in two, from ordered and from random order', () => {
  const n = 300000;
  const all = Array.from({ length: n }, (_, i) => i);
  const ordered = runsOf(n, 3, 1);
  const random = ordered.slice();
  for (let i = n - 1; i > 0; i--) { const j = h.int(0, i); const t = random[i]!; random[i] = random[j]!; random[j] = t; }
  // Ordered values outgrow the direct array: their groups form increasing runs and ordered mode goes on from there.
  assert.equal(check('ordered int8', [{ type: T.int8, values: ordered, valid: null }], all, 65536, false, ['direct', 'ordered']), n);
  assert.equal(check('random int8', [{ type: T.int8, values: random, valid: null }], all, 65536, false), n);
  const low = random.map((x) => Number(x % 1000n));
  assert.ok(check('random pairs', [{ type: T.int4, values: low, valid: null }, { type: T.int8, values: random, valid: null }], all, 65536, false) > 100000);
});

test('KeyTable.assignVectors: batch vectors copied in number as in place; types it takes', () => {
  const impl = h.impls[1]!;
  const t = new KeyTable({ k: impl.k, memory: h.memory }, [T.date, T.int8]);
  try {
    const valid = new Uint8Array([0b11111101]);
    const v1: Vector = { type: T.date, length: 8, data: Int32Array.from([5, 5, 6, 5, 7, 7, 5, 6]), valid };
    const v2: Vector = { type: T.int8, length: 8, data: BigInt64Array.from([1n, 1n, 1n, 1n, 2n, 2n, 1n, 1n]), valid: null };
    const gids = new Int32Array(8);
    assert.equal(t.assignVectors([v1, v2], 8, gids), true);
    assert.deepEqual([...gids], [0, 1, 2, 0, 3, 3, 0, 2]);
    assert.equal(t.assignVectors([{ ...v1, data: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }, v2], 8, gids), false);
    assert.equal(t.count, 4);
    assert.deepEqual(keysOf(t.keyVectors(), t.count), [['5', '1'], [null, '1'], ['6', '1'], ['7', '2']]);
  } finally {
    t.free();
  }
  assert.equal(keyTableTakes([T.int4, T.date, T.int8, T.int2]), true);
  assert.equal(keyTableTakes([{ id: 'numeric', precision: 15, scale: 2 }]), true);
  assert.equal(keyTableTakes([{ id: 'numeric', precision: 38, scale: 2 }]), false);
  assert.equal(keyTableTakes([T.int4, T.text]), false);
  assert.equal(keyTableTakes([]), false);
});

test('key_gids, one column in direct mode: dense values in random order, the range widening, then leaving for the table', () => {
  const n = 40000;
  const all = Array.from({ length: n }, (_, i) => i);
  // 5000 values in random order, then values drifting upward (the array widens), then one far value (the table takes over).
  const values = Array.from({ length: n }, (_, i) => (i < 20000 ? h.int(1, 5000) : i < 39990 ? h.int(1, 5000) + (i - 20000) : 2_000_000_000 - i));
  for (const nulls of [false, true]) {
    const valid = nulls ? Array.from({ length: n }, () => h.rand() >= 0.05) : null;
    for (const type of [T.int4, T.int8]) {
      const col: Col = { type, values: type === T.int8 ? values.map(BigInt) : values, valid };
      check(`direct ${type.id} nulls ${nulls}`, [col], all, 4096, false, ['direct', 'hashed']);
      check(`direct ${type.id} nulls ${nulls} sel`, [col], h.subset(n, 0.3), 5000, true);
    }
  }
});
