// Tests of the front-end entry point (host/front/parse.ts): routing, error positions, command
// tags, locations with multi-byte text, and the parse time of the 22 TPC-H queries.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseSingleStatement, parseStatements, statementKind } from '../../../host/front/parse.js';
import { SqlError } from '../../../host/common/errors.js';
import { tpchQueries } from '../../../bench/tpch/queries.js';
import { parseSync } from 'libpg-query';

before(async () => { await initParser(); });

function errorAt(sql: string, message: string, position: number) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof SqlError);
    assert.equal(e.code, '42601');
    assert.equal(e.message, message);
    assert.equal(e.position, position);
    return true;
  };
}

test('statements carry their text, offset and AST', () => {
  const sql = 'select 1;\n  insert into t values (1) ;  update t set a = 2';
  const st = parseStatements(sql);
  assert.deepEqual(st.map((s) => s.tag), ['SELECT', 'INSERT', 'UPDATE']);
  assert.deepEqual(st.map((s) => s.kind), ['pg', 'pg', 'pg']);
  for (const s of st) assert.equal(sql.slice(s.offset, s.offset + s.text.length), s.text);
  assert.ok('InsertStmt' in st[1]!.ast);
});

test('syntax errors are 42601 with a 1-based position into the full text', () => {
  const sql = 'select 1;\nselect * frm t';
  assert.throws(() => parseStatements(sql), errorAt(sql, 'syntax error at or near "frm"', sql.indexOf('frm') + 1));
  const sql2 = 'select 2; select * from';
  assert.throws(() => parseStatements(sql2), errorAt(sql2, 'syntax error at end of input', sql2.length + 1));
  const sql3 = "select 1; select 'abc";
  assert.throws(() => parseStatements(sql3), errorAt(sql3, 'unterminated quoted string at or near "\'abc"', 18));
});

test('positions count characters, and AST locations are string indices, with multi-byte text', () => {
  const sql = "select 'ééé', x from t; select '日本' frm t";
  assert.throws(() => parseStatements(sql), errorAt(sql, 'syntax error at or near "t"', sql.lastIndexOf('t') + 1));
  const [st] = parseStatements("select 'ééé', x from t");
  const loc = st!.ast.SelectStmt.targetList[1].ResTarget.location;
  assert.equal(st!.text[loc], 'x');
  const emoji = "select '😀' frm t";
  // PostgreSQL counts the emoji as one character: 't' is character 16
  assert.throws(() => parseStatements(emoji), errorAt(emoji, 'syntax error at or near "t"', 16));
});

test('parseStatements before initParser resolves is refused; initParser is idempotent', async () => {
  await initParser();
  await initParser();
  assert.equal(parseStatements('select 1').length, 1);
});

test('statementKind gives PostgreSQL command tags', () => {
  const cases: [string, string][] = [
    ['select 1', 'SELECT'], ['select 1 into t2', 'SELECT INTO'], ['insert into t values (1)', 'INSERT'],
    ['update t set a = 1', 'UPDATE'], ['delete from t using u where t.a = u.a', 'DELETE'],
    ['merge into t using s on t.a = s.a when matched then delete', 'MERGE'],
    ['create table t (a int)', 'CREATE TABLE'], ['create table t as select 1', 'CREATE TABLE AS'],
    ['create view v as select 1', 'CREATE VIEW'], ['create schema s', 'CREATE SCHEMA'],
    ['drop table if exists t', 'DROP TABLE'], ['drop view v', 'DROP VIEW'], ['drop schema s cascade', 'DROP SCHEMA'],
    ['alter table t add column b int', 'ALTER TABLE'], ['alter table t rename to u', 'ALTER TABLE'],
    ['alter table t rename column a to b', 'ALTER TABLE'], ['truncate t', 'TRUNCATE TABLE'],
    ['begin', 'BEGIN'], ['start transaction', 'START TRANSACTION'], ['commit', 'COMMIT'], ['end', 'COMMIT'],
    ['rollback', 'ROLLBACK'], ['abort', 'ROLLBACK'], ['set search_path to public', 'SET'], ['reset all', 'RESET'],
    ['show search_path', 'SHOW'], ['explain select 1', 'EXPLAIN'], ['vacuum t', 'VACUUM'], ['analyze t', 'ANALYZE'],
    ['prepare q (int) as select $1', 'PREPARE'], ['execute q (1)', 'EXECUTE'], ['deallocate q', 'DEALLOCATE'],
    ['deallocate all', 'DEALLOCATE ALL'], ['declare c cursor for select 1', 'DECLARE CURSOR'], ['fetch 10 from c', 'FETCH'],
    ['close c', 'CLOSE CURSOR'], ['grant select on t to u', 'GRANT'], ['revoke select on t from u', 'REVOKE'],
    ['create user u password \'x\'', 'CREATE USER'], ['create function f() returns int as $$ select 1 $$ language sql', 'CREATE FUNCTION'],
    ['call p()', 'CALL'], ['comment on table t is \'x\'', 'COMMENT'], ['lock table t', 'LOCK TABLE'],
    ['refresh materialized view mv', 'REFRESH MATERIALIZED VIEW'], ['discard all', 'DISCARD ALL'],
  ];
  for (const [sql, tag] of cases) {
    const [st] = parseStatements(sql);
    assert.equal(st!.tag, tag, sql);
    assert.equal(statementKind(st!.ast), tag, sql);
  }
});

