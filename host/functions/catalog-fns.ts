// Catalog functions clients call in their metadata queries (pg_get_userbyid, format_type,
// pg_table_is_visible, has_*_privilege, pg_get_*def, current_setting, ...) and the array helpers
// their SQL needs, over the array text form the system relations use. They read the live catalog
// of the calling session, so they run on the leader, where system relations are evaluated.
import { SqlError, SqlState } from '../common/errors.js';
import type { Catalog, Relation } from '../catalog/catalog.js';
import {
  CLASS_OIDS, descriptionOf, ENCODINGS, FIXED_SETTINGS, formatTypeOid, liveSessions, PG_PROCS, pgTypeByName, pgTypeByOid, pkeyConstraintOid, pkeyIndexOid,
  systemRelationByOid, systemRelationOid, tableBytes,
} from '../catalog/system-views.js';
import type { Expr } from '../plan/expr.js';
import type { Session } from '../session/session.js';
import { T, type SqlType } from '../types/sql-type.js';
import { register, type FnContext } from './registry.js';
import { mapRows, mapStrict } from './vec.js';

// ---------------------------------------------------------------- the calling session

const sessions = new Map<number, WeakRef<Session>>();
const handles = new WeakMap<Session, number>();
const cleanup = new FinalizationRegistry<number>((h) => sessions.delete(h));
let nextHandle = 1;

/** A number standing for `s` in FnContext.session (plain data, so evaluation contexts stay cloneable). */
export function sessionHandle(s: Session): number {
  let h = handles.get(s);
  if (h === undefined) {
    h = nextHandle++;
    handles.set(s, h);
    sessions.set(h, new WeakRef(s));
    cleanup.register(s, h);
  }
  return h;
}

function sessionOf(ctx: FnContext, fn: string): Session {
  const h = (ctx as FnContext & { session?: number }).session;
  const s = h === undefined ? undefined : sessions.get(h)?.deref();
  if (!s) throw new SqlError(SqlState.featureNotSupported, `function ${fn}() reads the catalog and runs only on the leader node`);
  return s;
}

// ---------------------------------------------------------------- array text form

/**
 * Parses PostgreSQL's array text forms: `{a,b,"c d",NULL}` (1-based) and int2vector/oidvector `1 2 3`
 * (0-based, as PostgreSQL subscripts them). Returns the elements and the lower bound.
 */
export function parseArrayText(s: string): { items: (string | null)[]; lower: number } {
  const t = s.trim();
  if (!t.startsWith('{')) return { items: t === '' ? [] : t.split(/\s+/), lower: 0 };
  const items: (string | null)[] = [];
  const body = t.slice(1, -1);
  let i = 0;
  while (i < body.length) {
    if (body[i] === '"') {
      let v = '';
      i++;
      while (i < body.length && body[i] !== '"') { if (body[i] === '\\') i++; v += body[i] ?? ''; i++; }
      i++;
      items.push(v);
    } else {
      let j = i;
      while (j < body.length && body[j] !== ',') j++;
      const v = body.slice(i, j).trim();
      items.push(v === 'NULL' ? null : v);
      i = j;
    }
    while (i < body.length && body[i] !== ',') i++;
    i++;
  }
  return { items, lower: 1 };
}

/** Formats elements as an array literal, quoting where PostgreSQL would. */
export function arrayText(items: readonly (string | null)[]): string {
  return `{${items.map((v) => (v === null ? 'NULL' : v === '' || /[{},"\\\s]/.test(v) || v.toUpperCase() === 'NULL' ? `"${v.replace(/["\\]/g, '\\$&')}"` : v)).join(',')}}`;
}

const anyText = (ts: SqlType[], n: number[]) => ts.length >= n[0]! && ts.length <= n[n.length - 1]! && n.includes(ts.length);

/** a[i]: the element as text typed `unknown`, so that the binder casts it to whatever it is compared with. */
register('array_subscript', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.int4], ret: T.unknown } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (a: string, i: number) => {
    const { items, lower } = parseArrayText(a);
    return items[i - lower] ?? null;
  }),
});

