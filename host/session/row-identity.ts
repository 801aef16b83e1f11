// Row identity for joined DML (DELETE ... USING, UPDATE ... FROM, MERGE): the target table is
// exposed to the planner as a stand-in table with one extra hidden int8 column holding each row's
// (slice, chunk, row) position, so any plan the engine builds can carry the identity to the leader,
// which then rewrites exactly those rows of the target's chunks.
import { type Batch, type Vector, concatBatches, gatherBatch, valueAt, vectorFromValues } from '../batch/vector.js';
import { Binder } from '../bind/binder.js';
import type { TableDef } from '../catalog/catalog.js';
import { systemRelation } from '../catalog/system-views.js';
import type { RunEnv } from '../cluster/runner.js';
import { SqlError, SqlState } from '../common/errors.js';
import { parseStatements } from '../front/parse.js';
import { castVector } from '../functions/cast.js';
import type { Col, LNode } from '../plan/logical.js';
import type { ChunkDesc } from '../storage/chunk.js';
import { appendRows, type TableData } from '../storage/table-data.js';
import { T, type SqlType, sameType } from '../types/sql-type.js';
import type { Session } from './session.js';

/** Name of the identity column the stand-in table adds after the target's columns. */
export const ROWID = '__ws_rowid';

// Position packing: row < 2^16 (CHUNK_ROWS), chunk < 2^31, slice < 2^6: fits a safe integer.
const ROW_BITS = 65536;
const CHUNK_SPAN = 2 ** 31;

export function packRowId(slice: number, chunk: number, row: number): number { return (slice * CHUNK_SPAN + chunk) * ROW_BITS + row; }
export function unpackRowId(id: number): { slice: number; chunk: number; row: number } {
  const row = id % ROW_BITS;
  const rest = (id - row) / ROW_BITS;
  const chunk = rest % CHUNK_SPAN;
  return { slice: (rest - chunk) / CHUNK_SPAN, chunk, row };
}

let nextStandIn = 0;

/** A stand-in for a DML target: its data view with the identity column, and a binder that sees it. */
export class TargetView {
  /** The name the statement's AST must use in place of the target table. */
  readonly name = `__ws_target_${++nextStandIn}`;
  readonly def: TableDef;
  private readonly data: TableData;

  constructor(readonly s: Session, readonly target: TableDef) {
    // A synthetic oid no catalog entry uses (catalog oids are positive).
    this.def = { ...target, oid: -1000 - nextStandIn, name: this.name, columns: [...target.columns, { name: ROWID, type: T.int8, notNull: true } as TableDef['columns'][number]] };
    const base = s.dataOf(target);
    const store = s.engine.store;
    // The identity column is its own small chunk; the combined descriptor reuses the target
    // chunk's column buffers (no copy). Unreferenced after the statement, so the sweep frees it.
    const slices = base.slices.map((chunks, si) => chunks.map((c, ci) => {
      // Read back from block files if evicted, and kept in memory until the statement ends.
      store.hold(c);
      const ids = new BigInt64Array(c.rows);
      for (let r = 0; r < c.rows; r++) ids[r] = BigInt(packRowId(si, ci, r));
      const idChunk = store.encode({ columns: [{ type: T.int8, length: c.rows, data: ids, valid: null } as Vector], length: c.rows });
      return { base: idChunk.base, rows: c.rows, types: [...c.types, T.int8], cols: [...c.cols, idChunk.cols[0]!] } as ChunkDesc;
    }));
    this.data = { ...base, slices };
  }

  /** A binder that resolves the stand-in's name to a scan of the stand-in table. */
  binder(paramTypes: (SqlType | undefined)[]): Binder {
    const s = this.s;
    return new Binder({
      catalog: s.engine.catalog,
      searchPath: s.searchPath(),
      paramTypes,
      parseSelect: (sql) => {
        const [st] = parseStatements(sql);
        if (!st?.ast?.SelectStmt) throw new SqlError(SqlState.internalError, 'view definition is not a SELECT');
        return st.ast.SelectStmt;
      },
      systemRelation: (schema, name, b) => {
        if (name === this.name && schema === undefined) {
          const cols: Col[] = this.def.columns.map((c, i) => ({ id: b.newId(), name: c.name, type: c.type, tableOid: this.target.oid, attnum: i + 1 }));
          return { op: 'get', table: this.def, cols } as LNode;
        }
        return systemRelation(s, schema, name, b);
      },
    });
  }

  /** Planner statistics that see the stand-in as the target. */
  stats() {
    const eng = this.s.engine;
    const view = (d: TableDef) => (d.oid === this.def.oid ? this.data : this.s.dataOf(d));
    return { rows: (t: TableDef) => view(t).rows, style: (t: TableDef) => view(t).style, ndv: (t: TableDef, c: number) => eng.ndv(t.oid === this.def.oid ? this.s.dataOf(this.target) : view(t), c) };
  }

