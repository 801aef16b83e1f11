// jsKernels: the plain-JavaScript reference of every kernel, with the same signatures and results as the WASM
// builds. Tests check the WASM kernels against it and the benchmark uses it as the "plain JS loop" baseline.
// Written for clarity over speed, from the contracts in docs/kernel-abi.md, independently of the AssemblyScript.

import type { KernelExports } from './kernel-exports.js';
import { views, type MemoryViews } from './memory.js';
import { blockDecodeKernels } from '../storage/encoding/lane-decoders.js';

const TWO32 = 4294967296;
const M64 = (1n << 64n) - 1n;

/** PostgreSQL float order (float8_cmp_internal): NaN = NaN, NaN above every number, -0 = 0. */
function pgCmp(a: number, b: number): number {
  const an = a !== a, bn = b !== b;
  if (an || bn) return (an ? 1 : 0) - (bn ? 1 : 0);
  return a > b ? 1 : a < b ? -1 : 0;
}
function cmp3<T extends number | bigint>(a: T, b: T): number {
  return a > b ? 1 : a < b ? -1 : 0;
}
function opHolds(op: number, c: number): boolean {
  switch (op) {
    case 0: return c === 0;
    case 1: return c !== 0;
    case 2: return c < 0;
    case 3: return c <= 0;
    case 4: return c > 0;
    case 5: return c >= 0;
    default: return false;
  }
}

/** Byte-order comparison, then length (C collation). */
function bytesCmp(a: Uint8Array, b: Uint8Array): number {
  const m = Math.min(a.length, b.length);
  for (let i = 0; i < m; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
/** Bytes as a one-char-per-byte string, ASCII letters lowered when folding. */
function latin1(bytes: Uint8Array, fold: boolean): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(fold && b >= 0x41 && b <= 0x5A ? b | 0x20 : b);
  return s;
}
/** A RegExp over latin1(bytes) equivalent to a LIKE pattern: % any run, _ one UTF-8 character. */
function likeRegExp(pat: Uint8Array, escape: number, fold: boolean): RegExp {
  let src = '^';
  for (let i = 0; i < pat.length; i++) {
    let c = pat[i]!;
    if (c === 0x25 && c !== escape) { src += '[\\s\\S]*'; continue; }
    if (c === 0x5F && c !== escape) { src += '[^\\x80-\\xbf][\\x80-\\xbf]*(?![\\x80-\\xbf])'; continue; }
    if (c === escape && i + 1 < pat.length) c = pat[++i]!;
    if (fold && c >= 0x41 && c <= 0x5A) c |= 0x20;
    src += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return new RegExp(src + '$');
}

// Calendar via the JS Date object (proleptic Gregorian, astronomical years; exact within +-10^8 days).
const DAY_MS = 86400000;
const DAY_US = 86400000000n;
function ymd(days: number): { y: number; m: number; d: number; dow: number } {
  const t = new Date(days * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), dow: t.getUTCDay() };
}
function daysOf(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / DAY_MS);
}
const pgYear = (y: number): number => (y <= 0 ? y - 1 : y);
function datePart(field: number, days: number): number {
  const c = ymd(days);
  switch (field) {
    case 0: return pgYear(c.y);
    case 1: return c.m;
    case 2: return c.d;
    case 3: return c.dow;
    case 4: return days - daysOf(c.y, 1, 1) + 1;
    case 5: return Math.floor((c.m - 1) / 3) + 1;
    case 6: return c.dow === 0 ? 7 : c.dow;
    case 10: case 11: {
      const thursday = days - ((c.dow + 6) % 7) + 3;
      const ty = ymd(thursday).y;
      return field === 11 ? pgYear(ty) : Math.floor((thursday - daysOf(ty, 1, 1)) / 7) + 1;
    }
    default: return 0;
  }
}
function dateTrunc(field: number, days: number): number {
  const c = ymd(days);
  switch (field) {
    case 0: return daysOf(c.y, 1, 1);
    case 1: return daysOf(c.y, Math.floor((c.m - 1) / 3) * 3 + 1, 1);
    case 2: return daysOf(c.y, c.m, 1);
    case 3: return days - ((c.dow + 6) % 7);
    default: return days;
  }
}
function floorDivBig(x: bigint, d: bigint): bigint {
  const q = x / d;
  return q * d > x ? q - 1n : q;
}

