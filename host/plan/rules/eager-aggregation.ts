// Rule: eager aggregation through a join. An aggregate that groups by columns of the left input
// and aggregates only columns of the right one (TPC-H Q13: customer LEFT JOIN orders, count of
// orders per customer) is computed in two steps: the right input is first aggregated per join key,
// so the join meets one row per key instead of every row, then the partial values are combined per
// group above the join (counts summed, sums summed, min of mins, max of maxes). Runs after join
// ordering; the grouped right input is lowered as a per-slice partial and final aggregate.
import { T } from '../../types/sql-type.js';
import { conjuncts, and, refsOf, substitute, type Expr } from '../expr.js';
import { colsOf, type AggCall, type Col, type LNode } from '../logical.js';
import type { Cardinality } from '../cardinality.js';
import { mapInputs, maxColId } from './plan-walk.js';

/** Pre-aggregate only when the right input has at least this many rows per join key. */
const MIN_ROWS_PER_KEY = 2;

export function aggregateEagerly(root: LNode, card: Cardinality): LNode {
  let nextId = maxColId(root) + 1;
  const fresh = () => nextId++;
  const visit = (n: LNode): LNode => {
    const m = mapInputs(n, visit);
    return m.op === 'agg' ? rewrite(m, card, fresh) ?? m : m;
  };
  return visit(root);
}

type AggNode = Extract<LNode, { op: 'agg' }>;

function rewrite(a: AggNode, card: Cardinality, fresh: () => number): LNode | null {
  const j = a.input;
  if (j.op !== 'join' || (j.kind !== 'inner' && j.kind !== 'left') || a.groups.length === 0) return null;
  const leftIds = new Set(colsOf(j.left).map((c) => c.id));
  const rightIds = new Set(colsOf(j.right).map((c) => c.id));
  const only = (e: Expr, ids: Set<number>) => [...refsOf(e)].every((id) => ids.has(id));
  if (!a.groups.every((g) => only(g, leftIds))) return null;
  // count(x) / sum / min / max over right columns; a left join's padded row has NULL x, which
  // count(x) skips, whereas count(*) would count it.
  const simple = (c: AggCall) => !c.distinct && !c.filter && !c.order && c.args.length === 1 && only(c.args[0]!, rightIds);
  if (!a.aggs.every((c) => simple(c) && ['count', 'sum', 'min', 'max'].includes(c.fn))) return null;
  // The join must be right-key = left-expression equalities only.
  const rightKeys: number[] = [];
  const pairs: { left: Expr; right: number; eq: Expr; rightFirst: boolean }[] = [];
  for (const c of conjuncts(j.cond)) {
    if (c.k !== 'fn' || c.name !== 'eq') return null;
    const [x, y] = c.args as [Expr, Expr];
    if (y.k === 'ref' && rightIds.has(y.id) && only(x, leftIds)) pairs.push({ left: x, right: y.id, eq: c, rightFirst: false });
    else if (x.k === 'ref' && rightIds.has(x.id) && only(y, leftIds)) pairs.push({ left: y, right: x.id, eq: c, rightFirst: true });
    else return null;
    if (!rightKeys.includes(pairs.at(-1)!.right)) rightKeys.push(pairs.at(-1)!.right);
  }
  if (pairs.length === 0) return null;
  // Worth it only when keys repeat: rows per key from the key's distinct count.
  const keys = card.groups(j.right, rightKeys.map((id) => ({ k: 'ref', id, type: rightIds.has(id) ? colsOf(j.right).find((c) => c.id === id)!.type : T.int8 })));
  if (card.rows(j.right) < MIN_ROWS_PER_KEY * keys) return null;

  const rightCols = colsOf(j.right);
  const keyCols: Col[] = rightKeys.map((id) => ({ ...rightCols.find((c) => c.id === id)!, id: fresh(), hidden: true }));
  const partialCols: Col[] = a.aggs.map((c, i) => ({ id: fresh(), name: `partial${i}`, type: c.fn === 'count' ? T.int8 : c.type, hidden: true }));
  const partial: LNode = {
    op: 'agg', input: j.right,
    groups: rightKeys.map((id, i) => ({ k: 'ref', id, type: keyCols[i]!.type })),
    aggs: a.aggs.map((c, i) => ({ ...c, type: partialCols[i]!.type })),
    cols: [...keyCols, ...partialCols],
  };
  const keyRef = new Map(rightKeys.map((id, i) => [id, keyCols[i]!.id] as const));
  const cond = and(pairs.map((p) => substitute(p.eq, (r) => (keyRef.has(r.id) ? { k: 'ref', id: keyRef.get(r.id)!, type: r.type } : undefined))));
  const joined: LNode = { op: 'join', kind: j.kind, left: j.left, right: partial, cond, ...(j.est !== undefined ? { est: j.est } : {}) };
  // Combining partials: counts add up (0 when no row matched), sums add up, min of mins, max of maxes.
  const finals: AggCall[] = a.aggs.map((c, i) => ({
    fn: c.fn === 'count' ? 'sum_counts' : c.fn,
    args: [{ k: 'ref', id: partialCols[i]!.id, type: partialCols[i]!.type }],
    distinct: false, filter: null, type: c.type,
  }));
  return { ...a, input: joined, aggs: finals };
}
