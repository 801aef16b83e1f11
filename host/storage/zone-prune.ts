// Zone-map block skipping: from a scan's pushed-down filter, the conjuncts `col op const`
// (=, <>, <, <=, >, >=; BETWEEN arrives as >= AND <=), `col IN (consts)` and `col IS [NOT] NULL`
// become a test over a chunk's zone maps (host/storage/zone-map.ts). The leader drops chunks the
// test rejects before it hands chunk lists to slice workers (host/cluster/pool.ts) or scans them
// in its own thread, so rows that cannot match are never read. Skipping never changes a result:
// a chunk is dropped only when no row of it can make the whole conjunction true.
import { compareValues, type CmpOp } from '../functions/compare.js';
import { conjuncts, type Expr } from '../plan/expr.js';
import { physicalOf, type SqlType } from '../types/sql-type.js';
import { int32Constant, widenedColumn } from '../plan/widening.js';
import type { ChunkDesc } from './chunk.js';
import type { ColumnZone } from './zone-map.js';

/** Chunks considered and chunks skipped by zone maps (per engine; read by tests and SVL_QUERY_SUMMARY-like tools). */
export class ZoneStats {
  scanned = 0;
  skipped = 0;
}

/** Whether a chunk may hold a row the filter accepts. */
export type ChunkTest = (c: ChunkDesc) => boolean;

export type Value = number | bigint | string;
type ZoneCheck = (z: ColumnZone, rows: number) => boolean;

/** A constant comparable with the column's zone values, or undefined (then the conjunct is not used). */
function constFor(col: SqlType, e: Expr): Value | undefined {
  if (e.k !== 'const' || e.value === null || e.value === undefined) return undefined;
  const v = e.value;
  const p = physicalOf(col);
  if (p === 'str') return physicalOf(e.type) === 'str' && typeof v === 'string' ? v : undefined;
  // Same representation only: numeric constants must share the column's scale, dates stay days; an
  // int8 constant (against a widened int2/int4 column) only when it has a 32-bit form.
  if (e.type.id !== col.id && !(isInt(e.type) && isInt(col)) && !(e.type.id === 'int8' && isInt(col))) return undefined;
  if (col.id === 'numeric' && (e.type.scale ?? 0) !== (col.scale ?? 0)) return undefined;
  if (p === 'i64') return typeof v === 'bigint' ? v : undefined;
  if (p === 'i16' || p === 'i32') return int32Constant(v);
  if (p === 'f32' || p === 'f64') return typeof v === 'number' ? v : undefined;
  return undefined;
}

/**
 * The column a comparison operand reads: the column itself, or a string column under a cast to a
 * string type that keeps every character (the binder casts varchar(n) to varchar, char(n) to bpchar).
 */
function columnOf(e: Expr): Extract<Expr, { k: 'col' }> | null {
  const widened = widenedColumn(e);
  if (widened) return widened;
  if (e.k === 'cast' && e.arg.k === 'col' && physicalOf(e.arg.type) === 'str' && physicalOf(e.type) === 'str') {
    const to = e.type.length ?? -1, from = e.arg.type.length ?? -1;
    if (to < 0 || (from >= 0 && from <= to)) return { ...e.arg, type: e.type };
  }
  return null;
}

function isInt(t: SqlType): boolean { return t.id === 'int2' || t.id === 'int4'; }

const FLIP: Record<string, string> = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

/** What a chunk's zone map says of `column op k` over the chunk: no row passes, some may, or every row does. */
export type ZoneVerdict = 'none' | 'some' | 'all';

/**
 * The verdict of a zone on `column op k` (k not NULL), with `cmp` ordering zone values and k as the column's
 * type does. A NULL never passes a comparison, so an all-NULL chunk passes none, and only a chunk without NULLs
 * can pass all. Zone pruning drops the `none` chunks; the scan's kernel filter skips a step whose verdict is
 * `all` (host/exec/kernel-filter.ts). One place for both, so the two cannot disagree on an operator.
 */
