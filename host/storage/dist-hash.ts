// The hash that places a row on a slice (DISTSTYLE KEY) and routes rows in hash exchanges: both use
// this one function, so rows redistributed on a key meet the rows stored by that key. hashColumn
// computes the same hash for a whole column in typed loops (the exchange path, host/cluster).
import type { Vector } from '../batch/vector.js';

function mix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of the integer hi * 2^32 + (lo >>> 0) (|value| < 2^53): its two 32-bit words mixed. */
function hashWords(lo: number, hi: number): number {
  return mix32(lo ^ mix32(hi + 0x9e3779b9));
}

/** A 32-bit hash of an internal value; equal SQL values of one type hash equal. */
export function hashValue(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return hashWords(v | 0, Math.floor(v / 4294967296) | 0);
    return hashString(String(v === 0 ? 0 : v));
  }
  if (typeof v === 'bigint') {
    if (v >= -9007199254740991n && v <= 9007199254740991n) return hashValue(Number(v));
    return hashString(v.toString());
  }
  if (typeof v === 'string') return hashText(v);
  if (typeof v === 'boolean') return v ? TRUE_HASH : FALSE_HASH;
  return hashString(JSON.stringify(v));
}

const TRUE_HASH = mix32(1);
const FALSE_HASH = mix32(2);
/** hashWords' high-word term for the two high words of integers that fit in 32 bits. */
const HI_POSITIVE = mix32(0 + 0x9e3779b9);
const HI_NEGATIVE = mix32(-1 + 0x9e3779b9);

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return mix32(h);
}

/** hashString of the text without its trailing blanks (bpchar comparison semantics), without slicing it. */
function hashText(s: string): number {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  let h = 0x811c9dc5;
  for (let i = 0; i < e; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return mix32(h);
}

export function sliceOf(v: unknown, slices: number): number {
  return hashValue(v) % slices;
}

/**
 * out[i] = hashValue(valueAt(v, i)) for the first n rows, computed per physical layout in one
 * monomorphic loop (no per-row boxing): int2/int4/date words directly, int8/numeric/timestamp
 * through the two 32-bit words of each value, strings over their UTF-16 code units. A NULL row
 * hashes 0, as hashValue(null) does.
 */
export function hashColumn(v: Vector, n: number, out: Uint32Array): void {
  const dict = v.dictionary;
  const d = dict !== undefined ? null : v.data;
  if (dict !== undefined) hashCodedTexts(dict.codes, dict.words, n, out);
  else if (d instanceof Int32Array || d instanceof Int16Array) hashInts(d, n, out);
  else if (d instanceof BigInt64Array) hashInt64s(d, n, out);
  else if (v.type.id === 'bool') { const b = d as ArrayLike<unknown>; for (let i = 0; i < n; i++) out[i] = b[i] === 1 || b[i] === true ? TRUE_HASH : FALSE_HASH; }
  else if (d instanceof Float64Array || d instanceof Float32Array) { for (let i = 0; i < n; i++) out[i] = hashValue(d[i]); }
  else if (Array.isArray(d) && (v.type.id === 'varchar' || v.type.id === 'bpchar' || v.type.id === 'text' || v.type.id === 'name')) hashTexts(d as unknown[], n, out);
  else { const a = d as ArrayLike<unknown>; for (let i = 0; i < n; i++) out[i] = hashValue(a[i]); }
  if (v.valid !== null) {
    const bits = v.valid;
    for (let i = 0; i < n; i++) if (((bits[i >> 3]! >> (i & 7)) & 1) === 0) out[i] = 0;
  }
}

function hashInts(d: Int32Array | Int16Array, n: number, out: Uint32Array): void {
  for (let i = 0; i < n; i++) { const x = d[i]!; out[i] = mix32(x ^ (x < 0 ? HI_NEGATIVE : HI_POSITIVE)); }
}

function hashInt64s(d: BigInt64Array, n: number, out: Uint32Array): void {
  const w = new Int32Array(d.buffer, d.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i]!, hi = w[2 * i + 1]!;
    // |value| <= 2^53 - 1 (hashValue's exact-number range); beyond it the value hashes as its digits.
    if ((hi < 0x200000 && hi > -0x200000) || (hi === -0x200000 && lo !== 0)) out[i] = hashWords(lo, hi);
    else out[i] = hashString(d[i]!.toString());
  }
}

/** Strings in dictionary form (host/batch/vector.ts): each word hashed once, each row through its code. */
function hashCodedTexts(codes: Int32Array, words: readonly string[], n: number, out: Uint32Array): void {
  const byWord = new Uint32Array(words.length);
  for (let k = 0; k < words.length; k++) { const s: unknown = words[k]; byWord[k] = typeof s === 'string' ? hashText(s) : hashValue(s); }
  for (let i = 0; i < n; i++) out[i] = byWord[codes[i]!]!;
}

function hashTexts(d: readonly unknown[], n: number, out: Uint32Array): void {
  for (let i = 0; i < n; i++) { const s = d[i]; out[i] = typeof s === 'string' ? hashText(s) : hashValue(s); }
}
