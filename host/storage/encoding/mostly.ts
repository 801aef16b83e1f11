// MOSTLY8, MOSTLY16 and MOSTLY32 block codecs: every value stored in 1, 2 or 4 bytes, and the few
// that do not fit kept in an exception list with their row numbers (Redshift "Mostly encoding",
// which stores such values raw). For integer lanes wider than the narrow width.
//
// Payload: u32 exceptions; rows * narrow-width signed values (0 at an exception row);
// exceptions u32 row numbers (ascending); exceptions * width full values. Little endian.
import { ByteWriter, ByteReader, PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape } from './codec.js';
import type { LaneDecoders } from './lane-decoders.js';
import { bytesOf, signedLanes, type RawValues } from './raw-values.js';

function encodeWith(raw: RawValues, narrow: 1 | 2 | 4): Uint8Array | null {
  if (raw.layout !== 'fixed' || !raw.integer || raw.width <= narrow) return null;
  const rows = raw.rows, width = raw.width;
  const lanes = signedLanes(raw.lanes!, width);
  const lo = -(2 ** (narrow * 8 - 1)), hi = 2 ** (narrow * 8 - 1) - 1;
  const small = narrow === 1 ? new Int8Array(rows) : narrow === 2 ? new Int16Array(rows) : new Int32Array(rows);
  const rowsOut: number[] = [];
  if (width === 8) {
    const big = lanes as BigInt64Array, blo = BigInt(lo), bhi = BigInt(hi);
    for (let i = 0; i < rows; i++) { const x = big[i]!; if (x >= blo && x <= bhi) small[i] = Number(x); else rowsOut.push(i); }
  } else {
    const num = lanes as Int16Array | Int32Array;
    for (let i = 0; i < rows; i++) { const x = num[i]!; if (x >= lo && x <= hi) small[i] = x; else rowsOut.push(i); }
  }
  const w = new ByteWriter(4 + rows * narrow + rowsOut.length * (4 + width));
  w.u32(rowsOut.length);
  w.bytes(bytesOf(small));
  w.bytes(bytesOf(Uint32Array.from(rowsOut)));
  for (const i of rowsOut) w.bytes(raw.lanes!.subarray(i * width, i * width + width));
  return w.finish();
}

/**
 * JS reference of the encode_mostly* kernels: sign-extends `rows` narrow values into `width`-byte
 * lanes, then writes the exception values at their rows; false on a row number out of range.
 */
export function widenWithExceptions(small: Uint8Array, narrow: number, rows: number, excRows: Uint32Array, excValues: Uint8Array, width: number, out: Uint8Array): boolean {
  const sv = new DataView(small.buffer, small.byteOffset, small.byteLength);
  const ov = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < rows; i++) {
    const x = narrow === 1 ? sv.getInt8(i) : narrow === 2 ? sv.getInt16(i * 2, true) : sv.getInt32(i * 4, true);
    if (width === 2) ov.setInt16(i * 2, x, true);
    else if (width === 4) ov.setInt32(i * 4, x, true);
    else ov.setBigInt64(i * 8, BigInt(x), true);
  }
  for (let k = 0; k < excRows.length; k++) {
    const r = excRows[k]!;
    if (r >= rows) return false;
    out.set(excValues.subarray(k * width, k * width + width), r * width);
  }
  return true;
}

function decodeWith(payload: Uint8Array, shape: BlockShape, narrow: number, lanes: LaneDecoders): Uint8Array {
  if (shape.layout !== 'fixed' || shape.width <= narrow) throw new PayloadError('MOSTLY block of a wrong layout');
  const r = new ByteReader(payload);
  const n = r.u32();
  if (n > shape.rows) throw new PayloadError('more exceptions than rows');
  const small = r.bytes(shape.rows * narrow);
  const excRows = r.bytes(n * 4);
  const excValues = r.bytes(n * shape.width);
  r.end();
  const out = shape.into ?? new Uint8Array(shape.rows * shape.width);
  if (!lanes.widen(small, narrow, shape.rows, excRows, excValues, shape.width, out)) throw new PayloadError('exception row out of range');
  return out;
}

export const mostly8: BlockCodec = { encode: (raw) => encodeWith(raw, 1), decode: (p, s, l) => decodeWith(p, s, 1, l) };
export const mostly16: BlockCodec = { encode: (raw) => encodeWith(raw, 2), decode: (p, s, l) => decodeWith(p, s, 2, l) };
export const mostly32: BlockCodec = { encode: (raw) => encodeWith(raw, 4), decode: (p, s, l) => decodeWith(p, s, 4, l) };
