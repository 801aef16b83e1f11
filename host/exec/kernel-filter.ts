// Scan filters in WASM: the conjuncts of a scan's predicate that compare a fixed-width column with
// a constant (=, <>, <, <=, >, >=, BETWEEN) run as filter_cmp_* / filter_between_* kernels over the
// chunk's column buffers in shared memory, chaining selection vectors, and so do comparisons of two
// such columns of one type (filter_cmp_col_*). A conjunct on one string
// column is evaluated on the encoded form when the chunk keeps that column dictionary-coded: once
// per distinct word, then expanded to rows through the codes; on a column of UTF-8 bytes, recognised
// forms (LIKE, =, IN, ...) test the bytes in place (host/exec/byte-predicate.ts); a conjunct on one
// column loaded from a RUNLENGTH block is evaluated once per run when runs are few. The rest of the
// predicate is evaluated by host/exec/eval.ts on the rows that survive. The columns come from a
// FilterInput: a decoded batch, or a chunk read lazily (host/exec/chunk-scan.ts).
import { gatherVector, vectorFromValues, type Batch, type Vector } from '../batch/vector.js';
import { lookupFunction } from '../functions/registry.js';
import { and, conjuncts, type Expr } from '../plan/expr.js';
import { int32Constant, widenedColumn } from '../plan/widening.js';
import { dictionaryOf, runsOf, type ColumnDictionary, type Utf8Column } from '../storage/chunk.js';
import type { ColumnZone } from '../storage/zone-map.js';
import { zoneVerdict, type Value } from '../storage/zone-prune.js';
import type { CmpOp } from '../functions/compare.js';
import { compileBytePredicate, runBytePredicate, type BytePredicate } from './byte-predicate.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';
import type { KernelExports } from '../wasm/kernels.js';
import { evalPredicate, type EvalContext } from './eval.js';
import { allocatorOf } from './kernel-join.js';

/** Kernels and scratch a thread lends its operators. */
export interface KernelContext {
  k: KernelExports;
  memory: WebAssembly.Memory;
  /** Two selection buffers of at least `capacity` i32 each, in shared memory. */
  selA: number;
  selB: number;
  capacity: number;
}

const OPS: Record<string, number> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };
const FLIP: Record<string, string> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

type Step =
  | { kind: 'cmp'; col: number; op: number; k: number | bigint; phys: string }
  | { kind: 'between'; col: number; lo: number | bigint; hi: number | bigint; phys: string }
  /**
   * A conjunct whose only column is the string column `col`: evaluated per dictionary word when the
   * chunk has one, on the bytes when the chunk has them and `bytes` compiled.
   */
  | { kind: 'words'; col: number; type: SqlType; expr: Expr; bytes: BytePredicate | null }
  /** A conjunct whose only column is the fixed-width column `col`: evaluated per run when the chunk has runs, else on the selected rows. */
  | { kind: 'one'; col: number; expr: Expr }
  /**
   * `a <op> b` on two fixed-width columns of one type (TPC-H Q21's l_receiptdate > l_commitdate): the
   * filter_cmp_col_* kernel when both columns are in shared memory, else `expr` on the selected rows.
   */
  | { kind: 'cmpcol'; a: number; b: number; op: number; phys: string; expr: Expr };

/**
 * Counts of conjunct evaluations on the encoded form, and of comparison steps a chunk's zone map
 * proved true for every row (so they did not run), for tests.
 */
export const encodedFilterStats = { runs: 0, bytes: 0, zoneTrue: 0 };

/** The columns a scan filter reads, by the scan's column position. */
export interface FilterInput {
  length: number;
  /** The whole column as a vector (fixed-width columns of a chunk: views of the shared memory, with their runs). */
  vector(c: number): Vector;
  /** Rows sel[0..count) of the column as a new vector. */
  rows(c: number, sel: ArrayLike<number>, count: number): Vector;
  /** Codes and words when the column is dictionary-coded. */
  dictionary(c: number): ColumnDictionary | undefined;
  /** The column's validity bitmap (null: no NULLs), without decoding its values. */
  valid(c: number): Uint8Array | null;
  /** Offsets and UTF-8 bytes in shared memory when the column is kept so. */
  utf8(c: number): Utf8Column | undefined;
  /** The column's zone map over all `length` rows, when the input is a stored chunk that has one. */
  zone?(c: number): ColumnZone | null | undefined;
}

