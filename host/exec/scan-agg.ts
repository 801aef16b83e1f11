// The fused scan-aggregate (ADR 0026): an 'agg' node straight above a scan folds each chunk's passing rows
// in WebAssembly (kernels/agg/program.ts) from the chunk's fixed-width columns in the shared memory, without
// decoding them into batches. The scan's filter picks the rows (host/exec/chunk-scan.ts scanChunkRows), the
// GROUP BY keys are decoded for those rows only and numbered by the aggregation's GroupIndex, and COUNT, SUM,
// AVG, MIN and MAX of integer/NUMERIC/date arguments are evaluated and summed exactly in i64/i128 words. A chunk
// whose zone maps cannot rule out an overflow takes the batch path (host/exec/hash-agg.ts) like any scan.
import type { Batch, Vector } from '../batch/vector.js';
import { colsRead, type Expr } from '../plan/expr.js';
import { scanReadCols, type PAgg, type PNode } from '../plan/physical.js';
import { chunkDictionaryOf, decodeRows, type ChunkDesc, type ScanChunk } from '../storage/chunk.js';
import { internal } from '../common/errors.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';
import { Arena, PageAllocator, views } from '../wasm/memory.js';
import type { GroupTotals } from './aggregates.js';
import { scanChunk, scanChunkRows } from './chunk-scan.js';
import { evalExpr, ExprMemo } from './eval.js';
import { hasExactForm } from './exact-numeric.js';
import { HashAggregation } from './hash-agg.js';
import type { ValueRange } from './key-table.js';
import { planKernelFilter, type KernelContext } from './kernel-filter.js';
import type { ExecContext } from './operators.js';
import { scanProbes } from './runtime-filter.js';
import { keepShape } from '../common/keep-shape.js';

type AggNode = Extract<PNode, { op: 'agg' }>;
type ScanNode = Extract<PNode, { op: 'scan' }>;

/** Rows per register of the kernel (AGG_BLOCK in kernels/agg/program.ts). */
const BLOCK = 1024;

const OP = {
  loadI64: 0, loadI32: 1, loadI16: 2, loadValid: 3, konst: 4, add: 5, sub: 6, mul: 7, mulK: 8, and: 9, sum: 10, count: 11, min: 12, max: 13, addK: 14, rsubK: 15,
  sumSmall: 16, countNull: 17,
} as const;

/** Values below this magnitude sum in i64 partials per block of rows (OP_SUM_SMALL). */
const SMALL = 1n << 52n;

/** Every value the kernel computes stays within +-2^62, so no i64 operation of a proven program wraps. */
const SAFE = 1n << 62n;
const I64_MAX = 0x7fffffffffffffffn, I64_MIN = -0x8000000000000000n;

type AggKind = 'count' | 'sum' | 'min' | 'max';

/**
 * Where the kernel keeps the aggregates' per-group words (`stride` i64 per group). Equal work is
 * done once: a SUM slot (i128, two words) per distinct argument (Q1's SUM and AVG of l_quantity
 * share one), a MIN/MAX slot per distinct function and argument, and the rows of each group in
 * word 0; the values an aggregate counts are those rows less the rows where a column it reads is
 * NULL, kept per distinct set of columns (`nulls`; a chunk without NULLs there adds nothing).
 */
interface Layout {
  stride: number;
  sums: { expr: Expr; at: number }[];
  extremes: { fn: 'min' | 'max'; expr: Expr; at: number }[];
  nulls: { cols: number[]; at: number }[];
  /** Per aggregate call: its kind, its value slot (-1 for COUNT) and its NULL-count slot (-1: none). */
  aggs: { kind: AggKind; valueAt: number; nullsAt: number }[];
}