/** x op ANY(array) / ALL(array) over the text form: args (x as text, array, op, 'any'|'all'). */
register('array_compare', {
  resolve: (ts) => (ts.length === 4 ? { args: [T.text, T.text, T.text, T.text], ret: T.bool } : null),
  eval: (args, n, ret) => mapRows(args, n, ret, (x: string | null, a: string | null, op: string, mode: string) => {
    if (a === null) return null;
    const { items } = parseArrayText(a);
    if (items.length === 0) return mode === 'all';
    if (x === null) return null;
    const cmp = (v: string | null): boolean | null => {
      if (v === null) return null;
      const nx = Number(x), nv = Number(v);
      const c = Number.isFinite(nx) && Number.isFinite(nv) && x.trim() !== '' && v.trim() !== '' ? Math.sign(nx - nv) : x < v ? -1 : x > v ? 1 : 0;
      switch (op) {
        case '=': return c === 0; case '<>': case '!=': return c !== 0; case '<': return c < 0; case '<=': return c <= 0; case '>': return c > 0; case '>=': return c >= 0;
        default: throw new SqlError(SqlState.undefinedFunction, `operator does not exist: text ${op} text[]`);
      }
    };
    let sawNull = false;
    for (const v of items) {
      const r = cmp(v);
      if (r === null) { sawNull = true; continue; }
      if (mode === 'any' && r) return true;
      if (mode === 'all' && !r) return false;
    }
    return sawNull ? null : mode === 'all';
  }),
});

register('array_to_string', {
  resolve: (ts) => (anyText(ts, [2, 3]) ? { args: ts.map(() => T.text), ret: T.text } : null),
  eval: (args, n, ret) => mapRows(args, n, ret, (a: string | null, sep: string | null, nul?: string | null) => {
    if (a === null || sep === null) return null;
    return parseArrayText(a).items.flatMap((v) => (v === null ? (nul === undefined || nul === null ? [] : [nul]) : [v])).join(sep);
  }),
});
register(['array_upper', 'array_length'], {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.int4], ret: T.int4 } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (a: string, dim: number) => {
    const { items, lower } = parseArrayText(a);
    if (dim !== 1 || items.length === 0) return null;
    return items.length + lower - 1;
  }),
});
register('array_lower', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.int4], ret: T.int4 } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (a: string, dim: number) => { const { items, lower } = parseArrayText(a); return dim === 1 && items.length ? lower : null; }),
});
register('cardinality', {
  resolve: (ts) => (ts.length === 1 ? { args: [T.text], ret: T.int4 } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (a: string) => parseArrayText(a).items.length),
});
/** ARRAY[...] and array || array over the text form. */
register('array_cat', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.text], ret: T.text } : null),
  eval: (args, n, ret) => mapRows(args, n, ret, (a: string | null, b: string | null) => {
    if (a === null) return b;
    if (b === null) return a;
    return arrayText([...parseArrayText(a).items, ...parseArrayText(b).items]);
  }),
});

// ---------------------------------------------------------------- names, types, visibility

function relationByOid(s: Session, o: number): Relation | undefined { return s.engine.catalog.byOid(o); }
const quoteIdent = (x: string) => (/^[a-z_][a-z0-9_$]*$/.test(x) ? x : `"${x.replace(/"/g, '""')}"`);

/** Whether a relation is the one its bare name finds on the search path (PostgreSQL "pg_table_is_visible"). */
function tableVisible(s: Session, o: number): boolean {
  const r = relationByOid(s, o);
  if (r) return s.engine.catalog.find(r.name, undefined, s.searchPath()) === r;
  if ((o & 0x70000000) === 0x40000000) {
    const t = relationByOid(s, o - 0x40000000);
    return t !== undefined && s.searchPath().includes(t.schema);
  }
  const sys = systemRelationByOid(o);
  return sys !== undefined && s.searchPath().includes(sys.schema);
}

