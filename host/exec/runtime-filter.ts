// Run-time filters: the key values of a hash join's build side, collected once the join has read
// it (host/exec/operators.ts), tested by the probe side's scan on its key column before the scan
// decodes its other columns (host/exec/chunk-scan.ts), and against chunk zone maps to skip whole
// chunks. Placed by the plan rule host/plan/rules/runtime-filter.ts; ADR 0020.
//
// A filter is a superset test: it may keep a row whose key matches nothing (a bloom false
// positive), never drops one whose key is on the build side. NULL keys never pass (SQL equality is
// never true for NULL, so an inner or semi join would drop the row anyway).
import { gatherVector, type Batch, type Vector } from '../batch/vector.js';
import { internal } from '../common/errors.js';
import { trimEnd } from '../functions/compare.js';
import { filterDomain, type FilterDomain } from '../plan/rules/runtime-filter.js';
import type { PNode } from '../plan/physical.js';
import { evalExpr, type EvalContext } from './eval.js';
import type { ExecContext } from './operators.js';
import type { ColumnZone } from '../storage/zone-map.js';
import type { PageAllocator } from '../wasm/memory.js';
import { allocatorOf } from './kernel-join.js';
import type { KernelContext, KernelSelection } from './kernel-filter.js';
import { keepShape } from '../common/keep-shape.js';

/**
 * The build side's keys, in one of two domains: numbers (integers, dates, scaled numerics and
 * timestamps as their integer value, converted to a double: two values that are equal in SQL
 * convert to the same double) or strings (trailing blanks trimmed, PostgreSQL's bpchar rule the
 * join's keys follow, host/exec/keys.ts).
 */
export type RuntimeFilter =
  | {
      kind: 'number';
      /** Smallest and largest key (min > max: the build side had no key, nothing passes). */
      min: number; max: number;
      /** One bit per value of [min, max] when that range is small; else null. */
      bitmap: Uint32Array | null;
      /**
       * A blocked bloom, when there is no bitmap: a power-of-two number of 64-bit words (bloomMask + 1, each the u32
       * pair [2w, 2w + 1]); a key sets three bits of the one word its hash picks (bloomHolds).
       */
      bloom: Uint32Array | null; bloomMask: number;
    }
  | { kind: 'string'; words: Set<string> };

/**
 * A bitmap is used while [min, max] spans at most this many values (2 MiB of bits), and either at
 * most BITMAP_VALUES_PER_KEY values per key or at most BITMAP_SMALL_RANGE values (256 KiB, cache
 * sized) in all; a sparser range gets a bloom. A bitmap test is one load and no hash, and exact: up
 * to 64 bytes per key it beats the bloom (2-4 bytes per key) even when the probe keys come in random
 * order (kernel alone, 40K keys over 6M values: bitmap 1.3-1.5 ns per row, bloom 2.0; ADR 0020). The
 * bitmap's cost per row depends on its size, not on its keys: TPC-H Q5's 22K order keys per slice
 * over the same 6M values (270 per key) test like Q21's 40K.
 */
const BITMAP_MAX_RANGE = 1 << 24;
const BITMAP_VALUES_PER_KEY = 512;
const BITMAP_SMALL_RANGE = 1 << 21;
/**
 * Bloom bits per key (three set per key in one 64-bit word: about 1% false positives) and its largest size in
 * bits (8 MiB).
 */
const BLOOM_BITS_PER_KEY = 16;
const BLOOM_MAX_BITS = 1 << 26;

const isNull = (valid: Uint8Array | null, i: number): boolean => valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0;