function layoutOf(aggs: readonly PAgg[], kinds: readonly AggKind[]): Layout {
  const out: Layout = { stride: 1, sums: [], extremes: [], nulls: [], aggs: [] };
  const sumAt = new Map<string, number>(), extremeAt = new Map<string, number>(), nullsAt = new Map<string, number>();
  const take = (words: number): number => { const at = out.stride; out.stride += words; return at; };
  const nullsSlot = (cols: number[]): number => {
    if (cols.length === 0) return -1;
    const key = cols.join(',');
    let at = nullsAt.get(key);
    if (at === undefined) { at = take(1); nullsAt.set(key, at); out.nulls.push({ cols, at }); }
    return at;
  };
  for (let i = 0; i < aggs.length; i++) {
    const a = aggs[i]!, kind = kinds[i]!;
    const arg = a.args[0];
    const cols = arg === undefined || a.fn === 'count_star' ? [] : [...colsRead(arg)].sort((x, y) => x - y);
    let valueAt = -1;
    if (kind === 'sum') {
      const key = exprKey(arg!);
      valueAt = sumAt.get(key) ?? -1;
      if (valueAt < 0) { valueAt = take(2); sumAt.set(key, valueAt); out.sums.push({ expr: arg!, at: valueAt }); }
    } else if (kind === 'min' || kind === 'max') {
      const key = `${kind} ${exprKey(arg!)}`;
      valueAt = extremeAt.get(key) ?? -1;
      if (valueAt < 0) { valueAt = take(1); extremeAt.set(key, valueAt); out.extremes.push({ fn: kind, expr: arg!, at: valueAt }); }
    }
    out.aggs.push({ kind, valueAt, nullsAt: nullsSlot(cols) });
  }
  return out;
}

const scaleOf = (t: SqlType): number => (t.id === 'numeric' ? t.scale ?? 0 : 0);

/** Types a MIN/MAX or COUNT argument may be read as, a column loaded as it is. */
const LOADABLE = new Set(['int2', 'int4', 'int8', 'numeric', 'date', 'timestamp']);

/** The kernel slots of an aggregate call, or null when the kernel does not compute it. */
function kindOf(a: PAgg): AggKind | null {
  if (a.distinct || a.filter || (a.order?.length ?? 0) > 0) return null;
  if (a.fn === 'count_star') return 'count';
  const arg = a.args[0];
  if (a.args.length !== 1 || arg === undefined) return null;
  const plainCol = arg.k === 'col' && LOADABLE.has(arg.type.id);
  switch (a.fn) {
    case 'count': return arg.k === 'col' || hasExactForm(arg) ? 'count' : null;
    case 'sum':
      // SUM of int2/int4/int8 is int8/numeric; of numeric(p, s) numeric(38, s): the same scaled units.
      if (!hasExactForm(arg) || scaleOf(a.type) !== scaleOf(arg.type) || (a.type.id !== 'int8' && a.type.id !== 'numeric')) return null;
      return 'sum';
    case 'avg':
      // AVG keeps an exact sum only for numeric and int8 results (AvgAcc); int2/int4 keep a float8 sum.
      if (!hasExactForm(arg) || (a.type.id !== 'numeric' && a.type.id !== 'int8') || scaleOf(a.type) !== scaleOf(arg.type)) return null;
      return 'sum';
    case 'min': case 'max':
      if (!(plainCol || hasExactForm(arg)) || physicalOf(arg.type) !== physicalOf(a.type) || scaleOf(arg.type) !== scaleOf(a.type)) return null;
      return a.fn;
    default: return null;
  }
}

/** The inclusive range of a type's values in scaled units, as far as the kernel computes them. */
function rangeOf(t: SqlType): [bigint, bigint] {
  switch (t.id) {
    case 'int2': return [-32768n, 32767n];
    case 'int4': return [-2147483648n, 2147483647n];
    case 'numeric': {
      // PostgreSQL's numeric(p, s) holds |v| < 10^p scaled units (docs: "Arbitrary Precision Numbers").
      const m = 10n ** BigInt(Math.min(t.precision ?? 38, 38)) - 1n;
      return [m > SAFE ? -SAFE : -m, m > SAFE ? SAFE : m];
    }
    default: return [-SAFE, SAFE];
  }
}

/**
 * A compiled value: its register (-1 for a constant, `k`), its validity register (-1: every row
 * valid) and the range of its valid rows.
 */
interface Val { reg: number; mask: number; lo: bigint; hi: bigint; k?: bigint }

const exprKeys = new WeakMap<Expr, string>();
/** A string equal for equal expressions (the memo key of a subexpression). */
function exprKey(e: Expr): string {
  let k = exprKeys.get(e);
  if (k === undefined) {
    k = JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    exprKeys.set(e, k);
  }
  return k;
}