/** The regclass output of an oid: the name, schema-qualified when not visible; the number when unknown. */
export function regclassName(s: Session, o: number): string {
  const r = relationByOid(s, o);
  if (r) return tableVisible(s, o) ? quoteIdent(r.name) : `${quoteIdent(r.schema)}.${quoteIdent(r.name)}`;
  if ((o & 0x70000000) === 0x40000000) {
    const t = relationByOid(s, o - 0x40000000);
    if (t) return `${t.name}_pkey`;
  }
  const sys = systemRelationByOid(o);
  if (sys) return s.searchPath().includes(sys.schema) ? sys.name : `${sys.schema}.${sys.name}`;
  return String(o);
}

/** Splits `schema.name` / `"Quoted".name` as PostgreSQL's name parsing does (unquoted parts fold to lower case). */
export function splitQualified(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const t = text.trim();
  while (i < t.length) {
    if (t[i] === '"') {
      let v = '';
      i++;
      while (i < t.length) { if (t[i] === '"') { if (t[i + 1] === '"') { v += '"'; i += 2; continue; } break; } v += t[i]; i++; }
      i++;
      parts.push(v);
    } else {
      let j = i;
      while (j < t.length && t[j] !== '.') j++;
      parts.push(t.slice(i, j).trim().toLowerCase());
      i = j;
    }
    if (t[i] === '.') i++;
  }
  return parts;
}

/** Resolves a relation name as regclass input does; throws 42P01 when absent. */
export function regclassOid(catalog: Catalog, searchPath: readonly string[], text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  const parts = splitQualified(text);
  const relName = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const r = catalog.find(relName, schema, searchPath);
  if (r) return r.oid;
  const sys = systemRelationOid(schema, relName) ?? (schema === undefined && searchPath.includes('information_schema') ? systemRelationOid('information_schema', relName) : undefined);
  if (sys !== undefined) return sys;
  const pk = /^(.*)_pkey$/.exec(relName);
  if (pk) { const t = catalog.find(pk[1]!, schema, searchPath); if (t?.kind === 'table' && t.primaryKey.length) return pkeyIndexOid(t.oid); }
  throw new SqlError(SqlState.undefinedTable, `relation "${text}" does not exist`);
}

function regtypeOid(text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  const t = pgTypeByName(text);
  if (!t) throw new SqlError(SqlState.undefinedObject, `type "${text}" does not exist`);
  return t.oid;
}

function regnamespaceOid(catalog: Catalog, text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text);
  const n = splitQualified(text)[0] ?? '';
  const sc = catalog.schemas.get(n);
  if (!sc) throw new SqlError(SqlState.invalidSchemaName, `schema "${text}" does not exist`);
  return sc.oid;
}

const REG_KINDS = new Set(['regclass', 'regtype', 'regproc', 'regprocedure', 'regnamespace', 'regrole', 'regoper']);
/** Whether a cast target names an object identifier type (`::regclass`, `::pg_catalog.regtype`, ...). */
export function isRegType(typeName: string): boolean { return REG_KINDS.has(typeName.toLowerCase()); }

/**
 * Binds `x::regclass` and its relatives. A string constant is resolved now, as PostgreSQL resolves
 * regclass input when the cast runs: to an oid (regproc to the function's name, which is how the
 * catalog stores typinput). Any other value is an oid; its output is the object's name.
 */
