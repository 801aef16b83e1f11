// Sort keys as numbers (host/exec/sort-keys.ts): for string columns (plain and in dictionary form,
// CHAR values with trailing blanks, empty strings, non-ASCII) and int8 columns (negative, around
// 2^32, up to 2^53), the numbers order every pair of rows exactly as compareValues does, and int8
// values past 2^53 are left to compareValues. Also sortIndices over such keys against a plain sort.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dictionaryVector, type Vector } from '../../../host/batch/vector.js';
import { compareValues } from '../../../host/functions/compare.js';
import { sortKeyNumbers } from '../../../host/exec/sort-keys.js';
import { sortIndices } from '../../../host/exec/operators.js';
import { T } from '../../../host/types/sql-type.js';
import { Rng } from '../../../bench/tpch/generate.js';

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);

function assertSameOrder(v: Vector, values: readonly unknown[]): void {
  const nums = sortKeyNumbers(v, values.length);
  assert.ok(nums, 'numbers made');
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      const want = compareValues(values[i], values[j], v.type);
      assert.equal(sign(nums[i]! - nums[j]!), want, `${JSON.stringify(String(values[i]))} vs ${JSON.stringify(String(values[j]))}`);
    }
  }
}

const rng = new Rng(7);
const WORDS = ['', ' ', 'a', 'a ', 'a  ', 'A', 'b', 'ab', 'a b', 'Brand#45', 'Brand#45  ', 'Brand#4', 'é', 'e', 'z', 'MEDIUM POLISHED', 'zz '];
const strings = Array.from({ length: 300 }, () => WORDS[rng.int(0, WORDS.length - 1)]!);

test('string keys: equal after trailing blanks share a number, others order as compareValues', () => {
  for (const type of [T.varchar, T.bpchar(12), T.text]) {
    assertSameOrder({ type, length: strings.length, data: strings, valid: null }, strings);
  }
});

test('string keys in dictionary form (words repeated up to trailing blanks)', () => {
  const words = ['b', 'a ', 'a', '', 'Brand#45  ', 'Brand#45', 'é', 'c'];
  const codes = Int32Array.from({ length: 200 }, () => rng.int(0, words.length - 1));
  const v = dictionaryVector(T.bpchar(10), codes, words, null);
  assertSameOrder(v, [...codes].map((c) => words[c]));
});

test('int8 keys up to 2^53 as doubles; past it, none', () => {
  const values = [0n, 1n, -1n, 4294967295n, 4294967296n, -4294967296n, -4294967297n, 2n ** 53n - 1n, -(2n ** 53n), -(2n ** 53n) + 1n, 123456789012345n, -98765432109876n];
  for (let i = 0; i < 100; i++) values.push(BigInt(rng.int(-2_000_000_000, 2_000_000_000)) * BigInt(rng.int(0, 4_000_000)));
  const data = BigInt64Array.from(values);
  assertSameOrder({ type: T.int8, length: data.length, data, valid: null }, values);
  const past = BigInt64Array.from([1n, 2n ** 53n]);
  assert.equal(sortKeyNumbers({ type: T.int8, length: 2, data: past, valid: null }, 2), null);
  const below = BigInt64Array.from([1n, -(2n ** 53n) - 1n]);
  assert.equal(sortKeyNumbers({ type: T.int8, length: 2, data: below, valid: null }, 2), null);
});

test('sortIndices over a string key DESC, an int8 key and NULLs matches a sort by compareValues', () => {
  const n = 500;
  const s = Array.from({ length: n }, () => WORDS[rng.int(0, WORDS.length - 1)]!);
  const k = BigInt64Array.from({ length: n }, () => BigInt(rng.int(-5, 5)) * 3_000_000_000n);
  const valid = new Uint8Array((n + 7) >> 3).fill(0xff);
  for (let i = 0; i < n; i += 7) valid[i >> 3]! &= ~(1 << (i & 7));
  const batch = { columns: [{ type: T.varchar, length: n, data: s, valid }, { type: T.int8, length: n, data: k, valid: null }], length: n };
  const keys = [
    { expr: { k: 'col' as const, idx: 0, type: T.varchar }, desc: true, nullsFirst: true },
    { expr: { k: 'col' as const, idx: 1, type: T.int8 }, desc: false, nullsFirst: false },
  ];
  const got = [...sortIndices(batch, keys, {} as never)];
  const isNull = (i: number) => ((valid[i >> 3]! >> (i & 7)) & 1) === 0;
  const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    if (isNull(a) || isNull(b)) { if (isNull(a) !== isNull(b)) return isNull(a) ? -1 : 1; }
    else { const c = -compareValues(s[a], s[b], T.varchar); if (c !== 0) return c; }
    const d = compareValues(k[a], k[b], T.int8);
    return d !== 0 ? d : a - b;
  });
  assert.deepEqual(got, want);
});

