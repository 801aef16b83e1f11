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
/**
 * What moving a row costs per column it carries, relative to a row a join outputs: a join's output
 * carries the columns of both inputs, so moving it costs more per row than moving either input
 * (host/plan/lower.ts REMOVE_ROW_COST makes the same point for the lowering's look-ahead).
 */
const MOVE_COST_PER_COLUMN = 0.5;

/** Where a plan's rows lie: on every slice, or hashed on any of a set of columns (empty: unknown). */
type Placement = { all: true } | { all: false; on: ReadonlySet<number> };

/** The cheapest plan of a subset of the cluster's inputs. */
interface Plan {
  node: LNode;
  /** Columns its rows carry (those the query reads: the join inputs are narrowed to them later). */
  width: number;
  /** The cluster's inputs it joins, one bit each. */
  mask: number;
  /**
   * Whether it is a single input. A plan that joins inputs has applied every predicate over its
   * inputs and equated every column of an equivalence class among them; an input has applied none.
   */
  leaf: boolean;
  rows: number;
  cost: number;
  placement: Placement;
}

/** How a join brings matching rows together (movement): which rows it moves, and where its output lies. */
const enum Move { None, BuildToProbeKey, ProbeToBuildKey, Broadcast, Both }

/**
 * One way to join two plans, costed without building its tree: only the split a subset keeps
 * becomes a Plan (materialize), so the 3^n candidate splits allocate no trees, sets or predicates.
 */
interface Split {
  pa: Plan;
  pb: Plan;
  /** The class equalities the join applies, three numbers each: class index, first column, second column. */
  eqs: number[];
  rows: number;
  cost: number;
  move: Move;
  /** The equality (index into eqs / 3) whose columns a one-sided move hashes on, or -1. */
  key: number;
}

/** A predicate `a = b` over two columns of the same type: a member of an equivalence class. */
interface ColumnEquality { x: Expr & { k: 'ref' }; y: Expr & { k: 'ref' } }

function columnEquality(p: Expr): ColumnEquality | null {
  if (p.k !== 'fn' || p.name !== 'eq' || p.args.length !== 2) return null;
  const [x, y] = p.args as [Expr, Expr];
  if (x.k !== 'ref' || y.k !== 'ref' || x.id === y.id || !sameType(x.type, y.type)) return null;
  return { x, y };
}

