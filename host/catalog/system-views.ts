// System relations computed from the live catalog: the pg_catalog and information_schema tables
// clients read (psql's \d family, JDBC/ODBC metadata, SQLAlchemy, dbt), and Redshift's PG_TABLE_DEF,
// SVV_* and STL_* views. Each is built as a VALUES plan over the catalog at bind time, so it always
// shows the current state; the leader runs it without dispatching to slices.
import type { Binder } from '../bind/binder.js';
import type { Expr } from '../plan/expr.js';
import type { Col, LNode } from '../plan/logical.js';
import { formatType, T, TypeOid, typeLength, typmodOf, type SqlType, type TypeId } from '../types/sql-type.js';
import type { ParsedStatement } from '../front/parse.js';
import type { Session } from '../session/session.js';
import { SqlError, SqlState } from '../common/errors.js';
import type { Catalog, Relation, TableDef, ViewDef } from './catalog.js';
import { loadErrorViewRows } from '../load/load-errors.js';
import { blocksOf, BLOCK_BYTES, tableBlocks, type BlockRow } from '../storage/block-info.js';
import { sortedPercent, statsOff } from '../session/maintenance.js';

type Row = unknown[];
interface SysRel {
  cols: [string, SqlType][];
  rows(s: Session): Row[];
  /** pg_class.relkind of the relation itself: 'r' for PostgreSQL's catalog tables, 'v' otherwise. */
  kind: 'r' | 'v';
}

const name = T.name;
const oid = T.oid;
const text = T.text;
const bool = T.bool;
const int2 = T.int2;
const int4 = T.int4;
const int8 = T.int8;
/** PostgreSQL's one-byte "char" columns (relkind, contype, ...) are CHAR(1) here. */
const char = T.bpchar(1);
const varchar = T.varchar;

// ---------------------------------------------------------------- fixed oids

/** The pg_catalog schema's oid, as PostgreSQL assigns it. */
export const PG_CATALOG_OID = 11;
/** Owner of built-in objects (the bootstrap superuser, rdsdb in Redshift). */
const BOOTSTRAP_USER = 1;
/** The btree access method (pg_am). */
const BTREE_AM = 403;
/** Synthetic oid ranges for objects derived from a table: the informational primary key's "index" and constraint, view rules, defaults. */
const PKEY_INDEX_BASE = 0x40000000;
const PKEY_CONSTRAINT_BASE = 0x50000000;
const REWRITE_BASE = 0x30000000;
const ATTRDEF_BASE = 0x20000000;
export const pkeyIndexOid = (table: number): number => PKEY_INDEX_BASE + table;
export const pkeyConstraintOid = (table: number): number => PKEY_CONSTRAINT_BASE + table;

/** Encodings as pg_attribute.attencodingtype numbers them; format_encoding() maps them back. */
export const ENCODINGS = ['none', 'bytedict', 'delta', 'delta32k', 'lzo', 'mostly8', 'mostly16', 'mostly32', 'runlength', 'text255', 'text32k', 'zstd', 'az64'] as const;
export function encodingNumber(encode: string): number {
  const e = encode.toLowerCase();
  const i = (ENCODINGS as readonly string[]).indexOf(e === 'raw' ? 'none' : e);
  return i < 0 ? 0 : i;
}
/** The encoding name Redshift shows: RAW shows as `none`, as PG_TABLE_DEF prints it. */
export function encodingName(encode: string): string { return ENCODINGS[encodingNumber(encode)]!; }

// ---------------------------------------------------------------- pg_type

/** One pg_type row: the types wasmshift knows (host/types/sql-type.ts TypeOid) plus those the catalog itself uses. */
export interface PgType {
  oid: number; name: string; len: number; byval: boolean; type: 'b' | 'p';
  category: string; input: string; output: string; elem: number; array: number; align: 'c' | 's' | 'i' | 'd';
  collation: number; id?: TypeId;
}

function base(o: number, n: string, len: number, category: string, input: string, output: string, array: number, align: PgType['align'], id?: TypeId, collation = 0, type: 'b' | 'p' = 'b'): PgType {
  return { oid: o, name: n, len, byval: len > 0 && len <= 8, type, category, input, output, elem: 0, array, align, collation, ...(id ? { id } : {}) };
}

// typinput/typoutput names as PostgreSQL has them (pg_type.dat).
const BASE_TYPES: PgType[] = [
  base(16, 'bool', 1, 'B', 'boolin', 'boolout', 1000, 'c', 'bool'),
  base(17, 'bytea', -1, 'U', 'byteain', 'byteaout', 1001, 'i', 'bytea'),
  base(18, 'char', 1, 'Z', 'charin', 'charout', 1002, 'c'),
  base(19, 'name', 64, 'S', 'namein', 'nameout', 1003, 'c', 'name', 950),
  base(20, 'int8', 8, 'N', 'int8in', 'int8out', 1016, 'd', 'int8'),
  base(21, 'int2', 2, 'N', 'int2in', 'int2out', 1005, 's', 'int2'),
  { ...base(22, 'int2vector', -1, 'A', 'int2vectorin', 'int2vectorout', 1006, 'i'), elem: 21 },
  base(23, 'int4', 4, 'N', 'int4in', 'int4out', 1007, 'i', 'int4'),
  base(24, 'regproc', 4, 'N', 'regprocin', 'regprocout', 1008, 'i'),
  base(25, 'text', -1, 'S', 'textin', 'textout', 1009, 'i', 'text', 100),
  base(26, 'oid', 4, 'N', 'oidin', 'oidout', 1028, 'i', 'oid'),
  { ...base(30, 'oidvector', -1, 'A', 'oidvectorin', 'oidvectorout', 1013, 'i'), elem: 26 },
  base(700, 'float4', 4, 'N', 'float4in', 'float4out', 1021, 'i', 'float4'),
  base(701, 'float8', 8, 'N', 'float8in', 'float8out', 1022, 'd', 'float8'),
  base(705, 'unknown', -2, 'X', 'unknownin', 'unknownout', 0, 'c', 'unknown', 0, 'p'),
  base(1042, 'bpchar', -1, 'S', 'bpcharin', 'bpcharout', 1014, 'i', 'bpchar', 100),
  base(1043, 'varchar', -1, 'S', 'varcharin', 'varcharout', 1015, 'i', 'varchar', 100),
  base(1082, 'date', 4, 'D', 'date_in', 'date_out', 1182, 'i', 'date'),
  base(1083, 'time', 8, 'D', 'time_in', 'time_out', 1183, 'd', 'time'),
  base(1114, 'timestamp', 8, 'D', 'timestamp_in', 'timestamp_out', 1115, 'd', 'timestamp'),
  base(1184, 'timestamptz', 8, 'D', 'timestamptz_in', 'timestamptz_out', 1185, 'd', 'timestamptz'),
  base(1186, 'interval', 16, 'T', 'interval_in', 'interval_out', 1187, 'd', 'interval'),
  base(1266, 'timetz', 12, 'D', 'timetz_in', 'timetz_out', 1270, 'd', 'timetz'),
  base(1700, 'numeric', -1, 'N', 'numeric_in', 'numeric_out', 1231, 'i', 'numeric'),
  base(2205, 'regclass', 4, 'N', 'regclassin', 'regclassout', 2210, 'i'),
  base(2206, 'regtype', 4, 'N', 'regtypein', 'regtypeout', 2211, 'i'),
  base(2249, 'record', -1, 'P', 'record_in', 'record_out', 2287, 'd', undefined, 0, 'p'),
  base(2277, 'anyarray', -1, 'P', 'anyarray_in', 'anyarray_out', 0, 'd', undefined, 0, 'p'),
  base(2278, 'void', 4, 'P', 'void_in', 'void_out', 0, 'i', undefined, 0, 'p'),
  base(2279, 'trigger', 4, 'P', 'trigger_in', 'trigger_out', 0, 'i', undefined, 0, 'p'),
  base(2283, 'anyelement', 4, 'P', 'anyelement_in', 'anyelement_out', 0, 'i', undefined, 0, 'p'),
];

/** Every pg_type row: base types, then the array type of each base type that has one (typcategory 'A'). */
export const PG_TYPES: PgType[] = [
  ...BASE_TYPES,
  ...BASE_TYPES.filter((t) => t.array > 0).map((t): PgType => ({
    oid: t.array, name: `_${t.name}`, len: -1, byval: false, type: 'b', category: 'A', input: 'array_in', output: 'array_out',
    elem: t.oid, array: 0, align: t.align === 'd' ? 'd' : 'i', collation: t.collation,
  })),
];
const TYPE_BY_OID = new Map(PG_TYPES.map((t) => [t.oid, t]));
export function pgTypeByOid(o: number): PgType | undefined { return TYPE_BY_OID.get(o); }

