// Tests of the parse cache (host/front/parse.ts): a text parsed again returns the first parse's
// frozen statements, equal to a cold parse; errors are not cached; the cache is bounded; and a
// cached parse holds nothing the catalog decides, so DDL between two runs of one text is seen.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clearParseCache, initParser, parseStatements } from '../../../host/front/parse.js';
import { SqlError } from '../../../host/common/errors.js';
import { open } from '../../../host/index.js';
import { tpchQueries } from '../../../bench/tpch/queries.js';

before(async () => { await initParser(); });

test('a text parsed again gives the cached statements, equal to a cold parse', () => {
  const texts = [
    ...tpchQueries(0.01).map((q) => q.redshift),
    "copy t from 's3://b/k' iam_role 'arn:aws:iam::1:role/r' csv",
    "unload ('select * from t where a = ''x''') to 's3://b/p' iam_role default",
    'select top 3 a from t qualify row_number() over (order by a) = 1; alter table t alter distkey a',
  ];
  for (const sql of texts) {
    clearParseCache();
    const cold = parseStatements(sql);
    const again = parseStatements(sql);
    assert.equal(again.length, cold.length);
    again.forEach((st, i) => assert.equal(st, cold[i], 'the same statement object is returned'));
    clearParseCache();
    assert.deepEqual(again, parseStatements(sql), sql.slice(0, 60));
  }
});

test('cached statements are frozen all the way down: no caller can change what the next one gets', () => {
  clearParseCache();
  const [st] = parseStatements('select a + 1 as b from t where c = 2');
  assert.ok(Object.isFrozen(st));
  assert.throws(() => { (st as { text: string }).text = 'x'; }, TypeError);
  assert.throws(() => { st!.ast.SelectStmt.whereClause = null; }, TypeError);
  assert.throws(() => { st!.ast.SelectStmt.targetList.push(1); }, TypeError);
  // the returned array is the caller's own
  const list = parseStatements('select a + 1 as b from t where c = 2');
  list.pop();
  assert.equal(parseStatements('select a + 1 as b from t where c = 2').length, 1);
});

test('syntax errors are raised again on every parse of the text, with their positions', () => {
  const sql = 'select 1;\nselect * frm t';
  for (let i = 0; i < 2; i++) {
    assert.throws(() => parseStatements(sql), (e: unknown) => e instanceof SqlError && e.code === '42601' && e.position === sql.indexOf('frm') + 1);
  }
});

test('the cache keeps a bounded number of texts, the least recently used going first', () => {
  clearParseCache();
  const first = parseStatements('select 1 as kept')[0];
  const evicted = parseStatements('select 1 as evicted')[0];
  for (let i = 0; i < 300; i++) {
    parseStatements(`select ${i} as filler`);
    parseStatements('select 1 as kept'); // used again: stays
  }
  assert.equal(parseStatements('select 1 as kept')[0], first);
  const reparsed = parseStatements('select 1 as evicted')[0];
  assert.notEqual(reparsed, evicted);
  assert.deepEqual(reparsed, evicted);
});

test('one text run before and after DDL binds against the catalog of its run', async () => {
  const db = await open({ slices: 2, workers: false });
  try {
    await db.query('create table t (a int)');
    await db.query('insert into t values (1), (2)');
    const sql = 'select * from t order by 1';
    assert.deepEqual((await db.query(sql)).fields.map((f) => f.name), ['a']);
    await db.query('alter table t add column b int default 7');
    const r = await db.query(sql);
    assert.deepEqual(r.fields.map((f) => f.name), ['a', 'b']);
    assert.deepEqual(r.rows.map((x) => Object.values(x)), [[1, 7], [2, 7]]);
    await db.query('drop table t');
    await assert.rejects(db.query(sql), (e: unknown) => e instanceof SqlError && e.code === '42P01');
  } finally {
    await db.close();
  }
});
