// Hash-exchange routing (host/cluster/hash-partitioner.ts, host/storage/dist-hash.ts hashColumn):
// the typed per-column hash equals hashValue of every row's value, a routed row lands on the slice
// where a DISTKEY table on that key stores it, routing batch by batch equals routing the whole, and
// pieces written to a shared exchange buffer read back as their concatenation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { batchToRows, concatBatches, vectorFromValues, type Batch, type Vector } from '../../../host/batch/vector.js';
import { hashColumn, hashValue, sliceOf } from '../../../host/storage/dist-hash.js';
import { destinations, HashPartitioner, RouteScratch } from '../../../host/cluster/hash-partitioner.js';
import { partitionByHash } from '../../../host/cluster/runner.js';
import { fromShared, toShared } from '../../../host/cluster/exchange-buffer.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';
import type { EvalContext } from '../../../host/exec/eval.js';
import type { Expr } from '../../../host/plan/expr.js';
import { createSharedMemory, PageAllocator } from '../../../host/wasm/memory.js';
import { Engine } from '../../../host/session/database.js';
import { Session } from '../../../host/session/session.js';
import { Rng } from '../../../bench/tpch/generate.js';

const rng = new Rng(20261124);
const pick = <X>(xs: readonly X[]): X => rng.pick(xs);

/** Values of each layout, with the edges of hashValue's exact-integer range and NULLs. */
const samples: { type: SqlType; values: unknown[] }[] = [
  { type: T.int2, values: [0, 1, -1, 32767, -32768, null, 12, -300] },
  { type: T.int4, values: [0, 1, -1, 2147483647, -2147483648, null, 123456, -98765] },
  { type: T.date, values: [0, 10957, -1, 2932896, -719528, null] },
  {
    type: T.int8,
    values: [0n, 1n, -1n, 4294967296n, -4294967296n, 9007199254740991n, -9007199254740991n, 9007199254740992n, -9007199254740992n,
      -9007199254740993n, 9223372036854775807n, -9223372036854775808n, 2n ** 52n + 5n, -(2n ** 52n) - 5n, null, 4294967295n, -4294967297n],
  },
  { type: T.numeric(15, 2), values: [12345n, -12345n, 0n, null, 99999999999999n] },
  { type: T.numeric(38, 2), values: [12345n, 10n ** 30n, -(10n ** 30n), null] },
  { type: T.float8, values: [0, -0, 1.5, -2, 3, NaN, Infinity, null, 1e300, 2 ** 53 + 2] },
  { type: T.float4, values: [0, 1.5, -2, null, 7] },
  { type: T.bool, values: [true, false, null, true] },
  { type: T.varchar, values: ['', 'abc', 'abc  ', '  abc', 'éü€ 𝄞', null, 'MED BOX', 'x'.repeat(100)] },
  { type: T.bpchar(10), values: ['Brand#23  ', 'Brand#23', '', null, 'ÅÄÖ   '] },
  { type: T.timestamp, values: [0n, 1700000000000000n, -1n, null] },
];

/** A vector of n values drawn from `values`. */
function column(type: SqlType, values: readonly unknown[], n: number): Vector {
  return vectorFromValues(type, Array.from({ length: n }, (_, i) => (i < values.length ? values[i] : pick(values))));
}

const valueOf = (v: Vector, i: number): unknown => batchToRows({ columns: [v], length: v.length })[i]![0];

test('hashColumn equals hashValue of each row, for every layout and NULLs', () => {
  for (const { type, values } of samples) {
    const v = column(type, values, 300);
    const out = new Uint32Array(v.length);
    hashColumn(v, v.length, out);
    for (let i = 0; i < v.length; i++) assert.equal(out[i], hashValue(valueOf(v, i)), `${type.id} row ${i} (${String(valueOf(v, i))})`);
  }
});

