// Cardinality estimates for the planner: rows of a logical subtree and selectivity of a predicate,
// from table row counts, sampled distinct counts and zone-map ranges (host/session/database.ts).
// The join-ordering and rewrite rules (host/plan/rules/) and physical planning (host/plan/lower.ts)
// share these figures, so a filter, a semi join or an aggregate is sized the same way everywhere.
// The defaults for what statistics cannot tell follow PostgreSQL's selfuncs.h (DEFAULT_EQ_SEL,
// DEFAULT_INEQ_SEL): https://www.postgresql.org/docs/current/row-estimation-examples.html
import type { TableDef } from '../catalog/catalog.js';
import { sameType } from '../types/sql-type.js';
import { conjuncts, type Expr } from './expr.js';
import { colsOf, type LNode } from './logical.js';

/** What the planner needs to know about stored tables. */
export interface PlannerStats {
  rows(table: TableDef): number;
  /** The distribution a table's rows actually have (AUTO resolved). */
  style(table: TableDef): 'KEY' | 'EVEN' | 'ALL';
  /** Estimated distinct values of a column (0-based index), when known. */
  ndv?(table: TableDef, col: number): number | undefined;
  /** Smallest and largest non-null value of a numeric or date column (0-based index), when known. */
  range?(table: TableDef, col: number): { min: number; max: number } | undefined;
}

/** Estimated output rows of a logical subtree. */
export type RowEstimator = (n: LNode) => number;
/** Distinct values of a column by query-wide column id, when statistics know it. */
export type NdvEstimator = (colId: number) => number | undefined;

/** Selectivity of `col = const` when the column's distinct count is unknown (PostgreSQL's DEFAULT_EQ_SEL). */
const DEFAULT_EQ_SEL = 0.005;
/** Selectivity of a one-sided range without statistics (PostgreSQL's DEFAULT_INEQ_SEL). */
const DEFAULT_INEQ_SEL = 1 / 3;
/** A range bounded on both sides without statistics. */
const DEFAULT_RANGE_SEL = 0.1;
/** Distinct values of an expression without statistics (PostgreSQL's DEFAULT_NUM_DISTINCT). */
const DEFAULT_NUM_DISTINCT = 200;
/** Anything else: a boolean function, a subquery test. */
const DEFAULT_SEL = 0.25;

/** Column statistics of one plan, by query-wide column id. */
export interface ColumnStats {
  /** Distinct values of the stored column the id carries unchanged, when known. */
  ndv: NdvEstimator;
  /** Rows of the table the column is stored in (how many rows its distinct values spread over). */
  tableRows(colId: number): number | undefined;
  range(colId: number): { min: number; max: number } | undefined;
  /**
   * How the rows carrying a column are placed over slices: 'key' when it is the distribution key
   * of a KEY table (rows with equal values share a slice), 'all' when its table is replicated.
   */
  placement(colId: number): 'key' | 'all' | undefined;
}

/** Which stored column each column id carries unchanged (through renaming projections and grouping keys). */
export function lineage(n: LNode, out = new Map<number, { table: TableDef; col: number }>()): Map<number, { table: TableDef; col: number }> {
  switch (n.op) {
    case 'get': n.cols.forEach((c, i) => out.set(c.id, { table: n.table, col: i })); break;
    case 'project':
      lineage(n.input, out);
      n.exprs.forEach((e, i) => { if (e.k === 'ref' && out.has(e.id)) out.set(n.cols[i]!.id, out.get(e.id)!); });
      break;
    case 'agg':
      lineage(n.input, out);
      n.groups.forEach((g, i) => { if (g.k === 'ref' && out.has(g.id)) out.set(n.cols[i]!.id, out.get(g.id)!); });
      break;
    case 'join': case 'setop': lineage(n.left, out); lineage(n.right, out); break;
    case 'values': break;
    default: lineage(n.input, out);
  }
  return out;
}