/** The keys of the build side's batches (`keys[i]`: the key column of batch i), as a filter of `domain`. */
export function buildRuntimeFilter(keys: readonly Vector[], domain: FilterDomain): RuntimeFilter {
  if (domain === 'string') {
    const words = new Set<string>();
    for (const v of keys) {
      const d = v.data as string[];
      for (let i = 0; i < v.length; i++) if (!isNull(v.valid, i)) words.add(trimEnd(d[i]!));
    }
    return { kind: 'string', words };
  }
  let total = 0;
  for (const v of keys) total += v.length;
  const values = new Float64Array(total);
  let n = 0, min = Infinity, max = -Infinity;
  for (const v of keys) {
    const data = v.data;
    // the common build key, a 32-bit integer column without NULLs: one tight loop, no conversion
    if (v.valid === null && data instanceof Int32Array) {
      for (let i = 0; i < v.length; i++) {
        const x = data[i]!;
        values[n++] = x;
        if (x < min) min = x;
        if (x > max) max = x;
      }
      continue;
    }
    // int64 read as 32-bit halves where the value fits in 32 bits: no BigInt per row
    const halves = data instanceof BigInt64Array ? new Int32Array(data.buffer, data.byteOffset, v.length * 2) : null;
    for (let i = 0; i < v.length; i++) {
      if (isNull(v.valid, i)) continue;
      let x: number;
      if (halves !== null) { const lo = halves[2 * i]!; x = halves[2 * i + 1] === lo >> 31 ? lo : Number((data as BigInt64Array)[i]!); }
      else x = Number(data[i] as number | bigint);
      values[n++] = x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  const f: RuntimeFilter = { kind: 'number', min, max, bitmap: null, bloom: null, bloomMask: 0 };
  if (n === 0) return f;
  const range = max - min;
  if (range < BITMAP_MAX_RANGE && (range <= n * BITMAP_VALUES_PER_KEY || range < BITMAP_SMALL_RANGE)) {
    const bits = new Uint32Array((range >>> 5) + 1);
    for (let i = 0; i < n; i++) { const d = values[i]! - min; bits[d >>> 5]! |= 1 << (d & 31); }
    f.bitmap = bits;
    return f;
  }
  let size = 1024;
  while (size < BLOOM_MAX_BITS && size < n * BLOOM_BITS_PER_KEY) size *= 2;
  const bloom = new Uint32Array(size >>> 5);
  const mask = (size >>> 6) - 1;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    bloomBits(bloom, mask, x >>> 0, Math.floor(x / 4294967296) | 0, true);
  }
  f.bloom = bloom;
  f.bloomMask = mask;
  return f;
}

/** The multiplier of the bloom's hash (2^64 / golden ratio, Fibonacci hashing): its high bits mix all the key's bits. */
const BLOOM_MUL_LO = 0x7f4a7c15, BLOOM_MUL_HI = 0x9e3779b9;

/** High 32 bits of the 64-bit product of two u32 values (exact in doubles through 16-bit halves). */
function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * The blocked bloom's hash of a 64-bit key given as its low and high 32-bit words: h = key * BLOOM_MUL mod 2^64,
 * one multiply in the kernel (kernels/filter/runtime.ts bloomHolds). Here its high word; its low word is
 * Math.imul(lo, BLOOM_MUL_LO).
 */
function bloomHashHigh(lo: number, hi: number): number {
  return (mulHigh32(lo, BLOOM_MUL_LO) + Math.imul(hi, BLOOM_MUL_LO) + Math.imul(lo, BLOOM_MUL_HI)) >>> 0;
}

/**
 * Sets or tests a key's three bits in a blocked bloom of mask + 1 64-bit words (u32 pairs [2w, 2w + 1]): bits
 * 44-63 of its hash pick the word w, bits 20-25, 26-31 and 32-37 the three bits in it. One word per key: one
 * cache line to read, and the kernel tests the three bits with one 64-bit load. Returns whether all three were set.
 */
function bloomBits(bloom: Uint32Array, mask: number, lo: number, hi: number, set: boolean): boolean {
  const hLo = Math.imul(lo, BLOOM_MUL_LO) >>> 0, hHi = bloomHashHigh(lo, hi);
  const w = ((hHi >>> 12) & mask) << 1;
  const b1 = (hLo >>> 20) & 63, b2 = hLo >>> 26, b3 = hHi & 63;
  const i1 = w + (b1 >>> 5), i2 = w + (b2 >>> 5), i3 = w + (b3 >>> 5);
  const m1 = 1 << (b1 & 31), m2 = 1 << (b2 & 31), m3 = 1 << (b3 & 31);
  if (set) { bloom[i1]! |= m1; bloom[i2]! |= m2; bloom[i3]! |= m3; return true; }
  return (bloom[i1]! & m1) !== 0 && (bloom[i2]! & m2) !== 0 && (bloom[i3]! & m3) !== 0;
}

/** Whether a number filter holds a key that fits in 32 bits (the common case, without doubles or calls). */
function holds32(f: Extract<RuntimeFilter, { kind: 'number' }>, x: number): boolean {
  if (x < f.min || x > f.max) return false;
  const bitmap = f.bitmap;
  if (bitmap !== null) { const d = x - f.min; return (bitmap[d >>> 5]! & (1 << (d & 31))) !== 0; }
  const bloom = f.bloom;
  if (bloom === null) return true;
  return bloomBits(bloom, f.bloomMask, x >>> 0, x >> 31, false);
}

/** Whether a number filter holds key x. */
function holds(f: Extract<RuntimeFilter, { kind: 'number' }>, x: number): boolean {
  if (!(x >= f.min && x <= f.max)) return false;
  if (f.bitmap) { const d = x - f.min; return (f.bitmap[d >>> 5]! & (1 << (d & 31))) !== 0; }
  if (f.bloom) return bloomBits(f.bloom, f.bloomMask, x >>> 0, Math.floor(x / 4294967296) | 0, false);
  return true;
}

/**
 * Whether a chunk whose key column has zone `z` may hold a key of the filter: false when the zone's
 * range and the build keys' range do not meet, or every row is NULL.
 */
export function zoneMayPass(f: RuntimeFilter, z: ColumnZone | null | undefined): boolean {
  if (!z) return true;
  if (z.min === null || z.max === null) return false;
  if (f.kind !== 'number' || typeof z.min === 'string' || typeof z.max === 'string') return true;
  return !(Number(z.max) < f.min || Number(z.min) > f.max);
}

/** The positions of `v`'s rows whose key the filter holds, ascending (into a new array). */
export function passingRows(f: RuntimeFilter, v: Vector): Int32Array {
  const n = v.length;
  const out = new Int32Array(n);
  let k = 0;
  const valid = v.valid;
  if (f.kind === 'string') {
    const dict = v.dictionary;
    if (dict) {
      // per distinct word once, then per row by its code
      const pass = new Uint8Array(dict.words.length);
      dict.words.forEach((w, i) => { pass[i] = f.words.has(trimEnd(w)) ? 1 : 0; });
      const codes = dict.codes;
      for (let i = 0; i < n; i++) if (pass[codes[i]!] === 1 && !isNull(valid, i)) out[k++] = i;
    } else {
      const d = v.data as string[];
      for (let i = 0; i < n; i++) if (!isNull(valid, i) && f.words.has(trimEnd(d[i]!))) out[k++] = i;
    }
    return out.subarray(0, k);
  }
  const data = v.data;
  if (data instanceof Int32Array || data instanceof Int16Array) {
    const { min, max, bitmap } = f;
    if (bitmap) {
      // the common case (dense integer keys): one range check and one bit per row
      const range = max - min;
      for (let i = 0; i < n; i++) {
        const d = data[i]! - min;
        if (d >= 0 && d <= range && (bitmap[d >>> 5]! & (1 << (d & 31))) !== 0 && !isNull(valid, i)) out[k++] = i;
      }
    } else {
      for (let i = 0; i < n; i++) if (holds32(f, data[i]!) && !isNull(valid, i)) out[k++] = i;
    }
    return out.subarray(0, k);
  }
  if (data instanceof BigInt64Array) {
    // read as 32-bit halves: a value whose high word is its low word's sign needs no BigInt
    const words = new Int32Array(data.buffer, data.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i]!, hi = words[2 * i + 1]!;
      const ok = hi === lo >> 31 ? holds32(f, lo) : holds(f, Number(data[i]!));
      if (ok && !isNull(valid, i)) out[k++] = i;
    }
    return out.subarray(0, k);
  }
  for (let i = 0; i < n; i++) {
    if (isNull(valid, i)) continue;
    const x = data[i];
    if ((typeof x === 'number' || typeof x === 'bigint') && holds(f, Number(x))) out[k++] = i;
  }
  return out.subarray(0, k);
}

