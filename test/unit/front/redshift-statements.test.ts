// Tests of Redshift-only statements without a PostgreSQL form (host/front/redshift-statements.ts)
// and of the smaller rewrites: VARCHAR(MAX), late-binding views, COPY delimiter escapes.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseStatements } from '../../../host/front/parse.js';
import { SqlError } from '../../../host/common/errors.js';

before(async () => { await initParser(); });

function stmt(sql: string) {
  const [st] = parseStatements(sql);
  assert.equal(st!.kind, 'redshift', sql);
  return st!;
}

test('ALTER TABLE ... ALTER DISTSTYLE / DISTKEY / SORTKEY / ENCODE', () => {
  const a = stmt('alter table s.sales alter diststyle key distkey region');
  assert.equal(a.tag, 'ALTER TABLE');
  assert.deepEqual(a.statement, { type: 'alter_distribution', table: { schema: 's', name: 'sales', location: 12 }, diststyle: 'KEY', distkey: 'region' });
  assert.deepEqual(stmt('alter table t alter distkey c').statement, { type: 'alter_distribution', table: { name: 't', location: 12 }, distkey: 'c' });
  assert.deepEqual(stmt('ALTER TABLE t ALTER DISTSTYLE ALL').statement, { type: 'alter_distribution', table: { name: 't', location: 12 }, diststyle: 'ALL' });
  assert.deepEqual(stmt('alter table t alter interleaved sortkey (a, b)').statement,
    { type: 'alter_sortkey', table: { name: 't', location: 12 }, sortkey: { kind: 'INTERLEAVED', columns: ['a', 'b'] } });
  assert.deepEqual(stmt('alter table t alter sortkey none').statement,
    { type: 'alter_sortkey', table: { name: 't', location: 12 }, sortkey: { kind: 'NONE', columns: [] } });
  assert.deepEqual(stmt('alter table t alter sortkey auto').statement,
    { type: 'alter_sortkey', table: { name: 't', location: 12 }, sortkey: { kind: 'AUTO', columns: [] } });
  assert.deepEqual(stmt('alter table t alter encode auto').statement, { type: 'alter_encode_auto', table: { name: 't', location: 12 } });
  assert.deepEqual(stmt('alter table t alter column a encode zstd, alter column b encode az64').statement,
    { type: 'alter_column_encode', table: { name: 't', location: 12 }, columns: [{ name: 'a', encode: 'zstd' }, { name: 'b', encode: 'az64' }] });
});

test('ALTER TABLE APPEND FROM', () => {
  assert.deepEqual(stmt('alter table target append from staging ignoreextra').statement,
    { type: 'append', table: { name: 'target', location: 12 }, source: { name: 'staging', location: 31 }, mode: 'IGNOREEXTRA' });
  assert.equal((stmt('alter table t append from s').statement as { mode?: string }).mode, undefined);
});

test('PostgreSQL ALTER TABLE forms still go to the PostgreSQL grammar', () => {
  const [st] = parseStatements('alter table t alter column a type varchar(20)');
  assert.equal(st!.kind, 'pg');
  const [st2] = parseStatements('alter table t alter column a set default 1');
  assert.equal(st2!.kind, 'pg');
});

test('SHOW TABLE / VIEW / DATABASES / SCHEMAS / TABLES / COLUMNS', () => {
  assert.deepEqual(stmt('show table sales.orders').statement, { type: 'show_table', name: { schema: 'sales', name: 'orders', location: 11 } });
  assert.equal(stmt('show table sales.orders').tag, 'SHOW');
  assert.deepEqual(stmt('show view v').statement, { type: 'show_view', name: { name: 'v', location: 10 } });
  assert.deepEqual(stmt('show databases').statement, { type: 'show_databases' });
  assert.deepEqual(stmt("show databases like 'd%' limit 5").statement, { type: 'show_databases', like: 'd%', limit: 5 });
  assert.deepEqual(stmt('show schemas from database dev').statement, { type: 'show_schemas', database: 'dev' });
  assert.deepEqual(stmt("show tables from schema dev.public like 'o%'").statement, { type: 'show_tables', database: 'dev', schema: 'public', like: 'o%' });
  assert.deepEqual(stmt('show columns from table dev.sales.orders limit 10').statement,
    { type: 'show_columns', database: 'dev', schema: 'sales', table: 'orders', limit: 10 });
  const [pg] = parseStatements('show search_path');
  assert.equal(pg!.kind, 'pg');
  assert.throws(() => parseStatements('show tables from dev.public'), (e: unknown) => e instanceof SqlError && e.code === '42601'
    && e.message === 'syntax error at or near "dev"');
  assert.throws(() => parseStatements('alter table t alter diststyle sideways'), (e: unknown) => e instanceof SqlError && e.position === 31);
});

test('VARCHAR(MAX), CHAR(MAX), VARBYTE(MAX) become their maximum lengths', () => {
  const sql = 'create table t (a varchar(max), b character varying(MAX) encode lzo, c char(max), d varbyte(max), e int)';
  const [st] = parseStatements(sql);
  const cols = st!.ast.CreateStmt.tableElts.map((e: { ColumnDef: { typeName: { typmods?: { A_Const: { ival: { ival: number } } }[] }; location: number } }) => e.ColumnDef);
  assert.deepEqual(cols.slice(0, 4).map((c: { typeName: { typmods: { A_Const: { ival: { ival: number } } }[] } }) => c.typeName.typmods[0]!.A_Const.ival.ival), [65535, 65535, 4096, 1024000]);
  // locations after the longer replacements still point at the original text
  assert.equal(sql.slice(cols[4].location, cols[4].location + 5), 'e int');
  assert.equal(st!.redshift.columns.b?.encode, 'lzo');
});

test('late-binding views', () => {
  const [st] = parseStatements('create or replace view v as select a from s.t with no schema binding');
  assert.equal(st!.tag, 'CREATE VIEW');
  assert.equal(st!.redshift.noSchemaBinding, true);
  assert.equal(st!.ast.ViewStmt.replace, true);
});

test("COPY delimiters written as escapes: '\\t', '\\001'", () => {
  const [a] = parseStatements(`copy t from 's3://b/k' delimiter '\\t'`);
  assert.equal(a!.copy!.options.delimiter, '\t');
  const [b] = parseStatements(`copy t from 's3://b/k' delimiter as '\\001'`);
  assert.equal(b!.copy!.options.delimiter, '\x01');
  assert.throws(() => parseStatements(`copy t from 's3://b/k' delimiter 'ab'`), (e: unknown) => e instanceof SqlError && e.code === '42601');
});

test('CANCEL pid [message]', () => {
  assert.deepEqual(stmt('cancel 1234').statement, { type: 'cancel', pid: 1234 });
  assert.deepEqual(stmt("cancel 1234 'too long'").statement, { type: 'cancel', pid: 1234, message: 'too long' });
  assert.equal(stmt('cancel 1').tag, 'CANCEL');
});