export function bindRegCast(kind: string, e: Expr, catalog: Catalog, searchPath: readonly string[], position?: number): Expr {
  const k = kind.toLowerCase();
  const pos = position === undefined ? {} : { position };
  if (e.k === 'const' && e.value === null) return { k: 'const', value: null, type: k === 'regproc' || k === 'regprocedure' ? T.text : T.oid };
  if (e.k === 'const' && typeof e.value === 'string') {
    const v = e.value;
    try {
      switch (k) {
        case 'regclass': return { k: 'const', value: regclassOid(catalog, searchPath, v), type: T.oid };
        case 'regtype': return { k: 'const', value: regtypeOid(v), type: T.oid };
        case 'regnamespace': return { k: 'const', value: regnamespaceOid(catalog, v), type: T.oid };
        case 'regrole': {
          const u = catalog.users.get(splitQualified(v)[0] ?? '');
          if (!u) throw new SqlError(SqlState.undefinedObject, `role "${v}" does not exist`);
          return { k: 'const', value: u.oid, type: T.oid };
        }
        default: {
          const parts = splitQualified(v.replace(/\(.*\)$/, ''));
          return { k: 'const', value: parts[parts.length - 1] ?? v, type: T.text };
        }
      }
    } catch (err) {
      if (err instanceof SqlError && err.position === undefined && position !== undefined) err.position = position;
      throw err;
    }
  }
  // A parameter of unknown type ($1::regclass) is text input, as in PostgreSQL.
  if (e.k === 'param' && e.type.id === 'unknown') e = { ...e, type: T.text };
  if (e.type.id === 'text' || e.type.id === 'varchar' || e.type.id === 'name' || e.type.id === 'bpchar') {
    return { k: 'fn', name: `${k === 'regprocedure' ? 'regproc' : k}_in`, args: [e], type: k === 'regproc' || k === 'regprocedure' ? T.text : T.oid };
  }
  if (!['oid', 'int2', 'int4', 'int8', 'unknown'].includes(e.type.id)) {
    throw new SqlError(SqlState.cannotCoerce, `cannot cast type ${e.type.id} to ${k}`, pos);
  }
  const arg: Expr = e.type.id === 'oid' ? e : { k: 'cast', arg: e, type: T.oid };
  return { k: 'fn', name: `${k === 'regprocedure' ? 'regproc' : k}_out`, args: [arg], type: T.text };
}

const oidArg = (ts: SqlType[]) => ts.length === 1;
register('regclass_out', { resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null), eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'regclass'); return mapStrict(args, n, ret, (o: number) => regclassName(s, o)); } });
register('regtype_out', { resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null), eval: (args, n, ret) => mapStrict(args, n, ret, (o: number) => (o === 0 ? '-' : pgTypeByOid(o) ? formatTypeOid(o, -1) : String(o))) });
register('regnamespace_out', { resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null), eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'regnamespace'); return mapStrict(args, n, ret, (o: number) => [...s.engine.catalog.schemas.values()].find((x) => x.oid === o)?.name ?? String(o)); } });
register('regrole_out', { resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null), eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'regrole'); return mapStrict(args, n, ret, (o: number) => userName(s, o) ?? String(o)); } });
register('regproc_out', { resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null), eval: (args, n, ret) => mapStrict(args, n, ret, (o: number) => (o === 0 ? '-' : PG_PROCS.get(o)?.name ?? String(o))) });
register('regoper_out', { resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null), eval: (args, n, ret) => mapStrict(args, n, ret, (o: number) => (o === 0 ? '0' : String(o))) });
register('regclass_in', { resolve: (ts) => (oidArg(ts) ? { args: [T.text], ret: T.oid } : null), eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'regclass'); return mapStrict(args, n, ret, (v: string) => regclassOid(s.engine.catalog, s.searchPath(), v)); } });
register('regtype_in', { resolve: (ts) => (oidArg(ts) ? { args: [T.text], ret: T.oid } : null), eval: (args, n, ret) => mapStrict(args, n, ret, (v: string) => regtypeOid(v)) });
register('regnamespace_in', { resolve: (ts) => (oidArg(ts) ? { args: [T.text], ret: T.oid } : null), eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'regnamespace'); return mapStrict(args, n, ret, (v: string) => regnamespaceOid(s.engine.catalog, v)); } });
register('regproc_in', { resolve: (ts) => (oidArg(ts) ? { args: [T.text], ret: T.text } : null), eval: (args, n, ret) => mapStrict(args, n, ret, (v: string) => splitQualified(v.replace(/\(.*\)$/, '')).at(-1) ?? v) });

function userName(s: Session, o: number): string | undefined {
  for (const u of s.engine.catalog.users.values()) if (u.oid === o) return u.name;
  return undefined;
}

