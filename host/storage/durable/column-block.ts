// One column of a chunk in shared memory -> a block file, without JS values: the write side of a commit
// (host/storage/durable/durable-store.ts). Fixed-width lanes and a string column's offsets + UTF-8 bytes
// (or its dictionary's words) already are the RAW values section; the zone map is found in typed loops.
// The bytes are exactly those encodeBlock (block.ts) writes for the column's values.
import { bitmapBytes } from '../../batch/vector.js';
import { physicalOf } from '../../types/sql-type.js';
import { decodeColumn, type ChunkDesc } from '../chunk.js';
import type { RawValues } from '../encoding/raw-values.js';
import { unpackItems } from '../encoding/raw-values.js';
import { CODECS, type EncodingName } from '../encoding/registry.js';
import { blockFile, encodeBlock, INTEGER_IDS, type ZoneMap } from './block.js';

const WIDTH: Record<string, number> = { u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };

/** Codecs that read the RAW section as a whole (the others take the strings one item each). */
const WHOLE_SECTION = new Set<EncodingName>(['RAW', 'LZO', 'ZSTD']);
/** Codecs that encode strings from codes into distinct words (RawValues.coded). */
const CODED = new Set<EncodingName>(['BYTEDICT', 'RUNLENGTH']);

/** Writes out a dictionary-coded column's RAW section (and its items, for the codecs that take them). */
function fillSection(raw: RawValues, encoding: EncodingName): void {
  const { codes, words } = raw.coded!;
  raw.section = codedSection(codes, words, raw.rows);
  if (!WHOLE_SECTION.has(encoding)) raw.items = unpackItems(raw.section, raw.rows);
}

/**
 * The block file of column `c` of a resident chunk, stored with `encoding` (RAW when the codec
 * declines the block), its zone map and the encoding it was stored with. Columns kept as JSON text
 * (wide numerics, bytea, intervals) go through their JS values (encodeBlock).
 */
export function encodeColumnBlock(d: ChunkDesc, c: number, memory: WebAssembly.Memory, encoding: EncodingName = 'RAW'): { bytes: Uint8Array; zone: ZoneMap; encoding: EncodingName } {
  const col = d.cols[c]!;
  const type = d.types[c]!;
  const rows = d.rows;
  const buf = memory.buffer;
  const u8 = new Uint8Array(buf);
  if (col.kind === 'json') return encodeBlock(decodeColumn(d, c, memory), encoding);
  const validView = col.valid ? new Uint8Array(buf, col.valid, bitmapBytes(rows)) : null;
  const nulls = validView ? countNulls(validView, rows) : 0;
  const valid = nulls > 0 ? validView : null;
  let raw: RawValues;
  let min: string | null, max: string | null;
  if (col.kind === 'fixed') {
    const w = WIDTH[physicalOf(type)]!;
    const lanes = u8.slice(col.values, col.values + rows * w);
    [min, max] = fixedZone(lanes, physicalOf(type), valid, rows);
    raw = { layout: 'fixed', rows, width: w, integer: INTEGER_IDS.has(type.id), lanes, items: null };
  } else if (col.kind === 'utf8') {
    const section = utf8Section(u8, col.offsets, col.bytes, valid, rows);
    [min, max] = stringZone(section, valid, rows);
    raw = { layout: 'utf8', rows, width: 0, integer: false, lanes: null, items: WHOLE_SECTION.has(encoding) ? null : unpackItems(section, rows), section };
  } else {
    const coded = dictCodes(u8, col.codes, col.dictOffsets, col.dictBytes, col.dictSize, valid, rows);
    [min, max] = wordsZone(coded, valid, rows);
    raw = { layout: 'utf8', rows, width: 0, integer: false, lanes: null, items: null, coded };
  }
  let tag: EncodingName = 'RAW';
  let payload: Uint8Array | null = null;
  if (encoding !== 'RAW') {
    // The section written out per row only for a codec that needs it (BYTEDICT and RUNLENGTH read the codes).
    if (raw.coded && !CODED.has(encoding)) fillSection(raw, encoding);
    payload = CODECS[encoding].encode(raw);
    if (payload) tag = encoding;
  }
  if (!payload && raw.layout !== 'fixed' && !raw.section) fillSection(raw, 'RAW');
  const values = payload ?? (raw.layout === 'fixed' ? raw.lanes! : raw.section!);
  const header = { type, layout: raw.layout, rows, nulls, min, max, validBytes: valid ? bitmapBytes(rows) : 0 };
  return { bytes: blockFile(header, tag, valid, values), zone: { rows, nulls, min, max }, encoding: tag };
}

