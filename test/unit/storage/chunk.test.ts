// Chunks in shared memory: every type round-trips through encode/decode, fixed-width columns are
// views of the shared memory (no copy), and apache-arrow wraps a chunk's buffers without copying.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeData, makeVector, Int32, Float64 } from 'apache-arrow';
import { batchToRows, vectorFromValues, type Batch } from '../../../host/batch/vector.js';
import { ChunkStore } from '../../../host/storage/chunk-store.js';
import { createSharedMemory } from '../../../host/wasm/memory.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const store = new ChunkStore(createSharedMemory(64 * 1024 * 1024));

function batchOf(types: SqlType[], rows: unknown[][]): Batch {
  return { columns: types.map((t, c) => vectorFromValues(t, rows.map((r) => r[c]))), length: rows.length };
}

test('every column type round-trips, NULLs included, at lengths 0, 1, 7, 8, 9 and 2049', () => {
  const types = [T.bool, T.int2, T.int4, T.int8, T.float4, T.float8, T.numeric(38, 2), T.varcharN(20), T.bpchar(3), T.date, T.timestamp, T.interval, T.bytea];
  for (const n of [0, 1, 7, 8, 9, 2049]) {
    const rows = Array.from({ length: n }, (_, i) => [
      i % 3 === 0 ? null : i % 2 === 0, i % 5 === 0 ? null : (i * 7) % 32767 - 100, i * 1000 - 5, BigInt(i) * 10000000000n - 3n,
      Math.fround(i / 3), i % 11 === 0 ? null : i / 7, i === 3 ? 10n ** 36n : BigInt(i * 101),
      i % 4 === 0 ? null : `s${i % 13}é`, 'ab ', 18000 + i, BigInt(i) * 86400000000n, { months: i, days: i === 0 ? 0 : -i, micros: i * 1000 },
      Uint8Array.of(i & 255, 0, 255),
    ]);
    const b = batchOf(types, rows);
    const d = store.encode(b);
    const back = store.decodeAll(d);
    assert.deepEqual(batchToRows(back), batchToRows(b), `length ${n}`);
  }
});

test('low-cardinality strings become a dictionary, unique ones offsets and bytes', () => {
  const few = store.encode(batchOf([T.text], Array.from({ length: 1000 }, (_, i) => [`k${i % 3}`])));
  const many = store.encode(batchOf([T.text], Array.from({ length: 1000 }, (_, i) => [`k${i}`])));
  assert.equal(few.cols[0]!.kind, 'dict');
  assert.equal(many.cols[0]!.kind, 'utf8');
  assert.equal(store.decodeAll(few).columns[0]!.data[998], 'k2');
  assert.equal(store.decodeAll(many).columns[0]!.data[998], 'k998');
});

test('fixed-width columns are views of the shared memory, and apache-arrow wraps them without copying', () => {
  const rows = Array.from({ length: 100 }, (_, i) => [i % 10 === 0 ? null : i * 3, i / 4]);
  const d = store.encode(batchOf([T.int4, T.float8], rows));
  const b = store.decodeAll(d);
  const ints = b.columns[0]!.data as Int32Array;
  assert.equal(ints.buffer, store.memory.buffer, 'int4 values view the shared memory');
  assert.equal(b.columns[0]!.valid!.buffer, store.memory.buffer, 'validity views the shared memory');
  const data = makeData({ type: new Int32(), length: 100, data: ints, nullBitmap: b.columns[0]!.valid!, nullCount: 10 });
  const v = makeVector(data);
  assert.equal(v.get(0), null);
  assert.equal(v.get(7), 21);
  assert.equal(v.data[0]!.values.buffer, store.memory.buffer, 'Arrow vector shares the buffer');
  const fv = makeVector(makeData({ type: new Float64(), length: 100, data: b.columns[1]!.data as Float64Array }));
  assert.equal(fv.get(6), 1.5);
});

test('chunks no table version reaches are freed by a sweep', () => {
  const before = store.allocator.bytesInUse();
  const keep = store.encode(batchOf([T.int4], [[1], [2]]));
  store.encode(batchOf([T.int4], [[3]]));
  assert.ok(store.allocator.bytesInUse() > before);
  store.sweep([keep]);
  assert.equal(store.decodeAll(keep).columns[0]!.data[1], 2);
  const withKeep = store.allocator.bytesInUse();
  store.sweep([]);
  assert.ok(store.allocator.bytesInUse() < withKeep, 'the last chunk was freed too');
  assert.equal(store.chunkCount, 0);
});
