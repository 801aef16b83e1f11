// The physical operators: each turns a PNode into a stream of batches for one slice (or the
// leader). Scans read the slice's storage, joins hash the inner side, aggregation groups with
// per-group accumulators, sort orders by key vectors. Exchanges are resolved by the cluster
// (host/cluster) before a fragment runs here, so they appear as `recv` nodes.
import {
  type Batch, type Vector, type VectorData, allocData, batchFromRows, bitmapBytes, concatBatches, gatherBatch, gatherVector,
  sliceBatch, valueAt,
} from '../batch/vector.js';
import { SqlError, SqlState, internal } from '../common/errors.js';
import { compareValues } from '../functions/compare.js';
import { ok } from '../functions/vec.js';
import { scanReadCols, type PNode, type PSortKey } from '../plan/physical.js';
import { colsRead, type Expr } from '../plan/expr.js';
import type { SqlType } from '../types/sql-type.js';
import { evalExpr, evalPredicate, type EvalContext } from './eval.js';
import { hashAggregate } from './hash-agg.js';
import { scanAggregate } from './scan-agg.js';
import { keyFunction } from './keys.js';
import { KernelHashTable } from './kernel-join.js';
import { planKernelFilter, runKernelFilter, type KernelContext } from './kernel-filter.js';
import { scanChunk } from './chunk-scan.js';
import { packedSortOrder, sortKeyNumbers } from './sort-keys.js';
import { filterBatch, publishJoinFilters, publishProbeFilters, scanProbes, type RuntimeFilter, type RuntimeFilterProbe } from './runtime-filter.js';
import type { ScanChunk } from '../storage/chunk.js';
import { computeWindows } from './window.js';
import { topNIndices } from './top-n.js';

export const BATCH_ROWS = 65536;

export interface ExecContext extends EvalContext {
  slice: number;
  slices: number;
  /**
   * Batches of a table's rows stored on a slice (replica: the one copy of an ALL table). `filter`
   * (the scan's own predicate, still applied by the scan) lets storage skip chunks by zone maps.
   */
  scan(table: number, slice: number, cols: number[], replica: boolean, filter?: Expr | null): Iterable<Batch>;
  /**
   * The same chunks as `scan` (zone maps applied), undecoded, for a filtered scan that materializes
   * late (host/exec/chunk-scan.ts); absent where storage is not chunks in this thread's memory.
   */
  scanChunks?(table: number, slice: number, cols: number[], replica: boolean, filter?: Expr | null): Iterable<ScanChunk>;
  /** What an exchange delivered to this site. */
  recv(exchange: number): Batch[];
  /** Throws if the statement was cancelled. */
  checkCancel(): void;
  /** WASM kernels of this thread, when it has them. */
  kernels?: KernelContext;
  /** Run-time filters the fragment's hash joins published, by id, for the scans below them (host/exec/runtime-filter.ts). */
  runtimeFilters?: Map<number, RuntimeFilter>;
}

export function* execute(n: PNode, ctx: ExecContext): Generator<Batch> {
  switch (n.op) {
    case 'scan': yield* scan(n, ctx); return;
    case 'values': {
      const one: Batch = { columns: [], length: 1 };
      const rows = n.rows.map((r) => r.map((e) => valueAt(evalExpr(e, one, ctx), 0)));
      if (rows.length) yield batchFromRows(n.types, rows);
      return;
    }
    case 'filter': {
      // One selection buffer for all the batches: gatherBatch copies the rows out (or passes b on whole).
      let scratch = new Int32Array(0);
      for (const b of execute(n.input, ctx)) {
        if (scratch.length < b.length) scratch = new Int32Array(b.length);
        const { sel, count } = evalPredicate(n.pred, b, ctx, scratch);
        if (count > 0) yield gatherBatch(b, sel, count);
      }
      return;
    }
    case 'project': {
      // A join straight below gathers only the columns the projection reads (late materialization).
      const input = n.input.op === 'hashjoin' ? hashJoin(n.input, ctx, columnsRead(n)) : execute(n.input, ctx);
      for (const b of input) {
        yield { columns: n.exprs.map((e) => evalExpr(e, b, ctx)), length: b.length };
      }
      return;
    }
    case 'hashjoin': yield* hashJoin(n, ctx, null); return;
    case 'nljoin': yield* nestedLoopJoin(n, ctx); return;
    case 'agg': yield* aggregate(n, ctx); return;
    case 'sort': yield* sort(n, ctx); return;
    case 'limit': yield* limit(n, ctx); return;
    case 'setop': yield* setOp(n, ctx); return;
    case 'recv': for (const b of ctx.recv(n.exchange)) if (b.length) yield b; return;
    case 'window': {
      const all = collect(n.input, ctx);
      if (all.length === 0) return;
      const out = computeWindows(all, n.calls, ctx);
      for (let s = 0; s < out.length; s += BATCH_ROWS) yield sliceBatch(out, s, Math.min(BATCH_ROWS, out.length - s));
      return;
    }
    case 'exchange': throw internal('exchange reached a slice operator');
  }
}