test('equal SQL values route to one slice: int widths, numerics in and beyond 64 bits, trailing blanks', () => {
  const route = (type: SqlType, values: unknown[], slices: number) => {
    const scratch = new RouteScratch();
    destinations([vectorFromValues(type, values)], values.length, slices, scratch);
    return Array.from(scratch.dest.subarray(0, values.length));
  };
  for (const slices of [2, 3, 4, 7]) {
    const ints = [5, -7, 1 << 30, -(1 << 30)];
    assert.deepEqual(route(T.int4, ints, slices), route(T.int8, ints.map(BigInt), slices));
    assert.deepEqual(route(T.int2, [5, -7], slices), route(T.int4, [5, -7], slices));
    const [a, b] = route(T.varchar, ['abc', 'abc   '], slices);
    assert.equal(a, b);
    // One int8 batch as a BigInt64Array, another with a value beyond 64 bits as a bigint[].
    const big: Vector = { type: T.numeric(38, 0), length: 2, data: [123n, 10n ** 25n], valid: null };
    const small = vectorFromValues(T.numeric(38, 0), [123n, 10n ** 15n]);
    const s1 = new RouteScratch(), s2 = new RouteScratch();
    destinations([big], 2, slices, s1);
    destinations([small], 2, slices, s2);
    assert.equal(s1.dest[0], s2.dest[0]);
    assert.equal(s1.dest[1], sliceOf(10n ** 25n, slices));
  }
});

const ctx = {} as EvalContext;
const col = (idx: number, type: SqlType): Expr => ({ k: 'col', idx, type } as Expr);

/** A batch of n rows: id int4, key int8 (NULLs), name varchar (NULLs), amount numeric. */
function makeBatch(n: number, from: number): Batch {
  const ids = Array.from({ length: n }, (_, i) => from + i);
  return {
    length: n,
    columns: [
      vectorFromValues(T.int4, ids),
      vectorFromValues(T.int8, ids.map((i) => (i % 11 === 0 ? null : BigInt((i * 7919) % 5000)))),
      vectorFromValues(T.varchar, ids.map((i) => (i % 13 === 0 ? null : `name${i % 97}${i % 3 === 0 ? '  ' : ''}`))),
      vectorFromValues(T.numeric(12, 2), ids.map((i) => BigInt(i * 25))),
    ],
  };
}

test('routing batch by batch gives each slice the rows routing the whole batch gives it, in order', () => {
  const types = [T.int4, T.int8, T.varchar, T.numeric(12, 2)];
  const batches = [makeBatch(1000, 0), makeBatch(1, 1000), makeBatch(0, 1001), makeBatch(2500, 1001)];
  const whole = concatBatches(types, batches);
  for (const keys of [[col(1, T.int8)], [col(2, T.varchar)], [col(1, T.int8), col(2, T.varchar)], [col(3, T.numeric(12, 2)), col(0, T.int4)]]) {
    for (const slices of [1, 2, 3, 4]) {
      const p = new HashPartitioner(keys, slices, ctx);
      for (const b of batches) p.add(b);
      const streamed = p.pieces().map((parts) => batchToRows(concatBatches(types, parts)));
      const once = partitionByHash(whole, { keys }, slices, ctx).map(batchToRows);
      assert.deepEqual(streamed, once, `${keys.length} keys, ${slices} slices`);
      assert.equal(streamed.reduce((n, r) => n + r.length, 0), whole.length, 'every row goes to exactly one slice');
      if (keys.length === 1) {
        const k = (keys[0] as { idx: number }).idx;
        streamed.forEach((rows, s) => { for (const r of rows) assert.equal(sliceOf(r[k], slices), s); });
      }
    }
  }
});

test('pieces written to a shared exchange buffer read back as their concatenation', () => {
  const memory = createSharedMemory(16 << 20);
  const pages = PageAllocator.init(memory);
  const types = [T.int4, T.int8, T.varchar, T.numeric(12, 2)];
  // Lengths that leave validity bitmaps at unaligned bit offsets, a piece without NULLs, one row.
  const pieces = [makeBatch(13, 0), makeBatch(1, 13), makeBatch(8, 14), makeBatch(777, 22), makeBatch(10, 1) /* id 1..10: no NULLs */];
  pieces.push({ length: 2, columns: [vectorFromValues(T.int4, [1, 2]), { type: T.int8, length: 2, data: [5n, 10n ** 20n], valid: null }, vectorFromValues(T.varchar, ['a', null]), vectorFromValues(T.numeric(12, 2), [1n, null])] });
  const before = pages.bytesInUse();
  const shared = toShared(pieces, pages, memory)!;
  assert.ok(shared.ptr > 0);
  assert.deepEqual(batchToRows(fromShared(shared, memory)), batchToRows(concatBatches(types, pieces)));
  pages.free(shared.ptr);
  assert.equal(pages.bytesInUse(), before);
});

