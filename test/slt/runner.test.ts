// Checks the slt runner itself: parsing, sort modes, error matching, EXPLAIN shape comparison, and
// every .slt file run against DuckDB (records marked `skipif duckdb` aside), so the files are known-good.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { explainShape, findSltFiles, loadSlt, parseSlt, runSlt, runSltFileWith, sltSourceDir, type SltEngine } from './runner.js';
import { openDuckdbEngine, stripRedshiftDdl } from './duckdb-engine.js';

test('parses statements, queries, conditions and headers', () => {
  const f = parseSlt([
    '# name: x', '# slices: 2', 'hash-threshold 8', '',
    'statement ok', 'CREATE TABLE t (a INT)', '',
    'statement error 42P01', 'SELECT * FROM nope', '',
    'statement error', 'SELECT 1/0', '----', 'division by zero', '',
    'skipif duckdb', 'query IT rowsort label-1', 'SELECT a,', "  'x' FROM t", '----', '1\tx', '2 y', '',
    'query T explain', 'EXPLAIN SELECT 1', '----', 'XN Result  (cost=0.00..0.01 rows=1 width=0)',
  ].join('\n'), 'inline.slt');
  assert.equal(f.slices, 2);
  assert.equal(f.records.length, 5);
  const [s1, s2, s3, q, e] = f.records;
  assert.deepEqual(s1, { kind: 'statement', line: 5, sql: 'CREATE TABLE t (a INT)', conditions: [] });
  assert.equal(s2!.kind === 'statement' && s2!.expectError, '42P01');
  assert.equal(s3!.kind === 'statement' && s3!.expectError, 'division by zero');
  assert.ok(q!.kind === 'query');
  assert.equal(q.types, 'IT');
  assert.equal(q.sort, 'rowsort');
  assert.equal(q.sql, "SELECT a,\n  'x' FROM t");
  assert.deepEqual(q.expected, ['1\tx', '2 y']);
  assert.deepEqual(q.conditions, [{ kind: 'skipif', engine: 'duckdb' }]);
  assert.ok(e!.kind === 'query' && e.sort === 'explain');
  assert.equal(parseSlt('mode slices 4\n').slices, 4);
  assert.throws(() => parseSlt('bogus record\n', 'b.slt'), /b\.slt:1: unknown record/);
  assert.throws(() => parseSlt('query\nselect 1\n', 'c.slt'), /c\.slt:1: query needs column type letters/);
});

test('EXPLAIN shape ignores costs and detail lines but keeps nesting', () => {
  const got = explainShape([
    'XN Merge  (cost=1000.1..1000.2 rows=5 width=8)',
    '  Merge Key: a',
    '  ->  XN Network  (cost=1000.1..1000.2 rows=5 width=8)',
    '        Send to leader',
    '        ->  XN Hash Join DS_DIST_NONE  (cost=0.1..9.2 rows=5 width=8)',
    '              Hash Cond: ("outer".a = "inner".a)',
    '              ->  XN Seq Scan on t  (cost=0.00..0.05 rows=5 width=4)',
    '              ->  XN Hash  (cost=0.05..0.05 rows=5 width=4)',
    '                    ->  XN Seq Scan on u  (cost=0.00..0.05 rows=5 width=4)',
  ]);
  assert.deepEqual(got, ['0 XN Merge', '1 XN Network', '2 XN Hash Join DS_DIST_NONE', '3 XN Seq Scan on t', '3 XN Hash', '4 XN Seq Scan on u']);
  assert.deepEqual(explainShape(['XN Merge', ' -> XN Network', '    -> XN Hash Join DS_DIST_NONE', '       -> XN Seq Scan on t', '       -> XN Hash', '          -> XN Seq Scan on u']), got);
});

/** A scripted engine: answers from a table of SQL -> rows or error. */
function fakeEngine(answers: Record<string, (string | null)[][] | { code: string; message: string }>): SltEngine {
  return {
    name: 'fake',
    async run(sql) {
      const a = answers[sql];
      if (a === undefined) throw Object.assign(new Error(`no answer for ${sql}`), { code: 'XX000' });
      if (!Array.isArray(a)) throw Object.assign(new Error(a.message), { code: a.code });
      return { rows: a };
    },
    async close() {},
  };
}