/** Runs a node to completion and concatenates its output. */
export function collect(n: PNode, ctx: ExecContext): Batch {
  const parts: Batch[] = [];
  for (const b of execute(n, ctx)) parts.push(b);
  return concatBatches(n.types, parts);
}

/** A kernel plan with no steps: the chunk path for a scan that has run-time filters but no filter of its own. */
const NO_FILTER_PLAN = { steps: [], rest: null };

function* scan(n: Extract<PNode, { op: 'scan' }>, ctx: ExecContext): Generator<Batch> {
  if (n.replica === 'once' && ctx.slice !== 0) return;
  // Run-time filters the joins above published (host/exec/runtime-filter.ts): the scan's batches
  // are in read positions, so filterBatch runs before `out`.
  const probes = n.runtimeFilters ? scanProbes(n, ctx) : [];
  try {
    yield* scanFiltered(n, ctx, probes);
  } finally {
    // the kernel forms of the filters (shared memory) live as long as the scan
    for (const p of probes) p.release();
  }
}

function* scanFiltered(n: Extract<PNode, { op: 'scan' }>, ctx: ExecContext, probes: readonly RuntimeFilterProbe[]): Generator<Batch> {
  const replica = n.replica !== 'slice';
  // The filter's positions are the read columns; batches leave with the output columns only.
  const read = scanReadCols(n);
  const width = n.cols.length;
  const out = (b: Batch): Batch => (b.columns.length === width ? b : { columns: b.columns.slice(0, width), length: b.length });
  const kplan = ctx.kernels ? (n.filter ? planKernelFilter(n.filter) : probes.length > 0 ? NO_FILTER_PLAN : null) : null;
  if (kplan && ctx.scanChunks) {
    // Filter first on the encoded chunk, then decode the output columns of the surviving rows only.
    for (const chunk of ctx.scanChunks(n.table, replica ? 0 : ctx.slice, read, replica, n.filter)) {
      ctx.checkCancel();
      const rows = scanChunk(chunk, read, width, kplan, n.filter, ctx.kernels!, ctx, probes);
      if (rows) yield rows;
    }
    return;
  }
  for (const b of ctx.scan(n.table, replica ? 0 : ctx.slice, read, replica, n.filter)) {
    ctx.checkCancel();
    for (const rows of filterScanBatch(n, b, kplan, ctx)) {
      const kept = filterBatch(rows, probes);
      if (kept.length > 0) yield out(kept);
    }
  }
}

/** The rows of a decoded scan batch that pass the scan's own filter (none or one batch). */
function filterScanBatch(n: Extract<PNode, { op: 'scan' }>, b: Batch, kplan: ReturnType<typeof planKernelFilter> | null, ctx: ExecContext): Batch[] {
  if (!n.filter) return [b];
  if (kplan && kplan.steps.length > 0) {
    const ksel = runKernelFilter(kplan, b, ctx.kernels!, ctx);
    if (ksel) {
      if (ksel.length === 0) return [];
      let rows = gatherBatch(b, ksel, ksel.length);
      if (kplan.rest) {
        const { sel, count } = evalPredicate(kplan.rest, rows, ctx);
        if (count === 0) return [];
        rows = gatherBatch(rows, sel, count);
      }
      return [rows];
    }
  }
  const { sel, count } = evalPredicate(n.filter, b, ctx);
  return count > 0 ? [gatherBatch(b, sel, count)] : [];
}