/** One chunk's program: instructions for its addresses and zone maps. */
class ProgramBuilder {
  readonly words: bigint[] = [];
  regs = 0;
  /** Word positions of SUM instructions whose values are small enough for OP_SUM_SMALL. */
  readonly smallSums: number[] = [];
  private readonly memo = new Map<string, Val>();
  private readonly masks = new Map<number, number>();
  constructor(private readonly desc: ChunkDesc, private readonly read: readonly number[]) {}
  emit(op: number, d: number, a: number | bigint, b: number | bigint): void { this.words.push(BigInt(op), BigInt(d), BigInt(a), BigInt(b)); }
  private reg(): number { return this.regs++; }
  and(m1: number, m2: number): number {
    if (m1 < 0) return m2;
    if (m2 < 0 || m1 === m2) return m1;
    const r = this.reg();
    this.emit(OP.and, r, m1, m2);
    return r;
  }
  /** The validity of column `p` of the scan (its bitmap as a mask register), or null when the chunk cannot serve it. */
  validity(p: number): number | null {
    const had = this.masks.get(p);
    if (had !== undefined) return had;
    const col = this.desc.cols[this.read[p]!];
    if (col === undefined) return null;
    let r = -1;
    if (col.valid !== 0) { r = this.reg(); this.emit(OP.loadValid, r, col.valid, 0); }
    this.masks.set(p, r);
    return r;
  }
  /** The rows where every column of `cols` is non-NULL, as a mask register (-1: all rows). */
  validityOf(cols: readonly number[]): number | null {
    let m = -1;
    for (const p of cols) {
      const v = this.validity(p);
      if (v === null) return null;
      m = this.and(m, v);
    }
    return m;
  }
  /** `e` in a register, or null when the chunk's layout or zone maps leave some row unproven. */
  value(e: Expr): Val | null {
    const v = this.valueOrConst(e);
    if (v === null || v.reg >= 0) return v;
    const reg = this.reg();
    this.emit(OP.konst, reg, v.k!, 0);
    return { ...v, reg };
  }
  private valueOrConst(e: Expr): Val | null {
    // Equal subexpressions of different aggregates (Q1's price * (1 - discount)) share a register.
    const key = exprKey(e);
    const had = this.memo.get(key);
    if (had) return had;
    const v = this.compute(e);
    if (v === null) return null;
    const [lo, hi] = rangeOf(e.type);
    if (v.lo < lo || v.hi > hi) return null;
    this.memo.set(key, v);
    return v;
  }
  private compute(e: Expr): Val | null {
    switch (e.k) {
      case 'col': {
        const c = this.read[e.idx]!;
        const col = this.desc.cols[c];
        if (col === undefined || col.kind !== 'fixed') return null;
        const zone = this.desc.zones?.[c];
        if (!zone) return null;
        // An all-NULL column has no range: every row is masked out.
        const lo = zone.min === null ? 0n : BigInt(zone.min as number | bigint), hi = zone.max === null ? 0n : BigInt(zone.max as number | bigint);
        const p = physicalOf(this.desc.types[c]!);
        const op = p === 'i64' ? OP.loadI64 : p === 'i32' ? OP.loadI32 : p === 'i16' ? OP.loadI16 : -1;
        if (op < 0) return null;
        const mask = this.validity(e.idx)!;
        const reg = this.reg();
        this.emit(op, reg, col.values, 0);
        return { reg, mask, lo, hi };
      }
      case 'const': {
        const v = typeof e.value === 'bigint' ? e.value : typeof e.value === 'number' && Number.isSafeInteger(e.value) ? BigInt(e.value) : null;
        if (v === null) return null;
        return { reg: -1, mask: -1, lo: v, hi: v, k: v };
      }
      case 'cast': {
        const x = this.valueOrConst(e.arg);
        if (x === null) return null;
        return this.rescale(x, scaleOf(e.type) - scaleOf(e.arg.type));
      }
      case 'fn': {
        const [a, b] = e.args as [Expr, Expr];
        let x = this.valueOrConst(a), y = x && this.valueOrConst(b);
        if (x === null || y === null) return null;
        if (e.name === 'mul') {
          const ps = [x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi];
          const lo = ps.reduce((m, v) => (v < m ? v : m)), hi = ps.reduce((m, v) => (v > m ? v : m));
          if (x.k !== undefined && y.k !== undefined) return { reg: -1, mask: -1, lo, hi, k: lo };
          const mask = this.and(x.mask, y.mask);
          const reg = this.reg();
          if (x.k !== undefined || y.k !== undefined) this.emit(OP.mulK, reg, x.k !== undefined ? y.reg : x.reg, x.k ?? y.k!);
          else this.emit(OP.mul, reg, x.reg, y.reg);
          return { reg, mask, lo, hi };
        }
        const s = scaleOf(e.type);
        x = this.rescale(x, s - scaleOf(a.type));
        y = x && this.rescale(y, s - scaleOf(b.type));
        if (x === null || y === null) return null;
        const add = e.name === 'add';
        const lo = add ? x.lo + y.lo : x.lo - y.hi, hi = add ? x.hi + y.hi : x.hi - y.lo;
        if (lo < -SAFE || hi > SAFE) return null;
        if (x.k !== undefined && y.k !== undefined) return { reg: -1, mask: -1, lo, hi, k: lo };
        const mask = this.and(x.mask, y.mask);
        const reg = this.reg();
        if (y.k !== undefined) this.emit(OP.addK, reg, x.reg, add ? y.k : -y.k);
        else if (x.k !== undefined) this.emit(add ? OP.addK : OP.rsubK, reg, y.reg, x.k);
        else this.emit(add ? OP.add : OP.sub, reg, x.reg, y.reg);
        return { reg, mask, lo, hi };
      }
      default: return null;
    }
  }
  /** x times 10^k (k >= 0), within the safe range. */
  private rescale(x: Val, k: number): Val | null {
    if (k === 0) return x;
    const up = 10n ** BigInt(k);
    const lo = x.lo * up, hi = x.hi * up;
    if (lo < -SAFE || hi > SAFE) return null;
    if (x.k !== undefined) return { reg: -1, mask: -1, lo, hi, k: lo };
    const reg = this.reg();
    this.emit(OP.mulK, reg, x.reg, up);
    return { reg, mask: x.mask, lo, hi };
  }
}

