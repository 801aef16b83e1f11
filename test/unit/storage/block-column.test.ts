// A chunk column written to a block straight from shared memory (durable/column-block.ts) is the same file,
// byte for byte, as encodeBlock of the column's values, for every encoding and every type it accepts, NULLs,
// dictionary-coded and offsets + bytes strings included; and a block read straight into a chunk column
// (durable/block-column.ts, through the encode_* kernels as the store reads it) has the values, the column
// kind and the runs that encoding the values into a chunk gives. A damaged block is XX001.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { valueAt, vectorFromValues, type Vector } from '../../../host/batch/vector.js';
import { SqlError } from '../../../host/common/errors.js';
import { ChunkStore } from '../../../host/storage/chunk-store.js';
import { decodeColumn, runEndsOf, type ChunkDesc } from '../../../host/storage/chunk.js';
import { blockFile, encodeBlock, type BlockHeader } from '../../../host/storage/durable/block.js';
import { loadBlockColumn } from '../../../host/storage/durable/block-column.js';
import { encodeColumnBlock } from '../../../host/storage/durable/column-block.js';
import { Encoding, encodingAllowed, type EncodingName } from '../../../host/storage/encoding/registry.js';
import { laneDecodersFor } from '../../../host/storage/encoding/wasm-lane-decoders.js';
import { createSharedMemory } from '../../../host/wasm/memory.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const store = new ChunkStore(createSharedMemory(256 * 1024 * 1024));
const lanes = laneDecodersFor(store.memory, store.allocator);

/** A deterministic pseudo-random generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32; };
}

type Shape = 'few' | 'runs' | 'unique' | 'wide';
const SHAPES: Shape[] = ['few', 'runs', 'unique', 'wide'];
const LENGTHS = [0, 1, 9, 129, 3000];

/** Row i's value: NULL now and then (never with `nulls` false); few distinct, runs, unique or extreme values. */
function valueFor(type: SqlType, shape: Shape, i: number, r: () => number, nulls: boolean): unknown {
  if (nulls && i % 13 === 6) return null;
  const k = shape === 'few' ? Math.floor(r() * 5) : shape === 'runs' ? Math.floor(i / 41) : shape === 'unique' ? i * 7 - 300 : Math.floor(r() * 2 ** 31);
  const pick = <X>(xs: X[]) => xs[Math.floor(r() * xs.length)]!;
  switch (type.id) {
    case 'bool': return k % 2 === 0;
    case 'int2': return shape === 'wide' ? pick([-32768, 32767, 0, -1]) : (k % 30000) - 7;
    case 'int4': case 'date': return shape === 'wide' ? pick([-2147483648, 2147483647, 0, -1, k - 2 ** 30]) : k - 1000;
    case 'int8': case 'timestamp': case 'timestamptz':
      return shape === 'wide' ? pick([-9223372036854775808n, 9223372036854775807n, 0n, -1n, BigInt(k) * 4099n - 2n ** 40n, -(2n ** 32n), 2n ** 32n - 1n]) : BigInt(k) * 1000000n + 5n;
    case 'numeric': return (type.precision ?? 18) > 18 && shape === 'wide' ? pick([10n ** 37n, -(10n ** 36n), 5n]) : BigInt(k) * 100n - 3n;
    case 'float4': return shape === 'wide' ? pick([NaN, -0, 0, Infinity, -Infinity, Math.fround(-1.5)]) : Math.fround(k / 4);
    case 'float8': return shape === 'wide' ? pick([NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE, -1e300]) : k / 8;
    case 'bytea': return Uint8Array.of(k & 255, (k >> 8) & 255, 0);
    case 'interval': return { months: k % 12, days: -k, micros: k * 1000 };
    default: {
      if (shape === 'wide') return pick(['', ' ', 'b ', 'a', 'ab', 'Ünïcode €', '😀 emoji', 'x'.repeat(300), `w${k}`]);
      return `the ${k % 7} quick é ${k}`.slice(0, type.id === 'bpchar' ? 10 : 400);
    }
  }
}

const TYPES: SqlType[] = [T.bool, T.int2, T.int4, T.int8, T.numeric(18, 2), T.numeric(38, 2), T.float4, T.float8, T.date, T.timestamp, T.timestamptz,
  T.varcharN(400), T.bpchar(10), T.text, T.bytea, T.interval];

