// Hash aggregation, the 'agg' operator (host/exec/operators.ts runs it): rows get dense group ids
// from GroupIndex, each aggregate call folds its argument vectors into per-group state
// (host/exec/aggregates.ts), and the result is one batch of group keys then aggregate values, in
// single, partial (per slice) or final (leader, over partial states) mode.
import { type Batch, type Vector, concatVectors, gatherBatch, gatherVector } from '../batch/vector.js';
import type { PNode } from '../plan/physical.js';
import type { Expr } from '../plan/expr.js';
import { makeAccumulator, type Accumulator } from './aggregates.js';
import { evalExpr, evalPredicate, ExprMemo, type EvalContext } from './eval.js';
import { ExactEvaluator, hasExactForm } from './exact-numeric.js';
import { GroupIndex } from './group-index.js';
import { KeyTable, keyTableTakes, type KeyKernels } from './key-table.js';
import { LeadKeyIndex, leadKeysApply } from './lead-key-index.js';

/** Aggregates every batch of `input`; null when the result has no rows. */
export function hashAggregate(n: Extract<PNode, { op: 'agg' }>, input: Iterable<Batch>, ctx: AggContext & { checkCancel(): void }): Batch | null {
  const h = new HashAggregation(n, ctx);
  try {
    for (const b of input) {
      ctx.checkCancel();
      h.addBatch(b);
    }
    return h.finish();
  } finally {
    h.free();
  }
}

/** What an aggregation evaluates with: the kernels, when the thread has them, number integer keys (KeyTable). */
export type AggContext = EvalContext & { kernels?: KeyKernels };

/**
 * One aggregation's state: the group index, the key values of each group and the accumulators.
 * Batches come in through `addBatch`; the fused scan-aggregate (host/exec/scan-agg.ts) numbers its
 * rows' groups with `groupIds` and folds its kernel totals in through `accumulators` before `finish`.
 */
export class HashAggregation {
  readonly accumulators: Accumulator[];
  private readonly index: GroupIndex | LeadKeyIndex | null;
  /** Where each group's key values were first seen: batch k's key vectors started groups
   * newAt[k] .. newAt[k+1]-1, and group g's first row in its batch is firstRow[g]. */
  private readonly keyBatches: Vector[][] = [];
  private readonly newAt: number[] = [0];
  private firstRow = new Int32Array(1024);
  private ngroups = 0;
  private readonly memo = new ExprMemo();
  private readonly exactArgs: (Expr | null)[];
  private readonly exact: ExactEvaluator | null;
  // Group ids are consumed within the batch (GroupIndex and the accumulators copy what they keep).
  private gidBuffer = new Int32Array(0);
  constructor(private readonly n: Extract<PNode, { op: 'agg' }>, private readonly ctx: AggContext) {
    // An aggregate that is not supported throws here: the DISTINCT key tables made before it are given back.
    const accs: Accumulator[] = [];
    try {
      for (const a of n.aggs) accs.push(makeAccumulator(a, n.mode, ctx.kernels ?? null));
    } catch (e) {
      for (const a of accs) a.free?.();
      throw e;
    }
    this.accumulators = accs;
    const types = n.groups.map((g) => g.type);
    const kernels = ctx.kernels;
    // Keys mixing plain strings with other columns compare the strings instead of hashing them (lead-key-index.ts).
    this.index = !n.groups.length ? null
      : leadKeysApply(types) ? new LeadKeyIndex(types, kernels ?? null)
      : new GroupIndex(n.groups.length, kernels && keyTableTakes(types) ? new KeyTable(kernels, types) : null);
    // Integer/NUMERIC arguments of SUM and AVG are computed as exact doubles (exact-numeric.ts) and
    // folded from there; a batch the exact form declines (a value past 2^53) takes the vector path.
    this.exactArgs = n.aggs.map((a, i) => (!a.filter && !a.distinct && a.args.length === 1 && accs[i]!.updateExact !== undefined && hasExactForm(a.args[0]!) ? a.args[0]! : null));
    this.exact = this.exactArgs.some((e) => e !== null) ? new ExactEvaluator() : null;
  }

  /** Groups seen so far (1 without GROUP BY once a row or total came in). */
  get groupCount(): number { return this.ngroups; }