const allocators = new WeakMap<WebAssembly.Memory, PageAllocator>();
function allocatorOf(memory: WebAssembly.Memory): PageAllocator {
  let a = allocators.get(memory);
  if (a === undefined) { a = PageAllocator.attach(memory); allocators.set(memory, a); }
  return a;
}

/**
 * The per-group accumulator words of the kernel, `stride` i64 per group, in pages of the shared memory
 * grown as groups appear (Layout says which word holds what).
 */
class KernelGroups {
  at = 0;
  /** Groups with words (reserved); groups the aggregation numbered later were never folded here. */
  cap = 0;
  private readonly init: BigInt64Array;
  readonly stride: number;
  constructor(private readonly pages: PageAllocator, layout: Layout) {
    this.stride = layout.stride;
    this.init = new BigInt64Array(layout.stride);
    for (const x of layout.extremes) this.init[x.at] = x.fn === 'min' ? I64_MAX : I64_MIN;
  }
  /** Makes room for `groups` groups (new groups start from the initial words). */
  reserve(groups: number): void {
    if (groups <= this.cap) return;
    const cap = Math.max(groups, this.cap * 2, 16);
    const at = this.pages.alloc(cap * this.stride * 8);
    const i64 = views(this.pages.memory).i64;
    if (this.cap > 0) {
      i64.copyWithin(at >> 3, this.at >> 3, (this.at >> 3) + this.cap * this.stride);
      this.pages.free(this.at);
    }
    // The first new group's words, then copies doubling in length (no call per group).
    const from = at + this.cap * this.stride * 8, end = at + cap * this.stride * 8;
    i64.set(this.init, from >> 3);
    for (let len = this.stride * 8; from + len < end; len *= 2) views(this.pages.memory).u8.copyWithin(from + len, from, Math.min(from + 2 * len, end) - len);
    this.at = at;
    this.cap = cap;
  }
  /** The memory holding the groups' words: group g's word at `slot` is i64 `(at >> 3) + g * stride + slot` (reserve may move them). */
  memory(): WebAssembly.Memory { return this.pages.memory; }
  free(): void { if (this.cap > 0) this.pages.free(this.at); this.cap = 0; }
}