/**
 * After this many rows tested, a filter that kept more than KEEP_RATIO of them is dropped: when
 * most probe rows match, testing costs more than the decoding it saves.
 */
const TRIAL_ROWS = 65536;
const KEEP_RATIO = 0.9;

/** Bytes of a filter descriptor in shared memory (docs/kernel-abi.md filter_runtime_*), before its words. */
const DESCRIPTOR_BYTES = 48;
const MIN_I64 = -(2n ** 63n), MAX_I64 = 2n ** 63n - 1n;

/** An integral double as an i64, clamped to the i64 range (a key's range bound for the kernel's exact compares). */
function clampI64(x: number): bigint {
  if (x >= 2 ** 63) return MAX_I64;
  if (x < -(2 ** 63)) return MIN_I64;
  return BigInt(x);
}

/**
 * Writes a number filter's descriptor and words into `pages`' memory (the filter_runtime_* kernels'
 * input) and returns its offset; the caller frees it. Exported for the kernel benchmark.
 */
export function writeDescriptor(f: Extract<RuntimeFilter, { kind: 'number' }>, memory: WebAssembly.Memory, pages: PageAllocator): number {
  const words = f.bitmap ?? f.bloom;
  const at = pages.alloc(DESCRIPTOR_BYTES + (words ? words.byteLength : 0), 64);
  const dv = new DataView(memory.buffer, at, DESCRIPTOR_BYTES);
  const empty = !(f.min <= f.max);
  // an empty filter (no build key) gets min > max in both forms: nothing passes
  dv.setBigInt64(0, empty ? 1n : clampI64(f.min), true);
  dv.setBigInt64(8, empty ? 0n : clampI64(f.max), true);
  dv.setFloat64(16, f.min, true);
  dv.setFloat64(24, f.max, true);
  dv.setInt32(32, f.bitmap ? 1 : f.bloom ? 2 : 0, true);
  dv.setUint32(36, f.bloomMask, true);
  dv.setUint32(40, at + DESCRIPTOR_BYTES, true);
  if (words) new Uint32Array(memory.buffer, at + DESCRIPTOR_BYTES, words.length).set(words);
  return at;
}

