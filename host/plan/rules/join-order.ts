// Rule: join ordering. A cluster of inner/cross joins is flattened into its inputs and predicates,
// then rebuilt by greedy operator ordering: repeatedly join the two connected inputs whose join
// is estimated smallest (|L| x |R| / max(ndv(L.key), ndv(R.key))), the larger side probing a hash
// of the smaller. Bushy trees are allowed, so dimension chains (region-nation-customer) are
// joined before they meet the fact table.
import { and, conjuncts, refsOf, type Expr } from '../expr.js';
import { colsOf, type LNode } from '../logical.js';

import type { NdvEstimator, RowEstimator } from '../cardinality.js';
export type { NdvEstimator, RowEstimator };

export function reorderJoins(n: LNode, est: RowEstimator, ndv: NdvEstimator = () => undefined): LNode {
  if (n.op === 'join' && (n.kind === 'inner' || n.kind === 'cross')) {
    const leaves: LNode[] = [];
    const preds: Expr[] = [];
    flatten(n, leaves, preds);
    const ordered = leaves.map((l) => reorderJoins(l, est, ndv));
    if (ordered.length <= 1) return ordered[0]!;
    return build(ordered, preds, est, ndv);
  }
  switch (n.op) {
    case 'filter': return { ...n, input: reorderJoins(n.input, est, ndv) };
    case 'project': return { ...n, input: reorderJoins(n.input, est, ndv) };
    case 'join': return { ...n, left: reorderJoins(n.left, est, ndv), right: reorderJoins(n.right, est, ndv) };
    case 'agg': return { ...n, input: reorderJoins(n.input, est, ndv) };
    case 'sort': case 'limit': case 'distinct': case 'window': return { ...n, input: reorderJoins(n.input, est, ndv) };
    case 'setop': return { ...n, left: reorderJoins(n.left, est, ndv), right: reorderJoins(n.right, est, ndv) };
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

interface Part { node: LNode; ids: Set<number>; rows: number }

function build(leaves: LNode[], preds: Expr[], est: RowEstimator, ndv: NdvEstimator): LNode {
  let parts: Part[] = leaves.map((l) => ({ node: l, ids: new Set(colsOf(l).map((c) => c.id)), rows: Math.max(1, est(l)) }));
  const used = new Set<number>();
  const predRefs = preds.map((p) => [...refsOf(p)]);
  const within = (k: number, a: Part, b: Part) => predRefs[k]!.every((r) => a.ids.has(r) || b.ids.has(r));
  const spans = (k: number, a: Part, b: Part) => predRefs[k]!.some((r) => a.ids.has(r)) && predRefs[k]!.some((r) => b.ids.has(r));

  /** Estimated rows of a JOIN b on the predicates that connect them, or -1 if none does. */
  const joinSize = (a: Part, b: Part): number => {
    let best = -1;
    preds.forEach((p, k) => {
      if (used.has(k) || !within(k, a, b) || !spans(k, a, b)) return;
      let sel = 0.5;
      if (p.k === 'fn' && p.name === 'eq') {
        const [x, y] = p.args as [Expr, Expr];
        const nx = x.k === 'ref' ? ndv(x.id) : undefined;
        const ny = y.k === 'ref' ? ndv(y.id) : undefined;
        const sideX = a.ids.has(x.k === 'ref' ? x.id : -1) ? a : b;
        const sideY = sideX === a ? b : a;
        const dx = Math.min(nx ?? sideX.rows, sideX.rows), dy = Math.min(ny ?? sideY.rows, sideY.rows);
        sel = 1 / Math.max(1, dx, dy);
      }
      const size = a.rows * b.rows * sel;
      best = best < 0 ? size : Math.min(best, size);
    });
    return best;
  };

  while (parts.length > 1) {
    let bi = -1, bj = -1, bsize = Infinity;
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
      const s = joinSize(parts[i]!, parts[j]!);
      if (s >= 0 && s < bsize) { bsize = s; bi = i; bj = j; }
    }
    if (bi < 0) {
      // Nothing connects: cross join the two smallest inputs.
      const order = parts.map((p, i) => [p.rows, i] as const).sort((x, y) => x[0] - y[0]);
      bi = order[0]![1]; bj = order[1]![1];
      bsize = parts[bi]!.rows * parts[bj]!.rows;
    }
    const a = parts[bi]!, b = parts[bj]!;
    const conds: Expr[] = [];
    preds.forEach((p, k) => { if (!used.has(k) && within(k, a, b)) { used.add(k); conds.push(p); } });
    const [probe, buildSide] = a.rows >= b.rows ? [a, b] : [b, a];
    const node: LNode = { op: 'join', kind: conds.length ? 'inner' : 'cross', left: probe.node, right: buildSide.node, cond: conds.length ? and(conds) : null, est: Math.max(1, bsize) };
    const merged: Part = { node, ids: new Set([...a.ids, ...b.ids]), rows: Math.max(1, bsize) };
    parts = parts.filter((_, k) => k !== bi && k !== bj);
    parts.push(merged);
  }
  const rest = preds.filter((_, k) => !used.has(k));
  return rest.length ? { op: 'filter', input: parts[0]!.node, pred: and(rest) } : parts[0]!.node;
}