const same = (a: unknown, b: unknown) => {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  return JSON.stringify(a, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) === JSON.stringify(b, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
};

/** A one-column chunk holding `v`. */
function chunkOf(v: Vector): ChunkDesc { return store.encode({ columns: [v], length: v.length }); }

describe('chunk column <-> block file without JS values', () => {
  for (const name of Object.keys(Encoding) as EncodingName[]) {
    it(`${name}: same bytes as encodeBlock, and read back into the chunk layout`, () => {
      let cases = 0;
      for (const type of TYPES) {
        if (!encodingAllowed(name, type)) continue;
        for (const shape of SHAPES) for (const n of LENGTHS) for (const nulls of [true, false]) {
          const what = `${name} ${type.id} ${shape} n=${n} nulls=${nulls}`;
          const r = rng(n * 31 + shape.length);
          const values = Array.from({ length: n }, (_, i) => valueFor(type, shape, i, r, nulls));
          const d = chunkOf(vectorFromValues(type, values));
          const fromValues = encodeBlock(decodeColumn(d, 0, store.memory), name);
          const direct = encodeColumnBlock(d, 0, store.memory, name);
          assert.equal(direct.encoding, fromValues.encoding, what);
          assert.deepEqual(direct.zone, fromValues.zone, what);
          assert.ok(Buffer.compare(direct.bytes, fromValues.bytes) === 0, `${what}: block bytes differ`);
          // Files are read as Buffers (a view at an offset into a larger pool), so read it as one.
          const file = n % 2 ? Buffer.concat([Buffer.alloc(3), Buffer.from(direct.bytes)]).subarray(3) : direct.bytes;
          const loaded = loadBlockColumn(file, 'x.blk', store.memory, store.allocator, lanes);
          assert.equal(loaded.rows, n, what);
          const back: ChunkDesc = { base: loaded.base, rows: n, types: [type], cols: [loaded.desc] };
          assert.equal(loaded.desc.kind, d.cols[0]!.kind, `${what}: column kind`);
          const want = decodeColumn(d, 0, store.memory), got = decodeColumn(back, 0, store.memory);
          for (let i = 0; i < n; i++) {
            const w = values[i] === null ? null : valueAt(want, i), g = values[i] === null ? (valueAt(got, i) === null ? null : 'not null') : valueAt(got, i);
            assert.ok(same(g, w), `${what} row ${i}: ${String(g)} != ${String(w)}`);
          }
          if (direct.encoding === 'RUNLENGTH' && n > 0) {
            const runs = Array.from(loaded.desc.runs ?? []);
            // Floats' runs go by bit pattern (NaN runs merge, 0 and -0 part), which is as safe for a filter.
            if (type.id === 'float4' || type.id === 'float8') assert.equal(runs[runs.length - 1], n, `${what}: runs`);
            else assert.deepEqual(runs, Array.from(runEndsOf(want)), `${what}: runs`);
          } else {
            assert.equal(loaded.desc.runs, undefined, `${what}: runs only from RUNLENGTH blocks`);
          }
          store.allocator.free(loaded.base);
          store.allocator.free(d.base);
          cases++;
        }
      }
      assert.ok(cases > 0);
    });
  }

  it('a damaged fixed-width block is XX001 and gives back the column allocation it was decoding into', () => {
    // Pages in use: the allocator's control word at byte 76 (host/wasm/memory.ts layout).
    const pagesInUse = () => new Int32Array(store.memory.buffer, 76, 1)[0]!;
    const before = pagesInUse();
    for (const name of ['AZ64', 'DELTA', 'MOSTLY16', 'RUNLENGTH', 'BYTEDICT'] as EncodingName[]) {
      const d = chunkOf(vectorFromValues(T.int8, Array.from({ length: 3000 }, (_, i) => BigInt(i % 40) * 1000n)));
      const { bytes, encoding } = encodeColumnBlock(d, 0, store.memory, name);
      store.allocator.free(d.base);
      assert.equal(encoding, name);
      // Cut the payload short and seal the file again, so only the codec can notice.
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const jsonLen = dv.getUint32(8, true);
      const header = JSON.parse(Buffer.from(bytes.subarray(20, 20 + jsonLen)).toString('utf8')) as BlockHeader;
      const damaged = blockFile(header, name, null, bytes.subarray(20 + jsonLen, bytes.length - 5));
      assert.throws(() => loadBlockColumn(damaged, 'bad.blk', store.memory, store.allocator, lanes), (e: unknown) => e instanceof SqlError && e.code === 'XX001', name);
      assert.equal(pagesInUse(), before, `${name}: no pages left allocated`);
    }
  });

  it('a string block with offsets out of order or past its bytes is XX001', () => {
    const rows = 3;
    const section = new Uint8Array(16 + 6);
    const offs = new Uint32Array(section.buffer, 0, 4);
    section.set(Buffer.from('abcdef'), 16);
    const header: BlockHeader = { type: T.text, layout: 'utf8', rows, nulls: 0, min: null, max: null, validBytes: 0 };
    for (const bad of [[0, 4, 2, 6], [0, 2, 4, 7]]) {
      offs.set(bad);
      const bytes = blockFile(header, 'RAW', null, section);
      assert.throws(() => loadBlockColumn(bytes, 'bad.blk', store.memory, store.allocator, lanes), (e: unknown) => e instanceof SqlError && e.code === 'XX001' && /bad offset/.test(e.message));
    }
    offs.set([0, 2, 4, 6]);
    const ok = loadBlockColumn(blockFile(header, 'RAW', null, section), 'ok.blk', store.memory, store.allocator, lanes);
    assert.deepEqual(Array.from({ length: rows }, (_, i) => valueAt(decodeColumn({ base: ok.base, rows, types: [T.text], cols: [ok.desc] }, 0, store.memory), i)), ['ab', 'cd', 'ef']);
    store.allocator.free(ok.base);
  });
});