export function jsKernels(memory: WebAssembly.Memory): KernelExports {
  const V = (): MemoryViews => views(memory);
  const bit = (u8: Uint8Array, valid: number, r: number): number => (u8[valid + (r >>> 3)]! >>> (r & 7)) & 1;
  const isValid = (u8: Uint8Array, valid: number, r: number): boolean => valid === 0 || bit(u8, valid, r) === 1;
  type Arr = Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

  /** Shared selection loop: rows [0, n) or selIn[0..nSelIn), kept when `test(row)` and not null. */
  function select(valid: number, n: number, selIn: number, nSelIn: number, selOut: number, test: (r: number) => boolean): number {
    const { u8, i32 } = V();
    const m = selIn !== 0 ? nSelIn : n;
    const si = selIn >>> 2, so = selOut >>> 2;
    let cnt = 0;
    for (let j = 0; j < m; j++) {
      const r = selIn !== 0 ? i32[si + j]! : j;
      if (test(r) && isValid(u8, valid, r)) i32[so + cnt++] = r;
    }
    return cnt;
  }

  function cmpConst(arr: Arr, shift: number, op: number, col: number, valid: number, n: number, k: number | bigint,
    selIn: number, nSelIn: number, selOut: number, float: boolean): number {
    const base = col >>> shift;
    if (!float && selIn === 0 && valid === 0) return cmpDense(arr as Int32Array, base, op, n, k as number, selOut);
    if (float) return select(valid, n, selIn, nSelIn, selOut, (r) => opHolds(op, pgCmp(arr[base + r] as number, k as number)));
    return select(valid, n, selIn, nSelIn, selOut, (r) => opHolds(op, cmp3(arr[base + r]!, k)));
  }
  /** The common case as the plain loops a JS engine would use: no nulls, no input selection, integers. */
  function cmpDense(arr: Int32Array, base: number, op: number, n: number, k: number, selOut: number): number {
    const out = V().i32, so = selOut >>> 2;
    let c = 0;
    switch (op) {
      case 0: for (let r = 0; r < n; r++) if (arr[base + r] === k) out[so + c++] = r; break;
      case 1: for (let r = 0; r < n; r++) if (arr[base + r] !== k) out[so + c++] = r; break;
      case 2: for (let r = 0; r < n; r++) if (arr[base + r]! < k) out[so + c++] = r; break;
      case 3: for (let r = 0; r < n; r++) if (arr[base + r]! <= k) out[so + c++] = r; break;
      case 4: for (let r = 0; r < n; r++) if (arr[base + r]! > k) out[so + c++] = r; break;
      case 5: for (let r = 0; r < n; r++) if (arr[base + r]! >= k) out[so + c++] = r; break;
    }
    return c;
  }
  function cmpCol(arr: Arr, shift: number, op: number, a: number, aValid: number, b: number, bValid: number, n: number,
    selIn: number, nSelIn: number, selOut: number, float: boolean): number {
    const { u8 } = V();
    const ba = a >>> shift, bb = b >>> shift;
    return select(0, n, selIn, nSelIn, selOut, (r) => isValid(u8, aValid, r) && isValid(u8, bValid, r) &&
      opHolds(op, float ? pgCmp(arr[ba + r] as number, arr[bb + r] as number) : cmp3(arr[ba + r]!, arr[bb + r]!)));
  }
  function between(arr: Arr, shift: number, col: number, valid: number, n: number, lo: number | bigint, hi: number | bigint,
    selIn: number, nSelIn: number, selOut: number, float: boolean): number {
    const base = col >>> shift;
    if (float) return select(valid, n, selIn, nSelIn, selOut, (r) => pgCmp(arr[base + r] as number, lo as number) >= 0 && pgCmp(arr[base + r] as number, hi as number) <= 0);
    return select(valid, n, selIn, nSelIn, selOut, (r) => arr[base + r]! >= lo && arr[base + r]! <= hi);
  }

  function inList(arr: Arr, shift: number, col: number, valid: number, n: number, list: number, nl: number, si: number, ns: number, so: number): number {
    const values = Array.from(arr.subarray(list >>> shift, (list >>> shift) + nl) as ArrayLike<number | bigint>);
    const base = col >>> shift;
    return select(valid, n, si, ns, so, (r) => values.some((y) => { const x = arr[base + r]!; return x === y || (x !== x && y !== y); }));
  }
  /**
   * A run-time filter descriptor (docs/kernel-abi.md filter_runtime_*) tested on key x as a double: the
   * range, then the bitmap bit at x - min or the three bloom bits of h = x * 0x9e3779b97f4a7c15 mod 2^64, all in
   * the u64 word that bits 44-63 of h pick (bits 20-25, 26-31 and 32-37 pick the bits).
   */
  function runtimeHolds(filt: number, x: number): boolean {
    const { u8 } = V();
    const dv = new DataView(u8.buffer, filt, 48);
    const min = dv.getFloat64(16, true), max = dv.getFloat64(24, true);
    if (!(x >= min && x <= max)) return false;
    const mode = dv.getInt32(32, true), mask = dv.getUint32(36, true), words = dv.getUint32(40, true);
    const bitSet = (b: number): boolean => ((u8[words + Math.floor(b / 8)]! >> (b % 8)) & 1) === 1;
    if (mode === 1) return bitSet(x - min);
    if (mode !== 2) return true;
    // the key's 64 bits as the host takes them (low word x mod 2^32, high word floor(x / 2^32)), times the multiplier
    const hi = Math.floor(x / TWO32), lo = x - hi * TWO32;
    const key = (BigInt.asUintN(32, BigInt(hi)) << 32n) | BigInt(lo);
    const h = BigInt.asUintN(64, key * 0x9e3779b97f4a7c15n);
    const field = (at: bigint, width: bigint): number => Number((h >> at) & ((1n << width) - 1n));
    const word = (field(44n, 20n) & mask) * 64;
    return bitSet(word + field(20n, 6n)) && bitSet(word + field(26n, 6n)) && bitSet(word + field(32n, 6n));
  }
  function runtimeFilter(arr: Int16Array | Int32Array | BigInt64Array, shift: number, col: number, valid: number, n: number, filt: number,
    selIn: number, nSelIn: number, selOut: number): number {
    const base = col >>> shift;
    return select(valid, n, selIn, nSelIn, selOut, (r) => runtimeHolds(filt, Number(arr[base + r]!)));
  }

  /** Writes mask[r] = 1 where `test(r)` holds and row r is not null, else 0, for r in [0, n). */
  function maskOf(valid: number, n: number, out: number, test: (r: number) => boolean): void {
    const { u8 } = V();
    for (let r = 0; r < n; r++) u8[out + r] = test(r) && isValid(u8, valid, r) ? 1 : 0;
  }
  function maskCmp(arr: Arr, shift: number, op: number, col: number, valid: number, n: number, k: number | bigint, out: number, float: boolean): void {
    const base = col >>> shift;
    maskOf(valid, n, out, (r) => opHolds(op, float ? pgCmp(arr[base + r] as number, k as number) : cmp3(arr[base + r]!, k)));
  }
  function maskBetween(arr: Arr, shift: number, col: number, valid: number, n: number, lo: number | bigint, hi: number | bigint, out: number, float: boolean): void {
    const base = col >>> shift;
    maskOf(valid, n, out, (r) => (float
      ? pgCmp(arr[base + r] as number, lo as number) >= 0 && pgCmp(arr[base + r] as number, hi as number) <= 0
      : arr[base + r]! >= lo && arr[base + r]! <= hi));
  }

  /** Runs an integer binary op row by row; `f` returns [stored value, failed]. */
  function intOp<T extends number | bigint>(get: (i: number) => T, put: (i: number, v: T) => void, n: number, valid: number,
    f: (i: number, x: T) => [T, boolean]): number {
    const { u8 } = V();
    let first = 0;
    for (let i = 0; i < n; i++) {
      const [v, bad] = f(i, get(i));
      put(i, v);
      if (bad && first === 0 && isValid(u8, valid, i)) first = i + 1;
    }
    return first;
  }
  function i32Op(op: number, a: number, bOrK: number, isConst: boolean, out: number, valid: number, n: number): number {
    const { i32 } = V();
    const ba = a >>> 2, bb = bOrK >>> 2, bo = out >>> 2;
    return intOp<number>((i) => i32[ba + i]!, (i, v) => { i32[bo + i] = v; }, n, valid, (i, x) => {
      const y = isConst ? bOrK : i32[bb + i]!;
      let exact: number;
      switch (op) {
        case 0: exact = x + y; break;
        case 1: exact = x - y; break;
        case 2: return [Math.imul(x, y), x * y !== (Math.imul(x, y))];
        case 3: exact = y - x; break;
        case 4: if (y === 0) return [x, true]; if (y === -1) return [-x | 0, x === -2147483648]; return [Math.trunc(x / y) | 0, false];
        default: if (y === 0) return [0, true]; if (y === -1) return [0, false]; return [(x % y) | 0, false];
      }
      return [exact | 0, exact !== (exact | 0)];
    });
  }
  function i64Op(op: number, a: number, bOrK: number | bigint, isConst: boolean, out: number, valid: number, n: number): number {
    const { i64 } = V();
    const ba = a >>> 3, bb = (isConst ? 0 : (bOrK as number)) >>> 3, bo = out >>> 3;
    return intOp<bigint>((i) => i64[ba + i]!, (i, v) => { i64[bo + i] = v; }, n, valid, (i, x) => {
      const y = isConst ? (bOrK as bigint) : i64[bb + i]!;
      let exact: bigint;
      switch (op) {
        case 0: exact = x + y; break;
        case 1: exact = x - y; break;
        case 2: exact = x * y; break;
        case 3: exact = y - x; break;
        case 4: if (y === 0n) return [x, true]; exact = x / y; break;
        default: if (y === 0n) return [0n, true]; if (y === -1n) return [0n, false]; return [x % y, false];
      }
      const v = BigInt.asIntN(64, exact);
      return [v, v !== exact];
    });
  }
  function f64Op(op: number, a: number, b: number, k: number, out: number, n: number): void {
    const { f64 } = V();
    const ba = a >>> 3, bb = b >>> 3, bo = out >>> 3;
    for (let i = 0; i < n; i++) {
      const x = f64[ba + i]!, y = b !== 0 ? f64[bb + i]! : k;
      f64[bo + i] = op === 0 ? x + y : op === 1 ? x - y : op === 2 ? x * y : op === 3 ? y - x : x / y;
    }
  }

  function roundHalfAway(x: number): number {
    const t = Math.trunc(x), d = x - t;
    return d >= 0.5 ? t + 1 : d <= -0.5 ? t - 1 : t;
  }

  // u64 helpers over (lo, hi) u32 words, little-endian in memory.
  const f64Scratch = new Float64Array(1), u32Scratch = new Uint32Array(f64Scratch.buffer);
  /** Writes the order key of a double (NaN greatest, -0 = 0) as two u32 words into out[0], out[1]. */
  function floatKey(x: number, out: Uint32Array, at: number): void {
    if (x !== x) { out[at] = 0xFFFFFFFF; out[at + 1] = 0xFFFFFFFF; return; }
    f64Scratch[0] = x + 0;
    const lo = u32Scratch[0]!, hi = u32Scratch[1]!;
    if (hi >>> 31) { out[at] = ~lo >>> 0; out[at + 1] = ~hi >>> 0; } else { out[at] = lo; out[at + 1] = (hi | 0x80000000) >>> 0; }
  }
  /** Writes the 64-bit two's complement of integer x (a number in i32 range or a bigint). */
  function intWords(x: number | bigint, out: Uint32Array, at: number): void {
    if (typeof x === 'number') { out[at] = x >>> 0; out[at + 1] = x < 0 ? 0xFFFFFFFF : 0; return; }
    const u = BigInt.asUintN(64, x);
    out[at] = Number(u & 0xFFFFFFFFn); out[at + 1] = Number(u >> 32n);
  }
  const tmpWords = new Uint32Array(2);
  function colValue(kind: string, v: MemoryViews, col: number, i: number): number | bigint {
    switch (kind) {
      case 'i16': return v.i16[(col >>> 1) + i]!;
      case 'i32': return v.i32[(col >>> 2) + i]!;
      case 'i64': return v.i64[(col >>> 3) + i]!;
      case 'f32': return v.f32[(col >>> 2) + i]!;
      default: return v.f64[(col >>> 3) + i]!;
    }
  }
  function keyNorm(kind: string, col: number, valid: number, n: number, keys: number, width: number, word: number, desc: number, nullsFirst: number): void {
    const v = V();
    for (let i = 0; i < n; i++) {
      const at = (keys >>> 2) + (i * width + word) * 2;
      if (!isValid(v.u8, valid, i)) { const w = nullsFirst ? 0 : 0xFFFFFFFF; v.u32[at] = w; v.u32[at + 1] = w; continue; }
      const x = colValue(kind, v, col, i);
      if (kind[0] === 'f') floatKey(x as number, tmpWords, 0);
      else { intWords(x, tmpWords, 0); tmpWords[1] = (tmpWords[1]! ^ 0x80000000) >>> 0; }
      v.u32[at] = desc ? ~tmpWords[0]! >>> 0 : tmpWords[0]!;
      v.u32[at + 1] = desc ? ~tmpWords[1]! >>> 0 : tmpWords[1]!;
    }
  }
  function keyPut(kind: string, col: number, n: number, keys: number, width: number, word: number): void {
    const v = V();
    for (let i = 0; i < n; i++) {
      const at = (keys >>> 2) + (i * width + word) * 2;
      const x = colValue(kind, v, col, i);
      if (kind[0] === 'f') floatKey(x as number, v.u32, at); else intWords(x, v.u32, at);
    }
  }

  // XXH64 lane round and avalanche, in BigInt.
  const P1 = 0x9E3779B185EBCA87n, P2 = 0xC2B2AE3D27D4EB4Fn, P3 = 0x165667B19E3779F9n, P4 = 0x85EBCA77C2B2AE63n, P5 = 0x27D4EB2F165667C5n;
  const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M64;
  const lane = (h: bigint, w: bigint): bigint => {
    h ^= (rotl((w * P2) & M64, 31n) * P1) & M64;
    return (rotl(h, 27n) * P1 + P4) & M64;
  };
  const avalanche = (h: bigint): bigint => {
    h ^= h >> 33n; h = (h * P2) & M64;
    h ^= h >> 29n; h = (h * P3) & M64;
    return h ^ (h >> 32n);
  };

  /** Key rows a and b (row numbers into possibly different key arrays) are equal word for word. */
  function rowsEqual(u32: Uint32Array, ka: number, ra: number, kb: number, rb: number, width: number): boolean {
    const a = (ka >>> 2) + ra * width * 2, b = (kb >>> 2) + rb * width * 2;
    for (let w = 0; w < width * 2; w++) if (u32[a + w] !== u32[b + w]) return false;
    return true;
  }
  /** The two bloom bit positions (0..63 in the word) of a hash whose high 32 bits are hi: hash bits 52..57 and 58..63. */
  function bloomBitsOf(hi: number): [number, number] { return [(hi >>> 20) & 63, hi >>> 26]; }
  /** Whether the bloom (0: none) may hold probe row p's hash (join_bloom_build's word and bits). */
  function bloomMay(u32: Uint32Array, bloom: number, bmask: number, phashes: number, p: number): boolean {
    if (bloom === 0) return true;
    const hi = u32[(phashes >>> 2) + 2 * p + 1]!;
    const w = (bloom >>> 2) + 2 * (hi & bmask);
    for (const bit of bloomBitsOf(hi)) if (((u32[w + (bit >>> 5)]! >>> (bit & 31)) & 1) === 0) return false;
    return true;
  }
  function sameHash(u32: Uint32Array, ha: number, ra: number, hb: number, rb: number): boolean {
    return u32[(ha >>> 2) + ra * 2] === u32[(hb >>> 2) + rb * 2] && u32[(ha >>> 2) + ra * 2 + 1] === u32[(hb >>> 2) + rb * 2 + 1];
  }
  function cmpRows(u32: Uint32Array, keys: number, width: number, a: number, b: number): number {
    const pa = (keys >>> 2) + a * width * 2, pb = (keys >>> 2) + b * width * 2;
    for (let w = 0; w < width; w++) {
      const ah = u32[pa + 2 * w + 1]!, bh = u32[pb + 2 * w + 1]!;
      if (ah !== bh) return ah < bh ? -1 : 1;
      const al = u32[pa + 2 * w]!, bl = u32[pb + 2 * w]!;
      if (al !== bl) return al < bl ? -1 : 1;
    }
    return 0;
  }
  /** Adds the i32-range number v to the i64 at u32 word index `at` (lo, hi). */
  function addI64(u32: Uint32Array, at: number, v: number): void {
    const s = u32[at]! + v;
    const carry = Math.floor(s / TWO32);
    u32[at] = s - carry * TWO32;
    u32[at + 1] = (u32[at + 1]! + carry) >>> 0;
  }
  function minMax(kind: 'i32' | 'i64' | 'f64', max: boolean, gids: number, vals: number, valid: number, n: number, acc: number, seen: number): void {
    const v = V();
    const arr: Arr = kind === 'i32' ? v.i32 : kind === 'i64' ? v.i64 : v.f64;
    const sh = kind === 'i32' ? 2 : 3;
    for (let i = 0; i < n; i++) {
      if (!isValid(v.u8, valid, i)) continue;
      const g = v.i32[(gids >>> 2) + i]!;
      const x = arr[(vals >>> sh) + i]!, cur = arr[(acc >>> sh) + g]!;
      const c = kind === 'f64' ? pgCmp(x as number, cur as number) : cmp3(x, cur);
      if (v.u8[seen + g] === 0 || (max ? c > 0 : c < 0)) { arr[(acc >>> sh) + g] = x; v.u8[seen + g] = 1; }
    }
  }
  function read128(i64: BigInt64Array, at: number): bigint {
    return (i64[at + 1]! << 64n) + BigInt.asUintN(64, i64[at]!);
  }
  function write128(i64: BigInt64Array, at: number, v: bigint): void {
    i64[at] = BigInt.asIntN(64, v);
    i64[at + 1] = BigInt.asIntN(64, v >> 64n);
  }

  const k: KernelExports = {
    kernels_init() {},
    kernels_abi_version: () => 1,

    filter_cmp_i16: (op, col, valid, n, kk, si, ns, so) => cmpConst(V().i16, 1, op, col, valid, n, kk, si, ns, so, false),
    filter_cmp_i32: (op, col, valid, n, kk, si, ns, so) => cmpConst(V().i32, 2, op, col, valid, n, kk, si, ns, so, false),
    filter_cmp_i64: (op, col, valid, n, kk, si, ns, so) => cmpConst(V().i64, 3, op, col, valid, n, kk, si, ns, so, false),
    filter_cmp_f32: (op, col, valid, n, kk, si, ns, so) => cmpConst(V().f32, 2, op, col, valid, n, kk, si, ns, so, true),
    filter_cmp_f64: (op, col, valid, n, kk, si, ns, so) => cmpConst(V().f64, 3, op, col, valid, n, kk, si, ns, so, true),
    filter_cmp_col_i16: (op, a, av, b, bv, n, si, ns, so) => cmpCol(V().i16, 1, op, a, av, b, bv, n, si, ns, so, false),
    filter_cmp_col_i32: (op, a, av, b, bv, n, si, ns, so) => cmpCol(V().i32, 2, op, a, av, b, bv, n, si, ns, so, false),
    filter_cmp_col_i64: (op, a, av, b, bv, n, si, ns, so) => cmpCol(V().i64, 3, op, a, av, b, bv, n, si, ns, so, false),
    filter_cmp_col_f32: (op, a, av, b, bv, n, si, ns, so) => cmpCol(V().f32, 2, op, a, av, b, bv, n, si, ns, so, true),
    filter_cmp_col_f64: (op, a, av, b, bv, n, si, ns, so) => cmpCol(V().f64, 3, op, a, av, b, bv, n, si, ns, so, true),
    filter_between_i16: (col, valid, n, lo, hi, si, ns, so) => between(V().i16, 1, col, valid, n, lo, hi, si, ns, so, false),
    filter_between_i32: (col, valid, n, lo, hi, si, ns, so) => between(V().i32, 2, col, valid, n, lo, hi, si, ns, so, false),
    filter_between_i64: (col, valid, n, lo, hi, si, ns, so) => between(V().i64, 3, col, valid, n, lo, hi, si, ns, so, false),
    filter_between_f32: (col, valid, n, lo, hi, si, ns, so) => between(V().f32, 2, col, valid, n, lo, hi, si, ns, so, true),
    filter_between_f64: (col, valid, n, lo, hi, si, ns, so) => between(V().f64, 3, col, valid, n, lo, hi, si, ns, so, true),
    filter_in_i16: (col, valid, n, list, nl, si, ns, so) => inList(V().i16, 1, col, valid, n, list, nl, si, ns, so),
    filter_in_i32: (col, valid, n, list, nl, si, ns, so) => inList(V().i32, 2, col, valid, n, list, nl, si, ns, so),
    filter_in_i64: (col, valid, n, list, nl, si, ns, so) => inList(V().i64, 3, col, valid, n, list, nl, si, ns, so),
    filter_in_f64: (col, valid, n, list, nl, si, ns, so) => inList(V().f64, 3, col, valid, n, list, nl, si, ns, so),
    filter_runtime_i16: (col, valid, n, filt, si, ns, so) => runtimeFilter(V().i16, 1, col, valid, n, filt, si, ns, so),
    filter_runtime_i32: (col, valid, n, filt, si, ns, so) => runtimeFilter(V().i32, 2, col, valid, n, filt, si, ns, so),
    filter_runtime_i64: (col, valid, n, filt, si, ns, so) => runtimeFilter(V().i64, 3, col, valid, n, filt, si, ns, so),
    filter_codes: (codes, valid, n, pass, nullPass, si, ns, so) => {
      // rows are chosen by the word byte of their code; a NULL row by nullPass (select() would drop it)
      const { u8, i32 } = V();
      const m = si !== 0 ? ns : n;
      let cnt = 0;
      for (let j = 0; j < m; j++) {
        const r = si !== 0 ? i32[(si >>> 2) + j]! : j;
        const ok = isValid(u8, valid, r) ? u8[pass + i32[(codes >>> 2) + r]!] === 1 : nullPass === 1;
        if (ok) i32[(so >>> 2) + cnt++] = r;
      }
      return cnt;
    },
    filter_mask: (mask, valid, n, si, ns, so) => { const u8 = V().u8; return select(valid, n, si, ns, so, (r) => u8[mask + r] !== 0); },

    mask_cmp_i16: (op, col, valid, n, kk, out) => maskCmp(V().i16, 1, op, col, valid, n, kk, out, false),
    mask_cmp_i32: (op, col, valid, n, kk, out) => maskCmp(V().i32, 2, op, col, valid, n, kk, out, false),
    mask_cmp_i64: (op, col, valid, n, kk, out) => maskCmp(V().i64, 3, op, col, valid, n, kk, out, false),
    mask_cmp_f32: (op, col, valid, n, kk, out) => maskCmp(V().f32, 2, op, col, valid, n, kk, out, true),
    mask_cmp_f64: (op, col, valid, n, kk, out) => maskCmp(V().f64, 3, op, col, valid, n, kk, out, true),
    mask_between_i16: (col, valid, n, lo, hi, out) => maskBetween(V().i16, 1, col, valid, n, lo, hi, out, false),
    mask_between_i32: (col, valid, n, lo, hi, out) => maskBetween(V().i32, 2, col, valid, n, lo, hi, out, false),
    mask_between_i64: (col, valid, n, lo, hi, out) => maskBetween(V().i64, 3, col, valid, n, lo, hi, out, false),
    mask_between_f32: (col, valid, n, lo, hi, out) => maskBetween(V().f32, 2, col, valid, n, lo, hi, out, true),
    mask_between_f64: (col, valid, n, lo, hi, out) => maskBetween(V().f64, 3, col, valid, n, lo, hi, out, true),
    mask_and(a, b, out, n) { const { u8 } = V(); for (let i = 0; i < n; i++) u8[out + i] = u8[a + i]! & u8[b + i]!; },
    mask_or(a, b, out, n) { const { u8 } = V(); for (let i = 0; i < n; i++) u8[out + i] = u8[a + i]! | u8[b + i]!; },
    mask_not(a, out, n) { const { u8 } = V(); for (let i = 0; i < n; i++) u8[out + i] = u8[a + i]! ^ 1; },

    gather_8(src, sel, n, out) { const { u8, i32 } = V(); for (let i = 0; i < n; i++) u8[out + i] = u8[src + i32[(sel >>> 2) + i]!]!; },
    gather_16(src, sel, n, out) { const { u16, i32 } = V(); for (let i = 0; i < n; i++) u16[(out >>> 1) + i] = u16[(src >>> 1) + i32[(sel >>> 2) + i]!]!; },
    gather_32(src, sel, n, out) { const { u32, i32 } = V(); for (let i = 0; i < n; i++) u32[(out >>> 2) + i] = u32[(src >>> 2) + i32[(sel >>> 2) + i]!]!; },
    gather_64(src, sel, n, out) {
      const { u32, i32 } = V();
      for (let i = 0; i < n; i++) { const s = (src >>> 2) + 2 * i32[(sel >>> 2) + i]!, o = (out >>> 2) + 2 * i; u32[o] = u32[s]!; u32[o + 1] = u32[s + 1]!; }
    },
    gather_bits(validSrc, sel, n, validOut) {
      const { u8, i32 } = V();
      u8.fill(0, validOut, validOut + ((n + 7) >>> 3));
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const b = validSrc === 0 ? 1 : bit(u8, validSrc, i32[(sel >>> 2) + i]!);
        if (b) u8[validOut + (i >>> 3)] |= 1 << (i & 7); else nulls++;
      }
      return nulls;
    },
    bitmap_and(a, b, out, nbits) {
      if (nbits <= 0) return;
      const { u8 } = V();
      const nbytes = (nbits + 7) >>> 3;
      for (let i = 0; i < nbytes; i++) u8[out + i] = (a !== 0 ? u8[a + i]! : 0xFF) & (b !== 0 ? u8[b + i]! : 0xFF);
      if (nbits & 7) u8[out + nbytes - 1] &= (1 << (nbits & 7)) - 1;
    },
    bitmap_count(a, nbits) {
      if (nbits <= 0) return 0;
      if (a === 0) return nbits;
      const { u8 } = V();
      let c = 0;
      for (let i = 0; i < nbits; i++) c += bit(u8, a, i);
      return c;
    },

    arith_add_i32: (a, b, out, valid, n) => i32Op(0, a, b, false, out, valid, n),
    arith_sub_i32: (a, b, out, valid, n) => i32Op(1, a, b, false, out, valid, n),
    arith_mul_i32: (a, b, out, valid, n) => i32Op(2, a, b, false, out, valid, n),
    arith_div_i32: (a, b, out, valid, n) => i32Op(4, a, b, false, out, valid, n),
    arith_mod_i32: (a, b, out, valid, n) => i32Op(5, a, b, false, out, valid, n),
    arith_add_i64: (a, b, out, valid, n) => i64Op(0, a, b, false, out, valid, n),
    arith_sub_i64: (a, b, out, valid, n) => i64Op(1, a, b, false, out, valid, n),
    arith_mul_i64: (a, b, out, valid, n) => i64Op(2, a, b, false, out, valid, n),
    arith_div_i64: (a, b, out, valid, n) => i64Op(4, a, b, false, out, valid, n),
    arith_mod_i64: (a, b, out, valid, n) => i64Op(5, a, b, false, out, valid, n),
    arith_add_const_i32: (a, kk, out, valid, n) => i32Op(0, a, kk, true, out, valid, n),
    arith_sub_const_i32: (a, kk, out, valid, n) => i32Op(1, a, kk, true, out, valid, n),
    arith_mul_const_i32: (a, kk, out, valid, n) => i32Op(2, a, kk, true, out, valid, n),
    arith_rsub_const_i32: (a, kk, out, valid, n) => i32Op(3, a, kk, true, out, valid, n),
    arith_div_const_i32: (a, kk, out, valid, n) => i32Op(4, a, kk, true, out, valid, n),
    arith_mod_const_i32: (a, kk, out, valid, n) => i32Op(5, a, kk, true, out, valid, n),
    arith_add_const_i64: (a, kk, out, valid, n) => i64Op(0, a, kk, true, out, valid, n),
    arith_sub_const_i64: (a, kk, out, valid, n) => i64Op(1, a, kk, true, out, valid, n),
    arith_mul_const_i64: (a, kk, out, valid, n) => i64Op(2, a, kk, true, out, valid, n),
    arith_rsub_const_i64: (a, kk, out, valid, n) => i64Op(3, a, kk, true, out, valid, n),
    arith_div_const_i64: (a, kk, out, valid, n) => i64Op(4, a, kk, true, out, valid, n),
    arith_mod_const_i64: (a, kk, out, valid, n) => i64Op(5, a, kk, true, out, valid, n),
    arith_add_f64: (a, b, out, n) => f64Op(0, a, b, 0, out, n),
    arith_sub_f64: (a, b, out, n) => f64Op(1, a, b, 0, out, n),
    arith_mul_f64: (a, b, out, n) => f64Op(2, a, b, 0, out, n),
    arith_add_const_f64: (a, kk, out, n) => f64Op(0, a, 0, kk, out, n),
    arith_sub_const_f64: (a, kk, out, n) => f64Op(1, a, 0, kk, out, n),
    arith_mul_const_f64: (a, kk, out, n) => f64Op(2, a, 0, kk, out, n),
    arith_rsub_const_f64: (a, kk, out, n) => f64Op(3, a, 0, kk, out, n),
    arith_div_const_f64: (a, kk, out, n) => f64Op(4, a, 0, kk, out, n),
    arith_div_f64(a, b, out, valid, n) {
      f64Op(4, a, b, 0, out, n);
      const { f64, u8 } = V();
      for (let i = 0; i < n; i++) if (f64[(b >>> 3) + i] === 0 && isValid(u8, valid, i)) return i + 1;
      return 0;
    },
    dec_rescale_up_i64(a, out, n, pow10, valid = 0) {
      const { i64 } = V();
      return intOp<bigint>((i) => i64[(a >>> 3) + i]!, (i, v) => { i64[(out >>> 3) + i] = v; }, n, valid, (_i, x) => {
        const exact = x * pow10, v = BigInt.asIntN(64, exact);
        return [v, v !== exact];
      });
    },
    dec_div_i64(a, b, out, valid, n, pow10) {
      const { i64 } = V();
      const p = pow10 <= 0n ? 1n : pow10;
      return intOp<bigint>((i) => i64[(a >>> 3) + i]!, (i, v) => { i64[(out >>> 3) + i] = v; }, n, valid, (i, x) => {
        const y = i64[(b >>> 3) + i]!;
        if (y === 0n) return [0n, true];
        const num = x * p, ax = num < 0n ? -num : num, ay = y < 0n ? -y : y;
        let q = ax / ay;
        if (2n * (ax % ay) >= ay) q++;
        const v = (num < 0n) !== (y < 0n) ? -q : q;
        return BigInt.asIntN(64, v) === v ? [v, false] : [0n, true];
      });
    },
    dec_rescale_down_i64(a, out, n, pow10) {
      const { i64 } = V();
      const p = pow10 <= 0n ? 1n : pow10;
      for (let i = 0; i < n; i++) {
        const x = i64[(a >>> 3) + i]!;
        const q = x / p, r = x % p, ar = r < 0n ? -r : r;
        i64[(out >>> 3) + i] = 2n * ar >= p ? q + (x < 0n ? -1n : 1n) : q;
      }
    },

    cast_i16_i32(a, out, n) { const v = V(); for (let i = 0; i < n; i++) v.i32[(out >>> 2) + i] = v.i16[(a >>> 1) + i]!; },
    cast_i32_i64(a, out, n) { const v = V(); for (let i = 0; i < n; i++) v.i64[(out >>> 3) + i] = BigInt(v.i32[(a >>> 2) + i]!); },
    cast_i32_f64(a, out, n) { const v = V(); for (let i = 0; i < n; i++) v.f64[(out >>> 3) + i] = v.i32[(a >>> 2) + i]!; },
    cast_i64_f64(a, out, n) { const v = V(); for (let i = 0; i < n; i++) v.f64[(out >>> 3) + i] = Number(v.i64[(a >>> 3) + i]!); },
    cast_f32_f64(a, out, n) { const v = V(); for (let i = 0; i < n; i++) v.f64[(out >>> 3) + i] = v.f32[(a >>> 2) + i]!; },
    cast_f64_f32(a, out, n) { const v = V(); for (let i = 0; i < n; i++) v.f32[(out >>> 2) + i] = v.f64[(a >>> 3) + i]!; },
    cast_f64_i64(a, out, valid, n) {
      const v = V();
      return intOp<bigint>((i) => BigInt(0) + BigInt(i), (i, x) => { v.i64[(out >>> 3) + i] = x; }, n, valid, (i) => {
        const r = roundHalfAway(v.f64[(a >>> 3) + i]!);
        const ok = r >= -9223372036854775808 && r < 9223372036854775808;
        return [ok ? BigInt(r) : 0n, !ok];
      });
    },
    cast_f64_i32(a, out, valid, n) {
      const v = V();
      return intOp<number>((i) => i, (i, x) => { v.i32[(out >>> 2) + i] = x; }, n, valid, (i) => {
        const r = roundHalfAway(v.f64[(a >>> 3) + i]!);
        const ok = r >= -2147483648 && r < 2147483648;
        return [ok ? r : 0, !ok];
      });
    },
    cast_i64_i32(a, out, valid, n) {
      const v = V();
      return intOp<bigint>((i) => v.i64[(a >>> 3) + i]!, (i, x) => { v.i32[(out >>> 2) + i] = Number(BigInt.asIntN(32, x)); }, n, valid,
        (_i, x) => [x, BigInt.asIntN(32, x) !== x]);
    },
    cast_i32_i16(a, out, valid, n) {
      const v = V();
      return intOp<number>((i) => v.i32[(a >>> 2) + i]!, (i, x) => { v.i16[(out >>> 1) + i] = x; }, n, valid,
        (_i, x) => [x, ((x << 16) >> 16) !== x]);
    },

    hash_rows(keys, width, n, out) {
      const { u64 } = V();
      const seed = (P5 + BigInt(width * 8)) & M64;
      for (let i = 0; i < n; i++) {
        let h = seed;
        for (let w = 0; w < width; w++) h = lane(h, u64[(keys >>> 3) + i * width + w]!);
        u64[(out >>> 3) + i] = avalanche(h);
      }
    },
    hash_i32(col, n, out) {
      const { u64, i32 } = V();
      for (let i = 0; i < n; i++) u64[(out >>> 3) + i] = avalanche(lane(P5 + 8n, BigInt.asUintN(64, BigInt(i32[(col >>> 2) + i]!))));
    },
    hash_i64(col, n, out) {
      const { u64 } = V();
      for (let i = 0; i < n; i++) u64[(out >>> 3) + i] = avalanche(lane(P5 + 8n, u64[(col >>> 3) + i]!));
    },
    key_norm_i16: (col, valid, n, keys, width, word, desc, nf) => keyNorm('i16', col, valid, n, keys, width, word, desc, nf),
    key_norm_i32: (col, valid, n, keys, width, word, desc, nf) => keyNorm('i32', col, valid, n, keys, width, word, desc, nf),
    key_norm_i64: (col, valid, n, keys, width, word, desc, nf) => keyNorm('i64', col, valid, n, keys, width, word, desc, nf),
    key_norm_f32: (col, valid, n, keys, width, word, desc, nf) => keyNorm('f32', col, valid, n, keys, width, word, desc, nf),
    key_norm_f64: (col, valid, n, keys, width, word, desc, nf) => keyNorm('f64', col, valid, n, keys, width, word, desc, nf),
    key_null(valid, n, keys, width, word, nullsFirst) {
      const v = V();
      for (let i = 0; i < n; i++) {
        const at = (keys >>> 2) + (i * width + word) * 2;
        const isNull = !isValid(v.u8, valid, i);
        v.u32[at] = isNull === (nullsFirst === 0) ? 1 : 0;
        v.u32[at + 1] = 0;
      }
    },
    key_put_i16: (col, n, keys, width, word) => keyPut('i16', col, n, keys, width, word),
    key_put_i32: (col, n, keys, width, word) => keyPut('i32', col, n, keys, width, word),
    key_put_i64: (col, n, keys, width, word) => keyPut('i64', col, n, keys, width, word),
    key_put_f64: (col, n, keys, width, word) => keyPut('f64', col, n, keys, width, word),

    hash_partition(hashes, n, nparts, outPart, counts) {
      const { u32, i32 } = V();
      for (let i = 0; i < n; i++) {
        const p = Math.floor((u32[(hashes >>> 2) + 2 * i + 1]! * nparts) / 4294967296);
        i32[(outPart >>> 2) + i] = p;
        i32[(counts >>> 2) + p]++;
      }
    },
    partition_rows(parts, n, starts, outSel) {
      const { i32 } = V();
      for (let i = 0; i < n; i++) i32[(outSel >>> 2) + i32[(starts >>> 2) + i32[(parts >>> 2) + i]!]!++] = i;
    },

    group_ids(keys, width, hashes, n, table, cap, groupKeys, groupHashes, state, maxGroups, outGids) {
      const { i32, u32 } = V();
      const mask = cap - 1;
      let ng = i32[state >>> 2]!;
      const limit = Math.min(cap >> 1, maxGroups);
      let i = 0;
      for (; i < n; i++) {
        let slot = u32[(hashes >>> 2) + 2 * i]! & mask;
        let gid = -1;
        for (;;) {
          const g = i32[(table >>> 2) + slot]!;
          if (g < 0) break;
          if (sameHash(u32, groupHashes, g, hashes, i) && rowsEqual(u32, groupKeys, g, keys, i, width)) { gid = g; break; }
          slot = (slot + 1) & mask;
        }
        if (gid < 0) {
          if (ng >= limit) break;
          gid = ng++;
          u32.copyWithin((groupKeys >>> 2) + gid * width * 2, (keys >>> 2) + i * width * 2, (keys >>> 2) + (i + 1) * width * 2);
          u32[(groupHashes >>> 2) + 2 * gid] = u32[(hashes >>> 2) + 2 * i]!;
          u32[(groupHashes >>> 2) + 2 * gid + 1] = u32[(hashes >>> 2) + 2 * i + 1]!;
          i32[(table >>> 2) + slot] = gid;
        }
        i32[(outGids >>> 2) + i] = gid;
      }
      i32[state >>> 2] = ng;
      return i;
    },
    group_rehash(groupHashes, nGroups, table, cap) {
      const { i32, u32 } = V();
      i32.fill(-1, table >>> 2, (table >>> 2) + cap);
      for (let g = 0; g < nGroups; g++) {
        let slot = u32[(groupHashes >>> 2) + 2 * g]! & (cap - 1);
        while (i32[(table >>> 2) + slot]! >= 0) slot = (slot + 1) & (cap - 1);
        i32[(table >>> 2) + slot] = g;
      }
    },
    agg_count_star(gids, n, cnt) { const { i32, u32 } = V(); for (let i = 0; i < n; i++) addI64(u32, (cnt >>> 2) + 2 * i32[(gids >>> 2) + i]!, 1); },
    agg_count(gids, valid, n, cnt) {
      const { i32, u32, u8 } = V();
      for (let i = 0; i < n; i++) if (isValid(u8, valid, i)) addI64(u32, (cnt >>> 2) + 2 * i32[(gids >>> 2) + i]!, 1);
    },
    agg_sum_i32(gids, vals, valid, n, acc) {
      const { i32, u32, u8 } = V();
      for (let i = 0; i < n; i++) if (isValid(u8, valid, i)) addI64(u32, (acc >>> 2) + 2 * i32[(gids >>> 2) + i]!, i32[(vals >>> 2) + i]!);
    },
    agg_sum_i64(gids, vals, valid, n, acc) {
      const { i32, i64, u8 } = V();
      for (let i = 0; i < n; i++) {
        if (!isValid(u8, valid, i)) continue;
        const at = (acc >>> 3) + 2 * i32[(gids >>> 2) + i]!;
        write128(i64, at, read128(i64, at) + i64[(vals >>> 3) + i]!);
      }
    },
    agg_sum_f64(gids, vals, valid, n, acc) {
      const { i32, f64, u8 } = V();
      for (let i = 0; i < n; i++) if (isValid(u8, valid, i)) f64[(acc >>> 3) + i32[(gids >>> 2) + i]!] += f64[(vals >>> 3) + i]!;
    },
    agg_min_i32: (g, v, valid, n, acc, seen) => minMax('i32', false, g, v, valid, n, acc, seen),
    agg_max_i32: (g, v, valid, n, acc, seen) => minMax('i32', true, g, v, valid, n, acc, seen),
    agg_min_i64: (g, v, valid, n, acc, seen) => minMax('i64', false, g, v, valid, n, acc, seen),
    agg_max_i64: (g, v, valid, n, acc, seen) => minMax('i64', true, g, v, valid, n, acc, seen),
    agg_min_f64: (g, v, valid, n, acc, seen) => minMax('f64', false, g, v, valid, n, acc, seen),
    agg_max_f64: (g, v, valid, n, acc, seen) => minMax('f64', true, g, v, valid, n, acc, seen),
    sum_i32_sel(vals, valid, sel, n) {
      const { i32, u8 } = V();
      let total = 0n, s = 0;
      if (sel === 0 && valid === 0) {
        const base = vals >>> 2;
        for (let j = 0; j < n; j++) {
          s += i32[base + j]!;
          if ((j & 0xFFFFF) === 0xFFFFF) { total += BigInt(s); s = 0; }
        }
        return BigInt.asIntN(64, total + BigInt(s));
      }
      for (let j = 0; j < n; j++) {
        const r = sel !== 0 ? i32[(sel >>> 2) + j]! : j;
        if (isValid(u8, valid, r)) s += i32[(vals >>> 2) + r]!;
        if ((j & 0xFFFFF) === 0xFFFFF) { total += BigInt(s); s = 0; } // keep s exact (< 2^52)
      }
      return BigInt.asIntN(64, total + BigInt(s));
    },
    sum_i64_sel(vals, valid, sel, n, acc) {
      const { i32, i64, u8 } = V();
      let s = 0n;
      for (let j = 0; j < n; j++) {
        const r = sel !== 0 ? i32[(sel >>> 2) + j]! : j;
        if (isValid(u8, valid, r)) s += i64[(vals >>> 3) + r]!;
      }
      write128(i64, acc >>> 3, read128(i64, acc >>> 3) + s);
    },
    sum_f64_sel(vals, valid, sel, n) {
      const { i32, f64, u8 } = V();
      const p = [0, 0, 0, 0];
      for (let j = 0; j < n; j++) {
        const r = sel !== 0 ? i32[(sel >>> 2) + j]! : j;
        p[j & 3] += isValid(u8, valid, r) ? f64[(vals >>> 3) + r]! : 0;
      }
      return (p[0]! + p[2]!) + (p[1]! + p[3]!);
    },

    agg_program(prog, count, sel, n, gids, stride, acc, regs) {
      // Row by row over whole columns (no blocks): the same results as the kernel's block-at-a-time registers.
      const { i32, i64, u8 } = V();
      const BLOCK = 1024;
      const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);
      for (let j = 0; j < n; j++) {
        const r = sel !== 0 ? i32[(sel >>> 2) + j]! : j;
        const g = gids !== 0 ? i32[(gids >>> 2) + j]! : 0;
        const regsOf = (x: bigint): number => (regs >>> 3) + (Number(x) + 1) * BLOCK;
        for (let k = 0; k < count; k++) {
          const at = (prog >>> 3) + 4 * k;
          const op = Number(i64[at]! & 0xFFn), d = i64[at + 1]!, a = i64[at + 2]!, b = i64[at + 3]!;
          const R = (x: bigint): bigint => i64[regsOf(x)]!;
          const set = (v: bigint): void => { i64[regsOf(d)] = wrap(v); };
          const slot = (acc >>> 3) + g * stride + Number(d);
          const on = (m: bigint): boolean => m < 0n || R(m) !== 0n;
          switch (op) {
            case 0: set(i64[(Number(a) >>> 3) + r]!); break;
            case 1: set(BigInt(i32[(Number(a) >>> 2) + r]!)); break;
            case 2: set(BigInt(new Int16Array(i32.buffer)[(Number(a) >>> 1) + r]!)); break;
            case 3: set(isValid(u8, Number(a), r) ? -1n : 0n); break;
            case 4: set(a); break;
            case 5: set(R(a) + R(b)); break;
            case 6: set(R(a) - R(b)); break;
            case 7: set(R(a) * R(b)); break;
            case 8: set(R(a) * b); break;
            case 9: set(R(a) & R(b)); break;
            case 10: if (on(b)) write128(i64, slot, read128(i64, slot) + R(a)); break;
            case 11: if (on(a)) i64[slot] = wrap(i64[slot]! + 1n); break;
            case 12: if (on(b) && R(a) < i64[slot]!) i64[slot] = R(a); break;
            case 13: if (on(b) && R(a) > i64[slot]!) i64[slot] = R(a); break;
            case 14: set(R(a) + b); break;
            case 16: if (on(b)) write128(i64, slot, read128(i64, slot) + R(a)); break;
            case 17: if (R(a) === 0n) i64[slot] = wrap(i64[slot]! + 1n); break;
            case 15: set(b - R(a)); break;
            default: throw new Error(`agg_program: opcode ${op}`);
          }
        }
      }
    },
    agg_dict_gids(keys, nkeys, sel, n, lut, out) {
      const { i32, u8 } = V();
      let misses = 0;
      for (let j = 0; j < n; j++) {
        const r = sel !== 0 ? i32[(sel >>> 2) + j]! : j;
        let combo = 0;
        for (let k = 0; k < nkeys; k++) {
          const at = (keys >>> 2) + 3 * k;
          const radix = i32[at + 2]!;
          combo = combo * radix + (isValid(u8, i32[at + 1]!, r) ? i32[(i32[at]! >>> 2) + r]! : radix - 1);
        }
        const g = i32[(lut >>> 2) + combo]!;
        if (g < 0) { i32[(out >>> 2) + j] = -1 - combo; misses++; } else i32[(out >>> 2) + j] = g;
      }
      return misses;
    },
    agg_totals(acc, stride, ng, rows, nulls, sum, counts, sums) {
      const { i64, f64 } = V();
      let wide = 0;
      for (let g = 0; g < ng; g++) {
        const at = (acc >>> 3) + g * stride;
        f64[(counts >>> 3) + g] = Number(i64[at + rows]! - (nulls >= 0 ? i64[at + nulls]! : 0n));
        if (sum < 0) continue;
        const v = (i64[at + sum + 1]! << 64n) + BigInt.asUintN(64, i64[at + sum]!);
        const exact = v <= 0x1fffffffffffffn && v >= -0x1fffffffffffffn;
        f64[(sums >>> 3) + g] = exact ? Number(v) : NaN;
        if (!exact) wide++;
      }
      return wide;
    },
    key_gids(cols, ncols, sel, from, n, table, mask, keys, state, limit, out) {
      // Values as (lo, hi) 32-bit words (no BigInt: V8 11's optimizer mishandles BigInt phis in a loop like this).
      const { i32, i16, u32, u8 } = V();
      const st = state >>> 2;
      let ng = i32[st]!;
      let lo = 0, hi = 0;
      const load = (c: number, r: number): void => {
        const at = (cols >>> 2) + 3 * c, values = i32[at]!, width = i32[at + 2]!;
        if (width === 8) { lo = i32[(values >>> 2) + 2 * r]!; hi = i32[(values >>> 2) + 2 * r + 1]!; return; }
        lo = width === 4 ? i32[(values >>> 2) + r]! : i16[(values >>> 1) + r]!;
        hi = lo >> 31;
      };
      const validAt = (c: number, r: number): boolean => isValid(u8, i32[(cols >>> 2) + 3 * c + 1]!, r);
      const w = ncols === 1 ? 1 : ncols + 1;
      // i32 index of group g's key words.
      const key = (g: number): number => (keys >>> 2) + 2 * w * g;
      const slotAt = (s: number): number => (table >>> 2) + 4 * s;
      // Whether group g's (one-column) key is below / equal to (lo, hi).
      const below = (g: number): boolean => { const k = key(g), kh = i32[k + 1]!; return kh < hi || (kh === hi && u32[k]! < lo >>> 0); };
      const equal = (g: number): boolean => { const k = key(g); return i32[k] === lo && i32[k + 1] === hi; };
      let lastGid = ncols === 1 ? i32[st + 5]! : -1;
      // Stops at row j, keeping the state for the next call.
      const stop = (j: number): number => { i32[st] = ng; if (ncols === 1) i32[st + 5] = lastGid; return j; };
      for (let j = from; j < n; j++) {
        const r = sel !== 0 ? i32[(sel >>> 2) + j]! : j;
        if (ncols === 1 && !validAt(0, r)) {
          let g = i32[st + 1]!;
          if (g < 0) {
            if (i32[st + 2] === 1) { i32[st + 2] = 2; return stop(j); }
            if (ng >= limit) return stop(j);
            g = ng++;
            i32[key(g)] = 0; i32[key(g) + 1] = 0;
            i32[st + 1] = g;
          }
          i32[(out >>> 2) + j] = g;
          continue;
        }
        if (ncols === 1) {
          load(0, r);
          if (lastGid >= 0 && equal(lastGid)) { i32[(out >>> 2) + j] = lastGid; continue; }
          let g = -1;
          if (i32[st + 2] === 3) {
            // Direct mode: the host keeps base and every value within int32, and values in [base, base + mask).
            const off = lo - i32[st + 6]!;
            if (hi !== lo >> 31 || off < 0 || off >= mask) throw new Error('key_gids: a value outside the direct range');
            g = i32[(table >>> 2) + off]!;
            if (g < 0) {
              if (ng >= limit) return stop(j);
              g = ng++;
              i32[(table >>> 2) + off] = g;
              i32[key(g)] = lo; i32[key(g) + 1] = hi;
            }
          } else if (i32[st + 2] === 1) {
            // Ordered mode: runs of increasing values, earlier runs searched by forward cursors.
            const runs = st + 16;
            if (lastGid >= 0 && !below(lastGid)) {
              const nruns = i32[st + 3]!;
              if (nruns === 16) { i32[st + 2] = 2; return stop(j); }
              i32[runs + 3 * nruns] = i32[st + 4]!;
              i32[runs + 3 * nruns + 1] = ng;
              i32[st + 3] = nruns + 1;
              for (let k = 0; k <= nruns; k++) i32[runs + 3 * k + 2] = i32[runs + 3 * k]!;
              i32[st + 4] = ng;
            }
            for (let k = 0; k < i32[st + 3]! && g < 0; k++) {
              const end = i32[runs + 3 * k + 1]!;
              let c = i32[runs + 3 * k + 2]!;
              if (c === end) continue;
              if (below(end - 1)) { i32[runs + 3 * k + 2] = end; continue; }
              while (below(c)) c++;
              i32[runs + 3 * k + 2] = c;
              if (equal(c)) g = c;
            }
            if (g < 0) {
              if (ng >= limit) return stop(j);
              g = ng++;
              i32[key(g)] = lo; i32[key(g) + 1] = hi;
            }
          } else {
            let slot = slotOfValueWords(lo, hi, mask);
            for (;;) {
              const p = slotAt(slot), id = i32[p + 2]!;
              if (id < 0) {
                if (ng >= limit) return stop(j);
                g = ng++;
                i32[p] = lo; i32[p + 1] = hi; i32[p + 2] = g;
                i32[key(g)] = lo; i32[key(g) + 1] = hi;
                break;
              }
              if (i32[p] === lo && i32[p + 1] === hi) { g = id; break; }
              slot = (slot + 1) & mask;
            }
          }
          lastGid = g;
          i32[(out >>> 2) + j] = g;
          continue;
        }
        // Several columns: the row's key where the next new group's would go (kept when it is new).
        const k = key(ng);
        let nulls = 0;
        for (let c = 0; c < ncols; c++) {
          if (validAt(c, r)) load(c, r);
          else { lo = 0; hi = 0; nulls |= 1 << c; }
          i32[k + 2 * c] = lo; i32[k + 2 * c + 1] = hi;
        }
        i32[k + 2 * ncols] = nulls; i32[k + 2 * ncols + 1] = 0;
        if (lastGid >= 0 && sameWords(i32, key(lastGid), k, 2 * w)) { i32[(out >>> 2) + j] = lastGid; continue; }
        const h = hashKeyWords(i32, k, w);
        let slot = h & mask, g = -1;
        for (;;) {
          const p = slotAt(slot), id = i32[p + 2]!;
          if (id < 0) {
            if (ng >= limit) return stop(j);
            g = ng++;
            i32[p] = h; i32[p + 1] = h >> 31; i32[p + 2] = g;
            break;
          }
          if (i32[p] === h && i32[p + 1] === h >> 31 && sameWords(i32, key(id), k, 2 * w)) { g = id; break; }
          slot = (slot + 1) & mask;
        }
        lastGid = g;
        i32[(out >>> 2) + j] = g;
      }
      return stop(n);
    },
    key_rehash(keys, ncols, ngroups, nullGid, table, mask) {
      const { i32 } = V();
      i32.fill(-1, table >>> 2, (table >>> 2) + 4 * (mask + 1));
      const w = ncols === 1 ? 1 : ncols + 1;
      for (let g = 0; g < ngroups; g++) {
        if (g === nullGid) continue;
        const k = (keys >>> 2) + 2 * w * g;
        const h = ncols === 1 ? 0 : hashKeyWords(i32, k, w);
        let slot = ncols === 1 ? slotOfValueWords(i32[k]!, i32[k + 1]!, mask) : h & mask;
        while (i32[(table >>> 2) + 4 * slot + 2]! >= 0) slot = (slot + 1) & mask;
        const p = (table >>> 2) + 4 * slot;
        i32[p] = ncols === 1 ? i32[k]! : h; i32[p + 1] = ncols === 1 ? i32[k + 1]! : h >> 31; i32[p + 2] = g;
      }
    },
    join_build(_keys, _width, hashes, n, heads, cap, next) {
      const { i32, u32 } = V();
      for (let i = n - 1; i >= 0; i--) {
        const slot = (heads >>> 2) + (u32[(hashes >>> 2) + 2 * i]! & (cap - 1));
        i32[(next >>> 2) + i] = i32[slot]!;
        i32[slot] = i;
      }
    },
    join_bloom_build(hashes, n, bloom, bmask) {
      const { u32 } = V();
      for (let i = 0; i < n; i++) {
        const hi = u32[(hashes >>> 2) + 2 * i + 1]!;
        const w = (bloom >>> 2) + 2 * (hi & bmask);
        for (const bit of bloomBitsOf(hi)) u32[w + (bit >>> 5)] = (u32[w + (bit >>> 5)]! | (1 << (bit & 31))) >>> 0;
      }
    },
    join_probe(pkeys, width, phashes, pn, bkeys, bhashes, heads, cap, next, state, outProbe, outBuild, maxOut, bloom, bmask) {
      const { i32, u32 } = V();
      let p = i32[state >>> 2]!, resume = i32[(state >>> 2) + 1]!, out = 0, passed = 0;
      const done = (): number => { if (bloom !== 0) i32[(state >>> 2) + 2] = i32[(state >>> 2) + 2]! + passed; return out; };
      for (; p < pn; p++) {
        if (resume === 0) {
          if (!bloomMay(u32, bloom, bmask, phashes, p)) continue;
          passed++;
        }
        let b = resume !== 0 ? resume - 1 : i32[(heads >>> 2) + (u32[(phashes >>> 2) + 2 * p]! & (cap - 1))]!;
        resume = 0;
        for (; b >= 0; b = i32[(next >>> 2) + b]!) {
          if (!sameHash(u32, bhashes, b, phashes, p) || !rowsEqual(u32, bkeys, b, pkeys, p, width)) continue;
          if (out === maxOut) { i32[state >>> 2] = p; i32[(state >>> 2) + 1] = b + 1; return done(); }
          i32[(outProbe >>> 2) + out] = p;
          i32[(outBuild >>> 2) + out] = b;
          out++;
        }
      }
      i32[state >>> 2] = p;
      i32[(state >>> 2) + 1] = 0;
      return done();
    },
    join_probe_exists(pkeys, width, phashes, pn, bkeys, bhashes, heads, cap, next, outMatched, bloom, bmask) {
      const { i32, u32, u8 } = V();
      let matched = 0;
      for (let p = 0; p < pn; p++) {
        let m = 0;
        const first = bloomMay(u32, bloom, bmask, phashes, p) ? i32[(heads >>> 2) + (u32[(phashes >>> 2) + 2 * p]! & (cap - 1))]! : -1;
        for (let b = first; b >= 0; b = i32[(next >>> 2) + b]!) {
          if (sameHash(u32, bhashes, b, phashes, p) && rowsEqual(u32, bkeys, b, pkeys, p, width)) { m = 1; break; }
        }
        u8[outMatched + p] = m;
        matched += m;
      }
      return matched;
    },
    mark_u8(idx, n, flags) { const { i32, u8 } = V(); for (let i = 0; i < n; i++) u8[flags + i32[(idx >>> 2) + i]!] = 1; },

    str_cmp_const(op, offsets, data, valid, n, kk, klen, si, ns, so) {
      const { u8, i32 } = V();
      const key = u8.subarray(kk, kk + klen);
      return select(valid, n, si, ns, so, (r) => opHolds(op, bytesCmp(u8.subarray(data + i32[(offsets >>> 2) + r]!, data + i32[(offsets >>> 2) + r + 1]!), key)));
    },
    str_like(offsets, data, valid, n, pat, patLen, escape, ci, si, ns, so) {
      const { u8, i32 } = V();
      const re = likeRegExp(u8.subarray(pat, pat + patLen), escape, ci !== 0);
      return select(valid, n, si, ns, so, (r) => re.test(latin1(u8.subarray(data + i32[(offsets >>> 2) + r]!, data + i32[(offsets >>> 2) + r + 1]!), ci !== 0)));
    },
    str_like_pieces(offsets, data, valid, n, pat, lens, nPieces, flags, si, ns, so) {
      const { u8, i32 } = V();
      // The pieces joined by "any run", anchored at both ends, as a RegExp over the value's bytes read as latin1.
      let src = '^', at = pat;
      for (let p = 0; p < nPieces; p++) {
        const len = i32[(lens >>> 2) + p]!;
        if (p > 0) src += '[\\s\\S]*';
        for (const c of u8.subarray(at, at + len)) src += `\\x${c.toString(16).padStart(2, '0')}`;
        at += len;
      }
      const re = new RegExp(src + '$');
      return select(valid, n, si, ns, so, (r) => {
        const s = data + i32[(offsets >>> 2) + r]!;
        let e = data + i32[(offsets >>> 2) + r + 1]!;
        if (flags & 2) while (e > s && u8[e - 1] === 0x20) e--;
        return re.test(latin1(u8.subarray(s, e), false)) !== ((flags & 1) === 1);
      });
    },
    str_hash(offsets, data, n, out) {
      const { u8, i32, u64 } = V();
      for (let i = 0; i < n; i++) {
        const s = data + i32[(offsets >>> 2) + i]!, len = i32[(offsets >>> 2) + i + 1]! - i32[(offsets >>> 2) + i]!;
        let h = (P5 + BigInt(len)) & M64;
        for (let j = 0; j < len; j += 8) {
          let w = 0n;
          for (let b = 0; b < 8 && j + b < len; b++) w |= BigInt(u8[s + j + b]!) << BigInt(8 * b);
          h = lane(h, w);
        }
        u64[(out >>> 3) + i] = avalanche(h);
      }
    },
    key_norm_str(offsets, data, valid, n, keys, width, word, nwords, desc, nullsFirst) {
      const { u8, i32, u32 } = V();
      for (let i = 0; i < n; i++) {
        const s = data + i32[(offsets >>> 2) + i]!, len = i32[(offsets >>> 2) + i + 1]! - i32[(offsets >>> 2) + i]!;
        const isNull = !isValid(u8, valid, i);
        for (let j = 0; j < nwords; j++) {
          const at = (keys >>> 2) + (i * width + word + j) * 2;
          let hi = 0, lo = 0;
          for (let b = 0; b < 8; b++) {
            const x = 8 * j + b < len ? u8[s + 8 * j + b]! : 0;
            if (b < 4) hi = hi * 256 + x; else lo = lo * 256 + x;
          }
          if (isNull) { hi = lo = nullsFirst ? 0 : 0xFFFFFFFF; } else if (desc) { hi = ~hi >>> 0; lo = ~lo >>> 0; }
          u32[at] = lo; u32[at + 1] = hi;
        }
      }
    },
    str_sel_bytes(offsets, sel, n) {
      const { i32 } = V();
      let t = 0;
      for (let i = 0; i < n; i++) { const r = i32[(sel >>> 2) + i]!; t += i32[(offsets >>> 2) + r + 1]! - i32[(offsets >>> 2) + r]!; }
      return BigInt(t);
    },
    gather_str(offsets, data, sel, n, outOffsets, outData) {
      const { u8, i32 } = V();
      let o = 0;
      i32[outOffsets >>> 2] = 0;
      for (let i = 0; i < n; i++) {
        const r = i32[(sel >>> 2) + i]!, s = i32[(offsets >>> 2) + r]!, e = i32[(offsets >>> 2) + r + 1]!;
        u8.copyWithin(outData + o, data + s, data + e);
        o += e - s;
        i32[(outOffsets >>> 2) + i + 1] = o;
      }
      return o;
    },

    date_part_i32(field, days, out, n) {
      const { i32 } = V();
      for (let i = 0; i < n; i++) i32[(out >>> 2) + i] = field >= 7 && field <= 9 ? 0 : datePart(field, i32[(days >>> 2) + i]!);
    },
    ts_part_i64(field, ts, out, n) {
      const { i32, i64 } = V();
      for (let i = 0; i < n; i++) {
        const t = i64[(ts >>> 3) + i]!;
        const d = floorDivBig(t, DAY_US), us = Number(t - d * DAY_US);
        i32[(out >>> 2) + i] = field === 7 ? Math.floor(us / 3600e6) : field === 8 ? Math.floor(us / 60e6) % 60
          : field === 9 ? Math.floor(us / 1e6) % 60 : datePart(field, Number(d));
      }
    },
    date_trunc_i32(field, days, out, n) {
      const { i32 } = V();
      for (let i = 0; i < n; i++) i32[(out >>> 2) + i] = dateTrunc(field, i32[(days >>> 2) + i]!);
    },
    ts_trunc_i64(field, ts, out, n) {
      const { i64 } = V();
      for (let i = 0; i < n; i++) {
        const t = i64[(ts >>> 3) + i]!;
        const unit = field === 7 ? 3600000000n : field === 8 ? 60000000n : field === 9 ? 1000000n : 0n;
        i64[(out >>> 3) + i] = unit !== 0n ? floorDivBig(t, unit) * unit : BigInt(dateTrunc(field, Number(floorDivBig(t, DAY_US)))) * DAY_US;
      }
    },
    ts_date_i64(ts, out, n) {
      const { i32, i64 } = V();
      for (let i = 0; i < n; i++) i32[(out >>> 2) + i] = Number(floorDivBig(i64[(ts >>> 3) + i]!, DAY_US));
    },
    date_add_months_i32(days, months, out, n) {
      const { i32 } = V();
      for (let i = 0; i < n; i++) {
        const c = ymd(i32[(days >>> 2) + i]!);
        const total = c.y * 12 + (c.m - 1) + months;
        const y = Math.floor(total / 12), m = total - y * 12 + 1;
        const last = new Date(0);
        last.setUTCFullYear(y, m, 0);
        i32[(out >>> 2) + i] = daysOf(y, m, Math.min(c.d, last.getUTCDate()));
      }
    },

    sort_rows(keys, width, idx, n, _tmp) {
      const { i32, u32 } = V();
      const rows = Array.from(i32.subarray(idx >>> 2, (idx >>> 2) + n));
      rows.sort((a, b) => cmpRows(u32, keys, width, a, b)); // Array.prototype.sort is stable (ES2019)
      i32.set(rows, idx >>> 2);
    },
    topn_rows(keys, width, n, kk, outIdx) {
      const m = Math.min(n, kk);
      if (m <= 0) return 0;
      const { i32, u32 } = V();
      const rows = Array.from({ length: n }, (_, i) => i);
      rows.sort((a, b) => cmpRows(u32, keys, width, a, b) || a - b);
      i32.set(rows.slice(0, m), outIdx >>> 2);
      return m;
    },
    ...blockDecodeKernels(memory),
  };
  return k;
}

/** kernels/agg/key-table.ts slotOfValue over a value's 32-bit words. */
function slotOfValueWords(lo: number, hi: number, mask: number): number {
  const blo = (lo >>> 4) | (hi << 28), bhi = hi >> 4;
  let h = Math.imul(blo ^ Math.imul(bhi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return ((h << 4) | (lo & 15)) & mask;
}

/** kernels/agg/key-table.ts hashWords over the w i64 words at i32 index k. */
function hashKeyWords(i32: Int32Array, k: number, w: number): number {
  let h = 0x811c9dc5 | 0;
  for (let c = 0; c < w; c++) {
    h = Math.imul(h ^ i32[k + 2 * c]!, 0x9e3779b1);
    h = ((h << 13) | (h >>> 19)) ^ i32[k + 2 * c + 1]!;
    h = Math.imul(h, 0x85ebca6b);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h;
}

/** Whether the `len` i32 words at a and b are equal. */
function sameWords(i32: Int32Array, a: number, b: number, len: number): boolean {
  for (let x = 0; x < len; x++) if (i32[a + x] !== i32[b + x]) return false;
  return true;
}