/** PostgreSQL: pg_get_userbyid of an unknown id gives `unknown (OID=n)`. */
register('pg_get_userbyid', {
  resolve: (ts) => (oidArg(ts) ? { args: [T.int4], ret: T.name } : null),
  eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'pg_get_userbyid'); return mapStrict(args, n, ret, (o: number) => userName(s, o) ?? `unknown (OID=${o})`); },
});

register('format_type', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.oid, T.int4], ret: T.text } : null),
  // Not strict in its second argument: format_type(t, NULL) is the type without modifiers.
  eval: (args, n, ret) => mapRows(args, n, ret, (o: number | null, mod: number | null) => (o === null ? null : formatTypeOid(o, mod))),
});

/** Redshift's format_encoding(attencodingtype). */
register('format_encoding', {
  resolve: (ts) => (ts.length === 1 ? { args: [T.int4], ret: T.text } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (e: number) => ENCODINGS[e] ?? 'none'),
});

register('pg_table_is_visible', {
  resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.bool } : null),
  eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'pg_table_is_visible'); return mapStrict(args, n, ret, (o: number) => tableVisible(s, o)); },
});
// Types and functions all live in pg_catalog, which is always searched first.
register(['pg_type_is_visible', 'pg_function_is_visible', 'pg_operator_is_visible', 'pg_opclass_is_visible', 'pg_collation_is_visible', 'pg_conversion_is_visible'], {
  resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.bool } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, () => true),
});

register('current_schemas', {
  resolve: (ts) => (ts.length === 1 ? { args: [T.bool], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'current_schemas');
    return mapStrict(args, n, ret, (implicit: boolean) => arrayText(s.searchPath().filter((x) => implicit || x !== 'pg_catalog')));
  },
});

/** pg_backend_pid(): the session's process id, the one BackendKeyData carries. */
register('pg_backend_pid', {
  resolve: (ts) => (ts.length === 0 ? { args: [], ret: T.int4 } : null),
  eval: (_a, n, ret, ctx) => { const s = sessionOf(ctx, 'pg_backend_pid'); return mapRows([], n, ret, () => s.pid); },
});

// ---------------------------------------------------------------- privileges

const PRIVILEGES = new Set(['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger', 'usage', 'create', 'connect', 'temporary', 'temp', 'execute', 'rule']);
function checkPrivileges(p: string): void {
  for (const x of p.split(',').map((y) => y.trim().toLowerCase().replace(/ with grant option$/, ''))) {
    if (!PRIVILEGES.has(x)) throw new SqlError(SqlState.invalidParameterValue, `unrecognized privilege type: "${x}"`);
  }
}
function checkUser(s: Session, u: unknown): void {
  if (typeof u === 'string' && !s.engine.catalog.users.has(u) && u !== 'public') throw new SqlError(SqlState.undefinedObject, `role "${u}" does not exist`);
}

/**
 * has_table_privilege([user,] table, privilege): true for existing relations. wasmshift has no GRANT
 * model yet: every user holds every privilege, as a superuser would; missing objects are errors as in PostgreSQL.
 */
