// Column chunks in the shared WASM memory: a batch of table rows encoded into one allocation
// (Arrow-layout values + LSB validity per column; strings as a dictionary or as offsets + UTF-8
// bytes), described by a small plain object that crosses to slice workers, which view the same
// bytes without copying.
import type { Batch, Dictionary, Vector } from '../batch/vector.js';
import { allocData, bitmapBytes, dictionaryVector, gatherVector } from '../batch/vector.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';
import type { KernelExports } from '../wasm/kernel-exports.js';
import type { PageAllocator } from '../wasm/memory.js';
import { zoneOf, type ColumnZone } from './zone-map.js';

/** One column of a chunk. Offsets are byte offsets into the shared memory. */
export type ColumnDesc = (
  | { kind: 'fixed'; values: number; valid: number }
  /** Strings with few distinct values: i32 codes into a dictionary of UTF-8 strings. */
  | { kind: 'dict'; codes: number; valid: number; dictOffsets: number; dictBytes: number; dictSize: number }
  | { kind: 'utf8'; offsets: number; bytes: number; valid: number }
  /** Values without a fixed-width layout (wide numerics, intervals, bytea) as JSON text. */
  | { kind: 'json'; offsets: number; bytes: number; valid: number })
  /** Set when the column was loaded from a RUNLENGTH block: the exclusive end row of each run of equal (validity, value). */
  & { runs?: Int32Array };

export interface ChunkDesc {
  /**
   * Start of the chunk's one allocation (freed as a whole); -1 while a chunk of a data directory has
   * no column in memory. A chunk read back column by column (ADR 0021) has an allocation per column
   * (kept by the ChunkStore) and `base` is one of them, never freed through it.
   */
  base: number;
  rows: number;
  types: SqlType[];
  /** Per column; a column of a data directory's chunk not read yet has no entry (see ChunkStore.pin). */
  cols: ColumnDesc[];
  /** Per column min/max/NULL count (host/storage/zone-map.ts); absent on synthetic chunks. */
  zones?: readonly (ColumnZone | null)[];
}

const WIDTH: Record<string, number> = { u8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8 };
const align8 = (n: number) => (n + 7) & ~7;

interface Plan { desc: (base: number) => ColumnDesc; bytes: number; write: (u8: Uint8Array, base: number) => void }

function planColumn(v: Vector, rows: number): Plan {
  const p = physicalOf(v.type);
  const validBytes = v.valid ? align8(bitmapBytes(rows)) : 0;
  const writeValid = (u8: Uint8Array, at: number) => { if (v.valid) u8.set(v.valid.subarray(0, bitmapBytes(rows)), at); };
  const w = WIDTH[p];
  if (w !== undefined && !Array.isArray(v.data)) {
    const vb = align8(rows * w);
    return {
      bytes: vb + validBytes,
      desc: (base) => ({ kind: 'fixed', values: base, valid: v.valid ? base + vb : 0 }),
      write: (u8, base) => {
        const src = v.data as unknown as ArrayBufferView;
        u8.set(new Uint8Array(src.buffer, src.byteOffset, rows * w), base);
        writeValid(u8, base + vb);
      },
    };
  }
  const strings = p === 'str';
  const values: string[] = strings && !v.valid ? (v.data as string[]) : new Array(rows);
  if (values !== v.data) {
    for (let i = 0; i < rows; i++) {
      const ok = !v.valid || ((v.valid[i >> 3]! >> (i & 7)) & 1) === 1;
      const d = v.data[i];
      values[i] = !ok ? '' : strings ? (d as string) : JSON.stringify(d, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? { hex: Buffer.from(x).toString('hex') } : x));
    }
  }
  if (strings) {
    // Few distinct values: codes are found in this one pass (the dictionary is given up past rows / 4 + 16 words).
    const dict = new Map<string, number>();
    const codes = new Int32Array(rows);
    const most = rows / 4 + 16;
    let i = 0;
    for (; i < rows; i++) {
      const s = values[i]!;
      let k = dict.get(s);
      if (k === undefined) { k = dict.size; dict.set(s, k); if (dict.size > most) break; }
      codes[i] = k;
    }
    if (i === rows) {
      const words = [...dict.keys()];
      const packed = packUtf8(words, words.length);
      const cb = align8(rows * 4), ob = align8((words.length + 1) * 4), bb = align8(packed.total);
      return {
        bytes: cb + ob + bb + validBytes,
        desc: (base) => ({ kind: 'dict', codes: base, dictOffsets: base + cb, dictBytes: base + cb + ob, dictSize: words.length, valid: v.valid ? base + cb + ob + bb : 0 }),
        write: (u8, base) => {
          new Int32Array(u8.buffer, base, rows).set(codes);
          new Int32Array(u8.buffer, base + cb, words.length + 1).set(packed.offsets);
          u8.set(packed.bytes.subarray(0, packed.total), base + cb + ob);
          writeValid(u8, base + cb + ob + bb);
        },
      };
    }
  }
  const packed = packUtf8(values, rows);
  const ob = align8((rows + 1) * 4), bb = align8(packed.total);
  return {
    bytes: ob + bb + validBytes,
    desc: (base) => ({ kind: strings ? 'utf8' : 'json', offsets: base, bytes: base + ob, valid: v.valid ? base + ob + bb : 0 }),
    write: (u8, base) => {
      new Int32Array(u8.buffer, base, rows + 1).set(packed.offsets);
      u8.set(packed.bytes.subarray(0, packed.total), base + ob);
      writeValid(u8, base + ob + bb);
    },
  };
}