// ---------------------------------------------------------------- joins

/** n NULLs of a type (outer join padding): zeroed data under an all-clear validity bitmap. */
function nullVector(type: SqlType, n: number): Vector {
  return { type, length: n, data: allocData(type, n), valid: new Uint8Array(bitmapBytes(n)) };
}

/**
 * The output positions of a join its consumer reads, or null for all of them. Only a projection or
 * an aggregation straight above a join passes one (columnsRead): each reads its input batch through
 * its expressions and nothing else, so the other columns need not be gathered.
 */
type JoinReads = readonly boolean[] | null;

const readsByNode = new WeakMap<PNode, JoinReads>();

/**
 * The input positions a projection's expressions, or an aggregation's keys and arguments, read
 * (null: all of them), worked out once per plan node. An aggregate with a FILTER gathers whole
 * input rows for it (host/exec/hash-agg.ts), so such an aggregation reads every column.
 */
function columnsRead(n: Extract<PNode, { op: 'project' | 'agg' }>): JoinReads {
  let reads = readsByNode.get(n);
  if (reads === undefined) {
    const read = new Set<number>();
    const width = n.input.types.length;
    if (n.op === 'project') for (const e of n.exprs) colsRead(e, read);
    else if (n.aggs.some((a) => a.filter !== null)) for (let i = 0; i < width; i++) read.add(i);
    else {
      for (const e of n.groups) colsRead(e, read);
      for (const a of n.aggs) {
        for (const e of a.args) colsRead(e, read);
        for (const o of a.order ?? []) colsRead(o.expr, read);
      }
    }
    reads = read.size >= width ? null : Array.from({ length: width }, (_, i) => read.has(i));
    readsByNode.set(n, reads);
  }
  return reads;
}

/**
 * Stands for a join output column that its consumer never reads (see JoinReads): nothing is
 * gathered for it, and reading its data is a bug.
 */
class UnreadColumn implements Vector {
  readonly valid = null;
  constructor(readonly type: SqlType, readonly length: number) {}
  get data(): VectorData { throw internal('a join output column the plan does not read was read'); }
}

/** Rows `sel` of each column of `columns` into `out`, or an UnreadColumn where reads (from `at`) says unread. */
function gatherInto(out: Vector[], columns: readonly Vector[], sel: ArrayLike<number>, count: number, reads: JoinReads, at: number): void {
  for (let c = 0; c < columns.length; c++) {
    const v = columns[c]!;
    out.push(reads === null || reads[at + c] ? gatherVector(v, sel, count) : new UnreadColumn(v.type, count));
  }
}

/** n NULLs of each type into `out`, or an UnreadColumn where reads (from `at`) says unread. */
function padInto(out: Vector[], types: readonly SqlType[], count: number, reads: JoinReads, at: number): void {
  for (let c = 0; c < types.length; c++) out.push(reads === null || reads[at + c] ? nullVector(types[c]!, count) : new UnreadColumn(types[c]!, count));
}

function joinBatch(left: Batch, lsel: ArrayLike<number>, right: Batch, rsel: ArrayLike<number>, count: number, reads: JoinReads = null): Batch {
  const columns: Vector[] = [];
  gatherInto(columns, left.columns, lsel, count, reads, 0);
  gatherInto(columns, right.columns, rsel, count, reads, left.columns.length);
  return { columns, length: count };
}

/** Left rows with NULLs for the right columns (outer join padding). */
function padRight(left: Batch, sel: ArrayLike<number>, count: number, rightTypes: SqlType[], reads: JoinReads = null): Batch {
  const columns: Vector[] = [];
  gatherInto(columns, left.columns, sel, count, reads, 0);
  padInto(columns, rightTypes, count, reads, left.columns.length);
  return { columns, length: count };
}

function padLeft(leftTypes: SqlType[], right: Batch, sel: ArrayLike<number>, count: number, reads: JoinReads = null): Batch {
  const columns: Vector[] = [];
  padInto(columns, leftTypes, count, reads, 0);
  gatherInto(columns, right.columns, sel, count, reads, leftTypes.length);
  return { columns, length: count };
}

