// System relations computed from the live catalog: the pg_catalog and information_schema tables
// clients read on connect, and Redshift's PG_TABLE_DEF, SVV_TABLE_INFO and STL_QUERY. Each is
// built as a VALUES plan over the catalog at bind time, so it always shows the current state.
import type { Binder } from '../bind/binder.js';
import type { Expr } from '../plan/expr.js';
import type { Col, LNode } from '../plan/logical.js';
import { formatType, T, type SqlType } from '../types/sql-type.js';
import type { Session } from '../session/session.js';

type Row = unknown[];
interface SysRel { cols: [string, SqlType][]; rows(s: Session): Row[] }

const name = T.name;
const oid = T.oid;
const text = T.text;

const RELATIONS: Record<string, SysRel> = {
  'pg_catalog.pg_namespace': {
    cols: [['oid', oid], ['nspname', name], ['nspowner', T.int4], ['nspacl', text]],
    rows: (s) => [...s.engine.catalog.schemas.values()].map((n) => [n.oid, n.name, 1, null]),
  },
  'pg_catalog.pg_tables': {
    cols: [['schemaname', name], ['tablename', name], ['tableowner', name], ['tablespace', name], ['hasindexes', T.bool], ['hasrules', T.bool], ['hastriggers', T.bool]],
    rows: (s) => s.engine.catalog.relationsList().filter((r) => r.kind === 'table').map((r) => [r.schema, r.name, r.owner, null, false, false, false]),
  },
  'pg_catalog.pg_views': {
    cols: [['schemaname', name], ['viewname', name], ['viewowner', name], ['definition', text]],
    rows: (s) => s.engine.catalog.relationsList().filter((r) => r.kind === 'view').map((r) => [r.schema, r.name, r.owner, r.kind === 'view' ? r.sql : null]),
  },
  'pg_catalog.pg_user': {
    cols: [['usename', name], ['usesysid', T.int4], ['usecreatedb', T.bool], ['usesuper', T.bool], ['usecatupd', T.bool], ['passwd', text], ['valuntil', T.timestamp], ['useconfig', text]],
    rows: (s) => [...s.engine.catalog.users.values()].map((u) => [u.name, u.oid, u.createdb, u.superuser, u.superuser, '********', null, null]),
  },
  'pg_catalog.pg_table_def': {
    cols: [['schemaname', name], ['tablename', name], ['column', name], ['type', text], ['encoding', { id: 'bpchar', length: 11 }], ['distkey', T.bool], ['sortkey', T.int4], ['notnull', T.bool]],
    rows: (s) => {
      const path = s.searchPath();
      return s.engine.catalog.relationsList().filter((r) => r.kind === 'table' && path.includes(r.schema)).flatMap((r) =>
        r.kind === 'table' ? r.columns.map((c) => [r.schema, r.name, c.name, formatType(c.type), c.encode.toLowerCase().padEnd(11).slice(0, 11), c.distkey, c.sortkeyOrd, c.notNull]) : []);
    },
  },
  'pg_catalog.stl_query': {
    cols: [['userid', T.int4], ['query', T.int4], ['label', { id: 'bpchar', length: 320 }], ['xid', T.int8], ['pid', T.int4], ['database', { id: 'bpchar', length: 32 }], ['querytxt', { id: 'bpchar', length: 4000 }], ['starttime', T.timestamp], ['endtime', T.timestamp], ['aborted', T.int4]],
    rows: (s) => s.engine.queryLog.map((q) => [100, q.query, 'default', BigInt(q.query), s.pid, s.database, q.text, q.start, q.end, q.aborted ? 1 : 0]),
  },
  'pg_catalog.svv_table_info': {
    cols: [['database', text], ['schema', text], ['table_id', oid], ['table', text], ['encoded', text], ['diststyle', text], ['sortkey1', text], ['max_varchar', T.int4], ['sortkey1_enc', { id: 'bpchar', length: 32 }], ['sortkey_num', T.int4], ['size', T.int8], ['pct_used', T.numeric(10, 4)], ['unsorted', T.numeric(5, 2)], ['stats_off', T.numeric(5, 2)], ['tbl_rows', T.numeric(38, 0)], ['skew_sortkey1', T.numeric(19, 2)], ['skew_rows', T.numeric(19, 2)]],
    rows: (s) => s.engine.catalog.relationsList().flatMap((r) => {
      if (r.kind !== 'table') return [];
      const d = s.dataOf(r);
      const per = d.slices.map((x) => x.reduce((n, b) => n + b.rows, 0));
      const max = Math.max(...per), min = Math.min(...per.filter((x) => x > 0), max);
      const dist = r.diststyle === 'KEY' ? `KEY(${r.columns[r.distkey]!.name})` : r.diststyle === 'AUTO' ? `AUTO(${d.style})` : r.diststyle;
      const sk = r.sortkey.columns.length ? r.columns[r.sortkey.columns[0]!]!.name : null;
      const maxVarchar = Math.max(0, ...r.columns.map((c) => (c.type.id === 'varchar' ? c.type.length ?? 0 : 0)));
      return [[s.database, r.schema, r.oid, r.name, r.columns.some((c) => c.encode !== 'RAW') ? 'Y' : 'N', dist, sk, maxVarchar, sk ? r.columns[r.sortkey.columns[0]!]!.encode.toLowerCase() : null, r.sortkey.columns.length, BigInt(Math.max(1, Math.ceil(r.columns.length * d.slices.length))), 0n, 0n, 0n, BigInt(d.rows), null, min > 0 ? BigInt(Math.round((max / min) * 100)) : null]];
    }),
  },
};

/** A bound plan for a system relation, or undefined when `name` is not one. */
export function systemRelation(s: Session, schema: string | undefined, relName: string, b: Binder): LNode | undefined {
  const key = schema ? `${schema}.${relName}` : `pg_catalog.${relName}`;
  const rel = RELATIONS[key] ?? (schema === undefined ? undefined : undefined);
  if (!rel) return undefined;
  const cols: Col[] = rel.cols.map(([n, t]) => ({ id: b.newId(), name: n, type: t }));
  const rows: Expr[][] = rel.rows(s).map((r) => r.map((v, i) => ({ k: 'const', value: v, type: rel.cols[i]![1] } as Expr)));
  return { op: 'values', rows, cols };
}