/** Strings as UTF-8 bytes back to back and their n + 1 start offsets, written without a buffer per string. */
function packUtf8(strings: readonly string[], n: number): { offsets: Int32Array; bytes: Buffer; total: number } {
  let most = 0;
  for (let i = 0; i < n; i++) most += strings[i]!.length;
  // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4).
  const bytes = Buffer.allocUnsafe(most * 3);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    offsets[i] = at;
    const s = strings[i]!;
    if (s.length > 0) at += bytes.write(s, at, 'utf8');
  }
  offsets[n] = at;
  return { offsets, bytes, total: at };
}

const runMarks = new WeakMap<object, Int32Array>();
const runViews = new WeakMap<object, Int32Array>();

/** The object that stands for a vector's rows in the run maps: its codes when in dictionary form (so `data` is not decoded). */
function rowsKey(v: Vector): object { return (v.dictionary?.codes ?? v.data) as object; }

/** The exclusive end row of each run of consecutive rows with equal validity and equal value (=== per element). */
export function runEndsOf(v: Vector): Int32Array {
  const n = v.length;
  const ends: number[] = [];
  const valid = v.valid;
  const ok = (i: number) => valid === null || ((valid[i >> 3]! >> (i & 7)) & 1) === 1;
  const d = v.data as ArrayLike<unknown>;
  for (let i = 1; i <= n; i++) {
    if (i === n) { ends.push(n); break; }
    const a = ok(i - 1), b = ok(i);
    if (a !== b || (a && d[i] !== d[i - 1])) ends.push(i);
  }
  return sharedInt32(ends);
}

/**
 * The values as an Int32Array over a SharedArrayBuffer. Chunk descriptors go to the slice workers
 * with every task, by structured clone: a view of a SharedArrayBuffer crosses as a handle to the same
 * memory, an ordinary one is copied. Run ends of a RUNLENGTH column are up to one per row (11 MB a
 * task for lineitem's two flag columns at SF 1), so they live in shared memory.
 */
export function sharedInt32(values: ArrayLike<number>): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(Math.max(4, values.length * 4)), 0, values.length);
  out.set(values);
  return out;
}

/** Marks a vector read from a RUNLENGTH block so encodeChunk keeps its runs on the column descriptor. */
export function markRuns(v: Vector, ends: Int32Array): void { runMarks.set(rowsKey(v), ends); }

/**
 * The run ends behind a vector that decodeColumn made from a column loaded from a RUNLENGTH block
 * (a scan's batch before any gather), so a filter can test each run once (host/exec/kernel-filter.ts).
 */
export function runsOf(v: Vector): Int32Array | undefined {
  const r = runViews.get(rowsKey(v));
  return r && r.length > 0 && r[r.length - 1] === v.length ? r : undefined;
}

