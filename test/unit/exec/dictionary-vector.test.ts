// String vectors in dictionary form (host/batch/vector.ts dictionaryVector): what a scan of a
// dictionary-coded chunk gives, how gather/slice/concat/unshare keep the codes, and that every consumer
// that reads codes (GroupIndex, per-word expression evaluation, the exchange hash, exchange pages)
// agrees with the same rows given as plain string arrays, NULLs and CHAR trailing blanks included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  concatVectors, gatherVector, sliceVector, unshareBatch, valueAt, vectorFromValues, type Batch, type Vector,
} from '../../../host/batch/vector.js';
import { fromShared, toShared } from '../../../host/cluster/exchange-buffer.js';
import { evalExpr, type EvalContext } from '../../../host/exec/eval.js';
import { GroupIndex } from '../../../host/exec/group-index.js';
import type { Expr } from '../../../host/plan/expr.js';
import { ChunkStore } from '../../../host/storage/chunk-store.js';
import { hashColumn } from '../../../host/storage/dist-hash.js';
import { createSharedMemory } from '../../../host/wasm/memory.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const store = new ChunkStore(createSharedMemory(64 * 1024 * 1024));
const ev: EvalContext = { params: [], planValues: new Map(), planSets: new Map(), fn: { now: 0n, user: 'u', schema: 'public', database: 'd' } };
const CHAR6: SqlType = { id: 'bpchar', length: 6 };
const VC: SqlType = T.varcharN(20);

/** Two word sets that overlap, so two chunks get different dictionaries that share some words. */
const WORDS_A = ['apple', 'apple ', 'Banana', 'cherry', '', 'ünï €'];
const WORDS_B = ['cherry', 'zeta', 'apple', 'date', 'Banana  '];

function valuesOf(n: number, words: readonly string[], seed: number): (string | null)[] {
  return Array.from({ length: n }, (_, i) => (i % 11 === seed % 11 ? null : words[(i * 7 + seed) % words.length]!));
}

/** A column of a freshly encoded chunk, as a scan reads it. */
function scanned(type: SqlType, values: (string | null)[]): Vector {
  const d = store.encode({ columns: [vectorFromValues(type, values)], length: values.length });
  return store.decodeAll(d).columns[0]!;
}

const rowsOf = (v: Vector): unknown[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i));
/** The same rows as an ordinary string array (what other code builds), no dictionary. */
const plain = (v: Vector): Vector => vectorFromValues(v.type, rowsOf(v));

test('a scan of a dictionary-coded chunk gives codes, and its strings on demand', () => {
  const values = valuesOf(3000, WORDS_A, 3);
  const v = scanned(VC, values);
  assert.ok(v.dictionary, 'the column is in dictionary form');
  assert.equal(v.dictionary.codes.length, 3000);
  assert.deepEqual(rowsOf(v), values);
  // A diverse column is not coded: its strings come as before.
  const diverse = scanned(VC, Array.from({ length: 3000 }, (_, i) => `w${i}`));
  assert.equal(diverse.dictionary, undefined);
  assert.equal((diverse.data as string[])[2999], 'w2999');
});

test('gather, slice, concat and unshare keep dictionary form and the same values', () => {
  const a = scanned(VC, valuesOf(2000, WORDS_A, 1));
  const b = scanned(VC, valuesOf(1500, WORDS_B, 4));
  const sel = Int32Array.from({ length: 700 }, (_, i) => (i * 13) % 2000);
  const g = gatherVector(a, sel, sel.length);
  assert.ok(g.dictionary);
  assert.deepEqual(rowsOf(g), rowsOf(gatherVector(plain(a), sel, sel.length)));
  const s = sliceVector(b, 100, 900);
  assert.ok(s.dictionary);
  assert.deepEqual(rowsOf(s), rowsOf(b).slice(100, 1000));
  const c = concatVectors(VC, [a, s, g]);
  assert.ok(c.dictionary, 'parts with different dictionaries merge theirs');
  assert.deepEqual(rowsOf(c), [...rowsOf(a), ...rowsOf(s), ...rowsOf(g)]);
  assert.equal(new Set(c.dictionary.words).size, c.dictionary.words.length, 'merged words are distinct');
  // A part without codes: the result is an ordinary vector with the same values.
  const mixed = concatVectors(VC, [a, plain(b)]);
  assert.deepEqual(rowsOf(mixed), [...rowsOf(a), ...rowsOf(b)]);
  // The scan's codes view the shared memory; unshared they do not, and still decode the same.
  assert.ok(a.dictionary!.codes.buffer instanceof SharedArrayBuffer);
  const u = unshareBatch({ columns: [a], length: a.length }).columns[0]!;
  assert.ok(u.dictionary && !(u.dictionary.codes.buffer instanceof SharedArrayBuffer));
  assert.deepEqual(rowsOf(u), rowsOf(a));
});

