// Rule helper: the exhaustive join order for a cluster of up to MAX_ENUMERATED_LEAVES inner joins
// (host/plan/rules/join-order.ts falls back to its greedy order above that, or when the inputs are not
// all connected). Dynamic programming over subsets of the inputs: the cheapest plan of each connected
// subset, where a plan costs the rows every join in it outputs plus the rows it moves between slices
// (none for co-located or replicated inputs, else the cheapest of moving one side onto the other's
// distribution key, broadcasting the build side, or redistributing both). Equalities between columns
// of the same type form equivalence classes, so a join may use an equality the query only implies
// (ADR 0032; TPC-H Q5: c_nationkey = s_nationkey and s_nationkey = n_nationkey let customer meet nation first).
import { and, refsOf, type Expr } from '../expr.js';
import { colsOf, type LNode } from '../logical.js';
import { sameType } from '../../types/sql-type.js';
import type { NdvEstimator, PlacementOf, RowEstimator } from './join-order.js';

/** Clusters with more inputs are ordered greedily: 3^n splits grow too fast for planning time. */
export const MAX_ENUMERATED_LEAVES = 10;
/** A build side above this many rows is never broadcast (host/plan/lower.ts BROADCAST_ROWS). */
const BROADCAST_ROWS = 250_000;
/** Slices a broadcast reaches, for its cost: the logical planner does not know the cluster's size. */
const BROADCAST_COPIES = 2;
/**
 * What moving a row costs per column it carries, relative to a row a join outputs: a join's output
 * carries the columns of both inputs, so moving it costs more per row than moving either input
 * (host/plan/lower.ts REMOVE_ROW_COST makes the same point for the lowering's look-ahead).
 */
const MOVE_COST_PER_COLUMN = 0.5;

/** Where a plan's rows lie: on every slice, or hashed on any of a set of columns (empty: unknown). */
type Placement = { all: true } | { all: false; on: ReadonlySet<number> };

interface Plan {
  node: LNode;
  /** Columns its rows carry (those the query reads: the join inputs are narrowed to them later). */
  width: number;
  /** The cluster's inputs it joins, one bit each. */
  mask: number;
  rows: number;
  cost: number;
  placement: Placement;
  /** Predicates (by index) applied in this plan, or implied by the equalities it applied. */
  applied: ReadonlySet<number>;
  /** Column equalities this plan applied, as pairs of column ids. */
  equal: readonly (readonly [number, number])[];
}

/** A predicate `a = b` over two columns of the same type: a member of an equivalence class. */
interface ColumnEquality { x: Expr & { k: 'ref' }; y: Expr & { k: 'ref' } }

function columnEquality(p: Expr): ColumnEquality | null {
  if (p.k !== 'fn' || p.name !== 'eq' || p.args.length !== 2) return null;
  const [x, y] = p.args as [Expr, Expr];
  if (x.k !== 'ref' || y.k !== 'ref' || x.id === y.id || !sameType(x.type, y.type)) return null;
  return { x, y };
}