/** Looks a type up by the names regtype accepts: `integer`, `int4`, `pg_catalog.varchar`, `text[]`. */
export function pgTypeByName(n: string): PgType | undefined {
  const aliases: Record<string, string> = {
    integer: 'int4', int: 'int4', smallint: 'int2', bigint: 'int8', boolean: 'bool', real: 'float4', 'double precision': 'float8',
    'character varying': 'varchar', character: 'bpchar', char: 'bpchar', '"char"': 'char', decimal: 'numeric', 'timestamp without time zone': 'timestamp',
    'timestamp with time zone': 'timestamptz', 'time without time zone': 'time', 'time with time zone': 'timetz',
  };
  const k = n.trim().toLowerCase().replace(/^pg_catalog\./, '').replace(/\(.*\)$/, '');
  const arr = k.endsWith('[]');
  const bare = arr ? k.slice(0, -2) : k;
  const t = PG_TYPES.find((x) => x.name === (aliases[bare] ?? bare));
  if (!t || !arr) return t;
  return TYPE_BY_OID.get(t.array);
}

/** format_type(oid, typmod) as PostgreSQL prints it: `character varying(64)`, `numeric(12,2)`, `integer[]`. */
export function formatTypeOid(typeOid: number, typmod: number | null): string {
  const t = TYPE_BY_OID.get(typeOid);
  if (!t) return '???';
  if (t.category === 'A' && t.name.startsWith('_')) return `${formatTypeOid(t.elem, typmod)}[]`;
  const mod = typmod ?? -1;
  switch (t.oid) {
    case 1042: return mod >= 4 ? `character(${mod - 4})` : typmod === null ? 'bpchar' : 'character';
    case 1043: return mod >= 4 ? `character varying(${mod - 4})` : 'character varying';
    case 1700: return mod >= 4 ? `numeric(${(mod - 4) >> 16},${(mod - 4) & 0xffff})` : 'numeric';
    case 18: return '"char"';
    default: break;
  }
  if (t.id) return formatType({ id: t.id });
  return t.name;
}

// ---------------------------------------------------------------- helpers over the catalog

function tables(s: Session): TableDef[] { return s.engine.catalog.relationsList().filter((r): r is TableDef => r.kind === 'table'); }
function views(s: Session): ViewDef[] { return s.engine.catalog.relationsList().filter((r): r is ViewDef => r.kind === 'view'); }
export function userOid(s: Session, user: string): number { return s.engine.catalog.users.get(user)?.oid ?? BOOTSTRAP_USER; }
function schemaOid(s: Session, schema: string): number { return s.engine.catalog.schemas.get(schema)?.oid ?? 0; }

/** Columns of a relation with their SqlType and DEFAULT text (Redshift's `"identity"(...)` form for IDENTITY). */
export function relationColumns(r: Relation): { name: string; type: SqlType; notNull: boolean; def?: string }[] {
  if (r.kind === 'view') return r.columns.map((c) => ({ name: c.name, type: c.type, notNull: false }));
  return r.columns.map((c, i) => {
    const d = c.identity ? `"identity"(${r.oid}, ${i}, '${c.identity.seed},${c.identity.step}'::text)` : c.defaultSql;
    return d === undefined ? { name: c.name, type: c.type, notNull: c.notNull } : { name: c.name, type: c.type, notNull: c.notNull, def: d };
  });
}

/** pg_class.reldiststyle (Redshift "PG_CLASS_INFO"): 0 EVEN, 1 KEY, 8 ALL, 10/11/12 AUTO(ALL/EVEN/KEY). */
export function distStyleNumber(s: Session, t: TableDef): number {
  if (t.diststyle === 'EVEN') return 0;
  if (t.diststyle === 'KEY') return 1;
  if (t.diststyle === 'ALL') return 8;
  const eff = s.dataOf(t).style;
  return eff === 'ALL' ? 10 : eff === 'EVEN' ? 11 : 12;
}

/** An estimate of a table's stored bytes: fixed widths per value, 16 bytes per variable-width value. */
export function tableBytes(s: Session, t: TableDef): number {
  const width = t.columns.reduce((n, c) => n + (typeLength(c.type) > 0 ? typeLength(c.type) : 16), 0);
  return s.dataOf(t).rows * width;
}

/** Column positions (1-based) of a table's primary key. */
function pkColumns(t: TableDef): number[] { return t.primaryKey.map((i) => i + 1); }

function pgTypeOf(t: SqlType): number { return TypeOid[t.id] ?? 25; }

/** Injected by the session: parses SQL text to a ParsedStatement (avoids an import cycle with front/). */
export const VIEW_PARSER: { parse?: (sql: string) => ParsedStatement | undefined } = {};

/** Relations a view's SQL reads, found by walking the RangeVar nodes of its parse tree. */
export function viewDependencies(s: Session, v: ViewDef): Relation[] {
  const out: Relation[] = [];
  const seen = new Set<number>();
  let ast: unknown;
  try { ast = VIEW_PARSER.parse?.(v.sql)?.ast; } catch { return out; }
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const o = n as Record<string, unknown>;
    const rv = o.RangeVar as { relname?: string; schemaname?: string } | undefined;
    if (rv?.relname) {
      const r = s.engine.catalog.find(rv.relname, rv.schemaname, [v.schema, ...s.searchPath()]);
      if (r && !seen.has(r.oid)) { seen.add(r.oid); out.push(r); }
    }
    for (const x of Object.values(o)) visit(x);
  };
  visit(ast);
  return out;
}

/** Sessions of the engine (duck-typed: the engine keeps them as a set of pending-data holders). */
export function liveSessions(s: Session): Session[] {
  return [...s.engine.sessions].filter((x): x is Session => typeof (x as Partial<Session>).pid === 'number' && typeof (x as Partial<Session>).getSetting === 'function');
}

// ---------------------------------------------------------------- the relations

const R: Record<string, SysRel> = {};
function rel(key: string, cols: [string, SqlType][], rows: (s: Session) => Row[], kind: 'r' | 'v' = 'v'): void { R[key] = { cols, rows, kind }; }

rel('pg_catalog.pg_namespace', [['oid', oid], ['nspname', name], ['nspowner', int4], ['nspacl', text]],
  (s) => [...s.engine.catalog.schemas.values()].map((n) => [n.oid, n.name, userOid(s, n.owner), null]), 'r');

interface ClassOpts { tuples?: number; pages?: number; persistence?: string; hasIndex?: boolean; pkey?: boolean; rules?: boolean; dist?: number; am?: number }
rel('pg_catalog.pg_class', [
  ['oid', oid], ['relname', name], ['relnamespace', oid], ['reltype', oid], ['reloftype', oid], ['relowner', int4], ['relam', oid],
  ['relfilenode', oid], ['reltablespace', oid], ['relpages', int4], ['reltuples', T.float4], ['relallvisible', int4], ['reltoastrelid', oid],
  ['relhasindex', bool], ['relisshared', bool], ['relpersistence', char], ['relkind', char], ['relnatts', int2], ['relchecks', int2],
  ['relhasoids', bool], ['relhaspkey', bool], ['relhasrules', bool], ['relhastriggers', bool], ['relhassubclass', bool],
  ['relrowsecurity', bool], ['relforcerowsecurity', bool], ['relispopulated', bool], ['relreplident', char], ['relispartition', bool],
  ['relacl', text], ['reloptions', text], ['relpartbound', text], ['reldiststyle', int2],
], (s) => {
  const rows: Row[] = [];
  const mk = (o: number, n: string, ns: number, owner: number, kind: string, natts: number, x: ClassOpts = {}): Row =>
    [o, n, ns, 0, 0, owner, x.am ?? 0, o, 0, x.pages ?? 0, x.tuples ?? 0, 0, 0, x.hasIndex ?? false, false, x.persistence ?? 'p', kind, natts, 0,
      false, x.pkey ?? false, x.rules ?? false, false, false, false, false, true, 'd', false, null, null, null, x.dist ?? 0];
  for (const r of s.engine.catalog.relationsList()) {
    const ns = schemaOid(s, r.schema), owner = userOid(s, r.owner);
    if (r.kind === 'view') { rows.push(mk(r.oid, r.name, ns, owner, 'v', r.columns.length, { rules: true })); continue; }
    const pk = r.primaryKey.length > 0;
    const persistence = r.temp ? 't' : 'p';
    rows.push(mk(r.oid, r.name, ns, owner, 'r', r.columns.length, { tuples: s.dataOf(r).rows, pages: Math.ceil(tableBytes(s, r) / 8192), persistence, hasIndex: pk, pkey: pk, dist: distStyleNumber(s, r) }));
    if (pk) rows.push(mk(pkeyIndexOid(r.oid), `${r.name}_pkey`, ns, owner, 'i', r.primaryKey.length, { am: BTREE_AM, persistence }));
  }
  for (const [key, sr] of Object.entries(R)) {
    if (key.endsWith('()')) continue;
    const [schema, n] = key.split('.') as [string, string];
    rows.push(mk(SYSTEM_OIDS.get(key)!, n, schemaOid(s, schema), BOOTSTRAP_USER, sr.kind, sr.cols.length));
  }
  return rows;
}, 'r');