test('GroupIndex gives coded and plain batches of one column the same groups (CHAR trailing blanks, NULLs)', () => {
  const parts = [scanned(CHAR6, valuesOf(2500, WORDS_A, 2)), scanned(CHAR6, valuesOf(1800, WORDS_B, 5))];
  assert.ok(parts[0]!.dictionary && parts[1]!.dictionary);
  const coded = new GroupIndex(1), oracle = new GroupIndex(1);
  // Batches alternate between coded and plain so both paths share one index.
  const batches = [parts[0]!, plain(parts[1]!), parts[1]!, plain(parts[0]!)];
  for (const v of batches) {
    const got = new Int32Array(v.length), want = new Int32Array(v.length);
    coded.assign([v], v.length, got);
    oracle.assign([plain(v)], v.length, want);
    assert.deepEqual(got, want);
  }
  // 'apple' and 'apple ', 'Banana' and 'Banana  ' are one CHAR value each; NULL is a group of its own.
  const distinct = new Set(batches.flatMap((v) => rowsOf(v).map((x) => (x === null ? null : String(x).trimEnd()))));
  assert.equal(coded.count, distinct.size);
  // Two key columns, one coded and one not.
  const two = new GroupIndex(2), twoOracle = new GroupIndex(2);
  const k2 = vectorFromValues(T.int4, Array.from({ length: 2500 }, (_, i) => i % 3));
  const got = new Int32Array(2500), want = new Int32Array(2500);
  two.assign([parts[0]!, k2], 2500, got);
  twoOracle.assign([plain(parts[0]!), k2], 2500, want);
  assert.deepEqual(got, want);
});

test('expressions of one coded column evaluate per word with the row-by-row result', () => {
  const col: Expr = { k: 'col', idx: 0, type: VC };
  const num: Expr = { k: 'col', idx: 1, type: T.int4 };
  const str = (s: string): Expr => ({ k: 'const', value: s, type: VC });
  const fn = (name: string, args: Expr[], type: SqlType = T.bool): Expr => ({ k: 'fn', name, args, type });
  const exprs: [string, Expr, boolean][] = [
    ["s = 'cherry'", fn('eq', [col, str('cherry')]), false],
    ["s <> 'apple' (blank-insensitive)", fn('ne', [col, str('apple')]), false],
    ["s < 'c'", fn('lt', [col, str('c')]), false],
    ["s LIKE '%an%'", fn('like', [col, str('%an%')]), false],
    ["s IN ('zeta', 'date')", { k: 'in', arg: col, list: [str('zeta'), str('date')], neg: false, type: T.bool }, false],
    ['s IS NULL', { k: 'isnull', arg: col, neg: false, type: T.bool }, false],
    ['upper(s)', fn('upper', [col], VC), true],
    ["CASE WHEN s LIKE 'a%' THEN 'A' ELSE s END", { k: 'case', whens: [{ when: fn('like', [col, str('a%')]), then: str('A') }], else: col, type: VC }, true],
    ['s = s (the column twice)', fn('eq', [col, col]), false],
    // Two columns: evaluated row by row, still correct.
    ['s = s and x > 3', { k: 'and', args: [fn('eq', [col, col]), fn('gt', [num, { k: 'const', value: 3, type: T.int4 }])], type: T.bool }, false],
  ];
  const v = concatVectors(VC, [scanned(VC, valuesOf(2000, WORDS_A, 6)), scanned(VC, valuesOf(900, WORDS_B, 7))]);
  const x = vectorFromValues(T.int4, Array.from({ length: v.length }, (_, i) => i % 7));
  const coded: Batch = { columns: [v, x], length: v.length };
  const rows: Batch = { columns: [plain(v), x], length: v.length };
  for (const [name, e, stringResult] of exprs) {
    const got = evalExpr(e, coded, ev), want = evalExpr(e, rows, ev);
    assert.deepEqual(rowsOf(got), rowsOf(want), name);
    if (stringResult) assert.ok(got.dictionary, `${name}: a string result stays coded`);
  }
});

test('the exchange hash and exchange pages treat coded strings like their plain form', () => {
  const parts = [scanned(VC, valuesOf(1200, WORDS_A, 8)), scanned(VC, valuesOf(800, WORDS_B, 9))];
  for (const v of parts) {
    const got = new Uint32Array(v.length), want = new Uint32Array(v.length);
    hashColumn(v, v.length, got);
    hashColumn(plain(v), v.length, want);
    assert.deepEqual(got, want);
  }
  const shared = toShared(parts.map((v) => ({ columns: [v], length: v.length })), store.allocator, store.memory);
  assert.ok(shared);
  const back = fromShared(shared, store.memory).columns[0]!;
  assert.ok(back.dictionary, 'codes cross as codes');
  assert.deepEqual(rowsOf(back), [...rowsOf(parts[0]!), ...rowsOf(parts[1]!)]);
});