/**
 * Chunks this thread folded with the kernel, chunks the fused path handed to the batch path (an unproven
 * overflow, a column without a fixed-width layout), and chunks whose keys the key table numbered in place:
 * counters the tests read.
 */
export const scanAggregateStats = { kernelChunks: 0, batchChunks: 0, tableChunks: 0 };

/**
 * Runs `n` (an aggregate over a scan) with the fused kernel path, or returns undefined when that path
 * does not apply here (no kernels or chunks in this thread, an aggregate or argument it does not
 * compute); the result is what hashAggregate would return.
 */
export function scanAggregate(n: AggNode, ctx: ExecContext): Batch | null | undefined {
  const scan = n.input;
  if (scan.op !== 'scan' || n.mode === 'final' || !ctx.kernels || !ctx.scanChunks) return undefined;
  const kinds = n.aggs.map(kindOf);
  if (kinds.some((f) => f === null)) return undefined;
  const layout = layoutOf(n.aggs, kinds as AggKind[]);
  const stride = layout.stride;
  const kc = ctx.kernels;
  const agg = new HashAggregation(n, ctx);
  if (scan.replica === 'once' && ctx.slice !== 0) { try { return agg.finish(); } finally { agg.free(); } }
  const pages = allocatorOf(kc.memory);
  const groups = new KernelGroups(pages, layout);
  const scratch = new Arena(pages);
  try {
    const replica = scan.replica !== 'slice';
    const read = scanReadCols(scan);
    const probes = scan.runtimeFilters ? scanProbes(scan, ctx) : [];
    const kplan = scan.filter ? planKernelFilter(scan.filter) : { steps: [], rest: null };
    const keyReads = [...new Set(n.groups.flatMap((g) => [...colsRead(g)]))];
    const plainKeys = n.groups.length > 0 && n.groups.every((g) => g.k === 'col');
    const dictKeys = plainKeys ? new DictKeys(n.groups.map((g) => (g as Extract<Expr, { k: 'col' }>).idx)) : null;
    // Plain key columns numbered by the aggregation's key table, where a chunk stores them fixed-width.
    const keyCols = plainKeys && agg.keyTable !== null ? n.groups.map((g) => (g as Extract<Expr, { k: 'col' }>).idx) : null;
    let folded = false;
    for (const chunk of ctx.scanChunks(scan.table, replica ? 0 : ctx.slice, read, replica, scan.filter)) {
      ctx.checkCancel();
      scratch.reset();
      // Past MAX_KERNEL_GROUPS groups numbered in JS the batch path is faster: see the constant.
      if (agg.groupCount > MAX_KERNEL_GROUPS && agg.keyTable === null) { scanAggregateStats.batchChunks++; foldBatch(agg, scan, chunk, read, kplan, probes, kc, ctx); continue; }
      const prog = new ProgramBuilder(chunk.desc, read);
      if (!emitAggregates(prog, layout)) { scanAggregateStats.batchChunks++; foldBatch(agg, scan, chunk, read, kplan, probes, kc, ctx); continue; }
      const sel = scanChunkRows(chunk, read, kplan, kc, ctx, probes);
      if (sel === null) continue;
      if (sel === undefined) { scanAggregateStats.batchChunks++; foldBatch(agg, scan, chunk, read, kplan, probes, kc, ctx); continue; }
      const count = sel.length;
      const all = count === chunk.desc.rows;
      // Scratch first (an allocation may grow the memory), then views of it.
      const progAt = scratch.alloc(prog.words.length * 8);
      // Registers follow a block of per-group partial sums (kernels/agg/program.ts).
      const regsAt = scratch.alloc((prog.regs + 1) * BLOCK * 8);
      const selAt = all ? 0 : scratch.alloc(count * 4);
      const gidsAt = n.groups.length > 0 ? scratch.alloc(count * 4) : 0;
      if (!all) views(kc.memory).i32.set(sel, selAt >> 2);
      if (n.groups.length > 0 && keyCols !== null && tableGroupIds(agg, keyCols, chunk, read, selAt, count, gidsAt, scratch)) {
        // group ids came from the key table, reading the chunk's key columns in place (key_gids)
      } else if (n.groups.length > 0 && dictKeys !== null && dictGroupIds(dictKeys, chunk, read, all ? null : sel, selAt, gidsAt, scratch, kc, agg)) {
        // group ids came from the key columns' dictionary codes (agg_dict_gids)
      } else if (n.groups.length > 0) {
        const columns = new Array<Vector>(read.length);
        for (const p of keyReads) columns[p] = decodeRows(chunk.desc, read[p]!, chunk.memory, sel, count);
        const keyBatch = { columns, length: count };
        const memo = new ExprMemo();
        const keys = n.groups.map((g) => evalExpr(g, keyBatch, ctx, memo));
        agg.groupIds(keys, count, new Int32Array(kc.memory.buffer, gidsAt, count));
      } else agg.groupIds([], 0, new Int32Array(0));
      groups.reserve(agg.groupCount);
      // With few groups, sums of small values go through i64 partials per block (OP_SUM_SMALL).
      if (agg.groupCount <= BLOCK) for (const w of prog.smallSums) prog.words[w] = BigInt(OP.sumSmall | (agg.groupCount << 8));
      const v = views(kc.memory);
      v.i64.set(prog.words, progAt >> 3);
      kc.k.agg_program(progAt, prog.words.length / 4, selAt, count, gidsAt, stride, groups.at, regsAt);
      folded = true;
      scanAggregateStats.kernelChunks++;
    }
    if (folded) foldTotals(agg, groups, layout, kc);
    return agg.finish();
  } finally {
    scratch.reset();
    groups.free();
    agg.free();
  }
}

