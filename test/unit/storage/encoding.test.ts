// Block codecs (host/storage/encoding/*) through the block file format: every encoding round-trips
// every value of every type it accepts exactly (extremes, NaN and -0, empty and multi-byte strings,
// NULLs), at lengths around the group and bitmap edges, stores the block with the tag it claims,
// declines what it cannot hold (BYTEDICT over 256 values) to RAW, and rejects damaged payloads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { valueAt, vectorFromValues } from '../../../host/batch/vector.js';
import { SqlError } from '../../../host/common/errors.js';
import { crc32, decodeBlock, encodeBlock } from '../../../host/storage/durable/block.js';
import { Encoding, encodingAllowed, type EncodingName } from '../../../host/storage/encoding/registry.js';
import { T, type SqlType } from '../../../host/types/sql-type.js';

const LENGTHS = [0, 1, 7, 8, 9, 127, 128, 129, 2049];

/** A deterministic pseudo-random generator (xorshift32). */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32; };
}

type Shape = 'few' | 'runs' | 'sorted' | 'wide';
const SHAPES: Shape[] = ['few', 'runs', 'sorted', 'wide'];

/** Values of `type` for row i under a shape: few distinct, long runs, ascending, or anything. */
function valueFor(type: SqlType, shape: Shape, i: number, r: () => number): unknown {
  if (i % 11 === 5) return null;
  const pick = <X>(xs: X[]) => xs[Math.floor(r() * xs.length)]!;
  const k = shape === 'few' ? Math.floor(r() * 5) : shape === 'runs' ? Math.floor(i / 37) : shape === 'sorted' ? i * 3 : Math.floor(r() * 2 ** 31);
  switch (type.id) {
    case 'bool': return shape === 'wide' ? r() < 0.5 : k % 2 === 0;
    case 'int2': return shape === 'wide' ? pick([-32768, 32767, 0, -1, Math.floor(r() * 65536) - 32768]) : (k % 30000) - 7;
    case 'int4': case 'date': return shape === 'wide' ? pick([-2147483648, 2147483647, 0, -1, Math.floor(r() * 2 ** 32) - 2 ** 31]) : k - 1000;
    case 'int8': case 'timestamp': case 'timestamptz':
      return shape === 'wide' ? pick([-9223372036854775808n, 9223372036854775807n, 0n, -1n, BigInt(Math.floor(r() * 2 ** 52)) * 4099n - 2n ** 60n]) : BigInt(k) * 1000000n + 5n;
    case 'numeric': return (type.precision ?? 18) > 18 && shape === 'wide' ? pick([10n ** 37n, -(10n ** 36n), 5n]) : BigInt(k) * 100n - 3n;
    case 'float4': return shape === 'wide' ? pick([NaN, -0, 0, Infinity, -Infinity, Math.fround(r() * 1e30), Math.fround(-1.5)]) : Math.fround(k / 4);
    case 'float8': return shape === 'wide' ? pick([NaN, -0, 0, Infinity, -Infinity, r() * 1e300, Number.MIN_VALUE]) : k / 8;
    case 'bytea': return Uint8Array.of(k & 255, (k >> 8) & 255, 0);
    case 'interval': return { months: k % 12, days: -k, micros: k * 1000 };
    default: {
      if (shape === 'wide') return pick(['', ' ', '  two  spaces ', 'Ünïcode €', '😀 emoji', `word${Math.floor(r() * 1e6)} and more`, 'x'.repeat(300)]);
      return `the ${k % 7} quick é ${k}`;
    }
  }
}

