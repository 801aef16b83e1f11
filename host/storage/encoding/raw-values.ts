// The RAW values section of a block (host/storage/durable/block.ts) as the codecs see it: fixed-width
// lanes (rows * width bytes, little endian) or variable-length items (UTF-8 strings, decimal text of
// wide numerics, bytea, JSON). Every codec encodes from and decodes back to this section, so the
// block reader has one path from RAW bytes to a vector.
import { PayloadError } from './byte-io.js';

/** How values are laid out in a RAW payload (block.ts writes the name in the JSON header). */
export type Layout =
  /** rows * width bytes of the physical type (Arrow layout). */
  | 'fixed'
  /** (rows + 1) u32 offsets, then the bytes: UTF-8 strings, decimal bigints, raw bytea, or JSON values. */
  | 'utf8' | 'bigint' | 'bytes' | 'json';

/** One block's values before encoding / after decoding. */
export interface RawValues {
  layout: Layout;
  rows: number;
  /** Bytes per value for 'fixed' (1, 2, 4, 8); 0 otherwise. */
  width: number;
  /** Whether fixed lanes are two's-complement integers (int2/int4/int8, date, time, timestamp, scaled decimal). */
  integer: boolean;
  /** 'fixed': the lanes; otherwise the items, one per row (empty for a NULL row). */
  lanes: Uint8Array | null;
  items: Uint8Array[] | null;
  /**
   * The RAW section of variable-length items when the writer has it already (a chunk's string
   * column): the codecs that compress the section whole use it; `items` may then be null for them.
   */
  section?: Uint8Array;
  /**
   * Variable-length values as codes into distinct words (a chunk's dictionary-coded string column):
   * row i's item is words[codes[i]], and two rows have equal items exactly when their codes are equal.
   * BYTEDICT and RUNLENGTH encode from it without an item per row; `items` may then be null for them.
   */
  coded?: { codes: Int32Array; words: Uint8Array[] };
}

/** The RAW section of variable-length items: (rows + 1) u32 offsets, then the bytes. */
export function packItems(items: readonly Uint8Array[]): Uint8Array {
  const rows = items.length;
  let total = 0;
  for (const b of items) total += b.length;
  const out = new Uint8Array((rows + 1) * 4 + total);
  const dv = new DataView(out.buffer);
  let at = (rows + 1) * 4, off = 0;
  for (let i = 0; i < rows; i++) {
    dv.setUint32(i * 4, off, true);
    out.set(items[i]!, at);
    at += items[i]!.length;
    off += items[i]!.length;
  }
  dv.setUint32(rows * 4, off, true);
  return out;
}

/** Splits a RAW variable-length section into its items (views of `section`); checks the offsets. */
export function unpackItems(section: Uint8Array, rows: number): Uint8Array[] {
  const head = (rows + 1) * 4;
  if (section.length < head) throw new PayloadError('offsets end early');
  const dv = new DataView(section.buffer, section.byteOffset, head);
  const items: Uint8Array[] = new Array(rows);
  let prev = dv.getUint32(0, true);
  for (let i = 0; i < rows; i++) {
    const next = dv.getUint32(i * 4 + 4, true);
    if (next < prev || head + next > section.length) throw new PayloadError(`bad offset at row ${i}`);
    items[i] = section.subarray(head + prev, head + next);
    prev = next;
  }
  return items;
}

/** Lanes as unsigned numbers (width 1, 2, 4) or bigints (8): the bit patterns, for equality codecs. */
export function unsignedLanes(lanes: Uint8Array, width: number): ArrayLike<number | bigint> {
  const copy = lanes.slice().buffer;
  switch (width) {
    case 1: return new Uint8Array(copy);
    case 2: return new Uint16Array(copy);
    case 4: return new Uint32Array(copy);
    default: return new BigUint64Array(copy);
  }
}

/** Lanes as signed integers: numbers for width 2 and 4, bigints for 8. */
export function signedLanes(lanes: Uint8Array, width: number): Int16Array | Int32Array | BigInt64Array {
  const copy = lanes.slice().buffer;
  return width === 2 ? new Int16Array(copy) : width === 4 ? new Int32Array(copy) : new BigInt64Array(copy);
}

/** An empty lane array of `rows` values of `width` bytes, written by the decoders. */
export function laneArray(rows: number, width: number, signed: boolean): Uint8Array | Int16Array | Int32Array | BigInt64Array | Uint16Array | Uint32Array | BigUint64Array {
  switch (width) {
    case 1: return new Uint8Array(rows);
    case 2: return signed ? new Int16Array(rows) : new Uint16Array(rows);
    case 4: return signed ? new Int32Array(rows) : new Uint32Array(rows);
    default: return signed ? new BigInt64Array(rows) : new BigUint64Array(rows);
  }
}

/** The bytes of a typed array (a view, no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array { return new Uint8Array(a.buffer, a.byteOffset, a.byteLength); }