/**
 * Once an aggregation has more groups than this, its remaining chunks take the batch path: with many
 * groups (TPC-H Q18's GROUP BY l_orderkey: 1.5M groups at SF 1) the kernel saves little per row, while
 * its per-group words (i128 sums, handed over as BigInts in foldTotals) cost more than the batch
 * path's exact doubles: Q18 took 2.3x as long through the kernel.
 */
const MAX_KERNEL_GROUPS = 1 << 16;

/**
 * Writes the group id of each passing row (sel at selAt, or every row when 0; `count` rows) to gidsAt through
 * the aggregation's key table, which reads the chunk's key columns where they are. False when the table is gone
 * or a key column of this chunk is not stored fixed-width (the caller decodes the keys).
 */
function tableGroupIds(agg: HashAggregation, keyCols: readonly number[], chunk: ScanChunk, read: readonly number[], selAt: number, count: number, gidsAt: number, scratch: Arena): boolean {
  const table = agg.keyTable;
  if (table === null) return false;
  const { desc } = chunk;
  const descs = scratch.alloc(12 * keyCols.length);
  const i32 = views(chunk.memory).i32;
  for (let k = 0; k < keyCols.length; k++) {
    const c = read[keyCols[k]!]!;
    const col = desc.cols[c];
    const p = physicalOf(desc.types[c]!);
    if (col === undefined || col.kind !== 'fixed' || (p !== 'i16' && p !== 'i32' && p !== 'i64')) return false;
    i32[(descs >> 2) + 3 * k] = col.values;
    i32[(descs >> 2) + 3 * k + 1] = col.valid;
    i32[(descs >> 2) + 3 * k + 2] = p === 'i16' ? 2 : p === 'i32' ? 4 : 8;
  }
  // One key column's range, from the chunk's zone map, lets the table number it through a direct array.
  let range: ValueRange | null = null;
  const zone = keyCols.length === 1 ? desc.zones?.[read[keyCols[0]!]!] : undefined;
  if (zone && zone.min !== null && zone.max !== null) {
    const min = Number(zone.min as number | bigint), max = Number(zone.max as number | bigint);
    if (Number.isSafeInteger(min) && Number.isSafeInteger(max)) range = { min, max };
  }
  table.assignAt(descs, selAt, count, gidsAt, range);
  agg.syncGroupCount();
  scanAggregateStats.tableChunks++;
  return true;
}

