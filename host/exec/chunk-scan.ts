// A filtered scan of one chunk with late materialization: the scan's predicate runs on the chunk's
// encoded columns in shared memory first (kernels on fixed-width values, per word on dictionaries,
// on UTF-8 bytes for recognised string forms: host/exec/kernel-filter.ts), the remaining conjuncts on
// just the columns they read, decoded for the surviving rows, and only then are the scan's other
// columns decoded, for the rows that passed. A column the filter alone reads is never decoded.
// Run-time filters from the joins above (host/exec/runtime-filter.ts) run right after the kernels:
// on a fixed-width integer key column as a kernel over the chunk's memory (no key decoded), else in
// JS on the key column decoded for the rows still selected.
import { gatherBatch, gatherVector, type Batch, type Vector } from '../batch/vector.js';
import { colsRead, type Expr } from '../plan/expr.js';
import { decodeChunk } from '../storage/chunk-store.js';
import {
  chunkDictionaryOf, decodeColumn, decodeRows, decodeRowsAt, utf8ColumnOf, validityOf, type ScanChunk,
} from '../storage/chunk.js';
import { physicalOf } from '../types/sql-type.js';
import { evalPredicate, type EvalContext } from './eval.js';
import { allocatorOf } from './kernel-join.js';
import { identityRows, runKernelSteps, selectionView, type FilterInput, type KernelContext, type KernelFilterPlan, type KernelSelection } from './kernel-filter.js';
import { filterBatch, zoneMayPass, type KeyColumnAt, type RuntimeFilterProbe } from './runtime-filter.js';

/** Column `c` of a chunk when the filter_runtime_* kernels can test it in place: fixed-width int2, int4 or int8 values. */
function keyColumnAt(chunk: ScanChunk, c: number): KeyColumnAt | null {
  const col = chunk.desc.cols[c]!;
  if (col.kind !== 'fixed') return null;
  const phys = physicalOf(chunk.desc.types[c]!);
  return phys === 'i16' || phys === 'i32' || phys === 'i64' ? { values: col.values, valid: col.valid, phys } : null;
}

/** The chunk's columns in scan positions (cols[p] is the chunk column at position p), read on demand. */
function chunkInput(chunk: ScanChunk, cols: readonly number[]): FilterInput {
  const { desc, memory } = chunk;
  const whole = new Map<number, Vector>();
  return {
    length: desc.rows,
    vector: (c) => {
      let v = whole.get(c);
      if (!v) { v = decodeColumn(desc, cols[c]!, memory); whole.set(c, v); }
      return v;
    },
    rows: (c, sel, count) => decodeRows(desc, cols[c]!, memory, sel, count),
    dictionary: (c) => chunkDictionaryOf(desc, cols[c]!, memory),
    valid: (c) => validityOf(desc, cols[c]!, memory),
    utf8: (c) => utf8ColumnOf(desc, cols[c]!, memory),
    zone: (c) => desc.zones?.[cols[c]!],
  };
}

/**
 * The rows of a chunk that pass the scan's `filter` (planned as `plan`) and its run-time filters, with
 * the scan's first `width` columns, or null when none pass: scanChunkFiltered, and where its kernel
 * steps cannot run, the whole chunk decoded and filtered row by row.
 */
export function scanChunk(chunk: ScanChunk, cols: readonly number[], width: number, plan: KernelFilterPlan, filter: Expr | null, kc: KernelContext, ev: EvalContext, probes: readonly RuntimeFilterProbe[]): Batch | null {
  const rows = scanChunkFiltered(chunk, cols, width, plan, kc, ev, probes);
  if (rows !== undefined) return rows;
  const b = decodeChunk(chunk.desc, [...cols], chunk.memory);
  const { sel, count } = filter ? evalPredicate(filter, b, ev) : { sel: identityRows(b.length), count: b.length };
  if (count === 0) return null;
  const kept = filterBatch(chunk.stable ? gatherBatch(b, sel, count) : { columns: b.columns.map((c) => gatherVector(c, sel, count)), length: count }, probes);
  if (kept.length === 0) return null;
  return kept.columns.length === width ? kept : { columns: kept.columns.slice(0, width), length: kept.length };
}

