// Logical plan nodes: the binder's output and the optimizer rules' input (host/plan/rules/). Each
// node lists its output columns by query-wide id; expressions refer to those ids.
import type { TableDef } from '../catalog/catalog.js';
import type { SqlType } from '../types/sql-type.js';
import type { Expr } from './expr.js';

/** An output column: a query-wide id, the name a SELECT would show, and where it comes from. */
export interface Col {
  id: number;
  name: string;
  type: SqlType;
  /** Range-table alias it is reachable by (t in t.x). */
  rel?: string;
  tableOid?: number;
  attnum?: number;
  /** Hidden from SELECT * (e.g. a USING column's right-hand copy). */
  hidden?: boolean;
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

export interface AggCall {
  fn: string;
  args: Expr[];
  distinct: boolean;
  /** FILTER (WHERE ...) */
  filter: Expr | null;
  type: SqlType;
  /** ORDER BY inside the aggregate (LISTAGG ... WITHIN GROUP). */
  order?: SortKey[];
}

export interface SortKey { expr: Expr; desc: boolean; nullsFirst: boolean }

/** A window frame in rows or range units; offsets are row counts (null = unbounded). */
export interface WindowFrame {
  mode: 'rows' | 'range';
  /** Rows before the current one where the frame starts (0 = current row, null = unbounded preceding; negative = following). */
  start: number | null;
  /** Rows after the current one where it ends (0 = current row, null = unbounded following; negative = preceding). */
  end: number | null;
}

export interface WindowCall {
  fn: string;
  args: Expr[];
  partition: Expr[];
  order: SortKey[];
  /** null: the whole partition (no ORDER BY) or the function ignores frames (ranking, LAG/LEAD). */
  frame: WindowFrame | null;
  type: import('../types/sql-type.js').SqlType;
}

export type LNode =
  | { op: 'get'; table: TableDef; cols: Col[] }
  | { op: 'values'; rows: Expr[][]; cols: Col[] }
  | { op: 'filter'; input: LNode; pred: Expr }
  | { op: 'project'; input: LNode; exprs: Expr[]; cols: Col[] }
  /** `est`: output rows estimated by join ordering (from table sizes and distinct counts), when it ran. */
  | { op: 'join'; kind: JoinKind; left: LNode; right: LNode; cond: Expr | null; est?: number }
  | { op: 'agg'; input: LNode; groups: Expr[]; aggs: AggCall[]; cols: Col[] }
  | { op: 'sort'; input: LNode; keys: SortKey[] }
  | { op: 'limit'; input: LNode; limit: Expr | null; offset: Expr | null }
  | { op: 'distinct'; input: LNode }
  | { op: 'setop'; kind: 'union' | 'intersect' | 'except'; all: boolean; left: LNode; right: LNode; cols: Col[] }
  /** Window functions: the input's columns followed by one column per call. */
  | { op: 'window'; input: LNode; calls: WindowCall[]; cols: Col[] };

/** The columns a node outputs, in order. */
export function colsOf(n: LNode): Col[] {
  switch (n.op) {
    case 'get': case 'values': case 'project': case 'agg': case 'setop': return n.cols;
    case 'filter': case 'sort': case 'limit': case 'distinct': return colsOf(n.input);
    case 'window': return [...colsOf(n.input), ...n.cols];
    case 'join':
      if (n.kind === 'semi' || n.kind === 'anti') return colsOf(n.left);
      return [...colsOf(n.left), ...colsOf(n.right)];
  }
}

/** A bound query: the main plan and the uncorrelated subqueries it uses, computed first. */
export interface BoundQuery {
  root: LNode;
  /** Init plans by id (Expr 'plan' / 'inplan' / 'existsplan' refer to them). */
  initPlans: LNode[];
}
