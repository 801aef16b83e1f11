// VACUUM and ANALYZE: VACUUM rewrites a table's slices into full chunks, sorted by the table's sort
// key (FULL, SORT ONLY) or only compacted (DELETE ONLY); ANALYZE computes the per-column distinct
// estimates the planner reads (Engine.ndv) for the table's current data version.
import { type Batch, concatBatches, gatherBatch, sliceBatch, valueAt } from '../batch/vector.js';
import type { TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { ParsedStatement } from '../front/parse.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { CHUNK_ROWS, type TableData } from '../storage/table-data.js';
import type { StatementResult } from './api.js';
import type { Session } from './session.js';

const done = (command: string): StatementResult => ({ command, rowCount: 0, fields: null, rows: [] });

/** VACUUM [FULL | SORT ONLY | DELETE ONLY | REINDEX | RECLUSTER] [t] and ANALYZE [t] (a VacuumStmt). */
export function executeVacuum(s: Session, n: any, st: ParsedStatement): StatementResult {
  const tables = targets(s, n);
  if (!n.is_vacuumcmd) {
    for (const def of tables) analyzeTable(s, def);
    return done('ANALYZE');
  }
  // Redshift "VACUUM": it can't run inside a transaction block.
  if (s.transactionStatus !== 'I') throw new SqlError(SqlState.activeSqlTransaction, 'VACUUM cannot run inside a transaction block');
  const mode = st.redshift.vacuum?.mode ?? 'FULL';
  for (const def of tables) s.writeData(def, vacuumData(s, def, s.dataOf(def), mode !== 'DELETE ONLY'));
  return done('VACUUM');
}

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

/** ANALYZE: computes and caches every column's distinct estimate for the current data version. */
export function analyzeTable(s: Session, def: TableDef): void {
  const data = s.dataOf(def);
  for (let c = 0; c < def.columns.length; c++) s.engine.ndv(data, c);
}

/**
 * Rewrites each slice as full chunks of CHUNK_ROWS rows; with `sort`, rows are ordered by the
 * table's sort key (compound order; an INTERLEAVED key is applied in column order, as a simplification).
 */
export function vacuumData(s: Session, def: TableDef, data: TableData, sort: boolean): TableData {
  const store = s.engine.store;
  const types = def.columns.map((c) => c.type);
  const key = sort ? def.sortkey.columns : [];
  const slices = data.slices.map((chunks) => {
    if (!chunks.length) return chunks;
    const full = chunks.every((c, i) => c.rows === CHUNK_ROWS || i === chunks.length - 1);
    if (!key.length && full) return chunks;
    let all = concatBatches(types, chunks.map((c) => store.decodeAll(c)));
    if (key.length) all = sortBatch(all, key);
    const out: ChunkDesc[] = [];
    for (let start = 0; start < all.length; start += CHUNK_ROWS) out.push(store.encode(sliceBatch(all, start, Math.min(CHUNK_ROWS, all.length - start))));
    return out;
  });
  return { ...data, slices };
}

/** A batch's rows ordered by the given columns, ascending, NULLs last (stable). */
export function sortBatch(b: Batch, cols: number[]): Batch {
  const idx = Array.from({ length: b.length }, (_, i) => i);
  const vals = cols.map((c) => { const v = b.columns[c]!; return Array.from({ length: b.length }, (_, i) => valueAt(v, i)); });
  idx.sort((x, y) => {
    for (const v of vals) {
      const d = compareValues(v[x], v[y]);
      if (d !== 0) return d;
    }
    return x - y;
  });
  return gatherBatch(b, idx, idx.length);
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'string' && typeof b === 'string') { const x = a.trimEnd(), y = b.trimEnd(); return x < y ? -1 : x > y ? 1 : 0; }
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
