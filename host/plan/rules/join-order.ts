// Rule: join ordering. A cluster of inner/cross joins is flattened into its inputs and predicates,
// then rebuilt. Up to MAX_ENUMERATED_LEAVES inputs connected by predicates get the cheapest tree of
// an exhaustive search (join-enumeration.ts: every subset's cheapest plan, equalities the query
// implies included); larger or disconnected clusters get greedy operator ordering: repeatedly join
// the two connected inputs whose join costs least, the larger side probing a hash of the smaller.
// The greedy cost is the join's estimated rows (|L| x |R| / max(ndv(L.key), ndv(R.key))) plus the
// rows it would move between slices: none when both keys are distribution keys or a side is
// replicated, else the smaller side. So co-located joins (lineitem-orders on the order key) come
// before joins that would move one of their inputs off its key and back again. Bushy trees are
// allowed, so dimension chains (region-nation-customer) are joined before they meet the fact table.
import { and, conjuncts, refsOf, type Expr } from '../expr.js';
import { colsOf, type LNode } from '../logical.js';
import { columnsRead, enumerateJoinOrder } from './join-enumeration.js';

import type { NdvEstimator, RowEstimator } from '../cardinality.js';
export type { NdvEstimator, RowEstimator };

/** How a column's rows are placed over slices (ColumnStats.placement). */
export type PlacementOf = (colId: number) => 'key' | 'all' | undefined;

/** `slices`: the cluster's slice count (what a broadcast costs, join-enumeration.ts). */
export function reorderJoins(root: LNode, est: RowEstimator, ndv: NdvEstimator = () => undefined, placement: PlacementOf = () => undefined, slices = 2): LNode {
  const read = columnsRead(root);
  const reorder = (n: LNode): LNode => {
    if (n.op === 'join' && (n.kind === 'inner' || n.kind === 'cross')) {
      const leaves: LNode[] = [];
      const preds: Expr[] = [];
      flatten(n, leaves, preds);
      const ordered = leaves.map(reorder);
      if (ordered.length <= 1) return ordered[0]!;
      return enumerateJoinOrder(ordered, preds, est, ndv, placement, read, slices) ?? build(ordered, preds, est, ndv, placement);
    }
    switch (n.op) {
      case 'filter': case 'project': case 'agg': case 'sort': case 'limit': case 'distinct': case 'window': return { ...n, input: reorder(n.input) };
      case 'join': case 'setop': return { ...n, left: reorder(n.left), right: reorder(n.right) };
      default: return n;
    }
  };
  return reorder(root);
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

interface Part { node: LNode; ids: Set<number>; rows: number; replicated: boolean }

function build(leaves: LNode[], preds: Expr[], est: RowEstimator, ndv: NdvEstimator, placement: PlacementOf): LNode {
  const replicated = (l: LNode) => { const cols = colsOf(l); return cols.length > 0 && cols.every((c) => placement(c.id) === 'all'); };
  let parts: Part[] = leaves.map((l) => ({ node: l, ids: new Set(colsOf(l).map((c) => c.id)), rows: Math.max(1, est(l)), replicated: replicated(l) }));
  const used = new Set<number>();
  const predRefs = preds.map((p) => [...refsOf(p)]);
  const within = (k: number, a: Part, b: Part) => predRefs[k]!.every((r) => a.ids.has(r) || b.ids.has(r));
  const spans = (k: number, a: Part, b: Part) => predRefs[k]!.some((r) => a.ids.has(r)) && predRefs[k]!.some((r) => b.ids.has(r));

  /** Rows a join of a and b moves between slices: none when co-located on distribution keys or a side is replicated. */
  const moved = (a: Part, b: Part): number => {
    if (a.replicated || b.replicated) return 0;
    const colocated = preds.some((p, k) => {
      if (used.has(k) || p.k !== 'fn' || p.name !== 'eq') return false;
      const [x, y] = p.args as [Expr, Expr];
      if (x.k !== 'ref' || y.k !== 'ref' || placement(x.id) !== 'key' || placement(y.id) !== 'key') return false;
      return (a.ids.has(x.id) && b.ids.has(y.id)) || (a.ids.has(y.id) && b.ids.has(x.id));
    });
    return colocated ? 0 : Math.min(a.rows, b.rows);
  };

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
    let bi = -1, bj = -1, bsize = Infinity, bcost = Infinity;
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
      const s = joinSize(parts[i]!, parts[j]!);
      if (s < 0) continue;
      const cost = s + moved(parts[i]!, parts[j]!);
      if (cost < bcost) { bcost = cost; bsize = s; bi = i; bj = j; }
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
    const merged: Part = { node, ids: new Set([...a.ids, ...b.ids]), rows: Math.max(1, bsize), replicated: a.replicated && b.replicated };
    parts = parts.filter((_, k) => k !== bi && k !== bj);
    parts.push(merged);
  }
  const rest = preds.filter((_, k) => !used.has(k));
  return rest.length ? { op: 'filter', input: parts[0]!.node, pred: and(rest) } : parts[0]!.node;
}