/** Gives `to` (a copy of `from`, same rows) the runs `from` has. */
export function carryRuns(from: Vector, to: Vector): void {
  const r = runsOf(from);
  if (r && to.length === from.length) runViews.set(rowsKey(to), r);
}

/**
 * Copies a batch into one allocation of the shared memory, with zone maps unless `zones` is false
 * (a chunk read back from block files has them from the manifest already).
 */
export function encodeChunk(b: Batch, memory: WebAssembly.Memory, alloc: PageAllocator, zones = true): ChunkDesc {
  const plans = b.columns.map((c) => planColumn(c, b.length));
  const sizes = plans.map((p) => align8(Math.max(8, p.bytes)));
  const total = sizes.reduce((n, s) => n + s, 0);
  const base = alloc.alloc(total, 64);
  const u8 = new Uint8Array(memory.buffer);
  let at = base;
  const cols = plans.map((p, i) => {
    const d = p.desc(at); p.write(u8, at); at += sizes[i]!;
    const runs = runMarks.get(rowsKey(b.columns[i]!));
    if (runs && runs.length > 0 && runs[runs.length - 1] === b.length) d.runs = runs;
    return d;
  });
  const desc: ChunkDesc = { base, rows: b.length, types: b.columns.map((c) => c.type), cols };
  if (zones) desc.zones = b.columns.map((c) => zoneOf(c, b.length));
  return desc;
}

/** A Buffer over the whole of the last shared memory buffer strings were read from (a new one after the memory grows). */
let wholeOf: ArrayBufferLike | null = null;
let whole: Buffer | null = null;

function utf8At(u8: Uint8Array, start: number, end: number): string {
  // TextDecoder refuses views of shared memory; Buffer reads them directly. One Buffer per memory
  // buffer, not one per string: making a Buffer cost more than decoding a short string.
  // Only a shared memory's buffer is kept: holding a plain ArrayBuffer could keep a large one alive.
  const ab = u8.buffer;
  if (ab !== wholeOf) {
    if (!(ab instanceof SharedArrayBuffer)) return Buffer.from(ab, u8.byteOffset + start, end - start).toString('utf8');
    whole = Buffer.from(ab);
    wholeOf = ab;
  }
  return whole!.toString('utf8', u8.byteOffset + start, u8.byteOffset + end);
}

/** The dictionary of a string column: codes (for a chunk's column, a view of the shared memory) and words. */
export type ColumnDictionary = Dictionary;

/**
 * The dictionary behind a vector in dictionary form (a scan's batch from a 'dict' column, gathered
 * or not), so a filter can test each distinct word once (host/exec/kernel-filter.ts).
 */
export function dictionaryOf(v: Vector): ColumnDictionary | undefined {
  return v.dictionary;
}

/** A vector over column `c` of a chunk: fixed-width values are views of the shared memory. */
export function decodeColumn(d: ChunkDesc, c: number, memory: WebAssembly.Memory): Vector {
  const v = decodeColumnData(d, c, memory);
  const runs = d.cols[c]!.runs;
  if (runs) runViews.set(rowsKey(v), runs);
  return v;
}

function decodeColumnData(d: ChunkDesc, c: number, memory: WebAssembly.Memory): Vector {
  const col = d.cols[c]!;
  const type = d.types[c]!;
  const rows = d.rows;
  const buf = memory.buffer;
  const valid = col.valid ? new Uint8Array(buf, col.valid, bitmapBytes(rows)) : null;
  const u8 = new Uint8Array(buf);
  switch (col.kind) {
    case 'fixed': {
      const p = physicalOf(type);
      let data: Vector['data'];
      switch (p) {
        case 'u8': data = new Uint8Array(buf, col.values, rows); break;
        case 'i16': data = new Int16Array(buf, col.values, rows); break;
        case 'i32': data = new Int32Array(buf, col.values, rows); break;
        case 'i64': data = new BigInt64Array(buf, col.values, rows); break;
        case 'f32': data = new Float32Array(buf, col.values, rows); break;
        default: data = new Float64Array(buf, col.values, rows); break;
      }
      return { type, length: rows, data, valid };
    }
    case 'dict': {
      // Kept as codes: a consumer that needs strings decodes them (batch/vector.ts dictionaryVector).
      return dictionaryVector(type, new Int32Array(buf, col.codes, rows), wordsOf(col, memory), valid);
    }
    case 'utf8': case 'json': {
      const offs = new Int32Array(buf, col.offsets, rows + 1);
      const out = new Array<unknown>(rows);
      for (let i = 0; i < rows; i++) {
        const s = utf8At(u8, col.bytes + offs[i]!, col.bytes + offs[i + 1]!);
        out[i] = col.kind === 'utf8' ? s : (valid && !((valid[i >> 3]! >> (i & 7)) & 1) ? null : parseJsonValue(s));
      }
      return { type, length: rows, data: out as Vector['data'], valid };
    }
  }
}

