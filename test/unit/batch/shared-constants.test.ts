// Shared constant vectors (host/batch/shared-constants.ts) against constantVector, the array-per-call
// form they replace: same values and NULLs for every fixed-width type, views that stay right when a
// longer vector of the same value refills the cache, values that must not share an array (0 and
// -0, true and 1 of another type, NULL), and the forms that keep their own array.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedConstantVector } from '../../../host/batch/shared-constants.js';
import { constantVector, valueAt, type Vector } from '../../../host/batch/vector.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

function values(v: Vector): unknown[] {
  return Array.from({ length: v.length }, (_, i) => valueAt(v, i));
}

function assertLike(type: SqlType, value: unknown, n: number): Vector {
  const got = sharedConstantVector(type, value, n);
  const want = constantVector(type, value, n);
  assert.equal(got.length, n);
  assert.equal((got.data as ArrayLike<unknown>).length, n, `${type.id} ${String(value)}: data as long as the vector`);
  assert.deepEqual(values(got), values(want), `${type.id} ${String(value)} x ${n}`);
  return got;
}

test('every fixed-width type, NULL included, reads as constantVector does', () => {
  const cases: [SqlType, unknown][] = [
    [T.bool, true], [T.bool, false], [T.int2, -7], [T.int4, 123456], [T.date, 19000], [T.int8, 9007199254740993n],
    [T.int8, -1n], [T.float4, 1.5], [T.float8, Math.PI], [T.float8, Number.NaN], [T.int4, null], [T.int8, null], [T.bool, null],
  ];
  for (const n of [0, 1, 7, 8, 9, 1000, 65536]) for (const [t, v] of cases) assertLike(t, v, n);
});

test('a longer vector of the same value leaves earlier views right', () => {
  const short = assertLike(T.int8, 42n, 100);
  const long = assertLike(T.int8, 42n, 100_000);
  const again = assertLike(T.int8, 42n, 100);
  assert.deepEqual(values(short), values(again));
  assert.equal(long.length, 100_000);
  const nullShort = assertLike(T.int4, null, 10);
  assertLike(T.int4, null, 70_000);
  assert.deepEqual(values(nullShort), new Array(10).fill(null));
});

test('values that are equal as JS keys but not as SQL constants get their own arrays', () => {
  const neg = sharedConstantVector(T.float8, -0, 16);
  const pos = sharedConstantVector(T.float8, 0, 16);
  assert.ok(Object.is((neg.data as Float64Array)[0], -0));
  assert.ok(Object.is((pos.data as Float64Array)[0], 0));
  // 1 as an int2 and as an int4 live in arrays of their own widths
  assert.ok(sharedConstantVector(T.int2, 1, 4).data instanceof Int16Array);
  assert.ok(sharedConstantVector(T.int4, 1, 4).data instanceof Int32Array);
  assert.equal(sharedConstantVector(T.bool, true, 4).valid, null);
  assert.notEqual(sharedConstantVector(T.bool, null, 4).valid, null);
});

test('strings, wide numerics and vectors past the shared length keep arrays of their own', () => {
  const s = assertLike(T.text, 'abc', 5);
  assert.ok(Array.isArray(s.data));
  const wide = assertLike(T.numeric(38, 0), 10n ** 30n, 3);
  assert.ok(Array.isArray(wide.data));
  const big = sharedConstantVector(T.int4, 3, 300_000);
  assert.equal((big.data as Int32Array).buffer.byteLength, 300_000 * 4);
});