function countNulls(valid: Uint8Array, rows: number): number {
  let n = 0;
  for (let i = 0; i < rows; i++) if (((valid[i >> 3]! >> (i & 7)) & 1) === 0) n++;
  return n;
}

const isValid = (valid: Uint8Array | null, i: number) => valid === null || ((valid[i >> 3]! >> (i & 7)) & 1) === 1;

/** Min and max of the valid lanes as encodeBlock writes them: decimal integers, floats as JS prints them with NaN highest. */
function fixedZone(lanes: Uint8Array, p: string, valid: Uint8Array | null, rows: number): [string | null, string | null] {
  if (p === 'i64') {
    // (high signed, low unsigned) word pairs: no BigInt per value.
    const u = new Uint32Array(lanes.buffer, lanes.byteOffset, rows * 2), s = new Int32Array(lanes.buffer, lanes.byteOffset, rows * 2);
    let lo = -1, hi = -1;
    for (let i = 0; i < rows; i++) {
      if (!isValid(valid, i)) continue;
      if (lo < 0) { lo = hi = i; continue; }
      const sh = s[2 * i + 1]!, ul = u[2 * i]!;
      if (sh < s[2 * lo + 1]! || (sh === s[2 * lo + 1]! && ul < u[2 * lo]!)) lo = i;
      if (sh > s[2 * hi + 1]! || (sh === s[2 * hi + 1]! && ul > u[2 * hi]!)) hi = i;
    }
    if (lo < 0) return [null, null];
    const big = new BigInt64Array(lanes.buffer, lanes.byteOffset, rows);
    return [big[lo]!.toString(), big[hi]!.toString()];
  }
  const d = numbersOf(lanes, p);
  let lo = 0, hi = 0, any = false;
  for (let i = 0; i < rows; i++) {
    if (!isValid(valid, i)) continue;
    const x = d[i]!;
    if (!any) { lo = hi = x; any = true; continue; }
    if (compareNum(x, lo) < 0) lo = x;
    if (compareNum(x, hi) > 0) hi = x;
  }
  return any ? [String(lo), String(hi)] : [null, null];
}

function numbersOf(lanes: Uint8Array, p: string): ArrayLike<number> {
  const b = lanes.buffer, o = lanes.byteOffset, n = lanes.length;
  switch (p) {
    case 'u8': return new Uint8Array(b, o, n);
    case 'i16': return new Int16Array(b, o, n / 2);
    case 'i32': return new Int32Array(b, o, n / 4);
    case 'f32': return new Float32Array(b, o, n / 4);
    default: return new Float64Array(b, o, n / 8);
  }
}

function compareNum(a: number, b: number): number {
  // PostgreSQL orders NaN above every other float.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The RAW section of a string column kept as offsets + bytes: (rows + 1) u32 offsets from 0, then the
 * bytes; a NULL row is an empty item.
 */
function utf8Section(u8: Uint8Array, offsetsAt: number, bytesAt: number, valid: Uint8Array | null, rows: number): Uint8Array {
  const offs = new Int32Array(u8.buffer, offsetsAt, rows + 1);
  const head = (rows + 1) * 4;
  if (valid === null) {
    const first = offs[0]!, total = offs[rows]! - first;
    const out = new Uint8Array(head + total);
    const o = new Uint32Array(out.buffer, 0, rows + 1);
    for (let i = 0; i <= rows; i++) o[i] = offs[i]! - first;
    out.set(u8.subarray(bytesAt + first, bytesAt + first + total), head);
    return out;
  }
  let total = 0;
  for (let i = 0; i < rows; i++) if (isValid(valid, i)) total += offs[i + 1]! - offs[i]!;
  const out = new Uint8Array(head + total);
  const o = new Uint32Array(out.buffer, 0, rows + 1);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    o[i] = at;
    if (!isValid(valid, i)) continue;
    const s = bytesAt + offs[i]!, len = offs[i + 1]! - offs[i]!;
    out.set(u8.subarray(s, s + len), head + at);
    at += len;
  }
  o[rows] = at;
  return out;
}