interface AttOpts { notNull?: boolean; hasDef?: boolean; dist?: boolean; sort?: number; enc?: number }
rel('pg_catalog.pg_attribute', [
  ['attrelid', oid], ['attname', name], ['atttypid', oid], ['attstattarget', int4], ['attlen', int2], ['attnum', int2], ['attndims', int4],
  ['attcacheoff', int4], ['atttypmod', int4], ['attbyval', bool], ['attstorage', char], ['attalign', char], ['attnotnull', bool],
  ['atthasdef', bool], ['atthasmissing', bool], ['attidentity', char], ['attgenerated', char], ['attisdropped', bool], ['attislocal', bool],
  ['attinhcount', int4], ['attcollation', oid], ['attacl', text], ['attoptions', text], ['attfdwoptions', text],
  ['attisdistkey', bool], ['attsortkeyord', int4], ['attencodingtype', int2],
], (s) => {
  const rows: Row[] = [];
  const mk = (relOid: number, n: string, t: SqlType, num: number, o: AttOpts = {}): Row => {
    const pt = TYPE_BY_OID.get(pgTypeOf(t));
    return [relOid, n, pgTypeOf(t), -1, pt?.len ?? -1, num, 0, -1, typmodOf(t), pt?.byval ?? false, pt && pt.len > 0 ? 'p' : 'x', pt?.align ?? 'i',
      o.notNull ?? false, o.hasDef ?? false, false, '', '', false, true, 0, pt?.collation ?? 0, null, null, null, o.dist ?? false, o.sort ?? 0, o.enc ?? 0];
  };
  for (const r of s.engine.catalog.relationsList()) {
    if (r.kind === 'view') { r.columns.forEach((c, i) => rows.push(mk(r.oid, c.name, c.type, i + 1))); continue; }
    // Interleaved sort key columns have negative attsortkeyord (Redshift "PG_ATTRIBUTE_INFO").
    r.columns.forEach((c, i) => rows.push(mk(r.oid, c.name, c.type, i + 1, {
      notNull: c.notNull, hasDef: c.defaultSql !== undefined || c.identity !== undefined, dist: c.distkey,
      sort: r.sortkey.style === 'INTERLEAVED' && c.sortkeyOrd > 0 ? -c.sortkeyOrd : c.sortkeyOrd, enc: encodingNumber(c.encode),
    })));
    r.primaryKey.forEach((ci, k) => rows.push(mk(pkeyIndexOid(r.oid), r.columns[ci]!.name, r.columns[ci]!.type, k + 1)));
  }
  for (const [key, sr] of Object.entries(R)) {
    if (key.endsWith('()')) continue;
    sr.cols.forEach(([n, t], i) => rows.push(mk(SYSTEM_OIDS.get(key)!, n, t, i + 1)));
  }
  return rows;
}, 'r');

rel('pg_catalog.pg_type', [
  ['oid', oid], ['typname', name], ['typnamespace', oid], ['typowner', int4], ['typlen', int2], ['typbyval', bool], ['typtype', char],
  ['typcategory', char], ['typispreferred', bool], ['typisdefined', bool], ['typdelim', char], ['typrelid', oid], ['typelem', oid],
  ['typarray', oid], ['typinput', name], ['typoutput', name], ['typreceive', name], ['typsend', name], ['typmodin', name], ['typmodout', name],
  ['typanalyze', name], ['typalign', char], ['typstorage', char], ['typnotnull', bool], ['typbasetype', oid], ['typtypmod', int4],
  ['typndims', int4], ['typcollation', oid], ['typdefaultbin', text], ['typdefault', text], ['typacl', text],
], () => PG_TYPES.map((t) => [
  t.oid, t.name, PG_CATALOG_OID, BOOTSTRAP_USER, t.len, t.byval, t.type, t.category, false, true, ',', 0, t.elem, t.array, t.input, t.output,
  t.input.replace(/_?in$/, 'recv'), t.output.replace(/_?out$/, 'send'), '-', '-', '-', t.align, t.len > 0 ? 'p' : 'x', false, 0, -1, 0, t.collation, null, null, null,
]), 'r');

rel('pg_catalog.pg_attrdef', [['oid', oid], ['adrelid', oid], ['adnum', int2], ['adbin', text], ['adsrc', text]],
  (s) => tables(s).flatMap((t) => relationColumns(t).flatMap((c, i) => (c.def === undefined ? [] : [[ATTRDEF_BASE + (((t.oid % 0x100000) * 1600 + i) % 0x10000000), t.oid, i + 1, c.def, c.def]]))), 'r');

// Primary keys are informational in Redshift, but clients find them through pg_constraint and pg_index.
rel('pg_catalog.pg_constraint', [
  ['oid', oid], ['conname', name], ['connamespace', oid], ['contype', char], ['condeferrable', bool], ['condeferred', bool], ['convalidated', bool],
  ['conrelid', oid], ['contypid', oid], ['conindid', oid], ['conparentid', oid], ['confrelid', oid], ['confupdtype', char], ['confdeltype', char],
  ['confmatchtype', char], ['conislocal', bool], ['coninhcount', int4], ['connoinherit', bool], ['conkey', text], ['confkey', text],
  ['conpfeqop', text], ['conppeqop', text], ['conffeqop', text], ['conexclop', text], ['conbin', text], ['consrc', text],
], (s) => tables(s).filter((t) => t.primaryKey.length > 0).map((t) => [
  pkeyConstraintOid(t.oid), `${t.name}_pkey`, schemaOid(s, t.schema), 'p', false, false, true, t.oid, 0, pkeyIndexOid(t.oid), 0, 0, ' ', ' ', ' ',
  true, 0, true, `{${pkColumns(t).join(',')}}`, null, null, null, null, null, null, null,
]), 'r');

rel('pg_catalog.pg_index', [
  ['indexrelid', oid], ['indrelid', oid], ['indnatts', int2], ['indnkeyatts', int2], ['indisunique', bool], ['indisprimary', bool],
  ['indisexclusion', bool], ['indimmediate', bool], ['indisclustered', bool], ['indisvalid', bool], ['indcheckxmin', bool], ['indisready', bool],
  ['indislive', bool], ['indisreplident', bool], ['indkey', text], ['indcollation', text], ['indclass', text], ['indoption', text],
  ['indexprs', text], ['indpred', text],
], (s) => tables(s).filter((t) => t.primaryKey.length > 0).map((t) => {
  const zeros = t.primaryKey.map(() => '0').join(' ');
  return [pkeyIndexOid(t.oid), t.oid, t.primaryKey.length, t.primaryKey.length, true, true, false, true, false, true, false, true, true, false,
    pkColumns(t).join(' '), zeros, zeros, zeros, null, null];
}), 'r');

// ---- COMMENT ON (PostgreSQL "COMMENT"): descriptions by (class oid, object oid, column number).

function commentMap(c: Catalog): Map<string, string> { return c.comments; }
/** pg_class, pg_namespace and pg_database as classoid values. */
export const CLASS_OIDS: Readonly<Record<string, number>> = { pg_class: 1259, pg_namespace: 2615, pg_database: 1262 };

/** Whether the object a comment is attached to still exists (comments of dropped objects disappear). */
function commentLive(s: Session, classoid: number, objoid: number, subid: number): boolean {
  const cat = s.engine.catalog;
  if (classoid === 1259) { const r = cat.byOid(objoid); return r !== undefined && subid <= r.columns.length; }
  if (classoid === 2615) return [...cat.schemas.values()].some((x) => x.oid === objoid);
  return classoid === 1262;
}

