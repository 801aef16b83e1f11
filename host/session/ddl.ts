// DDL statements: CREATE/DROP TABLE (with Redshift's DISTSTYLE, DISTKEY, SORTKEY, ENCODE, IDENTITY,
// BACKUP attributes), CREATE TABLE AS, CREATE/DROP VIEW, CREATE/DROP SCHEMA, ALTER TABLE RENAME.
import { type Batch, vectorFromValues } from '../batch/vector.js';
import { commentOn } from '../catalog/system-views.js';
import { resolveTypeName } from '../bind/type-names.js';
import { isTempSchema, type ColumnDef, type DistStyle, type TableDef } from '../catalog/catalog.js';
import { SqlError, SqlState, unsupported } from '../common/errors.js';
import { castVector } from '../functions/cast.js';
import type { ParsedStatement } from '../front/parse.js';
import { colsOf } from '../plan/logical.js';
import { checkColumnEncoding } from '../storage/encoding/registry.js';
import { appendRows, emptyTableData } from '../storage/table-data.js';
import { T, type SqlType } from '../types/sql-type.js';
import type { ExecuteOptions, StatementResult } from './api.js';
import type { Session } from './session.js';

const done = (command: string, notices?: { code: string; message: string }[]): StatementResult => ({ command, rowCount: 0, fields: null, rows: [], ...(notices?.length ? { notices } : {}) });

/** Redshift's default encodings (CREATE TABLE "Column compression"): AZ64 for numbers and times, LZO for strings, RAW for sort keys, booleans, reals and doubles. */
export function defaultEncoding(t: SqlType, inSortKey: boolean): string {
  if (inSortKey) return 'RAW';
  switch (t.id) {
    case 'int2': case 'int4': case 'int8': case 'numeric': case 'date': case 'timestamp': case 'timestamptz': return 'AZ64';
    case 'bpchar': case 'varchar': case 'text': return 'LZO';
    default: return 'RAW';
  }
}


