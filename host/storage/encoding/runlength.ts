// RUNLENGTH block codec: each run of equal consecutive values stored once with its length
// (Redshift "Runlength encoding"). Fixed-width values compare by bit pattern; items by bytes.
//
// Payload, fixed: u32 runs, runs * width values, runs u32 lengths.
// Payload, variable: u32 runs, runs items (varint length + bytes), runs u32 lengths.
import { ByteReader, ByteWriter, PayloadError } from './byte-io.js';
import type { BlockCodec, BlockShape, CodedValues } from './codec.js';
import type { LaneDecoders } from './lane-decoders.js';
import { bytesOf, unsignedLanes, type RawValues } from './raw-values.js';

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

function encode(raw: RawValues): Uint8Array | null {
  const rows = raw.rows;
  const starts: number[] = [];
  if (raw.layout === 'fixed') {
    const lanes = unsignedLanes(raw.lanes!, raw.width);
    for (let i = 0; i < rows; i++) if (i === 0 || lanes[i] !== lanes[i - 1]) starts.push(i);
  } else if (raw.coded) {
    const codes = raw.coded.codes;
    for (let i = 0; i < rows; i++) if (i === 0 || codes[i] !== codes[i - 1]) starts.push(i);
  } else {
    const items = raw.items!;
    for (let i = 0; i < rows; i++) if (i === 0 || !sameBytes(items[i]!, items[i - 1]!)) starts.push(i);
  }
  const runs = starts.length;
  const lengths = new Uint32Array(runs);
  for (let k = 0; k < runs; k++) lengths[k] = (k + 1 < runs ? starts[k + 1]! : rows) - starts[k]!;
  const w = new ByteWriter(runs * (raw.width || 8) + runs * 4 + 8);
  w.u32(runs);
  if (raw.layout === 'fixed') {
    const wd = raw.width;
    for (const s of starts) w.bytes(raw.lanes!.subarray(s * wd, s * wd + wd));
  } else if (raw.coded) {
    const { codes, words } = raw.coded;
    for (const s of starts) w.item(words[codes[s]!]!);
  } else {
    for (const s of starts) w.item(raw.items![s]!);
  }
  w.bytes(bytesOf(lengths));
  return w.finish();
}

/** JS reference of the encode_rle_expand_* kernels: writes each run's value `length` times; false when the lengths do not sum to `rows`. */
export function expandRuns(values: Uint8Array, lengths: Uint32Array, width: number, rows: number, out: Uint8Array): boolean {
  let at = 0;
  for (let k = 0; k < lengths.length; k++) {
    const len = lengths[k]!;
    if (at + len > rows) return false;
    const v = values.subarray(k * width, k * width + width);
    for (let j = 0; j < len; j++) out.set(v, (at + j) * width);
    at += len;
  }
  return at === rows;
}

function decode(payload: Uint8Array, shape: BlockShape, lanes: LaneDecoders): Uint8Array {
  const r = new ByteReader(payload);
  const runs = r.u32();
  if (runs > shape.rows) throw new PayloadError('more runs than rows');
  if (shape.layout === 'fixed') {
    const values = r.bytes(runs * shape.width);
    const lengths = r.bytes(runs * 4);
    r.end();
    const out = shape.into ?? new Uint8Array(shape.rows * shape.width);
    if (!lanes.expandRuns(values, lengths, shape.width, shape.rows, out)) throw new PayloadError('run lengths do not add up to the rows');
    return out;
  }
  const values: Uint8Array[] = [];
  for (let k = 0; k < runs; k++) values.push(r.item());
  const lengths = new Uint32Array(r.bytes(runs * 4).slice().buffer);
  r.end();
  // The RAW section written directly: (rows + 1) u32 offsets, then each run's bytes repeated.
  const rows = shape.rows;
  let total = 0, count = 0;
  for (let k = 0; k < runs; k++) { count += lengths[k]!; total += lengths[k]! * values[k]!.length; }
  if (count > rows) throw new PayloadError('run lengths exceed the rows');
  if (count !== rows) throw new PayloadError('run lengths do not add up to the rows');
  const head = (rows + 1) * 4;
  const out = new Uint8Array(head + total);
  const offs = new Uint32Array(rows + 1);
  let row = 0, at = 0;
  for (let k = 0; k < runs; k++) {
    const v = values[k]!, n = lengths[k]!, len = v.length;
    if (len === 1) {
      out.fill(v[0]!, head + at, head + at + n);
      for (let j = 0; j < n; j++) { offs[row++] = at; at++; }
    } else {
      for (let j = 0; j < n; j++) { offs[row++] = at; if (len) out.set(v, head + at); at += len; }
    }
  }
  offs[rows] = at;
  out.set(new Uint8Array(offs.buffer), 0);
  return out;
}

function decodeCoded(payload: Uint8Array, shape: BlockShape): CodedValues {
  const r = new ByteReader(payload);
  const runs = r.u32();
  if (runs > shape.rows) throw new PayloadError('more runs than rows');
  const starts = new Int32Array(runs), ends = new Int32Array(runs);
  for (let k = 0; k < runs; k++) { starts[k] = r.skipItem(); ends[k] = r.pos; }
  const lengths = new Uint32Array(r.bytes(runs * 4).slice().buffer);
  r.end();
  const rows = shape.rows, codes = new Int32Array(rows);
  let at = 0;
  for (let k = 0; k < runs; k++) {
    const n = lengths[k]!;
    if (at + n > rows) throw new PayloadError('run lengths exceed the rows');
    codes.fill(k, at, at + n);
    at += n;
  }
  if (at !== rows) throw new PayloadError('run lengths do not add up to the rows');
  return { codes, data: payload, starts, ends };
}

export const runlength: BlockCodec = { encode, decode, decodeCoded };
