// Gathers a join's output leaves pending (host/batch/vector.ts deferGatherVector): rows read through
// composed selections, sliced, given new validity, concatenated straight into place, spread and
// structured-cloned, must equal the same rows gathered eagerly (gatherVector), for every data form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  concatVectors, deferGatherVector, gatherBatch, gatherVector, sliceVector, valueAt, vectorFromValues, withValid, type Vector,
} from '../../../host/batch/vector.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const N = 1000;
const rowsOf = (v: Vector): unknown[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i));

/** One column per physical form, every seventh row NULL. */
const COLUMNS: [string, SqlType, (i: number) => unknown][] = [
  ['bool', T.bool, (i) => i % 3 === 0],
  ['int2', T.int2, (i) => (i % 200) - 100],
  ['int4', T.int4, (i) => i * 31 - 9000],
  ['int8', T.int8, (i) => BigInt(i) * 123456789n],
  ['float8', T.float8, (i) => i / 7],
  ['varchar', T.varcharN(10), (i) => `s${i % 97}`],
];

/** A selection of count rows out of n, with repeats and out of order. */
function selection(count: number, n: number, seed: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => (i * 7919 + seed * 104729) % n);
}

for (const [name, type, value] of COLUMNS) {
  const source = vectorFromValues(type, Array.from({ length: N }, (_, i) => (i % 7 === 3 ? null : value(i))));

  test(`${name}: pending gathers read, compose, slice and concatenate as eager gathers do`, () => {
    const s1 = selection(600, N, 1), s2 = selection(400, 600, 2), s3 = selection(250, 400, 3);
    const eager = gatherVector(gatherVector(gatherVector(source, s1, 600), s2, 400), s3, 250);
    const composed = new Map<Int32Array, Int32Array>();
    const once = deferGatherVector(source, s1, 600, composed);
    const twice = deferGatherVector(once, s2, 400, new Map());
    const thrice = gatherBatch({ columns: [twice], length: 400 }, s3, 250).columns[0]!;
    assert.deepEqual(rowsOf(thrice), rowsOf(eager));
    assert.deepEqual(rowsOf(sliceVector(thrice, 10, 100)), rowsOf(eager).slice(10, 110));
    // concatenation gathers pending parts straight into the result, plain parts are copied
    const parts = [deferGatherVector(source, s1, 600, new Map()), source, twice];
    const want = [...rowsOf(gatherVector(source, s1, 600)), ...rowsOf(source), ...rowsOf(gatherVector(gatherVector(source, s1, 600), s2, 400))];
    assert.deepEqual(rowsOf(concatVectors(type, parts)), want);
    // a spread copy and a structured clone carry the gathered rows, never the source
    const fresh = deferGatherVector(source, s3, 250, new Map());
    assert.deepEqual(rowsOf({ ...fresh }), rowsOf(gatherVector(source, s3, 250)));
    const cloned = structuredClone({ ...deferGatherVector(source, s3, 250, new Map()) }) as Vector;
    assert.equal(cloned.data.length, 250);
    assert.deepEqual(rowsOf(cloned), rowsOf(gatherVector(source, s3, 250)));
  });

  test(`${name}: a pending gather given new validity keeps its rows`, () => {
    const sel = selection(64, N, 5);
    const nulls = new Uint8Array(8).fill(0x55);
    const got = withValid(deferGatherVector(source, sel, 64, new Map()), nulls);
    const want = withValid(gatherVector(source, sel, 64), nulls);
    assert.deepEqual(rowsOf(got), rowsOf(want));
  });
}

test('one composed selection serves every column of a batch', () => {
  const a = vectorFromValues(T.int4, Array.from({ length: N }, (_, i) => i));
  const b = vectorFromValues(T.int8, Array.from({ length: N }, (_, i) => BigInt(-i)));
  const s1 = selection(500, N, 7);
  const composed = new Map<Int32Array, Int32Array>();
  const batch = { columns: [deferGatherVector(a, s1, 500, composed), deferGatherVector(b, s1, 500, composed)], length: 500 };
  const s2 = selection(100, 500, 8);
  const out = gatherBatch(batch, s2, 100);
  for (let i = 0; i < 100; i++) {
    const row = s1[s2[i]!]!;
    assert.equal(valueAt(out.columns[0]!, i), row);
    assert.equal(valueAt(out.columns[1]!, i), BigInt(-row));
  }
});