export async function executeDdl(s: Session, ast: any, st: ParsedStatement, params: readonly unknown[], options: ExecuteOptions, signal: AbortSignal): Promise<StatementResult> {
  const key = Object.keys(ast)[0]!;
  const n = ast[key];
  const cat = s.engine.catalog;
  switch (key) {
    case 'CreateStmt': {
      const rv = n.relation;
      const temp = rv.relpersistence === 't' || (st.redshift.hashTempTables?.length ?? 0) > 0 && String(rv.relname).startsWith('#') || namesTempSchema(rv);
      const schema = tableSchema(s, rv, temp);
      if (cat.find(rv.relname, schema, s.searchPath())) {
        if (n.if_not_exists) return done('CREATE TABLE', [{ code: '42P07', message: `relation "${rv.relname}" already exists, skipping` }]);
        throw new SqlError(SqlState.duplicateTable, `relation "${rv.relname}" already exists`);
      }
      if (n.inhRelations) throw unsupported('INHERITS');
      const columns: ColumnDef[] = [];
      const primaryKey: string[] = [];
      let like: LikeParent | undefined;
      for (const elt of n.tableElts ?? []) {
        if (elt.TableLikeClause) {
          const src = cat.get(elt.TableLikeClause.relation.relname, elt.TableLikeClause.relation.schemaname, s.searchPath());
          if (src.kind !== 'table') throw new SqlError(SqlState.wrongObjectType, `"${src.name}" is not a table`);
          // Redshift "CREATE TABLE" LIKE: the new table inherits the parent's encodings, distribution key
          // and sort key (unless the statement gives its own) and NOT NULL attributes.
          like ??= { parent: src, offset: columns.length };
          for (const c of src.columns) columns.push({ ...c, distkey: false, sortkeyOrd: 0, identity: c.identity ? { ...c.identity } : undefined } as ColumnDef);
          continue;
        }
        if (elt.Constraint) {
          const c = elt.Constraint;
          if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') primaryKey.push(...(c.keys ?? []).map((k: any) => k.String.sval));
          continue;
        }
        const cd = elt.ColumnDef;
        if (!cd) continue;
        if (columns.some((c) => c.name === cd.colname)) throw new SqlError(SqlState.duplicateColumn, `column "${cd.colname}" specified more than once`);
        const type = resolveTypeName(cd.typeName, true);
        const col: ColumnDef = { name: cd.colname, type, notNull: false, encode: '', distkey: false, sortkeyOrd: 0 };
        for (const con of cd.constraints ?? []) {
          const c = con.Constraint;
          switch (c.contype) {
            case 'CONSTR_NOTNULL': col.notNull = true; break;
            case 'CONSTR_NULL': break;
            case 'CONSTR_DEFAULT': col.defaultSql = exprText(st.text, c.raw_expr); break;
            case 'CONSTR_PRIMARY': col.notNull = true; primaryKey.push(cd.colname); break;
            case 'CONSTR_UNIQUE': primaryKey.push(cd.colname); break;
            case 'CONSTR_IDENTITY': col.identity = { seed: 1n, step: 1n, next: 1n }; break;
            case 'CONSTR_FOREIGN': case 'CONSTR_CHECK': break;
            default: break;
          }
        }
        const attrs = st.redshift.columns[cd.colname];
        if (attrs?.identity) {
          if (type.id !== 'int4' && type.id !== 'int8') throw new SqlError(SqlState.invalidTableDefinition, 'Identity column must be of type INTEGER or BIGINT');
          col.identity = { seed: attrs.identity.seed, step: attrs.identity.step, next: attrs.identity.seed };
        }
        // ENCODE AUTO leaves the choice to buildTableDef's defaults, which know the sort key.
        if (attrs?.encode) col.encode = checkColumnEncoding(attrs.encode, type, cd.colname, () => '');
        columns.push(col);
      }
      if (columns.length === 0) throw new SqlError(SqlState.invalidTableDefinition, 'Table must have at least one column');
      const def = buildTableDef(s, rv.relname, schema, columns, st, temp, primaryKey, like);
      cat.add(def);
      s.writeData(def, emptyTableData(def, s.engine.slices));
      return done('CREATE TABLE');
    }
    case 'CreateTableAsStmt': {
      if (n.objtype === 'OBJECT_MATVIEW') throw unsupported('CREATE MATERIALIZED VIEW');
      const into = n.into;
      const rv = into.rel;
      const temp = rv.relpersistence === 't' || namesTempSchema(rv);
      const schema = tableSchema(s, rv, temp);
      if (cat.find(rv.relname, schema, s.searchPath())) {
        if (n.if_not_exists) return done('SELECT', [{ code: '42P07', message: `relation "${rv.relname}" already exists, skipping` }]);
        throw new SqlError(SqlState.duplicateTable, `relation "${rv.relname}" already exists`);
      }
      const { batch, fields } = await s.selectBatch(st, n.query.SelectStmt, params, options, signal);
      const names: string[] = into.colNames ? into.colNames.map((c: any) => c.String.sval) : [];
      const columns: ColumnDef[] = fields.map((f, i) => ({
        name: names[i] ?? f.name, type: ctasType(f.type), notNull: false, encode: '', distkey: false, sortkeyOrd: 0,
      }));
      const seen = new Set<string>();
      for (const c of columns) { if (seen.has(c.name)) throw new SqlError(SqlState.duplicateColumn, `column "${c.name}" specified more than once`); seen.add(c.name); }
      const def = buildTableDef(s, rv.relname, schema, columns, st, temp, []);
      cat.add(def);
      const conformed: Batch = { length: batch.length, columns: batch.columns.map((v, i) => castVector(v, columns[i]!.type, batch.length, 'explicit')) };
      const data = appendRows(def, emptyTableData(def, s.engine.slices), conformed, s.engine.store);
      s.writeData(def, data);
      return { command: 'SELECT', rowCount: batch.length, fields: null, rows: [] };
    }
    case 'ViewStmt': {
      const rv = n.view;
      const sql = viewSql(st.text);
      // Bind now so a bad view fails at CREATE (late-binding views skip this, as in Redshift).
      const late = /with\s+no\s+schema\s+binding\s*$/i.test(st.text.trim());
      const aliases: string[] = (n.aliases ?? []).map((a: any) => a.String.sval);
      let columns: { name: string; type: SqlType }[] = [];
      let readsTemp = false;
      if (!late) {
        const bound = s.newBinder([], undefined, (r) => { readsTemp ||= isTempSchema(r.schema); }).bindQuery(n.query.SelectStmt);
        columns = colsOf(bound.root).filter((c) => !c.hidden).map((c, i) => ({ name: aliases[i] ?? c.name, type: c.type.id === 'unknown' ? T.text : c.type }));
      }
      // A view that reads a temporary table is temporary itself and ends with the session
      // (PostgreSQL "CREATE VIEW", TEMPORARY: "view will be a temporary view").
      const temp = rv.relpersistence === 't' || readsTemp || namesTempSchema(rv);
      const notices = temp && rv.relpersistence !== 't' ? [{ code: '00000', message: `view "${rv.relname}" will be a temporary view` }] : [];
      const schema = tableSchema(s, rv, temp);
      const existing = cat.find(rv.relname, schema, s.searchPath());
      if (existing) {
        if (!n.replace || existing.kind !== 'view') throw new SqlError(SqlState.duplicateTable, `relation "${rv.relname}" already exists`);
        cat.remove(existing);
      }
      // lateBinding: pg_get_late_binding_view_cols() resolves these views' columns when asked (host/catalog/system-views.ts).
      cat.add({ kind: 'view', oid: existing?.oid ?? cat.allocOid(), schema, name: rv.relname, sql, columns, owner: s.user, ...(late ? { lateBinding: true } : {}) });
      return done('CREATE VIEW', notices);
    }
    case 'DropStmt': {
      const notices: { code: string; message: string }[] = [];
      const kind = n.removeType;
      for (const obj of n.objects ?? []) {
        const parts: string[] = (obj.List?.items ?? [obj]).map((x: any) => x.String?.sval ?? x.sval);
        if (kind === 'OBJECT_SCHEMA') {
          const tables = cat.relationsList().filter((r) => r.schema === parts[0] && r.kind === 'table');
          cat.dropSchema(parts[0]!, !!n.missing_ok, n.behavior === 'DROP_CASCADE');
          // CASCADE took the schema's tables: their data goes with them.
          for (const t of tables) if (!cat.schemas.has(t.schema)) s.dropData(t as TableDef);
          continue;
        }
        const name = parts.at(-1)!;
        const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
        const rel = cat.find(name, schema, s.searchPath());
        const what = kind === 'OBJECT_VIEW' ? 'view' : 'table';
        if (!rel) {
          if (n.missing_ok) { notices.push({ code: '00000', message: `${what} "${name}" does not exist, skipping` }); continue; }
          throw new SqlError(SqlState.undefinedTable, `${what} "${name}" does not exist`);
        }
        if ((kind === 'OBJECT_VIEW') !== (rel.kind === 'view')) throw new SqlError(SqlState.wrongObjectType, `"${name}" is not a ${what}`, { hint: `Use DROP ${rel.kind === 'view' ? 'VIEW' : 'TABLE'} to remove a ${rel.kind}.` });
        cat.remove(rel);
        if (rel.kind === 'table') s.dropData(rel);
      }
      const tag = kind === 'OBJECT_SCHEMA' ? 'DROP SCHEMA' : kind === 'OBJECT_VIEW' ? 'DROP VIEW' : 'DROP TABLE';
      return done(tag, notices);
    }
    case 'CreateSchemaStmt': {
      cat.addSchema(n.schemaname, s.user, !!n.if_not_exists);
      return done('CREATE SCHEMA');
    }
    case 'RenameStmt': {
      if (n.renameType !== 'OBJECT_TABLE' && n.renameType !== 'OBJECT_VIEW' && n.renameType !== 'OBJECT_COLUMN') throw unsupported(`ALTER ... RENAME of ${n.renameType}`);
      const rel = cat.get(n.relation.relname, n.relation.schemaname, s.searchPath());
      if (n.renameType === 'OBJECT_COLUMN') {
        if (rel.kind !== 'table') throw unsupported('renaming view columns');
        const col = rel.columns.find((c) => c.name === n.subname);
        if (!col) throw new SqlError(SqlState.undefinedColumn, `column "${n.subname}" does not exist`);
        if (rel.columns.some((c) => c.name === n.newname)) throw new SqlError(SqlState.duplicateColumn, `column "${n.newname}" of relation "${rel.name}" already exists`);
        // A changed copy replaces the definition: other transactions keep the one they read.
        cat.replace(rel, { ...rel, columns: rel.columns.map((c) => (c === col ? { ...c, name: n.newname } : c)) });
        return done('ALTER TABLE');
      }
      cat.rename(rel, n.newname);
      return done(n.renameType === 'OBJECT_VIEW' ? 'ALTER VIEW' : 'ALTER TABLE');
    }
    case 'CommentStmt': commentOn(s, n); return done('COMMENT');
    case 'GrantStmt': return done(n.is_grant ? 'GRANT' : 'REVOKE');
    case 'VacuumStmt': return done(n.is_vacuumcmd ? 'VACUUM' : 'ANALYZE');
    case 'CreateRoleStmt': {
      const name = n.role;
      if (cat.users.has(name)) throw new SqlError(SqlState.duplicateObject, `user "${name}" already exists`);
      const pw = (n.options ?? []).find((o: any) => o.DefElem?.defname === 'password')?.DefElem?.arg?.String?.sval;
      cat.users.set(name, { oid: cat.allocOid(), name, superuser: false, createdb: false, ...(pw ? { password: pw } : {}) });
      cat.version++;
      return done(n.stmt_type === 'ROLESTMT_USER' ? 'CREATE USER' : 'CREATE ROLE');
    }
    case 'DropRoleStmt': {
      for (const r of n.roles ?? []) {
        const name = r.RoleSpec?.rolename;
        if (!cat.users.delete(name) && !n.missing_ok) throw new SqlError(SqlState.undefinedObject, `user "${name}" does not exist`);
      }
      cat.version++;
      return done('DROP USER');
    }
    default:
      throw unsupported(st.tag || key);
  }
}

