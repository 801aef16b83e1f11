// Exchange batches in the shared memory: a slice worker copies the fixed-width columns and validity
// bitmaps of an exchange's rows into pages of the shared memory's page allocator and posts only a
// descriptor (offsets and types); the leader and the consuming slices view those pages in place.
// A string column with few distinct values crosses as i32 codes in the pages plus its distinct
// strings in the descriptor, any other string column as UTF-8 bytes and offsets in the pages
// (ADR 0013); other JS-array columns travel in the descriptor by structured clone (ADR 0008). Pages live until the statement ends: the runner frees them
// (host/cluster/runner.ts).
import { concatVectors, dictionaryVector, type Batch, type Vector, type VectorData } from '../batch/vector.js';
import { SqlError, SqlState } from '../common/errors.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';
import type { PageAllocator } from '../wasm/memory.js';

type TypedKind = 'u8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

/**
 * One column of a shared batch: typed data at a byte offset of the memory, dictionary codes there
 * (`words`: value of each code, the column's data is words[code]), UTF-8 text (`utf8`: byte offset
 * of the text; `at`: i32 offsets into it, length + 1 of them), or a JS array (cloned).
 */
interface SharedVector {
  type: SqlType;
  length: number;
  data: { at: number; kind: TypedKind; words?: unknown[]; utf8?: number } | VectorData;
  /** Byte offset of the validity bitmap in the memory, a cloned bitmap, or null (no NULLs). */
  valid: number | Uint8Array | null;
}

/** What crosses threads for one batch: numbers and JS arrays only, never a view of the shared memory. */
export interface SharedBatch {
  readonly shared: true;
  /** The page run holding the batch's fixed-width buffers (0: none), freed when the statement ends. */
  readonly ptr: number;
  readonly length: number;
  readonly columns: SharedVector[];
}

function kindOf(d: unknown): TypedKind | null {
  if (d instanceof Uint8Array) return 'u8';
  if (d instanceof Int16Array) return 'i16';
  if (d instanceof Int32Array) return 'i32';
  if (d instanceof BigInt64Array) return 'i64';
  if (d instanceof Float32Array) return 'f32';
  if (d instanceof Float64Array) return 'f64';
  return null;
}

/** The layout of a vector's rows: its typed kind, 'dict' for a string vector in dictionary form (its data is not decoded), null for a JS array. */
function layoutOf(v: Vector): TypedKind | 'dict' | null {
  return v.dictionary !== undefined ? 'dict' : kindOf(v.data);
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Rows sampled to decide whether a string column crosses as dictionary codes. */
const SAMPLE_ROWS = 2048;
/** The sample may hold at most this many distinct strings (a quarter of it). */
const SAMPLE_DISTINCT = SAMPLE_ROWS / 4;

/**
 * The dictionary coding of a string column given as pieces: each row's code and the distinct
 * values, or null when a sample of its first rows is too diverse for codes to pay (posting a
 * code costs a Map lookup; cloning a string costs a copy on each of the two hops, a fresh string
 * object on the consumer, and the leader's time in between).
 */
function dictionaryCoding(parts: readonly Vector[], rows: number): { codes: Int32Array; words: unknown[] } | null {
  // Pieces already in dictionary form keep their codes (their words merged when they differ).
  if (parts.every((v) => v.dictionary !== undefined)) {
    const whole = concatVectors(parts[0]!.type, parts).dictionary;
    if (whole !== undefined) return { codes: whole.codes, words: whole.words };
  }
  const index = new Map<unknown, number>();
  const words: unknown[] = [];
  const codes = new Int32Array(rows);
  let o = 0;
  for (const v of parts) {
    const a = v.data as ArrayLike<unknown>;
    for (let i = 0; i < v.length; i++, o++) {
      const x = a[i];
      let c = index.get(x);
      if (c === undefined) {
        if (o < SAMPLE_ROWS && words.length >= SAMPLE_DISTINCT) return null;
        c = words.length;
        index.set(x, c);
        words.push(x);
      }
      codes[o] = c;
    }
  }
  // Past the sample the column may still turn out diverse: codes then only pay while they are fewer than the rows.
  return words.length <= rows / 2 ? { codes, words } : null;
}

/** Text encoded before the page run is allocated (its size is known only then), reused per thread. */
let textScratch = Buffer.allocUnsafe(1 << 16);
let textUsed = 0;

/**
 * Encodes a string column given as pieces as UTF-8 at the end of textScratch: returns its offsets
 * (relative to its first byte) and where its bytes lie in the scratch, or null when a value is not
 * a string (a NULL row of a string column holds '').
 */
function utf8Of(parts: readonly Vector[], rows: number): { offsets: Int32Array; start: number; end: number } | null {
  const offsets = new Int32Array(rows + 1);
  const start = textUsed;
  let at = start, o = 0;
  for (const v of parts) {
    const a = v.data as ArrayLike<unknown>;
    for (let i = 0; i < v.length; i++, o++) {
      const x = a[i];
      if (typeof x !== 'string') return null;
      offsets[o] = at - start;
      // A UTF-16 code unit takes at most 3 bytes of UTF-8.
      if (at + 3 * x.length > textScratch.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * textScratch.length, at + 3 * x.length));
        textScratch.copy(grown, 0, 0, at);
        textScratch = grown;
      }
      at += (textScratch as Buffer & { utf8Write(s: string, at: number): number }).utf8Write(x, at);
    }
  }
  offsets[rows] = at - start;
  textUsed = at;
  return { offsets, start, end: at };
}

