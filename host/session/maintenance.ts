// VACUUM and ANALYZE: VACUUM rewrites a table's slices into full chunks and sorts a slice's
// unsorted region into its sorted one by the table's sort key (host/storage/sort-region.ts);
// ANALYZE computes the per-column distinct estimates the planner reads (Engine.ndv).
import { type Batch, concatBatches, gatherBatch, sliceBatch, type Vector } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { ParsedStatement } from '../front/parse.js';
import { compareValues } from '../functions/compare.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { markSorted, sortedChunks, sortedRows } from '../storage/sort-region.js';
import { CHUNK_ROWS, type TableData } from '../storage/table-data.js';
import type { StatementResult } from './api.js';
import type { Session } from './session.js';

const done = (command: string): StatementResult => ({ command, rowCount: 0, fields: null, rows: [] });

/**
 * VACUUM [FULL | SORT ONLY | DELETE ONLY | REINDEX | RECLUSTER] [t [TO n PERCENT] [BOOST]] and
 * ANALYZE [t] (a VacuumStmt). Redshift "VACUUM": FULL (the default), SORT ONLY, REINDEX and
 * RECLUSTER sort each slice by the sort key unless more than the threshold (default 95) percent
 * of the table's rows are already sorted; DELETE ONLY reclaims space of deleted rows, which this
 * engine never keeps (a DELETE rewrites its chunks), so it succeeds without changing anything.
 */
export function executeVacuum(s: Session, n: any, st: ParsedStatement): StatementResult {
  const tables = targets(s, n);
  if (!n.is_vacuumcmd) {
    for (const def of tables) analyzeTable(s, def);
    return done('ANALYZE');
  }
  // Redshift "VACUUM": it can't run inside a transaction block.
  if (s.transactionStatus !== 'I') throw new SqlError(SqlState.activeSqlTransaction, 'VACUUM cannot run inside a transaction block');
  const v = st.redshift.vacuum ?? { mode: 'FULL', boost: false };
  if (v.mode === 'DELETE ONLY') return done('VACUUM');
  const threshold = v.threshold ?? DEFAULT_SORT_THRESHOLD;
  for (const def of tables) {
    const data = s.dataOf(def);
    const next = vacuumData(s, def, data, true, threshold);
    if (next !== data) s.writeData(def, next);
  }
  return done('VACUUM');
}

/** Redshift's default: VACUUM skips the sort phase of a table more than 95 percent sorted. */
export const DEFAULT_SORT_THRESHOLD = 95;

/** The tables a VACUUM/ANALYZE names, or every user table when it names none. */
function targets(s: Session, n: any): TableDef[] {
  const rels: any[] = n.rels ?? [];
  if (!rels.length) return s.engine.catalog.relationsList().filter((r): r is TableDef => r.kind === 'table');
  return rels.map((r) => {
    const rv = r.VacuumRelation.relation;
    const rel = s.engine.catalog.get(rv.relname, rv.schemaname, s.searchPath(), rv.location + 1);
    if (rel.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a table`);
    return rel;
  });
}

/** Row counts of tables when ANALYZE last ran, per engine (for SVV_TABLE_INFO.stats_off). */
const ANALYZED = new WeakMap<object, Map<number, number>>();

/** ANALYZE: computes and caches every column's distinct estimate for the current data version. */
export function analyzeTable(s: Session, def: TableDef): void {
  const data = s.dataOf(def);
  for (let c = 0; c < def.columns.length; c++) s.engine.ndv(data, c);
  let m = ANALYZED.get(s.engine);
  if (!m) { m = new Map(); ANALYZED.set(s.engine, m); }
  m.set(def.oid, data.rows);
}

/**
 * SVV_TABLE_INFO.stats_off: how stale ANALYZE's statistics are, 0 (current) to 100: the rows
 * added or removed since the last ANALYZE as a percent of the table (100 when never analyzed).
 */
export function statsOff(s: Session, def: TableDef): number {
  const rows = s.dataOf(def).rows;
  const then = ANALYZED.get(s.engine)?.get(def.oid);
  if (then === undefined) return rows === 0 ? 0 : 100;
  return Math.min(100, (Math.abs(rows - then) / Math.max(1, rows)) * 100);
}

/** Percent of a table's rows in the sorted regions of its slices (100 for an empty table). */
export function sortedPercent(def: TableDef, data: TableData): number {
  if (data.rows === 0) return 100;
  let sorted = 0;
  for (const chunks of data.slices) sorted += sortedRows(chunks, def.sortkey.columns);
  return (sorted / data.rows) * 100;
}

/**
 * Rewrites slices as full chunks of CHUNK_ROWS rows. With `sort` and a sort key, a slice with an
 * unsorted region is sorted as a whole (compound order; an INTERLEAVED key is applied in column
 * order, as a simplification) and becomes one sorted run, unless more than `threshold` percent of
 * the table is sorted already. Returns `data` itself when nothing changes.
 */
export function vacuumData(s: Session, def: TableDef, data: TableData, sort: boolean, threshold = 100): TableData {
  const store = s.engine.store;
  const types = def.columns.map((c) => c.type);
  const key = sort ? def.sortkey.columns : [];
  const sorting = key.length > 0 && sortedPercent(def, data) <= threshold;
  let changed = false;
  const slices = data.slices.map((chunks) => {
    if (!chunks.length) return chunks;
    const full = chunks.every((c, i) => c.rows === CHUNK_ROWS || i === chunks.length - 1);
    const needsSort = sorting && sortedChunks(chunks, key) < chunks.length;
    if (!needsSort && (full || key.length > 0)) return chunks;
    changed = true;
    let all = concatBatches(types, chunks.map((c) => store.decodeAll(c)));
    if (needsSort) all = sortBatch(all, key);
    const out: ChunkDesc[] = [];
    for (let start = 0; start < all.length; start += CHUNK_ROWS) out.push(store.encode(sliceBatch(all, start, Math.min(CHUNK_ROWS, all.length - start))));
    if (needsSort) markSorted(out, key);
    return out;
  });
  return changed ? { ...data, slices } : data;
}

/** One column's order for a sort: ascending, NULLs last (Redshift's default). */
function columnOrder(v: Vector): (x: number, y: number) => number {
  const d = v.data as ArrayLike<unknown>;
  const valid = v.valid;
  const type = v.type;
  const typed = ArrayBuffer.isView(d) && type.id !== 'float4' && type.id !== 'float8';
  const isNull = (i: number) => valid !== null && ((valid[i >> 3]! >> (i & 7)) & 1) === 0;
  return (x, y) => {
    const nx = isNull(x), ny = isNull(y);
    if (nx || ny) return nx === ny ? 0 : nx ? 1 : -1;
    if (typed) { const a = d[x] as number, b = d[y] as number; return a < b ? -1 : a > b ? 1 : 0; }
    return compareValues(d[x], d[y], type);
  }
}

/** A batch's rows ordered by the given columns, ascending, NULLs last (stable). */
export function sortBatch(b: Batch, cols: number[]): Batch {
  const orders = cols.map((c) => columnOrder(b.columns[c]!));
  const idx = Int32Array.from({ length: b.length }, (_, i) => i);
  idx.sort((x, y) => {
    for (const o of orders) {
      const d = o(x, y);
      if (d !== 0) return d;
    }
    return x - y;
  });
  return gatherBatch(b, idx, idx.length);
}