/** Union-find over column ids, copied per plan (clusters are small). */
class ColumnSets {
  private readonly parent = new Map<number, number>();
  constructor(pairs: readonly (readonly [number, number])[] = []) { for (const [a, b] of pairs) this.union(a, b); }
  find(a: number): number {
    let r = a;
    for (let p = this.parent.get(r); p !== undefined && p !== r; p = this.parent.get(r)) r = p;
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/**
 * The cheapest join tree over `leaves` with `preds` (the cluster's conjuncts), or null when the
 * leaves are too many or not all connected by predicates (the caller orders those greedily).
 */
export function enumerateJoinOrder(leaves: readonly LNode[], preds: readonly Expr[], est: RowEstimator, ndv: NdvEstimator, placement: PlacementOf, read: ReadonlySet<number>): LNode | null {
  const n = leaves.length;
  if (n < 2 || n > MAX_ENUMERATED_LEAVES) return null;
  const leafCols = leaves.map((l) => colsOf(l).map((c) => c.id));
  const leafIds = leafCols.map((ids) => new Set(ids));
  const leafRows = leaves.map((l) => Math.max(1, est(l)));
  const leafOf = new Map<number, number>();
  leafIds.forEach((ids, i) => { for (const id of ids) leafOf.set(id, i); });
  /** Each column's position in its input (rankColumn runs inside sorts of every split). */
  const positionOf = new Map<number, number>();
  leafCols.forEach((cols, i) => cols.forEach((id, k) => { if (leafOf.get(id) === i && !positionOf.has(id)) positionOf.set(id, k); }));
  const maskOf = (ids: Iterable<number>): number => { let m = 0; for (const id of ids) { const l = leafOf.get(id); if (l !== undefined) m |= 1 << l; } return m; };
  const predRefs = preds.map((p) => refsOf(p));
  // A predicate reading a column outside the cluster is left for a filter above it.
  const predMask = preds.map((_, k) => ([...predRefs[k]!].every((r) => leafOf.has(r)) ? maskOf(predRefs[k]!) : -1));
  const equalities = preds.map((p, k) => (predMask[k]! >= 0 ? columnEquality(p) : null));

  // Equivalence classes of the column equalities, with one template predicate each to build implied ones.
  const classes = new ColumnSets();
  for (const e of equalities) if (e) classes.union(e.x.id, e.y.id);
  const refOf = new Map<number, Expr & { k: 'ref' }>();
  const templateOf = new Map<number, Expr>();
  equalities.forEach((e, k) => {
    if (!e) return;
    refOf.set(e.x.id, e.x); refOf.set(e.y.id, e.y);
    const root = classes.find(e.x.id);
    if (!templateOf.has(root)) templateOf.set(root, preds[k]!);
  });
  const classMembers = new Map<number, number[]>();
  for (const id of refOf.keys()) {
    const root = classes.find(id);
    const list = classMembers.get(root) ?? [];
    list.push(id);
    classMembers.set(root, list);
  }
  const classMasks = [...classMembers.values()].map((ids) => maskOf(ids));

  const connected = (a: number, b: number): boolean => {
    for (const m of predMask) if (m >= 0 && (m & a) !== 0 && (m & b) !== 0 && (m & ~(a | b)) === 0) return true;
    for (const m of classMasks) if ((m & a) !== 0 && (m & b) !== 0) return true;
    return false;
  };

  const best = new Map<number, Plan>();
  leaves.forEach((leaf, i) => {
    const ids = leafIds[i]!;
    const all = ids.size > 0 && [...ids].every((c) => placement(c) === 'all');
    const on = new Set([...ids].filter((c) => placement(c) === 'key'));
    best.set(1 << i, { node: leaf, width: colsOf(leaf).filter((c) => read.has(c.id)).length, mask: 1 << i, rows: leafRows[i]!, cost: 0, placement: all ? { all: true } : { all: false, on }, applied: new Set(), equal: [] });
  });

  const full = (1 << n) - 1;
  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) continue;
    const low = s & -s;
    let chosen: Plan | null = null;
    // every split of s once: the part holding s's lowest input, and the rest
    for (let a = (s - 1) & s; a > 0; a = (a - 1) & s) {
      if ((a & low) === 0) continue;
      const b = s & ~a;
      const pa = best.get(a), pb = best.get(b);
      if (pa === undefined || pb === undefined || !connected(a, b)) continue;
      const plan = joinPlans(pa, pb, a | b);
      if (chosen === null || plan.cost < chosen.cost) chosen = plan;
    }
    if (chosen !== null) best.set(s, chosen);
  }
  const top = best.get(full);
  if (top === undefined) return null;
  const rest = preds.filter((_, k) => predMask[k]! < 0);
  return rest.length ? { op: 'filter', input: top.node, pred: and(rest) } : top.node;