/** Combinations of dictionary codes in one chunk's lookup table at most (agg_dict_gids). */
const MAX_COMBOS = 1024;

/** GROUP BY columns that are dictionary-coded in the chunks, and the group of each combination of their words seen so far. */
class DictKeys {
  readonly groupOf = new Map<string, number>();
  constructor(readonly cols: readonly number[]) {}
}

/**
 * Writes the group id of each row (sel, or every row when null; `selAt` is sel in the shared memory)
 * to gidsAt from the chunk's dictionary codes of the GROUP BY columns: the kernel looks each row's
 * combination of codes up in a table filled from the words' groups, and a combination not seen before
 * gets its group from the aggregation's GroupIndex through one of its rows. False when a key column
 * of this chunk is not dictionary-coded or the combinations are too many (the caller decodes the keys).
 */
function dictGroupIds(keys: DictKeys, chunk: ScanChunk, read: readonly number[], sel: Int32Array | null, selAt: number, gidsAt: number, scratch: Arena, kc: KernelContext, agg: HashAggregation): boolean {
  const { desc, memory } = chunk;
  const words: string[][] = [];
  let combos = 1;
  for (const p of keys.cols) {
    const d = chunkDictionaryOf(desc, read[p]!, memory);
    if (d === undefined) return false;
    words.push(d.words);
    combos *= d.words.length + 1;
    if (combos > MAX_COMBOS) return false;
  }
  const nk = keys.cols.length;
  const keysAt = scratch.alloc(nk * 12), lutAt = scratch.alloc(combos * 4);
  const i32 = views(kc.memory).i32;
  for (let k = 0; k < nk; k++) {
    const col = desc.cols[read[keys.cols[k]!]!] as Extract<ChunkDesc['cols'][number], { kind: 'dict' }>;
    i32[(keysAt >> 2) + 3 * k] = col.codes;
    i32[(keysAt >> 2) + 3 * k + 1] = col.valid;
    i32[(keysAt >> 2) + 3 * k + 2] = words[k]!.length + 1;
  }
  // The table: each combination's group, when its words were met before (-1 otherwise).
  const names: string[] = new Array(combos);
  for (let c = 0; c < combos; c++) {
    const parts = new Array<string | null>(nk);
    let rest = c;
    for (let k = nk - 1; k >= 0; k--) {
      const radix = words[k]!.length + 1;
      const code = rest % radix;
      rest = (rest - code) / radix;
      parts[k] = code === radix - 1 ? null : words[k]![code]!;
    }
    const name = JSON.stringify(parts);
    names[c] = name;
    i32[(lutAt >> 2) + c] = keys.groupOf.get(name) ?? -1;
  }
  const count = sel ? sel.length : desc.rows;
  if (kc.k.agg_dict_gids(keysAt, nk, selAt, count, lutAt, gidsAt) === 0) return true;
  // New combinations: one row of each gets its group id from the GroupIndex (which also keeps its key values).
  const gids = new Int32Array(kc.memory.buffer, gidsAt, count);
  const firstRow = new Map<number, number>();
  for (let j = 0; j < count; j++) {
    const g = gids[j]!;
    if (g < 0 && !firstRow.has(-1 - g)) firstRow.set(-1 - g, sel ? sel[j]! : j);
  }
  const rows = Int32Array.from(firstRow.values());
  const keyVectors = keys.cols.map((p) => decodeRows(desc, read[p]!, memory, rows, rows.length));
  const ids = new Int32Array(rows.length);
  agg.groupIds(keyVectors, rows.length, ids);
  const lut = views(kc.memory).i32;
  let i = 0;
  for (const combo of firstRow.keys()) {
    keys.groupOf.set(names[combo]!, ids[i]!);
    lut[(lutAt >> 2) + combo] = ids[i++]!;
  }
  if (kc.k.agg_dict_gids(keysAt, nk, selAt, count, lutAt, gidsAt) !== 0) throw internal('agg_dict_gids: a combination without a group');
  return true;
}

