// Rule: semi-join reduction of grouped join inputs. A decorrelated scalar subquery (TPC-H Q2, Q17,
// Q20) becomes `outer LEFT JOIN (aggregate GROUP BY k)` on outer.x = k; only the groups whose key
// some outer row carries are ever used, so the aggregate's input is first semi-joined with the
// small, filtered subtree of the outer side that x comes from (an inner join when the aggregates
// ignore repeated rows, ADR 0024). Runs after join ordering, before the last pushdown (which moves
// the copied subtree's filters back onto its scan).
import { sameType } from '../../types/sql-type.js';
import { and, conjuncts, substitute, type Expr } from '../expr.js';
import { colsOf, type AggCall, type Col, type LNode } from '../logical.js';
import type { RowEstimator } from './join-order.js';
import { mapInputs, maxColId } from './plan-walk.js';

/** Reduces every eligible grouped join input in the plan. */
export function reduceGroupedJoins(root: LNode, est: RowEstimator): LNode {
  let nextId = maxColId(root) + 1;
  const fresh = () => nextId++;
  const visit = (n: LNode): LNode => {
    const m = mapInputs(n, visit);
    if (m.op !== 'join') return m;
    // The aggregate may be on either side of an inner join; outer-style joins keep it on the right.
    const tried = tryReduce(m, 'right', est, fresh);
    if (tried) return tried;
    if (m.kind === 'inner') return tryReduce(m, 'left', est, fresh) ?? m;
    return m;
  };
  return visit(root);
}

type JoinNode = Extract<LNode, { op: 'join' }>;

function tryReduce(j: JoinNode, aggSide: 'left' | 'right', est: RowEstimator, fresh: () => number): JoinNode | null {
  if (j.kind === 'right' || j.kind === 'full' || j.kind === 'cross') return null;
  const grouped = aggSide === 'right' ? j.right : j.left;
  const other = aggSide === 'right' ? j.left : j.right;
  const otherIds = new Set(colsOf(other).map((c) => c.id));
  // outer.x = k conjuncts where k is a grouping column of one aggregate under `grouped`.
  let agg: Extract<LNode, { op: 'agg' }> | null = null;
  const keys: { outer: number; group: number; eq: Expr; groupFirst: boolean }[] = [];
  for (const c of conjuncts(j.cond)) {
    if (c.k !== 'fn' || c.name !== 'eq') continue;
    const [a, b] = c.args as [Expr, Expr];
    for (const [o, g, groupFirst] of [[a, b, false], [b, a, true]] as const) {
      if (o.k !== 'ref' || g.k !== 'ref' || !otherIds.has(o.id)) continue;
      const src = groupSource(grouped, g.id);
      if (!src || (agg && src.agg !== agg)) continue;
      agg = src.agg;
      keys.push({ outer: o.id, group: src.index, eq: c, groupFirst });
      break;
    }
  }
  if (!agg || keys.length === 0) return null;
  // Every grouping column must be keyed: otherwise a group kept for one key could differ.
  const keyed = new Set(keys.map((k) => k.group));
  if (keyed.size !== agg.groups.length) return null;
  const source = keySource(other, new Set(keys.map((k) => k.outer)));
  if (!source || !reduces(source) || est(source) >= est(agg.input)) return null;
  const copy = cloneFresh(source, fresh);
  if (!copy) return null;
  // The same equality as the join's, over the group expression and the copy's key column; both
  // sides keep the types the join compared (the group column has its expression's type).
  const parts: Expr[] = [];
  for (const k of keys) {
    const groupExpr = agg.groups[k.group]!;
    const [a, b] = (k.eq as { args: Expr[] }).args as [Expr, Expr];
    const outerArg = k.groupFirst ? b : a;
    if (!sameType(groupExpr.type, (k.groupFirst ? a : b).type)) return null;
    const outerRef: Expr = { k: 'ref', id: copy.ids.get(k.outer)!, type: outerArg.type };
    parts.push({ ...k.eq, args: k.groupFirst ? [groupExpr, outerRef] : [outerRef, groupExpr] } as Expr);
  }
  const cond = and(parts);
  // An inner join repeats each group's rows as often as the copy holds its key: the same for every
  // row of the group, so an aggregate blind to repeats gives the same value. It is then the same
  // join as the outer query's own, which host/plan/rules/shared-columns.ts lets both read once.
  const kind = ignoresRepeats(agg) ? 'inner' : 'semi';
  const reducedAgg: LNode = { ...agg, input: { op: 'join', kind, left: agg.input, right: copy.node, cond } };
  const replaced = replaceNode(grouped, agg, reducedAgg);
  return aggSide === 'right' ? { ...j, right: replaced } : { ...j, left: replaced };
}