/** The description of an object (obj_description / col_description), or null. */
export function descriptionOf(s: Session, classoid: number | null, objoid: number, subid: number): string | null {
  for (const [k, v] of commentMap(s.engine.catalog)) {
    const [c, o, sub] = k.split(':').map(Number) as [number, number, number];
    if (o === objoid && sub === subid && (classoid === null || c === classoid) && commentLive(s, c, o, sub)) return v;
  }
  return null;
}

/** Runs COMMENT ON TABLE | VIEW | COLUMN | SCHEMA | DATABASE ... IS 'text' | NULL. */
export function commentOn(s: Session, node: { objtype: string; object: any; comment?: string }): void {
  const cat = s.engine.catalog;
  const items: string[] = node.object?.List?.items?.map((x: any) => x.String.sval) ?? [node.object?.String?.sval];
  const relation = (names: string[], want?: 'table' | 'view') => {
    const r = cat.get(names[names.length - 1]!, names.length > 1 ? names[names.length - 2] : undefined, s.searchPath());
    if (want && r.kind !== want) throw new SqlError(SqlState.wrongObjectType, `"${r.name}" is not a ${want}`);
    return r;
  };
  let key: string;
  switch (node.objtype) {
    case 'OBJECT_TABLE': key = `1259:${relation(items, 'table').oid}:0`; break;
    case 'OBJECT_VIEW': key = `1259:${relation(items, 'view').oid}:0`; break;
    case 'OBJECT_COLUMN': {
      const r = relation(items.slice(0, -1));
      const col = items[items.length - 1]!;
      const i = r.columns.findIndex((c) => c.name === col);
      if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${col}" of relation "${r.name}" does not exist`);
      key = `1259:${r.oid}:${i + 1}`;
      break;
    }
    case 'OBJECT_SCHEMA': {
      const sc = cat.schemas.get(items[0]!);
      if (!sc) throw new SqlError(SqlState.invalidSchemaName, `schema "${items[0]}" does not exist`);
      key = `2615:${sc.oid}:0`;
      break;
    }
    case 'OBJECT_DATABASE': key = '1262:1:0'; break;
    default: throw new SqlError(SqlState.featureNotSupported, `COMMENT ON ${String(node.objtype).replace(/^OBJECT_/, '')} is not supported`);
  }
  const m = commentMap(cat);
  if (node.comment === undefined || node.comment === null || node.comment === '') m.delete(key); else m.set(key, node.comment);
}

rel('pg_catalog.pg_description', [['objoid', oid], ['classoid', oid], ['objsubid', int4], ['description', text]],
  (s) => [...commentMap(s.engine.catalog)].flatMap(([k, v]) => {
    const [c, o, sub] = k.split(':').map(Number) as [number, number, number];
    return c !== 1262 && commentLive(s, c, o, sub) ? [[o, c, sub, v]] : [];
  }), 'r');
rel('pg_catalog.pg_shdescription', [['objoid', oid], ['classoid', oid], ['description', text]],
  (s) => [...commentMap(s.engine.catalog)].flatMap(([k, v]) => (k.startsWith('1262:') ? [[1, 1262, v]] : [])), 'r');

// Relations that exist so that clients' joins and LEFT JOINs succeed; wasmshift keeps none of these objects.
rel('pg_catalog.pg_inherits', [['inhrelid', oid], ['inhparent', oid], ['inhseqno', int4], ['inhdetachpending', bool]], () => [], 'r');
rel('pg_catalog.pg_enum', [['oid', oid], ['enumtypid', oid], ['enumsortorder', T.float4], ['enumlabel', name]], () => [], 'r');
rel('pg_catalog.pg_auth_members', [['roleid', oid], ['member', oid], ['grantor', oid], ['admin_option', bool]], () => [], 'r');
rel('pg_catalog.pg_operator', [['oid', oid], ['oprname', name], ['oprnamespace', oid], ['oprowner', int4], ['oprkind', char], ['oprleft', oid], ['oprright', oid], ['oprresult', oid], ['oprcode', name]], () => [], 'r');
rel('pg_catalog.pg_trigger', [['oid', oid], ['tgrelid', oid], ['tgname', name], ['tgfoid', oid], ['tgtype', int2], ['tgenabled', char], ['tgisinternal', bool], ['tgconstraint', oid]], () => [], 'r');
rel('pg_catalog.pg_policy', [['oid', oid], ['polname', name], ['polrelid', oid], ['polcmd', char], ['polpermissive', bool], ['polroles', text], ['polqual', text], ['polwithcheck', text]], () => [], 'r');
rel('pg_catalog.pg_statistic_ext', [['oid', oid], ['stxrelid', oid], ['stxname', name], ['stxnamespace', oid], ['stxowner', int4], ['stxkeys', text], ['stxkind', text]], () => [], 'r');
rel('pg_catalog.pg_publication', [['oid', oid], ['pubname', name], ['pubowner', int4], ['puballtables', bool]], () => [], 'r');
rel('pg_catalog.pg_sequence', [['seqrelid', oid], ['seqtypid', oid], ['seqstart', int8], ['seqincrement', int8], ['seqmax', int8], ['seqmin', int8], ['seqcache', int8], ['seqcycle', bool]], () => [], 'r');
rel('pg_catalog.pg_extension', [['oid', oid], ['extname', name], ['extowner', int4], ['extnamespace', oid], ['extrelocatable', bool], ['extversion', text], ['extconfig', text], ['extcondition', text]], () => [], 'r');
rel('pg_catalog.pg_cast', [['oid', oid], ['castsource', oid], ['casttarget', oid], ['castfunc', oid], ['castcontext', char], ['castmethod', char]], () => [], 'r');
rel('pg_catalog.pg_conversion', [['oid', oid], ['conname', name], ['connamespace', oid], ['conowner', int4], ['conforencoding', int4], ['contoencoding', int4], ['conproc', name], ['condefault', bool]], () => [], 'r');
rel('pg_catalog.pg_foreign_data_wrapper', [['oid', oid], ['fdwname', name], ['fdwowner', int4], ['fdwhandler', oid], ['fdwvalidator', oid], ['fdwacl', text], ['fdwoptions', text]], () => [], 'r');
rel('pg_catalog.pg_foreign_server', [['oid', oid], ['srvname', name], ['srvowner', int4], ['srvfdw', oid], ['srvtype', text], ['srvversion', text], ['srvacl', text], ['srvoptions', text]], () => [], 'r');
rel('pg_catalog.pg_db_role_setting', [['setdatabase', oid], ['setrole', oid], ['setconfig', text]], () => [], 'r');
rel('pg_catalog.pg_event_trigger', [['oid', oid], ['evtname', name], ['evtevent', name], ['evtowner', int4], ['evtfoid', oid], ['evtenabled', char], ['evttags', text]], () => [], 'r');
rel('pg_catalog.pg_am', [['oid', oid], ['amname', name], ['amhandler', name], ['amtype', char]], () => [[BTREE_AM, 'btree', 'bthandler', 'i'], [405, 'hash', 'hashhandler', 'i']], 'r');
rel('pg_catalog.pg_collation', [['oid', oid], ['collname', name], ['collnamespace', oid], ['collowner', int4], ['collprovider', char], ['collisdeterministic', bool], ['collencoding', int4], ['collcollate', name], ['collctype', name]],
  () => [[100, 'default', PG_CATALOG_OID, BOOTSTRAP_USER, 'd', true, -1, '', ''], [950, 'C', PG_CATALOG_OID, BOOTSTRAP_USER, 'c', true, -1, 'C', 'C'], [951, 'POSIX', PG_CATALOG_OID, BOOTSTRAP_USER, 'c', true, -1, 'POSIX', 'POSIX']], 'r');
rel('pg_catalog.pg_tablespace', [['oid', oid], ['spcname', name], ['spcowner', int4], ['spcacl', text], ['spcoptions', text]], () => [[1663, 'pg_default', BOOTSTRAP_USER, null, null], [1664, 'pg_global', BOOTSTRAP_USER, null, null]], 'r');
rel('pg_catalog.pg_language', [['oid', oid], ['lanname', name], ['lanowner', int4], ['lanispl', bool], ['lanpltrusted', bool]], () => [[12, 'internal', BOOTSTRAP_USER, false, false], [13, 'c', BOOTSTRAP_USER, false, false], [14, 'sql', BOOTSTRAP_USER, false, true]], 'r');

