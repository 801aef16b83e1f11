// DELTA and DELTA32K block codecs: the first value in full, then each value as its difference from
// the previous one in 1 signed byte (DELTA) or 2 (DELTA32K); a difference that does not fit is
// written as the escape code (the lowest value of the delta width) followed by the full value
// (Redshift "Delta encoding"). For integer lanes (int2/int4/int8, date, time, timestamp, decimal).
//
// Payload: rows = 0: empty. Otherwise the first value (width bytes), then for each later row a
// delta of deltaWidth bytes, or the escape code and the value (width bytes). Little endian.
import { ByteWriter, PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape } from './codec.js';
import type { LaneDecoders } from './lane-decoders.js';
import { signedLanes, type RawValues } from './raw-values.js';

function encodeWith(raw: RawValues, deltaWidth: 1 | 2): Uint8Array | null {
  if (raw.layout !== 'fixed' || !raw.integer || raw.width < 2 || raw.width <= deltaWidth) return null;
  const rows = raw.rows, width = raw.width;
  const w = new ByteWriter(rows * deltaWidth + 16);
  if (rows === 0) return w.finish();
  const escape = deltaWidth === 1 ? -128 : -32768;
  const lanes = signedLanes(raw.lanes!, width);
  w.int(lanes[0]!, width);
  if (width === 8) {
    const big = lanes as BigInt64Array;
    const lo = BigInt(escape), hi = BigInt(-escape - 1);
    for (let i = 1; i < rows; i++) {
      const d = big[i]! - big[i - 1]!;
      if (d > lo && d <= hi) w.int(Number(d), deltaWidth);
      else { w.int(escape, deltaWidth); w.int(big[i]!, width); }
    }
  } else {
    const num = lanes as Int16Array | Int32Array;
    for (let i = 1; i < rows; i++) {
      const d = num[i]! - num[i - 1]!;
      if (d > escape && d <= -escape - 1) w.int(d, deltaWidth);
      else { w.int(escape, deltaWidth); w.int(num[i]!, width); }
    }
  }
  return w.finish();
}

/**
 * JS reference of the encode_delta* kernels: decodes `rows` values of `width` bytes from a delta
 * stream into `out`; false when the stream ends early or has bytes left over.
 */
export function decodeDeltas(src: Uint8Array, width: number, deltaWidth: number, rows: number, out: Uint8Array): boolean {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const ov = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (rows === 0) return src.length === 0;
  const escape = deltaWidth === 1 ? -128 : -32768;
  const readDelta = (at: number) => (deltaWidth === 1 ? dv.getInt8(at) : dv.getInt16(at, true));
  let at = 0;
  if (src.length < width) return false;
  if (width === 8) {
    let prev = dv.getBigInt64(0, true);
    ov.setBigInt64(0, prev, true);
    at = 8;
    for (let i = 1; i < rows; i++) {
      if (at + deltaWidth > src.length) return false;
      const d = readDelta(at);
      at += deltaWidth;
      if (d === escape) {
        if (at + 8 > src.length) return false;
        prev = dv.getBigInt64(at, true);
        at += 8;
      } else prev = BigInt.asIntN(64, prev + BigInt(d));
      ov.setBigInt64(i * 8, prev, true);
    }
  } else {
    const read = (p: number) => (width === 2 ? dv.getInt16(p, true) : dv.getInt32(p, true));
    const write = (p: number, x: number) => (width === 2 ? ov.setInt16(p, x, true) : ov.setInt32(p, x, true));
    let prev = read(0);
    write(0, prev);
    at = width;
    for (let i = 1; i < rows; i++) {
      if (at + deltaWidth > src.length) return false;
      const d = readDelta(at);
      at += deltaWidth;
      if (d === escape) {
        if (at + width > src.length) return false;
        prev = read(at);
        at += width;
      } else prev = width === 2 ? (((prev + d) << 16) >> 16) : (prev + d) | 0;
      write(i * width, prev);
    }
  }
  return at === src.length;
}

function decodeWith(payload: Uint8Array, shape: BlockShape, deltaWidth: number, lanes: LaneDecoders): Uint8Array {
  const out = shape.into ?? new Uint8Array(shape.rows * shape.width);
  if (shape.layout !== 'fixed' || !lanes.undelta(payload, shape.width, deltaWidth, shape.rows, out)) throw new PayloadError('bad delta stream');
  return out;
}

export const delta: BlockCodec = { encode: (raw) => encodeWith(raw, 1), decode: (p, s, l) => decodeWith(p, s, 1, l) };
export const delta32k: BlockCodec = { encode: (raw) => encodeWith(raw, 2), decode: (p, s, l) => decodeWith(p, s, 2, l) };