/** Where a key column of a chunk lies in shared memory, for the filter_runtime_* kernels. */
export interface KeyColumnAt { values: number; valid: number; phys: 'i16' | 'i32' | 'i64' }

/** One scan's use of a filter on its column `col` (a position of the scan's read columns). */
export class RuntimeFilterProbe {
  private tested = 0;
  private passed = 0;
  /** The filter's descriptor in shared memory (0: not written yet) and the allocator it came from. */
  private descriptor = 0;
  private pages: PageAllocator | null = null;
  /** False once the filter has shown it keeps most rows. */
  active = true;
  constructor(readonly filter: RuntimeFilter, readonly col: number) {}

  /** The positions of `v`'s rows that pass (v: the key column of the candidate rows), counted toward the trial. */
  test(v: Vector): Int32Array {
    const pass = passingRows(this.filter, v);
    this.count(v.length, pass.length);
    return pass;
  }

  /**
   * Tests the rows of selection `s` (of a chunk of n rows) on the key column at `key` in place with
   * the filter_runtime_* kernel, writing the passing rows to the context's other selection buffer;
   * returns that selection (or `s` itself when every row passed), counted toward the trial. The
   * filter's words are copied into shared memory on the first call and stay until release().
   */
  testInPlace(kc: KernelContext, key: KeyColumnAt, n: number, s: KernelSelection): KernelSelection {
    const f = this.filter;
    if (f.kind !== 'number') throw internal('a string run-time filter has no kernel form');
    if (this.descriptor === 0) {
      this.pages = allocatorOf(kc.memory);
      this.descriptor = writeDescriptor(f, kc.memory, this.pages);
    }
    const out = s.at === kc.selA ? kc.selB : kc.selA;
    const k = kc.k;
    const desc = this.descriptor;
    const count = key.phys === 'i64' ? k.filter_runtime_i64(key.values, key.valid, n, desc, s.at, s.count, out)
      : key.phys === 'i32' ? k.filter_runtime_i32(key.values, key.valid, n, desc, s.at, s.count, out)
        : k.filter_runtime_i16(key.values, key.valid, n, desc, s.at, s.count, out);
    this.count(s.count, count);
    return count === s.count ? s : { at: out, count };
  }

  /** Gives back the shared memory of the filter's kernel form (the scan calls it when it ends). */
  release(): void {
    if (this.descriptor !== 0) this.pages!.free(this.descriptor);
    this.descriptor = 0;
  }

