// The catalog clients read, through the library: pg_catalog, information_schema and Redshift's system
// views as views over the live catalog (host/catalog/system-views.ts), the catalog functions
// (host/functions/catalog-fns.ts), and every captured client metadata query (client-queries.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { open, type Database, type Session } from '../../host/index.js';
import { TypeOid } from '../../host/types/sql-type.js';
import { CLIENT_QUERIES } from './client-queries.js';

let db: Database;
let s: Session;

async function rows(sql: string, params: unknown[] = []): Promise<unknown[][]> {
  const r = await s.execute(sql, params);
  return r.at(-1)!.rows as unknown[][];
}
async function one(sql: string): Promise<unknown> { return (await rows(sql))[0]?.[0]; }

before(async () => {
  db = await open({ slices: 2 });
  s = db.session('dev');
  await s.execute(`create schema sales;
    create table sales.orders(id bigint primary key, customer varchar(64) default 'x', amount numeric(12,2) encode az64, ts timestamp not null, flag boolean) distkey(id) compound sortkey(ts, customer);
    create view sales.v_orders as select id, amount from sales.orders;
    create table public.t(a int, b text);
    create table public.e(k int) diststyle even;
    create table public.al(k int) diststyle all;
    create table public.au(k int);
    create table public.il(a int, b int) interleaved sortkey(a, b);
    insert into sales.orders values (1, 'a', 1.50, '2024-01-01', true), (2, 'b', 2.25, '2024-01-02', false);`);
});
after(async () => { await s.close(); await db.close(); });

describe('pg_catalog relations', () => {
  it('pg_class shows tables, views and the primary key with Redshift reldiststyle', async () => {
    const r = await rows(`select c.relname, c.relkind, c.reldiststyle, c.reltuples from pg_catalog.pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('sales', 'public') order by 1`);
    assert.deepEqual(r, [['al', 'r', 8, 0], ['au', 'r', 10, 0], ['e', 'r', 0, 0], ['il', 'r', 10, 0], ['orders', 'r', 1, 2], ['orders_pkey', 'i', 0, 0], ['t', 'r', 10, 0], ['v_orders', 'v', 0, 0]]);
  });

  it('pg_attribute carries types, modifiers, NOT NULL, defaults and the distribution/sort/encoding attributes', async () => {
    const r = await rows(`select attname, atttypid, atttypmod, attnotnull, atthasdef, attisdistkey, attsortkeyord, format_encoding(attencodingtype)
      from pg_attribute where attrelid = 'sales.orders'::regclass and attnum > 0 order by attnum`);
    assert.deepEqual(r, [
      // Redshift's default encodings: AZ64 for numbers and timestamps, RAW for sort key columns and booleans.
      ['id', 20, -1, true, false, true, 0, 'az64'],
      ['customer', 1043, 68, false, true, false, 2, 'none'],
      ['amount', 1700, (12 << 16 | 2) + 4, false, false, false, 0, 'az64'],
      ['ts', 1114, -1, true, false, false, 1, 'none'],
      ['flag', 16, -1, false, false, false, 0, 'none'],
    ]);
    assert.deepEqual(await rows("select attname, attsortkeyord from pg_attribute where attrelid = 'il'::regclass order by attnum"), [['a', -1], ['b', -2]]);
  });

  it('pg_type has every type the engine knows, with PostgreSQL names and input functions', async () => {
    for (const [id, o] of Object.entries(TypeOid)) {
      const r = await rows(`select typname, typlen, typtype, typnamespace, typinput from pg_type where oid = ${o}`);
      assert.equal(r.length, 1, `type ${id} (${o})`);
      assert.equal(r[0]![0], id);
      assert.equal(r[0]![3], 11);
    }
    assert.deepEqual(await rows('select typname, typlen, typbyval, typinput, typelem from pg_type where oid in (23, 1043, 1007) order by oid'),
      [['int4', 4, true, 'int4in', 0], ['_int4', -1, false, 'array_in', 23], ['varchar', -1, false, 'varcharin', 0]]);
  });

  it('pg_attrdef, pg_constraint and pg_index describe defaults and the primary key', async () => {
    assert.deepEqual(await rows("select adnum, adsrc, pg_get_expr(adbin, adrelid) from pg_attrdef where adrelid = 'sales.orders'::regclass"), [[2, "'x'", "'x'"]]);
    assert.deepEqual(await rows("select conname, contype, conkey, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'sales.orders'::regclass"),
      [['orders_pkey', 'p', '{1}', 'PRIMARY KEY (id)']]);
    assert.deepEqual(await rows("select indkey, indisprimary, pg_get_indexdef(indexrelid) from pg_index where indrelid = 'sales.orders'::regclass"),
      [['1', true, 'CREATE UNIQUE INDEX orders_pkey ON sales.orders USING btree (id)']]);
  });

  it('follows the live catalog: new, renamed and dropped relations', async () => {
    await s.execute('create table public.tmp_live(x int)');
    assert.equal(await one("select count(*) from pg_class where relname = 'tmp_live'"), 1n);
    await s.execute('alter table public.tmp_live rename to tmp_live2');
    assert.deepEqual(await rows("select relname from pg_class where relname like 'tmp_live%'"), [['tmp_live2']]);
    await s.execute('drop table public.tmp_live2');
    assert.equal(await one("select count(*) from pg_class where relname like 'tmp_live%'"), 0n);
  });

  it('pg_database, pg_user, pg_roles, pg_settings and pg_stat_activity', async () => {
    assert.deepEqual(await rows('select datname, pg_encoding_to_char(encoding) from pg_database'), [['dev', 'UTF8']]);
    assert.deepEqual(await rows("select usename, usesuper, passwd from pg_user where usename = 'dev'"), [['dev', true, '********']]);
    assert.deepEqual(await rows("select rolname from pg_roles order by 1"), [['dev'], ['rdsdb']]);
    assert.equal(await one("select setting from pg_settings where name = 'max_index_keys'"), '32');
    assert.equal(await one('select count(*) from pg_stat_activity where pid = pg_backend_pid()'), 1n);
  });
});