/** A decoded batch as filter input. */
export function batchInput(b: Batch): FilterInput {
  return {
    length: b.length,
    vector: (c) => b.columns[c]!,
    rows: (c, sel, count) => gatherVector(b.columns[c]!, sel, count),
    dictionary: (c) => dictionaryOf(b.columns[c]!),
    valid: (c) => b.columns[c]!.valid,
    utf8: () => undefined,
  };
}

/** A batch of `length` rows with only column `c` set (a single-column conjunct reads nothing else). */
function only(c: number, v: Vector, length: number): Batch {
  const columns = new Array<Vector>(c + 1);
  columns[c] = v;
  return { columns, length };
}

export interface KernelFilterPlan { steps: Step[]; rest: Expr | null }

const KERNEL_PHYS = new Set(['i16', 'i32', 'i64', 'f32', 'f64']);

function constOf(e: Expr, phys: string): number | bigint | undefined {
  if (e.k !== 'const' || e.value === null || e.value === undefined) return undefined;
  const v = e.value;
  if (phys === 'i64') return typeof v === 'bigint' ? v : undefined;
  // an int8 constant against a widened int2/int4 column (widenedColumn): in the column's 32 bits or not at all
  if (phys === 'i32' || phys === 'i16') return int32Constant(v);
  return typeof v === 'number' ? v : undefined;
}

/** The input columns an expression reads, or null when it calls a volatile function (its value may differ per row). */
function columnsOf(e: Expr, into: Set<number>): Set<number> | null {
  if (e.k === 'col') into.add(e.idx);
  if (e.k === 'fn' && lookupFunction(e.name)?.volatile) return null;
  let ok = true;
  const visit = (c: Expr) => { if (ok && columnsOf(c, into) === null) ok = false; return c; };
  if (e.k === 'fn' || e.k === 'cast' || e.k === 'and' || e.k === 'or' || e.k === 'not' || e.k === 'isnull' || e.k === 'case' || e.k === 'in' || e.k === 'inplan') {
    switch (e.k) {
      case 'fn': case 'and': case 'or': e.args.forEach(visit); break;
      case 'cast': case 'not': case 'isnull': case 'inplan': visit(e.arg); break;
      case 'case': e.whens.forEach((w) => { visit(w.when); visit(w.then); }); if (e.else) visit(e.else); break;
      case 'in': visit(e.arg); e.list.forEach(visit); break;
    }
  }
  return ok ? into : null;
}

/** The column a conjunct reads, when it reads exactly one and nothing volatile, and whether it is a string. */
function singleColumn(e: Expr): { idx: number; str: boolean; type: SqlType } | null {
  const cols = columnsOf(e, new Set());
  if (!cols || cols.size !== 1) return null;
  const idx = [...cols][0]!;
  let type: Expr['type'] | undefined;
  const find = (x: Expr): void => {
    if (type) return;
    if (x.k === 'col' && x.idx === idx) { type = x.type; return; }
    switch (x.k) {
      case 'fn': case 'and': case 'or': x.args.forEach(find); break;
      case 'cast': case 'not': case 'isnull': case 'inplan': find(x.arg); break;
      case 'case': x.whens.forEach((w) => { find(w.when); find(w.then); }); if (x.else) find(x.else); break;
      case 'in': find(x.arg); x.list.forEach(find); break;
      default: break;
    }
  };
  find(e);
  return type ? { idx, str: physicalOf(type) === 'str', type } : null;
}