  /** The plan joining pa and pb (covering the inputs in mask): its condition, rows, placement and cost. */
  function joinPlans(pa: Plan, pb: Plan, mask: number): Plan {
    const equal = [...pa.equal, ...pb.equal];
    const sets = new ColumnSets(equal);
    const applied = new Set([...pa.applied, ...pb.applied]);
    const conds: Expr[] = [];
    preds.forEach((p, k) => {
      const m = predMask[k]!;
      if (m < 0 || (m & ~mask) !== 0 || applied.has(k)) return;
      applied.add(k);
      // a column equality holds once its class's columns here are equated, below
      if (!equalities[k]) conds.push(p);
    });
    // Each class's columns now side by side are equated: every part not yet equal to the others gets
    // one equality with the part holding the class's first column. Which columns is decided by the
    // inputs (placement, rows, position), not by the order the query wrote its predicates, so two
    // copies of one join (a decorrelated subquery repeating the outer query's, ADR 0024) plan alike.
    const first = (a: number, b: number): number => rankColumn(a, pa, pb) - rankColumn(b, pa, pb) || a - b;
    for (const [root, members] of classMembers) {
      const here = members.filter((id) => (mask & (1 << leafOf.get(id)!)) !== 0).sort(first);
      const hub = here[0];
      for (const id of here) {
        if (sets.find(id) === sets.find(hub!)) continue;
        // the best column of id's part: `here` is sorted, so the first member with id's root
        const other = here.find((x) => sets.find(x) === sets.find(id))!;
        sets.union(hub!, other);
        equal.push([hub!, other]);
        const t = templateOf.get(root)! as Extract<Expr, { k: 'fn' }>;
        conds.push({ ...t, args: [refOf.get(hub!)!, refOf.get(other)!] });
      }
    }
    const rows = joinRows(pa, pb, conds);
    const [probe, build] = pa.rows >= pb.rows ? [pa, pb] : [pb, pa];
    const { moved, placement: out } = movement(probe, build, conds);
    const node: LNode = { op: 'join', kind: conds.length ? 'inner' : 'cross', left: probe.node, right: build.node, cond: conds.length ? and(conds) : null, est: rows };
    return { node, width: pa.width + pb.width, mask, rows, cost: pa.cost + pb.cost + rows + moved, placement: withEquals(out, conds), applied, equal };
  }

  /** |A| x |B| / max(distinct keys of each side) over the most selective equality; half for any other predicate. */
  function joinRows(pa: Plan, pb: Plan, conds: readonly Expr[]): number {
    let rows = pa.rows * pb.rows;
    const side = (id: number): Plan | null => (belongs(pa, id) ? pa : belongs(pb, id) ? pb : null);
    for (const c of conds) {
      let size = pa.rows * pb.rows * 0.5;
      const e = columnEquality(c);
      if (e) {
        const sx = side(e.x.id), sy = side(e.y.id);
        if (sx === null || sy === null || sx === sy) continue;
        const dx = Math.min(ndv(e.x.id) ?? sx.rows, sx.rows), dy = Math.min(ndv(e.y.id) ?? sy.rows, sy.rows);
        size = (pa.rows * pb.rows) / Math.max(1, dx, dy);
      }
      rows = Math.min(rows, size);
    }
    return Math.max(1, rows);
  }

  /**
   * Order of preference of a column for an equality of its class, in a join of pa and pb: a column its
   * side is hashed on first (the join is co-located), then columns of inputs with more rows, then by
   * position in their input. Smaller is better.
   */
  function rankColumn(id: number, pa: Plan, pb: Plan): number {
    const leaf = leafOf.get(id)!;
    const side = belongs(pa, id) ? pa : pb;
    const placed = !side.placement.all && side.placement.on.has(id);
    const position = positionOf.get(id)!;
    return (placed ? 0 : 1) * 1e15 - leafRows[leaf]! * 1e3 + position;
  }

  function belongs(p: Plan, id: number): boolean {
    const l = leafOf.get(id);
    return l !== undefined && (p.mask & (1 << l)) !== 0;
  }

  /** What moving a plan's rows once costs. */
  function moveCost(p: Plan): number { return p.rows * Math.max(1, p.width * MOVE_COST_PER_COLUMN); }