// Views as PostgreSQL stores them: a _RETURN rule per view, on which the view depends, and which depends on
// every relation the view reads (dbt's relation graph query reads these two).
rel('pg_catalog.pg_rewrite', [['oid', oid], ['rulename', name], ['ev_class', oid], ['ev_type', char], ['ev_enabled', char], ['is_instead', bool], ['ev_qual', text], ['ev_action', text]],
  (s) => views(s).map((v) => [REWRITE_BASE + v.oid, '_RETURN', v.oid, '1', 'O', true, '<>', v.sql]), 'r');
rel('pg_catalog.pg_depend', [['classid', oid], ['objid', oid], ['objsubid', int4], ['refclassid', oid], ['refobjid', oid], ['refobjsubid', int4], ['deptype', char]],
  (s) => views(s).flatMap((v) => [
    [2618, REWRITE_BASE + v.oid, 0, 1259, v.oid, 0, 'i'],
    ...viewDependencies(s, v).map((d) => [2618, REWRITE_BASE + v.oid, 0, 1259, d.oid, 0, 'n']),
  ]), 'r');

rel('pg_catalog.pg_database', [
  ['oid', oid], ['datname', name], ['datdba', int4], ['encoding', int4], ['datcollate', name], ['datctype', name], ['datistemplate', bool],
  ['datallowconn', bool], ['datconnlimit', int4], ['datlastsysoid', oid], ['datfrozenxid', int4], ['dattablespace', oid], ['datacl', text],
], (s) => [[1, s.database, userOid(s, 'rdsdb'), 6, 'C', 'C', false, true, -1, 0, 0, 1663, null]], 'r');

const roleCols: [string, SqlType][] = [
  ['rolname', name], ['rolsuper', bool], ['rolinherit', bool], ['rolcreaterole', bool], ['rolcreatedb', bool], ['rolcanlogin', bool],
  ['rolreplication', bool], ['rolconnlimit', int4], ['rolpassword', text], ['rolvaliduntil', T.timestamptz], ['rolbypassrls', bool],
  ['rolconfig', text], ['oid', oid],
];
// Passwords never show, not even their hashes.
const roleRows = (s: Session): Row[] => [...s.engine.catalog.users.values()].map((u) => [u.name, u.superuser, true, u.superuser, u.createdb, true, false, -1, '********', null, u.superuser, null, u.oid]);
rel('pg_catalog.pg_roles', roleCols, roleRows);
rel('pg_catalog.pg_authid', roleCols, roleRows, 'r');
const userCols: [string, SqlType][] = [['usename', name], ['usesysid', int4], ['usecreatedb', bool], ['usesuper', bool], ['usecatupd', bool], ['passwd', text], ['valuntil', T.timestamptz], ['useconfig', text]];
rel('pg_catalog.pg_user', userCols, (s) => [...s.engine.catalog.users.values()].map((u) => [u.name, u.oid, u.createdb, u.superuser, u.superuser, '********', null, null]));
rel('pg_catalog.pg_shadow', userCols, (s) => [...s.engine.catalog.users.values()].map((u) => [u.name, u.oid, u.createdb, u.superuser, u.superuser, null, null, null]));
rel('pg_catalog.pg_group', [['groname', name], ['grosysid', int4], ['grolist', text]], () => []);

// pg_proc: a useful subset (psql \df, JDBC getFunctions); argument types as oidvector text.
const PROCS: [string, number, number[], 'f' | 'a' | 'w'][] = [
  ['version', 25, [], 'f'], ['current_database', 19, [], 'f'], ['current_schema', 19, [], 'f'], ['current_schemas', 1003, [16], 'f'],
  ['current_user', 19, [], 'f'], ['session_user', 19, [], 'f'], ['pg_backend_pid', 23, [], 'f'], ['pg_get_userbyid', 19, [26], 'f'],
  ['format_type', 25, [26, 23], 'f'], ['pg_table_is_visible', 16, [26], 'f'], ['pg_type_is_visible', 16, [26], 'f'],
  ['pg_function_is_visible', 16, [26], 'f'], ['has_table_privilege', 16, [25, 25], 'f'], ['has_schema_privilege', 16, [25, 25], 'f'],
  ['has_database_privilege', 16, [25, 25], 'f'], ['obj_description', 25, [26, 19], 'f'], ['col_description', 25, [26, 23], 'f'],
  ['pg_get_expr', 25, [25, 26], 'f'], ['pg_get_constraintdef', 25, [26], 'f'], ['pg_get_indexdef', 25, [26], 'f'],
  ['pg_get_viewdef', 25, [26], 'f'], ['pg_get_late_binding_view_cols', 2249, [], 'f'], ['pg_encoding_to_char', 19, [23], 'f'],
  ['current_setting', 25, [25], 'f'], ['set_config', 25, [25, 25, 16], 'f'], ['pg_terminate_backend', 16, [23], 'f'],
  ['pg_cancel_backend', 16, [23], 'f'], ['pg_size_pretty', 25, [20], 'f'], ['pg_table_size', 20, [2205], 'f'],
  ['pg_relation_size', 20, [2205], 'f'], ['pg_total_relation_size', 20, [2205], 'f'], ['format_encoding', 25, [23], 'f'],
  ['array_to_string', 25, [2277, 25], 'f'], ['array_upper', 23, [2277, 23], 'f'], ['quote_ident', 25, [25], 'f'],
  ['quote_literal', 25, [25], 'f'], ['getdate', 1114, [], 'f'], ['dateadd', 1114, [25, 20, 1114], 'f'],
  ['datediff', 20, [25, 1114, 1114], 'f'], ['date_trunc', 1114, [25, 1114], 'f'], ['nvl', 2283, [2283, 2283], 'f'],
  ['length', 23, [25], 'f'], ['lower', 25, [25], 'f'], ['upper', 25, [25], 'f'], ['substring', 25, [25, 23, 23], 'f'],
  ['split_part', 25, [25, 25, 23], 'f'], ['regexp_substr', 25, [25, 25], 'f'], ['replace', 25, [25, 25, 25], 'f'],
  ['count', 20, [2283], 'a'], ['sum', 1700, [1700], 'a'], ['avg', 1700, [1700], 'a'], ['min', 2283, [2283], 'a'],
  ['max', 2283, [2283], 'a'], ['listagg', 25, [25, 25], 'a'], ['median', 701, [701], 'a'],
];
const PROC_BASE_OID = 6000;
/** pg_proc rows by oid: name, result type oid, argument type oids. */
export const PG_PROCS: ReadonlyMap<number, { name: string; ret: number; args: number[] }> = new Map(PROCS.map(([n, ret, args], i) => [PROC_BASE_OID + i, { name: n, ret, args }]));
rel('pg_catalog.pg_proc', [
  ['oid', oid], ['proname', name], ['pronamespace', oid], ['proowner', int4], ['prolang', oid], ['procost', T.float4], ['prorows', T.float4],
  ['provariadic', oid], ['prokind', char], ['proisagg', bool], ['proiswindow', bool], ['prosecdef', bool], ['proleakproof', bool], ['proisstrict', bool],
  ['proretset', bool], ['provolatile', char], ['pronargs', int2], ['pronargdefaults', int2], ['prorettype', oid], ['proargtypes', text],
  ['proallargtypes', text], ['proargmodes', text], ['proargnames', text], ['prosrc', text], ['probin', text], ['proacl', text],
], () => PROCS.map(([n, ret, args, kind], i) => [
  PROC_BASE_OID + i, n, PG_CATALOG_OID, BOOTSTRAP_USER, 12, 1, 0, 0, kind, kind === 'a', kind === 'w', false, false, true, n === 'pg_get_late_binding_view_cols',
  'i', args.length, 0, ret, args.join(' '), null, null, null, n, null, null,
]), 'r');

rel('pg_catalog.pg_tables', [['schemaname', name], ['tablename', name], ['tableowner', name], ['tablespace', name], ['hasindexes', bool], ['hasrules', bool], ['hastriggers', bool]],
  (s) => tables(s).map((r) => [r.schema, r.name, r.owner, null, r.primaryKey.length > 0, false, false]));
rel('pg_catalog.pg_views', [['schemaname', name], ['viewname', name], ['viewowner', name], ['definition', text]],
  (s) => views(s).map((r) => [r.schema, r.name, r.owner, r.sql]));

