// AZ64 block codec, our own format under Redshift's name (Redshift's AZ64 is proprietary; the
// name is kept so ENCODE AZ64 and the default encodings work): frame of reference and bit
// packing per group of 128 values, for integer lanes (int2/int4/int8, date, time, timestamp,
// decimal up to 18 digits). docs/storage.md describes the format.
//
// Payload: for each group of up to 128 rows: the group's minimum (width bytes, signed, little
// endian), u8 bits (0..8 * width), then each value minus the minimum as an unsigned `bits`-bit
// number, least significant bit first, packed into ceil(count * bits / 8) bytes.
import { PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape } from './codec.js';
import type { LaneDecoders } from './lane-decoders.js';
import { signedLanes, type RawValues } from './raw-values.js';

export const AZ64_GROUP = 128;

const bitLength = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x));

/** Writes unsigned numbers of up to 32 bits into a byte buffer, least significant bit first. */
class BitPacker {
  private acc = 0;
  private n = 0;
  length = 0;
  constructor(readonly out: Uint8Array) {}
  put(x: number, bits: number): void {
    if (bits > 24) { this.put(x & 0xffff, 16); this.put(Math.floor(x / 65536), bits - 16); return; }
    // acc holds fewer than 8 pending bits, so acc | x << n stays within 32 bits.
    this.acc = (this.acc | (x << this.n)) >>> 0;
    this.n += bits;
    while (this.n >= 8) { this.out[this.length++] = this.acc & 0xff; this.acc >>>= 8; this.n -= 8; }
  }
  flush(): void { if (this.n > 0) this.out[this.length++] = this.acc & 0xff; this.acc = 0; this.n = 0; }
  bytes(b: Uint8Array): void { this.out.set(b, this.length); this.length += b.length; }
  byte(x: number): void { this.out[this.length++] = x; }
}

function encode(raw: RawValues): Uint8Array | null {
  if (raw.layout !== 'fixed' || !raw.integer || raw.width < 2) return null;
  const rows = raw.rows, width = raw.width;
  // At most the lanes themselves plus a minimum and a bit width per group.
  const pack = new BitPacker(new Uint8Array(rows * width + Math.ceil(rows / AZ64_GROUP) * (width + 1)));
  if (width === 8) {
    // int8 lanes as (low u32, high i32) word pairs: no BigInt per value.
    const copy = raw.lanes!.slice().buffer;
    const u = new Uint32Array(copy), s = new Int32Array(copy);
    const less = (a: number, b: number) => s[2 * a + 1]! < s[2 * b + 1]! || (s[2 * a + 1] === s[2 * b + 1] && u[2 * a]! < u[2 * b]!);
    for (let g = 0; g < rows; g += AZ64_GROUP) {
      const end = Math.min(rows, g + AZ64_GROUP);
      let lo = g, hi = g;
      for (let i = g + 1; i < end; i++) { if (less(i, lo)) lo = i; if (less(hi, i)) hi = i; }
      const minLo = u[2 * lo]!, minHi = s[2 * lo + 1]!;
      // x - min as (dlo, dhi), both in [0, 2^32).
      let rlo = u[2 * hi]! - minLo, rhi = s[2 * hi + 1]! - minHi;
      if (rlo < 0) { rlo += 2 ** 32; rhi -= 1; }
      const bits = rhi > 0 ? 32 + bitLength(rhi) : bitLength(rlo);
      pack.bytes(raw.lanes!.subarray(lo * 8, lo * 8 + 8));
      pack.byte(bits);
      if (bits > 0 && bits <= 24) {
        // Every x - min fits in its low word: pack it inline (what put does, without a call per value).
        const out = pack.out;
        let acc = 0, n = 0, len = pack.length;
        for (let i = g; i < end; i++) {
          const d = (u[2 * i]! - minLo) >>> 0;
          acc = (acc | (d << n)) >>> 0;
          n += bits;
          while (n >= 8) { out[len++] = acc & 0xff; acc >>>= 8; n -= 8; }
        }
        if (n > 0) out[len++] = acc & 0xff;
        pack.length = len;
      } else if (bits > 0) {
        for (let i = g; i < end; i++) {
          let dlo = u[2 * i]! - minLo, dhi = s[2 * i + 1]! - minHi;
          if (dlo < 0) { dlo += 2 ** 32; dhi -= 1; }
          if (bits <= 32) pack.put(dlo, bits); else { pack.put(dlo, 32); pack.put(dhi, bits - 32); }
        }
      }
      pack.flush();
    }
    return pack.out.slice(0, pack.length);
  }
  const num = signedLanes(raw.lanes!, width) as Int16Array | Int32Array;
  for (let g = 0; g < rows; g += AZ64_GROUP) {
    const end = Math.min(rows, g + AZ64_GROUP);
    let lo = num[g]!, hi = lo;
    for (let i = g + 1; i < end; i++) { const x = num[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
    const bits = bitLength(hi - lo);
    for (let b = 0; b < width; b++) pack.byte((lo >> (8 * b)) & 0xff);
    pack.byte(bits);
    if (bits > 0 && bits <= 24) {
      // The same packing as put, inline.
      const out = pack.out;
      let acc = 0, n = 0, len = pack.length;
      for (let i = g; i < end; i++) {
        acc = (acc | ((num[i]! - lo) << n)) >>> 0;
        n += bits;
        while (n >= 8) { out[len++] = acc & 0xff; acc >>>= 8; n -= 8; }
      }
      if (n > 0) out[len++] = acc & 0xff;
      pack.length = len;
    } else if (bits > 0) for (let i = g; i < end; i++) pack.put(num[i]! - lo, bits);
    pack.flush();
  }
  return pack.out.slice(0, pack.length);
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
  const out = shape.into ?? new Uint8Array(shape.rows * shape.width);
  if (shape.layout !== 'fixed' || shape.width < 2 || !lanes.unpackAz64(payload, shape.width, shape.rows, out)) throw new PayloadError('bad AZ64 groups');
  return out;
}

export const az64: BlockCodec = { encode, decode };
