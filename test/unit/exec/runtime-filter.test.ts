// host/exec/runtime-filter.ts against a plain Set of the build keys: no key of the build side is ever
// dropped (bitmap, bloom and string filters; int16/int32/int64 layouts, values beyond 32 bits,
// NULLs, dictionary-coded strings with trailing blanks), a bitmap is exact, a bloom's false
// positives stay rare, zone maps rule out chunks only outside the keys' range, and a probe stops
// testing once its trial shows it keeps most rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionaryVector, vectorFromValues, type Vector } from '../../../host/batch/vector.js';
import { T } from '../../../host/types/sql-type.js';
import { buildRuntimeFilter, passingRows, RuntimeFilterProbe, zoneMayPass } from '../../../host/exec/runtime-filter.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** The positions whose value is in `keys` (NULL never is). */
function oracle(values: readonly (number | bigint | string | null)[], keys: Set<unknown>, norm: (v: number | bigint | string) => unknown): number[] {
  const out: number[] = [];
  values.forEach((v, i) => { if (v !== null && keys.has(norm(v))) out.push(i); });
  return out;
}

function assertSuperset(got: Int32Array, want: number[], label: string): void {
  const have = new Set(got);
  for (const i of want) assert.ok(have.has(i), `${label}: row ${i} has a build key but was dropped`);
  for (let j = 1; j < got.length; j++) assert.ok(got[j]! > got[j - 1]!, `${label}: rows ascend`);
}

test('dense integer keys: an exact bitmap over int16, int32 and int64 probes, NULLs dropped', () => {
  const r = rng(1);
  const build = Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? null : Math.floor(r() * 20_000)));
  const f = buildRuntimeFilter([vectorFromValues(T.int4, build)], 'number');
  assert.equal(f.kind, 'number');
  assert.ok(f.kind === 'number' && f.bitmap !== null, 'a bitmap for a small range');
  const keys = new Set(build.filter((v) => v !== null));
  const probe = Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? null : Math.floor(r() * 25_000) - 2000));
  const want = oracle(probe, keys, Number);
  for (const type of [T.int4, T.int8]) {
    const v = vectorFromValues(type, type.id === 'int8' ? probe.map((x) => (x === null ? null : BigInt(x))) : probe);
    assert.deepEqual([...passingRows(f, v)], want, `exact on ${type.id}`);
  }
  const small = probe.map((x) => (x === null ? null : x % 30_000 > 32_767 ? 0 : x));
  const v16 = vectorFromValues(T.int2, small);
  assert.deepEqual([...passingRows(f, v16)], oracle(small, keys, Number), 'exact on int2');
});

test('keys spread wide get a bloom: never a false negative, few false positives, values beyond 32 bits', () => {
  const r = rng(2);
  const build = Array.from({ length: 3000 }, () => BigInt(Math.floor(r() * 1e6)) * 1_000_000_007n - 5_000_000_000_000n);
  const f = buildRuntimeFilter([vectorFromValues(T.int8, build)], 'number');
  assert.ok(f.kind === 'number' && f.bloom !== null && f.bitmap === null, 'a bloom for a wide range');
  const keys = new Set(build.map(Number));
  const probe: (bigint | null)[] = [];
  for (let i = 0; i < 40_000; i++) probe.push(i % 4 === 0 ? build[i % build.length]! : i % 101 === 0 ? null : BigInt(Math.floor(r() * 1e6)) * 1_000_000_007n - 5_000_000_000_000n + 1n);
  const got = passingRows(f, vectorFromValues(T.int8, probe));
  const want = oracle(probe, keys, Number);
  assertSuperset(got, want, 'bloom');
  const falsePositives = got.length - want.length;
  assert.ok(falsePositives < (probe.length - want.length) * 0.05, `false positives ${falsePositives}`);
});

test('string keys: trailing blanks ignored, dictionary form tested per word, NULLs dropped', () => {
  const build = vectorFromValues(T.varcharN(10), ['apple', 'pear  ', null, 'fig']);
  const f = buildRuntimeFilter([build], 'string');
  const words = ['apple  ', 'pear', 'plum', 'fig', ''];
  const codes = Int32Array.from([0, 1, 2, 3, 4, 0, 3, 2]);
  const valid = new Uint8Array([0b1111_1101]); // row 1 is NULL
  const dict: Vector = dictionaryVector(T.bpchar(8), codes, words, valid);
  assert.deepEqual([...passingRows(f, dict)], [0, 3, 5, 6]);
  const plain = vectorFromValues(T.text, ['fig', 'plum', null, 'pear   ', 'apple']);
  assert.deepEqual([...passingRows(f, plain)], [0, 3, 4]);
});

test('an empty build side passes nothing; zone maps rule out chunks outside the key range only', () => {
  const none = buildRuntimeFilter([vectorFromValues(T.int4, [null, null])], 'number');
  assert.equal(passingRows(none, vectorFromValues(T.int4, [0, 1, -1])).length, 0);
  assert.equal(zoneMayPass(none, { nulls: 0, min: 0, max: 10 }), false);
  const f = buildRuntimeFilter([vectorFromValues(T.int8, [100n, 200n])], 'number');
  assert.equal(zoneMayPass(f, { nulls: 0, min: 0, max: 99 }), false);
  assert.equal(zoneMayPass(f, { nulls: 0, min: 201n, max: 900n }), false);
  assert.equal(zoneMayPass(f, { nulls: 0, min: 150, max: 160 }), true, 'inside the range (a bitmap may still drop every row)');
  assert.equal(zoneMayPass(f, { nulls: 3, min: null, max: null }), false, 'all NULL');
  assert.equal(zoneMayPass(f, null), true, 'no zone');
  const s = buildRuntimeFilter([vectorFromValues(T.varcharN(4), ['a'])], 'string');
  assert.equal(zoneMayPass(s, { nulls: 0, min: 'b', max: 'c' }), true, 'string zones are not compared');
});

test('a probe stops testing after its trial when it keeps most rows, and keeps testing when it is selective', () => {
  const all = Array.from({ length: 70_000 }, (_, i) => i % 1000);
  const wide = buildRuntimeFilter([vectorFromValues(T.int4, Array.from({ length: 1000 }, (_, i) => i))], 'number');
  const p = new RuntimeFilterProbe(wide, 0);
  p.test(vectorFromValues(T.int4, all));
  assert.equal(p.active, false);
  const narrow = buildRuntimeFilter([vectorFromValues(T.int4, [1, 2, 3])], 'number');
  const q = new RuntimeFilterProbe(narrow, 0);
  assert.equal(q.test(vectorFromValues(T.int4, all)).length, 210);
  assert.equal(q.active, true);
});
