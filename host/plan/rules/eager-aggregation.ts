// Rule: eager aggregation through joins. An aggregate over a tree of joins whose arguments all come
// from one input S that no GROUP BY expression reads (TPC-H Q13: customer LEFT JOIN orders, count of
// orders per customer; Q10: revenue of lineitem JOIN orders, grouped by customer and nation columns)
// is computed in two steps: S is first aggregated per the columns of S the joins above it read, so
// each join above meets one row per key instead of every row, then the partial values are combined
// per group at the top (counts summed, sums summed, min of mins, max of maxes). Exact for inner joins
// and for either side of a left join (a row of the preserved side is a row of its own; the padded row
// of the other side has NULL arguments, which the partial count skips). Runs after join ordering; the
// grouped input is lowered as a per-slice partial and final aggregate.
import { T } from '../../types/sql-type.js';
import { refsOf, substitute, type Expr } from '../expr.js';
import { colsOf, type AggCall, type Col, type LNode } from '../logical.js';
import type { Cardinality } from '../cardinality.js';
import { mapInputs, maxColId } from './plan-walk.js';


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
type JoinNode = Extract<LNode, { op: 'join' }>;

function rewrite(a: AggNode, card: Cardinality, fresh: () => number): LNode | null {
  if (a.groups.length === 0) return null;
  const argIds = new Set<number>();
  for (const c of a.aggs) {
    // count(x) / sum / min / max of one argument: their partials combine exactly
    if (c.distinct || c.filter || c.order || c.args.length !== 1 || !['count', 'sum', 'min', 'max'].includes(c.fn)) return null;
    for (const id of refsOf(c.args[0]!)) argIds.add(id);
  }
  if (argIds.size === 0) return null;
  const groupIds = new Set<number>();
  for (const g of a.groups) for (const id of refsOf(g)) groupIds.add(id);
  // Down the joins to the input S holding every argument and no grouped column.
  const path: { join: JoinNode; side: 'left' | 'right' }[] = [];
  let n = a.input;
  let s: LNode | null = null;
  while (n.op === 'join' && s === null) {
    const ids = (x: LNode) => new Set(colsOf(x).map((c) => c.id));
    const right = ids(n.right), left = ids(n.left);
    const within = (set: Set<number>) => [...argIds].every((id) => set.has(id));
    const side = within(right) ? 'right' : within(left) ? 'left' : null;
    if (side === null || (n.kind !== 'inner' && n.kind !== 'left')) return null;
    const child = n[side];
    const grouped = [...groupIds].some((id) => (side === 'right' ? right : left).has(id));
    // Below a left join's padded side only the side itself may be S (deeper, a padded row would be counted).
    if (grouped && n.kind === 'left' && side === 'right') return null;
    path.push({ join: n, side });
    if (!grouped) s = child; else n = child;
  }
  if (s === null) return null;
  // S is grouped by its columns that the joins above read; nothing else above reads S.
  const sCols = colsOf(s);
  const sIds = new Set(sCols.map((c) => c.id));
  const keyIds: number[] = [];
  for (const { join } of path) for (const id of join.cond ? refsOf(join.cond) : []) if (sIds.has(id) && !keyIds.includes(id)) keyIds.push(id);
  if (keyIds.length === 0) return null;
  const keyRefs: Expr[] = keyIds.map((id) => ({ k: 'ref', id, type: sCols.find((c) => c.id === id)!.type }));
  // Worth it only when keys repeat enough: the partial aggregate costs about a pass and a half over S's
  // rows (each row hashed into a group's state, then the groups moved or built into a table), and each
  // row it removes saves a probe in every join above and the final aggregate's work, which grows with
  // its keys (one join and one key: at least 4 rows per key, TPC-H Q13 has 16; two joins and seven
  // keys, Q10: at least 1.2).
  const rows = card.rows(s), groups = card.groups(s, keyRefs);
  if (!(rows > 0) || (1 - groups / rows) * (path.length + a.groups.length) < 1.5) return null;

  const keyCols: Col[] = keyIds.map((id) => ({ ...sCols.find((c) => c.id === id)!, id: fresh(), hidden: true }));
  const partialCols: Col[] = a.aggs.map((c, i) => ({ id: fresh(), name: `partial${i}`, type: c.fn === 'count' ? T.int8 : c.type, hidden: true }));
  const partial: LNode = {
    op: 'agg', input: s, groups: keyRefs,
    aggs: a.aggs.map((c, i) => ({ ...c, type: partialCols[i]!.type })),
    cols: [...keyCols, ...partialCols],
  };
  const keyRef = new Map(keyIds.map((id, i) => [id, keyCols[i]!.id] as const));
  const onKeys = (e: Expr) => substitute(e, (r) => (keyRef.has(r.id) ? { k: 'ref', id: keyRef.get(r.id)!, type: r.type } : undefined));
  // The joins on the path again, bottom up, over the partial aggregate and reading its key columns.
  let joined: LNode = partial;
  for (let i = path.length - 1; i >= 0; i--) {
    const { join, side } = path[i]!;
    const cond = join.cond ? onKeys(join.cond) : null;
    joined = side === 'right' ? { ...join, right: joined, cond } : { ...join, left: joined, cond };
  }
  // Combining partials: counts add up (0 when no row matched), sums add up, min of mins, max of maxes.
  const finals: AggCall[] = a.aggs.map((c, i) => ({
    fn: c.fn === 'count' ? 'sum_counts' : c.fn,
    args: [{ k: 'ref', id: partialCols[i]!.id, type: partialCols[i]!.type }],
    distinct: false, filter: null, type: c.type,
  }));
  return { ...a, input: joined, aggs: finals };
}
