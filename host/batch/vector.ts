// Column vectors and batches: the unit of data every operator passes to the next (host/exec), whose
// fixed-width buffers are plain typed arrays (on the shared WASM memory when they come from storage
// or a kernel, on the JS heap otherwise) with an Arrow LSB validity bitmap.
import { physicalOf, type Physical, type SqlType } from '../types/sql-type.js';

export type VectorData =
  | Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array
  | string[] | bigint[] | unknown[];

/**
 * One column of a batch. `data[i]` is the internal value of row i (see host/session/api.ts) when
 * the row is valid. `valid` is an Arrow LSB bitmap (bit i set = row i is not NULL), or null when no
 * row is NULL. Numeric columns hold the value times 10^scale, in a BigInt64Array or, when a value
 * does not fit in 64 bits, a bigint[].
 */
export interface Vector {
  readonly type: SqlType;
  readonly length: number;
  readonly data: VectorData;
  readonly valid: Uint8Array | null;
  /**
   * Set on a string vector kept in dictionary form (see dictionaryVector): row i's value is
   * words[codes[i]]. Consumers that understand codes read this and never touch `data`.
   */
  readonly dictionary?: Dictionary;
}

/**
 * The dictionary form of a string vector: one code per row into a list of distinct words. Every
 * code indexes `words`, a NULL row's too (its word is then meaningless); words are exact values
 * (a CHAR column's trailing blanks are kept, so equal SQL values may have two words).
 */
export interface Dictionary {
  readonly codes: Int32Array;
  /** Shared by every vector cut from one dictionary: never modified. */
  readonly words: string[];
}

/**
 * A string vector in dictionary form. Its `data` is decoded to a string array on first access and
 * kept, so a consumer that does not know codes sees an ordinary vector; `data` is an own enumerable
 * property, so a spread copy or a structured clone carries the strings.
 */
export function dictionaryVector(type: SqlType, codes: Int32Array, words: string[], valid: Uint8Array | null): Vector {
  let strings: string[] | null = null;
  return {
    type, length: codes.length, valid, dictionary: { codes, words },
    get data(): VectorData { return (strings ??= wordsAt(codes, words)); },
  };
}

function wordsAt(codes: Int32Array, words: string[]): string[] {
  const n = codes.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = words[codes[i]!]!;
  return out;
}

/** Rows as columns of equal length. */
export interface Batch {
  readonly columns: Vector[];
  readonly length: number;
}

export const EMPTY_BATCH: Batch = { columns: [], length: 0 };

export function isValid(v: Vector, i: number): boolean {
  return v.valid === null || ((v.valid[i >> 3]! >> (i & 7)) & 1) === 1;
}

export function bitmapBytes(n: number): number { return (n + 7) >> 3; }

export function setBit(bits: Uint8Array, i: number): void { bits[i >> 3]! |= 1 << (i & 7); }
export function clearBit(bits: Uint8Array, i: number): void { bits[i >> 3]! &= ~(1 << (i & 7)); }
export function getBit(bits: Uint8Array, i: number): boolean { return ((bits[i >> 3]! >> (i & 7)) & 1) === 1; }

/** An all-valid bitmap of n rows. */
export function allValid(n: number): Uint8Array {
  const b = new Uint8Array(bitmapBytes(n)).fill(0xff);
  return b;
}

/** Allocates the data array a column of `type` needs for n rows. */
export function allocData(type: SqlType, n: number): VectorData {
  return allocPhysical(physicalOf(type), n);
}

export function allocPhysical(p: Physical, n: number): VectorData {
  switch (p) {
    case 'u8': return new Uint8Array(n);
    case 'i16': return new Int16Array(n);
    case 'i32': return new Int32Array(n);
    case 'i64': return new BigInt64Array(n);
    case 'f32': return new Float32Array(n);
    case 'f64': return new Float64Array(n);
    case 'str': return new Array<string>(n).fill('');
    default: return new Array<unknown>(n).fill(null);
  }
}

/** Builds a vector from internal values (null = NULL). */
export function vectorFromValues(type: SqlType, values: readonly unknown[]): Vector {
  const n = values.length;
  const p = physicalOf(type);
  let data = allocPhysical(p, n);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      if (valid === null) valid = allValid(n);
      clearBit(valid, i);
      continue;
    }
    if (p === 'i64' && data instanceof BigInt64Array && (typeof v !== 'bigint' || v > 0x7fffffffffffffffn || v < -0x8000000000000000n)) {
      data = Array.from(data) as bigint[];
    }
    (data as unknown[])[i] = p === 'u8' ? (v ? 1 : 0) : v;
  }
  return { type, length: n, data, valid };
}