/** Splits a scan predicate into kernel steps and a remainder. */
export function planKernelFilter(pred: Expr): KernelFilterPlan {
  const steps: Step[] = [];
  const rest: Expr[] = [];
  // Column-vs-column comparisons run after the steps against constants (which are cheaper and
  // usually more selective); single-column conjuncts on other columns run last, on the rows those keep.
  const pairs: Step[] = [];
  const late: Step[] = [];
  for (const c of conjuncts(pred)) {
    if (c.k === 'fn' && OPS[c.name] !== undefined && c.args.length === 2) {
      let [a, b] = c.args as [Expr, Expr];
      let name = c.name;
      if (a.k === 'const' && widenedColumn(b)) { [a, b] = [b, a]; name = FLIP[name]!; }
      // the column itself, or a widening cast of it: the comparison holds on the stored values alike
      const col = widenedColumn(a);
      if (col) {
        const phys = physicalOf(col.type);
        // bool is u8 and strings are not fixed width; floats compare as PostgreSQL does in the kernel.
        const k = KERNEL_PHYS.has(phys) ? constOf(b, phys) : undefined;
        if (k !== undefined) { steps.push({ kind: 'cmp', col: col.idx, op: OPS[name]!, k, phys }); continue; }
        if (a.k === 'col' && b.k === 'col' && sameKernelType(a.type, b.type)) { pairs.push({ kind: 'cmpcol', a: a.idx, b: b.idx, op: OPS[name]!, phys, expr: c }); continue; }
      }
    }
    const one = singleColumn(c);
    if (one?.str) { steps.push({ kind: 'words', col: one.idx, type: one.type, expr: c, bytes: compileBytePredicate(c) }); continue; }
    if (one) { late.push({ kind: 'one', col: one.idx, expr: c }); continue; }
    rest.push(c);
  }
  // lo <= x AND x <= hi on one column becomes one BETWEEN kernel.
  const merged: Step[] = [];
  const used = new Set<number>();
  steps.forEach((s, i) => {
    if (used.has(i) || s.kind !== 'cmp') return;
    if (s.op === 5 || s.op === 3) {
      const j = steps.findIndex((t, jj) => jj !== i && !used.has(jj) && t.kind === 'cmp' && t.col === s.col && (s.op === 5 ? t.op === 3 : t.op === 5));
      if (j >= 0) {
        const t = steps[j] as Extract<Step, { kind: 'cmp' }>;
        used.add(i); used.add(j);
        merged.push({ kind: 'between', col: s.col, lo: s.op === 5 ? s.k : t.k, hi: s.op === 5 ? t.k : s.k, phys: s.phys });
        return;
      }
    }
  });
  steps.forEach((s, i) => { if (!used.has(i)) merged.push(s); });
  merged.push(...pairs, ...late);
  return { steps: merged, rest: rest.length ? and(rest) : null };
}

/**
 * Whether two column types compare as their raw fixed-width values: one type (numerics of one scale,
 * so the scaled integers order as the values do) on a physical form the kernels take. Mixed types
 * (int4 vs int8, numerics of two scales) keep the coercion eval.ts applies.
 */
function sameKernelType(a: SqlType, b: SqlType): boolean {
  if (a.id !== b.id || !KERNEL_PHYS.has(physicalOf(a))) return false;
  return a.id !== 'numeric' || (a.scale ?? 0) === (b.scale ?? 0);
}

function inMemory(v: Vector, memory: WebAssembly.Memory): boolean {
  const d = v.data as unknown as ArrayBufferView;
  return ArrayBuffer.isView(d) && d.buffer === memory.buffer && (v.valid === null || v.valid.buffer === memory.buffer);
}

/**
 * Rows (of selIn, or all n when selIn is 0) passing a one-string-column conjunct, written to `out`
 * in shared memory. With the column dictionary-coded, the conjunct is evaluated once per distinct
 * word and once for NULL, and the codes pick the rows; otherwise it is evaluated on every row.
 */