  /** Counts `tested` rows of which `passed` passed toward the trial; deactivates a filter that keeps most. */
  private count(tested: number, passed: number): void {
    if (this.tested >= TRIAL_ROWS) return;
    this.tested += tested;
    this.passed += passed;
    if (this.tested >= TRIAL_ROWS && this.passed > this.tested * KEEP_RATIO) this.active = false;
  }
}

/** A decoded batch's rows that pass every active probe (columns in the scan's read positions). */
export function filterBatch(b: Batch, probes: readonly RuntimeFilterProbe[]): Batch {
  let out = b;
  for (const p of probes) {
    if (!p.active || out.length === 0) continue;
    const pass = p.test(out.columns[p.col]!);
    if (pass.length === out.length) continue;
    out = { columns: out.columns.map((c) => gatherVector(c, pass, pass.length)), length: pass.length };
  }
  return out;
}

/** Build sides that turn out larger than this at run time publish no filter. */
const MAX_BUILD_ROWS = 4_000_000;

/**
 * Publishes a hash join's run-time filters (plan: host/plan/rules/runtime-filter.ts) in the slice's
 * context once the join has read its build side (`build`, `rows` rows), before it pulls a probe
 * row: the scans below it look them up by id when they start.
 */
export function publishJoinFilters(n: Extract<PNode, { op: 'hashjoin' }>, build: readonly Batch[], rows: number, ctx: ExecContext): void {
  if (!n.runtimeFilters || rows > MAX_BUILD_ROWS || n.runtimeFilters.every((f) => f.remote)) return;
  buildJoinFilters(n, build, ctx, false, (ctx.runtimeFilters ??= new Map()));
}

/**
 * Builds a join's run-time filters from its build side's batches into `out`: the remote ones (for
 * a probe side below an exchange; the leader, from every slice's build rows) or the others. A build
 * side over MAX_BUILD_ROWS rows builds none.
 */
export function buildJoinFilters(n: Extract<PNode, { op: 'hashjoin' }>, build: readonly Batch[], ev: EvalContext, remote: boolean, out: Map<number, RuntimeFilter>): void {
  let rows = 0;
  for (const b of build) rows += b.length;
  if (rows > MAX_BUILD_ROWS) return;
  for (const f of n.runtimeFilters ?? []) {
    if (f.fromProbe || (f.remote ?? false) !== remote) continue;
    const rk = n.rightKeys[f.key]!;
    const domain = filterDomain(n.leftKeys[f.key]!.type, rk.type);
    if (domain === null) continue;
    out.set(f.id, buildRuntimeFilter(build.map((b) => evalExpr(rk, b, ev)), domain));
  }
}

/** The probes of the filters a scan applies that its joins published in this context (none: empty). */
export function scanProbes(n: Extract<PNode, { op: 'scan' }>, ctx: ExecContext): RuntimeFilterProbe[] {
  const out: RuntimeFilterProbe[] = [];
  for (const s of n.runtimeFilters ?? []) {
    const f = ctx.runtimeFilters?.get(s.id);
    if (f) out.push(new RuntimeFilterProbe(f, s.col));
  }
  return out;
}

/**
 * Publishes the filters a join builds from its probe side (`fromProbe`: the probe side is small and
 * was read first) for the scans on its build side: a build row whose key no probe row has pairs
 * with nothing in the inner, semi, anti and left joins that get them.
 */
export function publishProbeFilters(n: Extract<PNode, { op: 'hashjoin' }>, probe: readonly Batch[], ctx: ExecContext): void {
  let rows = 0;
  for (const b of probe) rows += b.length;
  if (rows > MAX_BUILD_ROWS) return;
  const published = (ctx.runtimeFilters ??= new Map());
  for (const f of n.runtimeFilters ?? []) {
    if (!f.fromProbe) continue;
    const lk = n.leftKeys[f.key]!;
    const domain = filterDomain(lk.type, n.rightKeys[f.key]!.type);
    if (domain === null) continue;
    published.set(f.id, buildRuntimeFilter(probe.map((b) => evalExpr(lk, b, ctx)), domain));
  }
}

// An idle probe keeps its class's hidden class alive between queries (host/common/keep-shape.ts).
keepShape(new RuntimeFilterProbe({ kind: 'number', min: 0, max: 0, bitmap: null, bloom: null, bloomMask: 0 }, 0));