  /** The session's run environment, with scans of the stand-in served from its chunks. */
  runEnv(params: readonly unknown[], signal: AbortSignal): RunEnv {
    const env = this.s.runEnv(params, signal);
    const store = this.s.engine.store;
    return {
      ...env,
      scan: (table, slice, cols, ...rest) => (table === this.def.oid ? (this.data.slices[slice] ?? []).map((c) => store.decode(c, cols)) : (env.scan as (...a: unknown[]) => Batch[])(table, slice, cols, ...rest)),
      scanChunks: (table, slice, cols, replica, filter) => (table === this.def.oid ? store.scanChunks(this.data.slices[slice] ?? []) : env.scanChunks!(table, slice, cols, replica, filter)),
      chunks: (table, slice) => (table === this.def.oid ? this.data.slices[slice] ?? [] : env.chunks(table, slice)),
    } as RunEnv;
  }
}

/** What happens to one target row: removed (null) or replaced by new full-row values. */
export type RowChange = null | Batch & { row: number };

/**
 * Applies changes keyed by row identity to a table's data: deleted rows are dropped, updated rows
 * are replaced in place (or moved to their new slice when the DISTKEY changed), other chunks are
 * kept as they are.
 */
export function applyChanges(s: Session, def: TableDef, deleted: Set<number>, updated: Map<number, { batch: Batch; row: number }>): TableData {
  const store = s.engine.store;
  const data = s.dataOf(def);
  const touched = new Set<string>();
  const key = (sl: number, ch: number) => `${sl}:${ch}`;
  for (const id of deleted) { const p = unpackRowId(id); touched.add(key(p.slice, p.chunk)); }
  for (const id of updated.keys()) { const p = unpackRowId(id); touched.add(key(p.slice, p.chunk)); }
  const types = def.columns.map((c) => c.type);
  const moved: { batch: Batch; row: number }[] = [];
  let rows = 0;
  const slices = data.slices.map((chunks, si) => {
    const out: ChunkDesc[] = [];
    chunks.forEach((c, ci) => {
      if (!touched.has(key(si, ci))) { out.push(c); rows += c.rows; return; }
      const b = store.decodeAll(c);
      // Output row r of the chunk: its own row, or row k of the gathered new rows (offset b.length).
      const order: number[] = [];
      const fresh: { batch: Batch; row: number }[] = [];
      for (let r = 0; r < c.rows; r++) {
        const id = packRowId(si, ci, r);
        if (deleted.has(id)) continue;
        const u = updated.get(id);
        if (!u) { order.push(r); continue; }
        if (def.distkey >= 0 && data.style === 'KEY' && !sameValue(valueAt(b.columns[def.distkey]!, r), valueAt(u.batch.columns[def.distkey]!, u.row))) { moved.push(u); continue; }
        order.push(b.length + fresh.length);
        fresh.push(u);
      }
      if (!order.length) return;
      const nb = fresh.length ? gatherBatch(concatBatches(types, [b, gatherRows(types, fresh)]), order, order.length) : gatherBatch(b, order, order.length);
      out.push(store.encode(nb));
      rows += nb.length;
    });
    return out;
  });
  let result: TableData = { ...data, slices, rows };
  if (moved.length) result = appendRows(def, result, gatherRows(types, moved), store);
  return result;
}

/** One batch of rows picked from (possibly several) batches, in the given order. */
function gatherRows(types: SqlType[], picks: { batch: Batch; row: number }[]): Batch {
  const parts: Batch[] = [];
  let i = 0;
  while (i < picks.length) {
    const b = picks[i]!.batch;
    const idx: number[] = [];
    for (; i < picks.length && picks[i]!.batch === b; i++) idx.push(picks[i]!.row);
    parts.push(gatherBatch(b, idx, idx.length));
  }
  return parts.length === 1 ? parts[0]! : concatBatches(types, parts);
}

function sameValue(a: unknown, b: unknown): boolean { return a === b || (a !== null && b !== null && String(a) === String(b)); }

/** Casts a computed column to the target column's type (assignment rules) and checks NOT NULL. */
export function conformColumn(def: TableDef, ci: number, v: Vector, n: number): Vector {
  const col = def.columns[ci]!;
  if (!sameType(v.type, col.type)) v = castVector(v, col.type, n, 'assign');
  else if ((col.type.id === 'varchar' || col.type.id === 'bpchar') && col.type.length !== undefined) v = castVector({ ...v, type: T.text }, col.type, n, 'assign');
  if (col.notNull && v.valid !== null) {
    for (let i = 0; i < n; i++) if (valueAt(v, i) === null) throw new SqlError(SqlState.notNullViolation, `null value in column "${col.name}" violates not-null constraint`, { table: def.name, column: col.name });
  }
  return v;
}

export { vectorFromValues };