/** Rows `sel` of a semi or anti join's left batch (its output is the left columns). */
function gatherLeft(left: Batch, sel: ArrayLike<number>, count: number, reads: JoinReads): Batch {
  if (reads === null) return gatherBatch(left, sel, count);
  const columns: Vector[] = [];
  gatherInto(columns, left.columns, sel, count, reads, 0);
  return { columns, length: count };
}

/**
 * Matches outer rows' keys against the inner side's: equal-key row pairs, or whether any exists.
 * A chunk of pairs may view scratch memory that the next chunk reuses: use it before resuming.
 */
interface JoinTable {
  probe(keys: readonly Vector[], n: number): Iterable<{ outer: ArrayLike<number>; inner: ArrayLike<number> }>;
  probeExists(keys: readonly Vector[], n: number): Uint8Array;
  free(): void;
}

/** The JS table: a Map from row keys (host/exec/keys.ts), for key types the kernels do not take. */
function mapJoinTable(rkeys: readonly Vector[], n: number): JoinTable {
  const rkey = keyFunction(rkeys);
  const table = new Map<unknown, number | number[]>();
  for (let i = 0; i < n; i++) {
    const k = rkey(i);
    if (k === null) continue;
    const cur = table.get(k);
    if (cur === undefined) table.set(k, i);
    else if (typeof cur === 'number') table.set(k, [cur, i]);
    else cur.push(i);
  }
  return {
    *probe(keys, count) {
      const lkey = keyFunction(keys);
      const outer: number[] = [], inner: number[] = [];
      for (let i = 0; i < count; i++) {
        const k = lkey(i);
        if (k === null) continue;
        const m = table.get(k);
        if (m === undefined) continue;
        if (typeof m === 'number') { outer.push(i); inner.push(m); }
        else for (const r of m) { outer.push(i); inner.push(r); }
      }
      if (outer.length) yield { outer, inner };
    },
    probeExists(keys, count) {
      const lkey = keyFunction(keys);
      const hit = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const k = lkey(i);
        if (k !== null && table.has(k)) hit[i] = 1;
      }
      return hit;
    },
    free() {},
  };
}


/**
 * The pairs that satisfy the residual condition. Only the columns the condition reads are
 * gathered for it (late materialization): the others are gathered once, for the pairs that pass.
 */
function residualPairs(residual: Expr, reads: Set<number>, outerBatch: Batch, innerBatch: Batch, outer: ArrayLike<number>, inner: ArrayLike<number>, ctx: ExecContext): { outer: ArrayLike<number>; inner: ArrayLike<number> } {
  const count = outer.length;
  const nl = outerBatch.columns.length;
  const columns = [...outerBatch.columns, ...innerBatch.columns].map((c, i) => (reads.has(i) ? gatherVector(c, i < nl ? outer : inner, count) : c));
  const { sel, count: kept } = evalPredicate(residual, { columns, length: count }, ctx);
  if (kept === count) return { outer, inner };
  const o = new Int32Array(kept), r = new Int32Array(kept);
  for (let j = 0; j < kept; j++) { o[j] = outer[sel[j]!]!; r[j] = inner[sel[j]!]!; }
  return { outer: o, inner: r };
}

/**
 * Build sides at least this large are compared with the probe side at run time: when the probe
 * side turns out BUILD_SWAP_RATIO times smaller (the planner's estimate was wrong), the table is
 * built on it instead (a small table stays in cache; a large one costs a miss per row to build
 * and to probe).
 */
const BUILD_SWAP_MIN_ROWS = 65536;
const BUILD_SWAP_RATIO = 4;