/**
 * The rows of a chunk that pass the scan's filter and its run-time filters (`probes`), with the
 * scan's first `width` columns (`cols` are the chunk columns the filter's positions name); null
 * when none pass, undefined when the kernel steps cannot run here (the caller decodes the chunk and
 * filters it).
 */
export function scanChunkFiltered(chunk: ScanChunk, cols: readonly number[], width: number, plan: KernelFilterPlan, kc: KernelContext, ev: EvalContext, probes: readonly RuntimeFilterProbe[] = []): Batch | null | undefined {
  const input = chunkInput(chunk, cols);
  const picked = selectChunkRows(chunk, input, cols, plan, kc, ev, probes);
  if (!picked) return picked;
  const { sel: final, early } = picked;
  const n = chunk.desc.rows;
  const count = final.length;
  // Every row passed: fixed-width columns of a stable chunk are returned as views.
  const all = count === n && chunk.stable;
  const columns = new Array<Vector>(width);
  const gathered = all ? 0 : gatherFixedColumns(chunk, cols, width, early, final, kc, columns);
  if (gathered < width) for (let c = 0; c < width; c++) columns[c] ??= early.get(c) ?? (all ? input.vector(c) : input.rows(c, final, count));
  return { columns, length: count };
}

/**
 * Gathers the rows `sel` of the scan's fixed-width output columns not in `early` into `columns` with
 * the gather kernels: the selection is copied once into shared memory taken for this call (and
 * given back), each column gathered beside it and copied out. Returns how many columns it set.
 */
function gatherFixedColumns(chunk: ScanChunk, cols: readonly number[], width: number, early: ReadonlyMap<number, Vector>, sel: Int32Array, kc: KernelContext, columns: Vector[]): number {
  const count = sel.length;
  if (count < KERNEL_GATHER_ROWS || chunk.memory !== kc.memory) return 0;
  const todo: number[] = [];
  for (let c = 0; c < width; c++) if (!early.has(c) && chunk.desc.cols[cols[c]!]!.kind === 'fixed') todo.push(c);
  if (todo.length === 0) return 0;
  const pages = allocatorOf(kc.memory);
  const selBytes = (count * 4 + 63) & ~63, outBytes = count * 8;
  const at = pages.alloc(selBytes + outBytes + (count >> 3) + 64);
  try {
    new Int32Array(kc.memory.buffer, at, count).set(sel);
    for (const c of todo) columns[c] = decodeRowsAt(chunk.desc, cols[c]!, chunk.memory, kc.k, at, count, at + selBytes, at + selBytes + outBytes)!;
  } finally {
    pages.free(at);
  }
  return todo.length;
}

/** Output rows below which a column is gathered in JS (a kernel call and two copies cost more). */
const KERNEL_GATHER_ROWS = 64;

/**
 * The rows of a chunk that pass the scan's filter and its run-time filters, without decoding the
 * scan's output columns (the fused scan-aggregate, host/exec/scan-agg.ts, reads them in place):
 * null when none pass, undefined when the kernel steps cannot run here. The rows are lent, not
 * given (often a view of the kernel selection buffer, to spare an array per chunk): read them
 * before the next scan or kernel filter of this thread, and never write or keep them.
 */
export function scanChunkRows(chunk: ScanChunk, cols: readonly number[], plan: KernelFilterPlan, kc: KernelContext, ev: EvalContext, probes: readonly RuntimeFilterProbe[] = []): Int32Array | null | undefined {
  const picked = selectChunkRows(chunk, chunkInput(chunk, cols), cols, plan, kc, ev, probes);
  return picked ? picked.sel : picked;
}