describe('catalog functions', () => {
  it('format_type prints PostgreSQL type names with modifiers', async () => {
    assert.deepEqual(await rows('select format_type(1043, 68), format_type(1700, 786438), format_type(1042, 14), format_type(1007, -1), format_type(1114, null), format_type(16, null)'),
      [['character varying(64)', 'numeric(12,2)', 'character(10)', 'integer[]', 'timestamp without time zone', 'boolean']]);
  });

  it('regclass/regtype casts resolve names and print them', async () => {
    assert.equal(await one("select 'pg_class'::regclass::oid"), 1259);
    assert.equal(await one("select 'integer'::regtype::oid"), 23);
    const o = await one("select 'sales.orders'::regclass::oid");
    assert.equal(await one(`select ${o}::regclass::text`), 'sales.orders');
    assert.equal(await one(`select oid::regclass::text from pg_class where relname = 't'`), 't');
    await assert.rejects(s.execute("select 'nope'::regclass"), { code: '42P01' });
    assert.deepEqual(await rows('select relname from pg_class where oid = $1::regclass', ['sales.orders']), [['orders']]);
  });

  it('pg_table_is_visible follows the search path', async () => {
    const q = "select pg_table_is_visible('sales.orders'::regclass), pg_table_is_visible('public.t'::regclass)";
    assert.deepEqual(await rows(q), [[false, true]]);
    await s.execute('set search_path to sales, public');
    try {
      assert.deepEqual(await rows(q), [[true, true]]);
      assert.deepEqual(await rows('select current_schemas(true), current_schemas(false), (current_schemas(false))[1]'), [['{pg_catalog,sales,public}', '{sales,public}', 'sales']]);
      assert.deepEqual(await rows("select distinct tablename from pg_table_def where schemaname = 'sales'"), [['orders']]);
    } finally { await s.execute('reset search_path'); }
    assert.deepEqual(await rows("select count(*) from pg_table_def where schemaname = 'sales'"), [[0n]]);
  });

  it('privileges, settings, view definitions and user names', async () => {
    assert.deepEqual(await rows("select has_table_privilege('sales.orders', 'select'), has_schema_privilege('sales', 'usage'), has_table_privilege('dev', 't', 'insert')"), [[true, true, true]]);
    await assert.rejects(s.execute("select has_table_privilege('nope', 'select')"), { code: '42P01' });
    await assert.rejects(s.execute("select has_schema_privilege('nope', 'usage')"), { code: '3F000' });
    assert.equal(await one("select set_config('application_name', 'cat-test', false)"), 'cat-test');
    assert.equal(await one("select current_setting('application_name')"), 'cat-test');
    await assert.rejects(s.execute("select current_setting('no_such_setting')"), { code: '42704' });
    assert.equal(await one("select pg_get_viewdef('sales.v_orders'::regclass)"), 'select id, amount from sales.orders;');
    assert.deepEqual(await rows('select pg_get_userbyid(100), pg_get_userbyid(1), pg_get_userbyid(4242)'), [['dev', 'rdsdb', 'unknown (OID=4242)']]);
    assert.deepEqual(await rows('select pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(123456789::bigint)'), [['10239 bytes', '10 kB', '118 MB']]);
  });

  it('arrays in their text form: subscripts, ANY and ARRAY(subquery)', async () => {
    assert.deepEqual(await rows("select attname from pg_attribute a join pg_constraint c on c.conrelid = a.attrelid and a.attnum = any(c.conkey) where c.contype = 'p'"), [['id']]);
    assert.deepEqual(await rows("select i.indkey[0] = 1, array_to_string('{a,b,NULL}', '|'), array_upper('{x,y}', 1) from pg_index i where i.indrelid = 'sales.orders'::regclass"), [[true, 'a|b', 2]]);
    assert.deepEqual(await rows("select n.nspname, array(select c.relname from pg_class c where c.relnamespace = n.oid and c.relkind = 'v') from pg_namespace n where n.nspname = 'sales'"),
      [['sales', '{v_orders}']]);
  });
});

