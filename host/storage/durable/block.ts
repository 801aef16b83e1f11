// Block files of the durable store: one column of one chunk (up to 64K rows of one slice of one
// table) serialized with a fixed header (magic, format, encoding tag, checksum), a JSON header with
// the zone map (min, max, null count, row count), and the payload. The data path: a chunk in shared
// memory -> Vector -> encodeBlock -> file; at open, file -> decodeBlock -> Vector -> a new chunk.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { bitmapBytes, type Vector, type VectorData } from '../../batch/vector.js';
import { SqlError } from '../../common/errors.js';
import { physicalOf, type SqlType } from '../../types/sql-type.js';
import { PayloadError } from '../encoding/byte-io.js';
import { jsLaneDecoders, type LaneDecoders } from '../encoding/lane-decoders.js';
import { packItems, unpackItems, type Layout, type RawValues } from '../encoding/raw-values.js';
import { CODECS, Encoding, encodingOfTag, type EncodingName } from '../encoding/registry.js';
import type { BlockShape, CodedValues } from '../encoding/codec.js';

export { Encoding, type EncodingName } from '../encoding/registry.js';

/**
 * Min and max of a block's non-null values, as text typed by the column: decimal integers (also
 * for int8, numeric's scaled integer and timestamps), floats as JS prints them ('NaN' sorts
 * highest, as in PostgreSQL), strings themselves (ordered by their UTF-8 bytes). Null when the
 * block has no non-null value or the type has no order kept here (bytea, interval).
 */
export interface ZoneMap { rows: number; nulls: number; min: string | null; max: string | null }

/** A block's JSON header. */
export interface BlockHeader {
  type: SqlType;
  layout: Layout;
  rows: number;
  nulls: number;
  min: string | null;
  max: string | null;
  /** Bytes of validity bitmap at the start of the payload (0 when no row is NULL). */
  validBytes: number;
}

const MAGIC = 0x4b425357; // 'WSBK' little endian
const FORMAT = 1;
/** Fixed header: magic u32, format u16, encoding u8, reserved u8, JSON length u32, payload length u32, crc32 u32. */
const FIXED = 20;
const WIDTH: Record<string, number> = { u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };
const enc = new TextEncoder();
/** Types whose fixed-width values are two's-complement integers (the integer codecs take them). */
export const INTEGER_IDS = new Set(['int2', 'int4', 'int8', 'numeric', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'oid']);

/** CRC-32 (zlib's polynomial) of a byte range. */
export function crc32(data: Uint8Array, init = 0): number { return zlibCrc32(data, init) >>> 0; }

function isValidRow(valid: Uint8Array | null, i: number): boolean { return valid === null || ((valid[i >> 3]! >> (i & 7)) & 1) === 1; }