/**
 * The passing rows (`sel`, lent as scanChunkRows says) and the columns decoded for them on the
 * way, by scan position.
 */
function selectChunkRows(chunk: ScanChunk, input: FilterInput, cols: readonly number[], plan: KernelFilterPlan, kc: KernelContext, ev: EvalContext, probes: readonly RuntimeFilterProbe[]): { sel: Int32Array; early: Map<number, Vector> } | null | undefined {
  // A chunk whose key range misses the build side's keys is skipped whole (its zone map).
  for (const p of probes) if (p.active && !zoneMayPass(p.filter, chunk.desc.zones?.[cols[p.col]!])) return null;
  const n = chunk.desc.rows;
  let ks: KernelSelection | null = { at: 0, count: n };
  if (plan.steps.length > 0) {
    ks = n <= kc.capacity ? runKernelSteps(plan, input, kc, ev) : null;
    if (!ks) return undefined;
    if (ks.count === 0) return null;
  }
  // Run-time filters on integer key columns: a kernel narrows the kernel selection in place.
  const inKernel = probes.map((p) => p.active && p.filter.kind === 'number' && n <= kc.capacity && keyColumnAt(chunk, cols[p.col]!));
  for (let i = 0; i < probes.length; i++) {
    const key = inKernel[i];
    if (!key) continue;
    ks = probes[i]!.testInPlace(kc, key, n, ks);
    if (ks.count === 0) return null;
  }
  // The kernel selection is read in place (no copy per chunk): it stays valid until the next kernel
  // filter of this thread, which nothing below runs but the rest of the predicate (see there).
  let sel: Int32Array | null = plan.steps.length > 0 || ks.at !== 0 ? selectionView(kc, ks) : null;
  // Columns already decoded for the rows in sel (all rows while sel is null), by position.
  const early = new Map<number, Vector>();
  /** Keeps the entries `keep[0..count)` of the current rows: sel and every early column. */
  const narrow = (keep: ArrayLike<number>, count: number): void => {
    const next = new Int32Array(count);
    if (sel) for (let j = 0; j < count; j++) next[j] = sel[keep[j]!]!;
    else for (let j = 0; j < count; j++) next[j] = keep[j]!;
    for (const [c, v] of early) early.set(c, gatherVector(v, keep, count));
    sel = next;
  };
  // The run-time filters on their key columns (host/exec/runtime-filter.ts): a bit test per row.
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i]!;
    if (!p.active || inKernel[i]) continue;
    const had = early.get(p.col);
    const key = had ?? (sel ? input.rows(p.col, sel, sel.length) : input.vector(p.col));
    const rows = sel ? sel.length : n;
    const pass = p.test(key);
    if (pass.length === 0) return null;
    if (pass.length === rows) {
      // a whole column viewed in place is not kept: the output takes its own view or copy
      if (sel && !had) early.set(p.col, key);
      continue;
    }
    narrow(pass, pass.length);
    if (!had) early.set(p.col, gatherVector(key, pass, pass.length));
  }
  // The rest of the predicate on the columns it reads, for the rows still selected.
  if (plan.rest) {
    // Copied off the kernel buffer first: the rest may evaluate a subquery that filters with kernels.
    const cand = sel === null ? identityRows(n) : sel.buffer === kc.memory.buffer ? sel.slice() : sel;
    const columns = new Array<Vector>(cols.length);
    const reads = colsRead(plan.rest);
    for (const c of reads) columns[c] = early.get(c) ?? input.rows(c, cand, cand.length);
    const { sel: pass, count } = evalPredicate(plan.rest, { columns, length: cand.length }, ev);
    if (count === 0) return null;
    for (const c of reads) if (!early.has(c)) early.set(c, columns[c]!);
    if (count < cand.length) narrow(pass, count);
    else sel = cand;
  }
  return { sel: sel ?? identityRows(n), early };
}
