// Rule: join ordering. A cluster of inner/cross joins is flattened into its inputs and predicates,
// then rebuilt greedily: the largest input (by estimated rows) is the probe side, and the
// smallest input connected to what is joined so far is added next as a build side.
import { and, conjuncts, refsOf, type Expr } from '../expr.js';
import { colsOf, type LNode } from '../logical.js';

export type RowEstimator = (n: LNode) => number;

export function reorderJoins(n: LNode, est: RowEstimator): LNode {
  if (n.op === 'join' && (n.kind === 'inner' || n.kind === 'cross')) {
    const leaves: LNode[] = [];
    const preds: Expr[] = [];
    flatten(n, leaves, preds);
    const ordered = leaves.map((l) => reorderJoins(l, est));
    if (ordered.length <= 1) return ordered[0]!;
    return build(ordered, preds, est);
  }
  switch (n.op) {
    case 'filter': return { ...n, input: reorderJoins(n.input, est) };
    case 'project': return { ...n, input: reorderJoins(n.input, est) };
    case 'join': return { ...n, left: reorderJoins(n.left, est), right: reorderJoins(n.right, est) };
    case 'agg': return { ...n, input: reorderJoins(n.input, est) };
    case 'sort': case 'limit': case 'distinct': return { ...n, input: reorderJoins(n.input, est) };
    case 'setop': return { ...n, left: reorderJoins(n.left, est), right: reorderJoins(n.right, est) };
    default: return n;
  }
}

function flatten(n: LNode, leaves: LNode[], preds: Expr[]): void {
  if (n.op === 'join' && (n.kind === 'inner' || n.kind === 'cross')) {
    flatten(n.left, leaves, preds);
    flatten(n.right, leaves, preds);
    preds.push(...conjuncts(n.cond));
    return;
  }
  leaves.push(n);
}

function build(leaves: LNode[], preds: Expr[], est: RowEstimator): LNode {
  const ids = leaves.map((l) => new Set(colsOf(l).map((c) => c.id)));
  const sizes = leaves.map((l) => est(l));
  const remaining = new Set(leaves.map((_, i) => i));
  const usedPred = new Set<number>();
  const predRefs = preds.map((p) => [...refsOf(p)]);
  let start = 0;
  for (const i of remaining) if (sizes[i]! > sizes[start]!) start = i;
  remaining.delete(start);
  let current: LNode = leaves[start]!;
  const curIds = new Set(ids[start]!);
  let curSize = sizes[start]!;
  const connects = (i: number) => preds.some((_, p) => !usedPred.has(p) && predRefs[p]!.some((r) => ids[i]!.has(r)) && predRefs[p]!.some((r) => curIds.has(r)) && predRefs[p]!.every((r) => ids[i]!.has(r) || curIds.has(r)));
  while (remaining.size > 0) {
    let pick = -1;
    for (const i of remaining) if (connects(i) && (pick < 0 || sizes[i]! < sizes[pick]!)) pick = i;
    if (pick < 0) for (const i of remaining) if (pick < 0 || sizes[i]! < sizes[pick]!) pick = i;
    remaining.delete(pick);
    for (const id of ids[pick]!) curIds.add(id);
    const conds: Expr[] = [];
    preds.forEach((p, k) => {
      if (!usedPred.has(k) && predRefs[k]!.every((r) => curIds.has(r))) { usedPred.add(k); conds.push(p); }
    });
    // The larger side probes; the smaller one is hashed.
    const [probe, buildSide] = sizes[pick]! > curSize ? [leaves[pick]!, current] : [current, leaves[pick]!];
    current = { op: 'join', kind: conds.length ? 'inner' : 'cross', left: probe, right: buildSide, cond: conds.length ? and(conds) : null };
    curSize = Math.max(curSize, sizes[pick]!);
  }
  const rest = preds.filter((_, k) => !usedPred.has(k));
  return rest.length ? { op: 'filter', input: current, pred: and(rest) } : current;
}
