// AZ64 block codec, our own format under Redshift's name (Redshift's AZ64 is proprietary; the
// name is kept so ENCODE AZ64 and the default encodings work): frame of reference and bit
// packing per group of 128 values, for integer lanes (int2/int4/int8, date, time, timestamp,
// decimal up to 18 digits). docs/storage.md describes the format.
//
// Payload: for each group of up to 128 rows: the group's minimum (width bytes, signed, little
// endian), u8 bits (0..8 * width), then each value minus the minimum as an unsigned `bits`-bit
// number, least significant bit first, packed into ceil(count * bits / 8) bytes.
import { ByteWriter, PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape } from './codec.js';
import type { LaneDecoders } from './lane-decoders.js';
import { signedLanes, type RawValues } from './raw-values.js';

export const AZ64_GROUP = 128;

const bitLength = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x));
function bigBitLength(x: bigint): number { let n = 0; while (x > 0n) { x >>= 1n; n++; } return n; }

function encode(raw: RawValues): Uint8Array | null {
  if (raw.layout !== 'fixed' || !raw.integer || raw.width < 2) return null;
  const rows = raw.rows, width = raw.width;
  const lanes = signedLanes(raw.lanes!, width);
  const w = new ByteWriter(rows * width / 2 + 64);
  for (let g = 0; g < rows; g += AZ64_GROUP) {
    const end = Math.min(rows, g + AZ64_GROUP);
    if (width === 8) {
      const big = lanes as BigInt64Array;
      let lo = big[g]!, hi = lo;
      for (let i = g + 1; i < end; i++) { const x = big[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
      const bits = bigBitLength(hi - lo);
      w.int(lo, 8);
      w.u8(bits);
      let acc = 0n, n = 0;
      for (let i = g; i < end; i++) {
        acc |= (big[i]! - lo) << BigInt(n);
        n += bits;
        while (n >= 8) { w.u8(Number(acc & 0xffn)); acc >>= 8n; n -= 8; }
      }
      if (n > 0) w.u8(Number(acc & 0xffn));
    } else {
      const num = lanes as Int16Array | Int32Array;
      let lo = num[g]!, hi = lo;
      for (let i = g + 1; i < end; i++) { const x = num[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
      const bits = bitLength(hi - lo);
      w.int(lo, width);
      w.u8(bits);
      // acc stays below 2^40 (7 pending bits + a 32-bit value), exact in a double.
      let acc = 0, n = 0;
      for (let i = g; i < end; i++) {
        acc += (num[i]! - lo) * 2 ** n;
        n += bits;
        while (n >= 8) { w.u8(acc % 256); acc = Math.floor(acc / 256); n -= 8; }
      }
      if (n > 0) w.u8(acc);
    }
  }
  return w.finish();
}

/**
 * JS reference of the encode_az64_unpack_* kernels: decodes `rows` values of `width` bytes into
 * `out`; false when the payload ends early, has bytes left over, or a bit width is too large.
 */
export function unpackGroups(src: Uint8Array, width: number, rows: number, out: Uint8Array): boolean {
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const ov = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let at = 0;
  for (let g = 0; g < rows; g += AZ64_GROUP) {
    const count = Math.min(rows - g, AZ64_GROUP);
    if (at + width + 1 > src.length) return false;
    const bits = src[at + width]!;
    if (bits > width * 8) return false;
    const packed = Math.ceil((count * bits) / 8);
    const start = at + width + 1;
    if (start + packed > src.length) return false;
    if (width === 8) {
      const lo = dv.getBigInt64(at, true);
      for (let j = 0; j < count; j++) {
        let v = 0n;
        for (let b = 0; b < bits; b++) {
          const p = j * bits + b;
          if ((src[start + (p >> 3)]! >> (p & 7)) & 1) v |= 1n << BigInt(b);
        }
        ov.setBigInt64((g + j) * 8, BigInt.asIntN(64, lo + v), true);
      }
    } else {
      const lo = width === 2 ? dv.getInt16(at, true) : dv.getInt32(at, true);
      for (let j = 0; j < count; j++) {
        let v = 0;
        for (let b = 0; b < bits; b++) {
          const p = j * bits + b;
          if ((src[start + (p >> 3)]! >> (p & 7)) & 1) v += 2 ** b;
        }
        if (width === 2) ov.setInt16((g + j) * 2, lo + v, true);
        else ov.setInt32((g + j) * 4, lo + v, true);
      }
    }
    at = start + packed;
  }
  return at === src.length;
}

function decode(payload: Uint8Array, shape: BlockShape, lanes: LaneDecoders): Uint8Array {
  const out = new Uint8Array(shape.rows * shape.width);
  if (shape.layout !== 'fixed' || shape.width < 2 || !lanes.unpackAz64(payload, shape.width, shape.rows, out)) throw new PayloadError('bad AZ64 groups');
  return out;
}

export const az64: BlockCodec = { encode, decode };