function runWords(s: Extract<Step, { kind: 'words' }>, b: FilterInput, ev: EvalContext, kc: KernelContext, selIn: number, nSel: number, out: number): number {
  const memory = kc.memory;
  const n = b.length;
  const dict = b.dictionary(s.col);
  if (!dict) {
    const bytes = s.bytes ? b.utf8(s.col) : undefined;
    if (bytes) {
      encodedFilterStats.bytes++;
      if (s.bytes!.pieces) return runLikePieces(s.bytes!.pieces, s.bytes!.negate, bytes, kc, selIn, nSel, out);
      return runBytePredicate(s.bytes!, bytes, selIn === 0 ? null : new Int32Array(memory.buffer, selIn, nSel), nSel, new Int32Array(memory.buffer, out, n));
    }
    // Otherwise the column is evaluated like any other single column: per run, or on the candidates.
    return runOneColumn(s, b, ev, memory, selIn, nSel, out);
  }
  const sel = new Int32Array(memory.buffer, out, n);
  const inSel = selIn === 0 ? null : new Int32Array(memory.buffer, selIn, nSel);
  let count = 0;
  const on = (values: Vector, len: number) => evalPredicate(s.expr, only(s.col, values, len), ev);
  const words = dict.words;
  const passWord = new Uint8Array(words.length);
  const w = on({ type: s.type, length: words.length, data: words, valid: null }, words.length);
  for (let j = 0; j < w.count; j++) passWord[w.sel[j]!] = 1;
  const valid = b.valid(s.col);
  const nullPass = valid ? on(vectorFromValues(s.type, [null]), 1).count === 1 : false;
  const codes = dict.codes;
  if (codes.buffer === memory.buffer && (valid === null || valid.buffer === memory.buffer)) {
    // codes in shared memory (a chunk's column): the filter_codes kernel expands the words' bytes to rows
    const pages = allocatorOf(memory);
    const pass = pages.alloc(words.length);
    try {
      new Uint8Array(memory.buffer, pass, words.length).set(passWord);
      return kc.k.filter_codes(codes.byteOffset, valid ? valid.byteOffset : 0, n, pass, nullPass ? 1 : 0, selIn, nSel, out);
    } finally {
      pages.free(pass);
    }
  }
  // Loops specialised by the two common cases (no selection yet, no NULLs) keep the per-row work to one lookup.
  if (!inSel && valid === null) {
    for (let r = 0; r < n; r++) { sel[count] = r; count += passWord[codes[r]!]!; }
    return count;
  }
  const ok = (r: number) => (valid === null || ((valid[r >> 3]! >> (r & 7)) & 1) === 1 ? passWord[codes[r]!] === 1 : nullPass);
  if (!inSel) { for (let r = 0; r < n; r++) if (ok(r)) sel[count++] = r; } else {
    for (let j = 0; j < nSel; j++) { const r = inSel[j]!; if (ok(r)) sel[count++] = r; }
  }
  return count;
}

/** A LIKE of literal text and % on a chunk's Utf8 column, by the str_like_pieces kernel in place. */
function runLikePieces(p: NonNullable<BytePredicate['pieces']>, negate: boolean, col: Utf8Column, kc: KernelContext, selIn: number, nSel: number, out: number): number {
  const pages = allocatorOf(kc.memory);
  const pat = pages.alloc(p.bytes.length + 4 * p.lens.length);
  try {
    const lens = pat + p.bytes.length;
    new Uint8Array(kc.memory.buffer, pat, p.bytes.length).set(p.bytes);
    new Uint8Array(kc.memory.buffer, lens, 4 * p.lens.length).set(new Uint8Array(p.lens.buffer, p.lens.byteOffset, 4 * p.lens.length));
    const flags = (negate ? 1 : 0) | (p.trim ? 2 : 0);
    return kc.k.str_like_pieces(col.offsets.byteOffset, col.bytes, col.valid ? col.valid.byteOffset : 0, col.rows, pat, lens, p.lens.length, flags, selIn, nSel, out);
  } finally {
    pages.free(pat);
  }
}

/** The runs of a vector loaded from a RUNLENGTH block, when they are few enough (at most a quarter of the rows) to pay off. */
function fewRuns(v: Vector): Int32Array | undefined {
  const r = runsOf(v);
  return r && r.length <= v.length / 4 ? r : undefined;
}

/**
 * Rows (of inSel, or all rows) passing a one-column conjunct, evaluated once per run that holds
 * a candidate row (so nothing is evaluated on a value no candidate row has), written to `sel`.
 */
function runRuns(expr: Expr, col: number, v: Vector, ev: EvalContext, ends: Int32Array, inSel: Int32Array | null, sel: Int32Array): number {
  encodedFilterStats.runs++;
  const nr = ends.length;
  // The run of each candidate row, by walking the (ascending) selection; a step back restarts the search.
  const runOfSel = inSel ? new Int32Array(inSel.length) : null;
  const touched = new Uint8Array(nr);
  if (inSel) {
    let k = 0;
    for (let j = 0; j < inSel.length; j++) {
      const r = inSel[j]!;
      if (k > 0 && r < ends[k - 1]!) k = 0;
      while (ends[k]! <= r) k++;
      runOfSel![j] = k; touched[k] = 1;
    }
  } else touched.fill(1);
  const runIdx: number[] = [], starts: number[] = [];
  for (let k = 0; k < nr; k++) if (touched[k]) { runIdx.push(k); starts.push(k === 0 ? 0 : ends[k - 1]!); }
  const w = evalPredicate(expr, only(col, gatherVector(v, starts, starts.length), starts.length), ev);
  const passRun = new Uint8Array(nr);
  for (let j = 0; j < w.count; j++) passRun[runIdx[w.sel[j]!]!] = 1;
  let count = 0;
  if (!inSel) {
    for (let k = 0; k < nr; k++) if (passRun[k]) for (let r = k === 0 ? 0 : ends[k - 1]!; r < ends[k]!; r++) sel[count++] = r;
    return count;
  }
  for (let j = 0; j < inSel.length; j++) if (passRun[runOfSel![j]!]) sel[count++] = inSel[j]!;
  return count;
}