function* hashJoin(n: Extract<PNode, { op: 'hashjoin' }>, ctx: ExecContext, used: JoinReads): Generator<Batch> {
  // A small probe side whose keys filter the build side's scan (host/exec/runtime-filter.ts) is read first.
  let probeFirst: Batch[] | null = null;
  if (n.runtimeFilters?.some((f) => f.fromProbe)) {
    probeFirst = [...execute(n.left, ctx)];
    publishProbeFilters(n, probeFirst, ctx);
  }
  const rightBatches: Batch[] = [];
  let rightRows = 0;
  for (const b of execute(n.right, ctx)) { rightBatches.push(b); rightRows += b.length; }
  publishJoinFilters(n, rightBatches, rightRows, ctx);
  const source = probeFirst ? replay(probeFirst) : execute(n.left, ctx);
  try {
    let left: Iterable<Batch> = source;
    if (rightRows >= BUILD_SWAP_MIN_ROWS && (n.kind === 'inner' || n.kind === 'semi' || n.kind === 'anti' || n.kind === 'left')) {
      const head = takeWhileSmaller(source, rightRows / BUILD_SWAP_RATIO);
      if (head.done) {
        // the right side is probed batch by batch: it is never concatenated
        yield* swappedJoin(n, ctx, concatBatches(n.left.types, head.batches), rightBatches, used);
        return;
      }
      left = head.batches;
    }
    const build = concatBatches(n.right.types, rightBatches);
    rightBatches.length = 0;
    const rkeys = n.rightKeys.map((e) => evalExpr(e, build, ctx));
    const table = buildTable(ctx, rkeys, n.leftKeys.map((e) => e.type), build.length);
    try {
      yield* probeJoin(n, ctx, left, build, table, used);
    } finally {
      table.free();
    }
  } finally {
    // a join closed early (LIMIT, an error) closes its left input, whose joins free their tables
    source.return(undefined);
  }
}

function* replay(batches: Batch[]): Generator<Batch> { yield* batches; }

/**
 * Pulls batches from `input` while their rows stay at most `limit`. done: the input ended there
 * (batches hold all of it); otherwise batches yields what was pulled, then the rest of the input.
 */
function takeWhileSmaller(it: Iterator<Batch>, limit: number): { done: true; batches: Batch[] } | { done: false; batches: Iterable<Batch> } {
  const pulled: Batch[] = [];
  let rows = 0;
  for (;;) {
    const r = it.next();
    if (r.done) return { done: true, batches: pulled };
    pulled.push(r.value);
    rows += r.value.length;
    if (rows > limit) break;
  }
  function* rest(): Generator<Batch> {
    yield* pulled;
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
  }
  return { done: false, batches: rest() };
}

function buildTable(ctx: ExecContext, keys: readonly Vector[], probeKeyTypes: readonly SqlType[], n: number): JoinTable {
  return (ctx.kernels && KernelHashTable.tryBuild(ctx.kernels, keys, probeKeyTypes, n)) || mapJoinTable(keys, n);
}

/**
 * An inner, left, semi or anti join with the table built on the (small) left side and the right
 * side's rows probing it in batches: pairs come out with the sides' roles swapped, left rows are
 * marked as they match, and the rows that depend on the marks (semi, anti, a left join's
 * unmatched rows) come out at the end. Same rows as probeJoin, in another order.
 */
function* swappedJoin(n: Extract<PNode, { op: 'hashjoin' }>, ctx: ExecContext, left: Batch, right: readonly Batch[], used: JoinReads): Generator<Batch> {
  const lkeys = n.leftKeys.map((e) => evalExpr(e, left, ctx));
  const table = buildTable(ctx, lkeys, n.rightKeys.map((e) => e.type), left.length);
  const semiLike = n.kind === 'semi' || n.kind === 'anti';
  const hit = n.kind === 'inner' ? null : new Uint8Array(left.length);
  const reads = n.residual ? colsRead(n.residual) : null;
  try {
    for (const rb of right) {
      if (left.length === 0) break;
      ctx.checkCancel();
      const rkeys = n.rightKeys.map((e) => evalExpr(e, rb, ctx));
      for (const pairs of table.probe(rkeys, rb.length)) {
        // the table's rows are left rows: pairs.inner indexes left, pairs.outer indexes rb
        const { outer: lrows, inner: rrows } = n.residual ? residualPairs(n.residual, reads!, left, rb, pairs.inner, pairs.outer, ctx) : { outer: pairs.inner, inner: pairs.outer };
        const count = lrows.length;
        if (count === 0) continue;
        if (hit) markRows(hit, lrows, count);
        if (!semiLike) yield joinBatch(left, lrows, rb, rrows, count, used);
      }
    }
  } finally {
    table.free();
  }
  if (hit === null) return;
  const sel = rowsMarked(hit, n.kind === 'semi' ? 1 : 0, left.length);
  if (sel.length === 0) return;
  if (semiLike) yield gatherLeft(left, sel, sel.length, used);
  else yield padRight(left, sel, sel.length, n.right.types, used);
}