/**
 * Copies the fixed-width buffers of a batch, given as pieces to concatenate (a hash exchange's
 * batches for one destination, host/cluster/hash-partitioner.ts), into one page run of the shared
 * memory and returns its descriptor, or null when the memory has no room (the caller then posts a
 * copy instead). Each piece is copied once, straight to its place in the run.
 */
export function toShared(pieces: readonly Batch[], pages: PageAllocator, memory: WebAssembly.Memory): SharedBatch | null {
  const first = pieces[0]!;
  const rows = pieces.reduce((n, p) => n + p.length, 0);
  // A column whose pieces differ in layout (an int8 piece of bigints beyond 64 bits) is concatenated first.
  const cols: Vector[][] = first.columns.map((c, j) => {
    const parts = pieces.map((p) => p.columns[j]!);
    const kind = layoutOf(c);
    if (kind === 'dict' || kind === null) return parts;
    return parts.every((v) => layoutOf(v) === kind) ? parts : [concatVectors(c.type, parts)];
  });
  // String columns of few distinct values cross as codes.
  const isText = (parts: Vector[]) => physicalOf(parts[0]!.type) === 'str' && (parts.every((v) => v.dictionary !== undefined) || kindOf(parts[0]!.data) === null);
  const dicts = cols.map((parts) => (isText(parts) ? dictionaryCoding(parts, rows) : null));
  // Other string columns cross as UTF-8: encoded once here, decoded once by the consumer, never
  // serialized by the leader that passes the descriptor on.
  textUsed = 0;
  const texts = cols.map((parts, j) => (isText(parts) && !dicts[j] ? utf8Of(parts, rows) : null));
  let bytes = 0;
  for (const [j, parts] of cols.entries()) {
    if (dicts[j]) bytes += align8(rows * 4);
    const text = texts[j];
    if (text) bytes += align8((rows + 1) * 4) + align8(text.end - text.start);
    const kind = dicts[j] || texts[j] ? null : kindOf(parts[0]!.data);
    if (kind !== null) bytes += align8(rows * (parts[0]!.data as unknown as ArrayBufferView & { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
    if (parts.some((v) => v.valid !== null)) bytes += align8((rows + 7) >> 3);
  }
  let ptr = 0;
  if (bytes > 0) {
    try {
      ptr = pages.alloc(bytes);
    } catch (e) {
      if (e instanceof SqlError && e.code === SqlState.outOfMemory) return null;
      throw e;
    }
  }
  const u8 = new Uint8Array(memory.buffer);
  let at = ptr;
  const columns = cols.map((parts, j): SharedVector => {
    const type = parts[0]!.type;
    const dict = dicts[j];
    const kind = dict || texts[j] ? null : kindOf(parts[0]!.data);
    let data: SharedVector['data'];
    if (dict) {
      u8.set(new Uint8Array(dict.codes.buffer, dict.codes.byteOffset, rows * 4), at);
      data = { at, kind: 'i32', words: dict.words };
      at += align8(rows * 4);
    } else if (texts[j]) {
      const text = texts[j]!;
      u8.set(new Uint8Array(text.offsets.buffer, 0, (rows + 1) * 4), at);
      const utf8 = at + align8((rows + 1) * 4);
      u8.set(textScratch.subarray(text.start, text.end), utf8);
      data = { at, kind: 'i32', utf8 };
      at = utf8 + align8(text.end - text.start);
    } else if (kind !== null) {
      const start = at;
      for (const v of parts) {
        const view = v.data as unknown as ArrayBufferView & { BYTES_PER_ELEMENT: number };
        const len = v.length * view.BYTES_PER_ELEMENT;
        u8.set(new Uint8Array(view.buffer, view.byteOffset, len), at);
        at += len;
      }
      at = start + align8(at - start);
      data = { at: start, kind };
    } else if (parts.length === 1) {
      data = parts[0]!.data;
    } else {
      const out = new Array<unknown>(rows);
      let o = 0;
      for (const v of parts) { const a = v.data as ArrayLike<unknown>; for (let i = 0; i < v.length; i++) out[o++] = a[i]; }
      data = out as VectorData;
    }
    let valid: number | null = null;
    if (parts.some((v) => v.valid !== null)) {
      valid = at;
      writeValidity(u8, at, parts);
      at += align8((rows + 7) >> 3);
    }
    return { type, length: rows, data, valid };
  });
  return { shared: true, ptr, length: rows, columns };
}

/** Writes the concatenated validity bitmaps of `parts` at byte `at` (a piece without one is all valid). */
function writeValidity(u8: Uint8Array, at: number, parts: readonly Vector[]): void {
  let row = 0;
  for (const v of parts) {
    const n = v.length;
    if ((row & 7) === 0) {
      // Byte-aligned: whole bytes at once, the last partial byte included (the next piece overwrites past its end).
      const o = at + (row >> 3), bytes = (n + 7) >> 3;
      if (v.valid === null) u8.fill(0xff, o, o + bytes);
      else u8.set(v.valid.subarray(0, bytes), o);
    } else {
      for (let i = 0; i < n; i++) {
        const r = row + i, byte = at + (r >> 3), bit = 1 << (r & 7);
        if (v.valid === null || ((v.valid[i >> 3]! >> (i & 7)) & 1) === 1) u8[byte] = u8[byte]! | bit;
        else u8[byte] = u8[byte]! & ~bit;
      }
    }
    row += n;
  }
}

/** A batch whose typed arrays view the descriptor's pages (valid until the statement ends). */
export function fromShared(s: SharedBatch, memory: WebAssembly.Memory): Batch {
  const buf = memory.buffer;
  // Buffer's utf8Slice decodes from a shared buffer (TextDecoder refuses views of one).
  let bytes: (Buffer & { utf8Slice(start: number, end: number): string }) | undefined;
  const columns = s.columns.map((c): Vector => {
    const n = c.length;
    let data: VectorData;
    const d = c.data as { at?: number; kind?: TypedKind; words?: unknown[]; utf8?: number };
    if (d.utf8 !== undefined) {
      const offsets = new Int32Array(buf, d.at!, n + 1);
      const text = (bytes ??= Buffer.from(buf) as Buffer & { utf8Slice(start: number, end: number): string });
      const base = d.utf8;
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = text.utf8Slice(base + offsets[i]!, base + offsets[i + 1]!);
      data = out;
    } else if (d.words !== undefined) {
      // Kept as codes (a view of the pages) with the words: decoded only by a consumer that needs strings.
      const valid = typeof c.valid === 'number' ? new Uint8Array(buf, c.valid, (n + 7) >> 3) : c.valid;
      return dictionaryVector(c.type, new Int32Array(buf, d.at!, n), d.words as string[], valid);
    } else if (typeof d.at === 'number' && d.kind !== undefined && !Array.isArray(c.data)) {
      switch (d.kind) {
        case 'u8': data = new Uint8Array(buf, d.at, n); break;
        case 'i16': data = new Int16Array(buf, d.at, n); break;
        case 'i32': data = new Int32Array(buf, d.at, n); break;
        case 'i64': data = new BigInt64Array(buf, d.at, n); break;
        case 'f32': data = new Float32Array(buf, d.at, n); break;
        case 'f64': data = new Float64Array(buf, d.at, n); break;
      }
    } else data = c.data as VectorData;
    const valid = typeof c.valid === 'number' ? new Uint8Array(buf, c.valid, (n + 7) >> 3) : c.valid;
    return { type: c.type, length: n, data, valid };
  });
  return { columns, length: s.length };
}

export function isShared(x: Batch | SharedBatch): x is SharedBatch {
  return (x as SharedBatch).shared === true;
}
