// Block-decoding kernels (kernels/encode/): SIMD and scalar WASM against the JS reference on payloads the
// codecs (host/storage/encoding/*) wrote, at the usual lengths with integer extremes; the decoded lanes must be
// the values that were encoded, and damaged payloads must give 0 in every implementation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Harness, LENGTHS } from './harness.js';
import { CODECS } from '../../../host/storage/encoding/registry.js';
import type { RawValues } from '../../../host/storage/encoding/raw-values.js';
import type { KernelExports } from '../../../host/wasm/kernel-exports.js';

const h = new Harness();
const SIGNED = { 2: 'i16', 4: 'i32', 8: 'i64' } as const;
const BITS = { 1: 8, 2: 16, 4: 32, 8: 64 } as const;

/** n integer lanes of `width` bytes: a walk with small steps, jumps, runs and the type's extremes. */
function lanes(width: 1 | 2 | 4 | 8, n: number, style: 'walk' | 'few' | 'wide'): Uint8Array {
  const bits = width * 8;
  const lo = -(2n ** BigInt(bits - 1)), hi = 2n ** BigInt(bits - 1) - 1n;
  const out = new Uint8Array(n * width);
  const dv = new DataView(out.buffer);
  let x = 0n;
  for (let i = 0; i < n; i++) {
    const r = h.rand();
    if (style === 'few') x = BigInt(h.int(0, 9)) * 1000n - 3n;
    else if (style === 'wide' || r < 0.05) x = h.pick([lo, hi, 0n, -1n, BigInt(h.int(-2147483648, 2147483647)) * (width === 8 ? 4294967311n : 1n)]);
    else if (r < 0.3) { /* a run */ } else x += BigInt(h.int(-100, 100));
    x = BigInt.asIntN(bits, x);
    if (width === 1) dv.setInt8(i, Number(x)); else if (width === 2) dv.setInt16(i * 2, Number(x), true);
    else if (width === 4) dv.setInt32(i * 4, Number(x), true); else dv.setBigInt64(i * 8, x, true);
  }
  return out;
}

const raw = (l: Uint8Array, width: number, rows: number): RawValues => ({ layout: 'fixed', rows, width, integer: true, lanes: l, items: null });
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0, true);

/** Runs a decode kernel in every implementation; returns [result, output bytes] of the agreed run. */
function decode(what: string, outBytes: number, call: (k: KernelExports, out: number) => number): [number, number[]] {
  return h.agree(what, (k) => {
    const out = h.alloc(outBytes);
    const r = call(k, out);
    return [r, r === 1 ? (h.read('u8', out, outBytes) as number[]) : []];
  });
}

test('encode_undelta_* decode DELTA and DELTA32K streams', () => {
  for (const width of [2, 4, 8] as const) for (const dw of [1, 2] as const) {
    if (dw >= width) continue;
    for (const n of LENGTHS) for (const style of ['walk', 'wide'] as const) {
      const l = lanes(width, n, style);
      const payload = CODECS[dw === 1 ? 'DELTA' : 'DELTA32K'].encode(raw(l, width, n))!;
      const src = h.put('u8', payload);
      const name = `encode_undelta_${SIGNED[width]}` as const;
      const [r, got] = decode(`${name} dw ${dw} n ${n}`, n * width, (k, out) => k[name](src, payload.length, dw, n, out));
      assert.equal(r, 1);
      assert.deepEqual(got, Array.from(l));
      if (n > 1) assert.equal(decode(`${name} truncated`, n * width, (k, out) => k[name](src, payload.length - 1, dw, n, out))[0], 0);
      h.reset();
    }
  }
});

test('encode_widen_* decode MOSTLY8/16/32 values and exceptions', () => {
  for (const width of [2, 4, 8] as const) for (const narrow of [1, 2, 4] as const) {
    if (narrow >= width) continue;
    for (const n of LENGTHS) {
      const l = lanes(width, n, 'walk');
      const payload = CODECS[narrow === 1 ? 'MOSTLY8' : narrow === 2 ? 'MOSTLY16' : 'MOSTLY32'].encode(raw(l, width, n))!;
      const nExc = u32(payload, 0);
      const small = h.put('u8', payload.subarray(4, 4 + n * narrow));
      const excRows = h.put('u8', payload.subarray(4 + n * narrow, 4 + n * narrow + nExc * 4));
      const excValues = h.put('u8', payload.subarray(4 + n * narrow + nExc * 4));
      const name = `encode_widen_${SIGNED[width]}` as const;
      const [r, got] = decode(`${name} narrow ${narrow} n ${n}`, n * width, (k, out) => k[name](small, narrow, n, excRows, nExc, excValues, out));
      assert.equal(r, 1);
      assert.deepEqual(got, Array.from(l));
      if (nExc > 0) assert.equal(decode(`${name} bad row`, n * width, (k, out) => k[name](small, narrow, n - n, excRows, nExc, excValues, out))[0], 0);
      h.reset();
    }
  }
});

test('encode_unpack_az64_* decode frame-of-reference groups of every bit width', () => {
  for (const width of [2, 4, 8] as const) for (const n of LENGTHS) for (const style of ['walk', 'few', 'wide'] as const) {
    const l = lanes(width, n, style);
    const payload = CODECS.AZ64.encode(raw(l, width, n))!;
    const src = h.put('u8', payload);
    const name = `encode_unpack_az64_${SIGNED[width]}` as const;
    const [r, got] = decode(`${name} ${style} n ${n}`, n * width, (k, out) => k[name](src, payload.length, n, out));
    assert.equal(r, 1);
    assert.deepEqual(got, Array.from(l));
    if (n > 0) assert.equal(decode(`${name} truncated`, n * width, (k, out) => k[name](src, payload.length - 1, n, out))[0], 0);
    h.reset();
  }
});

test('encode_expand_rle_* and encode_gather_dict_* decode RUNLENGTH and BYTEDICT lanes', () => {
  for (const width of [1, 2, 4, 8] as const) for (const n of LENGTHS) {
    const l = lanes(width, n, 'few');
    const rle = CODECS.RUNLENGTH.encode(raw(l, width, n))!;
    const runs = u32(rle, 0);
    const values = h.put('u8', rle.subarray(4, 4 + runs * width)), lengths = h.put('u8', rle.subarray(4 + runs * width));
    const expand = `encode_expand_rle_${BITS[width]}` as const;
    const [r1, got1] = decode(`${expand} n ${n}`, n * width, (k, out) => k[expand](values, lengths, runs, n, out));
    assert.equal(r1, 1);
    assert.deepEqual(got1, Array.from(l));
    if (n > 0) assert.equal(decode(`${expand} short`, n * width, (k, out) => k[expand](values, lengths, runs, n - 1, out))[0], 0);

    const dict = CODECS.BYTEDICT.encode(raw(l, width, n))!;
    const nDict = dict[0]! | (dict[1]! << 8);
    const d = h.put('u8', dict.subarray(2, 2 + nDict * width)), codes = h.put('u8', dict.subarray(2 + nDict * width));
    const gather = `encode_gather_dict_${BITS[width]}` as const;
    const [r2, got2] = decode(`${gather} n ${n}`, n * width, (k, out) => k[gather](d, nDict, codes, n, out));
    assert.equal(r2, 1);
    assert.deepEqual(got2, Array.from(l));
    if (n > 0) assert.equal(decode(`${gather} bad code`, n * width, (k, out) => k[gather](d, 0, codes, n, out))[0], 0);
    h.reset();
  }
});