function* probeJoin(n: Extract<PNode, { op: 'hashjoin' }>, ctx: ExecContext, left: Iterable<Batch>, build: Batch, table: JoinTable, used: JoinReads): Generator<Batch> {
  const leftTypes = n.left.types;
  const rightTypes = n.right.types;
  const matched = n.kind === 'right' || n.kind === 'full' ? new Uint8Array(build.length) : null;
  const semiLike = n.kind === 'semi' || n.kind === 'anti';
  const reads = n.residual ? colsRead(n.residual) : null;
  for (const lb of left) {
    ctx.checkCancel();
    const lkeys = n.leftKeys.map((e) => evalExpr(e, lb, ctx));
    let hit: Uint8Array | null = null;
    if (semiLike && !n.residual) hit = table.probeExists(lkeys, lb.length);
    else {
      if (semiLike || n.kind === 'left' || n.kind === 'full') hit = new Uint8Array(lb.length);
      for (const pairs of table.probe(lkeys, lb.length)) {
        const { outer, inner } = n.residual ? residualPairs(n.residual, reads!, lb, build, pairs.outer, pairs.inner, ctx) : pairs;
        const count = outer.length;
        if (count === 0) continue;
        if (hit) markRows(hit, outer, count);
        if (matched) markRows(matched, inner, count);
        if (!semiLike) yield joinBatch(lb, outer, build, inner, count, used);
      }
    }
    if (semiLike) {
      const sel = rowsMarked(hit!, n.kind === 'semi' ? 1 : 0, lb.length);
      if (sel.length) yield gatherLeft(lb, sel, sel.length, used);
    } else if (hit) {
      const miss = rowsMarked(hit, 0, lb.length);
      if (miss.length) yield padRight(lb, miss, miss.length, rightTypes, used);
    }
  }
  if (matched) {
    const miss = rowsMarked(matched, 0, build.length);
    if (miss.length) yield padLeft(leftTypes, build, miss, miss.length, used);
  }
}

/*
 * The joins' per-row loops live in these small functions, not in the join generators: a loop in a
 * generator that runs once per query makes V8 compile the whole generator on the stack (OSR), and
 * recompile it whenever it meets a new plan node or batch shape, once per query run for several runs.
 */

/** Sets marks[rows[j]] for j < count. */
function markRows(marks: Uint8Array, rows: ArrayLike<number>, count: number): void {
  for (let j = 0; j < count; j++) marks[rows[j]!] = 1;
}

/** The rows i < n whose mark is `want` (0 or 1), in order. */
function rowsMarked(marks: Uint8Array, want: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (marks[i] === want) out.push(i);
  return out;
}

function* nestedLoopJoin(n: Extract<PNode, { op: 'nljoin' }>, ctx: ExecContext): Generator<Batch> {
  const inner = collect(n.right, ctx);
  const matched = n.kind === 'right' || n.kind === 'full' ? new Uint8Array(inner.length) : null;
  const rightTypes = n.right.types;
  for (const lb of execute(n.left, ctx)) {
    const hit = new Uint8Array(lb.length);
    // Cross product in chunks of about BATCH_ROWS pairs.
    const perChunk = Math.max(1, Math.floor(BATCH_ROWS / Math.max(1, inner.length)));
    for (let start = 0; start < lb.length; start += perChunk) {
      ctx.checkCancel();
      const end = Math.min(lb.length, start + perChunk);
      const lsel: number[] = [], rsel: number[] = [];
      for (let i = start; i < end; i++) for (let j = 0; j < inner.length; j++) { lsel.push(i); rsel.push(j); }
      let pairs = joinBatch(lb, lsel, inner, rsel, lsel.length);
      let keptL = lsel, keptR = rsel;
      if (n.cond && pairs.length) {
        const { sel, count } = evalPredicate(n.cond, pairs, ctx);
        keptL = []; keptR = [];
        for (let k = 0; k < count; k++) { keptL.push(lsel[sel[k]!]!); keptR.push(rsel[sel[k]!]!); }
        pairs = gatherBatch(pairs, sel, count);
      }
      for (const l of keptL) hit[l] = 1;
      if (matched) for (const r of keptR) matched[r] = 1;
      if (n.kind !== 'semi' && n.kind !== 'anti' && pairs.length) yield pairs;
    }
    if (n.kind === 'semi' || n.kind === 'anti') {
      const want = n.kind === 'semi' ? 1 : 0;
      const sel: number[] = [];
      for (let i = 0; i < lb.length; i++) if (hit[i] === want) sel.push(i);
      if (sel.length) yield gatherBatch(lb, sel, sel.length);
    } else if (n.kind === 'left' || n.kind === 'full') {
      const miss: number[] = [];
      for (let i = 0; i < lb.length; i++) if (!hit[i]) miss.push(i);
      if (miss.length) yield padRight(lb, miss, miss.length, rightTypes);
    }
  }
  if (matched) {
    const miss: number[] = [];
    for (let i = 0; i < inner.length; i++) if (!matched[i]) miss.push(i);
    if (miss.length) yield padLeft(n.left.types, inner, miss, miss.length);
  }
}