/** Column statistics for the columns of `root` that carry stored columns. */
export function columnStats(root: LNode, stats: PlannerStats): ColumnStats {
  const lin = lineage(root);
  return {
    ndv: (id) => { const l = lin.get(id); return l && stats.ndv ? stats.ndv(l.table, l.col) : undefined; },
    tableRows: (id) => { const l = lin.get(id); return l ? stats.rows(l.table) : undefined; },
    range: (id) => { const l = lin.get(id); return l && stats.range ? stats.range(l.table, l.col) : undefined; },
    placement: (id) => {
      const l = lin.get(id);
      if (!l) return undefined;
      const style = stats.style(l.table);
      return style === 'ALL' ? 'all' : style === 'KEY' && l.table.distkey === l.col ? 'key' : undefined;
    },
  };
}

/** The column a predicate operand reads, looking through casts (`p_brand::bpchar`). */
function columnOf(e: Expr): number | undefined {
  while (e.k === 'cast') e = e.arg;
  return e.k === 'ref' ? e.id : undefined;
}

function isConst(e: Expr): boolean {
  while (e.k === 'cast') e = e.arg;
  return e.k === 'const' || e.k === 'param';
}

/** A constant's value as a number on the same scale as a zone-map range of a column of the same type. */
function numericConst(e: Expr): number | undefined {
  if (e.k !== 'const') return undefined;
  const v = e.value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

const FLIP: Record<string, string> = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

/** Estimates selectivities and subtree rows over one plan's column statistics. */
export class Cardinality {
  private readonly memo = new WeakMap<LNode, number>();

  constructor(private readonly stats: PlannerStats, readonly cs: ColumnStats) {}

  /** Rows of a logical subtree (at least 1). */
  readonly rows: RowEstimator = (n) => {
    const hit = this.memo.get(n);
    if (hit !== undefined) return hit;
    const r = Math.max(1, this.compute(n));
    this.memo.set(n, r);
    return r;
  };

  private compute(n: LNode): number {
    switch (n.op) {
      case 'get': return this.stats.rows(n.table);
      case 'values': return n.rows.length;
      case 'filter': return this.rows(n.input) * this.selectivity(n.pred);
      case 'project': case 'sort': case 'window': return this.rows(n.input);
      case 'limit': {
        const lim = n.limit?.k === 'const' && n.limit.value !== null ? Number(n.limit.value) : Infinity;
        return Math.min(this.rows(n.input), lim);
      }
      case 'distinct': return this.groups(n.input, colsOf(n.input).map((c) => ({ k: 'ref', id: c.id, type: c.type })));
      case 'agg': return n.groups.length ? this.groups(n.input, n.groups) : 1;
      case 'setop': return this.rows(n.left) + this.rows(n.right);
      case 'join': return this.join(n);
    }
  }

  /** Rows of a join: its equality keys' distinct counts decide how many rows of each side meet. */
  private join(n: Extract<LNode, { op: 'join' }>): number {
    const L = this.rows(n.left), R = this.rows(n.right);
    if (n.kind === 'semi' || n.kind === 'anti') {
      const kept = this.semiFraction(n);
      return n.kind === 'semi' ? L * kept : L * Math.max(0.1, 1 - kept);
    }
    const inner = this.innerJoinRows(n, L, R);
    switch (n.kind) {
      case 'left': return Math.max(L, inner);
      case 'right': return Math.max(R, inner);
      case 'full': return Math.max(L + R, inner);
      default: return inner;
    }
  }

  /** |L| x |R| / max(distinct keys of each side) over the most selective equality (cross product without one). */
  private innerJoinRows(n: Extract<LNode, { op: 'join' }>, L: number, R: number): number {
    let best = n.cond ? L * R * this.selectivityOfResidual(n) : L * R;
    for (const [l, r] of this.equalities(n)) {
      const dl = this.distinctIn(n.left, l), dr = this.distinctIn(n.right, r);
      best = Math.min(best, (L * R) / Math.max(1, dl, dr));
    }
    return best;
  }

  private selectivityOfResidual(n: Extract<LNode, { op: 'join' }>): number {
    return this.equalities(n).length ? 1 : this.selectivity(n.cond!);
  }

  /** The (left column, right column) pairs of a join's `l = r` conjuncts. */
  equalities(n: Extract<LNode, { op: 'join' }>): [number, number][] {
    const lids = new Set(colsOf(n.left).map((c) => c.id)), rids = new Set(colsOf(n.right).map((c) => c.id));
    const out: [number, number][] = [];
    for (const c of conjuncts(n.cond)) {
      if (c.k !== 'fn' || c.name !== 'eq') continue;
      const a = columnOf(c.args[0]!), b = columnOf(c.args[1]!);
      if (a === undefined || b === undefined) continue;
      if (lids.has(a) && rids.has(b)) out.push([a, b]);
      else if (lids.has(b) && rids.has(a)) out.push([b, a]);
    }
    return out;
  }

  /**
   * The fraction of a semi join's left rows that find a match: the right side's distinct keys over
   * the left side's (all of them when the right has at least as many); a residual condition halves it.
   */
  semiFraction(n: Extract<LNode, { op: 'join' }>): number {
    const eqs = this.equalities(n);
    if (eqs.length === 0) return DEFAULT_SEL * 2;
    let f = 1;
    for (const [l, r] of eqs) f = Math.min(f, this.distinctIn(n.right, r) / Math.max(1, this.distinctIn(n.left, l)));
    const residual = conjuncts(n.cond).length > eqs.length;
    return Math.min(1, f) * (residual ? 0.5 : 1);
  }

  /**
   * Distinct values of column `id` among the rows of subtree `n`: a stored column whose table
   * holds T rows with d distinct values keeps d * (1 - (1 - rows/T)^(T/d)) of them when `n` keeps
   * `rows` rows spread over the table (each value has T/d rows, each kept with probability rows/T).
   */
  distinctIn(n: LNode, id: number): number {
    const rows = this.rows(n);
    const d = this.cs.ndv(id);
    const t = this.cs.tableRows(id);
    if (d === undefined) return rows;
    if (t === undefined || rows >= t) return Math.min(d, rows);
    const perValue = t / Math.max(1, d);
    return Math.max(1, Math.min(rows, d * (1 - Math.pow(1 - rows / t, perValue))));
  }

  /**
   * Groups of an aggregation: the product of its keys' distinct counts, at most its input rows; a
   * key without statistics (an expression, a computed column) counts DEFAULT_NUM_DISTINCT values.
   */
  groups(input: LNode, groups: Expr[]): number {
    const rows = this.rows(input);
    let g = 1;
    for (const e of groups) {
      const id = columnOf(e);
      g *= id !== undefined && this.cs.ndv(id) !== undefined ? this.distinctIn(input, id) : DEFAULT_NUM_DISTINCT;
      if (g >= rows) return rows;
    }
    return g;
  }

  /** Fraction of rows a predicate keeps. */
  selectivity(pred: Expr): number {
    const parts = conjuncts(pred);
    // Range bounds on one column combine into one interval (`d >= a AND d < b`).
    const ranges = new Map<number, { lo: number; hi: number; count: number }>();
    let sel = 1;
    for (const c of parts) {
      const r = this.rangeBound(c);
      if (r) {
        const cur = ranges.get(r.col) ?? { lo: -Infinity, hi: Infinity, count: 0 };
        if (r.lo !== undefined) cur.lo = Math.max(cur.lo, r.lo);
        if (r.hi !== undefined) cur.hi = Math.min(cur.hi, r.hi);
        cur.count++;
        ranges.set(r.col, cur);
        continue;
      }
      sel *= this.single(c);
    }
    for (const [col, r] of ranges) sel *= this.rangeFraction(col, r.lo, r.hi, r.count);
    return Math.min(1, Math.max(0, sel));
  }

  /** `col op const` with a column of known range and a constant of the column's own type. */
  private rangeBound(c: Expr): { col: number; lo?: number; hi?: number } | null {
    if (c.k !== 'fn' || !(c.name in FLIP) || c.args.length !== 2) return null;
    let [a, b] = c.args as [Expr, Expr];
    let op = c.name;
    if (a.k === 'const') { [a, b] = [b, a]; op = FLIP[op]!; }
    if (a.k !== 'ref' || b.k !== 'const' || !sameType(a.type, b.type)) return null;
    const v = numericConst(b);
    if (v === undefined || !this.cs.range(a.id)) return null;
    return op === 'lt' || op === 'le' ? { col: a.id, hi: v } : { col: a.id, lo: v };
  }

  private rangeFraction(col: number, lo: number, hi: number, bounds: number): number {
    const r = this.cs.range(col);
    if (!r) return bounds > 1 ? DEFAULT_RANGE_SEL : DEFAULT_INEQ_SEL;
    const span = r.max - r.min;
    const d = this.cs.ndv(col) ?? 100;
    if (span <= 0) return lo <= r.min && hi >= r.max ? 1 : 1 / d;
    const from = Math.max(lo, r.min), to = Math.min(hi, r.max);
    if (to < from) return 1 / Math.max(d, 1) / 2;
    return Math.max(1 / Math.max(d, 1), (to - from) / span);
  }

  /** `col = const`: one of the column's distinct values. */
  private eqSelectivity(e: Expr): number {
    const id = columnOf(e);
    const d = id !== undefined ? this.cs.ndv(id) : undefined;
    return d ? 1 / d : DEFAULT_EQ_SEL;
  }

  private single(c: Expr): number {
    switch (c.k) {
      case 'const': return c.value === true ? 1 : 0;
      case 'and': return this.selectivity(c);
      case 'or': return 1 - c.args.reduce((keep, a) => keep * (1 - this.selectivity(a)), 1);
      case 'not': return 1 - this.selectivity(c.arg);
      case 'isnull': return c.neg ? 0.99 : 0.01;
      case 'in': {
        const s = Math.min(1, c.list.length * this.eqSelectivity(c.arg));
        return c.neg ? 1 - s : s;
      }
      case 'fn': return this.call(c);
      default: return DEFAULT_SEL;
    }
  }

  private call(c: Extract<Expr, { k: 'fn' }>): number {
    const [a, b] = c.args as [Expr | undefined, Expr | undefined];
    switch (c.name) {
      case 'eq': case 'ne': {
        let s: number;
        if (a && b && isConst(b)) s = this.eqSelectivity(a);
        else if (a && b && isConst(a)) s = this.eqSelectivity(b);
        else if (a && b) s = Math.min(this.eqSelectivity(a), this.eqSelectivity(b));
        else s = DEFAULT_EQ_SEL;
        return c.name === 'eq' ? s : 1 - s;
      }
      case 'lt': case 'le': case 'gt': case 'ge': return DEFAULT_INEQ_SEL;
    }
    const like = /^(not_)?i?like/.exec(c.name);
    if (like && b?.k === 'const' && typeof b.value === 'string') {
      const s = likeSelectivity(b.value);
      return like[1] ? 1 - s : s;
    }
    return DEFAULT_SEL;
  }
}

/**
 * A LIKE pattern's selectivity from how much literal text it pins down: each literal character
 * halves it (PostgreSQL's like_selectivity multiplies by a constant per fixed character too), at
 * least DEFAULT_EQ_SEL, and a pattern of wildcards only keeps every row.
 */
export function likeSelectivity(pattern: string): number {
  let fixed = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') { i++; fixed++; continue; }
    if (ch !== '%' && ch !== '_') fixed++;
  }
  return fixed === 0 ? 1 : Math.max(DEFAULT_EQ_SEL, 0.5 ** fixed);
}

/**
 * Distinct values of a column of `total` rows from a sample of `sampled` of them holding `distinct`
 * values, `once` of which occur a single time: Haas and Stokes' Duj1 estimator, the one
 * PostgreSQL's ANALYZE uses (n*d / (n - f1 + f1*n/N)). Values that repeat in the sample are taken
 * as all seen; values seen once stand for many unseen ones.
 */
export function distinctFromSample(sampled: number, distinct: number, once: number, total: number): number {
  if (sampled >= total || sampled === 0) return Math.max(1, distinct);
  const d = (sampled * distinct) / (sampled - once + (once * sampled) / total);
  return Math.max(1, Math.min(total, Math.round(d)));
}