register('has_table_privilege', {
  resolve: (ts) => (ts.length === 2 || ts.length === 3 ? { args: ts.map((t, i) => (i === ts.length - 1 ? T.text : t.id === 'oid' || t.id === 'int4' || t.id === 'int8' ? t : T.text)), ret: T.bool } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'has_table_privilege');
    return mapStrict(args, n, ret, (...v: unknown[]) => {
      if (v.length === 3) checkUser(s, v[0]);
      const t = v[v.length - 2];
      checkPrivileges(String(v[v.length - 1]));
      if (typeof t === 'string') regclassOid(s.engine.catalog, s.searchPath(), t);
      else return relationByOid(s, Number(t)) !== undefined || systemRelationByOid(Number(t)) !== undefined ? true : null;
      return true;
    });
  },
});
register('has_schema_privilege', {
  resolve: (ts) => (ts.length === 2 || ts.length === 3 ? { args: ts.map((t, i) => (i === ts.length - 1 ? T.text : t.id === 'oid' || t.id === 'int4' ? t : T.text)), ret: T.bool } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'has_schema_privilege');
    return mapStrict(args, n, ret, (...v: unknown[]) => {
      if (v.length === 3) checkUser(s, v[0]);
      const sc = v[v.length - 2];
      checkPrivileges(String(v[v.length - 1]));
      if (typeof sc === 'string') regnamespaceOid(s.engine.catalog, sc);
      else if (![...s.engine.catalog.schemas.values()].some((x) => x.oid === Number(sc))) return null;
      return true;
    });
  },
});
register(['has_database_privilege', 'has_function_privilege', 'has_column_privilege', 'has_any_column_privilege'], {
  resolve: (ts) => (ts.length >= 2 && ts.length <= 4 ? { args: ts.map((t) => (t.id === 'oid' || t.id === 'int4' || t.id === 'int2' ? t : T.text)), ret: T.bool } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (...v: unknown[]) => { checkPrivileges(String(v[v.length - 1])); return true; }),
});

// ---------------------------------------------------------------- definitions and descriptions

/** obj_description(oid [, catalog]) and col_description(table, column): COMMENT ON texts, else NULL. */
register(['obj_description', 'shobj_description'], {
  resolve: (ts) => (ts.length === 1 || ts.length === 2 ? { args: ts.length === 1 ? [T.oid] : [T.oid, T.text], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'obj_description');
    return mapStrict(args, n, ret, (o: number, cls?: string) => descriptionOf(s, cls === undefined ? null : CLASS_OIDS[cls.replace(/^pg_catalog\./, '')] ?? -1, o, 0));
  },
});
register('col_description', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.oid, T.int4], ret: T.text } : null),
  eval: (args, n, ret, ctx) => { const s = sessionOf(ctx, 'col_description'); return mapStrict(args, n, ret, (o: number, k: number) => descriptionOf(s, 1259, o, k)); },
});

/** pg_get_expr(adbin, relid [, pretty]): adbin holds the expression's SQL text already. */
register('pg_get_expr', {
  resolve: (ts) => (ts.length === 2 || ts.length === 3 ? { args: ts.length === 2 ? [T.text, T.oid] : [T.text, T.oid, T.bool], ret: T.text } : null),
  eval: (args, n, ret) => mapStrict(args.slice(0, 1), n, ret, (e: string) => e),
});

function pkeyTable(s: Session, o: number, base: number): Relation | undefined {
  const r = relationByOid(s, o - base);
  return r?.kind === 'table' && r.primaryKey.length > 0 ? r : undefined;
}
const colList = (r: Relation & { kind: 'table' }) => r.primaryKey.map((i) => quoteIdent(r.columns[i]!.name)).join(', ');

