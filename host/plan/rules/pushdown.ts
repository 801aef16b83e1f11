// Rule: predicate pushdown. Moves filter conjuncts as close to the scans as they can go (through
// projections, into the sides of joins they reference, into join conditions), and turns a cross
// join with an equality over both sides into an inner join.
import { and, conjuncts, exprKey, refsOf, substitute, type Expr } from '../expr.js';
import { callsVolatile } from '../../functions/index.js';
import { colsOf, type LNode } from '../logical.js';
import { impliedRestriction } from './or-restriction.js';

function idsOf(n: LNode): Set<number> { return new Set(colsOf(n).map((c) => c.id)); }
function within(e: Expr, ids: Set<number>): boolean { for (const r of refsOf(e)) if (!ids.has(r)) return false; return true; }
/**
 * Predicates calling a volatile function (RANDOM, set_config, pg_cancel_backend) are not pushed into a
 * subquery or a join condition: they must run once per row of the level they were written at, as
 * PostgreSQL keeps them ("Subquery pushdown", src/backend/optimizer/README; Redshift follows it).
 */
function pushable(e: Expr): boolean { return !callsVolatile(e); }

/**
 * A volatile predicate that reads no column (`WHERE random() < 0.5`) belongs to the join's output
 * rows, not to one input: filtering an input would keep or drop all of a row's matches together.
 * PostgreSQL evaluates such a clause at the top of the join tree (distribute_qual_to_rels).
 */
function pinnedToJoin(e: Expr): boolean { return refsOf(e).size === 0 && callsVolatile(e); }

/**
 * (A AND B) OR (A AND C) is A AND (B OR C): conjuncts common to every branch of an OR are pulled
 * out, so a join condition written inside each branch (TPC-H Q19) becomes a hash join key.
 */
export function factorOr(e: Expr): Expr[] {
  if (e.k !== 'or') return [e];
  const branches = e.args.map((a) => conjuncts(a));
  const keyed = branches.map((b) => new Map(b.map((c) => [exprKey(c), c] as const)));
  const common = [...keyed[0]!.entries()].filter(([k]) => keyed.every((m) => m.has(k)));
  if (common.length === 0) return [e];
  const commonKeys = new Set(common.map(([k]) => k));
  const rest = branches.map((b) => b.filter((c) => !commonKeys.has(exprKey(c))));
  // A branch that was only the common part makes the whole OR true.
  if (rest.some((r) => r.length === 0)) return common.map(([, c]) => c);
  return [...common.map(([, c]) => c), { k: 'or', args: rest.map((r) => and(r)), type: e.type }];
}

export function pushDownPredicates(n: LNode, preds: Expr[] = []): LNode {
  switch (n.op) {
    case 'filter':
      return pushDownPredicates(n.input, [...preds, ...conjuncts(n.pred).flatMap(factorOr)]);
    case 'project': {
      // Push through by substituting the projected expressions.
      const map = new Map(n.cols.map((c, i) => [c.id, n.exprs[i]!]));
      const down: Expr[] = [];
      const stay: Expr[] = [];
      for (const p of preds) {
        const refs = refsOf(p);
        if (pushable(p) && [...refs].every((id) => map.has(id)) && [...refs].every((id) => pushable(map.get(id)!))) down.push(substitute(p, (r) => map.get(r.id)));
        else stay.push(p);
      }
      const out: LNode = { ...n, input: pushDownPredicates(n.input, down) };
      return wrap(out, stay);
    }
    case 'join': {
      const lids = idsOf(n.left), rids = idsOf(n.right);
      const toLeft: Expr[] = [], toRight: Expr[] = [], toCond: Expr[] = [], stay: Expr[] = [];
      const condParts = conjuncts(n.cond);
      let kind = n.kind;
      for (const p of preds) {
        if (pinnedToJoin(p)) stay.push(p);
        else if (within(p, lids) && kind !== 'right' && kind !== 'full') toLeft.push(p);
        else if (within(p, rids) && (kind === 'inner' || kind === 'cross')) toRight.push(p);
        else if ((kind === 'inner' || kind === 'cross') && pushable(p)) toCond.push(p);
        else stay.push(p);
      }
      // Conditions of inner/semi/anti/left joins that reference one side only can move down.
      const keep: Expr[] = [];
      for (const c of [...condParts, ...toCond]) {
        if (pinnedToJoin(c)) { keep.push(c); continue; }
        if (kind === 'inner' || kind === 'cross') {
          if (within(c, lids)) { toLeft.push(c); continue; }
          if (within(c, rids)) { toRight.push(c); continue; }
        } else if (kind === 'left' || kind === 'semi' || kind === 'anti') {
          if (within(c, rids) && !within(c, lids)) { toRight.push(c); continue; }
        }
        keep.push(c);
      }
      // An OR over both sides implies a restriction on each side alone (Q19); the OR itself stays. Only the
      // inner side of a left/semi/anti join may be narrowed: rows of its preserved side must all reach it.
      for (const c of keep) {
        if (!pushable(c)) continue;
        if (kind === 'inner' || kind === 'cross') { const l = impliedRestriction(c, lids); if (l) toLeft.push(l); }
        if (kind === 'inner' || kind === 'cross' || kind === 'left' || kind === 'semi' || kind === 'anti') {
          const r = impliedRestriction(c, rids); if (r) toRight.push(r);
        }
      }
      if (kind === 'cross' && keep.length > 0) kind = 'inner';
      const cond = keep.length ? and(keep) : (kind === 'inner' ? null : n.cond && keep.length === 0 && (kind === 'left' || kind === 'semi' || kind === 'anti' || kind === 'right' || kind === 'full') ? { k: 'const', value: true, type: { id: 'bool' } } as Expr : null);
      const out: LNode = { op: 'join', kind: kind === 'inner' && cond === null ? 'cross' : kind, left: pushDownPredicates(n.left, toLeft), right: pushDownPredicates(n.right, toRight), cond, ...(n.est !== undefined ? { est: n.est } : {}) };
      return wrap(out, stay);
    }
    case 'agg': {
      // Predicates on grouping columns only can go below the aggregation.
      const groupMap = new Map(n.cols.slice(0, n.groups.length).map((c, i) => [c.id, n.groups[i]!]));
      const down: Expr[] = [], stay: Expr[] = [];
      for (const p of preds) {
        const refs = [...refsOf(p)];
        if (refs.length > 0 && pushable(p) && refs.every((id) => groupMap.has(id))) down.push(substitute(p, (r) => groupMap.get(r.id)));
        else stay.push(p);
      }
      return wrap({ ...n, input: pushDownPredicates(n.input, down) }, stay);
    }
    case 'sort': return { ...n, input: pushDownPredicates(n.input, preds) };
    case 'distinct': return { ...n, input: pushDownPredicates(n.input, preds) };
    case 'limit': return wrap({ ...n, input: pushDownPredicates(n.input, []) }, preds);
    case 'window': return wrap({ ...n, input: pushDownPredicates(n.input, []) }, preds);
    case 'setop': {
      const out: LNode = { ...n, left: pushDownPredicates(n.left, []), right: pushDownPredicates(n.right, []) };
      return wrap(out, preds);
    }
    default:
      return wrap(n, preds);
  }
}

function wrap(n: LNode, preds: Expr[]): LNode {
  if (preds.length === 0) return n;
  // The rule runs more than once: a restriction derived again meets its earlier copy here.
  const seen = new Set<string>();
  const unique = preds.filter((p) => { const k = exprKey(p); if (seen.has(k)) return false; seen.add(k); return true; });
  return { op: 'filter', input: n, pred: and(unique) };
}