  /** What moving rows to bring the matching rows of probe and build together costs, and where the output lies. */
  function movement(probe: Plan, build: Plan, conds: readonly Expr[]): { moved: number; placement: Placement } {
    const P = probe.placement, B = build.placement;
    if (P.all && B.all) return { moved: 0, placement: P };
    if (B.all) return { moved: 0, placement: P };
    if (P.all) return { moved: 0, placement: B };
    const keys: [number, number][] = [];
    for (const c of conds) {
      const e = columnEquality(c);
      if (!e) continue;
      if (belongs(probe, e.x.id) && belongs(build, e.y.id)) keys.push([e.x.id, e.y.id]);
      else if (belongs(probe, e.y.id) && belongs(build, e.x.id)) keys.push([e.y.id, e.x.id]);
    }
    if (keys.some(([p, b]) => P.on.has(p) && B.on.has(b))) return { moved: 0, placement: { all: false, on: new Set([...P.on, ...B.on]) } };
    const options: { moved: number; placement: Placement }[] = [];
    const onProbeKey = keys.find(([p]) => P.on.has(p));
    if (onProbeKey) options.push({ moved: moveCost(build), placement: { all: false, on: new Set([...P.on, onProbeKey[1]]) } });
    const onBuildKey = keys.find(([, b]) => B.on.has(b));
    if (onBuildKey) options.push({ moved: moveCost(probe), placement: { all: false, on: new Set([...B.on, onBuildKey[0]]) } });
    if (build.rows <= BROADCAST_ROWS) options.push({ moved: moveCost(build) * BROADCAST_COPIES, placement: P });
    if (keys.length) options.push({ moved: moveCost(probe) + moveCost(build), placement: { all: false, on: new Set(keys[0]) } });
    if (options.length === 0) return { moved: moveCost(build) * BROADCAST_COPIES, placement: P };
    return options.reduce((x, y) => (y.moved < x.moved ? y : x));
  }

  /** An inner join's output hashed on a column is hashed on every column it equated with that one. */
  function withEquals(p: Placement, conds: readonly Expr[]): Placement {
    if (p.all || p.on.size === 0) return p;
    const on = new Set(p.on);
    for (const c of conds) {
      const e = columnEquality(c);
      if (!e) continue;
      if (on.has(e.x.id)) on.add(e.y.id);
      else if (on.has(e.y.id)) on.add(e.x.id);
    }
    return { all: false, on };
  }
}

/**
 * The columns a plan reads anywhere (conditions, expressions, grouping and sort keys, its output):
 * a join input carries only these once host/plan/rules/prune-join-inputs.ts has narrowed it.
 */
export function columnsRead(root: LNode): Set<number> {
  const out = new Set(colsOf(root).map((c) => c.id));
  const exprs = (es: readonly (Expr | null | undefined)[]) => { for (const e of es) if (e) refsOf(e, out); };
  const go = (n: LNode): void => {
    switch (n.op) {
      case 'get': case 'values': return;
      case 'filter': exprs([n.pred]); break;
      case 'project': exprs(n.exprs); break;
      case 'join': exprs([n.cond]); break;
      case 'agg': exprs(n.groups); for (const a of n.aggs) exprs([...a.args, a.filter, ...(a.order ?? []).map((o) => o.expr)]); break;
      case 'sort': exprs(n.keys.map((k) => k.expr)); break;
      case 'limit': exprs([n.limit, n.offset]); break;
      case 'window': for (const c of n.calls) exprs([...c.args, ...c.partition, ...c.order.map((o) => o.expr)]); break;
      // DISTINCT compares every column, set operations match columns by position
      case 'distinct': for (const c of colsOf(n.input)) out.add(c.id); break;
      case 'setop': for (const c of [...colsOf(n.left), ...colsOf(n.right)]) out.add(c.id); break;
    }
    if (n.op === 'join' || n.op === 'setop') { go(n.left); go(n.right); } else go(n.input);
  };
  go(root);
  return out;
}