/** Settings pg_settings lists (those the session holds), and read-only ones clients look up. */
export const SETTINGS_SHOWN = [
  'analyze_threshold_percent', 'application_name', 'client_encoding', 'datestyle', 'default_transaction_isolation', 'describe_field_name_in_uppercase',
  'enable_result_cache_for_session', 'extra_float_digits', 'integer_datetimes', 'intervalstyle', 'is_superuser', 'lc_messages', 'lc_monetary',
  'lc_numeric', 'lc_time', 'max_identifier_length', 'query_group', 'search_path', 'server_encoding', 'server_version', 'server_version_num',
  'standard_conforming_strings', 'statement_timeout', 'timezone', 'transaction_isolation', 'wlm_query_slot_count',
];
export const FIXED_SETTINGS: Readonly<Record<string, string>> = { max_index_keys: '32', block_size: '8192', max_connections: '500', server_version: '8.0.2', server_version_num: '80002' };
const SETTING_NAMES: Record<string, string> = { datestyle: 'DateStyle', timezone: 'TimeZone', intervalstyle: 'IntervalStyle' };
rel('pg_catalog.pg_settings', [
  ['name', text], ['setting', text], ['unit', text], ['category', text], ['short_desc', text], ['extra_desc', text], ['context', text],
  ['vartype', text], ['source', text], ['min_val', text], ['max_val', text], ['enumvals', text], ['boot_val', text], ['reset_val', text],
  ['sourcefile', text], ['sourceline', int4], ['pending_restart', bool],
], (s) => [...new Set([...SETTINGS_SHOWN, ...Object.keys(FIXED_SETTINGS)])].sort().flatMap((n) => {
  const held = s.getSetting(n);
  const v = held ?? FIXED_SETTINGS[n];
  if (v === undefined) return [];
  const shown = SETTING_NAMES[n] ?? n;
  return [[shown, v, n === 'statement_timeout' ? 'ms' : null, 'Client Connection Defaults', shown, null, held === undefined ? 'internal' : 'user',
    /^-?\d+$/.test(v) ? 'integer' : v === 'on' || v === 'off' ? 'bool' : 'string', held === undefined ? 'default' : 'session', null, null, null, v, v, null, null, false]];
}));

rel('pg_catalog.pg_stat_activity', [
  ['datid', oid], ['datname', name], ['pid', int4], ['usesysid', int4], ['usename', name], ['application_name', text], ['client_addr', text],
  ['client_port', int4], ['backend_start', T.timestamptz], ['query_start', T.timestamptz], ['state', text], ['query', text],
], (s) => liveSessions(s).map((x) => [1, x.database, x.pid, userOid(s, x.user), x.user, x.getSetting('application_name') ?? '', null, null, null,
  x.statement?.start ?? null, x.statement ? 'active' : 'idle', x.statement?.text ?? '']));

// ---- information_schema (PostgreSQL's column lists and SQL-standard type names)
const yes = (b: boolean): string => (b ? 'YES' : 'NO');
function charLen(t: SqlType): number | null { return (t.id === 'varchar' || t.id === 'bpchar') && t.length !== undefined && t.length >= 0 ? t.length : null; }
function numPrecision(t: SqlType): number | null {
  switch (t.id) {
    case 'int2': return 16; case 'int4': return 32; case 'int8': return 64; case 'float4': return 24; case 'float8': return 53;
    case 'numeric': return t.precision ?? null; default: return null;
  }
}
function numRadix(t: SqlType): number | null { return t.id === 'numeric' ? 10 : numPrecision(t) === null ? null : 2; }
function numScale(t: SqlType): number | null { return t.id === 'numeric' ? t.scale ?? 0 : t.id === 'int2' || t.id === 'int4' || t.id === 'int8' ? 0 : null; }
function dtPrecision(t: SqlType): number | null { return t.id === 'date' ? 0 : ['time', 'timetz', 'timestamp', 'timestamptz', 'interval'].includes(t.id) ? 6 : null; }
/** information_schema.columns.data_type: the type without modifiers (`character varying`, `numeric`). */
function dataType(t: SqlType): string { return formatType({ id: t.id }); }
function userRelations(s: Session): Relation[] { return s.engine.catalog.relationsList(); }

rel('information_schema.schemata', [['catalog_name', name], ['schema_name', name], ['schema_owner', name], ['default_character_set_catalog', name], ['default_character_set_schema', name], ['default_character_set_name', name], ['sql_path', varchar]],
  (s) => [...s.engine.catalog.schemas.values()].map((n) => [s.database, n.name, n.owner, null, null, null, null]));

rel('information_schema.tables', [
  ['table_catalog', name], ['table_schema', name], ['table_name', name], ['table_type', varchar], ['self_referencing_column_name', name],
  ['reference_generation', varchar], ['user_defined_type_catalog', name], ['user_defined_type_schema', name], ['user_defined_type_name', name],
  ['is_insertable_into', varchar], ['is_typed', varchar], ['commit_action', varchar],
], (s) => [
  ...userRelations(s).map((r) => [s.database, r.schema, r.name, r.kind === 'view' ? 'VIEW' : r.temp ? 'LOCAL TEMPORARY' : 'BASE TABLE', null, null, null, null, null, yes(r.kind === 'table'), 'NO', r.kind === 'table' && r.temp ? 'PRESERVE' : null]),
  ...Object.entries(R).filter(([k]) => !k.endsWith('()')).map(([k, r]) => {
    const [schema, n] = k.split('.') as [string, string];
    return [s.database, schema, n, r.kind === 'r' ? 'BASE TABLE' : 'VIEW', null, null, null, null, null, 'NO', 'NO', null];
  }),
]);

rel('information_schema.views', [
  ['table_catalog', name], ['table_schema', name], ['table_name', name], ['view_definition', varchar], ['check_option', varchar],
  ['is_updatable', varchar], ['is_insertable_into', varchar], ['is_trigger_updatable', varchar], ['is_trigger_deletable', varchar], ['is_trigger_insertable_into', varchar],
], (s) => views(s).map((v) => [s.database, v.schema, v.name, v.sql, 'NONE', 'NO', 'NO', 'NO', 'NO', 'NO']));

rel('information_schema.columns', [
  ['table_catalog', name], ['table_schema', name], ['table_name', name], ['column_name', name], ['ordinal_position', int4],
  ['column_default', varchar], ['is_nullable', varchar], ['data_type', varchar], ['character_maximum_length', int4], ['character_octet_length', int4],
  ['numeric_precision', int4], ['numeric_precision_radix', int4], ['numeric_scale', int4], ['datetime_precision', int4], ['interval_type', varchar],
  ['interval_precision', int4], ['character_set_catalog', name], ['character_set_schema', name], ['character_set_name', name],
  ['collation_catalog', name], ['collation_schema', name], ['collation_name', name], ['domain_catalog', name], ['domain_schema', name], ['domain_name', name],
  ['udt_catalog', name], ['udt_schema', name], ['udt_name', name], ['is_identity', varchar], ['is_generated', varchar], ['is_updatable', varchar],
], (s) => userRelations(s).flatMap((r) => relationColumns(r).map((c, i) => {
  const len = charLen(c.type);
  return [s.database, r.schema, r.name, c.name, i + 1, c.def ?? null, yes(!c.notNull), dataType(c.type), len, len === null ? null : len * 4,
    numPrecision(c.type), numRadix(c.type), numScale(c.type), dtPrecision(c.type), null, null, null, null, null, null, null, null, null, null, null,
    s.database, 'pg_catalog', TYPE_BY_OID.get(pgTypeOf(c.type))?.name ?? c.type.id, yes(r.kind === 'table' && !!r.columns[i]!.identity), 'NEVER', yes(r.kind === 'table')];
})));

// ---- Redshift system views (Redshift Database Developer Guide, "System tables and views reference")
rel('pg_catalog.pg_table_def', [['schemaname', name], ['tablename', name], ['column', name], ['type', text], ['encoding', T.bpchar(32)], ['distkey', bool], ['sortkey', int4], ['notnull', bool]],
  (s) => {
    // PG_TABLE_DEF shows only tables in schemas on the search path.
    const path = s.searchPath();
    return tables(s).filter((r) => path.includes(r.schema)).flatMap((r) =>
      r.columns.map((c) => [r.schema, r.name, c.name, formatType(c.type), encodingName(c.encode).padEnd(32), c.distkey, r.sortkey.style === 'INTERLEAVED' && c.sortkeyOrd > 0 ? -c.sortkeyOrd : c.sortkeyOrd, c.notNull]));
  });