/** Union-find over column ids (built once per cluster, for its equivalence classes). */
class ColumnSets {
  private readonly parent = new Map<number, number>();
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

/** An equivalence class of column equalities. */
interface EqClass {
  /** Its columns, in their order of preference before placement (rankColumn): more rows first, then position. */
  members: number[];
  /** The inputs holding its columns. */
  mask: number;
  /** One of its predicates: implied equalities are copies with other arguments. */
  template: Extract<Expr, { k: 'fn' }>;
}

/**
 * The cheapest join tree over `leaves` with `preds` (the cluster's conjuncts), or null when the
 * leaves are too many or not all connected by predicates (the caller orders those greedily).
 * `slices`: the cluster's slice count, the copies a broadcast makes (host/plan/lower.ts costs a
 * broadcast the same way: its rows times the slices).
 */
export function enumerateJoinOrder(leaves: readonly LNode[], preds: readonly Expr[], est: RowEstimator, ndv: NdvEstimator, placement: PlacementOf, read: ReadonlySet<number>, slices: number): LNode | null {
  const n = leaves.length;
  if (n < 2 || n > MAX_ENUMERATED_LEAVES) return null;
  // a broadcast sends the build side to every slice; redistributing a side moves each row once
  const copies = slices;
  const leafCols = leaves.map((l) => colsOf(l).map((c) => c.id));
  const leafRows = leaves.map((l) => Math.max(1, est(l)));
  const leafOf = new Map<number, number>();
  leafCols.forEach((ids, i) => { for (const id of ids) leafOf.set(id, i); });
  /** Each column's position in its input. */
  const positionOf = new Map<number, number>();
  leafCols.forEach((cols, i) => cols.forEach((id, k) => { if (leafOf.get(id) === i && !positionOf.has(id)) positionOf.set(id, k); }));
  const maskOf = (ids: Iterable<number>): number => { let m = 0; for (const id of ids) { const l = leafOf.get(id); if (l !== undefined) m |= 1 << l; } return m; };
  const predRefs = preds.map((p) => refsOf(p));
  // A predicate reading a column outside the cluster is left for a filter above it.
  const predMask = preds.map((_, k) => ([...predRefs[k]!].every((r) => leafOf.has(r)) ? maskOf(predRefs[k]!) : -1));
  const equalities = preds.map((p, k) => (predMask[k]! >= 0 ? columnEquality(p) : null));
  /** The inputs of each predicate that is not a column equality (those are applied through their classes). */
  const otherMasks = predMask.filter((m, k) => m >= 0 && !equalities[k]);

  // Equivalence classes of the column equalities, with one template predicate each to build implied ones.
  const sets = new ColumnSets();
  for (const e of equalities) if (e) sets.union(e.x.id, e.y.id);
  const refOf = new Map<number, Expr & { k: 'ref' }>();
  const templateOf = new Map<number, Extract<Expr, { k: 'fn' }>>();
  equalities.forEach((e, k) => {
    if (!e) return;
    refOf.set(e.x.id, e.x); refOf.set(e.y.id, e.y);
    const root = sets.find(e.x.id);
    if (!templateOf.has(root)) templateOf.set(root, preds[k]! as Extract<Expr, { k: 'fn' }>);
  });
  const membersOf = new Map<number, number[]>();
  for (const id of refOf.keys()) {
    const root = sets.find(id);
    const list = membersOf.get(root) ?? [];
    list.push(id);
    membersOf.set(root, list);
  }
  const staticRank = (id: number): number => -leafRows[leafOf.get(id)!]! * 1e3 + positionOf.get(id)!;
  const classes: EqClass[] = [...membersOf].map(([root, ids]) => ({
    members: ids.slice().sort((a, b) => staticRank(a) - staticRank(b) || a - b),
    mask: maskOf(ids),
    template: templateOf.get(root)!,
  }));
  /** Distinct values of each class column (statistics looked up once per cluster, not per split). */
  const ndvOf = new Map<number, number | undefined>();
  for (const id of refOf.keys()) ndvOf.set(id, ndv(id));

  const connected = (a: number, b: number): boolean => {
    for (const m of predMask) if (m >= 0 && (m & a) !== 0 && (m & b) !== 0 && (m & ~(a | b)) === 0) return true;
    for (const c of classes) if ((c.mask & a) !== 0 && (c.mask & b) !== 0) return true;
    return false;
  };

  const full = (1 << n) - 1;
  const best: (Plan | undefined)[] = new Array(full + 1);
  leaves.forEach((leaf, i) => {
    const ids = leafCols[i]!;
    const all = ids.length > 0 && ids.every((c) => placement(c) === 'all');
    const on = new Set(ids.filter((c) => placement(c) === 'key'));
    best[1 << i] = { node: leaf, width: colsOf(leaf).filter((c) => read.has(c.id)).length, mask: 1 << i, leaf: true, rows: leafRows[i]!, cost: 0, placement: all ? { all: true } : { all: false, on } };
  });

  for (let s = 1; s <= full; s++) {
    if ((s & (s - 1)) === 0) continue;
    const low = s & -s;
    let chosen: Split | null = null;
    // every split of s once: the part holding s's lowest input, and the rest
    for (let a = (s - 1) & s; a > 0; a = (a - 1) & s) {
      if ((a & low) === 0) continue;
      const b = s & ~a;
      const pa = best[a], pb = best[b];
      if (pa === undefined || pb === undefined || !connected(a, b)) continue;
      const split = costSplit(pa, pb);
      if (chosen === null || split.cost < chosen.cost) chosen = split;
    }
    if (chosen !== null) best[s] = materialize(chosen);
  }
  const top = best[full];
  if (top === undefined) return null;
  const rest = preds.filter((_, k) => predMask[k]! < 0);
  return rest.length ? { op: 'filter', input: top.node, pred: and(rest) } : top.node;

  /** Whether a predicate over the inputs in m is applied by the join of pa and pb (not below it). */
  function appliedHere(m: number, pa: Plan, pb: Plan): boolean {
    const mask = pa.mask | pb.mask;
    return (m & ~mask) === 0 && !(!pa.leaf && (m & ~pa.mask) === 0) && !(!pb.leaf && (m & ~pb.mask) === 0);
  }

  /**
   * The equalities joining pa and pb adds for its classes. Each class's columns now side by side are
   * equated: every part not yet equal to the others gets one equality with the best column (rankColumn)
   * of the class here, which is the hub. A plan that joins inputs has equated its columns of a class
   * already (one part); an input has not (each column its own part: `a.x = b.z AND a.y = b.z` equates
   * a.x with a.y once a meets anything). Which columns is decided by the inputs (placement, rows,
   * position), not by the order the query wrote its predicates, so two copies of one join (a
   * decorrelated subquery repeating the outer query's, ADR 0024) plan alike.
   */
  function classEqualities(pa: Plan, pb: Plan): number[] {
    const eqs: number[] = [];
    const mask = pa.mask | pb.mask;
    for (let c = 0; c < classes.length; c++) {
      const cls = classes[c]!;
      const here = cls.mask & mask;
      // a class whose columns all lie in one joined plan is one part already
      if ((here & ~pa.mask) === 0 && !pa.leaf) continue;
      if ((here & ~pb.mask) === 0 && !pb.leaf) continue;
      let hub = -1, hubPart = 0, sawA = false, sawB = false;
      // placed columns first, then the rest, each in the static order: the order rankColumn gives
      for (let pass = 0; pass < 2; pass++) {
        for (const id of cls.members) {
          const leafBit = 1 << leafOf.get(id)!;
          if ((leafBit & mask) === 0) continue;
          const side = (leafBit & pa.mask) !== 0 ? pa : pb;
          const placed = !side.placement.all && side.placement.on.has(id);
          if (placed !== (pass === 0)) continue;
          // the part: the joined plan on its side (A: 1, B: 2), or the column alone in an input (0)
          const part = side.leaf ? 0 : side === pa ? 1 : 2;
          if (hub < 0) { hub = id; hubPart = part; sawA ||= part === 1; sawB ||= part === 2; continue; }
          if (part !== 0 && part === hubPart) continue;
          if (part === 1) { if (sawA) continue; sawA = true; }
          if (part === 2) { if (sawB) continue; sawB = true; }
          eqs.push(c, hub, id);
        }
      }
    }
    return eqs;
  }

  /** The cost of joining pa and pb: the rows it outputs and moves, plus what its inputs cost. */
  function costSplit(pa: Plan, pb: Plan): Split {
    const eqs = classEqualities(pa, pb);
    let hasOther = false;
    for (const m of otherMasks) if (appliedHere(m, pa, pb)) { hasOther = true; break; }
    const rows = joinRows(pa, pb, eqs, hasOther);
    const [probe, build] = pa.rows >= pb.rows ? [pa, pb] : [pb, pa];
    const { moved, move, key } = movement(probe, build, eqs);
    return { pa, pb, eqs, rows, cost: pa.cost + pb.cost + rows + moved, move, key };
  }

  /** The plan of a chosen split: its join node, conditions and placement. */
  function materialize(sp: Split): Plan {
    const { pa, pb, eqs } = sp;
    const conds: Expr[] = [];
    preds.forEach((p, k) => { if (predMask[k]! >= 0 && !equalities[k] && appliedHere(predMask[k]!, pa, pb)) conds.push(p); });
    for (let i = 0; i < eqs.length; i += 3) {
      const t = classes[eqs[i]!]!.template;
      conds.push({ ...t, args: [refOf.get(eqs[i + 1]!)!, refOf.get(eqs[i + 2]!)!] });
    }
    const [probe, build] = pa.rows >= pb.rows ? [pa, pb] : [pb, pa];
    const node: LNode = { op: 'join', kind: conds.length ? 'inner' : 'cross', left: probe.node, right: build.node, cond: conds.length ? and(conds) : null, est: sp.rows };
    const mask = pa.mask | pb.mask;
    return { node, width: pa.width + pb.width, mask, leaf: false, rows: sp.rows, cost: sp.cost, placement: withEquals(placementAfter(probe, build, sp), eqs) };
  }

  /** |A| x |B| / max(distinct keys of each side) over the most selective equality; half for any other predicate. */
  function joinRows(pa: Plan, pb: Plan, eqs: readonly number[], hasOther: boolean): number {
    let rows = pa.rows * pb.rows;
    if (hasOther) rows = Math.min(rows, pa.rows * pb.rows * 0.5);
    for (let i = 0; i < eqs.length; i += 3) {
      const x = eqs[i + 1]!, y = eqs[i + 2]!;
      const sx = belongs(pa, x) ? pa : pb, sy = belongs(pa, y) ? pa : pb;
      if (sx === sy) continue;
      const dx = Math.min(ndvOf.get(x) ?? sx.rows, sx.rows), dy = Math.min(ndvOf.get(y) ?? sy.rows, sy.rows);
      rows = Math.min(rows, (pa.rows * pb.rows) / Math.max(1, dx, dy));
    }
    return Math.max(1, rows);
  }

  function belongs(p: Plan, id: number): boolean {
    const l = leafOf.get(id);
    return l !== undefined && (p.mask & (1 << l)) !== 0;
  }

  /** What moving a plan's rows once costs. */
  function moveCost(p: Plan): number { return p.rows * Math.max(1, p.width * MOVE_COST_PER_COLUMN); }

  /** The probe and build columns of equality i of eqs, when it joins the two sides (else null). */
  function keyOf(probe: Plan, build: Plan, eqs: readonly number[], i: number): [number, number] | null {
    const x = eqs[3 * i + 1]!, y = eqs[3 * i + 2]!;
    if (belongs(probe, x) && belongs(build, y)) return [x, y];
    if (belongs(probe, y) && belongs(build, x)) return [y, x];
    return null;
  }

  /**
   * What moving rows to bring the matching rows of probe and build together costs, and how: none for
   * co-located or replicated sides, else the cheapest of moving one side onto the other's key,
   * broadcasting the build side, or redistributing both on the first key.
   */
  function movement(probe: Plan, build: Plan, eqs: readonly number[]): { moved: number; move: Move; key: number } {
    const P = probe.placement, B = build.placement;
    // on one slice every row is where every other is
    if (P.all || B.all || slices <= 1) return { moved: 0, move: Move.None, key: -1 };
    let onProbe = -1, onBuild = -1, first = -1;
    for (let i = 0; i < eqs.length / 3; i++) {
      const k = keyOf(probe, build, eqs, i);
      if (k === null) continue;
      if (P.on.has(k[0]) && B.on.has(k[1])) return { moved: 0, move: Move.None, key: -1 };
      if (first < 0) first = i;
      if (onProbe < 0 && P.on.has(k[0])) onProbe = i;
      if (onBuild < 0 && B.on.has(k[1])) onBuild = i;
    }
    let moved = Infinity, move = Move.Broadcast, key = -1;
    const consider = (cost: number, m: Move, k: number) => { if (cost < moved) { moved = cost; move = m; key = k; } };
    if (onProbe >= 0) consider(moveCost(build), Move.BuildToProbeKey, onProbe);
    if (onBuild >= 0) consider(moveCost(probe), Move.ProbeToBuildKey, onBuild);
    if (build.rows <= BROADCAST_ROWS) consider(moveCost(build) * copies, Move.Broadcast, -1);
    if (first >= 0) consider(moveCost(probe) + moveCost(build), Move.Both, first);
    if (moved === Infinity) return { moved: moveCost(build) * copies, move: Move.Broadcast, key: -1 };
    return { moved, move, key };
  }

  /** Where a chosen split's output lies (before the equalities it applied widen it). */
  function placementAfter(probe: Plan, build: Plan, sp: Split): Placement {
    const P = probe.placement, B = build.placement;
    if (P.all && B.all) return P;
    if (B.all) return P;
    if (P.all) return B;
    const k = sp.key >= 0 ? keyOf(probe, build, sp.eqs, sp.key)! : null;
    switch (sp.move) {
      case Move.None: return { all: false, on: new Set([...P.on, ...B.on]) };
      case Move.BuildToProbeKey: return { all: false, on: new Set([...P.on, k![1]]) };
      case Move.ProbeToBuildKey: return { all: false, on: new Set([...B.on, k![0]]) };
      case Move.Broadcast: return P;
      case Move.Both: return { all: false, on: new Set(k!) };
    }
  }

  /** An inner join's output hashed on a column is hashed on every column it equated with that one. */
  function withEquals(p: Placement, eqs: readonly number[]): Placement {
    if (p.all || p.on.size === 0) return p;
    const on = new Set(p.on);
    for (let i = 0; i < eqs.length; i += 3) {
      const x = eqs[i + 1]!, y = eqs[i + 2]!;
      if (on.has(x)) on.add(y);
      else if (on.has(y)) on.add(x);
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