function ctasType(t: SqlType): SqlType {
  if (t.id === 'unknown' || t.id === 'text') return { id: 'varchar', length: 256 };
  if (t.id === 'varchar' && (t.length ?? -1) < 0) return { id: 'varchar', length: 65535 };
  return t;
}

/** The table a CREATE TABLE (LIKE parent) copies, and where its columns start in the new table. */
interface LikeParent { parent: TableDef; offset: number }

/**
 * The schema a new table goes in: its own for a temporary table (made on first use: Redshift's
 * session-specific schema, which the user cannot name; PostgreSQL's pg_temp alias is accepted), else
 * the named one or the current schema.
 */
function tableSchema(s: Session, rv: { relname: string; schemaname?: string }, temp: boolean): string {
  if (!temp) return rv.schemaname ?? s.currentSchema();
  if (rv.schemaname !== undefined && rv.schemaname !== 'pg_temp' && rv.schemaname !== s.tempSchema) {
    if (isTempSchema(rv.schemaname)) throw new SqlError(SqlState.invalidTableDefinition, 'cannot create relations in temporary schemas of other sessions');
    throw new SqlError(SqlState.invalidTableDefinition, 'cannot create temporary relation in non-temporary schema');
  }
  s.engine.catalog.addSchema(s.tempSchema, s.user, true);
  return s.tempSchema;
}