rel('pg_catalog.svv_tables', [['table_catalog', text], ['table_schema', text], ['table_name', text], ['table_type', text], ['remarks', text]],
  (s) => userRelations(s).map((r) => [s.database, r.schema, r.name, r.kind === 'view' ? 'VIEW' : 'BASE TABLE', null]));
const allTablesCols: [string, SqlType][] = [['database_name', text], ['schema_name', text], ['table_name', text], ['table_type', text], ['table_acl', text], ['remarks', text]];
const allTableRows = (s: Session): Row[] => userRelations(s).map((r) => [s.database, r.schema, r.name, r.kind === 'view' ? 'VIEW' : 'TABLE', null, null]);
rel('pg_catalog.svv_all_tables', allTablesCols, allTableRows);
rel('pg_catalog.svv_redshift_tables', allTablesCols, allTableRows);

rel('pg_catalog.svv_columns', [
  ['table_catalog', text], ['table_schema', text], ['table_name', text], ['column_name', text], ['ordinal_position', int4], ['column_default', text],
  ['is_nullable', text], ['data_type', text], ['character_maximum_length', int4], ['numeric_precision', int4], ['numeric_precision_radix', int4],
  ['numeric_scale', int4], ['datetime_precision', int4], ['interval_type', text], ['interval_precision', text], ['character_set_catalog', text],
  ['character_set_schema', text], ['character_set_name', text], ['collation_catalog', text], ['collation_schema', text], ['collation_name', text],
  ['domain_name', text], ['remarks', text],
], (s) => userRelations(s).flatMap((r) => relationColumns(r).map((c, i) => [
  s.database, r.schema, r.name, c.name, i + 1, c.def ?? null, yes(!c.notNull), dataType(c.type), charLen(c.type), numPrecision(c.type), numRadix(c.type),
  numScale(c.type), dtPrecision(c.type), null, null, null, null, null, null, null, null, null, null,
])));
const allColumnsCols: [string, SqlType][] = [
  ['database_name', text], ['schema_name', text], ['table_name', text], ['column_name', text], ['ordinal_position', int4], ['column_default', text],
  ['is_nullable', text], ['data_type', text], ['character_maximum_length', int4], ['numeric_precision', int4], ['numeric_scale', int4], ['remarks', text],
];
const allColumnRows = (s: Session): Row[] => userRelations(s).flatMap((r) => relationColumns(r).map((c, i) => [
  s.database, r.schema, r.name, c.name, i + 1, c.def ?? null, yes(!c.notNull), formatType(c.type), charLen(c.type), numPrecision(c.type), numScale(c.type), null,
]));
rel('pg_catalog.svv_all_columns', allColumnsCols, allColumnRows);
rel('pg_catalog.svv_redshift_columns', allColumnsCols, allColumnRows);
const schemaCols: [string, SqlType][] = [['database_name', text], ['schema_name', text], ['schema_owner', int4], ['schema_type', text], ['schema_acl', text], ['source_database', text], ['schema_option', text]];
const schemaRows = (s: Session): Row[] => [...s.engine.catalog.schemas.values()].map((n) => [s.database, n.name, userOid(s, n.owner), 'local', null, null, null]);
rel('pg_catalog.svv_all_schemas', schemaCols, schemaRows);
rel('pg_catalog.svv_redshift_schemas', schemaCols, schemaRows);
rel('pg_catalog.svv_redshift_databases', [['database_name', text], ['database_owner', int4], ['database_type', text], ['database_acl', text], ['database_options', text], ['database_isolation_level', text]],
  (s) => [[s.database, userOid(s, 'rdsdb'), 'local', null, null, 'Serializable']]);
// External (Spectrum) objects: wasmshift has none; the views exist so metadata queries return no rows.
rel('pg_catalog.svv_external_schemas', [['esoid', oid], ['eskind', int2], ['schemaname', name], ['esowner', int4], ['databasename', text], ['esoptions', text]], () => []);
rel('pg_catalog.svv_external_tables', [['redshift_database_name', text], ['schemaname', text], ['tablename', text], ['location', text], ['input_format', text], ['output_format', text], ['serialization_lib', text], ['serde_parameters', text], ['compressed', int4], ['parameters', text], ['tabletype', text]], () => []);
rel('pg_catalog.svv_external_columns', [['redshift_database_name', text], ['schemaname', text], ['tablename', text], ['columnname', text], ['external_type', text], ['columnnum', int4], ['part_key', int4], ['is_nullable', text]], () => []);
rel('pg_catalog.svv_external_databases', [['eskind', int2], ['esoptions', text], ['databasename', text], ['location', text], ['parameters', text]], () => []);

rel('pg_catalog.svv_table_info', [
  ['database', text], ['schema', text], ['table_id', oid], ['table', text], ['encoded', text], ['diststyle', text], ['sortkey1', text], ['max_varchar', int4],
  ['sortkey1_enc', T.bpchar(32)], ['sortkey_num', int4], ['size', int8], ['pct_used', T.numeric(10, 4)], ['empty', int8], ['unsorted', T.numeric(5, 2)],
  ['stats_off', T.numeric(5, 2)], ['tbl_rows', T.numeric(38, 0)], ['skew_sortkey1', T.numeric(19, 2)], ['skew_rows', T.numeric(19, 2)],
  ['estimated_visible_rows', T.numeric(38, 0)], ['risk_event', text], ['vacuum_sort_benefit', T.numeric(12, 2)],
], (s) => tables(s).map((r) => {
  // Redshift lists only tables holding data; empty tables are listed here too, which tools handle fine.
  const d = s.dataOf(r);
  const per = d.slices.map((x) => x.reduce((n, b) => n + b.rows, 0));
  const max = Math.max(...per), min = Math.min(...per.filter((x) => x > 0), max);
  const key = r.distkey >= 0 ? r.columns[r.distkey]!.name : '';
  const dist = r.diststyle === 'KEY' ? `KEY(${key})` : r.diststyle === 'AUTO' ? `AUTO(${d.style === 'KEY' ? `KEY(${key})` : d.style})` : r.diststyle;
  const sk0 = r.sortkey.columns[0];
  const sk = sk0 === undefined ? null : r.sortkey.style === 'INTERLEAVED' ? `INTERLEAVED(${r.columns[sk0]!.name})` : r.columns[sk0]!.name;
  const maxVarchar = Math.max(0, ...r.columns.map((c) => (c.type.id === 'varchar' ? c.type.length ?? 0 : 0)));
  // size: 1 MB blocks (Redshift's unit); pct_used: of the shared memory reserved for table data.
  const blocks = tableBlocks(r, d, s.engine.store);
  const capacity = s.engine.store.memory.buffer.byteLength / BLOCK_BYTES;
  const scaled = (x: number, scale: number) => BigInt(Math.round(x * 10 ** scale));
  return [s.database, r.schema, r.oid, r.name, r.columns.some((c) => encodingNumber(c.encode) !== 0) ? 'Y' : 'N', dist, sk, maxVarchar,
    sk0 === undefined ? null : encodingName(r.columns[sk0]!.encode).padEnd(32), r.sortkey.columns.length, BigInt(blocks), scaled((blocks / capacity) * 100, 4), 0n,
    r.sortkey.columns.length ? scaled(100 - sortedPercent(r, d), 2) : null, scaled(statsOff(s, r), 2), BigInt(d.rows), null, min > 0 && d.style !== 'ALL' ? BigInt(Math.round((max / min) * 100)) : null, BigInt(d.rows), null, null];
}));

/** STV_BLOCKLIST and SVV_DISKUSAGE rows: every block of every user table (this engine has no hidden columns). */
function blockRows(s: Session, withName: boolean): Row[] {
  const out: Row[] = [];
  const durable = s.engine.durable;
  for (const t of tables(s)) {
    for (const b of blocksOf(t, s.dataOf(t), s.engine.store) as Generator<BlockRow>) {
      const flags = [b.slice, b.col, t.oid, b.blocknum, b.numValues];
      // pinned: the block is in memory now (a data directory's blocks may be only on disk).
      const tail = [0, b.resident ? 1 : 0, durable?.holds(b.chunk) ? 1 : 0, 0, 0, b.unsorted ? 1 : 0, 0, 0, 0, 0];
      out.push(withName
        ? [1, t.name.padEnd(72), ...flags, b.minvalue, b.maxvalue, ...tail]
        : [...flags, 0, b.minvalue, b.maxvalue, ...tail, 0, 0]);
    }
  }
  return out;
}
const blockTail: [string, SqlType][] = [['sb_pos', int4], ['pinned', int4], ['on_disk', int4], ['modified', int4], ['hdr_modified', int4], ['unsorted', int4], ['tombstone', int4], ['preferred_diskno', int4], ['temporary', int4], ['newblock', int4]];
rel('pg_catalog.stv_blocklist', [['slice', int4], ['col', int4], ['tbl', int4], ['blocknum', int4], ['num_values', int4], ['extended_limits', int4], ['minvalue', int8], ['maxvalue', int8],
  ...blockTail, ['num_readers', int4], ['flags', int4]], (s) => blockRows(s, false));