/** Emits the layout's sums, extremes and counts; false when some argument cannot be proven for this chunk. */
function emitAggregates(prog: ProgramBuilder, layout: Layout): boolean {
  for (const x of layout.sums) {
    const v = prog.value(x.expr);
    if (v === null) return false;
    if (v.lo > -SMALL && v.hi < SMALL) prog.smallSums.push(prog.words.length);
    prog.emit(OP.sum, x.at, v.reg, v.mask);
  }
  for (const x of layout.extremes) {
    const v = prog.value(x.expr);
    if (v === null) return false;
    prog.emit(x.fn === 'min' ? OP.min : OP.max, x.at, v.reg, v.mask);
  }
  prog.emit(OP.count, 0, -1, 0);
  for (const x of layout.nulls) {
    const mask = prog.validityOf(x.cols);
    if (mask === null) return false;
    if (mask >= 0) prog.emit(OP.countNull, x.at, mask, 0);
  }
  return true;
}

/** A chunk the kernel does not take, through the batch path: its passing rows as the scan would yield them. */
function foldBatch(agg: HashAggregation, scan: ScanNode, chunk: ScanChunk, read: readonly number[],
  kplan: ReturnType<typeof planKernelFilter>, probes: ReturnType<typeof scanProbes>, kc: KernelContext, ctx: ExecContext): void {
  const rows = scanChunk(chunk, read, scan.cols.length, kplan, scan.filter, kc, ctx, probes);
  if (rows !== null) agg.addBatch(rows);
}

/**
 * Hands the kernel's per-group words to the accumulators, exactly and without a BigInt per group: counts and
 * i128 sums within 2^53 become doubles in WASM (agg_totals), extremes are copied as i64.
 */
function foldTotals(agg: HashAggregation, groups: KernelGroups, layout: Layout, kc: KernelContext): void {
  // Groups first numbered in chunks that took the batch path have no words: they have nothing to fold here.
  const ng = Math.min(agg.groupCount, groups.cap);
  if (ng === 0) return;
  const pages = allocatorOf(kc.memory);
  const out = pages.alloc(16 * ng);
  try {
    for (let i = 0; i < layout.aggs.length; i++) {
      const s = layout.aggs[i]!;
      const sumAt = s.kind === 'sum' ? s.valueAt : -1;
      // Counts and sums within 2^53 as doubles (agg_totals), a BigInt only for a sum past that.
      const wide = kc.k.agg_totals(groups.at, groups.stride, ng, 0, s.nullsAt, sumAt, out, out + 8 * ng);
      const v = views(kc.memory);
      // counts are read during addTotals only (a COUNT copies them): a view, not a copy per aggregate
      const t: GroupTotals = { counts: v.f64.subarray(out >> 3, (out >> 3) + ng) };
      if (s.kind === 'sum') {
        const sums = t.sums = v.f64.slice((out >> 3) + ng, (out >> 3) + 2 * ng);
        if (wide > 0) {
          const w = v.i32, u = v.u32;
          const map = t.wide = new Map<number, bigint>();
          for (let g = 0; g < ng; g++) {
            if (sums[g] === sums[g]) continue;
            const o = (groups.at >> 2) + 2 * (g * groups.stride + s.valueAt);
            map.set(g, (BigInt(w[o + 3]!) << 96n) + (BigInt(u[o + 2]!) << 64n) + (BigInt(u[o + 1]!) << 32n) + BigInt(u[o]!));
          }
        }
      } else if (s.kind !== 'count') {
        const ext = t.extremes = new BigInt64Array(ng);
        const e = new Int32Array(ext.buffer), w = v.i32;
        for (let g = 0, o = (groups.at >> 2) + 2 * s.valueAt, step = 2 * groups.stride; g < ng; g++, o += step) { e[2 * g] = w[o]!; e[2 * g + 1] = w[o + 1]!; }
      }
      agg.accumulators[i]!.addTotals!(t, ng);
    }
  } finally {
    pages.free(out);
  }
}

// An idle group store (it never reserves) keeps its class's hidden class alive between queries (host/common/keep-shape.ts).
keepShape(new KernelGroups(undefined as unknown as PageAllocator, { stride: 1, sums: [], extremes: [], nulls: [], aggs: [] }));