/** Whether a CREATE names a temporary schema (pg_temp or a pg_temp_N): its relation is then temporary, as in PostgreSQL. */
function namesTempSchema(rv: { schemaname?: string }): boolean {
  return rv.schemaname !== undefined && (rv.schemaname === 'pg_temp' || isTempSchema(rv.schemaname));
}

function buildTableDef(s: Session, name: string, schema: string, columns: ColumnDef[], st: ParsedStatement, temp: boolean, pk: string[], like?: LikeParent): TableDef {
  const a = st.redshift;
  const colIndex = (c: string) => {
    const i = columns.findIndex((x) => x.name === c);
    if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${c}" named in key does not exist`);
    return i;
  };
  let distkey = -1;
  const inlineDist = Object.entries(a.columns).filter(([, v]) => v.distkey).map(([k]) => k);
  if (inlineDist.length > 1) throw new SqlError(SqlState.invalidTableDefinition, 'Multiple DISTKEY columns are not allowed');
  const inheritDist = like !== undefined && !a.diststyle && !a.distkey && inlineDist.length === 0;
  const distName = a.distkey ?? inlineDist[0];
  if (distName) distkey = colIndex(distName);
  else if (inheritDist && like.parent.diststyle === 'KEY' && like.parent.distkey >= 0) distkey = like.offset + like.parent.distkey;
  let diststyle: DistStyle = a.diststyle ?? (inheritDist ? like.parent.diststyle : distkey >= 0 ? 'KEY' : 'AUTO');
  if (diststyle === 'KEY' && distkey < 0) throw new SqlError(SqlState.invalidTableDefinition, 'DISTSTYLE KEY requires a DISTKEY column');
  if (diststyle !== 'KEY' && distkey >= 0) throw new SqlError(SqlState.invalidTableDefinition, `DISTKEY cannot be specified with DISTSTYLE ${diststyle}`);
  let sortCols: number[] = [];
  let sortStyle: TableDef['sortkey']['style'] = 'NONE';
  const inlineSort = Object.entries(a.columns).filter(([, v]) => v.sortkey).map(([k]) => k);
  if (a.sortkey) {
    sortStyle = a.sortkey.kind;
    sortCols = a.sortkey.columns.map(colIndex);
    if (sortStyle === 'INTERLEAVED' && sortCols.length > 8) throw new SqlError(SqlState.invalidTableDefinition, 'INTERLEAVED SORTKEY can have at most 8 columns');
  } else if (inlineSort.length) { sortStyle = 'COMPOUND'; sortCols = inlineSort.map(colIndex); }
  else if (like && like.parent.sortkey.style !== 'NONE') { sortStyle = like.parent.sortkey.style; sortCols = like.parent.sortkey.columns.map((c) => like.offset + c); }
  if (sortCols.length > 400) throw new SqlError(SqlState.invalidTableDefinition, 'SORTKEY can have at most 400 columns');
  sortCols.forEach((c, i) => { columns[c]!.sortkeyOrd = sortStyle === 'INTERLEAVED' ? (i % 2 === 0 ? i + 1 : -(i + 1)) : i + 1; });
  if (distkey >= 0) columns[distkey]!.distkey = true;
  for (const c of columns) if (!c.encode) c.encode = defaultEncoding(c.type, c.sortkeyOrd !== 0);
  return {
    kind: 'table', oid: s.engine.catalog.allocOid(), schema, name, columns, diststyle, distkey,
    sortkey: { style: sortStyle, columns: sortCols }, temp, backup: a.backup ?? true, owner: s.user,
    primaryKey: pk.map((c) => columns.findIndex((x) => x.name === c)).filter((i) => i >= 0),
  };
}