rel('pg_catalog.svv_diskusage', [['db_id', int4], ['name', T.bpchar(72)], ['slice', int4], ['col', int4], ['tbl', int4], ['blocknum', int4], ['num_values', int4], ['minvalue', int8], ['maxvalue', int8],
  ...blockTail], (s) => blockRows(s, true));

rel('pg_catalog.stl_query', [
  ['userid', int4], ['query', int4], ['label', T.bpchar(320)], ['xid', int8], ['pid', int4], ['database', T.bpchar(32)], ['querytxt', T.bpchar(4000)],
  ['starttime', T.timestamp], ['endtime', T.timestamp], ['aborted', int4], ['insert_pristine', int4], ['concurrency_scaling_status', int4],
], (s) => s.engine.queryLog.map((q) => [userOid(s, q.user), q.query, 'default', BigInt(q.query), q.pid, s.database, q.text, q.start, q.end, q.aborted ? 1 : 0, 0, 0]));
rel('pg_catalog.svl_qlog', [['userid', int4], ['query', int4], ['xid', int8], ['pid', int4], ['starttime', T.timestamp], ['endtime', T.timestamp], ['elapsed', int8], ['aborted', int4], ['label', text], ['substring', text]],
  (s) => s.engine.queryLog.map((q) => [userOid(s, q.user), q.query, BigInt(q.query), q.pid, q.start, q.end, q.end - q.start, q.aborted ? 1 : 0, 'default', q.text.slice(0, 60)]));
rel('pg_catalog.stl_load_errors', [['userid', int4], ['slice', int4], ['tbl', int4], ['starttime', T.timestamp], ['session', int4], ['query', int4], ['filename', T.bpchar(256)], ['line_number', int8], ['colname', T.bpchar(127)], ['type', T.bpchar(10)], ['col_length', T.bpchar(10)], ['position', int4], ['raw_line', T.bpchar(1024)], ['raw_field_value', T.bpchar(1024)], ['err_code', int4], ['err_reason', T.bpchar(100)]], (s) => loadErrorViewRows(s.engine, (u) => userOid(s, u)));
/** STV_INFLIGHT: the statements running now, one row per statement (Redshift shows one per slice group; we show slice 0). */
rel('pg_catalog.stv_inflight', [
  ['userid', int4], ['slice', int4], ['query', int4], ['label', T.bpchar(320)], ['xid', int8], ['pid', int4], ['starttime', T.timestamp],
  ['text', T.bpchar(100)], ['suspended', int4], ['insert_pristine', int4], ['concurrency_scaling_status', int4],
], (s) => liveSessions(s).filter((x) => x.statement !== null).map((x) => {
  const q = x.statement!;
  return [userOid(s, x.user), 0, q.query, 'default', BigInt(q.query), x.pid, q.start, q.text.slice(0, 100), 0, 0, 0];
}));
/** STV_RECENTS: statements running now ('Running') and the last ones that ended ('Done'), duration in microseconds. */
rel('pg_catalog.stv_recents', [
  ['userid', int4], ['status', T.bpchar(20)], ['starttime', T.timestamp], ['duration', int4], ['user_name', T.bpchar(50)],
  ['db_name', T.bpchar(50)], ['query', T.bpchar(600)], ['pid', int4],
], (s) => {
  const now = BigInt(Date.now()) * 1000n;
  const running = liveSessions(s).filter((x) => x.statement !== null).map((x) => {
    const q = x.statement!;
    return [userOid(s, x.user), 'Running', q.start, Number(now - q.start), x.user, x.database, q.text.slice(0, 600), x.pid];
  });
  const done = s.engine.queryLog.slice(-100).map((q) => [userOid(s, q.user), 'Done', q.start, Number(q.end - q.start), q.user, s.database, q.text.slice(0, 600), q.pid]);
  return [...running, ...done];
});
rel('pg_catalog.stv_sessions', [['starttime', T.timestamp], ['process', int4], ['user_name', T.bpchar(50)], ['db_name', T.bpchar(50)], ['timeout_sec', int4]],
  (s) => liveSessions(s).map((x) => [null, x.pid, x.user.padEnd(50), x.database.padEnd(50), 0]));

/** pg_get_late_binding_view_cols(): (view_schema, view_name, col_name, col_type, col_num) of late-binding views. */
rel('pg_catalog.pg_get_late_binding_view_cols()', [['view_schema', name], ['view_name', name], ['col_name', name], ['col_type', varchar], ['col_num', int4]],
  (s) => views(s).filter((v) => (v as ViewDef & { lateBinding?: boolean }).lateBinding === true).flatMap((v) => lateBindingColumns(s, v).map((c, i) => [v.schema, v.name, c.name, formatType(c.type), i + 1])));

/** A late-binding view's columns, resolved now by binding its SQL (none when a relation it reads is gone). */
function lateBindingColumns(s: Session, v: ViewDef): { name: string; type: SqlType }[] {
  try {
    const st = VIEW_PARSER.parse?.(v.sql);
    if (!st?.ast?.SelectStmt) return [];
    return s.prepareSelect(st, st.ast.SelectStmt, [], {}).fields.map((f) => ({ name: f.name, type: f.type }));
  } catch { return []; }
}

// ---------------------------------------------------------------- oids and lookup

/** Fixed oids of the system relations: PostgreSQL's for its catalog tables, a stable range for the rest. */
const PG_REL_OIDS: Record<string, number> = {
  pg_type: 1247, pg_attribute: 1249, pg_proc: 1255, pg_class: 1259, pg_authid: 1260, pg_auth_members: 1261, pg_database: 1262,
  pg_tablespace: 1213, pg_am: 2601, pg_attrdef: 2604, pg_constraint: 2606, pg_depend: 2608, pg_description: 2609, pg_index: 2610,
  pg_inherits: 2611, pg_language: 2612, pg_operator: 2617, pg_rewrite: 2618, pg_trigger: 2620, pg_namespace: 2615, pg_collation: 3456,
  pg_enum: 3501, pg_shdescription: 2396, pg_policy: 3256, pg_statistic_ext: 3381, pg_publication: 6104, pg_sequence: 2224,
};
const SYSTEM_OIDS = new Map<string, number>(Object.keys(R).sort().map((k, i) => {
  const n = k.split('.')[1]!;
  return [k, k.startsWith('pg_catalog.') && PG_REL_OIDS[n] !== undefined ? PG_REL_OIDS[n]! : 12000 + i];
}));

/** The oid of a system relation, for `'pg_class'::regclass`; bare names are looked up in pg_catalog. */
export function systemRelationOid(schema: string | undefined, relName: string): number | undefined {
  return SYSTEM_OIDS.get(`${schema ?? 'pg_catalog'}.${relName}`);
}
/** The schema and name of a system relation by oid (regclass output, pg_table_is_visible). */
export function systemRelationByOid(o: number): { schema: string; name: string; columns: string[] } | undefined {
  for (const [k, v] of SYSTEM_OIDS) {
    if (v !== o) continue;
    const [schema, n] = k.split('.') as [string, string];
    return { schema, name: n, columns: R[k]!.cols.map(([c]) => c) };
  }
  return undefined;
}

/** A bound plan for a system relation, or undefined when `schema.relName` is not one. */
export function systemRelation(s: Session, schema: string | undefined, relName: string, b: Binder): LNode | undefined {
  const r = R[`${schema ?? 'pg_catalog'}.${relName}`];
  if (!r) return undefined;
  const cols: Col[] = r.cols.map(([n, t]) => ({ id: b.newId(), name: n, type: t }));
  const rows: Expr[][] = r.rows(s).map((row) => row.map((v, i) => ({ k: 'const', value: v, type: r.cols[i]![1] } as Expr)));
  return { op: 'values', rows, cols };
}