/** Rows passing a conjunct that reads only column `s.col`: per run when the column has few runs, else on the candidate rows. */
function runOneColumn(s: { col: number; expr: Expr }, b: FilterInput, ev: EvalContext, memory: WebAssembly.Memory, selIn: number, nSel: number, out: number): number {
  const n = b.length;
  const sel = new Int32Array(memory.buffer, out, n);
  const inSel = selIn === 0 ? null : new Int32Array(memory.buffer, selIn, nSel);
  // Only a column with runs is read whole here; otherwise just the candidate rows are decoded.
  const v = b.dictionary(s.col) || b.utf8(s.col) ? undefined : b.vector(s.col);
  const runs = v ? fewRuns(v) : undefined;
  if (runs) return runRuns(s.expr, s.col, v!, ev, runs, inSel, sel);
  // The passing positions are written straight into the output buffer (no array per chunk), then
  // mapped through the candidates in place (out is never selIn: the steps alternate selA and selB).
  if (!inSel) return evalPredicate(s.expr, only(s.col, v ?? b.vector(s.col), n), ev, sel).count;
  const cand = inSel.slice();
  const { count } = evalPredicate(s.expr, only(s.col, b.rows(s.col, cand, cand.length), cand.length), ev, sel);
  for (let j = 0; j < count; j++) sel[j] = cand[sel[j]!]!;
  return count;
}

function dataOffset(v: Vector): number { return (v.data as unknown as ArrayBufferView).byteOffset; }
function validOffset(v: Vector): number { return v.valid ? v.valid.byteOffset : 0; }

/** Rows (of selIn, or all rows) passing `expr`, which reads columns `cols`, evaluated in JS on those rows; written to `out`. */
function runOnRows(expr: Expr, cols: readonly number[], b: FilterInput, ev: EvalContext, memory: WebAssembly.Memory, selIn: number, nSel: number, out: number): number {
  const n = b.length;
  const sel = new Int32Array(memory.buffer, out, n);
  const cand = selIn === 0 ? null : new Int32Array(memory.buffer, selIn, nSel).slice();
  const m = cand ? cand.length : n;
  const columns = new Array<Vector>(Math.max(...cols) + 1);
  for (const c of cols) columns[c] = cand ? b.rows(c, cand, m) : b.vector(c);
  const { count } = evalPredicate(expr, { columns, length: m }, ev, sel);
  if (cand) for (let j = 0; j < count; j++) sel[j] = cand[sel[j]!]!;
  return count;
}

/**
 * Where a chain of kernel steps left its selection in the KernelContext's buffers: `at` (selA or
 * selB; 0 while no step has run: every row) holds `count` row indices.
 */
export interface KernelSelection { at: number; count: number }

/** The selection buffer a step that reads selection `s` writes to (the one `s` is not in). */
export function spareBuffer(kc: KernelContext, s: KernelSelection): number {
  return s.at === kc.selA ? kc.selB : kc.selA;
}

/** A kernel selection as row indices in a new array (every row when no step ran: count is then the row count). */
export function selectionRows(kc: KernelContext, s: KernelSelection): Int32Array {
  return selectionView(kc, s).slice();
}

/**
 * A kernel selection's row indices without a copy: a view of the context's selection buffer (valid
 * until the next kernel filter of this thread) or, when no step ran, of a shared identity (never
 * written). A caller that keeps the rows past that, or writes them, takes selectionRows.
 */
export function selectionView(kc: KernelContext, s: KernelSelection): Int32Array {
  if (s.at === 0) return identityRows(s.count);
  return new Int32Array(kc.memory.buffer, s.at, s.count);
}

let identity = new Int32Array(0);