register('pg_get_constraintdef', {
  resolve: (ts) => (ts.length === 1 || ts.length === 2 ? { args: ts.length === 1 ? [T.oid] : [T.oid, T.bool], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'pg_get_constraintdef');
    return mapStrict(args.slice(0, 1), n, ret, (o: number) => {
      const t = pkeyTable(s, o, pkeyConstraintOid(0));
      return t?.kind === 'table' ? `PRIMARY KEY (${colList(t)})` : null;
    });
  },
});
register('pg_get_indexdef', {
  resolve: (ts) => (ts.length === 1 || ts.length === 3 ? { args: ts.length === 1 ? [T.oid] : [T.oid, T.int4, T.bool], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'pg_get_indexdef');
    return mapRows(args, n, ret, (o: number | null, col?: number | null) => {
      if (o === null) return null;
      const t = pkeyTable(s, o, pkeyIndexOid(0));
      if (t?.kind !== 'table') return null;
      if (col) return t.primaryKey[col - 1] === undefined ? '' : quoteIdent(t.columns[t.primaryKey[col - 1]!]!.name);
      return `CREATE UNIQUE INDEX ${quoteIdent(`${t.name}_pkey`)} ON ${quoteIdent(t.schema)}.${quoteIdent(t.name)} USING btree (${colList(t)})`;
    });
  },
});
register('pg_get_viewdef', {
  resolve: (ts) => (ts.length === 1 || ts.length === 2 ? { args: [ts[0]!.id === 'oid' || ts[0]!.id === 'int4' || ts[0]!.id === 'int8' ? T.oid : T.text, ...(ts.length === 2 ? [ts[1]!.id === 'bool' ? T.bool : T.int4] : [])], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'pg_get_viewdef');
    return mapStrict(args.slice(0, 1), n, ret, (v: number | string) => {
      const o = typeof v === 'number' ? v : regclassOid(s.engine.catalog, s.searchPath(), v);
      const r = relationByOid(s, o);
      return r?.kind === 'view' ? (/;\s*$/.test(r.sql) ? r.sql : `${r.sql};`) : null;
    });
  },
});
register(['pg_get_ruledef', 'pg_get_triggerdef'], {
  resolve: (ts) => (ts.length === 1 || ts.length === 2 ? { args: ts.length === 1 ? [T.oid] : [T.oid, T.bool], ret: T.text } : null),
  eval: (args, n, ret) => mapRows(args, n, ret, () => null),
});
register('pg_get_function_result', {
  resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (o: number) => { const p = PG_PROCS.get(o); return p ? formatTypeOid(p.ret, -1) : null; }),
});
register(['pg_get_function_arguments', 'pg_get_function_identity_arguments'], {
  resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (o: number) => { const p = PG_PROCS.get(o); return p ? p.args.map((x) => formatTypeOid(x, -1)).join(', ') : null; }),
});
register('pg_get_serial_sequence', {
  resolve: (ts) => (ts.length === 2 ? { args: [T.text, T.text], ret: T.text } : null),
  eval: (args, n, ret) => mapRows(args, n, ret, () => null),
});

// ---------------------------------------------------------------- settings, sessions, sizes

/** Tablespaces are the built-in ones, which have no location (PostgreSQL returns ''). */
register('pg_tablespace_location', {
  resolve: (ts) => (oidArg(ts) ? { args: [T.oid], ret: T.text } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, () => ''),
});
register('pg_encoding_to_char', {
  resolve: (ts) => (ts.length === 1 ? { args: [T.int4], ret: T.name } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (e: number) => (e === 6 ? 'UTF8' : e === 0 ? 'SQL_ASCII' : '')),
});
register('pg_char_to_encoding', {
  resolve: (ts) => (ts.length === 1 ? { args: [T.text], ret: T.int4 } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (e: string) => (e.toUpperCase().replace(/[-_]/g, '') === 'UTF8' ? 6 : e.toUpperCase() === 'SQL_ASCII' ? 0 : -1)),
});