/** The internal value of row i, or null. */
export function valueAt(v: Vector, i: number): unknown {
  if (!isValid(v, i)) return null;
  const d = v.data[i];
  if (v.type.id === 'bool') return d === 1 || d === true;
  return d;
}

/** A vector of n copies of one value. */
export function constantVector(type: SqlType, value: unknown, n: number): Vector {
  if (value === null || value === undefined) {
    return { type, length: n, data: allocData(type, n), valid: new Uint8Array(bitmapBytes(n)) };
  }
  const data = allocData(type, n);
  if (physicalOf(type) === 'i64' && typeof value === 'bigint' && (value > 0x7fffffffffffffffn || value < -0x8000000000000000n)) {
    return { type, length: n, data: new Array<bigint>(n).fill(value), valid: null };
  }
  (data as unknown as { fill(v: unknown): void }).fill(type.id === 'bool' ? (value ? 1 : 0) : value);
  return { type, length: n, data, valid: null };
}

/** Rows `sel[0..count)` of v, in that order. */
export function gatherVector(v: Vector, sel: ArrayLike<number>, count: number): Vector {
  const dict = v.dictionary;
  if (dict !== undefined) {
    const codes = new Int32Array(count);
    gather32(dict.codes as unknown as Uint32Array, codes as unknown as Uint32Array, sel, count);
    return dictionaryVector(v.type, codes, dict.words, gatherValid(v.valid, sel, count));
  }
  const src = v.data;
  let data: VectorData;
  if (ArrayBuffer.isView(src)) {
    data = gatherTyped(src as Exclude<VectorData, unknown[]>, sel, count);
  } else {
    const s = src as ArrayLike<unknown>;
    const out = new Array<unknown>(count);
    for (let i = 0; i < count; i++) out[i] = s[sel[i]!];
    data = out as VectorData;
  }
  return { type: v.type, length: count, data, valid: gatherValid(v.valid, sel, count) };
}