  /**
   * Writes the group id of each of rows 0..length-1 to `gids`, from the evaluated GROUP BY `keys`
   * (the aggregation keeps the vectors of batches that started groups); all 0 without GROUP BY.
   */
  groupIds(keys: Vector[], length: number, gids: Int32Array): void {
    const index = this.index;
    if (index === null) { gids.fill(0, 0, length); this.ngroups = 1; return; }
    const before = index.count;
    const hadTable = index.table !== null;
    index.assign(keys, length, gids);
    const after = index.count;
    // Groups the table numbered keep their key values there (finish); once the index left it, as a batch of their own.
    if (index.table !== null) { this.ngroups = after; return; }
    if (hadTable && index.replayed !== null) {
      this.keyBatches.push(index.replayed);
      this.newAt.push(before);
      if (before > this.firstRow.length) this.firstRow = new Int32Array(before);
      for (let g = 0; g < before; g++) this.firstRow[g] = g;
    }
    if (after > before) {
      this.keyBatches.push(keys);
      this.newAt.push(after);
      if (after > this.firstRow.length) {
        const grown = new Int32Array(Math.max(after, this.firstRow.length * 2));
        grown.set(this.firstRow.subarray(0, before));
        this.firstRow = grown;
      }
      const firstRow = this.firstRow;
      let next = before;
      for (let i = 0; i < length && next < after; i++) if (gids[i] === next) firstRow[next++] = i;
    }
    this.ngroups = index.count;
  }

  /** Folds one batch of the input into the groups. */
  addBatch(b: Batch): void {
    const { n, ctx, memo, exact } = this;
    const accs = this.accumulators;
    memo.clear();
    exact?.clear();
    if (this.gidBuffer.length < b.length) this.gidBuffer = new Int32Array(Math.max(b.length, 1024));
    const gids = this.gidBuffer;
    if (this.index === null) this.ngroups = 1;
    else this.groupIds(n.groups.map((g) => evalExpr(g, b, ctx, memo)), b.length, gids);
    const ngroups = this.ngroups;
    for (let a = 0; a < accs.length; a++) {
      const agg = n.aggs[a]!;
      const exactArg = this.exactArgs[a]!;
      if (exactArg !== null) {
        const x = exact!.eval(exactArg, b);
        if (x !== null) { accs[a]!.updateExact!(gids, x.values, x.valid, x.maxAbs, b.length, ngroups); continue; }
      }
      let rows = b, ids = gids, count = b.length;
      if (agg.filter) {
        const { sel, count: c } = evalPredicate(agg.filter, b, ctx);
        rows = gatherBatch(b, sel, c);
        ids = new Int32Array(c);
        for (let j = 0; j < c; j++) ids[j] = gids[sel[j]!]!;
        count = c;
      }
      // Filtered aggregates see other rows: their arguments share nothing with the batch's.
      const m = agg.filter ? undefined : memo;
      const args = [...agg.args.map((e) => evalExpr(e, rows, ctx, m)), ...(agg.order ?? []).map((o) => evalExpr(o.expr, rows, ctx, m))];
      accs[a]!.update(ids, args, count, ngroups);
    }
  }

  /** The result batch: group keys then aggregate values; null when it has no rows. */
  finish(): Batch | null {
    const { n, keyBatches, newAt, firstRow } = this;
    let ngroups = this.ngroups;
    if (this.index === null) {
      // An aggregate without GROUP BY returns one row even over no input (single and final modes).
      if (n.mode === 'partial' && ngroups === 0) return null;
      ngroups = 1;
    }
    if (ngroups === 0) return null;
    // Groups are numbered in the order they were first seen, so each batch's new groups are one run of
    // ids: the key columns are gathered per batch and concatenated (typed copies, no value per group).
    const table = this.index?.table ?? null;
    const groupCols: Vector[] = table !== null ? table.keyVectors() : n.groups.map((g, gi) => {
      const parts = keyBatches.map((keys, k) => {
        const rows = firstRow.subarray(newAt[k]!, newAt[k + 1]!);
        return { ...gatherVector(keys[gi]!, rows, rows.length), type: g.type };
      });
      return concatVectors(g.type, parts);
    });
    const aggCols = this.accumulators.flatMap((a) => a.finish(ngroups));
    return { columns: [...groupCols, ...aggCols], length: ngroups };
  }

  /** Takes the group count from the key table after rows were numbered through it directly (`keyTable`). */
  syncGroupCount(): void { if (this.index !== null) this.ngroups = this.index.count; }

  /** The key table of the index while it numbers every key (the fused path numbers chunk columns through it). */
  get keyTable(): KeyTable | null { return this.index?.table ?? null; }

  /** Gives the shared memory of the key tables back; call once the result is taken (also on error). */
  free(): void {
    this.index?.free();
    for (const a of this.accumulators) a.free?.();
  }
}