/** A chunk a scan reads in place (ExecContext.scanChunks, host/exec/chunk-scan.ts). */
export interface ScanChunk {
  desc: ChunkDesc;
  memory: WebAssembly.Memory;
  /**
   * Whether batches may keep viewing the chunk's memory after the scan moves on (a worker's pinned
   * chunks, the leader's in-memory ones); when not, every output vector is a copy.
   */
  stable: boolean;
}

/** A string column of a chunk kept as offsets + UTF-8 bytes, read in place (byte-level predicates: host/exec/byte-predicate.ts). */
export interface Utf8Column {
  /** The whole shared memory; row r's bytes are u8[bytes + offsets[r], bytes + offsets[r + 1]). */
  u8: Uint8Array;
  bytes: number;
  offsets: Int32Array;
  valid: Uint8Array | null;
  rows: number;
}

/** Column `c` of a chunk as offsets + bytes, when it is a 'utf8' column. */
export function utf8ColumnOf(d: ChunkDesc, c: number, memory: WebAssembly.Memory): Utf8Column | undefined {
  const col = d.cols[c]!;
  if (col.kind !== 'utf8') return undefined;
  const buf = memory.buffer;
  return {
    u8: new Uint8Array(buf), bytes: col.bytes, offsets: new Int32Array(buf, col.offsets, d.rows + 1),
    valid: col.valid ? new Uint8Array(buf, col.valid, bitmapBytes(d.rows)) : null, rows: d.rows,
  };
}

const chunkWords = new WeakMap<ColumnDesc, string[]>();

/** The words of a 'dict' column, decoded once per column descriptor. */
function wordsOf(col: Extract<ColumnDesc, { kind: 'dict' }>, memory: WebAssembly.Memory): string[] {
  let words = chunkWords.get(col);
  if (words) return words;
  const buf = memory.buffer, u8 = new Uint8Array(buf);
  const offs = new Int32Array(buf, col.dictOffsets, col.dictSize + 1);
  words = new Array<string>(col.dictSize);
  for (let k = 0; k < col.dictSize; k++) words[k] = utf8At(u8, col.dictBytes + offs[k]!, col.dictBytes + offs[k + 1]!);
  chunkWords.set(col, words);
  return words;
}

/** The validity bitmap of column `c` of a chunk (a view), or null when it has no NULLs. */
export function validityOf(d: ChunkDesc, c: number, memory: WebAssembly.Memory): Uint8Array | null {
  const col = d.cols[c]!;
  return col.valid ? new Uint8Array(memory.buffer, col.valid, bitmapBytes(d.rows)) : null;
}

/** Codes and words of column `c` of a chunk, when it is dictionary-coded (only the words are decoded). */
export function chunkDictionaryOf(d: ChunkDesc, c: number, memory: WebAssembly.Memory): ColumnDictionary | undefined {
  const col = d.cols[c]!;
  if (col.kind !== 'dict') return undefined;
  return { codes: new Int32Array(memory.buffer, col.codes, d.rows), words: wordsOf(col, memory) };
}

function gatherValid(valid: Uint8Array | null, sel: ArrayLike<number>, count: number): Uint8Array | null {
  if (valid === null) return null;
  const out = new Uint8Array(bitmapBytes(count));
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    const r = sel[i]!;
    if ((valid[r >> 3]! >> (r & 7)) & 1) out[i >> 3]! |= 1 << (i & 7); else nulls++;
  }
  return nulls > 0 ? out : null;
}