test('Redshift query syntax that PostgreSQL already accepts passes through', () => {
  const st = parseStatements(`select dateadd(day, 1, d), datediff(week, a, b), nvl(x, 0), listagg(s, ',') within group (order by s),
    median(v), getdate(), a::int from t where x is not null`);
  assert.equal(st[0]!.tag, 'SELECT');
});

test('all 22 TPC-H queries (Redshift form) parse; parse time per query', (t) => {
  const queries = tpchQueries(1);
  assert.equal(queries.length, 22);
  for (const q of queries) {
    const st = parseStatements(q.redshift);
    assert.equal(st.length, 1, `Q${q.id}`);
    assert.equal(st[0]!.tag, 'SELECT', `Q${q.id}`);
  }
  // measurement, reported and not asserted (benchmarks are not timed tests)
  const rounds = 200;
  const perQuery: string[] = [];
  let total = 0;
  for (let i = 0; i < 50; i++) for (const q of queries) parseStatements(q.redshift); // warm-up
  const r0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const q of queries) parseSync(q.redshift);
  const raw = Number(process.hrtime.bigint() - r0) / 1e6 / rounds / 22;
  for (const q of queries) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) parseStatements(q.redshift);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
    total += ms;
    perQuery.push(`Q${q.id}=${ms.toFixed(3)}`);
  }
  t.diagnostic(`front-end parse ms/query (mean of ${rounds}): ${perQuery.join(' ')}; mean ${(total / 22).toFixed(3)} ms; libpg-query parseSync alone: mean ${raw.toFixed(3)} ms`);
});

test('parseSingleStatement: one statement, none, or the Parse-message error for several', () => {
  assert.equal(parseSingleStatement('select $1::int')!.tag, 'SELECT');
  assert.equal(parseSingleStatement(' -- nothing\n'), null);
  assert.throws(() => parseSingleStatement('select 1; select 2'), (e: unknown) => e instanceof SqlError && e.code === '42601'
    && e.message === 'cannot insert multiple commands into a prepared statement');
});

test('errors at the end of a statement point where PostgreSQL points (checked against PostgreSQL 15)', () => {
  const a = 'select 1;\n\n  select (1 + ;';
  assert.throws(() => parseStatements(a), errorAt(a, 'syntax error at or near ";"', 26));
  const b = "select E'\\n' + ";
  assert.throws(() => parseStatements(b), errorAt(b, 'syntax error at end of input', 16));
  const c = 'select 1 /* unterminated';
  assert.throws(() => parseStatements(c), errorAt(c, 'unterminated /* comment at or near "/* unterminated"', 10));
  const d = "select 1; select '日本' 'x' frm t";
  assert.throws(() => parseStatements(d), errorAt(d, 'syntax error at or near "\'x\'"', 23));
  const e = 'select $$abc';
  assert.throws(() => parseStatements(e), errorAt(e, 'unterminated dollar-quoted string at or near "$$abc"', 8));
});

test('PostgreSQL-valid statements come out exactly as libpg-query parses them (no stray rewrites)', () => {
  const texts = tpchQueries(1).flatMap((q) => [q.redshift, q.duckdb]);
  texts.push(
    'select top, qualify, approximate, convert, listagg from t', // (MINUS is reserved in Redshift)
    'select a # b, a #b from t',
    "select convert_to('x', 'UTF8'), convert('x', 'UTF8', 'LATIN1')",
    'create table t (encode int, distkey int, sortkey int, identity int)',
    'select max(a), varchar_max from t',
    'delete from t where a in (select a from u)',
    "select ignore, nulls, respect from t",
    'SELECT n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN (\'r\',\'v\') ORDER BY 1, 2',
  );
  for (const t of texts) {
    const direct = parseSync(t).stmts!.map((s) => s.stmt);
    const mine = parseStatements(t).map((s) => s.ast);
    assert.deepEqual(mine, direct, t);
  }
});