const same = (a: unknown, b: unknown) => {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  return JSON.stringify(a, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) === JSON.stringify(b, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
};

const TYPES: SqlType[] = [T.bool, T.int2, T.int4, T.int8, T.numeric(18, 2), T.numeric(38, 2), T.float4, T.float8, T.date, T.timestamp, T.timestamptz,
  T.varcharN(400), T.bpchar(10), T.text, T.bytea, T.interval];
const NAMES = Object.keys(Encoding) as EncodingName[];

describe('block codecs round-trip every value exactly', () => {
  for (const name of NAMES) {
    it(`${name} on every type it accepts`, () => {
      let encoded = 0;
      for (const type of TYPES) {
        if (!encodingAllowed(name, type)) continue;
        for (const shape of SHAPES) for (const n of LENGTHS) {
          const r = rng(n * 31 + shape.length);
          let values = Array.from({ length: n }, (_, i) => valueFor(type, shape, i, r));
          if (type.id === 'bpchar') values = values.map((v) => (typeof v === 'string' ? v.slice(0, 10) : v));
          const v = vectorFromValues(type, values);
          const { bytes, encoding } = encodeBlock(v, name);
          assert.equal(bytes[6], Encoding[encoding], 'the tag is the encoding reported');
          if (encoding === name) encoded++;
          const back = decodeBlock(n % 2 ? Buffer.from(bytes) : bytes, 'x.blk').vector; // files are read as Buffers
          assert.equal(back.length, n);
          for (let i = 0; i < n; i++) {
            const want = values[i] === null ? null : valueAt(v, i), got = valueAt(back, i);
            assert.ok(same(got, want), `${name} ${type.id} ${shape} n=${n} row ${i}: ${String(got)} != ${String(want)}`);
          }
        }
      }
      assert.ok(encoded > 0, `${name} stored at least one block in its own form`);
    });
  }
});

describe('codec choices', () => {
  it('an integer codec stores small-domain integer blocks in its own form and smaller than RAW', () => {
    const values = Array.from({ length: 4096 }, (_, i) => 1000000 + (i % 50));
    const raw = encodeBlock(vectorFromValues(T.int4, values)).bytes.length;
    for (const name of ['BYTEDICT', 'DELTA', 'DELTA32K', 'MOSTLY8', 'MOSTLY16', 'AZ64', 'LZO', 'ZSTD', 'RUNLENGTH'] as EncodingName[]) {
      const { bytes, encoding } = encodeBlock(vectorFromValues(T.int4, values), name);
      assert.equal(encoding, name);
      if (name !== 'RUNLENGTH' && name !== 'MOSTLY8' && name !== 'MOSTLY16') assert.ok(bytes.length < raw * 0.6, `${name}: ${bytes.length} vs RAW ${raw}`);
    }
  });

  it('BYTEDICT keeps a block of more than 256 distinct values RAW, and exactly 256 encoded', () => {
    assert.equal(encodeBlock(vectorFromValues(T.int8, Array.from({ length: 1000 }, (_, i) => BigInt(i % 257))), 'BYTEDICT').encoding, 'RAW');
    assert.equal(encodeBlock(vectorFromValues(T.int8, Array.from({ length: 1000 }, (_, i) => BigInt(i % 256))), 'BYTEDICT').encoding, 'BYTEDICT');
    assert.equal(encodeBlock(vectorFromValues(T.text, Array.from({ length: 1000 }, (_, i) => `v${i % 257}`)), 'BYTEDICT').encoding, 'RAW');
  });

  it('MOSTLY8 keeps the values that do not fit as exceptions', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i % 100 === 0 ? 2147483647 - i : i % 120 - 60));
    const { bytes, encoding } = encodeBlock(vectorFromValues(T.int4, values), 'MOSTLY8');
    assert.equal(encoding, 'MOSTLY8');
    assert.ok(bytes.length < 1000 * 4 / 2);
    assert.deepEqual(Array.from(decodeBlock(bytes, 'm.blk').vector.data as Int32Array), values);
  });

  it('integer codecs decline wide decimals (stored RAW) and text codecs everything but varchar', () => {
    assert.equal(encodeBlock(vectorFromValues(T.numeric(38, 0), [10n ** 30n, 1n]), 'AZ64').encoding, 'RAW');
    assert.equal(encodeBlock(vectorFromValues(T.numeric(38, 0), [10n ** 30n, 1n]), 'ZSTD').encoding, 'ZSTD');
  });

  it('the type table follows Redshift: no AZ64 on booleans or floats, no LZO on floats, TEXT255 only on varchar', () => {
    assert.equal(encodingAllowed('AZ64', T.bool), false);
    assert.equal(encodingAllowed('AZ64', T.float8), false);
    assert.equal(encodingAllowed('LZO', T.float4), false);
    assert.equal(encodingAllowed('LZO', T.varcharN(3)), true);
    assert.equal(encodingAllowed('TEXT255', T.bpchar(3)), false);
    assert.equal(encodingAllowed('DELTA32K', T.int2), false);
    assert.equal(encodingAllowed('MOSTLY32', T.int4), false);
    assert.equal(encodingAllowed('BYTEDICT', T.bool), false);
    assert.equal(encodingAllowed('RUNLENGTH', T.bool), true);
  });
});

describe('damaged encoded blocks', () => {
  /** Re-seals a block after its payload was changed, so only the codec can notice. */
  function reseal(bytes: Uint8Array, mutate: (payload: Uint8Array) => Uint8Array): Uint8Array {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const jsonLen = dv.getUint32(8, true);
    const head = bytes.subarray(0, 20 + jsonLen);
    const payload = mutate(bytes.slice(20 + jsonLen));
    const out = new Uint8Array(head.length + payload.length);
    out.set(head);
    out.set(payload, head.length);
    const ov = new DataView(out.buffer);
    ov.setUint32(12, payload.length, true);
    ov.setUint32(16, crc32(out.subarray(20)), true);
    return out;
  }
  for (const name of ['BYTEDICT', 'DELTA', 'DELTA32K', 'RUNLENGTH', 'MOSTLY8', 'MOSTLY16', 'AZ64', 'LZO', 'ZSTD'] as EncodingName[]) {
    it(`${name}: a truncated or extended payload is XX001, not a crash`, () => {
      const { bytes, encoding } = encodeBlock(vectorFromValues(T.int8, Array.from({ length: 300 }, (_, i) => BigInt(i % 40) * 1000n)), name);
      assert.equal(encoding, name);
      const isCorrupt = (e: unknown) => e instanceof SqlError && e.code === 'XX001';
      assert.throws(() => decodeBlock(reseal(bytes, (p) => p.subarray(0, p.length - 3)), 'd.blk'), isCorrupt);
      assert.throws(() => decodeBlock(reseal(bytes, (p) => Uint8Array.from([...p, 1, 2, 3])), 'd.blk'), isCorrupt);
    });
  }
  for (const name of ['TEXT255', 'TEXT32K'] as EncodingName[]) {
    it(`${name}: a truncated payload is XX001`, () => {
      const { bytes, encoding } = encodeBlock(vectorFromValues(T.varcharN(50), Array.from({ length: 300 }, (_, i) => `a b${i % 9} c`)), name);
      assert.equal(encoding, name);
      assert.throws(() => decodeBlock(reseal(bytes, (p) => p.subarray(0, p.length - 2)), 'd.blk'), (e: unknown) => e instanceof SqlError && e.code === 'XX001');
    });
  }
});
