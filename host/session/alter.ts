// ALTER TABLE statements that change a table's columns or layout (Redshift "ALTER TABLE", "ALTER
// TABLE APPEND"): ADD/DROP COLUMN rewrite every chunk, APPEND FROM moves a source's rows into the
// target, ALTER DISTSTYLE/DISTKEY/SORTKEY redistribute and re-sort. A changed copy of the table's
// definition replaces it in the transaction's catalog, published (and made durable) at commit.
import { type Batch, type Vector, vectorFromValues } from '../batch/vector.js';
import { resolveTypeName } from '../bind/type-names.js';
import type { ColumnDef, TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import type { ParsedStatement, RedshiftStatement } from '../front/parse.js';
import { appendRows, CHUNK_ROWS, emptyTableData, rewriteSlices, type TableData } from '../storage/table-data.js';
import { sameType } from '../types/sql-type.js';
import type { StatementResult } from './api.js';
import { checkColumnEncoding } from '../storage/encoding/registry.js';
import { defaultEncoding, exprText } from './ddl.js';
import { defaultValue } from './dml.js';
import { vacuumData } from './maintenance.js';
import { conformColumn } from './row-identity.js';
import type { Session } from './session.js';

const done = (command: string, notices?: { code: string; message: string }[]): StatementResult => ({ command, rowCount: 0, fields: null, rows: [], ...(notices?.length ? { notices } : {}) });

function tableOf(s: Session, name: string, schema: string | undefined, position?: number): TableDef {
  const rel = s.engine.catalog.get(name, schema, s.searchPath(), position);
  if (rel.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${rel.name}" is not a table`);
  return rel;
}

/** ALTER TABLE ... ADD [COLUMN] / DROP [COLUMN] (an AlterTableStmt). Other subcommands are not supported. */
export function executeAlterTable(s: Session, n: any, st: ParsedStatement): StatementResult {
  const cmds: any[] = (n.cmds ?? []).map((c: any) => c.AlterTableCmd);
  const rv = n.relation;
  const rel = s.engine.catalog.find(rv.relname, rv.schemaname, s.searchPath());
  if (!rel) {
    if (n.missing_ok) return done('ALTER TABLE', [{ code: '00000', message: `relation "${rv.relname}" does not exist, skipping` }]);
    tableOf(s, rv.relname, rv.schemaname, rv.location + 1);
  }
  const def = tableOf(s, rv.relname, rv.schemaname, rv.location + 1);
  // Redshift "ALTER TABLE": one column is added or dropped per statement.
  if (cmds.length !== 1) throw new SqlError(SqlState.featureNotSupported, 'ALTER TABLE supports only one operation per statement');
  const c = cmds[0]!;
  switch (c.subtype) {
    case 'AT_AddColumn': return addColumn(s, def, c, st);
    case 'AT_DropColumn': return dropColumn(s, def, c);
    default: throw unsupported(`ALTER TABLE ${String(c.subtype).replace(/^AT_/, '')}`);
  }
}

function addColumn(s: Session, def: TableDef, c: any, st: ParsedStatement): StatementResult {
  const cd = c.def.ColumnDef;
  if (def.columns.some((x) => x.name === cd.colname)) {
    if (c.missing_ok) return done('ALTER TABLE', [{ code: '42701', message: `column "${cd.colname}" of relation "${def.name}" already exists, skipping` }]);
    throw new SqlError(SqlState.duplicateColumn, `column "${cd.colname}" of relation "${def.name}" already exists`);
  }
  const type = resolveTypeName(cd.typeName, true);
  const col: ColumnDef = { name: cd.colname, type, notNull: false, encode: '', distkey: false, sortkeyOrd: 0 };
  for (const con of cd.constraints ?? []) {
    const k = con.Constraint;
    switch (k.contype) {
      case 'CONSTR_NOTNULL': col.notNull = true; break;
      case 'CONSTR_NULL': break;
      case 'CONSTR_DEFAULT': col.defaultSql = exprText(st.text, k.raw_expr); break;
      case 'CONSTR_IDENTITY': throw new SqlError(SqlState.featureNotSupported, 'ALTER TABLE ADD COLUMN does not support columns with type IDENTITY');
      case 'CONSTR_PRIMARY': case 'CONSTR_UNIQUE': throw new SqlError(SqlState.featureNotSupported, 'ALTER TABLE ADD COLUMN cannot add a PRIMARY KEY or UNIQUE column');
      default: break;
    }
  }
  const attrs = st.redshift.columns[cd.colname];
  // Redshift: "You can't add a column that is the distribution key (DISTKEY) or a sort key (SORTKEY) of the table."
  if (attrs?.distkey || attrs?.sortkey) throw new SqlError(SqlState.featureNotSupported, 'ALTER TABLE ADD COLUMN cannot add a DISTKEY or SORTKEY column');
  if (attrs?.identity) throw new SqlError(SqlState.featureNotSupported, 'ALTER TABLE ADD COLUMN does not support columns with type IDENTITY');
  col.encode = attrs?.encode ? checkColumnEncoding(attrs.encode, type, cd.colname, () => defaultEncoding(type, false)) : defaultEncoding(type, false);
  // The value existing rows get: the DEFAULT, evaluated once (its type checked before anything changes).
  const probe: TableDef = { ...def, columns: [...def.columns, col] };
  const ci = def.columns.length;
  const data = s.dataOf(def);
  const fill = col.defaultSql ? defaultValue(s, probe, ci) : null;
  if (col.notNull && fill === null && data.rows > 0) throw new SqlError(SqlState.notNullViolation, `column "${col.name}" of relation "${def.name}" contains null values`);
  const store = s.engine.store;
  const next = rewriteSlices(data, (chunk) => {
    const v = conformColumn(probe, ci, vectorFromValues(type, new Array(chunk.length).fill(fill)), chunk.length);
    return { columns: [...chunk.columns, v], length: chunk.length };
  }, store);
  const changed = { ...def, columns: [...def.columns, col] };
  s.engine.catalog.replace(def, changed);
  s.writeData(changed, next);
  return done('ALTER TABLE');
}

function dropColumn(s: Session, def: TableDef, c: any): StatementResult {
  const ci = def.columns.findIndex((x) => x.name === c.name);
  if (ci < 0) {
    if (c.missing_ok) return done('ALTER TABLE', [{ code: '00000', message: `column "${c.name}" of relation "${def.name}" does not exist, skipping` }]);
    throw new SqlError(SqlState.undefinedColumn, `column "${c.name}" of relation "${def.name}" does not exist`);
  }
  if (def.columns.length === 1) throw new SqlError(SqlState.featureNotSupported, `cannot drop the last column of table "${def.name}"`);
  // Redshift: the distribution key and sort key columns can't be dropped.
  if (ci === def.distkey) throw new SqlError(SqlState.featureNotSupported, `cannot drop distkey column "${c.name}"`);
  if (def.sortkey.columns.includes(ci)) throw new SqlError(SqlState.featureNotSupported, `cannot drop sortkey column "${c.name}"`);
  const deps = dependentViews(s, def, c.name);
  if (deps.length && c.behavior !== 'DROP_CASCADE') {
    throw new SqlError(SqlState.dependentObjectsStillExist as never, `cannot drop table ${def.name} column ${c.name} because other objects depend on it`, { hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
  }
  for (const v of deps) s.engine.catalog.remove(v);
  const next = rewriteSlices(s.dataOf(def), (chunk) => ({ columns: chunk.columns.filter((_, i) => i !== ci), length: chunk.length }), s.engine.store);
  const shift = (i: number) => (i > ci ? i - 1 : i);
  const changed: TableDef = {
    ...def,
    columns: def.columns.filter((_, i) => i !== ci),
    distkey: def.distkey > ci ? def.distkey - 1 : def.distkey,
    sortkey: { ...def.sortkey, columns: def.sortkey.columns.map(shift) },
    primaryKey: def.primaryKey.filter((i) => i !== ci).map(shift),
  };
  s.engine.catalog.replace(def, changed);
  s.writeData(changed, next);
  return done('ALTER TABLE');
}

/** Views whose SQL names the table and the column (a textual check: views keep only their SQL). */
function dependentViews(s: Session, def: TableDef, column: string) {
  const word = (w: string) => new RegExp(`(^|[^a-z0-9_$])${w.replace(/[$]/g, '\\$')}([^a-z0-9_$]|$)`, 'i');
  return s.engine.catalog.relationsList().filter((r) => r.kind === 'view' && word(def.name).test((r as { sql: string }).sql) && (word(column).test((r as { sql: string }).sql) || /\*/.test((r as { sql: string }).sql)));
}

/** The Redshift-only ALTER TABLE forms the front-end parses (kind 'redshift'). */
export function executeRedshiftAlter(s: Session, st: ParsedStatement): StatementResult {
  const r = st.statement as RedshiftStatement;
  // Redshift "ALTER TABLE": ALTER DISTSTYLE / DISTKEY / SORTKEY and APPEND can't run inside a transaction block.
  if (s.transactionStatus !== 'I') throw new SqlError(SqlState.activeSqlTransaction, `${r.type === 'append' ? 'ALTER TABLE APPEND' : 'ALTER TABLE ALTER ' + (r.type === 'alter_sortkey' ? 'SORTKEY' : 'DISTSTYLE')} cannot run inside a transaction block`);
  switch (r.type) {
    case 'append': return appendFrom(s, r);
    case 'alter_distribution': return alterDistribution(s, r);
    case 'alter_sortkey': return alterSortkey(s, r);
    default: throw unsupported(st.tag || r.type);
  }
}

/**
 * ALTER TABLE target APPEND FROM source [IGNOREEXTRA | FILLTARGET] (Redshift "ALTER TABLE APPEND"):
 * moves every row and leaves the source empty. Columns match by name and must have the same types;
 * IGNOREEXTRA drops source columns the target lacks, FILLTARGET fills target columns the source
 * lacks with their DEFAULT or NULL. It can't run inside a transaction block.
 */
function appendFrom(s: Session, r: Extract<RedshiftStatement, { type: 'append' }>): StatementResult {
  const target = tableOf(s, r.table.name, r.table.schema, (r.table as { location?: number }).location !== undefined ? (r.table as { location: number }).location + 1 : undefined);
  const source = tableOf(s, r.source.name, r.source.schema);
  if (target.oid === source.oid) throw new SqlError(SqlState.invalidParameterValue, 'cannot append a table to itself');
  const map: number[] = [];
  for (const [ti, tc] of target.columns.entries()) {
    const si = source.columns.findIndex((c) => c.name === tc.name);
    if (si < 0) {
      if (r.mode !== 'FILLTARGET') throw new SqlError(SqlState.datatypeMismatch, `Target table and source table attributes don't match: column "${tc.name}" is missing from source table "${source.name}"`, { hint: 'Use FILLTARGET to fill it with its default value.' });
      if (tc.notNull && !tc.defaultSql && !tc.identity) throw new SqlError(SqlState.notNullViolation, `column "${tc.name}" of target table "${target.name}" is NOT NULL and has no default`);
      map.push(-1);
      continue;
    }
    const sc = source.columns[si]!;
    if (!sameType(sc.type, tc.type)) throw new SqlError(SqlState.datatypeMismatch, `Target table and source table attributes don't match: column "${tc.name}" has type ${typeText(tc.type)} in the target and ${typeText(sc.type)} in the source`);
    if (tc.notNull && !sc.notNull) throw new SqlError(SqlState.datatypeMismatch, `Target table and source table attributes don't match: column "${tc.name}" is NOT NULL in the target only`);
    map.push(si);
    void ti;
  }
  const extra = source.columns.filter((c) => !target.columns.some((t) => t.name === c.name));
  if (extra.length && r.mode !== 'IGNOREEXTRA') throw new SqlError(SqlState.datatypeMismatch, `Target table and source table attributes don't match: column "${extra[0]!.name}" is missing from target table "${target.name}"`, { hint: 'Use IGNOREEXTRA to leave it out.' });
  const store = s.engine.store;
  const sdata = s.dataOf(source);
  let tdata = s.dataOf(target);
  let moved = 0;
  for (const chunks of sdata.slices) {
    for (const c of chunks) {
      const b = store.decodeAll(c);
      const columns: Vector[] = map.map((si, ti) => (si >= 0 ? b.columns[si]! : vectorFromValues(target.columns[ti]!.type, Array.from({ length: b.length }, () => defaultValue(s, target, ti)))));
      const batch: Batch = { columns, length: b.length };
      tdata = appendRows(target, tdata, batch, store);
      moved += b.length;
    }
  }
  s.writeData(target, tdata);
  s.writeData(source, emptyTableData(source, s.engine.slices));
  return { command: 'ALTER TABLE', rowCount: moved, fields: null, rows: [] };
}

function typeText(t: import('../types/sql-type.js').SqlType): string {
  return t.length !== undefined ? `${t.id}(${t.length})` : t.precision !== undefined ? `${t.id}(${t.precision},${t.scale ?? 0})` : t.id;
}

/** All rows of a table, slice by slice, as one batch. */
function allRows(s: Session, def: TableDef, data: TableData): Batch[] {
  const store = s.engine.store;
  const out: Batch[] = [];
  for (const chunks of data.style === 'ALL' ? data.slices.slice(0, 1) : data.slices) for (const c of chunks) out.push(store.decodeAll(c));
  return out;
}

/** Rebuilds a table's data under its (changed) definition: rows re-placed on slices, then sorted. */
function redistribute(s: Session, def: TableDef, old: TableData): TableData {
  let data = emptyTableData(def, s.engine.slices);
  const batches = allRows(s, def, old);
  const store = s.engine.store;
  for (const b of batches) data = appendRows(def, data, b, store);
  return def.sortkey.columns.length ? vacuumData(s, def, data, true) : data;
}

/** ALTER DISTSTYLE {ALL | EVEN | AUTO | KEY DISTKEY c} and ALTER DISTKEY c (Redshift "ALTER TABLE"). */
function alterDistribution(s: Session, r: Extract<RedshiftStatement, { type: 'alter_distribution' }>): StatementResult {
  const def = tableOf(s, r.table.name, r.table.schema);
  const old = s.dataOf(def);
  let distkey = -1;
  if (r.distkey !== undefined) {
    distkey = def.columns.findIndex((c) => c.name === r.distkey);
    if (distkey < 0) throw new SqlError(SqlState.undefinedColumn, `column "${r.distkey}" does not exist`);
  }
  const style = r.diststyle ?? (distkey >= 0 ? 'KEY' : def.diststyle);
  if (style === 'KEY' && distkey < 0) throw new SqlError(SqlState.invalidTableDefinition, 'DISTSTYLE KEY requires a DISTKEY column');
  const changed: TableDef = { ...def, columns: def.columns.map((c, i) => ({ ...c, distkey: i === distkey })), diststyle: style, distkey: style === 'KEY' ? distkey : -1 };
  s.engine.catalog.replace(def, changed);
  s.writeData(changed, redistribute(s, changed, old));
  return done('ALTER TABLE');
}

/** ALTER [COMPOUND] SORTKEY (c, ...) | ALTER SORTKEY AUTO | NONE: records the key and re-sorts. */
function alterSortkey(s: Session, r: Extract<RedshiftStatement, { type: 'alter_sortkey' }>): StatementResult {
  const def = tableOf(s, r.table.name, r.table.schema);
  const old = s.dataOf(def);
  // Redshift: ALTER SORTKEY can't change an INTERLEAVED key, nor make one.
  if (def.sortkey.style === 'INTERLEAVED' || r.sortkey.kind === 'INTERLEAVED') throw new SqlError(SqlState.featureNotSupported, 'ALTER SORTKEY is not supported for interleaved sort keys');
  const cols = r.sortkey.columns.map((name) => {
    const i = def.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`);
    return i;
  });
  const changed: TableDef = {
    ...def,
    sortkey: { style: r.sortkey.kind === 'NONE' ? 'NONE' : r.sortkey.kind, columns: cols },
    columns: def.columns.map((c, i) => ({ ...c, sortkeyOrd: cols.indexOf(i) + 1 })),
  };
  s.engine.catalog.replace(def, changed);
  s.writeData(changed, cols.length ? vacuumData(s, changed, old, true) : old);
  return done('ALTER TABLE');
}

export { CHUNK_ROWS };