// ---------------------------------------------------------------- aggregation

function* aggregate(n: Extract<PNode, { op: 'agg' }>, ctx: ExecContext): Generator<Batch> {
  // Straight above a scan, the chunks are folded in place by the kernels where they can be (host/exec/scan-agg.ts).
  const fused = scanAggregate(n, ctx);
  // A join straight below gathers only the columns the aggregation reads (late materialization).
  const input = (): Iterable<Batch> => (n.input.op === 'hashjoin' ? hashJoin(n.input, ctx, columnsRead(n)) : execute(n.input, ctx));
  const out = fused !== undefined ? fused : hashAggregate(n, input(), ctx);
  if (out === null) return;
  for (let s = 0; s < out.length; s += BATCH_ROWS) yield sliceBatch(out, s, Math.min(BATCH_ROWS, out.length - s));
}

// ---------------------------------------------------------------- sort, limit, set operations

/** Types whose fixed-width values order as the numbers they are stored as. */
const PLAIN_SORT_TYPES = new Set(['int2', 'int4', 'date', 'bool']);

/**
 * A sort key's values as integers in their SQL order, made once per sort: int2/int4/date/bool columns as
 * they are, strings and int8 through sortKeyNumbers; null for other keys (floats, whose NaN orders above
 * every number, and the rest), which the comparator compares as values.
 */
function keyNumbers(v: Vector, n: number): ArrayLike<number> | null {
  const d = v.data;
  if (PLAIN_SORT_TYPES.has(v.type.id) && v.dictionary === undefined && (d instanceof Int32Array || d instanceof Int16Array || d instanceof Uint8Array)) return d;
  return sortKeyNumbers(v, n);
}

/** Row order by sort keys: NULLs placed by nullsFirst, ties broken by input position (stable). */
export function sortIndices(b: Batch, keys: PSortKey[], ctx: EvalContext, limit: number | null = null): Int32Array {
  const vecs = keys.map((k) => evalExpr(k.expr, b, ctx));
  // A LIMIT well below the row count keeps a bounded heap instead of sorting every row.
  const topN = limit !== null && limit * 4 < b.length;
  // a full sort reads string and int8 keys as numbers in the same order, made once (host/exec/sort-keys.ts);
  // a top-N compares too few times per row for that to pay
  const keyNums = topN ? null : vecs.map((v) => keyNumbers(v, b.length));
  if (keyNums !== null && keyNums.every((x) => x !== null)) {
    const order = packedSortOrder(keys.map((k, j) => ({ values: keyNums[j]!, valid: vecs[j]!.valid, desc: k.desc, nullsFirst: k.nullsFirst })), b.length);
    return limit !== null && limit < order.length ? order.slice(0, limit) : order;
  }
  const cmps = keys.map((k, j) => {
    const v = vecs[j]!;
    const t = v.type;
    const numbers = keyNums?.[j] ?? null;
    const d = (numbers ?? v.data) as ArrayLike<any>;
    const simple = numbers !== null || (ArrayBuffer.isView(d) && t.id !== 'float4' && t.id !== 'float8');
    const dir = k.desc ? -1 : 1;
    const nullCmp = k.nullsFirst ? -1 : 1;
    if (simple && v.valid === null) return (a: number, c: number): number => { const x = d[a], y = d[c]; return x < y ? -dir : x > y ? dir : 0; };
    return (a: number, c: number): number => {
      const va = ok(v.valid, a), vc = ok(v.valid, c);
      if (!va || !vc) return va === vc ? 0 : !va ? nullCmp : -nullCmp;
      if (simple) { const x = d[a], y = d[c]; return x < y ? -dir : x > y ? dir : 0; }
      return compareValues(d[a], d[c], t) * dir;
    };
  });
  const cmp = (a: number, c: number): number => {
    for (const f of cmps) { const r = f(a, c); if (r !== 0) return r; }
    return a - c;
  };
  if (topN) return topNIndices(b.length, limit, cmp);
  const idx = Array.from({ length: b.length }, (_, i) => i);
  idx.sort(cmp);
  return Int32Array.from(limit !== null ? idx.slice(0, limit) : idx);
}

