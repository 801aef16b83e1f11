// Hash aggregation, the 'agg' operator (host/exec/operators.ts runs it): rows get dense group ids
// from GroupIndex, each aggregate call folds its argument vectors into per-group state
// (host/exec/aggregates.ts), and the result is one batch of group keys then aggregate values, in
// single, partial (per slice) or final (leader, over partial states) mode.
import { type Batch, type Vector, concatVectors, gatherBatch, gatherVector } from '../batch/vector.js';
import type { PNode } from '../plan/physical.js';
import { makeAccumulator } from './aggregates.js';
import { evalExpr, evalPredicate, ExprMemo, type EvalContext } from './eval.js';
import { ExactEvaluator, hasExactForm } from './exact-numeric.js';
import { GroupIndex } from './group-index.js';

/** Aggregates every batch of `input`; null when the result has no rows. */
export function hashAggregate(n: Extract<PNode, { op: 'agg' }>, input: Iterable<Batch>, ctx: EvalContext & { checkCancel(): void }): Batch | null {
  const accs = n.aggs.map((a) => makeAccumulator(a, n.mode));
  const index = n.groups.length ? new GroupIndex(n.groups.length) : null;
  /** Where each group's key values were first seen: batch k's key vectors started groups
   * newAt[k] .. newAt[k+1]-1, and group g's first row in its batch is firstRow[g]. */
  const keyBatches: Vector[][] = [];
  const newAt: number[] = [0];
  let firstRow = new Int32Array(1024);
  let ngroups = 0;
  const memo = new ExprMemo();
  // Integer/NUMERIC arguments of SUM and AVG are computed as exact doubles (exact-numeric.ts) and
  // folded from there; a batch the exact form declines (a value past 2^53) takes the vector path.
  const exactArgs = n.aggs.map((a, i) => (!a.filter && !a.distinct && a.args.length === 1 && accs[i]!.updateExact !== undefined && hasExactForm(a.args[0]!) ? a.args[0]! : null));
  const exact = exactArgs.some((e) => e !== null) ? new ExactEvaluator() : null;
  // Group ids are consumed within the batch (GroupIndex and the accumulators copy what they keep).
  let gidBuffer = new Int32Array(0);
  for (const b of input) {
    ctx.checkCancel();
    memo.clear();
    exact?.clear();
    if (gidBuffer.length < b.length) gidBuffer = new Int32Array(Math.max(b.length, 1024));
    const gids = gidBuffer;
    if (index === null) ngroups = 1;
    else {
      const keys = n.groups.map((g) => evalExpr(g, b, ctx, memo));
      const before = index.count;
      index.assign(keys, b.length, gids);
      const after = index.count;
      if (after > before) {
        keyBatches.push(keys);
        newAt.push(after);
        if (after > firstRow.length) {
          const grown = new Int32Array(Math.max(after, firstRow.length * 2));
          grown.set(firstRow.subarray(0, before));
          firstRow = grown;
        }
        let next = before;
        for (let i = 0; i < b.length && next < after; i++) if (gids[i] === next) firstRow[next++] = i;
      }
      ngroups = index.count;
    }
    for (let a = 0; a < accs.length; a++) {
      const agg = n.aggs[a]!;
      const exactArg = exactArgs[a]!;
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
  if (index === null) {
    // An aggregate without GROUP BY returns one row even over no input (single and final modes).
    if (n.mode === 'partial' && ngroups === 0) return null;
    ngroups = 1;
  }
  if (ngroups === 0) return null;
  // Groups are numbered in the order they were first seen, so each batch's new groups are one run of
  // ids: the key columns are gathered per batch and concatenated (typed copies, no value per group).
  const groupCols: Vector[] = n.groups.map((g, gi) => {
    const parts = keyBatches.map((keys, k) => {
      const rows = firstRow.subarray(newAt[k]!, newAt[k + 1]!);
      return { ...gatherVector(keys[gi]!, rows, rows.length), type: g.type };
    });
    return concatVectors(g.type, parts);
  });
  const aggCols = accs.flatMap((a) => a.finish(ngroups));
  return { columns: [...groupCols, ...aggCols], length: ngroups };
}