/** current_setting(name [, missing_ok]): 42704 for an unknown name unless missing_ok. */
register('current_setting', {
  volatile: true,
  resolve: (ts) => (ts.length === 1 || ts.length === 2 ? { args: ts.length === 1 ? [T.text] : [T.text, T.bool], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'current_setting');
    return mapStrict(args, n, ret, (name: string, missingOk?: boolean) => {
      const v = s.getSetting(name) ?? FIXED_SETTINGS[name.toLowerCase()];
      if (v === undefined && !missingOk) throw new SqlError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`);
      return v ?? null;
    });
  },
});
/** set_config(name, value, is_local): sets the session's setting and returns the value. */
register('set_config', {
  volatile: true,
  resolve: (ts) => (ts.length === 3 ? { args: [T.text, T.text, T.bool], ret: T.text } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'set_config');
    return mapRows(args, n, ret, (name: string | null, value: string | null) => {
      if (name === null) throw new SqlError(SqlState.nullValueNotAllowed, 'SET requires parameter name');
      if (FIXED_SETTINGS[name.toLowerCase()] !== undefined && s.getSetting(name) === undefined) throw new SqlError('55P02', `parameter "${name}" cannot be changed`);
      s.setSetting(name, value ?? '');
      return value ?? '';
    });
  },
});

function signalBackend(ctx: FnContext, fn: string, pid: number): boolean {
  const s = sessionOf(ctx, fn);
  const target = liveSessions(s).find((x) => x.pid === pid);
  if (!target) return false;
  target.cancel();
  return true;
}
/** pg_cancel_backend / pg_terminate_backend: cancel the running statement of the session with that pid. */
register(['pg_cancel_backend', 'pg_terminate_backend'], {
  volatile: true,
  resolve: (ts) => (ts.length === 1 ? { args: [T.int4], ret: T.bool } : null),
  eval: (args, n, ret, ctx) => mapStrict(args, n, ret, (pid: number) => signalBackend(ctx, 'pg_cancel_backend', pid)),
});

register(['pg_table_size', 'pg_relation_size', 'pg_total_relation_size'], {
  resolve: (ts) => (oidArg(ts) ? { args: [ts[0]!.id === 'oid' || ts[0]!.id === 'int4' ? T.oid : T.text], ret: T.int8 } : null),
  eval: (args, n, ret, ctx) => {
    const s = sessionOf(ctx, 'pg_table_size');
    return mapStrict(args, n, ret, (v: number | string) => {
      const o = typeof v === 'number' ? v : regclassOid(s.engine.catalog, s.searchPath(), v);
      const r = relationByOid(s, o);
      if (!r) return systemRelationByOid(o) || (o & 0x70000000) === 0x40000000 ? 0n : null;
      return r.kind === 'table' ? BigInt(tableBytes(s, r)) : 0n;
    });
  },
});

/** pg_size_pretty(bytes): PostgreSQL's steps (bytes below 10 kB, then kB, MB, GB, TB), each rounded half up. */
export function sizePretty(bytes: bigint): string {
  const abs = (x: bigint) => (x < 0n ? -x : x);
  let v = bytes;
  if (abs(v) < 10240n) return `${v} bytes`;
  v = v / 512n;
  for (const unit of ['kB', 'MB', 'GB']) {
    if (abs(v) < 20480n) return `${(v + (v < 0n ? -1n : 1n)) / 2n} ${unit}`;
    v = v / 1024n;
  }
  return `${(v + (v < 0n ? -1n : 1n)) / 2n} TB`;
}
register('pg_size_pretty', {
  resolve: (ts) => (ts.length === 1 ? { args: [T.int8], ret: T.text } : null),
  eval: (args, n, ret) => mapStrict(args, n, ret, (b: bigint) => sizePretty(b)),
});

// ---------------------------------------------------------------- string helpers catalog queries use

/**
 * REGEXP_SUBSTR(source, pattern [, position [, occurrence]]) (Redshift "REGEXP_SUBSTR function"): the
 * occurrence-th match at or after position, '' when none. dbt-redshift's column query parses types with it.
 */
register('regexp_substr', {
  resolve: (ts) => (ts.length >= 2 && ts.length <= 4 ? { args: ts.map((_, i) => (i < 2 ? T.text : T.int4)), ret: T.varchar } : null),
  eval: (args, n, ret) => {
    const cache = new Map<string, RegExp>();
    return mapStrict(args, n, ret, (src: string, pattern: string, position = 1, occurrence = 1) => {
      if (position < 1) throw new SqlError(SqlState.invalidParameterValue, 'REGEXP_SUBSTR: position must be positive');
      let re = cache.get(pattern);
      if (!re) {
        try { re = new RegExp(pattern, 'gu'); } catch { throw new SqlError(SqlState.invalidParameterValue, `invalid regular expression: ${pattern}`); }
        cache.set(pattern, re);
      }
      const chars = [...src];
      const tail = chars.slice(position - 1).join('');
      re.lastIndex = 0;
      let m: RegExpExecArray | null = null;
      for (let k = 0; k < occurrence; k++) {
        m = re.exec(tail);
        if (!m) return '';
        if (m[0] === '') re.lastIndex++;
      }
      return m ? m[0] : '';
    });
  },
});
