// Rule: a join's inputs carry only the columns something above reads. A column a scan reads only
// for its own filter (Q9's p_name, Q13's o_comment) or only for a join below would otherwise be
// gathered into every join output it passes through and shipped by every exchange above it. Runs
// last among the logical rules: it wraps each join input in a projection of the columns still
// needed (by the join's condition or by the nodes above), which lowering turns into a physical
// project of column references (no copy) and EXPLAIN folds into its input.
import { refsOf, type Expr } from '../expr.js';
import { colsOf, type Col, type LNode } from '../logical.js';

/**
 * How the narrowing treats chosen subtrees (host/plan/rules/shared-columns.ts): `widen` adds
 * columns a subtree keeps beyond what its parent reads; `readAt` records what its parent reads.
 */
export interface PruneOptions {
  widen?: ReadonlyMap<LNode, ReadonlySet<number>>;
  readAt?: Map<LNode, ReadonlySet<number>>;
}

/** The plan with every join input narrowed to the columns read above it. */
export function pruneJoinInputs(root: LNode, opts: PruneOptions = {}): LNode {
  const at = opts.widen || opts.readAt
    ? (n: LNode, needed: ReadonlySet<number>): ReadonlySet<number> => {
      opts.readAt?.set(n, needed);
      const more = opts.widen?.get(n);
      return more ? new Set([...needed, ...more]) : needed;
    }
    : null;
  return pruneAt(root, new Set(colsOf(root).map((c) => c.id)), at);
}

type At = ((n: LNode, needed: ReadonlySet<number>) => ReadonlySet<number>) | null;

function addRefs(out: Set<number>, es: readonly (Expr | null | undefined)[]): Set<number> {
  for (const e of es) if (e) refsOf(e, out);
  return out;
}

/** Narrows n's subtree given the ids of n's output columns that its parent reads. */
function pruneAt(n: LNode, neededHere: ReadonlySet<number>, at: At): LNode {
  const needed = at ? at(n, neededHere) : neededHere;
  const prune = (x: LNode, reads: ReadonlySet<number>) => pruneAt(x, reads, at);
  switch (n.op) {
    case 'get': case 'values': return n;
    case 'filter': return { ...n, input: prune(n.input, addRefs(new Set(needed), [n.pred])) };
    case 'project': return { ...n, input: prune(n.input, addRefs(new Set(), n.exprs)) };
    case 'agg': {
      const reads = addRefs(new Set(), n.groups);
      for (const a of n.aggs) addRefs(reads, [...a.args, a.filter, ...(a.order ?? []).map((o) => o.expr)]);
      return { ...n, input: prune(n.input, reads) };
    }
    case 'sort': return { ...n, input: prune(n.input, addRefs(new Set(needed), n.keys.map((k) => k.expr))) };
    case 'limit': return { ...n, input: prune(n.input, addRefs(new Set(needed), [n.limit, n.offset])) };
    // DISTINCT compares every column, set operations match columns by position: all stay.
    case 'distinct': return { ...n, input: prune(n.input, allOf(n.input)) };
    case 'setop': return { ...n, left: prune(n.left, allOf(n.left)), right: prune(n.right, allOf(n.right)) };
    case 'window': {
      const reads = new Set(needed);
      for (const c of n.calls) addRefs(reads, [...c.args, ...c.partition, ...c.order.map((o) => o.expr)]);
      return { ...n, input: prune(n.input, reads) };
    }
    case 'join': {
      const reads = addRefs(new Set(needed), [n.cond]);
      return { ...n, left: narrow(prune(n.left, reads), reads), right: narrow(prune(n.right, reads), reads) };
    }
  }
}

function allOf(n: LNode): Set<number> {
  return new Set(colsOf(n).map((c) => c.id));
}

/** n projected onto its columns in `reads` (n itself when it has no other column, or none of them is read). */
function narrow(n: LNode, reads: ReadonlySet<number>): LNode {
  const cols = colsOf(n);
  const keep = cols.filter((c) => reads.has(c.id));
  if (keep.length === cols.length || keep.length === 0) return n;
  return { op: 'project', input: n, exprs: keep.map((c: Col) => ({ k: 'ref', id: c.id, type: c.type })), cols: keep };
}
