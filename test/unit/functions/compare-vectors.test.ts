// Vector comparisons (host/functions/compare.ts compare) and AND/OR (host/exec/eval.ts evalBool):
// int64 columns compared through their 32-bit words agree with BigInt comparison at every word
// boundary; string = and <> ignore trailing blanks as compareValues does; AND/OR keep SQL's
// three-valued logic whether or not a side has NULLs, for 0/1 bytes and for booleans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, compareValues, type CmpOp } from '../../../host/functions/compare.js';
import { evalExpr, type EvalContext } from '../../../host/exec/eval.js';
import type { Batch, Vector } from '../../../host/batch/vector.js';
import type { Expr } from '../../../host/plan/expr.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const OPS: readonly CmpOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const holds = (op: CmpOp, c: number): boolean =>
  op === 'eq' ? c === 0 : op === 'ne' ? c !== 0 : op === 'lt' ? c < 0 : op === 'le' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;

test('int64 comparison through 32-bit words agrees with BigInt at every word boundary', () => {
  const edges = [0n, 1n, -1n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, -(2n ** 32n),
    2n ** 53n, -(2n ** 53n) - 7n, 2n ** 63n - 1n, -(2n ** 63n), 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x1_7fffffffn, 0x1_80000000n];
  const xs: bigint[] = [], ys: bigint[] = [];
  for (const a of edges) for (const b of edges) { xs.push(a); ys.push(b); }
  const n = xs.length;
  const x: Vector = { type: T.int8, length: n, data: BigInt64Array.from(xs), valid: null };
  const y: Vector = { type: T.int8, length: n, data: BigInt64Array.from(ys), valid: null };
  for (const op of OPS) {
    const out = compare(op, x, y, n).data as Uint8Array;
    for (let i = 0; i < n; i++) {
      const want = holds(op, xs[i]! < ys[i]! ? -1 : xs[i]! > ys[i]! ? 1 : 0) ? 1 : 0;
      assert.equal(out[i], want, `${xs[i]} ${op} ${ys[i]}`);
    }
  }
  // a view into a larger buffer at an offset (vectors often view a chunk or a batch)
  const big = new BigInt64Array(n + 3);
  big.set(xs, 3);
  const view: Vector = { type: T.int8, length: n, data: big.subarray(3), valid: null };
  assert.deepEqual(compare('lt', view, y, n).data, compare('lt', x, y, n).data);
});

test('string = and <> ignore trailing blanks, as every other string comparison does', () => {
  const pairs: [string, string][] = [['ab', 'ab'], ['ab', 'ab  '], ['ab  ', 'ab'], ['ab', 'abc'], ['', '   '], [' a', 'a'], ['é ', 'é'], ['a b', 'a  b'], ['Brand#12', 'Brand#12  ']];
  const types: SqlType[] = [{ id: 'bpchar', length: 10 }, { id: 'varchar' }, { id: 'text' }];
  for (const t of types) {
    const n = pairs.length + 1;
    // the last row is NULL, with nothing in its data slot
    const x: Vector = { type: t, length: n, data: [...pairs.map((p) => p[0]), undefined] as unknown as string[], valid: new Uint8Array([0xff, 0x00]) };
    const y: Vector = { type: t, length: n, data: [...pairs.map((p) => p[1]), 'x'], valid: null };
    for (const op of ['eq', 'ne'] as const) {
      const r = compare(op, x, y, n);
      for (let i = 0; i < pairs.length; i++) {
        assert.equal(r.data[i], holds(op, compareValues(pairs[i]![0], pairs[i]![1], t)) ? 1 : 0, `${t.id}: '${pairs[i]![0]}' ${op} '${pairs[i]![1]}'`);
      }
      assert.equal((r.valid![1]! & 1), 0, 'the NULL row is NULL');
    }
  }
});

const ev: EvalContext = { params: [], planValues: new Map(), planSets: new Map(), fn: { now: 0n, user: 'u', schema: 'public', database: 'd' } };

test('AND and OR keep three-valued logic with and without NULLs, for bytes and booleans', () => {
  // every combination of two sides over true, false, NULL: columns 0 and 1; column 2 has no NULLs
  const vals = [1, 0, null];
  const a: (number | null)[] = [], b: (number | null)[] = [];
  for (const p of vals) for (const q of vals) { a.push(p); b.push(q); }
  const n = a.length;
  const bits = (xs: (number | null)[]): Uint8Array => { const v = new Uint8Array(2); xs.forEach((x, i) => { if (x !== null) v[i >> 3]! |= 1 << (i & 7); }); return v; };
  const col = (xs: (number | null)[], asBool: boolean): Vector => ({
    type: T.bool, length: n,
    data: (asBool ? xs.map((x) => x === 1) : Uint8Array.from(xs.map((x) => x ?? 0))) as unknown as Uint8Array,
    valid: xs.includes(null) ? bits(xs) : null,
  });
  const sql3 = (kind: 'and' | 'or', p: number | null, q: number | null): number | null => {
    if (kind === 'and') return p === 0 || q === 0 ? 0 : p === null || q === null ? null : 1;
    return p === 1 || q === 1 ? 1 : p === null || q === null ? null : 0;
  };
  const noNulls = a.map((x) => x ?? 1), noNulls2 = b.map((x) => x ?? 0);
  for (const asBool of [false, true]) {
    const batch: Batch = { length: n, columns: [col(a, asBool), col(b, asBool), col(noNulls, asBool), col(noNulls2, asBool)] } as unknown as Batch;
    const ref = (i: number): Expr => ({ k: 'col', idx: i, type: T.bool } as Expr);
    for (const kind of ['and', 'or'] as const) {
      for (const [l, r, lx, rx] of [[0, 1, a, b], [2, 3, noNulls, noNulls2], [3, 2, noNulls2, noNulls], [2, 1, noNulls, b], [0, 2, a, noNulls]] as const) {
        const out = evalExpr({ k: kind, args: [ref(l), ref(r)], type: T.bool } as Expr, batch, ev);
        for (let i = 0; i < n; i++) {
          const want = sql3(kind, lx[i]!, rx[i]!);
          const isNull = out.valid !== null && ((out.valid[i >> 3]! >> (i & 7)) & 1) === 0;
          assert.equal(isNull ? null : (out.data[i] ? 1 : 0), want, `${asBool ? 'booleans' : 'bytes'}: ${lx[i]} ${kind} ${rx[i]} (columns ${l}, ${r})`);
        }
      }
    }
  }
});