/**
 * Whether every aggregate of `agg` gives the same value when each group's rows all repeat the same
 * number of times: MIN, MAX, BOOL_AND/OR, any DISTINCT aggregate, and AVG of an exact type (the
 * sum and the count scale alike; a float sum's rounding would not).
 */
export function ignoresRepeats(agg: Extract<LNode, { op: 'agg' }>): boolean {
  return agg.aggs.every((a) => {
    if (a.distinct && a.fn !== 'listagg') return true;
    switch (a.fn) {
      case 'min': case 'max': case 'bool_and': case 'bool_or': case 'any_value': return true;
      case 'avg': return a.args.length === 1 && ['int2', 'int4', 'int8', 'numeric'].includes(a.args[0]!.type.id);
      default: return false;
    }
  });
}

/** The aggregate and grouping position a column of `n` is, through filters and renaming projections. */
function groupSource(n: LNode, id: number): { agg: Extract<LNode, { op: 'agg' }>; index: number } | null {
  switch (n.op) {
    case 'filter': return groupSource(n.input, id);
    case 'project': {
      const i = n.cols.findIndex((c) => c.id === id);
      const e = n.exprs[i];
      return e && e.k === 'ref' ? groupSource(n.input, e.id) : null;
    }
    case 'agg': {
      const i = n.cols.findIndex((c) => c.id === id);
      return i >= 0 && i < n.groups.length ? { agg: n, index: i } : null;
    }
    default: return null;
  }
}

/**
 * The deepest subtree of `n` that produces every column in `ids`, reached through joins only: each
 * non-null value those columns take in `n` also occurs in it. Filters stay in the subtree.
 */
function keySource(n: LNode, ids: Set<number>): LNode | null {
  const has = (x: LNode) => { const own = new Set(colsOf(x).map((c) => c.id)); return [...ids].every((i) => own.has(i)); };
  if (!has(n)) return null;
  let cur = n;
  for (;;) {
    if (cur.op !== 'join') return cur;
    if (has(cur.left)) cur = cur.left;
    else if (cur.kind !== 'semi' && cur.kind !== 'anti' && has(cur.right)) cur = cur.right;
    else return cur;
  }
}

/** Whether a subtree can hold fewer keys than its table: it filters or joins somewhere. */
function reduces(n: LNode): boolean {
  switch (n.op) {
    case 'filter': case 'join': return true;
    case 'project': case 'distinct': return reduces(n.input);
    default: return false;
  }
}

/** A copy of a subtree with fresh column ids (the plan refers to columns by id), or null if unsupported. */
function cloneFresh(n: LNode, fresh: () => number): { node: LNode; ids: Map<number, number> } | null {
  const ids = new Map<number, number>();
  const renew = (cols: Col[]) => cols.map((c) => { const id = fresh(); ids.set(c.id, id); return { ...c, id }; });
  const sub = (e: Expr) => substitute(e, (r) => (ids.has(r.id) ? { k: 'ref', id: ids.get(r.id)!, type: r.type } : undefined));
  const go = (x: LNode): LNode | null => {
    switch (x.op) {
      case 'get': return { ...x, cols: renew(x.cols) };
      case 'filter': { const input = go(x.input); return input && { ...x, input, pred: sub(x.pred) }; }
      case 'project': { const input = go(x.input); return input && { ...x, input, exprs: x.exprs.map(sub), cols: renew(x.cols) }; }
      case 'distinct': { const input = go(x.input); return input && { ...x, input }; }
      case 'join': {
        const left = go(x.left), right = left && go(x.right);
        return left && right && { ...x, left, right, cond: x.cond && sub(x.cond) };
      }
      case 'agg': {
        const input = go(x.input);
        if (!input) return null;
        const aggs: AggCall[] = x.aggs.map((a) => ({ ...a, args: a.args.map(sub), filter: a.filter && sub(a.filter), ...(a.order ? { order: a.order.map((o) => ({ ...o, expr: sub(o.expr) })) } : {}) }));
        return { ...x, input, groups: x.groups.map(sub), aggs, cols: renew(x.cols) };
      }
      default: return null;
    }
  };
  const node = go(n);
  return node && { node, ids };
}

function replaceNode(n: LNode, target: LNode, by: LNode): LNode {
  if (n === target) return by;
  return mapInputs(n, (c) => replaceNode(c, target, by));
}