function* sort(n: Extract<PNode, { op: 'sort' }>, ctx: ExecContext): Generator<Batch> {
  const all = collect(n.input, ctx);
  if (all.length === 0) return;
  const idx = sortIndices(all, n.keys, ctx, n.limit);
  const out = gatherBatch(all, idx, idx.length);
  for (let s = 0; s < out.length; s += BATCH_ROWS) yield sliceBatch(out, s, Math.min(BATCH_ROWS, out.length - s));
}

function constInt(e: import('../plan/expr.js').Expr | null, ctx: ExecContext, what: string): number | null {
  if (!e) return null;
  const v = valueAt(evalExpr(e, { columns: [], length: 1 }, ctx), 0);
  if (v === null) return null;
  const k = Number(v);
  if (k < 0) throw new SqlError(SqlState.invalidParameterValue ?? '2201W', `${what} must not be negative`);
  return k;
}

function* limit(n: Extract<PNode, { op: 'limit' }>, ctx: ExecContext): Generator<Batch> {
  let skip = constInt(n.offset, ctx, 'OFFSET') ?? 0;
  let take = constInt(n.limit, ctx, 'LIMIT') ?? Infinity;
  if (take === 0) return;
  for (const b of execute(n.input, ctx)) {
    let start = 0;
    if (skip > 0) { const s = Math.min(skip, b.length); skip -= s; start = s; }
    const count = Math.min(b.length - start, take);
    if (count > 0) { yield sliceBatch(b, start, count); take -= count; }
    if (take <= 0) return;
  }
}

function* setOp(n: Extract<PNode, { op: 'setop' }>, ctx: ExecContext): Generator<Batch> {
  if (n.kind === 'union' && n.all) {
    yield* execute(n.left, ctx);
    yield* execute(n.right, ctx);
    return;
  }
  const left = collect(n.left, ctx);
  const right = collect(n.right, ctx);
  const keyL = keyFunction(left.columns, true), keyR = keyFunction(right.columns, true);
  const sel: number[] = [];
  if (n.kind === 'union') {
    const all = concatBatches(n.types, [left, right]);
    const key = keyFunction(all.columns, true);
    const seen = new Set<unknown>();
    for (let i = 0; i < all.length; i++) { const k = key(i); if (!seen.has(k)) { seen.add(k); sel.push(i); } }
    if (sel.length) yield gatherBatch(all, sel, sel.length);
    return;
  }
  const counts = new Map<unknown, number>();
  for (let i = 0; i < right.length; i++) { const k = keyR(i); counts.set(k, (counts.get(k) ?? 0) + 1); }
  const emitted = new Map<unknown, number>();
  for (let i = 0; i < left.length; i++) {
    const k = keyL(i);
    const inRight = counts.get(k) ?? 0;
    const done = emitted.get(k) ?? 0;
    if (n.kind === 'intersect') {
      if (inRight > 0 && (n.all ? done < inRight : done === 0)) { sel.push(i); emitted.set(k, done + 1); }
    } else {
      // EXCEPT ALL keeps left occurrences beyond the right's count; EXCEPT keeps distinct rows absent on the right.
      if (n.all) { if (done >= inRight) sel.push(i); emitted.set(k, done + 1); }
      else if (inRight === 0 && done === 0) { sel.push(i); emitted.set(k, 1); }
    }
  }
  if (sel.length) yield gatherBatch(left, sel, sel.length);
}