function compareNum(a: number, b: number): number {
  // PostgreSQL orders NaN above every other float.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Serializes one column of `rows` rows as a block stored with `encoding` (a column's ENCODE);
 * a block the codec declines (see BlockCodec.encode) is stored RAW. Returns the file bytes,
 * the zone map and the encoding the block was stored with.
 */
export function encodeBlock(v: Vector, encoding: EncodingName = 'RAW'): { bytes: Uint8Array; zone: ZoneMap; encoding: EncodingName } {
  const rows = v.length;
  const p = physicalOf(v.type);
  let nulls = 0;
  for (let i = 0; i < rows; i++) if (!isValidRow(v.valid, i)) nulls++;
  const validBytes = nulls > 0 ? bitmapBytes(rows) : 0;
  let min: string | null = null, max: string | null = null;
  let values: Uint8Array;
  let layout: Layout;
  let items: Uint8Array[] | null = null;
  const w = WIDTH[p];
  if (w !== undefined && !Array.isArray(v.data)) {
    layout = 'fixed';
    const src = v.data as unknown as ArrayBufferView & ArrayLike<number | bigint>;
    values = new Uint8Array(rows * w);
    values.set(new Uint8Array(src.buffer, src.byteOffset, rows * w));
    if (p === 'i64') {
      let lo: bigint | null = null, hi: bigint | null = null;
      const d = v.data as BigInt64Array;
      for (let i = 0; i < rows; i++) {
        if (!isValidRow(v.valid, i)) continue;
        const x = d[i]!;
        if (lo === null || x < lo) lo = x;
        if (hi === null || x > hi) hi = x;
      }
      if (lo !== null) { min = lo.toString(); max = hi!.toString(); }
    } else {
      let lo: number | null = null, hi: number | null = null;
      const d = v.data as ArrayLike<number>;
      for (let i = 0; i < rows; i++) {
        if (!isValidRow(v.valid, i)) continue;
        const x = d[i]!;
        if (lo === null || compareNum(x, lo) < 0) lo = x;
        if (hi === null || compareNum(x, hi) > 0) hi = x;
      }
      if (lo !== null) { min = String(lo); max = String(hi); }
    }
  } else {
    const parts: Uint8Array[] = new Array(rows);
    const empty = new Uint8Array(0);
    if (p === 'str') {
      layout = 'utf8';
      let lo = -1, hi = -1;
      for (let i = 0; i < rows; i++) {
        if (!isValidRow(v.valid, i)) { parts[i] = empty; continue; }
        const b = enc.encode(v.data[i] as string);
        parts[i] = b;
        if (lo < 0 || Buffer.compare(b, parts[lo]!) < 0) lo = i;
        if (hi < 0 || Buffer.compare(b, parts[hi]!) > 0) hi = i;
      }
      if (lo >= 0) { min = v.data[lo] as string; max = v.data[hi] as string; }
    } else if (p === 'i64') {
      layout = 'bigint';
      let lo: bigint | null = null, hi: bigint | null = null;
      for (let i = 0; i < rows; i++) {
        if (!isValidRow(v.valid, i)) { parts[i] = empty; continue; }
        const x = BigInt(v.data[i] as bigint);
        parts[i] = enc.encode(x.toString());
        if (lo === null || x < lo) lo = x;
        if (hi === null || x > hi) hi = x;
      }
      if (lo !== null) { min = lo.toString(); max = hi!.toString(); }
    } else if (p === 'bytes') {
      layout = 'bytes';
      for (let i = 0; i < rows; i++) parts[i] = isValidRow(v.valid, i) ? (v.data[i] as Uint8Array) : empty;
    } else {
      layout = 'json';
      for (let i = 0; i < rows; i++) {
        parts[i] = isValidRow(v.valid, i) ? enc.encode(JSON.stringify(v.data[i], (_k, x) => (typeof x === 'bigint' ? { $big: x.toString() } : x)) ?? 'null') : empty;
      }
    }
    items = parts;
    values = encoding === 'RAW' ? packItems(parts) : new Uint8Array(0);
  }
  let tag: EncodingName = 'RAW';
  if (encoding !== 'RAW') {
    const raw: RawValues = { layout, rows, width: layout === 'fixed' ? w! : 0, integer: INTEGER_IDS.has(v.type.id), lanes: layout === 'fixed' ? values : null, items };
    const payload = CODECS[encoding].encode(raw);
    if (payload) { values = payload; tag = encoding; } else if (items) values = packItems(items);
  }
  const bytes = blockFile({ type: v.type, layout, rows, nulls, min, max, validBytes }, tag, v.valid, values);
  return { bytes, zone: { rows, nulls, min, max }, encoding: tag };
}

/**
 * The bytes of a block file: the fixed header (checksum included), the JSON header, the validity
 * bitmap (its first `header.validBytes` bytes) and the values section in the encoding `tag`.
 */
export function blockFile(header: BlockHeader, tag: EncodingName, valid: Uint8Array | null, values: Uint8Array): Uint8Array {
  const json = enc.encode(JSON.stringify(header));
  const validBytes = header.validBytes;
  const payloadLen = validBytes + values.length;
  const out = new Uint8Array(FIXED + json.length + payloadLen);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint16(4, FORMAT, true);
  out[6] = Encoding[tag];
  dv.setUint32(8, json.length, true);
  dv.setUint32(12, payloadLen, true);
  out.set(json, FIXED);
  if (validBytes) out.set(valid!.subarray(0, validBytes), FIXED + json.length);
  out.set(values, FIXED + json.length + validBytes);
  dv.setUint32(16, crc32(out.subarray(FIXED)), true);
  return out;
}

function corrupt(file: string, why: string): SqlError {
  return new SqlError('XX001', `invalid block in file "${file}": ${why}`);
}

/** A block file checked and opened: its header, encoding, validity bitmap and RAW values section. */
export interface OpenedBlock {
  header: BlockHeader;
  encoding: EncodingName;
  /** The validity bitmap (a view of the file's bytes), or null when no row is NULL. */
  valid: Uint8Array | null;
  /** The RAW values section: a view of the file's bytes for a RAW block, else the codec's output (empty when `coded`). */
  section: Uint8Array;
  /** Rows as codes into values, instead of the section, when the caller asked for it and the codec has that form. */
  coded?: CodedValues;
}

/** How openBlock hands over an encoded payload. */
export interface OpenOptions {
  /** Rows as codes into values (OpenedBlock.coded) when the codec has that form, instead of the RAW section. */
  coded?: boolean;
  /** For a fixed layout, where a fixed-width codec decodes the lanes to (BlockShape.into). */
  lanesInto?: (h: BlockHeader) => Uint8Array | undefined;
}

/**
 * Checks a block file (magic, format, lengths, checksum) and decodes its payload to the RAW values
 * section; anything wrong is XX001. `lanes` decodes fixed-width encoded payloads.
 */
export function openBlock(bytes: Uint8Array, file: string, lanes: LaneDecoders = jsLaneDecoders, how: OpenOptions = {}): OpenedBlock {
  if (bytes.length < FIXED) throw corrupt(file, 'file too short');
  // A Buffer's slice() shares memory; the codecs copy with Uint8Array#slice, so drop the Buffer type.
  if (Buffer.isBuffer(bytes)) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw corrupt(file, 'bad magic number');
  if (dv.getUint16(4, true) !== FORMAT) throw corrupt(file, `unknown format ${dv.getUint16(4, true)}`);
  const encoding = encodingOfTag(bytes[6]!);
  if (encoding === undefined) throw corrupt(file, `encoding ${bytes[6]} is not supported by this version`);
  const jsonLen = dv.getUint32(8, true), payloadLen = dv.getUint32(12, true);
  if (FIXED + jsonLen + payloadLen !== bytes.length) throw corrupt(file, 'length mismatch');
  if (crc32(bytes.subarray(FIXED)) !== dv.getUint32(16, true)) throw corrupt(file, 'checksum mismatch');
  const h = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + FIXED, jsonLen).toString('utf8')) as BlockHeader;
  const rows = h.rows;
  const start = FIXED + jsonLen;
  if (h.validBytes > payloadLen || (h.validBytes !== 0 && h.validBytes !== bitmapBytes(rows))) throw corrupt(file, 'bad validity length');
  const valid = h.validBytes ? bytes.subarray(start, start + h.validBytes) : null;
  const w = WIDTH[physicalOf(h.type)] ?? 0;
  // A RAW block's values are read in place; an encoded one is decoded back to the RAW section.
  let section = bytes.subarray(start + h.validBytes, start + payloadLen);
  if (encoding !== 'RAW') {
    const codec = CODECS[encoding];
    const shape: BlockShape = { layout: h.layout, rows, width: h.layout === 'fixed' ? w : 0, integer: INTEGER_IDS.has(h.type.id) };
    if (h.layout === 'fixed' && how.lanesInto) { const into = how.lanesInto(h); if (into) shape.into = into; }
    try {
      if (how.coded && h.layout !== 'fixed' && codec.decodeCoded) return { header: h, encoding, valid, section: new Uint8Array(0), coded: codec.decodeCoded(section, shape) };
      section = codec.decode(section, shape, lanes);
    } catch (e) {
      if (e instanceof PayloadError) throw corrupt(file, `${encoding} payload: ${e.message}`);
      throw e;
    }
  }
  if (h.layout === 'fixed' && section.length < rows * w) throw corrupt(file, 'values end early');
  return { header: h, encoding, valid, section };
}

