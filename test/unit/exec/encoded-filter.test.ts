// Filters on dictionary-coded string columns (host/exec/kernel-filter.ts 'words' steps): a conjunct on one string
// column is evaluated once per dictionary word and expanded through the codes; the selected rows must equal the
// plain row-by-row evaluation (host/exec/eval.ts) for comparisons, LIKE, IN, IS NULL and expressions that are
// true on NULL, chained after a fixed-width kernel step, on dictionary-coded and plain chunks alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectorFromValues, type Batch } from '../../../host/batch/vector.js';
import { evalPredicate, type EvalContext } from '../../../host/exec/eval.js';
import { planKernelFilter, runKernelFilter, type KernelContext } from '../../../host/exec/kernel-filter.js';
import { and, type Expr } from '../../../host/plan/expr.js';
import { dictionaryOf } from '../../../host/storage/chunk.js';
import { ChunkStore } from '../../../host/storage/chunk-store.js';
import { createSharedMemory } from '../../../host/wasm/memory.js';
import { instantiateKernels, loadKernelModules } from '../../../host/wasm/kernels.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const store = new ChunkStore(createSharedMemory(64 * 1024 * 1024));
const k = instantiateKernels(loadKernelModules().simd, store.memory);
const CAP = 8192;
const kc: KernelContext = { k, memory: store.memory, selA: store.allocator.alloc(CAP * 4), selB: store.allocator.alloc(CAP * 4), capacity: CAP };
const ev: EvalContext = { params: [], planValues: new Map(), planSets: new Map(), fn: { now: 0n, user: 'u', schema: 'public', database: 'd' } };
const BOOL: SqlType = T.bool;

const col = (idx: number, type: SqlType): Expr => ({ k: 'col', idx, type });
const str = (s: string, type: SqlType = T.varcharN(20)): Expr => ({ k: 'const', value: s, type });
const fn = (name: string, args: Expr[], type: SqlType = BOOL): Expr => ({ k: 'fn', name, args, type });

const WORDS = ['apple', 'apple ', 'Banana', 'cherry', '', 'ünïcode €', 'date', 'zeta'];
function chunkOf(n: number, distinct: 'few' | 'many'): Batch {
  const s = Array.from({ length: n }, (_, i) => (i % 9 === 4 ? null : distinct === 'few' ? WORDS[(i * 7) % WORDS.length]! : `w${i}`));
  const x = Array.from({ length: n }, (_, i) => (i * 37) % 100);
  return store.decodeAll(store.encode({ columns: [vectorFromValues(T.varcharN(20), s), vectorFromValues(T.int4, x)], length: n }));
}

const s0 = col(0, T.varcharN(20)), x1 = col(1, T.int4);
const PREDICATES: [string, Expr][] = [
  ["s = 'apple'", fn('eq', [s0, str('apple')])],
  ["s <> 'cherry'", fn('ne', [s0, str('cherry')])],
  ["s < 'cherry'", fn('lt', [s0, str('cherry')])],
  ["s LIKE '%a%'", fn('like', [s0, str('%a%')])],
  ["s IN ('date', 'zeta', 'nope')", { k: 'in', arg: s0, list: [str('date'), str('zeta'), str('nope')], neg: false, type: BOOL }],
  ['s IS NULL', { k: 'isnull', arg: s0, neg: false, type: BOOL }],
  ["coalesce(s, 'zeta') = 'zeta' (true on NULL)", fn('eq', [fn('coalesce', [s0, str('zeta')], T.varcharN(20)), str('zeta')])],
  ["s > 'b' AND x < 50", and([fn('gt', [s0, str('b')]), fn('lt', [x1, { k: 'const', value: 50, type: T.int4 }])])],
];

test('a one-string-column conjunct becomes a words step; fixed-width ones stay kernel steps', () => {
  const plan = planKernelFilter(PREDICATES.at(-1)![1]);
  assert.deepEqual(plan.steps.map((s) => s.kind).sort(), ['cmp', 'words']);
  assert.equal(plan.rest, null);
  assert.equal(planKernelFilter(fn('eq', [s0, fn('random', [], T.float8)])).steps.length, 0, 'volatile: no words step');
});

test('filters on dictionary-coded and plain string chunks select the rows eval.ts selects', () => {
  for (const distinct of ['few', 'many'] as const) for (const n of [0, 1, 7, 9, 1000, 4097]) {
    const b = chunkOf(n, distinct);
    if (n >= 100) assert.equal(dictionaryOf(b.columns[0]!) !== undefined, distinct === 'few', `${distinct} n ${n} dictionary-coded`);
    for (const [what, e] of PREDICATES) {
      const want = evalPredicate(e, b, ev);
      const got = runKernelFilter(planKernelFilter(e), b, kc, ev);
      assert.ok(got, what);
      assert.deepEqual(Array.from(got), Array.from(want.sel.subarray(0, want.count)), `${what} on ${distinct} n ${n}`);
    }
  }
});

test('the dictionary path reads the dictionary, not the decoded strings', () => {
  const b = chunkOf(1000, 'few');
  const dict = dictionaryOf(b.columns[0]!)!;
  assert.ok(dict.words.length <= WORDS.length);
  // Overwrite the decoded strings: a row-by-row evaluation would now find nothing. ('apple ' = 'apple': trailing
  // blanks are ignored in comparisons, Redshift "Character types".)
  const data = b.columns[0]!.data as string[];
  data.fill('overwritten');
  const got = runKernelFilter(planKernelFilter(fn('eq', [s0, str('apple')])), b, kc, ev)!;
  const expect = Array.from(dict.codes).flatMap((c, r) => (dict.words[c]!.replace(/ +$/, '') === 'apple' && ((b.columns[0]!.valid![r >> 3]! >> (r & 7)) & 1) ? [r] : []));
  assert.ok(expect.length > 0);
  assert.deepEqual(Array.from(got), expect);
});

test('a dictionary-coded column without NULLs takes the same rows', () => {
  const n = 3000;
  const s = Array.from({ length: n }, (_, i) => WORDS[(i * 5) % WORDS.length]!);
  const x = Array.from({ length: n }, (_, i) => (i * 37) % 100);
  const b = store.decodeAll(store.encode({ columns: [vectorFromValues(T.varcharN(20), s), vectorFromValues(T.int4, x)], length: n }));
  assert.equal(b.columns[0]!.valid, null);
  assert.ok(dictionaryOf(b.columns[0]!));
  for (const [what, e] of PREDICATES) {
    const want = evalPredicate(e, b, ev);
    assert.deepEqual(Array.from(runKernelFilter(planKernelFilter(e), b, kc, ev)!), Array.from(want.sel.subarray(0, want.count)), what);
  }
});
