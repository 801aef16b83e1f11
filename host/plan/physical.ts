// Physical plan nodes: what slices execute (host/exec/operators.ts). Expressions refer to input
// columns by position. Exchange nodes mark where rows move between slices, labelled with
// Redshift's redistribution names so EXPLAIN shows what a query pays for.
import type { SqlType } from '../types/sql-type.js';
import type { Expr } from './expr.js';

export type DistLabel =
  | 'DS_DIST_NONE' | 'DS_DIST_ALL_NONE' | 'DS_BCAST_INNER' | 'DS_DIST_INNER' | 'DS_DIST_OUTER'
  | 'DS_DIST_BOTH' | 'DS_DIST_ALL_INNER';

export interface PAgg {
  fn: string;
  args: Expr[];
  distinct: boolean;
  filter: Expr | null;
  type: SqlType;
  order?: { expr: Expr; desc: boolean; nullsFirst: boolean }[];
}

export interface PSortKey { expr: Expr; desc: boolean; nullsFirst: boolean }

export interface PWindowCall {
  fn: string;
  args: Expr[];
  partition: Expr[];
  order: PSortKey[];
  frame: { mode: 'rows' | 'range'; start: number | null; end: number | null } | null;
  type: SqlType;
}

/**
 * A run-time filter a hash join builds: the distinct values of rightKeys[key] once its build side
 * has run. `remote`: the scan is below the probe side's hash exchange, in a fragment that runs
 * before this join's; the leader runs the build side first on every slice and hands that fragment
 * the filter of all slices' keys (host/cluster/runner.ts).
 */
export interface JoinRuntimeFilter { id: number; key: number; remote?: boolean;
  /**
   * Built the other way: from the probe side's leftKeys[key], read first, for a scan on the build
   * side; with `remote`, below the build side's hash exchange (host/cluster/probe-first.ts).
   */
  fromProbe?: boolean }

/**
 * A run-time filter a scan applies: only rows whose column `col` (a position of the scan's read
 * columns) holds a key of filter `id` can match the join that publishes it. `label` is EXPLAIN's text.
 */
export interface ScanRuntimeFilter { id: number; col: number; label: string }

/** How a node's output rows are spread over slices. */
export type Distribution =
  /** Rows with equal values of these output columns are on the same slice (hash placement). */
  | { kind: 'hash'; cols: number[];
      /** Output columns equal to cols[0] in every row (an inner join's other key): placed the same way. */
      same?: number[] }
  /** Spread without a key. */
  | { kind: 'even' }
  /** Every slice has every row (DISTSTYLE ALL, broadcast). */
  | { kind: 'all' }
  /** All rows are on the leader (after a gather). */
  | { kind: 'leader' };

interface Base { types: SqlType[]; names: string[]; est: number }

export type PNode = Base & (
  /**
   * `cols` are the table columns the scan outputs; `filterOnly` those only its filter reads (read,
   * tested, never output). The filter's column positions are `cols` then `filterOnly.cols`.
   */
  | { op: 'scan'; table: number; tableName: string; cols: number[]; filter: Expr | null; replica: 'slice' | 'all' | 'once'; filterOnly?: { cols: number[]; types: SqlType[]; names: string[] };
      /** Run-time filters a join above publishes before this scan starts (host/plan/rules/runtime-filter.ts). */
      runtimeFilters?: ScanRuntimeFilter[] }
  | { op: 'values'; rows: Expr[][]; onLeader: boolean }
  | { op: 'filter'; input: PNode; pred: Expr }
  | { op: 'project'; input: PNode; exprs: Expr[] }
  /** left = probe/outer, right = build/inner; residual sees left columns then right columns. */
  | { op: 'hashjoin'; kind: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti'; left: PNode; right: PNode; leftKeys: Expr[]; rightKeys: Expr[]; residual: Expr | null; dist: DistLabel;
      /** Run-time filters this join publishes from its build side's keys for a scan on its probe side. */
      runtimeFilters?: JoinRuntimeFilter[] }
  | { op: 'nljoin'; kind: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross'; left: PNode; right: PNode; cond: Expr | null; dist: DistLabel }
  | { op: 'agg'; input: PNode; groups: Expr[]; aggs: PAgg[]; mode: 'single' | 'partial' | 'final' }
  | { op: 'sort'; input: PNode; keys: PSortKey[]; limit: number | null }
  | { op: 'limit'; input: PNode; limit: Expr | null; offset: Expr | null }
  | { op: 'setop'; kind: 'union' | 'intersect' | 'except'; all: boolean; left: PNode; right: PNode }
  /**
   * Moves the input's rows: to the leader, to slices by hash of keys, or to every slice. `keep`
   * moves nothing: each site keeps its own rows, computed once per statement and read by every
   * exchange of that id, in the main plan and the init plans (host/plan/shared-subplans.ts).
   */
  | { op: 'exchange'; input: PNode; mode: 'gather' | 'hash' | 'broadcast' | 'keep'; keys: Expr[]; id: number; label?: string;
      /** Where the input runs: the leader, every slice, or only slice 0 (a replicated input is sent once). */
      from: 'leader' | 'slices' | 'slice0';
      /** A kept subplan's number (EXPLAIN's "Shared Subplan n") and how many places read it. */
      share?: number; uses?: number }
  /** Reads what an exchange delivered to this slice (created by the cluster at run time). */
  | { op: 'recv'; exchange: number }
  /** Window functions over the input (all rows of a partition are on this site); appends one column per call. */
  | { op: 'window'; input: PNode; calls: PWindowCall[] }
);

export function childrenOf(n: PNode): PNode[] {
  switch (n.op) {
    case 'filter': case 'project': case 'agg': case 'sort': case 'limit': case 'exchange': case 'window': return [n.input];
    case 'hashjoin': case 'nljoin': case 'setop': return [n.left, n.right];
    default: return [];
  }
}

const readCols = new WeakMap<object, number[]>();

/** The table columns a scan reads, in its filter's positions: its output columns, then those only its filter reads. */
export function scanReadCols(n: Extract<PNode, { op: 'scan' }>): number[] {
  if (!n.filterOnly) return n.cols;
  let r = readCols.get(n);
  if (!r) { r = [...n.cols, ...n.filterOnly.cols]; readCols.set(n, r); }
  return r;
}