/**
 * Rows `sel[0..count)` of column `c` of a chunk as a new vector (late materialization: only these
 * rows are decoded; fixed-width values are copied out of the shared memory).
 */
export function decodeRows(d: ChunkDesc, c: number, memory: WebAssembly.Memory, sel: ArrayLike<number>, count: number): Vector {
  const col = d.cols[c]!;
  const type = d.types[c]!;
  if (col.kind === 'fixed') return gatherVector(decodeColumnData(d, c, memory), sel, count);
  const buf = memory.buffer;
  const valid = col.valid ? new Uint8Array(buf, col.valid, bitmapBytes(d.rows)) : null;
  const outValid = gatherValid(valid, sel, count);
  if (col.kind === 'dict') {
    const codes = new Int32Array(buf, col.codes, d.rows);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = codes[sel[i]!]!;
    return dictionaryVector(type, out, wordsOf(col, memory), outValid);
  }
  const u8 = new Uint8Array(buf);
  const offs = new Int32Array(buf, col.offsets, d.rows + 1);
  const out = new Array<unknown>(count);
  if (col.kind === 'utf8') {
    for (let i = 0; i < count; i++) { const r = sel[i]!; out[i] = utf8At(u8, col.bytes + offs[r]!, col.bytes + offs[r + 1]!); }
  } else {
    for (let i = 0; i < count; i++) {
      const r = sel[i]!;
      out[i] = valid && !((valid[r >> 3]! >> (r & 7)) & 1) ? null : parseJsonValue(utf8At(u8, col.bytes + offs[r]!, col.bytes + offs[r + 1]!));
    }
  }
  return { type, length: count, data: out as Vector['data'], valid: outValid };
}

/** The gather kernels a thread lends decodeRowsAt (host/wasm/kernel-exports.ts). */
export type GatherKernels = Pick<KernelExports, 'gather_8' | 'gather_16' | 'gather_32' | 'gather_64' | 'gather_bits'>;

/**
 * Rows of fixed-width column `c` of a chunk at the `count` row indices already in shared memory at
 * `sel`, as a new vector: the gather kernels copy the values to `out` and the validity bits to
 * `bits` (scratch of at least count * 8 and count / 8 + 8 bytes), then one copy moves them out of
 * the shared memory. Undefined for a column that is not fixed-width.
 */
export function decodeRowsAt(d: ChunkDesc, c: number, memory: WebAssembly.Memory, k: GatherKernels, sel: number, count: number, out: number, bits: number): Vector | undefined {
  const col = d.cols[c]!;
  if (col.kind !== 'fixed') return undefined;
  const type = d.types[c]!;
  const buf = memory.buffer;
  let data: Vector['data'];
  switch (physicalOf(type)) {
    case 'u8': k.gather_8(col.values, sel, count, out); data = new Uint8Array(buf, out, count).slice(); break;
    case 'i16': k.gather_16(col.values, sel, count, out); data = new Int16Array(buf, out, count).slice(); break;
    case 'i32': k.gather_32(col.values, sel, count, out); data = new Int32Array(buf, out, count).slice(); break;
    case 'f32': k.gather_32(col.values, sel, count, out); data = new Float32Array(buf, out, count).slice(); break;
    case 'i64': k.gather_64(col.values, sel, count, out); data = new BigInt64Array(buf, out, count).slice(); break;
    default: k.gather_64(col.values, sel, count, out); data = new Float64Array(buf, out, count).slice(); break;
  }
  let valid: Uint8Array | null = null;
  if (col.valid && k.gather_bits(col.valid, sel, count, bits) > 0) valid = new Uint8Array(buf, bits, bitmapBytes(count)).slice();
  return { type, length: count, data, valid };
}

function parseJsonValue(s: string): unknown {
  return JSON.parse(s, (_k, x) => (typeof x === 'string' && /^-?\d+n$/.test(x) ? BigInt(x.slice(0, -1)) : x && typeof x === 'object' && 'hex' in x ? new Uint8Array(Buffer.from(x.hex, 'hex')) : x));
}

/** An empty vector for a type (used when a chunk has no rows). */
export function emptyVector(type: SqlType): Vector { return { type, length: 0, data: allocData(type, 0), valid: null }; }