/**
 * The text of a node of the statement (a DEFAULT expression), from its first location to the end
 * of the balanced expression: the next top-level comma or ')', or a column-constraint keyword.
 */
export function exprText(text: string, node: any): string {
  const loc = findLocation(node);
  if (loc < 0) return '';
  let depth = 0, i = loc, inStr = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (inStr) { if (ch === "'") inStr = text[i + 1] === "'" ? (i++, true) : false; continue; }
    if (ch === "'") { inStr = true; continue; }
    if (ch === '(') depth++;
    else if (ch === ')') { if (depth === 0) break; depth--; }
    else if (ch === ',' && depth === 0) break;
    else if (depth === 0 && /\s/.test(ch) && /^\s+(not\s+null|null|encode|primary|unique|references|distkey|sortkey|identity|collate|constraint|check)\b/i.test(text.slice(i))) break;
  }
  return text.slice(loc, i).trim();
}

function findLocation(node: any): number {
  let best = -1;
  const visit = (x: any) => {
    if (!x || typeof x !== 'object') return;
    if (typeof x.location === 'number' && x.location >= 0 && (best < 0 || x.location < best)) best = x.location;
    for (const v of Object.values(x)) visit(v);
  };
  visit(node);
  return best;
}

function viewSql(text: string): string {
  const m = /\bas\s+(\(?\s*(select|with|values)\b[\s\S]*)$/i.exec(text);
  if (!m) throw new SqlError(SqlState.syntaxError, 'CREATE VIEW needs AS SELECT');
  return m[1]!.replace(/\s+with\s+no\s+schema\s+binding\s*$/i, '').trim();
}