test('sortIndices by rank counting: int2, int4, date, numeric and string keys, ASC/DESC, NULLs first/last, a LIMIT', async () => {
  const { packedSortOrder } = await import('../../../host/exec/sort-keys.js');
  const n = 3000;
  const nulls = (every: number, offset: number) => {
    const valid = new Uint8Array((n + 7) >> 3).fill(0xff);
    for (let i = offset; i < n; i += every) valid[i >> 3]! &= ~(1 << (i & 7));
    return valid;
  };
  const isNull = (valid: Uint8Array | null, i: number) => valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0;
  const cols = [
    { type: T.int2, length: n, data: Int16Array.from({ length: n }, () => rng.int(-3, 3)), valid: nulls(11, 2) },
    { type: T.int4, length: n, data: Int32Array.from({ length: n }, () => rng.int(-2_000_000_000, 2_000_000_000) % 7), valid: null },
    { type: T.date, length: n, data: Int32Array.from({ length: n }, () => rng.int(8000, 8010)), valid: nulls(13, 5) },
    { type: { id: 'numeric' as const, precision: 12, scale: 2 }, length: n, data: BigInt64Array.from({ length: n }, () => BigInt(rng.int(-500, 500))), valid: nulls(17, 1) },
    { type: T.varchar, length: n, data: Array.from({ length: n }, () => WORDS[rng.int(0, WORDS.length - 1)]!), valid: nulls(19, 3) },
  ];
  const batch = { columns: cols, length: n };
  const reference = (keys: { idx: number; desc: boolean; nullsFirst: boolean }[]) => Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    for (const k of keys) {
      const c = cols[k.idx]!;
      const na = isNull(c.valid, a), nb = isNull(c.valid, b);
      if (na || nb) { if (na !== nb) return na === k.nullsFirst ? -1 : 1; continue; }
      const r = compareValues((c.data as ArrayLike<unknown>)[a], (c.data as ArrayLike<unknown>)[b], c.type) * (k.desc ? -1 : 1);
      if (r !== 0) return r;
    }
    return a - b;
  });
  const orders = [
    [{ idx: 0, desc: false, nullsFirst: false }, { idx: 1, desc: true, nullsFirst: false }],
    [{ idx: 2, desc: true, nullsFirst: true }, { idx: 4, desc: false, nullsFirst: false }, { idx: 3, desc: true, nullsFirst: false }],
    [{ idx: 4, desc: true, nullsFirst: false }, { idx: 0, desc: true, nullsFirst: true }, { idx: 2, desc: false, nullsFirst: true }, { idx: 1, desc: false, nullsFirst: false }],
    [{ idx: 3, desc: false, nullsFirst: true }],
  ];
  for (const keys of orders) {
    const pk = keys.map((k) => ({ expr: { k: 'col' as const, idx: k.idx, type: cols[k.idx]!.type }, desc: k.desc, nullsFirst: k.nullsFirst }));
    const want = reference(keys);
    assert.deepEqual([...sortIndices(batch, pk, {} as never)], want, JSON.stringify(keys));
    assert.deepEqual([...sortIndices(batch, pk, {} as never, 2000)], want.slice(0, 2000), `${JSON.stringify(keys)} limit`);
  }
  // the packed path itself (not only the comparator it would fall back to) on these keys
  const direct = packedSortOrder([{ values: cols[1]!.data as Int32Array, valid: null, desc: false, nullsFirst: false }], n);
  assert.deepEqual([...direct!], reference([{ idx: 1, desc: false, nullsFirst: false }]));
  // values spread wider than the marking range (ranked by a sort), and a key whose every row is NULL
  const wide = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1_000_003) * 1e6 - 4e11);
  const allNull = new Uint8Array((n + 7) >> 3);
  const got = packedSortOrder([{ values: new Int32Array(n), valid: allNull, desc: true, nullsFirst: true }, { values: wide, valid: null, desc: true, nullsFirst: false }], n);
  assert.deepEqual([...got], Array.from({ length: n }, (_, i) => i).sort((a, b) => wide[b]! - wide[a]! || a - b));
});
