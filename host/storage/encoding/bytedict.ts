// BYTEDICT block codec: a per-block dictionary of up to 256 distinct values and one u8 code per
// row (Redshift "Byte-dictionary encoding"). Fixed-width values are compared by their bit pattern,
// so NaN and -0 come back exactly; strings by their bytes. A block with more distinct values is
// declined (stored RAW).
//
// Payload, fixed: u16 n, n * width dictionary lanes, rows u8 codes.
// Payload, variable: u16 n, n items (varint length + bytes), rows u8 codes.
import { ByteReader, ByteWriter, PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape, CodedValues } from './codec.js';
import type { LaneDecoders } from './lane-decoders.js';
import { bytesOf, laneArray, unsignedLanes, type RawValues } from './raw-values.js';

const MAX = 256;

function encode(raw: RawValues): Uint8Array | null {
  const rows = raw.rows;
  const codes = new Uint8Array(rows);
  const w = new ByteWriter(rows + 64);
  if (raw.layout === 'fixed') {
    const lanes = unsignedLanes(raw.lanes!, raw.width);
    const dict = new Map<number | bigint, number>();
    for (let i = 0; i < rows; i++) {
      const x = lanes[i]!;
      let c = dict.get(x);
      if (c === undefined) { if (dict.size === MAX) return null; c = dict.size; dict.set(x, c); }
      codes[i] = c;
    }
    const keys = laneArray(dict.size, raw.width, false) as unknown as { [i: number]: number | bigint } & ArrayBufferView;
    let k = 0;
    for (const x of dict.keys()) keys[k++] = x;
    w.u16(dict.size);
    w.bytes(bytesOf(keys));
  } else if (raw.coded) {
    // Codes into distinct words: renumber them in first-seen order, as the items below would be.
    const { codes: keys, words } = raw.coded;
    const renumber = new Int32Array(words.length).fill(-1);
    const order: number[] = [];
    for (let i = 0; i < rows; i++) {
      const k = keys[i]!;
      let c = renumber[k]!;
      if (c < 0) { if (order.length === MAX) return null; c = order.length; renumber[k] = c; order.push(k); }
      codes[i] = c;
    }
    w.u16(order.length);
    for (const k of order) w.item(words[k]!);
  } else {
    const dict = new Map<string, number>();
    const words: Uint8Array[] = [];
    for (let i = 0; i < rows; i++) {
      const item = raw.items![i]!;
      const key = Buffer.from(item.buffer, item.byteOffset, item.length).toString('latin1');
      let c = dict.get(key);
      if (c === undefined) { if (dict.size === MAX) return null; c = dict.size; dict.set(key, c); words.push(item); }
      codes[i] = c;
    }
    w.u16(words.length);
    for (const b of words) w.item(b);
  }
  w.bytes(codes);
  return w.finish();
}

/** JS reference of the encode_bytedict_* kernels: out[i] = dict[codes[i]] for `width`-byte lanes. */
export function gatherLanes(dict: Uint8Array, n: number, codes: Uint8Array, width: number, out: Uint8Array): boolean {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= n) return false;
    out.set(dict.subarray(c * width, c * width + width), i * width);
  }
  return true;
}

function decode(payload: Uint8Array, shape: BlockShape, lanes: LaneDecoders): Uint8Array {
  const r = new ByteReader(payload);
  const n = r.u16();
  if (n > MAX) throw new PayloadError('dictionary too large');
  if (shape.layout === 'fixed') {
    const dict = r.bytes(n * shape.width);
    const codes = r.bytes(shape.rows);
    r.end();
    const out = shape.into ?? new Uint8Array(shape.rows * shape.width);
    if (!lanes.gatherDict(dict, n, codes, shape.width, out)) throw new PayloadError('code outside the dictionary');
    return out;
  }
  const words: Uint8Array[] = [];
  for (let k = 0; k < n; k++) words.push(r.item());
  const codes = r.bytes(shape.rows);
  r.end();
  // The RAW section written directly: (rows + 1) u32 offsets, then each row's word.
  const rows = shape.rows, head = (rows + 1) * 4;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const word = words[codes[i]!];
    if (!word) throw new PayloadError('code outside the dictionary');
    total += word.length;
  }
  const out = new Uint8Array(head + total);
  const offs = new Uint32Array(rows + 1);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const word = words[codes[i]!]!;
    offs[i] = at;
    out.set(word, head + at);
    at += word.length;
  }
  offs[rows] = at;
  out.set(new Uint8Array(offs.buffer), 0);
  return out;
}

function decodeCoded(payload: Uint8Array, shape: BlockShape): CodedValues {
  const r = new ByteReader(payload);
  const n = r.u16();
  if (n > MAX) throw new PayloadError('dictionary too large');
  const starts = new Int32Array(n), ends = new Int32Array(n);
  for (let k = 0; k < n; k++) { starts[k] = r.skipItem(); ends[k] = r.pos; }
  const bytes = r.bytes(shape.rows);
  r.end();
  const codes = new Int32Array(shape.rows);
  for (let i = 0; i < shape.rows; i++) {
    const c = bytes[i]!;
    if (c >= n) throw new PayloadError('code outside the dictionary');
    codes[i] = c;
  }
  return { codes, data: payload, starts, ends };
}

export const bytedict: BlockCodec = { encode, decode, decodeCoded };
