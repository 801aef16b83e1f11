// Hash aggregation, the 'agg' operator (host/exec/operators.ts runs it): rows get dense group ids
// from GroupIndex, each aggregate call folds its argument vectors into per-group state
// (host/exec/aggregates.ts), and the result is one batch of group keys then aggregate values, in
// single, partial (per slice) or final (leader, over partial states) mode.
import { type Batch, type Vector, concatVectors, gatherBatch, gatherVector } from '../batch/vector.js';
import type { PNode } from '../plan/physical.js';
import { makeAccumulator } from './aggregates.js';
import { evalExpr, evalPredicate, ExprMemo, type EvalContext } from './eval.js';
import { GroupIndex } from './group-index.js';

/** Aggregates every batch of `input`; null when the result has no rows. */
export function hashAggregate(n: Extract<PNode, { op: 'agg' }>, input: Iterable<Batch>, ctx: EvalContext & { checkCancel(): void }): Batch | null {
  const accs = n.aggs.map((a) => makeAccumulator(a, n.mode));
  const index = n.groups.length ? new GroupIndex(n.groups.length) : null;
  /** Where each group's key values were first seen: a batch's key vectors and a row. */
  const keyBatches: Vector[][] = [];
  const firstBatch: number[] = [];
  const firstRow: number[] = [];
  let ngroups = 0;
  const memo = new ExprMemo();
  for (const b of input) {
    ctx.checkCancel();
    memo.clear();
    const gids = new Int32Array(b.length);
    if (index === null) ngroups = 1;
    else {
      const keys = n.groups.map((g) => evalExpr(g, b, ctx, memo));
      const before = index.count;
      index.assign(keys, b.length, gids);
      if (index.count > before) {
        const batchNo = keyBatches.length;
        keyBatches.push(keys);
        let next = before;
        const after = index.count;
        for (let i = 0; i < b.length && next < after; i++) {
          if (gids[i] === next) { firstBatch.push(batchNo); firstRow.push(i); next++; }
        }
      }
      ngroups = index.count;
    }
    for (let a = 0; a < accs.length; a++) {
      const agg = n.aggs[a]!;
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
  const runs: { batch: number; rows: Int32Array }[] = [];
  for (let k = 0; index !== null && k < ngroups;) {
    let e = k;
    while (e < ngroups && firstBatch[e] === firstBatch[k]) e++;
    runs.push({ batch: firstBatch[k]!, rows: Int32Array.from(firstRow.slice(k, e)) });
    k = e;
  }
  const groupCols: Vector[] = n.groups.map((g, gi) => {
    const parts = runs.map(({ batch, rows }) => ({ ...gatherVector(keyBatches[batch]![gi]!, rows, rows.length), type: g.type }));
    return concatVectors(g.type, parts);
  });
  const aggCols = accs.flatMap((a) => a.finish(ngroups));
  return { columns: [...groupCols, ...aggCols], length: ngroups };
}