/** Bits `sel[0..count)` of a validity bitmap, or null when all of them are set. */
function gatherValid(bits: Uint8Array | null, sel: ArrayLike<number>, count: number): Uint8Array | null {
  if (bits === null) return null;
  let nulls = 0;
  const outBits = new Uint8Array(bitmapBytes(count));
  for (let i = 0; i < count; i++) {
    const r = sel[i]!;
    if ((bits[r >> 3]! >> (r & 7)) & 1) outBits[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return nulls > 0 ? outBits : null;
}

type TypedData = Exclude<VectorData, unknown[]>;

/**
 * Gathers a typed array through unsigned integer views of its bytes, one monomorphic loop per
 * width: reading a BigInt64Array element boxes a BigInt and one shared loop over every array type
 * runs megamorphic, both several times slower than copying the bits.
 */
function gatherTyped(src: TypedData, sel: ArrayLike<number>, count: number): TypedData {
  const Ctor = src.constructor as new (n: number) => TypedData;
  const out = new Ctor(count);
  switch (src.BYTES_PER_ELEMENT) {
    case 1: gather8(src as Uint8Array, out as Uint8Array, sel, count); break;
    case 2: gather16(new Uint16Array(src.buffer, src.byteOffset, src.length), new Uint16Array(out.buffer, 0, count), sel, count); break;
    case 4: gather32(new Uint32Array(src.buffer, src.byteOffset, src.length), new Uint32Array(out.buffer, 0, count), sel, count); break;
    default: gather64(new Uint32Array(src.buffer, src.byteOffset, src.length * 2), new Uint32Array(out.buffer, 0, count * 2), sel, count); break;
  }
  return out;
}

function gather8(s: Uint8Array, o: Uint8Array, sel: ArrayLike<number>, n: number): void { for (let i = 0; i < n; i++) o[i] = s[sel[i]!]!; }
function gather16(s: Uint16Array, o: Uint16Array, sel: ArrayLike<number>, n: number): void { for (let i = 0; i < n; i++) o[i] = s[sel[i]!]!; }
function gather32(s: Uint32Array, o: Uint32Array, sel: ArrayLike<number>, n: number): void { for (let i = 0; i < n; i++) o[i] = s[sel[i]!]!; }
function gather64(s: Uint32Array, o: Uint32Array, sel: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) { const r = sel[i]! * 2; o[2 * i] = s[r]!; o[2 * i + 1] = s[r + 1]!; }
}

export function gatherBatch(b: Batch, sel: ArrayLike<number>, count: number): Batch {
  if (count === b.length) {
    let identity = true;
    for (let i = 0; i < count; i++) if (sel[i] !== i) { identity = false; break; }
    if (identity) return b;
  }
  return { columns: b.columns.map((c) => gatherVector(c, sel, count)), length: count };
}

/** Rows [start, start+count) of v. Typed arrays are viewed, not copied. */
export function sliceVector(v: Vector, start: number, count: number): Vector {
  if (start === 0 && count === v.length) return v;
  const valid = sliceValid(v.valid, start, count);
  const dict = v.dictionary;
  if (dict !== undefined) return dictionaryVector(v.type, dict.codes.subarray(start, start + count), dict.words, valid);
  const d = v.data as unknown as { subarray?: (a: number, b: number) => VectorData; slice: (a: number, b: number) => VectorData };
  const data = d.subarray ? d.subarray(start, start + count) : d.slice(start, start + count);
  return { type: v.type, length: count, data, valid };
}

function sliceValid(bits: Uint8Array | null, start: number, count: number): Uint8Array | null {
  if (bits === null) return null;
  const valid = new Uint8Array(bitmapBytes(count));
  let nulls = 0;
  for (let i = 0; i < count; i++) {
    if (getBit(bits, start + i)) setBit(valid, i); else nulls++;
  }
  return nulls === 0 ? null : valid;
}

export function sliceBatch(b: Batch, start: number, count: number): Batch {
  if (start === 0 && count === b.length) return b;
  return { columns: b.columns.map((c) => sliceVector(c, start, count)), length: count };
}

/** Concatenates vectors of one type. */
export function concatVectors(type: SqlType, parts: readonly Vector[]): Vector {
  if (parts.length === 1) return parts[0]!;
  const coded = concatDictionaries(type, parts);
  if (coded !== null) return coded;
  let n = 0;
  let anyNull = false;
  let wide = false;
  for (const p of parts) { n += p.length; if (p.valid) anyNull = true; if (Array.isArray(p.data) && physicalOf(type) === 'i64') wide = true; }
  const data: VectorData = wide ? new Array<bigint>(n) : allocData(type, n);
  const valid = anyNull ? allValid(n) : null;
  let off = 0;
  for (const p of parts) {
    if (ArrayBuffer.isView(data) && ArrayBuffer.isView(p.data)) {
      (data as Uint8Array).set(p.data as Uint8Array, off);
    } else {
      const d = data as unknown[];
      const s = p.data as ArrayLike<unknown>;
      for (let i = 0; i < p.length; i++) d[off + i] = s[i];
    }
    if (valid && p.valid) {
      for (let i = 0; i < p.length; i++) if (!getBit(p.valid, i)) clearBit(valid, off + i);
    }
    off += p.length;
  }
  return { type, length: n, data, valid };
}

/** Words past which concatenated dictionaries are not merged (the strings are concatenated instead). */
const MERGED_WORDS_MAX = 1 << 16;

/**
 * Concatenates vectors that are all in dictionary form into one, the words of the parts merged
 * (parts sharing one words list, as batches of one chunk do, keep it); null when a part is not
 * coded or the merged words would be many.
 */
function concatDictionaries(type: SqlType, parts: readonly Vector[]): Vector | null {
  let n = 0, sameWords = true;
  const first = parts[0]!.dictionary;
  if (first === undefined) return null;
  for (const p of parts) {
    const d = p.dictionary;
    if (d === undefined) return null;
    if (d.words !== first.words) sameWords = false;
    n += p.length;
  }
  const codes = new Int32Array(n);
  let words: string[] = first.words;
  if (sameWords) {
    let off = 0;
    for (const p of parts) { codes.set(p.dictionary!.codes, off); off += p.length; }
  } else {
    const index = new Map<string, number>();
    const merged: string[] = [];
    const remaps = new Map<string[], Int32Array>();
    let off = 0;
    for (const p of parts) {
      const d = p.dictionary!;
      let remap = remaps.get(d.words);
      if (remap === undefined) {
        remap = new Int32Array(d.words.length);
        for (let k = 0; k < d.words.length; k++) {
          const w = d.words[k]!;
          let c = index.get(w);
          if (c === undefined) { c = merged.length; index.set(w, c); merged.push(w); }
          remap[k] = c;
        }
        if (merged.length > MERGED_WORDS_MAX) return null;
        remaps.set(d.words, remap);
      }
      const src = d.codes;
      for (let i = 0; i < p.length; i++) codes[off + i] = remap[src[i]!]!;
      off += p.length;
    }
    words = merged;
  }
  return dictionaryVector(type, codes, words, concatValid(parts, n));
}

/** The concatenated validity of parts of n rows in all, or null when none has NULLs. */
function concatValid(parts: readonly Vector[], n: number): Uint8Array | null {
  if (!parts.some((p) => p.valid !== null)) return null;
  const valid = allValid(n);
  let off = 0;
  for (const p of parts) {
    if (p.valid) for (let i = 0; i < p.length; i++) if (!getBit(p.valid, i)) clearBit(valid, off + i);
    off += p.length;
  }
  return valid;
}

export function concatBatches(types: readonly SqlType[], batches: readonly Batch[]): Batch {
  const nonEmpty = batches.filter((b) => b.length > 0);
  if (nonEmpty.length === 0) return { columns: types.map((t) => ({ type: t, length: 0, data: allocData(t, 0), valid: null })), length: 0 };
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const columns = types.map((t, c) => concatVectors(t, nonEmpty.map((b) => b.columns[c]!)));
  return { columns, length: columns[0]?.length ?? nonEmpty.reduce((s, b) => s + b.length, 0) };
}

/** An empty batch with the given column types. */
export function emptyBatch(types: readonly SqlType[]): Batch {
  return { columns: types.map((t) => ({ type: t, length: 0, data: allocData(t, 0), valid: null })), length: 0 };
}

/** A batch of rows from internal values, row-major. */
export function batchFromRows(types: readonly SqlType[], rows: readonly (readonly unknown[])[]): Batch {
  const columns = types.map((t, c) => vectorFromValues(t, rows.map((r) => r[c])));
  return { columns, length: rows.length };
}

/** Rows of a batch as arrays of internal values. */
export function batchToRows(b: Batch): unknown[][] {
  const out: unknown[][] = new Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.columns.map((c) => valueAt(c, i));
  return out;
}

/** Replaces a vector's validity (used by operators that compute NULLs). */
export function withValid(v: Vector, valid: Uint8Array | null): Vector {
  if (v.dictionary !== undefined) return dictionaryVector(v.type, v.dictionary.codes, v.dictionary.words, valid);
  return { type: v.type, length: v.length, data: v.data, valid };
}

/**
 * A batch whose typed arrays do not view shared memory (copies where they do). Batches cross
 * between threads this way: posting views of the WASM memory's SharedArrayBuffer failed
 * intermittently under load with "Unable to deserialize cloned data".
 */
export function unshareBatch(b: Batch): Batch {
  let changed = false;
  const columns = b.columns.map((c) => {
    const dict = c.dictionary;
    if (dict !== undefined) {
      const codesShared = dict.codes.buffer instanceof SharedArrayBuffer;
      const validShared = c.valid !== null && c.valid.buffer instanceof SharedArrayBuffer;
      if (!codesShared && !validShared) return c;
      changed = true;
      return dictionaryVector(c.type, codesShared ? dict.codes.slice() : dict.codes, dict.words, validShared ? c.valid!.slice() : c.valid);
    }
    const d = c.data as unknown as ArrayBufferView;
    const dataShared = ArrayBuffer.isView(d) && d.buffer instanceof SharedArrayBuffer;
    const validShared = c.valid !== null && c.valid.buffer instanceof SharedArrayBuffer;
    if (!dataShared && !validShared) return c;
    changed = true;
    return {
      type: c.type, length: c.length,
      data: dataShared ? ((c.data as Uint8Array).slice() as unknown as VectorData) : c.data,
      valid: validShared ? c.valid!.slice() : c.valid,
    };
  });
  return changed ? { columns, length: b.length } : b;
}