/**
 * Parses a block file back into a vector of its column type; a bad checksum, header or payload is
 * XX001. `lanes` decodes fixed-width encoded payloads (the encode_* kernels on the store's path).
 */
export function decodeBlock(bytes: Uint8Array, file: string, lanes: LaneDecoders = jsLaneDecoders): { vector: Vector; zone: ZoneMap; encoding: EncodingName } {
  const block = openBlock(bytes, file, lanes);
  const h = block.header;
  return { vector: blockVector(block, file), zone: { rows: h.rows, nulls: h.nulls, min: h.min, max: h.max }, encoding: block.encoding };
}

/** An opened block's values as a vector of its column type (JS values for the variable-length layouts). */
export function blockVector(block: OpenedBlock, file: string): Vector {
  const { header: h, valid: validView, section } = block;
  const rows = h.rows;
  // Copies (new Uint8Array(view)), never Buffer#slice: that one shares the file buffer.
  const valid = validView ? new Uint8Array(validView) : null;
  const p = physicalOf(h.type);
  const w = WIDTH[p] ?? 0;
  let data: VectorData;
  if (h.layout === 'fixed') {
    const copy = new Uint8Array(section.subarray(0, rows * w)).buffer;
    switch (p) {
      case 'u8': data = new Uint8Array(copy); break;
      case 'i16': data = new Int16Array(copy); break;
      case 'i32': data = new Int32Array(copy); break;
      case 'i64': data = new BigInt64Array(copy); break;
      case 'f32': data = new Float32Array(copy); break;
      default: data = new Float64Array(copy); break;
    }
  } else {
    let items: Uint8Array[];
    try { items = unpackItems(section, rows); } catch (e) { throw corrupt(file, (e as Error).message); }
    const item = (i: number) => items[i]!;
    const text = (i: number) => Buffer.from(item(i).buffer, item(i).byteOffset, item(i).length).toString('utf8');
    const out: unknown[] = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const ok = isValidRow(valid, i);
      switch (h.layout) {
        case 'utf8': out[i] = ok ? text(i) : ''; break;
        case 'bigint': out[i] = ok ? BigInt(text(i)) : 0n; break;
        case 'bytes': out[i] = ok ? new Uint8Array(item(i)) : null; break;
        default: out[i] = ok ? JSON.parse(text(i), (_k, x) => (x && typeof x === 'object' && typeof x.$big === 'string' ? BigInt(x.$big) : x)) : null; break;
      }
    }
    data = out as VectorData;
  }
  return { type: h.type, length: rows, data, valid };
}