export function zoneVerdict(op: CmpOp, k: Value, z: ColumnZone, cmp: (a: Value, b: Value) => number): ZoneVerdict {
  if (z.min === null || z.max === null) return 'none';
  const lo = cmp(z.min, k), hi = cmp(z.max, k);
  let none: boolean, all: boolean;
  switch (op) {
    case 'eq': none = lo > 0 || hi < 0; all = lo === 0 && hi === 0; break;
    // only a chunk whose every non-null value equals k fails `<>` on every row
    case 'ne': none = lo === 0 && hi === 0; all = lo > 0 || hi < 0; break;
    case 'lt': none = lo >= 0; all = hi < 0; break;
    case 'le': none = lo > 0; all = hi <= 0; break;
    case 'gt': none = hi <= 0; all = lo > 0; break;
    case 'ge': none = hi < 0; all = lo >= 0; break;
  }
  if (none) return 'none';
  return all && z.nulls === 0 ? 'all' : 'some';
}

/** The zone check of one comparison `column op k` (k not NULL): whether a row of the chunk may pass. */
function comparison(op: string, k: Value, type: SqlType): ZoneCheck | null {
  if (FLIP[op] === undefined) return null;
  const cmp = (a: Value, b: Value) => compareValues(a, b, type);
  return (z) => zoneVerdict(op as CmpOp, k, z, cmp) !== 'none';
}

/** The check of one conjunct on one column, or null when the conjunct cannot be used. */
function conjunctCheck(e: Expr): { idx: number; check: ZoneCheck } | null {
  if (e.k === 'fn' && e.args.length === 2 && FLIP[e.name] !== undefined) {
    let [a, b] = e.args as [Expr, Expr];
    let op = e.name;
    if (!columnOf(a) && columnOf(b)) { [a, b] = [b, a]; op = FLIP[op]!; }
    const col = columnOf(a);
    if (!col) return null;
    const k = constFor(col.type, b);
    if (k === undefined) return null;
    const check = comparison(op, k, col.type);
    return check ? { idx: col.idx, check } : null;
  }
  const inCol = e.k === 'in' ? columnOf(e.arg) : null;
  if (e.k === 'in' && !e.neg && inCol && e.list.length > 0) {
    const type = inCol.type;
    const ks: Value[] = [];
    for (const x of e.list) {
      const k = constFor(type, x);
      // A NULL in the list matches nothing; any other unusable item disables the check.
      if (k === undefined) { if (x.k === 'const' && x.value === null) continue; return null; }
      ks.push(k);
    }
    const checks = ks.map((k) => comparison('eq', k, type)!);
    return { idx: inCol.idx, check: (z, rows) => checks.some((c) => c(z, rows)) };
  }
  if (e.k === 'isnull' && e.arg.k === 'col') {
    return { idx: e.arg.idx, check: e.neg ? (z, rows) => z.nulls < rows : (z) => z.nulls > 0 };
  }
  return null;
}

/**
 * The chunk test of a scan's filter, or null when no conjunct can use zone maps. `cols` maps the
 * filter's column positions (scan output) to table columns.
 */
export function zoneTest(filter: Expr | null | undefined, cols: readonly number[]): ChunkTest | null {
  const checks: { col: number; check: ZoneCheck }[] = [];
  for (const c of conjuncts(filter)) {
    const got = conjunctCheck(c);
    if (got && cols[got.idx] !== undefined) checks.push({ col: cols[got.idx]!, check: got.check });
  }
  if (!checks.length) return null;
  return (chunk) => {
    const zones = chunk.zones;
    if (!zones) return true;
    for (const { col, check } of checks) {
      const z = zones[col];
      if (z && !check(z, chunk.rows)) return false;
    }
    return true;
  };
}

const TESTS = new WeakMap<Expr, { cols: readonly number[]; test: ChunkTest | null }>();

/** The chunk test of a scan (memoized per filter expression). */
export function scanTest(filter: Expr | null | undefined, cols: readonly number[]): ChunkTest | null {
  if (!filter) return null;
  const hit = TESTS.get(filter);
  if (hit && hit.cols === cols) return hit.test;
  const test = zoneTest(filter, cols);
  TESTS.set(filter, { cols, test });
  return test;
}

/** The chunks of `chunks` a scan may need; counts them in `stats` when given. */
export function pruneChunks(chunks: readonly ChunkDesc[], test: ChunkTest | null, stats?: ZoneStats): readonly ChunkDesc[] {
  if (stats) stats.scanned += chunks.length;
  if (!test) return chunks;
  const kept = chunks.filter(test);
  if (stats) stats.skipped += chunks.length - kept.length;
  return kept;
}
