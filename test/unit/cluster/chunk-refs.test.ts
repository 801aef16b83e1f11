// Chunk descriptors by reference between the leader (host/cluster/chunk-refs.ts) and a slice
// worker (host/cluster/worker-chunks.ts), through a structured clone as a task takes: descriptors
// go once, then by number; a worker that lacks one says so; a column read back at a new address
// or an evicted chunk gives the worker a new descriptor, never the old one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkRefs, type TableScan } from '../../../host/cluster/chunk-refs.js';
import { WorkerChunks } from '../../../host/cluster/worker-chunks.js';
import type { ChunkDesc, ColumnDesc } from '../../../host/storage/chunk.js';
import { T } from '../../../host/types/sql-type.js';

const fixed = (values: number): ColumnDesc => ({ kind: 'fixed', values, valid: 0 });

function chunk(base: number, rows: number): ChunkDesc {
  return {
    base, rows, types: [T.int4, T.int8, T.int4],
    cols: [fixed(base), fixed(base + 4 * rows), fixed(base + 12 * rows)],
    zones: [{ nulls: 0, min: 1, max: rows }, { nulls: 0, min: 5n, max: 9n }, null],
  };
}

/** A task's tables as the worker sees them: through a structured clone, like postMessage. */
function ship(refs: ChunkRefs, scans: Map<number, TableScan>, everything = false) {
  const enc = refs.encode(scans, everything);
  return { wire: structuredClone({ tables: enc.tables, defs: enc.defs }), sent: enc.sent, defs: enc.defs };
}

test('descriptors go with the first task, then by number; the worker rebuilds the same descriptor', () => {
  const a = chunk(1024, 100), b = chunk(8192, 50);
  const scans = new Map([[7, { chunks: [a, b], cols: [0, 2] }]]);
  const refs = new ChunkRefs();
  const worker = new WorkerChunks();

  const first = ship(refs, scans);
  assert.equal(first.defs?.chunks.length, 2);
  assert.equal(first.defs?.cols.length, 4, 'only the columns read');
  worker.absorb(first.wire.defs);
  const got = worker.resolve(first.wire.tables)!;
  refs.received(first.sent);
  assert.equal(got[7]!.length, 2);
  assert.deepEqual(got[7]![0]!.cols[0], a.cols[0]);
  assert.deepEqual(got[7]![0]!.cols[2], a.cols[2]);
  assert.equal(got[7]![0]!.cols[1], undefined, 'a column not read is not sent');
  assert.deepEqual(got[7]![1]!.zones, b.zones);
  assert.equal(got[7]![1]!.rows, 50);
  assert.equal(got[7]![1]!.base, 8192);

  const second = ship(refs, scans);
  assert.equal(second.defs, undefined, 'known descriptors are not sent again');
  worker.absorb(second.wire.defs);
  const again = worker.resolve(second.wire.tables)!;
  assert.equal(again[7]![0], got[7]![0], 'an unchanged chunk is the same descriptor object (its caches last)');
});

test('a worker that lacks a descriptor answers null; sent again with everything, it resolves', () => {
  const a = chunk(1024, 100);
  const scans = new Map([[3, { chunks: [a], cols: [1] }]]);
  const refs = new ChunkRefs();
  refs.received(refs.encode(scans).sent);
  const fresh = new WorkerChunks();
  const byNumber = ship(refs, scans);
  assert.equal(byNumber.defs, undefined);
  fresh.absorb(byNumber.wire.defs);
  assert.equal(fresh.resolve(byNumber.wire.tables), null);
  const full = ship(refs, scans, true);
  fresh.absorb(full.wire.defs);
  assert.deepEqual(fresh.resolve(full.wire.tables)![3]![0]!.cols[1], a.cols[1]);
});

test('residency changes reach the worker: a column read back elsewhere, an evicted chunk', () => {
  const a = chunk(1024, 100);
  const scans = new Map([[1, { chunks: [a], cols: [0, 1] }]]);
  const refs = new ChunkRefs();
  const worker = new WorkerChunks();
  const round = () => {
    const s = ship(refs, scans);
    worker.absorb(s.wire.defs);
    const t = worker.resolve(s.wire.tables)!;
    refs.received(s.sent);
    return t[1]![0]!;
  };
  const before = round();
  // the store evicts the chunk and reads column 1 back into a new allocation (chunk-store.ts ensure)
  a.cols = new Array<ColumnDesc>(3);
  a.base = 65536;
  a.cols[1] = fixed(65536);
  const after = round();
  assert.notEqual(after, before);
  assert.equal(after.base, 65536);
  assert.equal(after.cols[0], undefined, 'the evicted column is not in memory');
  assert.deepEqual(after.cols[1], fixed(65536));
  // evicted entirely
  a.base = -1;
  a.cols = new Array<ColumnDesc>(3);
  const gone = round();
  assert.equal(gone.base, -1);
  assert.equal(gone.cols[1], undefined);
});

test('the worker starts over past 128 MiB of run ends, and a task then resent with everything resolves', () => {
  const refs = new ChunkRefs();
  const worker = new WorkerChunks();
  const withRuns = (base: number): ChunkDesc => {
    const d = chunk(base, 100);
    d.cols[0] = { ...fixed(base), runs: new Int32Array(new SharedArrayBuffer(48 << 20)) };
    return d;
  };
  const first = [withRuns(1024), withRuns(2048)];
  const a = ship(refs, new Map([[1, { chunks: first, cols: [0] }]]));
  worker.absorb(a.wire.defs);
  assert.ok(worker.resolve(a.wire.tables));
  refs.received(a.sent);
  assert.equal(worker.size.runBytes, 96 << 20);
  // a new table version: 96 MiB more would pass the limit, so the worker forgets the old one
  const next = [withRuns(4096), withRuns(8192)];
  const b = ship(refs, new Map([[1, { chunks: next, cols: [0] }]]));
  worker.absorb(b.wire.defs);
  assert.ok(worker.resolve(b.wire.tables));
  assert.deepEqual(worker.size, { chunks: 2, runBytes: 96 << 20 });
  // the leader still counts the first version as held: by number only, the worker misses, then resolves with everything
  const again = ship(refs, new Map([[1, { chunks: first, cols: [0] }]]));
  assert.equal(again.defs, undefined);
  worker.absorb(again.wire.defs);
  assert.equal(worker.resolve(again.wire.tables), null);
  const full = ship(refs, new Map([[1, { chunks: first, cols: [0] }]]), true);
  worker.absorb(full.wire.defs);
  assert.equal(worker.resolve(full.wire.tables)![1]!.length, 2);
});