test('a string column of few distinct values crosses as dictionary codes, a diverse one as UTF-8 text; both read back equal', () => {
  const memory = createSharedMemory(16 << 20);
  const pages = PageAllocator.init(memory);
  const n = 5000;
  const few = vectorFromValues(T.bpchar(25), Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : `NATION ${i % 25}`)));
  const many = vectorFromValues(T.varchar, Array.from({ length: n }, (_, i) => (i % 31 === 0 ? null : i % 7 === 0 ? '' : `comment ${i} é𝄞 `)));
  const pieces: Batch[] = [0, 1000, 1001, 3500].map((start, k, all) => {
    const end = all[k + 1] ?? n;
    const sel = Array.from({ length: end - start }, (_, i) => start + i);
    return { length: sel.length, columns: [few, many].map((v) => vectorFromValues(v.type, sel.map((r) => valueOf(v, r)))) };
  });
  const shared = toShared(pieces, pages, memory)!;
  const [fewData, manyData] = shared.columns.map((c) => c.data) as [unknown, unknown];
  assert.ok(!Array.isArray(fewData) && (fewData as { words: unknown[] }).words.length <= 27, 'few distinct: codes and a dictionary');
  assert.ok(!Array.isArray(manyData) && typeof (manyData as { utf8: number }).utf8 === 'number', 'diverse: UTF-8 text in the pages');
  const back = fromShared(structuredClone(shared), memory);
  assert.deepEqual(batchToRows(back), batchToRows({ length: n, columns: [few, many] }));
  pages.free(shared.ptr);
});

let engine: Engine;
before(async () => { engine = await Engine.create({ slices: 3, workers: false, memoryBytes: 256 << 20 }); });
after(async () => { await engine?.close(); });

test('a routed row goes to the slice where a DISTKEY table on that key stores it', async () => {
  const session = new Session(engine);
  const keyTypes: [string, SqlType, (i: number) => string][] = [
    ['INT', T.int4, (i) => `${i * 37 - 500}`],
    ['BIGINT', T.int8, (i) => `${BigInt(i) * 4294967311n - 3n * 2n ** 52n}`],
    ['VARCHAR(20)', T.varchar, (i) => `'k${i % 50}${i % 4 === 0 ? '  ' : ''}é'`],
    ['CHAR(6)', T.bpchar(6), (i) => `'c${i % 40}'`],
    ['DATE', T.date, (i) => `DATE '1995-01-01' + ${i % 400}`],
    ['DECIMAL(12,2)', T.numeric(12, 2), (i) => `${(i * 13) / 100}`],
  ];
  for (const [sqlType, type, lit] of keyTypes) {
    const name = `d_${sqlType.replace(/\W/g, '').toLowerCase()}`;
    await session.execute(`CREATE TABLE ${name} (k ${sqlType}, n INT) DISTKEY (k)`);
    await session.execute(`INSERT INTO ${name} VALUES ${Array.from({ length: 600 }, (_, i) => `(${i % 29 === 0 ? 'NULL' : lit(i)}, ${i})`).join(',')}`);
    const def = engine.committedCatalog.find(name, undefined, ['public']);
    assert.ok(def);
    const data = engine.dataOf(def as never);
    let rows = 0;
    data.slices.forEach((chunks, slice) => {
      for (const c of chunks) {
        const b = engine.store.decodeAll(c);
        const scratch = new RouteScratch();
        const counts = destinations([b.columns[0]!], b.length, 3, scratch);
        assert.equal(counts[slice], b.length, `${sqlType}: every row stored on slice ${slice} routes there`);
        assert.equal(b.columns[0]!.type.id, type.id);
        rows += b.length;
      }
    });
    assert.equal(rows, 600);
    assert.ok(data.slices.filter((s) => s.length > 0).length > 1, `${sqlType}: rows spread over slices`);
  }
});