/** The row indices 0..n-1 as a view of one array per thread, grown on demand: callers only read it. */
export function identityRows(n: number): Int32Array {
  if (identity.length < n) {
    identity = new Int32Array(Math.max(n, identity.length * 2));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}

/**
 * Runs the kernel steps over a batch whose columns live in shared memory. Returns the selected row
 * indices (a copy), or null when a column is not in shared memory or a string step has no
 * evaluation context (the caller falls back to JS).
 */
export function runKernelFilter(plan: KernelFilterPlan, input: Batch | FilterInput, kc: KernelContext, ev?: EvalContext): Int32Array | null {
  const s = runKernelSteps(plan, input, kc, ev);
  return s && selectionRows(kc, s);
}

/** The kernels' comparison codes (docs/kernel-abi.md filter_cmp_*) by operator name. */
const CMP_NAMES: readonly CmpOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/** Orders two zone or step values of an integer layout: numbers and bigints compare exactly with each other. */
const compareInts = (a: Value, b: Value): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Whether a chunk's zone map proves a comparison step true on every row (zoneVerdict 'all': no NULLs, and
 * the whole [min, max] range inside the accepted values). Such a step selects every row it is given, so it
 * is not run (Redshift skips blocks by zone maps the same way; this is the other side of that test).
 * Integer layouts only: their zone values order exactly as the kernel compares them, where floats have
 * NaN, which PostgreSQL sorts above every other value.
 */
function zoneProvesAll(s: Extract<Step, { kind: 'cmp' | 'between' }>, z: ColumnZone | null | undefined): boolean {
  if (!z || (s.phys !== 'i16' && s.phys !== 'i32' && s.phys !== 'i64')) return false;
  if (s.kind === 'between') return zoneVerdict('ge', s.lo, z, compareInts) === 'all' && zoneVerdict('le', s.hi, z, compareInts) === 'all';
  const op = CMP_NAMES[s.op];
  return op !== undefined && zoneVerdict(op, s.k, z, compareInts) === 'all';
}

/**
 * Runs the kernel steps, leaving the selection in the context's buffers (valid until the next
 * kernel filter of this thread), or null as runKernelFilter.
 */
export function runKernelSteps(plan: KernelFilterPlan, input: Batch | FilterInput, kc: KernelContext, ev?: EvalContext): KernelSelection | null {
  const b = 'vector' in input ? input : batchInput(input);
  const n = b.length;
  if (n > kc.capacity) return null;
  let selIn = 0, nSel = n;
  let out = kc.selA;
  for (const s of plan.steps) {
    if (s.kind === 'words' || s.kind === 'one') {
      if (!ev) return null;
      nSel = s.kind === 'words' ? runWords(s, b, ev, kc, selIn, nSel, out) : runOneColumn(s, b, ev, kc.memory, selIn, nSel, out);
      selIn = out;
      out = out === kc.selA ? kc.selB : kc.selA;
      if (nSel === 0) break;
      continue;
    }
    if (s.kind === 'cmpcol') {
      const va = b.vector(s.a), vb = b.vector(s.b);
      if (inMemory(va, kc.memory) && inMemory(vb, kc.memory)) {
        const k = kc.k as unknown as Record<string, (...args: unknown[]) => number>;
        nSel = k[`filter_cmp_col_${s.phys}`]!(s.op, dataOffset(va), validOffset(va), dataOffset(vb), validOffset(vb), n, selIn, nSel, out);
      } else {
        if (!ev) return null;
        nSel = runOnRows(s.expr, [s.a, s.b], b, ev, kc.memory, selIn, nSel, out);
      }
      selIn = out;
      out = out === kc.selA ? kc.selB : kc.selA;
      if (nSel === 0) break;
      continue;
    }
    if (b.zone && zoneProvesAll(s, b.zone(s.col))) { encodedFilterStats.zoneTrue++; continue; }
    const v = b.vector(s.col);
    if (!inMemory(v, kc.memory)) return null;
    const col = (v.data as unknown as ArrayBufferView).byteOffset;
    const valid = v.valid ? v.valid.byteOffset : 0;
    const k = kc.k as unknown as Record<string, (...args: unknown[]) => number>;
    if (s.kind === 'cmp') nSel = k[`filter_cmp_${s.phys}`]!(s.op, col, valid, n, s.k, selIn, nSel, out);
    else nSel = k[`filter_between_${s.phys}`]!(col, valid, n, s.lo, s.hi, selIn, nSel, out);
    selIn = out;
    out = out === kc.selA ? kc.selB : kc.selA;
    if (nSel === 0) break;
  }
  return { at: selIn, count: nSel };
}