describe('COMMENT ON', () => {
  it('stores descriptions that pg_description, obj_description and col_description show', async () => {
    await s.execute(`comment on table sales.orders is 'one row per order';
      comment on column sales.orders.amount is 'in dollars';
      comment on schema sales is 'sales data';
      create table public.gone(x int);
      comment on table public.gone is 'temporary'`);
    assert.deepEqual(await rows("select obj_description('sales.orders'::regclass, 'pg_class'), col_description('sales.orders'::regclass, 3), col_description('sales.orders'::regclass, 1)"),
      [['one row per order', 'in dollars', null]]);
    assert.deepEqual(await rows("select obj_description(oid, 'pg_namespace') from pg_namespace where nspname = 'sales'"), [['sales data']]);
    assert.deepEqual(await rows("select d.objsubid, d.description from pg_description d join pg_class c on c.oid = d.objoid where c.relname = 'orders' order by 1"),
      [[0, 'one row per order'], [3, 'in dollars']]);
    await s.execute('drop table public.gone');
    assert.equal(await one("select count(*) from pg_description where description = 'temporary'"), 0n);
    await s.execute('comment on column sales.orders.amount is null');
    assert.equal(await one("select col_description('sales.orders'::regclass, 3)"), null);
    await assert.rejects(s.execute("comment on column sales.orders.nope is 'x'"), { code: '42703' });
    await assert.rejects(s.execute("comment on table sales.v_orders is 'x'"), { code: '42809' });
  });
});