/**
 * A dictionary-coded column's rows as codes into distinct words (RawValues.coded): the chunk's own
 * codes and words (views of the shared memory), a NULL row coded as the empty word (added when the
 * dictionary has none), as a block stores a NULL row's item empty.
 */
function dictCodes(u8: Uint8Array, codesAt: number, dictOffsetsAt: number, dictBytesAt: number, n: number, valid: Uint8Array | null, rows: number): { codes: Int32Array; words: Uint8Array[] } {
  const woffs = new Int32Array(u8.buffer, dictOffsetsAt, n + 1);
  const words: Uint8Array[] = new Array(n);
  let empty = -1;
  for (let k = 0; k < n; k++) {
    words[k] = u8.subarray(dictBytesAt + woffs[k]!, dictBytesAt + woffs[k + 1]!);
    if (words[k]!.length === 0 && empty < 0) empty = k;
  }
  const shared = new Int32Array(u8.buffer, codesAt, rows);
  if (valid === null) return { codes: shared, words };
  if (empty < 0) { empty = n; words.push(new Uint8Array(0)); }
  const codes = shared.slice();
  for (let i = 0; i < rows; i++) if (!isValid(valid, i)) codes[i] = empty;
  return { codes, words };
}

/** The RAW section of rows given as codes into words: each row's word written out. */
function codedSection(codes: Int32Array, words: readonly Uint8Array[], rows: number): Uint8Array {
  let total = 0;
  for (let i = 0; i < rows; i++) total += words[codes[i]!]!.length;
  const head = (rows + 1) * 4;
  const out = new Uint8Array(head + total);
  const o = new Uint32Array(out.buffer, 0, rows + 1);
  let at = head;
  for (let i = 0; i < rows; i++) {
    const w = words[codes[i]!]!;
    o[i] = at - head;
    if (w.length === 1) out[at] = w[0]!; else out.set(w, at);
    at += w.length;
  }
  o[rows] = at - head;
  return out;
}

/** Min and max by UTF-8 bytes of the words the valid rows use. */
function wordsZone(coded: { codes: Int32Array; words: Uint8Array[] }, valid: Uint8Array | null, rows: number): [string | null, string | null] {
  const { codes, words } = coded;
  const used = new Uint8Array(words.length);
  for (let i = 0; i < rows; i++) if (isValid(valid, i)) used[codes[i]!] = 1;
  let lo = -1, hi = -1;
  for (let k = 0; k < words.length; k++) {
    if (!used[k]) continue;
    if (lo < 0) { lo = hi = k; continue; }
    if (Buffer.compare(words[k]!, words[lo]!) < 0) lo = k;
    if (Buffer.compare(words[k]!, words[hi]!) > 0) hi = k;
  }
  if (lo < 0) return [null, null];
  const text = (w: Uint8Array) => Buffer.from(w.buffer, w.byteOffset, w.length).toString('utf8');
  return [text(words[lo]!), text(words[hi]!)];
}

/** Min and max of the valid rows' strings by their UTF-8 bytes (as Buffer.compare orders them). */
function stringZone(section: Uint8Array, valid: Uint8Array | null, rows: number): [string | null, string | null] {
  const offs = new Uint32Array(section.buffer, section.byteOffset, rows + 1);
  const head = (rows + 1) * 4;
  let lo = -1, hi = -1;
  for (let i = 0; i < rows; i++) {
    if (!isValid(valid, i)) continue;
    if (lo < 0) { lo = hi = i; continue; }
    if (compareRows(section, head, offs, i, lo) < 0) lo = i;
    if (compareRows(section, head, offs, i, hi) > 0) hi = i;
  }
  if (lo < 0) return [null, null];
  const text = (i: number) => Buffer.from(section.buffer, section.byteOffset + head + offs[i]!, offs[i + 1]! - offs[i]!).toString('utf8');
  return [text(lo), text(hi)];
}

function compareRows(b: Uint8Array, head: number, offs: Uint32Array, x: number, y: number): number {
  const xs = head + offs[x]!, xl = offs[x + 1]! - offs[x]!, ys = head + offs[y]!, yl = offs[y + 1]! - offs[y]!;
  const n = xl < yl ? xl : yl;
  for (let j = 0; j < n; j++) {
    const d = b[xs + j]! - b[ys + j]!;
    if (d !== 0) return d;
  }
  return xl - yl;
}