test('sort modes, NULL, (empty), and failure messages name file, line, SQL, expected and got', async () => {
  const engine = fakeEngine({
    'select a': [['2', null], ['1', '']],
    'select b': [['x', 'y'], ['a', 'b']],
    'bad': { code: '22012', message: 'division by zero' },
  });
  const ok = parseSlt([
    'query IT rowsort', 'select a', '----', '1\t(empty)', '2\tNULL', '',
    'query TT valuesort', 'select b', '----', 'a', 'b', 'x', 'y', '',
    'query TT nosort', 'select b', '----', 'x y', 'a b', '',
    'statement error 22012', 'bad', '',
    'statement error division', 'bad',
  ].join('\n'), 'ok.slt');
  assert.deepEqual(await runSlt(ok, engine), []);

  const bad = parseSlt(['query TT nosort', 'select b', '----', 'a\tb', 'x\ty', '', 'statement error 42P01', 'bad'].join('\n'), 'bad.slt');
  const failures = await runSlt(bad, engine, { stopAtFirst: false });
  assert.equal(failures.length, 2);
  assert.equal(failures[0]!.path, 'bad.slt');
  assert.equal(failures[0]!.line, 1);
  assert.equal(failures[0]!.sql, 'select b');
  assert.match(failures[0]!.message, /--- expected\na b\nx y\n--- got\nx y\na b/);
  assert.match(failures[1]!.message, /expected error 42P01, got 22012/);
  const wrongWidth = parseSlt('query I\nselect b\n----\nx y\na b\n', 'w.slt');
  assert.match((await runSlt(wrongWidth, engine))[0]!.message, /declares 1 column/);
  await assert.rejects(runSltFileWith(bad, async () => engine, 1), /bad\.slt:1\nselect b\n/);
});

test('file records are written to a temporary folder that __TEST_DIR__ names', async () => {
  const { readFileSync, existsSync } = await import('node:fs');
  let seenPath = '';
  const engine: SltEngine = {
    name: 'fake',
    async run(sql) {
      seenPath = /'([^']+)'/.exec(sql)![1]!;
      return { rows: readFileSync(seenPath, 'utf8').trimEnd().split('\n').map((l) => [l]) };
    },
    async close() {},
  };
  const f = parseSlt(['file data.txt', '1|a', '2|b', '', "query T", "SELECT '__TEST_DIR__/data.txt'", '----', '1|a', '2|b'].join('\n'), 'f.slt');
  assert.deepEqual(f.records[0], { kind: 'file', line: 1, name: 'data.txt', content: '1|a\n2|b\n', conditions: [] });
  assert.deepEqual(await runSlt(f, engine), []);
  assert.ok(seenPath.endsWith('data.txt') && !seenPath.includes('__TEST_DIR__'));
  assert.ok(!existsSync(seenPath), 'the temporary folder is removed after the run');
});

test('Redshift physical-design clauses are stripped for DuckDB', () => {
  assert.equal(
    stripRedshiftDdl('CREATE TABLE t (a INT DISTKEY ENCODE az64, b INT SORTKEY) DISTSTYLE KEY DISTKEY(a) COMPOUND SORTKEY(a, b) BACKUP NO').replace(/\s+/g, ' '),
    'CREATE TABLE t (a INT , b INT ) ');
});

const dir = sltSourceDir();
const files = await findSltFiles(dir);
const base = new URL('../../../', new URL('.', import.meta.url)).pathname;

test('every .slt file passes on DuckDB (records DuckDB and Redshift agree on)', async (t) => {
  assert.ok(files.length > 0, `no .slt files found under ${dir}`);
  for (const path of files) {
    await t.test(relative(dir, path), async () => {
      const file = await loadSlt(path, base);
      await runSltFileWith(file, openDuckdbEngine, 1, { lenientErrors: true });
    });
  }
});