describe('information_schema and Redshift views', () => {
  it('information_schema.columns and tables', async () => {
    assert.deepEqual(await rows(`select column_name, ordinal_position, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default
      from information_schema.columns where table_schema = 'sales' and table_name = 'orders' order by ordinal_position`), [
      ['id', 1, 'bigint', null, 64, 0, 'NO', null],
      ['customer', 2, 'character varying', 64, null, null, 'YES', "'x'"],
      ['amount', 3, 'numeric', null, 12, 2, 'YES', null],
      ['ts', 4, 'timestamp without time zone', null, null, null, 'NO', null],
      ['flag', 5, 'boolean', null, null, null, 'YES', null],
    ]);
    assert.deepEqual(await rows("select table_name, table_type from information_schema.tables where table_schema = 'sales' order by 1"), [['orders', 'BASE TABLE'], ['v_orders', 'VIEW']]);
    assert.deepEqual(await rows("select view_definition from information_schema.views where table_name = 'v_orders'"), [['select id, amount from sales.orders']]);
    assert.ok((await rows('select schema_name from information_schema.schemata')).some((r) => r[0] === 'sales'));
  });

  it('svv_table_info, svv_columns, pg_table_def and stl_query', async () => {
    assert.deepEqual(await rows(`select "table", diststyle, sortkey1, sortkey_num, tbl_rows, encoded from svv_table_info where "schema" in ('sales', 'public') order by 1`), [
      // encoded: integer columns default to AZ64, sort key columns stay RAW.
      ['al', 'ALL', null, 0, 0n, 'Y'], ['au', 'AUTO(ALL)', null, 0, 0n, 'Y'], ['e', 'EVEN', null, 0, 0n, 'Y'], ['il', 'AUTO(ALL)', 'INTERLEAVED(a)', 2, 0n, 'N'],
      ['orders', 'KEY(id)', 'ts', 2, 2n, 'Y'], ['t', 'AUTO(ALL)', null, 0, 0n, 'Y'],
    ]);
    assert.deepEqual(await rows("select column_name, data_type from svv_columns where table_name = 'v_orders' order by ordinal_position"), [['id', 'bigint'], ['amount', 'numeric']]);
    assert.deepEqual(await rows("select \"column\", type, trim(encoding), distkey, sortkey, \"notnull\" from pg_table_def where tablename = 't'"),
      [['a', 'integer', 'az64', false, 0, false], ['b', 'character varying(256)', 'lzo', false, 0, false]]);
    await s.execute("select 'stl-marker-42'");
    assert.ok((await rows("select querytxt from stl_query where querytxt like '%stl-marker-42%'")).length >= 1);
  });

  it('pg_get_late_binding_view_cols() resolves late-binding views when called', async () => {
    await s.execute('create view public.lbv as select id, customer from sales.orders with no schema binding');
    try {
      assert.deepEqual(await rows(`select view_schema, view_name, col_name, col_type, col_num
        from pg_get_late_binding_view_cols() cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int) order by col_num`),
        [['public', 'lbv', 'id', 'bigint', 1], ['public', 'lbv', 'customer', 'character varying(64)', 2]]);
    } finally { await s.execute('drop view public.lbv'); }
  });

  it('pg_depend and pg_rewrite link a view to the tables it reads', async () => {
    assert.deepEqual(await rows(`select distinct v.relname, t.relname from pg_depend d join pg_rewrite r on r.oid = d.objid
      join pg_class v on v.oid = r.ev_class join pg_class t on t.oid = d.refobjid where d.deptype = 'n'`), [['v_orders', 'orders']]);
  });
});

describe('captured client queries', () => {
  for (const q of CLIENT_QUERIES) {
    it(`${q.client}: ${q.sql.replace(/\s+/g, ' ').slice(0, 70)}`, async () => {
      const table = await one("select 'sales.orders'::regclass::oid");
      const view = await one("select 'sales.v_orders'::regclass::oid");
      const r = await s.execute(q.sql.replaceAll('$TABLE', String(table)).replaceAll('$VIEW', String(view)));
      const last = r.at(-1)!;
      assert.equal(last.command, 'SELECT');
      assert.ok(Array.isArray(last.rows));
    });
  }

  it('answer with the live objects (psql \\dt, SQLAlchemy pk, JDBC getColumns)', async () => {
    const dt = CLIENT_QUERIES.find((q) => q.client === 'psql \\dt')!;
    assert.deepEqual((await rows(dt.sql)).map((r) => r.slice(0, 3)), [['public', 'al', 'table'], ['public', 'au', 'table'], ['public', 'e', 'table'], ['public', 'il', 'table'], ['public', 't', 'table']]);
    const table = String(await one("select 'sales.orders'::regclass::oid"));
    const pk = CLIENT_QUERIES.find((q) => q.client === 'SQLAlchemy pk')!;
    assert.deepEqual(await rows(pk.sql.replaceAll('$TABLE', table)), [['id']]);
    const cols = CLIENT_QUERIES.find((q) => q.client === 'pgJDBC getColumns')!;
    assert.deepEqual((await rows(cols.sql)).map((r) => [r[2], r[3], r[5], r[11]]), [['id', 20, -1, null], ['customer', 1043, 68, "'x'"], ['amount', 1700, 786438, null], ['ts', 1114, -1, null], ['flag', 16, -1, null]]);
  });
});
